"""The database failing under a request, on SQLite and PostgreSQL.

A connection that breaks mid-request gives the person a clear "try again" in their language,
leaves nothing of the request written (the form stays at its step, no record, no revision,
no audit entry), and the very next request works on a fresh connection.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine

from handlers.core.app import Assistant
from handlers.core.clock import ManualClock
from handlers.core.domain import Role
from handlers.core.i18n import translator
from handlers.core.typed_buttons import KEYS_FORM
from handlers.core.types import Request
from handlers.org.registration import create_invitation
from handlers.registry import all_routers
from knowledge.retrieval import KnowledgeBase
from storage.db import create_engine, session_factory
from storage.uow import SqlUnitOfWorkFactory
from tests.conftest import make_services
from tests.handlers.core.helpers import say, texts
from tests.handlers.records.support import HL_INSPECTOR, TALK_INPUTS, run
from tests.storage.faults import DatabaseFault

pytestmark = pytest.mark.storage

UNAVAILABLE = "The service is temporarily unavailable. Please try again in a moment."
TRY_AGAIN_ZH = translator("zh_CN")._(UNAVAILABLE)


async def count(engine: AsyncEngine, sql: str) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(text(sql))).scalar_one())


async def talk_state(engine: AsyncEngine) -> tuple[int, int, int, int]:
    """Talks, their revisions, their audit entries, and open forms of the inspector."""
    return (
        await count(engine, "SELECT count(*) FROM warning_talks"),
        await count(engine, "SELECT count(*) FROM record_revisions WHERE record_type = 'talk'"),
        await count(engine, "SELECT count(*) FROM audit_log WHERE object_type = 'talk'"),
        # The labels of a reply's buttons, kept to be pressed by typing, are no open form.
        await count(
            engine,
            "SELECT count(*) FROM conversations"
            f" WHERE user_id = {HL_INSPECTOR} AND form <> '{KEYS_FORM}'",
        ),
    )


@pytest.mark.parametrize(
    "where",
    [
        "INSERT INTO record_revisions",  # the talk row is written, its revision not yet
        "DELETE FROM conversations",  # record, revision and audit written; form not closed
        "COMMIT",  # everything written, the commit itself is lost
    ],
)
async def test_connection_lost_while_saving_a_record(
    sql_core: Assistant, engine: AsyncEngine, where: str
) -> None:
    fault = DatabaseFault(engine)
    await run(sql_core, HL_INSPECTOR, "/talk 马丽娟", *TALK_INPUTS)
    before = await talk_state(engine)
    assert before[3] == 1  # the form waits for confirmation

    fault.arm(where)
    replies = await run(sql_core, HL_INSPECTOR, "@f:ok")
    assert fault.fired, "the fault never happened"
    assert texts(replies) == TRY_AGAIN_ZH
    assert await talk_state(engine) == before  # nothing half-written, the form still open

    replies = await run(sql_core, HL_INSPECTOR, "@f:ok")  # the person tries again
    assert "已录入" in texts(replies)
    talks, revisions, audits, forms = await talk_state(engine)
    assert (talks, revisions, forms) == (before[0] + 1, before[1] + 1, 0)
    assert audits > before[2]


async def test_connection_lost_during_registration(
    sql_core: Assistant, sql_uow: SqlUnitOfWorkFactory, engine: AsyncEngine, clock: ManualClock
) -> None:
    fault = DatabaseFault(engine)
    async with sql_uow() as uow:
        unit = await uow.units.by_code("HL-ZF")
        assert unit is not None
        inv = await create_invitation(uow, unit, Role.CADRE, clock.now(), 14, "新同志")
        await uow.commit()
    people = await count(engine, "SELECT count(*) FROM people")

    fault.arm("COMMIT")
    english = await sql_core.handle(
        Request(user_id=9100, chat_id=9100, text=f"/start {inv.code}", user_language="en")
    )
    assert texts(english) == UNAVAILABLE  # in the person's language
    assert await count(engine, "SELECT count(*) FROM people") == people
    unused = f"SELECT count(*) FROM invitations WHERE code = '{inv.code}' AND used_by IS NULL"
    assert await count(engine, unused) == 1

    again = await sql_core.handle(Request(user_id=9100, chat_id=9100, text=f"/start {inv.code}"))
    assert "新同志" in texts(again)
    assert await count(engine, "SELECT count(*) FROM people") == people + 1


async def test_form_step_lost_stays_at_the_previous_step(
    sql_core: Assistant, engine: AsyncEngine
) -> None:
    fault = DatabaseFault(engine)
    talks = await count(engine, "SELECT count(*) FROM warning_talks")
    await run(sql_core, HL_INSPECTOR, "/talk 马丽娟", TALK_INPUTS[0])
    async with engine.connect() as conn:
        saved = (await conn.execute(text("SELECT step, data FROM conversations"))).all()

    fault.arm("UPDATE conversations")
    assert texts(await run(sql_core, HL_INSPECTOR, TALK_INPUTS[1])) == TRY_AGAIN_ZH
    async with engine.connect() as conn:
        assert (await conn.execute(text("SELECT step, data FROM conversations"))).all() == saved

    # the same answer again continues the form as if nothing had happened
    await run(sql_core, HL_INSPECTOR, *TALK_INPUTS[1:], "@f:ok")
    assert await count(engine, "SELECT count(*) FROM warning_talks") == talks + 1


async def test_locked_sqlite_database_asks_to_try_again(
    tmp_path: Path, sqlite_template: Path, clock: ManualClock, kb: KnowledgeBase
) -> None:
    """Another process holds SQLite's write lock longer than the busy timeout."""
    import shutil

    from bot.demo.organisation import seed_demo

    path = tmp_path / "locked.db"
    shutil.copy(sqlite_template, path)
    engine = create_engine(f"sqlite:///{path}")

    def short_busy_timeout(dbapi_connection: object, _record: object) -> None:
        cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
        cursor.execute("PRAGMA busy_timeout=100")  # 5 s in production; keep the test short
        cursor.close()

    event.listen(engine.sync_engine, "connect", short_busy_timeout)
    try:
        factory = SqlUnitOfWorkFactory(session_factory(engine))
        async with factory() as uow:
            await seed_demo(uow, clock.now())
            await uow.commit()
        core = Assistant(factory, make_services(clock, kb), all_routers())
        other = sqlite3.connect(path, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # the writer lock, as a long import would hold it
        try:
            req = Request(user_id=1104, chat_id=1104, text="/me", update_id=777)
            assert texts(await core.handle(req)) == TRY_AGAIN_ZH
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert "马丽娟" in texts(await core.handle(req))  # the same update, now processed
        assert await count(engine, "SELECT count(*) FROM processed_updates") == 1
    finally:
        await engine.dispose()


async def test_reads_after_a_lost_connection_work(sql_core: Assistant, engine: AsyncEngine) -> None:
    """A lost connection during a plain read: try again, then the next request is fine."""
    fault = DatabaseFault(engine)
    fault.arm("SELECT people")
    assert texts(await say(sql_core, 1104, "/me")) == TRY_AGAIN_ZH
    assert "马丽娟" in texts(await say(sql_core, 1104, "/me"))
