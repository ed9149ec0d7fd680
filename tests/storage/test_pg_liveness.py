"""Pooled PostgreSQL connections are checked at checkout without a round trip.

``storage.liveness`` replaces ``pool_pre_ping``: a connection the server closed is known to
the driver and replaced for free; only one idle for long is pinged.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

import storage.liveness
from tests.storage.faults import database_name, terminate_backends

pytestmark = pytest.mark.storage


@pytest.fixture
def pings(engine: AsyncEngine, db_url: str, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the dialect's pings on the test engine (PostgreSQL only)."""
    if db_url.startswith("sqlite"):
        pytest.skip("connection liveness is a PostgreSQL matter")
    calls: list[int] = []
    dialect: Any = engine.sync_engine.dialect
    real = dialect.do_ping

    def counting(dbapi_connection: Any) -> bool:
        calls.append(1)
        return bool(real(dbapi_connection))

    monkeypatch.setattr(dialect, "do_ping", counting)
    return calls


async def select_one(engine: AsyncEngine) -> int:
    async with engine.connect() as conn:
        return int((await conn.execute(text("SELECT 1"))).scalar_one())


async def test_busy_connections_are_not_pinged(engine: AsyncEngine, pings: list[int]) -> None:
    for _ in range(5):
        assert await select_one(engine) == 1
    assert pings == []


async def test_connection_closed_by_server_is_replaced_without_ping(
    engine: AsyncEngine, db_url: str, pings: list[int]
) -> None:
    assert await select_one(engine) == 1
    await terminate_backends(database_name(db_url))
    assert await select_one(engine) == 1
    assert pings == []


async def test_long_idle_connection_is_pinged_and_replaced_when_dead(
    engine: AsyncEngine, db_url: str, pings: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A connection dropped without the driver noticing (a middlebox) is caught by the
    idle ping."""
    assert await select_one(engine) == 1
    await terminate_backends(database_name(db_url))
    import asyncpg

    # As if the server's goodbye never reached us: the driver still thinks it is open.
    monkeypatch.setattr(asyncpg.Connection, "is_closed", lambda self: False)
    monkeypatch.setattr(storage.liveness, "IDLE_PING_SECONDS", 0.0)
    assert await select_one(engine) == 1
    assert len(pings) >= 1


async def test_without_the_checks_a_closed_connection_fails_the_request(
    db_url: str,
) -> None:
    """The control: the same restart with the checks removed breaks the next request, so
    the tests above prove the checks and not luck."""
    if db_url.startswith("sqlite"):
        pytest.skip("connection liveness is a PostgreSQL matter")
    from sqlalchemy.ext.asyncio import create_async_engine

    from storage.db import normalise_url

    bare = create_async_engine(normalise_url(db_url))
    try:
        assert await select_one(bare) == 1
        await terminate_backends(database_name(db_url))
        with pytest.raises(Exception, match=r"(?i)connection"):
            await select_one(bare)
    finally:
        await bare.dispose()


async def test_fill_pool_opens_the_pool_before_traffic(engine: AsyncEngine, db_url: str) -> None:
    from storage.db import fill_pool

    opened = await fill_pool(engine)
    pool: Any = engine.sync_engine.pool
    if db_url.startswith("sqlite"):
        assert opened == 0
    else:
        assert opened == pool.size() == pool.checkedin()
