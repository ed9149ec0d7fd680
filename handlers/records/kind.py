"""The declaration of one kind of record, and loading it with the access check.

Every kind module (talks.py, notices.py, assessments.py, cases.py, handlings.py) declares
one :class:`RecordKind`: its type, button prefix, name, field labels and repository, who
reads a record as his or her own, its :class:`Listing`, its detail, its
:class:`RecordForm` and its own button actions. The engine (engine.py), the lists
(lists.py) and history and deletion (history.py) do the rest the same way for every kind;
loading, the access check, the tombstone screen and the audit entries live here.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from handlers.core.context import Ctx, rows
from handlers.core.forms import Data, Step, StepForm
from handlers.core.i18n import N_
from handlers.core.ports import UnitOfWork
from handlers.core.types import Button
from handlers.org.people import person_label
from handlers.records.common import (
    Access,
    not_found,
    readable,
    record_buttons,
    require,
    save_changes,
)
from handlers.records.domain import Tombstone
from handlers.records.inputs import fmt_date, fmt_time
from handlers.records.ports import RecordRepository

#: What shows one record: its lines and its rows of buttons.
Detail = tuple[list[str], list[list[Button]]]
#: A button handler given the button data after the prefix (``["f", "12"]``).
ButtonAction = Callable[[Ctx, list[str]], Awaitable[None]]


@dataclass(frozen=True)
class Loaded:
    """A record as the generic code needs it."""

    record: Any
    unit_id: int
    version: int
    tombstone: Tombstone | None
    own: bool = False


@dataclass(frozen=True)
class AuditAs:
    """How a record's audit entries are named: ``talk.viewed`` on ("talk", id) by default; a
    record kept inside another (a person's handling in a case) is logged on that one."""

    action: str  # prefix of the action: "talk." or "case.person_"
    object_type: str
    object_id: int
    details: dict[str, Any] = field(default_factory=dict)
    #: The unit of every entry (the parent's); None: the unit the engine names.
    unit_id: int | None = None


@dataclass(frozen=True)
class Listing:
    """A kind's list (/talks …): its title, the statuses it filters by, and one line a record."""

    command: str  # e.g. "talks"
    help: str  # message id of the command's help line
    order: int  # place in /help
    title: str  # message id, e.g. N_("Warning talks")
    new: str  # message id of the "new" button, e.g. N_("➕ New talk")
    #: The statuses it filters by, code -> name: message ids, or a function of the reader
    #: giving the names in his or her language.
    statuses: Mapping[str, str] | Callable[[Ctx], dict[str, str]]
    #: The record's list line and its button label.
    line: Callable[[Ctx, Any], Awaitable[tuple[str, str]]]
    #: Unit paths a reader who is not staff lists by (a unit head's notices); () for his or
    #: her own records only.
    own_paths: Callable[[Ctx], Sequence[str]] = lambda ctx: ()

    def status_names(self, ctx: Ctx) -> dict[str, str]:
        """The statuses' names in the reader's language, by code."""
        if callable(self.statuses):
            return self.statuses(ctx)
        return {code: ctx._(name) for code, name in self.statuses.items()}


@dataclass(frozen=True)
class RecordForm:
    """A kind's form: the same steps create a record and, opened on the review screen with
    the record's values, edit it; both are checked again at confirmation (each step's
    answer as :func:`~handlers.records.steps.confirmed` makes it, then the kind's ``check``)."""

    name: str  # the form's name, e.g. "rec_talk"
    #: Message ids of the titles of a new record and of an edit (with ``{id}``), or the title
    #: as a function of the form's data.
    title: tuple[str, str] | Callable[[Ctx, Data], str]
    steps: list[Step]
    #: The new record made of the checked values (its id is assigned when stored).
    new: Callable[[Ctx, dict[str, Any], Data], Any]
    saved: str  # message id, e.g. N_("Warning talk #{id} saved.")
    #: The kind's own checks across the confirmed values (may add values, or refuse).
    check: Callable[[Ctx, Data, dict[str, Any]], Awaitable[None]] | None = None
    #: Replaces the confirmation of the steps: every answer checked again, returning the
    #: record's field values (a form whose steps are not the record's fields).
    validate: Callable[[Ctx, Data], Awaitable[dict[str, Any]]] | None = None
    #: The command that starts it: (name, help message id, place in /help); None: started
    #: only from another record's button (a handling from its case).
    command: tuple[str, str, int] | None = None
    #: The command's argument answers the first step (``/talk 马丽娟``).
    prefill: bool = False
    #: Or reads the command's argument itself: the answers it gives and the step to open
    #: at (``/assess 岳村镇``: a unit, so the subject and the target, then the year).
    start_with: Callable[[Ctx, str], Awaitable[tuple[Data, str]]] | None = None
    created: str = ""  # message id, e.g. N_("Warning talk #{id} recorded.")
    created_verb: str = "created"  # the audit action on creation: "talk.created"
    #: Replaces the standard "created" audit entry and reply (a notice tells its unit).
    after_create: Callable[[Ctx, Any, Data], Awaitable[None]] | None = None
    #: The form's answers for a stored record (default: each step's field, see form_data).
    edit_data: Callable[[Ctx, Any], Awaitable[Data]] | None = None
    #: A record about a person stays with the unit it was made in while the edit keeps the
    #: person (a talk with the unit it was held in, even after a transfer).
    keeps_unit: bool = False
    #: Kind-specific checks and adjustments of an edit's values before they are saved
    #: (a closed notice is not changed …); may refuse with UserError.
    before_save: Callable[[Ctx, Any, dict[str, Any]], None] = lambda ctx, record, values: None
    #: The button data that opens what was edited (default: the record).
    back: Callable[[Any], str] | None = None
    #: Run after an edit changed fields (the record before it, its id, the changed field
    #: names); returns what to add to the "saved" reply (a notice tells its unit's principal
    #: of a new deadline or unit, and the reply says who was told).
    after_edit: Callable[[Ctx, Any, int, list[str]], Awaitable[str]] | None = None


def stamped(record: Callable[..., Any], **fixed: Any) -> Callable[[Ctx, dict[str, Any], Data], Any]:
    """A form's ``new``: a ``record`` of the checked values, created by this person now."""
    return lambda ctx, values, data: record(
        id=0, created_by=ctx.me.id, created_at=ctx.now, **fixed, **values
    )


def titles(new: str, edit: str) -> Callable[[Ctx, Data], str]:
    """A form title: ``new`` for a new record, ``edit`` (with ``{id}``) for an edit."""
    return lambda ctx, data: ctx._(edit, id=data["_edit"]) if data.get("_edit") else ctx._(new)


async def _nobody(ctx: Ctx, record: Any) -> bool:
    return False


@dataclass(frozen=True)
class RecordKind:
    """One kind of record, as the generic list, detail, form, history and deletion see it."""

    #: What revisions, audit entries and history buttons call it: a RecordType for the
    #: built-in kinds, any code of at most 16 characters for a new one.
    type: str
    prefix: str  # button data prefix, e.g. "tk"
    noun: str  # message id, e.g. N_("Warning talk")
    fields: dict[str, str]  # field -> message id of its label
    repo: Callable[[UnitOfWork], RecordRepository[Any]]
    #: True when this reader reads the record as his or her own (a cadre's own talk).
    own: Callable[[Ctx, Any], Awaitable[bool]] = _nobody
    #: Replaces the standard load (a record whose scope is another record's).
    custom_load: Callable[[Ctx, int], Awaitable[Loaded | None]] | None = None
    #: Human text of a field's stored value (a reason code, a status …); a field not named
    #: (or None) is shown as stored.
    display: Mapping[str, Callable[[Ctx, Any], str | None]] = field(default_factory=dict)
    #: True when a value in record ``rid``'s history must not be shown to this reader
    #: (a person outside the reader's scope named in a case's history).
    hidden: Callable[[Ctx, int, str, Any], Awaitable[bool]] | None = None
    #: How its audit entries are named (see :class:`AuditAs`); None: after the type.
    audit_as: Callable[[Loaded, int], AuditAs] | None = None
    #: Its list, if it has one (a handling is listed in its case).
    listing: Listing | None = None
    #: The lines and buttons that show one live record.
    detail: Callable[[Ctx, Any, Access], Awaitable[Detail]] | None = None
    #: Its form (create and edit), if records are entered (not only changed by actions).
    form: RecordForm | None = None
    #: Its own button actions (``tk:f:12`` …) beside open, history, delete and list pages.
    actions: Mapping[str, ButtonAction] = field(default_factory=dict)
    #: The short forms its actions open (a talk's follow-up …), mounted with it.
    forms: Sequence[StepForm] = ()

    async def load(self, ctx: Ctx, rid: int) -> Loaded | None:
        """The record with its unit, version, tombstone and whether it is the reader's own."""
        if self.custom_load is not None:
            return await self.custom_load(ctx, rid)
        record = await self.repo(ctx.uow).get(rid)
        if record is None:
            return None
        own = await self.own(ctx, record)
        return Loaded(record, record.unit_id, record.version, record.deleted, own)

    async def delete(self, uow: UnitOfWork, rid: int, version: int, tomb: Tombstone) -> bool:
        """Soft-delete the record if unchanged since ``version``."""
        return await self.repo(uow).delete(rid, version, tomb)

    def __post_init__(self) -> None:
        # Every record has a unit; a kind names it otherwise only if it wants to.
        object.__setattr__(self, "fields", {"unit_id": N_("Unit")} | self.fields)

    def shown(self, ctx: Ctx, key: str, value: Any) -> str | None:
        """A stored value as the kind displays it (None: as stored)."""
        display = self.display.get(key)
        return display(ctx, value) if display is not None else None

    def label(self, ctx: Ctx, key: str) -> str:
        """The translated label of a field."""
        return ctx._(self.fields[key])

    async def lines(self, ctx: Ctx, record: Any, keys: Sequence[str], **given: Any) -> list[str]:
        """A record's fields as ``label: value`` lines of its detail, each value as people
        read it (see :func:`show_field`); ``given`` holds values the kind shows its own way."""
        return [
            f"{self.label(ctx, key)}: "
            + (given[key] if key in given else await show_field(ctx, self, key, record))
            for key in keys
        ]

    async def save(
        self, ctx: Ctx, loaded: Loaded, rid: int, version: int, values: dict[str, Any], action: str
    ) -> list[str] | None:
        """Store the fields of ``values`` that differ from the loaded record, with a revision
        ``action``: the changed fields, or None (the person told) when it changed since."""
        old = {k: getattr(loaded.record, k) for k in self.fields}
        update = self.repo(ctx.uow).update
        return await save_changes(ctx, self.type, rid, version, old, values, update, action)


def code_name(ctx: Ctx, names: Mapping[str, str], value: object) -> str:
    """The translated name of a code from ``names`` (code -> message id), or the code as
    stored when the table has no name for it."""
    name = names.get(str(value))
    return ctx._(name) if name else str(value)


#: Fields that hold a person's id, shown as the person's name and unit.
PERSON_FIELDS = ("person_id", "recipient_id")


async def show_field(ctx: Ctx, kind: RecordKind, key: str, record: Any) -> str:
    """A field of a record as its detail shows it: a person's name and unit, a unit's name,
    a date as ISO, a code as the kind displays it, and a dash for nothing."""
    value = getattr(record, key)
    if key in PERSON_FIELDS:
        return await person_label(ctx, value)
    if key == "unit_id":
        unit = await ctx.uow.units.get(value)
        return unit.name if unit else "—"
    if isinstance(value, date):
        return fmt_date(value)
    text = kind.shown(ctx, key, value)
    if text is not None:
        return text
    return "—" if value is None or value == "" else str(value)


KINDS: dict[str, RecordKind] = {}


def register(kind: RecordKind) -> RecordKind:
    """Make a record type known to history and deletion."""
    KINDS[kind.type] = kind
    return kind


async def load_readable(ctx: Ctx, kind: RecordKind, rid: int) -> tuple[Loaded, Access]:
    """Load a record and check the person may read it (else the common "not found")."""
    loaded = await kind.load(ctx, rid)
    if loaded is None:
        raise not_found(ctx, rid)
    _, access = await readable(ctx, rid, loaded.unit_id, loaded.tombstone is not None, loaded.own)
    return loaded, access


async def load_writable(ctx: Ctx, kind: RecordKind, rid: int) -> Loaded:
    """Load a record the person may change (else "not found" or "your role does not allow")."""
    loaded, access = await load_readable(ctx, kind, rid)
    require(ctx, access.write)
    return loaded


async def about_me(ctx: Ctx, record: Any) -> bool:
    """Whether a record is about the reader (``person_id``): he or she reads it as own."""
    return bool(record.person_id == ctx.me.id)


async def audit(
    ctx: Ctx, kind: RecordKind, verb: str, loaded: Loaded, rid: int, unit_id: int, **details: Any
) -> None:
    """Append the audit entry ``<kind>.<verb>`` about one record (named as the kind says)."""
    if kind.audit_as is None:
        name = str(kind.type)
        await ctx.audit(f"{name}.{verb}", name, rid, unit_id, **details)
        return
    target = kind.audit_as(loaded, rid)
    unit = target.unit_id if target.unit_id is not None else unit_id
    await ctx.audit(
        target.action + verb,
        target.object_type,
        target.object_id,
        unit,
        **target.details,
        **details,
    )


async def show_if_deleted(
    ctx: Ctx, kind: RecordKind, rid: int, loaded: Loaded, access: Access
) -> bool:
    """Show the tombstone of a deleted record (audited); False when the record is live."""
    if loaded.tombstone is None:
        return False
    by = await person_label(ctx, loaded.tombstone.by)
    await audit(ctx, kind, "viewed", loaded, rid, loaded.unit_id, deleted=True)
    ctx.reply(
        tombstone_text(ctx, kind, rid, loaded.tombstone, by),
        rows(*record_buttons(ctx, kind.prefix, rid, access)),
    )
    return True


def tombstone_text(ctx: Ctx, kind: RecordKind, rid: int, tomb: Tombstone, by: str) -> str:
    """What staff see when they open a deleted record."""
    return ctx._(
        "{noun} #{id} was deleted on {at} by {by}. Reason: {reason}",
        noun=ctx._(kind.noun),
        id=rid,
        at=fmt_time(ctx, tomb.at),
        by=by,
        reason=tomb.reason,
    )
