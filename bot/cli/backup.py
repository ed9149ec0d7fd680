"""Backups: SQLite through its online backup API, PostgreSQL through pg_dump / pg_restore."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from storage.db import normalise_url


class BackupError(RuntimeError):
    """A backup or restore could not be done; the message says why."""


def _sqlite_path(url: str) -> Path:
    database = make_url(normalise_url(url)).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(database)


def _pg_args(url: str) -> tuple[list[str], dict[str, str]]:
    u = make_url(normalise_url(url))
    args = ["-h", u.host or "127.0.0.1", "-p", str(u.port or 5432), "-U", u.username or "postgres"]
    env = {"PGPASSWORD": u.password} if u.password else {}
    return args, env


def backup(url: str, target: Path) -> Path:
    """Write a consistent copy of the database at ``url`` to ``target``."""
    target.parent.mkdir(parents=True, exist_ok=True)
    if make_url(normalise_url(url)).get_backend_name() == "sqlite":
        source = _sqlite_path(url)
        if not source.exists():
            raise BackupError(f"no database at {source}")
        # The online backup API copies a consistent snapshot while the bot keeps running.
        with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        return target
    if shutil.which("pg_dump") is None:
        raise BackupError("pg_dump is not installed (Debian: postgresql-client)")
    args, env = _pg_args(url)
    database = make_url(normalise_url(url)).database or ""
    cmd = ["pg_dump", *args, "-Fc", "-f", str(target), database]
    result = subprocess.run(cmd, capture_output=True, text=True, env={**_base_env(), **env})
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    return target


def restore(url: str, source: Path) -> None:
    """Replace the database at ``url`` with the backup in ``source`` (stop the bot first)."""
    if not source.exists():
        raise BackupError(f"no backup file {source}")
    if make_url(normalise_url(url)).get_backend_name() == "sqlite":
        target = _sqlite_path(url)
        target.parent.mkdir(parents=True, exist_ok=True)
        with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
            src.backup(dst)
        return
    if shutil.which("pg_restore") is None:
        raise BackupError("pg_restore is not installed (Debian: postgresql-client)")
    args, env = _pg_args(url)
    database = make_url(normalise_url(url)).database or ""
    cmd = ["pg_restore", *args, "--clean", "--if-exists", "--no-owner", "-d", database, str(source)]
    result = subprocess.run(cmd, capture_output=True, text=True, env={**_base_env(), **env})
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")


def _base_env() -> dict[str, str]:
    import os

    return dict(os.environ)
