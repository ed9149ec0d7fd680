"""Migrations run up from empty on both engines; the app refuses an un-migrated database."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import pytest
from sqlalchemy import inspect

from storage.db import create_engine
from storage.migrate import NotMigrated, current_revision, ensure_migrated, head_revision, upgrade
from storage.schema import Base

pytestmark = pytest.mark.storage


@pytest.fixture(params=["sqlite", "postgresql"])
async def empty_url(request: pytest.FixtureRequest, tmp_path: Path):  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}"
        return
    from tests import conftest

    if not conftest.PG_ADMIN_URL:
        pytest.skip("PostgreSQL not configured: set LZ_TEST_POSTGRES_URL (.ci/run does)")
    name = f"lzt_{conftest.RUN_ID}_{uuid.uuid4().hex[:8]}"
    await conftest._pg_admin(f'CREATE DATABASE "{name}"')
    try:
        yield conftest._pg_url(name)
    finally:
        await conftest._pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


async def test_upgrade_from_empty_creates_every_table(empty_url: str) -> None:
    engine = create_engine(empty_url)
    try:
        with pytest.raises(NotMigrated, match="lianzheng db upgrade"):
            await ensure_migrated(engine)
        await upgrade(engine)
        assert await current_revision(engine) == head_revision()
        await ensure_migrated(engine)
        async with engine.connect() as conn:
            tables = set(await conn.run_sync(lambda c: inspect(c).get_table_names()))
        assert set(Base.metadata.tables) <= tables
        await upgrade(engine)  # idempotent
    finally:
        await engine.dispose()


async def test_models_match_migrations(empty_url: str) -> None:
    """Autogenerate against the migrated schema finds nothing to do."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    engine = create_engine(empty_url)
    try:
        await upgrade(engine)
        async with engine.connect() as conn:
            diff = await conn.run_sync(
                lambda c: compare_metadata(MigrationContext.configure(c), Base.metadata)
            )
        assert diff == []
    finally:
        await engine.dispose()


def test_cli_refuses_unmigrated_database(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.db'}"}
    env.pop("BOT_TOKEN", None)
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "console", "--as", "1001"],
        input="",
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=tmp_path,
    )
    assert proc.returncode == 3
    assert "lianzheng db upgrade" in proc.stderr
    shutil.rmtree(tmp_path / "data", ignore_errors=True)


async def test_the_demo_survives_the_record_model_migrations_both_ways(empty_url: str) -> None:
    """The demo database taken back to 0012 (before tracks, revocation and the rating flag)
    and forward again keeps every record; the tracks are derived again as the code derives
    them (issue 17: records carried to the new model with nothing lost)."""
    from datetime import UTC, datetime

    from alembic import command
    from sqlalchemy import text

    from bot.demo.organisation import seed_demo
    from handlers.records.domain import handling_track
    from storage.db import session_factory
    from storage.migrate import alembic_config
    from storage.uow import SqlUnitOfWorkFactory

    engine = create_engine(empty_url)
    try:
        await upgrade(engine)
        async with SqlUnitOfWorkFactory(session_factory(engine))() as uow:
            await seed_demo(uow, datetime(2026, 12, 4, 6, 0, tzinfo=UTC))
            await uow.commit()

        async def snapshot() -> dict[str, list[tuple[object, ...]]]:
            async with engine.connect() as conn:
                people = (
                    await conn.execute(
                        text(
                            "SELECT id, case_id, person_id, category, kind, effective_on "
                            "FROM accountability_people ORDER BY id"
                        )
                    )
                ).all()
                results = (
                    await conn.execute(
                        text(
                            "SELECT id, unit_id, person_id, year, result FROM assessments ORDER BY id"
                        )
                    )
                ).all()
            return {
                "people": [tuple(r) for r in people],
                "assessments": [tuple(r) for r in results],
            }

        before = await snapshot()
        assert before["people"] and before["assessments"]

        def down(connection):  # type: ignore[no-untyped-def]
            cfg = alembic_config()
            cfg.attributes["connection"] = connection
            command.downgrade(cfg, "0012")

        async with engine.begin() as conn:
            await conn.run_sync(down)
        assert await current_revision(engine) == "0012"
        await upgrade(engine)
        assert await snapshot() == before
        async with engine.connect() as conn:
            rows = (
                await conn.execute(text("SELECT category, kind, track FROM accountability_people"))
            ).all()
        assert all(track == handling_track(category, kind) for category, kind, track in rows)
    finally:
        await engine.dispose()
