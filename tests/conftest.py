"""Shared fixtures: a fake clock, the rule base, the core on fakes, and databases.

Storage tests take the ``db_url`` fixture, which runs them on SQLite and on PostgreSQL.
PostgreSQL needs ``LZ_TEST_POSTGRES_URL`` (an admin connection, e.g.
``postgresql://postgres@127.0.0.1:5432/postgres``); each test gets its own database,
cloned from a migrated template made once per run, and dropped afterwards.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from handlers.core.app import Assistant
from handlers.core.clock import ManualClock
from handlers.core.context import CoreConfig, Services
from handlers.registry import all_routers
from knowledge.retrieval import KnowledgeBase
from knowledge.startup import load_knowledge_base
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.postgres import pg_admin

PG_ADMIN_URL = os.environ.get("LZ_TEST_POSTGRES_URL", "")
RUN_ID = uuid.uuid4().hex[:8]


@pytest.fixture
def clock() -> ManualClock:
    """Tuesday 10 March 2026, 10:00 in Shanghai."""
    return ManualClock(datetime(2026, 3, 10, 2, 0, tzinfo=UTC))


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    """The built-in rule base, indexed once per run."""
    return load_knowledge_base()


def make_services(clock: ManualClock, kb: KnowledgeBase | None) -> Services:
    """Core services for tests."""
    return Services(clock=clock, config=CoreConfig(bot_username="lianzheng_test_bot"), kb=kb)


@pytest.fixture
async def fake_uow() -> FakeUnitOfWorkFactory:
    """A fake unit-of-work factory loaded with the demo organisation."""
    from bot.demo.organisation import seed_demo

    factory = FakeUnitOfWorkFactory()
    async with factory() as uow:
        await seed_demo(uow, datetime(2026, 1, 1, tzinfo=UTC))
        await uow.commit()
    return factory


@pytest.fixture
def core(fake_uow: FakeUnitOfWorkFactory, clock: ManualClock, kb: KnowledgeBase) -> Assistant:
    """The assistant on fakes with the demo organisation."""
    return Assistant(fake_uow, make_services(clock, kb), all_routers())


# -- databases ------------------------------------------------------------------------------
def _pg_url(database: str) -> str:
    from sqlalchemy.engine import make_url

    from storage.db import normalise_url

    return (
        make_url(normalise_url(PG_ADMIN_URL))
        .set(database=database)
        .render_as_string(hide_password=False)
    )


async def _pg_admin(sql: str) -> None:
    await pg_admin(PG_ADMIN_URL, sql)


async def _migrate(url: str) -> None:
    from storage.db import create_engine
    from storage.migrate import upgrade

    engine = create_engine(url)
    try:
        await upgrade(engine)
    finally:
        await engine.dispose()


def _run_sync(coro: object) -> None:
    """Run a coroutine to completion from sync code, even inside a running event loop."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, coro).result()  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file copied for each test."""
    path = tmp_path_factory.mktemp("db") / "template.db"
    _run_sync(_migrate(f"sqlite+aiosqlite:///{path}"))
    return path


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A migrated PostgreSQL database used as template for each test's database."""
    if not PG_ADMIN_URL:
        pytest.skip("PostgreSQL not configured: set LZ_TEST_POSTGRES_URL (.ci/run does)")
    name = f"lzt_{RUN_ID}_tpl"
    _run_sync(_pg_admin(f'CREATE DATABASE "{name}"'))
    _run_sync(_migrate(_pg_url(name)))
    yield name
    _run_sync(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(params=["sqlite", "postgresql"])
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    """A freshly migrated, empty database URL: once SQLite, once PostgreSQL."""
    if request.param == "sqlite":
        path = tmp_path / "test.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        yield f"sqlite+aiosqlite:///{path}"
        return
    template = request.getfixturevalue("pg_template")
    name = f"lzt_{RUN_ID}_{uuid.uuid4().hex[:8]}"
    await _pg_admin(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield _pg_url(name)
    finally:
        await _pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
async def engine(db_url: str) -> AsyncIterator[object]:
    """An async engine on the test database."""
    from storage.db import create_engine

    eng = create_engine(db_url)
    yield eng
    await eng.dispose()


@pytest.fixture
def sql_uow(engine: object) -> object:
    """A SQL unit-of-work factory on the test database."""
    from storage.db import session_factory
    from storage.uow import SqlUnitOfWorkFactory

    return SqlUnitOfWorkFactory(session_factory(engine))  # type: ignore[arg-type]


@pytest.fixture
async def sql_core(sql_uow: object, clock: ManualClock, kb: KnowledgeBase) -> Assistant:
    """The assistant on a real database with the demo organisation."""
    from bot.demo.organisation import seed_demo

    async with sql_uow() as uow:  # type: ignore[operator]
        await seed_demo(uow, clock.now())
        await uow.commit()
    return Assistant(sql_uow, make_services(clock, kb), all_routers())  # type: ignore[arg-type]
