"""PostgreSQL restarted, or gone for a while, under a running assistant and dispatcher.

A restart is simulated by terminating every server connection of the test database
(``pg_terminate_backend``): that is exactly what a restart does to the bot's connections,
without disturbing anyone else on the shared server. "Gone for a while" is a loopback TCP
proxy in front of the server that is stopped (connections cut, new ones refused) and
started again.
"""

from __future__ import annotations

import asyncio
import inspect
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.scheduler.dispatcher import ReminderTask
from handlers.core.app import Assistant
from handlers.core.clock import ManualClock
from handlers.core.errors import Unavailable
from handlers.registry import all_routers
from knowledge.retrieval import KnowledgeBase
from storage.db import create_engine, session_factory
from storage.uow import SqlUnitOfWorkFactory
from tests.conftest import make_services
from tests.handlers.core.helpers import say, texts
from tests.handlers.reminders.helpers import FakeSender, make_dispatcher
from tests.storage.faults import DatabaseFault, TcpProxy, database_name, terminate_backends
from tests.storage.reminders.test_flow import CADRES, at
from tests.storage.test_db_faults import TRY_AGAIN_ZH

pytestmark = pytest.mark.storage


def postgres_only(db_url: str) -> None:
    if db_url.startswith("sqlite"):
        pytest.skip("a server restart is a PostgreSQL matter")


async def eventually(check: Callable[[], bool | Awaitable[bool]], timeout: float = 30.0) -> None:
    """Poll ``check`` until it holds (bounded; no fixed sleeps)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        result = check()
        if await result if inspect.isawaitable(result) else result:
            return
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError("condition not reached in time")
        await asyncio.sleep(0.02)


async def due_now(engine: AsyncEngine, clock: ManualClock) -> set[int]:
    """The deliveries due at the clock's time."""
    async with engine.connect() as conn:
        rows = await conn.execute(
            text("SELECT id FROM reminder_deliveries WHERE status = 'pending' AND due_at <= :now"),
            {"now": clock.now()},
        )
        return {r[0] for r in rows}


async def recorded(engine: AsyncEngine, ids: set[int]) -> list[int]:
    """How often each of these deliveries was recorded as sent."""
    async with engine.connect() as conn:
        rows = (await conn.execute(text("SELECT id, sends FROM reminder_deliveries"))).all()
    return sorted(sends for i, sends in rows if i in ids)


async def test_restart_while_idle_is_invisible(
    db_url: str, sql_core: Assistant, sql_uow: SqlUnitOfWorkFactory, clock: ManualClock
) -> None:
    """Every pooled connection dies between requests: pool_pre_ping replaces them, so
    neither people nor the dispatcher notice anything."""
    postgres_only(db_url)
    sender = FakeSender()
    dispatcher = make_dispatcher(sql_uow, sender, clock, sources=())
    await dispatcher.plan()
    assert "马丽娟" in texts(await say(sql_core, 1104, "/me"))

    await terminate_backends(database_name(db_url))

    assert "马丽娟" in texts(await say(sql_core, 1104, "/me"))
    clock.set(at(3, 17, 9, 0))
    assert (await dispatcher.dispatch_once()).sent == CADRES


async def test_restart_mid_request_and_mid_batch(
    db_url: str,
    sql_core: Assistant,
    sql_uow: SqlUnitOfWorkFactory,
    engine: AsyncEngine,
    clock: ManualClock,
) -> None:
    """The restart hits one request and the dispatcher's batch; only the request in flight
    gets "try again", and the dispatcher loop sends everything, duplicating at most the one
    reminder that was being sent."""
    postgres_only(db_url)
    fault = DatabaseFault(engine)
    sender = FakeSender()
    dispatcher = make_dispatcher(sql_uow, sender, clock, sources=(), max_in_flight=1)
    await dispatcher.plan()
    clock.set(at(3, 17, 9, 0))
    due = await due_now(engine, clock)
    assert len(due) == CADRES

    # a request in flight when the server goes down
    fault.arm("INSERT INTO questions", everyone=True)
    assert texts(await say(sql_core, 1104, "诫勉谈话后多久不能提拔")) == TRY_AGAIN_ZH
    assert fault.fired
    assert "依据" in texts(await say(sql_core, 1104, "诫勉谈话后多久不能提拔"))

    # the dispatcher loop running when the server goes down: the first reminder is sent,
    # and recording it hits the dead connection
    fault.arm(r"UPDATE reminder_deliveries SET .*sent_at=", everyone=True)
    task = ReminderTask(dispatcher, interval=0.01).start()
    try:
        await eventually(lambda: len(fault.fired) == 2)
        # the loop goes on, but the rest of the claimed batch waits for its lease
        await eventually(lambda: _recorded_once(engine, due, 0))
        in_flight = set(sender.delivery_ids())
        assert len(in_flight) == 1  # sent, not recorded: the server went down meanwhile
        clock.advance(timedelta(seconds=dispatcher.cfg.lease_seconds + 1))
        await eventually(lambda: _recorded_once(engine, due, CADRES))
    finally:
        await task.stop()
    assert await recorded(engine, due) == [1] * CADRES
    counts = Counter(sender.delivery_ids())
    assert set(counts) == due  # none lost
    assert {i for i, n in counts.items() if n > 1} == in_flight  # only it went out twice
    assert max(counts.values()) == 2
    # and people are served as before
    assert "马丽娟" in texts(await say(sql_core, 1104, "/me"))


async def _recorded_once(engine: AsyncEngine, ids: set[int], n: int) -> bool:
    return (await recorded(engine, ids)).count(1) == n


async def test_server_down_then_back(
    db_url: str, sql_core: Assistant, clock: ManualClock, kb: KnowledgeBase
) -> None:
    """The database is unreachable for a while: each request meanwhile gets "try again"
    promptly, the dispatcher's run fails without harm, and both recover once it is back."""
    postgres_only(db_url)
    url = make_url(db_url)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432)
    port = await proxy.start()
    engine = create_engine(url.set(port=port).render_as_string(hide_password=False))
    try:
        uow = SqlUnitOfWorkFactory(session_factory(engine))
        core = Assistant(uow, make_services(clock, kb), all_routers())
        sender = FakeSender()
        dispatcher = make_dispatcher(uow, sender, clock, sources=())
        await dispatcher.plan()
        assert "马丽娟" in texts(await say(core, 1104, "/me"))

        await proxy.stop()
        for _ in range(3):
            assert texts(await say(core, 1104, "/me")) == TRY_AGAIN_ZH
        clock.set(at(3, 17, 9, 0))
        with pytest.raises(Unavailable):
            await dispatcher.dispatch_once()
        assert not sender.sent

        await proxy.start()
        assert "马丽娟" in texts(await say(core, 1104, "/me"))
        assert (await dispatcher.dispatch_once()).sent == CADRES
    finally:
        await engine.dispose()
        await proxy.stop()
