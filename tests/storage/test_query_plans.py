"""Hot background queries use their indexes (checked with SQLite's query planner)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.uow import SqlUnitOfWorkFactory

pytestmark = pytest.mark.storage


async def test_abandoned_tests_are_found_through_the_open_attempts_index(
    engine: AsyncEngine, sql_uow: SqlUnitOfWorkFactory, db_url: str
) -> None:
    if not db_url.startswith("sqlite"):
        pytest.skip("PostgreSQL picks plans by table size; SQLite's plan is deterministic")
    seen: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if "quiz_attempts" in statement:
            seen.append((statement, params))

    event.listen(engine.sync_engine, "before_cursor_execute", capture)
    try:
        async with sql_uow() as uow:
            assert await uow.quiz.expired(datetime(2026, 8, 20, tzinfo=UTC), 10) == []
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", capture)
    [(statement, params)] = seen
    async with engine.connect() as conn:
        raw = await conn.get_raw_connection()
        cursor = await raw.driver_connection.execute(f"EXPLAIN QUERY PLAN {statement}", params)
        plan = " ".join(str(row[-1]) for row in await cursor.fetchall())
    assert "ix_quiz_attempts_open_deadline" in plan, plan
