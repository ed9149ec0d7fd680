"""An admin statement on a PostgreSQL server: the test fixtures and the benchmarks create and
drop their own databases with it."""

from __future__ import annotations


async def pg_admin(admin_url: str, sql: str) -> None:
    """Run ``sql`` on its own connection (CREATE/DROP DATABASE cannot run in a transaction)."""
    import asyncpg
    from sqlalchemy.engine import make_url

    u = make_url(admin_url)
    conn = await asyncpg.connect(
        host=u.host or "127.0.0.1",
        port=u.port or 5432,
        user=u.username or "postgres",
        password=u.password,
        database=u.database or "postgres",
    )
    try:
        await conn.execute(sql)
    finally:
        await conn.close()
