"""Processed Telegram update ids in ``processed_updates``: each update is handled once."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from storage.core.models import ProcessedUpdateRow
from storage.core.sql import SqlRepository, dialect_name, rowcount


def _claim(insert_fn: Any) -> Any:
    table = ProcessedUpdateRow.__table__
    return (
        insert_fn(table)
        .values(update_id=bindparam("update_id"), bot_key="", at=bindparam("at"))
        .on_conflict_do_nothing(index_elements=["update_id", "bot_key"])
    )


# Run on every request: built once per dialect (see storage/core/people.py).
_CLAIM_PG = _claim(pg_insert)
_CLAIM_SQLITE = _claim(sqlite_insert)


class SqlUpdateLog(SqlRepository):
    """Processed update ids, claimed with an insert that ignores conflicts."""

    async def claim(self, update_id: int, at: datetime) -> bool:
        """Insert the id; a conflict means another request (or instance) already took it."""
        stmt = _CLAIM_PG if dialect_name(self.s) == "postgresql" else _CLAIM_SQLITE
        result = await self.s.execute(stmt, {"update_id": update_id, "at": at})
        return rowcount(result) == 1
