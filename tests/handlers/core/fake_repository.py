"""The shape every fake repository shares: it keeps the shared fake database and reads its
state there on every call (a unit-of-work rollback swaps that state for a snapshot copy).

Apart from tests/handlers/core/fakes.py because the capabilities' fakes, which that module
imports, derive from it too."""

from __future__ import annotations

from typing import Any, ClassVar, Generic, TypeVar

DB = TypeVar("DB")
Tables = TypeVar("Tables")


class FakeRepository(Generic[DB]):
    """A fake repository over ``db``, the shared fake database (or a protocol of it)."""

    def __init__(self, db: DB) -> None:
        self.db = db


class TablesRepository(FakeRepository[DB], Generic[DB, Tables]):
    """A fake repository over one capability's tables in the shared database: ``t`` is the
    database attribute that ``tables`` names."""

    tables: ClassVar[str]

    @property
    def t(self) -> Tables:
        found: Any = getattr(self.db, self.tables)
        return found
