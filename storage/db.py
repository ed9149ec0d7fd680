"""Engine and session factory construction (never at import time)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from storage.liveness import install_liveness_checks

#: How long to wait for PostgreSQL to accept a new connection.
CONNECT_TIMEOUT_SECONDS = 10


def normalise_url(url: str) -> str:
    """Add the async driver to plain ``sqlite://`` and ``postgresql://`` URLs."""
    if url.startswith("sqlite:///") and "+aiosqlite" not in url:
        url = url.replace("sqlite:///", "sqlite+aiosqlite:///", 1)
    elif url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+asyncpg://" + url.split("://", 1)[1]
    return url


def is_sqlite(url: str) -> bool:
    """True for SQLite URLs."""
    return make_url(normalise_url(url)).get_backend_name() == "sqlite"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # Foreign keys are off by default in SQLite; WAL lets the console and a reader coexist.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def create_engine(url: str, echo: bool = False) -> AsyncEngine:
    """Create the async engine for ``url`` (SQLite file folders are created as needed)."""
    url = normalise_url(url)
    parsed = make_url(url)
    kwargs: dict[str, Any] = {"echo": echo}
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
    else:
        # After a server restart every pooled connection is dead; each is noticed when
        # checked out and silently replaced (storage.liveness, which replaces
        # pool_pre_ping's round trips; tests/storage/test_pg_restart.py).
        # pool_recycle: firewalls and poolers drop connections idle for long.
        kwargs.update(pool_recycle=1800, pool_size=10, max_overflow=10)
        if parsed.get_driver_name() == "asyncpg":
            # asyncpg waits 60 s for an unreachable server by default; a person waiting
            # for "try again" should not wait that long.
            kwargs["connect_args"] = {"timeout": CONNECT_TIMEOUT_SECONDS}
    engine = create_async_engine(url, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
    else:
        install_liveness_checks(engine)
    return engine


async def fill_pool(engine: AsyncEngine) -> int:
    """Open the pool's connections now rather than under the first burst of requests.

    A new PostgreSQL connection costs a server process, authentication and the driver's
    type set-up; opened on demand, they all arrive when traffic jumps, exactly when the
    bot has the least time to spare. Returns how many were opened (0 for SQLite).
    """
    if engine.dialect.name == "sqlite":
        return 0
    size = getattr(engine.sync_engine.pool, "size", lambda: 0)()
    held = []
    try:
        for _ in range(size):
            conn = await engine.connect()
            held.append(conn)
            await conn.execute(text("SELECT 1"))
    finally:
        for conn in held:
            await conn.close()
    return len(held)


def session_factory(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    """Sessions that do not expire objects on commit (we map rows to dataclasses anyway)."""
    return async_sessionmaker(engine, expire_on_commit=False)
