"""The ``lianzheng`` command line (also ``python -m bot``): the table of commands, the
parser built from it, and what every command goes through (settings, logging, exit codes).

Each command lives with its group: ``chat`` (run, console, demo), ``data`` (db, keys,
backup, restore), ``org`` (invite, admin, unit, org), ``audit``, ``summary``,
``reminders`` (reminders, calendar) and ``kb``.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from bot.cli import audit, chat, data, kb, org, reminders, summary
from bot.cli.common import Command
from bot.settings import Settings, load_settings

#: Every command, in the order ``lianzheng --help`` lists them.
COMMANDS: tuple[Command, ...] = (
    chat.RUN,
    chat.CONSOLE,
    data.DB,
    org.INVITE,
    org.ADMIN,
    org.UNIT,
    org.ORG,
    data.KEYS,
    data.BACKUP,
    data.RESTORE,
    audit.AUDIT,
    summary.SUMMARY,
    summary.REFRESH,
    chat.DEMO,
    reminders.REMINDERS,
    reminders.CALENDAR,
    kb.KB,
)
BY_NAME = {c.name: c for c in COMMANDS}


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="lianzheng", description="廉政助手 — clean-government assistant"
    )
    sub = p.add_subparsers(dest="cmd")
    for command in COMMANDS:
        command.arguments(sub.add_parser(command.name, help=command.help))
    return p


def _setup_logging(settings: Settings, cmd: str) -> None:
    """Log to stderr, or to a file for the console chat (whose screen stdout and stderr
    are); every secret of the settings is masked."""
    from bot.logs import setup_console_logging, setup_logging

    secrets = (settings.bot_token, settings.webhook_secret, settings.encryption_keys)
    values = [s.get_secret_value() for s in secrets if s is not None]
    # Each encryption key of a comma-separated list is a secret of its own.
    all_secrets = [*values, *(k for v in values for k in v.split(","))]
    if cmd == "console" or (cmd == "run" and settings.bot_token is None):
        # The console chat is on stdout and stderr: its log goes to a file, said once here.
        where = setup_console_logging(settings.log_level, all_secrets, settings.data_dir)
        print(where, file=sys.stderr)
    else:
        setup_logging(settings.log_level, all_secrets)


def _cause(exc: BaseException) -> str:
    """The part of an error an operator can act on (a database error's driver message)."""
    orig = getattr(exc, "orig", None)
    return str(orig if orig is not None else exc).splitlines()[0]


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments and run the chosen command; returns the exit code."""
    args = _parser().parse_args(argv)
    cmd = args.cmd or "run"
    command = BY_NAME.get(cmd)
    if command is not None and command.offline is not None:
        return command.offline(args)
    try:
        settings = load_settings()
    except Exception as exc:  # pydantic's ValidationError: show it without a traceback
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
    _setup_logging(settings, cmd)
    if args.cmd is None:
        args = _parser().parse_args(["run"])
    if command is None or command.run is None:
        _parser().print_help()
        return 2
    from sqlalchemy.exc import DBAPIError

    from storage.crypto import EncryptionKeyError
    from storage.migrate import NotMigrated

    try:
        return asyncio.run(command.run(settings, args))
    except (OSError, OverflowError, DBAPIError) as exc:
        # A path that cannot be written, a number no column holds, a file that is not a
        # database: say so in one line, not as a traceback.
        print(f"cannot do that: {_cause(exc)}", file=sys.stderr)
        return 1
    except NotMigrated as exc:
        print(str(exc), file=sys.stderr)
        return 3
    except EncryptionKeyError as exc:
        print(f"refusing to start: {exc}", file=sys.stderr)
        return 4
    except KeyboardInterrupt:
        return 130
