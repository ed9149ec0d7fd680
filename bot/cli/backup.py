"""Backups: SQLite through its online backup API, PostgreSQL through pg_dump / pg_restore."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.cli.common import PRIVATE_FILE, create_private
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


#: The first bytes of each kind of backup this module writes.
SQLITE_MAGIC = b"SQLite format 3\x00"
PG_CUSTOM_MAGIC = b"PGDMP"


def _writable_target(target: Path) -> Path:
    """The folder-checked ``target``; refused with a message when it is a folder, or its
    folder cannot be made (a file stands in the way, no permission)."""
    if str(target) in ("", ".") or target.is_dir():
        raise BackupError(f"{target} is a folder: give a file name for the backup")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(f"cannot create the folder for {target}: {exc.strerror}") from None
    return target


def _check_backup_file(source: Path, sqlite: bool) -> None:
    """Refuse, with a clear message and before touching the database, a file that is not a
    backup of this assistant."""
    with source.open("rb") as f:
        head = f.read(16)
    if sqlite:
        if head != SQLITE_MAGIC:
            raise BackupError(f"{source} is not an SQLite backup (nothing was changed)")
        try:
            with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as db:
                tables = {r[0] for r in db.execute("select name from sqlite_master")}
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{source} cannot be read: {exc} (nothing was changed)") from exc
        # A backup made by `lianzheng backup` carries the schema's revision; two tables of the
        # same names alone do not make one (restored, `db upgrade` then failed).
        if not {"people", "units", "alembic_version"} <= tables:
            raise BackupError(f"{source} is not a backup of this assistant (nothing was changed)")
    elif not head.startswith(PG_CUSTOM_MAGIC):
        raise BackupError(f"{source} is not a pg_dump backup (nothing was changed)")


def backup(url: str, target: Path) -> Path:
    """Write a consistent copy of the database at ``url`` to ``target`` (mode 0600).

    The copy is written next to ``target`` and renamed over it only once complete: a backup
    that fails leaves an earlier one in its place untouched.
    """
    target = _writable_target(target)
    sqlite = make_url(normalise_url(url)).get_backend_name() == "sqlite"
    if sqlite:
        source = _sqlite_path(url)
        if not source.exists():
            raise BackupError(f"no database at {source}")
        if target.exists() and target.resolve() == source.resolve():
            raise BackupError(f"{target} is the live database itself; choose another file")
    elif shutil.which("pg_dump") is None:
        raise BackupError("pg_dump is not installed (Debian: postgresql-client)")
    part = target.with_name(f".{target.name}.part")
    try:
        create_private(part)  # a backup holds every record: its owner's only
        if sqlite:
            _copy_sqlite(source, part)
        else:
            _pg_dump(url, part)
        os.replace(part, target)
    except OSError as exc:
        raise BackupError(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        part.unlink(missing_ok=True)
    return target


def _copy_sqlite(source: Path, part: Path) -> None:
    """Copy a consistent snapshot of an SQLite database of this assistant into ``part``."""
    try:
        # The online backup API copies a consistent snapshot while the bot keeps running.
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as src:
            tables = {r[0] for r in src.execute("select name from sqlite_master")}
            if "people" not in tables:
                raise BackupError(
                    f"{source} holds no data of this assistant (run `lianzheng db upgrade` first?)"
                )
            with sqlite3.connect(part) as dst:
                src.backup(dst)
    except sqlite3.DatabaseError as exc:
        raise BackupError(f"{source} cannot be read: {exc}") from None


def _pg_dump(url: str, part: Path) -> None:
    """Dump the PostgreSQL database at ``url`` into ``part`` (custom format)."""
    args, env = _pg_args(url)
    database = make_url(normalise_url(url)).database or ""
    cmd = ["pg_dump", *args, "-Fc", "-f", str(part), database]
    result = subprocess.run(cmd, capture_output=True, text=True, env={**_base_env(), **env})
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    os.chmod(part, PRIVATE_FILE)


def restore(url: str, source: Path) -> None:
    """Replace the database at ``url`` with the backup in ``source`` (stop the bot first)."""
    if not source.is_file():
        raise BackupError(f"no backup file {source}")
    sqlite = make_url(normalise_url(url)).get_backend_name() == "sqlite"
    _check_backup_file(source, sqlite)
    if sqlite:
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
    return dict(os.environ)
