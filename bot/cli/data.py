"""``lianzheng db``, ``keys``, ``backup`` and ``restore``: the schema, the encryption keys
and the data as a whole."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from bot.cli.common import Command, refuse
from bot.settings import Settings


async def _db(settings: Settings, args: argparse.Namespace) -> int:
    from sqlalchemy.engine import make_url

    from storage.db import create_engine, normalise_url
    from storage.migrate import current_revision, head_revision, upgrade

    url = make_url(normalise_url(settings.effective_database_url))
    file = url.database if url.get_backend_name() == "sqlite" else None
    if args.db_cmd != "upgrade" and file not in (None, "", ":memory:") and not Path(file).exists():
        # Only looking: connecting would leave an empty database file behind.
        print(f"current: -  head: {head_revision()} (no database at {url.database} yet)")
        return 0
    engine = create_engine(settings.effective_database_url)
    try:
        if args.db_cmd == "upgrade":
            await upgrade(engine)
            print(f"database at revision {await current_revision(engine)}")
        else:
            current = await current_revision(engine)
            print(f"current: {current or '-'}  head: {head_revision()}")
    finally:
        await engine.dispose()
    return 0


async def _keys(settings: Settings, args: argparse.Namespace) -> int:
    from bot.composition import configure_keys
    from storage.crypto import EncryptionKeyError, new_key
    from storage.db import create_engine
    from storage.keys import rotate_keys
    from storage.migrate import ensure_migrated

    if args.keys_cmd == "new":
        print(new_key())
        return 0
    if settings.encryption_keys is None:
        return refuse("set ENCRYPTION_KEYS=NEW,OLD first (the new key first)")
    configure_keys(settings)
    engine = create_engine(settings.effective_database_url)
    try:
        await ensure_migrated(engine)
        n = await rotate_keys(engine)
    except EncryptionKeyError as exc:
        return refuse(str(exc), 1)
    finally:
        await engine.dispose()
    keys = [k for k in settings.encryption_keys.get_secret_value().split(",") if k.strip()]
    if len(keys) > 1:
        print(f"re-encrypted {n} value(s) with the first key; the old key can now be removed")
    else:
        print(f"encrypted {n} value(s) with the key")
    return 0


async def _backup(settings: Settings, args: argparse.Namespace) -> int:
    from bot.cli.backup import BackupError, backup

    try:
        path = await asyncio.to_thread(backup, settings.effective_database_url, args.file)
    except BackupError as exc:
        return refuse(str(exc), 1)
    print(f"backup written to {path}")
    return 0


async def _restore(settings: Settings, args: argparse.Namespace) -> int:
    from bot.cli.backup import BackupError, restore

    if not args.yes:
        return refuse("restore replaces all current data; run again with --yes to confirm")
    try:
        await asyncio.to_thread(restore, settings.effective_database_url, args.file)
    except BackupError as exc:
        return refuse(str(exc), 1)
    print(f"database restored from {args.file}")
    return 0


def _db_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="db_cmd", required=True)
    sub.add_parser("upgrade", help="apply all migrations")
    sub.add_parser("current", help="show the schema revision")


def _keys_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="keys_cmd", required=True)
    sub.add_parser("new", help="print a new random key")
    sub.add_parser("rotate", help="re-encrypt everything with the first key in ENCRYPTION_KEYS")


def _backup_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path)


def _restore_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", type=Path)
    p.add_argument("--yes", action="store_true", help="confirm replacing the current data")


DB = Command("db", "database schema", _db_arguments, _db)
KEYS = Command("keys", "encryption keys for sensitive records", _keys_arguments, _keys)
BACKUP = Command("backup", "back up the database to a file", _backup_arguments, _backup)
RESTORE = Command(
    "restore",
    "restore the database from a backup (stop the bot first)",
    _restore_arguments,
    _restore,
)
