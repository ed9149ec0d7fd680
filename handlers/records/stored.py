"""How a record kind is kept, declared beside the kind itself.

A kind whose records need nothing beyond the engine's list, open, edit and delete (warning
talks) declares one :class:`Stored`: its table, its record dataclass, the field its list is
sorted and filtered by year on, what each list status means, and two column hints (the
fields that point at other tables, and the short codes kept readable). storage/records/
declared.py derives the table and the repository from it, and the tests' fakes derive their
in-memory table the same way, so such a kind needs no storage code of its own: a module and
a migration (docs/architecture.md, "How to add a record kind").

Kinds with their own queries (notices with reports, cases with people, assessments looked
up by subject and year) keep hand-written repositories.
"""

from __future__ import annotations

import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date, datetime
from typing import Any, Generic, Literal, TypeVar

R = TypeVar("R")

#: What a column holds: another table's id, a day, a moment, a short readable code,
#: free text (encrypted at rest), a number or a yes/no.
ColumnKind = Literal["ref", "date", "stamp", "code", "text", "int", "bool"]

#: Fields every stored record has that the engine sets, not the kind's form: the id, the
#: version and tombstone (their own columns), and the author and creation time.
ENGINE_FIELDS = ("id", "version", "deleted")
TRACKED_FIELDS = ("created_by", "created_at")

_PLAIN_KINDS: dict[type, ColumnKind] = {date: "date", datetime: "stamp", bool: "bool", int: "int"}


@dataclass(frozen=True)
class Empty:
    """A list status meaning "``field`` is not filled in yet" (a talk awaiting follow-up)."""

    field: str


@dataclass(frozen=True)
class Filled:
    """A list status meaning "``field`` is filled in" (a talk followed up)."""

    field: str


@dataclass(frozen=True)
class Column:
    """One column a stored kind's table has for a field of its record."""

    name: str
    kind: ColumnKind
    nullable: bool
    target: str = ""  # the table a "ref" column points at
    length: int = 0  # a "code" column's length
    indexed: bool = False


@dataclass(frozen=True)
class Stored(Generic[R]):
    """The storage declaration of a record kind (see the module docstring)."""

    table: str
    record: type[R]
    #: The date field lists are ordered by (latest first) and ``/talks 2026`` filters on.
    day: str
    #: Fields holding another table's id, to the table they point at; each gets an index.
    refs: Mapping[str, str] = field(default_factory=dict)
    #: Text fields kept as readable codes of at most this length (reason codes …): summaries
    #: group by them. Every other text field is free text, encrypted at rest.
    codes: Mapping[str, int] = field(default_factory=dict)
    #: The statuses its list filters by (``/talks open``), each a field filled or not.
    statuses: Mapping[str, Empty | Filled] = field(default_factory=dict)
    #: The field naming the person a record is about ("" for none): lists by person and
    #: ``for_person`` use it.
    person: str = "person_id"

    def __post_init__(self) -> None:
        names = set(self.field_names()) | set(ENGINE_FIELDS)
        needed = {"unit_id", self.day, *self.refs, *self.codes, *ENGINE_FIELDS, *TRACKED_FIELDS}
        needed |= {rule.field for rule in self.statuses.values()}
        if self.person:
            needed.add(self.person)
        missing = sorted(needed - names)
        if missing:
            raise TypeError(f"{self.table}: the record has no field {', '.join(missing)}")
        self.columns()  # refuses a field type no column can hold, at declaration

    def field_names(self) -> list[str]:
        """The record's fields kept in columns of the same names (engine fields aside)."""
        if not is_dataclass(self.record):
            raise TypeError(f"{self.table}: the record must be a dataclass")
        return [f.name for f in fields(self.record) if f.name not in ENGINE_FIELDS]

    def columns(self) -> list[Column]:
        """The columns of the kind's own fields, in the record's order (the author and
        creation time are among the tracked columns every record table has)."""
        hints = typing.get_type_hints(self.record)
        out: list[Column] = []
        for name in self.field_names():
            if name in TRACKED_FIELDS:
                continue
            kind, nullable = self._column_kind(name, hints[name])
            out.append(
                Column(
                    name,
                    kind,
                    nullable,
                    target=self.refs.get(name, ""),
                    length=self.codes.get(name, 0),
                    indexed=kind == "ref" or name == self.day,
                )
            )
        return out

    def _column_kind(self, name: str, hint: Any) -> tuple[ColumnKind, bool]:
        args = typing.get_args(hint)
        union = typing.get_origin(hint) in (types.UnionType, typing.Union)
        nullable = union and type(None) in args
        base = next((a for a in args if a is not type(None)), hint) if nullable else hint
        if name in self.refs and base is int:
            return "ref", nullable
        if base is str:
            return ("code" if name in self.codes else "text"), nullable
        if base in _PLAIN_KINDS:
            return _PLAIN_KINDS[base], nullable
        raise TypeError(f"{self.table}.{name}: no column holds a {hint!r}")


#: Every declared kind by table, in declaration order (storage builds their tables).
DECLARED: dict[str, Stored[Any]] = {}


def stored(declaration: Stored[R]) -> Stored[R]:
    """Register ``declaration`` so storage knows its table; a table declared twice is a
    programming error."""
    if declaration.table in DECLARED and DECLARED[declaration.table] != declaration:
        raise ValueError(f"record table {declaration.table!r} is declared twice")
    DECLARED[declaration.table] = declaration
    return declaration


__all__ = ["DECLARED", "Column", "Empty", "Filled", "Stored", "stored"]
