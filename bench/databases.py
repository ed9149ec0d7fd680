"""PostgreSQL databases of the benchmarks: each run creates its own next to the server
named by ``LZ_BENCH_POSTGRES_URL`` and drops it when done."""

from __future__ import annotations

import os
import uuid

from tests.postgres import pg_admin


def admin_url() -> str:
    """``LZ_BENCH_POSTGRES_URL``, the server's maintenance database (exits when unset)."""
    url = os.environ.get("LZ_BENCH_POSTGRES_URL", "")
    if not url:
        raise SystemExit(
            "set LZ_BENCH_POSTGRES_URL, e.g. postgresql://postgres@127.0.0.1:5432/postgres"
        )
    return url


def database_url(name: str) -> str:
    """The URL of database ``name`` on the benchmark's server."""
    return f"{admin_url().rsplit('/', 1)[0]}/{name}"


async def create_pg_database(prefix: str) -> tuple[str, str]:
    """Create an empty database named ``prefix`` and a random suffix; returns (url, name)."""
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    await pg_admin(admin_url(), f'CREATE DATABASE "{name}"')
    return database_url(name), name


async def drop_pg_database(name: str) -> None:
    """Drop a database made by :func:`create_pg_database` (its connections are ended)."""
    await pg_admin(admin_url(), f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
