"""A kind declared in one module (tests/handlers/records/letter_kind.py) is stored on SQLite
and PostgreSQL with no storage code of its own: the table derived from its declaration, the
generic repository, and the whole form flow through the SQL unit of work."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.operations import Operations
from sqlalchemy import inspect

from handlers.core.app import Assistant
from handlers.core.clock import ManualClock
from handlers.core.domain import NewPerson
from handlers.records.domain import RecordQuery, Tombstone
from handlers.registry import all_routers
from knowledge.retrieval import KnowledgeBase
from storage.core.models import Base
from storage.records.declared import declared_row
from tests.conftest import make_services
from tests.handlers.records import letter_kind
from tests.handlers.records.support import HL_INSPECTOR, created_id, run
from tests.storage.records import letter_migration
from tests.storage.support import unit_tree

pytestmark = pytest.mark.storage
T0 = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)
ALL = ("/",)  # every unit


def _migrate(conn) -> None:  # type: ignore[no-untyped-def]
    with Operations.context(MigrationContext.configure(conn)):
        letter_migration.upgrade()


@pytest.fixture
async def letter_table(engine):  # type: ignore[no-untyped-def]
    """The letter kind's table in the test database, made by the migration it comes with."""
    async with engine.begin() as conn:
        await conn.run_sync(_migrate)
    return declared_row(letter_kind.STORED).__table__


def _only_the_letter_table(obj, name, type_, reflected, compare_to) -> bool:  # type: ignore[no-untyped-def]
    table = obj if type_ == "table" else getattr(obj, "table", None)
    return table is not None and table.name == letter_migration.TABLE


async def test_the_migration_creates_exactly_the_derived_table(engine, letter_table) -> None:  # type: ignore[no-untyped-def]
    def diff(conn):  # type: ignore[no-untyped-def]
        options = {"include_object": _only_the_letter_table}
        metadata = declared_row(letter_kind.STORED).metadata
        return compare_metadata(MigrationContext.configure(conn, opts=options), metadata)

    async with engine.connect() as conn:
        assert await conn.run_sync(diff) == []


def _letter(person, unit, author, day: date, **kw) -> letter_kind.LetterInquiry:  # type: ignore[no-untyped-def]
    made = letter_kind.LetterInquiry(0, person.id, unit.id, day, "说明收受礼金问题", author.id, T0)
    return replace(made, **kw)


async def test_the_derived_table_has_the_declared_columns_and_indexes(engine, letter_table) -> None:  # type: ignore[no-untyped-def]
    def shape(conn):  # type: ignore[no-untyped-def]
        found = inspect(conn)
        columns = {c["name"]: c["nullable"] for c in found.get_columns(letter_table.name)}
        indexes = {tuple(i["column_names"]) for i in found.get_indexes(letter_table.name)}
        targets = {fk["referred_table"] for fk in found.get_foreign_keys(letter_table.name)}
        return columns, indexes, targets

    async with engine.connect() as conn:
        columns, indexes, targets = await conn.run_sync(shape)
    assert columns["reply"] is True and columns["matter"] is False
    assert {"id", "version", "deleted_at", "created_by", "updated_at"} <= set(columns)
    assert {("person_id",), ("unit_id",), ("sent_on",)} <= indexes
    assert targets == {"people", "units"}


async def test_a_declared_kind_round_trips_with_statuses_scope_and_tombstone(
    sql_uow, letter_table
) -> None:  # type: ignore[no-untyped-def]
    async with sql_uow() as uow:
        city, a, b, a1 = await unit_tree(uow)
        author = await uow.people.add(NewPerson("检查员", a.id))
        p1 = await uow.people.add(NewPerson("张三", a1.id))
        p2 = await uow.people.add(NewPerson("李四", b.id))
        repo = uow.records.kind(letter_kind.STORED)
        first = await repo.add(_letter(p1, a1, author, date(2026, 3, 1)))
        second = await repo.add(_letter(p2, b, author, date(2026, 4, 1), reply="已说明"))
        old = await repo.add(_letter(p1, a1, author, date(2025, 5, 1)))
        await uow.commit()
    async with sql_uow() as uow:
        repo = uow.records.kind(letter_kind.STORED)
        assert await repo.get(first.id) == first and first.matter == "说明收受礼金问题"
        everyone = await repo.search(RecordQuery(ALL))
        assert [r.id for r in everyone] == [second.id, first.id, old.id]
        assert [r.id for r in await repo.search(RecordQuery(ALL, status="open"))] == [
            first.id,
            old.id,
        ]
        assert [r.id for r in await repo.search(RecordQuery(ALL, status="replied"))] == [second.id]
        assert [r.id for r in await repo.search(RecordQuery(ALL, year=2025))] == [old.id]
        in_a = await repo.search(RecordQuery((a.path,)))
        assert [r.id for r in in_a] == [first.id, old.id]
        assert [r.id for r in await repo.for_person(p1.id)] == [old.id, first.id]
        assert await repo.update(first.id, 1, {"reply": "已如实说明"}, T0)
        assert not await repo.update(first.id, 1, {"reply": "旧版本"}, T0)  # stale
        tomb = Tombstone(T0, author.id, "重复录入")
        assert await repo.delete(old.id, 1, tomb)
        await uow.commit()
    async with sql_uow() as uow:
        repo = uow.records.kind(letter_kind.STORED)
        changed = await repo.get(first.id)
        assert changed is not None and (changed.reply, changed.version) == ("已如实说明", 2)
        deleted = await repo.get(old.id)
        assert deleted is not None and deleted.deleted == tomb
        assert [r.id for r in await repo.search(RecordQuery(ALL))] == [second.id, first.id]


async def test_a_declared_kind_is_recorded_through_the_form_on_sql(
    sql_core: Assistant, sql_uow, letter_table, clock: ManualClock, kb: KnowledgeBase
) -> None:  # type: ignore[no-untyped-def]
    assistant = Assistant(sql_uow, make_services(clock, kb), [*all_routers(), letter_kind.router])
    replies = await run(
        assistant, HL_INSPECTOR, "/letter 马丽娟", "2026-03-02", "反映违规问题", "@f:ok"
    )
    lid = created_id(replies, "lt")
    async with sql_uow() as uow:
        letter = await uow.records.kind(letter_kind.STORED).get(lid)
        revisions = await uow.records.revisions.of("letter", lid)
    assert letter is not None and letter.matter == "反映违规问题"
    assert [r.action for r in revisions] == ["create"]
    # The tests' kind is not registered: the product's schema never sees its table.
    assert letter_table.name not in Base.metadata.tables
