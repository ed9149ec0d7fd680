"""The ``lianzheng`` command line (also ``python -m bot``)."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any

from bot.settings import Settings, load_settings

log = logging.getLogger("lianzheng")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="lianzheng", description="廉政助手 — clean-government assistant"
    )
    sub = p.add_subparsers(dest="cmd")

    run = sub.add_parser(
        "run", help="run the bot (console chat on demo data when BOT_TOKEN is unset)"
    )
    run.add_argument("--mode", choices=["polling", "webhook"], default="polling")
    run.add_argument("--as", dest="as_user", type=int, default=1001, help="console user id")
    run.add_argument("--no-migrate", action="store_true", help="refuse an un-migrated database")

    con = sub.add_parser("console", help="chat with the assistant on stdin/stdout")
    con.add_argument(
        "--as", dest="as_user", type=int, required=True, help="Telegram user id to act as"
    )
    con.add_argument("--lang", default=None, help="Telegram language code of the user (e.g. en)")
    con.add_argument("--name", default="", help="display name (used when registering)")

    db = sub.add_parser("db", help="database schema")
    db_sub = db.add_subparsers(dest="db_cmd", required=True)
    db_sub.add_parser("upgrade", help="apply all migrations")
    db_sub.add_parser("current", help="show the schema revision")

    inv = sub.add_parser("invite", help="invitation codes")
    inv_sub = inv.add_subparsers(dest="invite_cmd", required=True)
    inv_create = inv_sub.add_parser("create", help="create a single-use invitation code")
    inv_create.add_argument("--unit", required=True, help="unit code")
    inv_create.add_argument(
        "--role", required=True, help="cadre|unit_head|inspector|supervisor|admin"
    )
    inv_create.add_argument("--name", default="", help="name of the person invited")
    inv_create.add_argument("--days", type=int, default=None, help="days until it expires")

    adm = sub.add_parser("admin", help="administrators")
    adm_sub = adm.add_subparsers(dest="admin_cmd", required=True)
    adm_create = adm_sub.add_parser("create", help="create the first administrator")
    adm_create.add_argument("--unit", required=True, help="unit code the administrator manages")
    adm_create.add_argument("--name", required=True)
    adm_create.add_argument(
        "--telegram-id",
        type=int,
        default=None,
        help="bind directly; without it an invitation code is printed",
    )

    unit = sub.add_parser("unit", help="units")
    unit_sub = unit.add_subparsers(dest="unit_cmd", required=True)
    unit_add = unit_sub.add_parser("add", help="add one unit")
    unit_add.add_argument("--code", required=True)
    unit_add.add_argument("--name", required=True)
    unit_add.add_argument(
        "--level", required=True, choices=["city", "county", "department", "township"]
    )
    unit_add.add_argument("--parent", default=None, help="parent unit code")

    org = sub.add_parser("org", help="organisation lists")
    org_sub = org.add_subparsers(dest="org_cmd", required=True)
    org_import = org_sub.add_parser("import", help="import units and people from CSV or XLSX")
    org_import.add_argument("files", nargs="+", type=Path)
    org_import.add_argument("--dry-run", action="store_true", help="check only, write nothing")
    org_import.add_argument(
        "--skip-bad-rows",
        action="store_true",
        help="import the valid rows and report the bad ones (default: any bad row imports nothing)",
    )

    keys = sub.add_parser("keys", help="encryption keys for sensitive records")
    keys_sub = keys.add_subparsers(dest="keys_cmd", required=True)
    keys_sub.add_parser("new", help="print a new random key")
    keys_sub.add_parser(
        "rotate", help="re-encrypt everything with the first key in ENCRYPTION_KEYS"
    )

    bak = sub.add_parser("backup", help="back up the database to a file")
    bak.add_argument("file", type=Path)
    res = sub.add_parser("restore", help="restore the database from a backup (stop the bot first)")
    res.add_argument("file", type=Path)
    res.add_argument("--yes", action="store_true", help="confirm replacing the current data")

    aud = sub.add_parser("audit", help="export the audit log as CSV")
    aud.add_argument("--since", required=True, help="date, e.g. 2026-01-01")
    aud.add_argument("--unit", default=None, help="only entries about this unit's subtree")
    aud.add_argument("--out", type=Path, default=None, help="file to write (default: stdout)")

    summ = sub.add_parser("summary", help="figures of a unit subtree for a period")
    summ.add_argument("--unit", required=True, help="unit code")
    summ.add_argument(
        "--period", default=None, help="2026, 2026Q2, 2026-05, 2026-01-01..2026-03-31"
    )
    summ.add_argument("--xlsx", type=Path, default=None, help="also write the XLSX export here")
    summ.add_argument("--csv", type=Path, default=None, help="also write the CSV zip here")
    summ.add_argument("--png", type=Path, default=None, help="also write the chart here")
    summ.add_argument("--lang", default="zh_CN", help="language of texts and headers (zh_CN, en)")
    summ.add_argument(
        "--live", action="store_true", help="compute from the records, never the snapshot"
    )
    sub.add_parser(
        "summary-refresh", help="recompute the pre-aggregated figures of wide scopes now"
    )

    demo = sub.add_parser("demo", help="load the demo organisation into the database")
    demo.add_argument("--quiet", action="store_true")

    from bot.cli.reminders import add_parsers as add_reminder_parsers

    add_reminder_parsers(sub)

    kb = sub.add_parser("kb", help="the rule base")
    kb_sub = kb.add_subparsers(dest="kb_cmd", required=True)
    for name, helptext in (
        ("check", "validate the rule base"),
        ("ask", "ask a question"),
        ("gaps", "most frequent unanswered questions"),
        ("stats", "entries per topic and document, current vs history, unchecked"),
        ("eval", "measure the answers on a labelled question file"),
    ):
        k = kb_sub.add_parser(name, help=helptext)
        k.add_argument("--rules", action="append", type=Path, default=[], help="extra rule folder")
        if name == "ask":
            k.add_argument("question", nargs="?", default=None)
            k.add_argument("--json", action="store_true", help="print JSON")
            k.add_argument(
                "--batch", type=Path, default=None, help="file with one question per line"
            )
        if name == "gaps":
            k.add_argument("--limit", type=int, default=20)
        if name == "check":
            k.add_argument(
                "--strict", action="store_true", help="also list unchecked and thin entries"
            )
        if name == "eval":
            k.add_argument("file", type=Path, help="a labelled question file (YAML)")
            k.add_argument("--failures", type=int, default=40, help="how many failures to list")
            k.add_argument(
                "--floors", type=Path, default=None, help="fail when a figure is below its floor"
            )
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Parse arguments and run the chosen command; returns the exit code."""
    args = _parser().parse_args(argv)
    cmd = args.cmd or "run"
    if cmd == "kb":
        from bot.cli import kb as kb_cli

        return kb_cli.run(args)
    try:
        settings = load_settings()
    except Exception as exc:  # pydantic's ValidationError: show it without a traceback
        print(f"configuration error: {exc}", file=sys.stderr)
        return 2
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
    if args.cmd is None:
        args = _parser().parse_args(["run"])
    handler = COMMANDS.get(cmd)
    if handler is None:
        _parser().print_help()
        return 2
    from storage.crypto import EncryptionKeyError
    from storage.migrate import NotMigrated

    try:
        return asyncio.run(handler(settings, args))
    except NotMigrated as exc:
        print(str(exc), file=sys.stderr)
        return 3
    except EncryptionKeyError as exc:
        print(f"refusing to start: {exc}", file=sys.stderr)
        return 4
    except KeyboardInterrupt:
        return 130


# -- command implementations --------------------------------------------------------------
async def _db(settings: Settings, args: argparse.Namespace) -> int:
    from storage.db import create_engine
    from storage.migrate import current_revision, head_revision, upgrade

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


async def _with_uow(settings: Settings, fn: Callable[[Any, Any], Awaitable[int]]) -> int:
    from bot.composition import build_app

    app = await build_app(settings, kb=_no_kb())
    try:
        async with app.uow_factory() as uow:
            return await fn(uow, app)
    finally:
        await app.close()


def _no_kb() -> Any:
    # Admin commands do not need the rule base; skip indexing it.
    from knowledge.retrieval import KnowledgeBase

    return KnowledgeBase([], [])


async def _invite(settings: Settings, args: argparse.Namespace) -> int:
    from handlers.org.admin import parse_role
    from handlers.org.registration import create_invitation

    async def go(uow: Any, app: Any) -> int:
        unit = await uow.units.by_code(args.unit)
        role = parse_role(args.role)
        if unit is None:
            print(f"unknown unit code: {args.unit}", file=sys.stderr)
            return 2
        if role is None:
            print(f"unknown role: {args.role}", file=sys.stderr)
            return 2
        # Bind to a pre-imported person of that name in that unit, if there is one.
        person_id = None
        if args.name:
            matches = [
                p
                for p in await uow.people.find(args.name, [unit.path])
                if p.name == args.name and p.unit_id == unit.id and p.telegram_user_id is None
            ]
            person_id = matches[0].id if len(matches) == 1 else None
        days = args.days or settings.invite_ttl_days
        now = app.services.clock.now()
        inv = await create_invitation(uow, unit, role, now, days, args.name, person_id)
        await uow.commit()
        print(
            f"invitation for {unit.name} ({unit.code}) as {role.value}, expires {inv.expires_at:%Y-%m-%d %H:%M} UTC"
        )
        print(inv.code)
        return 0

    return await _with_uow(settings, go)


async def _admin(settings: Settings, args: argparse.Namespace) -> int:
    from handlers.core.domain import AuditEntry, Role
    from handlers.org.registration import create_invitation

    async def go(uow: Any, app: Any) -> int:
        unit = await uow.units.by_code(args.unit)
        if unit is None:
            print(
                f"unknown unit code: {args.unit} (add it with `lianzheng unit add` or `org import`)",
                file=sys.stderr,
            )
            return 2
        now = app.services.clock.now()
        if args.telegram_id is None:
            inv = await create_invitation(
                uow, unit, Role.ADMIN, now, settings.invite_ttl_days, args.name
            )
            await uow.commit()
            print(
                f"administrator invitation for {args.name} over {unit.name}; register with /start CODE"
            )
            print(inv.code)
            return 0
        if await uow.people.by_telegram_id(args.telegram_id):
            print("that Telegram id is already registered", file=sys.stderr)
            return 2
        person = await uow.people.add(args.name, unit.id, "", True, args.telegram_id)
        await uow.people.grant(person.id, Role.ADMIN, unit.id)
        await uow.audit.append(
            AuditEntry(
                "role.granted",
                None,
                None,
                "person",
                str(person.id),
                unit.id,
                {"role": "admin", "via": "cli"},
                now,
            )
        )
        await uow.commit()
        print(f"administrator {args.name} created (person {person.id})")
        return 0

    return await _with_uow(settings, go)


async def _unit(settings: Settings, args: argparse.Namespace) -> int:
    from handlers.core.domain import UnitLevel
    from handlers.core.parsing import valid_unit_code

    if not valid_unit_code(args.code):
        print(
            f"invalid unit code {args.code[:40]!r}: letters, digits, _ and - only (at most 32)",
            file=sys.stderr,
        )
        return 2

    async def go(uow: Any, app: Any) -> int:
        if await uow.units.by_code(args.code):
            print(f"unit code already exists: {args.code}", file=sys.stderr)
            return 2
        parent_id = None
        if args.parent:
            parent = await uow.units.by_code(args.parent)
            if parent is None:
                print(f"unknown parent unit: {args.parent}", file=sys.stderr)
                return 2
            parent_id = parent.id
        unit = await uow.units.add(args.code, args.name, UnitLevel(args.level), parent_id)
        await uow.commit()
        print(f"unit {unit.code} created (id {unit.id})")
        return 0

    return await _with_uow(settings, go)


async def _org(settings: Settings, args: argparse.Namespace) -> int:
    """``org import``: all rows or none unless ``--skip-bad-rows``; an applied import is
    audited like any other change to the organisation."""
    from handlers.org.importing import (
        ImportFileError,
        import_audit_entry,
        import_tables,
        read_tables,
    )

    tables = []
    for f in args.files:
        if not f.exists():
            print(f"{f}: file not found", file=sys.stderr)
            return 2
        try:
            tables.extend(read_tables(f))
        except ImportFileError as exc:
            print(str(exc), file=sys.stderr)
            return 1

    async def go(uow: Any, app: Any) -> int:
        report = await import_tables(
            uow, tables, apply=not args.dry_run, skip_bad_rows=args.skip_bad_rows
        )
        for err in report.errors:
            print(str(err))
        bad = len(report.bad_rows)
        if not report.ok and not args.skip_bad_rows:
            print(
                f"{len(report.errors)} problem(s) in {bad} row(s); nothing was imported. "
                "Fix them and import again, or pass --skip-bad-rows to import the other rows.",
                file=sys.stderr,
            )
            return 1
        skipped = f"; {bad} row(s) with problems listed above" if bad else ""
        if args.dry_run:
            print(
                f"dry run: {report.units} unit(s) and {report.people} person(s) would be imported"
                + (skipped + " would be skipped." if bad else ".")
            )
            return 0
        await uow.audit.append(
            import_audit_entry(report, [str(f) for f in args.files], app.services.clock.now())
        )
        await uow.commit()
        print(
            f"imported {report.units} unit(s) and {report.people} person(s)"
            + (skipped + " were skipped." if bad else ".")
        )
        return 0

    return await _with_uow(settings, go)


async def plan_demo_reminders(app: Any) -> None:
    """One planning pass of the reminder dispatcher (nothing is sent)."""
    from bot.scheduler.dispatcher import build_dispatcher

    class _NoSender:
        async def send(self, *_: object, **__: object) -> Any:
            raise RuntimeError("planning only")

    await build_dispatcher(app, _NoSender()).plan()  # type: ignore[arg-type]


async def _demo(settings: Settings, args: argparse.Namespace) -> int:
    from bot.composition import build_app
    from bot.demo.organisation import seed_demo

    app = await build_app(settings, migrate=True, kb=_no_kb())
    try:
        async with app.uow_factory() as uow:
            loaded = await seed_demo(uow, app.services.clock.now())
            await uow.commit()
        if loaded:
            # Plan the reminders now, so /reminders shows the demo's (a notice due today
            # among them) before any dispatcher has run.
            await plan_demo_reminders(app)
        if not args.quiet:
            print(
                "demo organisation loaded"
                if loaded
                else "database already has units; demo not loaded"
            )
    finally:
        await app.close()
    return 0


async def _console(settings: Settings, args: argparse.Namespace) -> int:
    from bot.composition import build_app
    from bot.console import ConsoleChat

    app = await build_app(settings)
    try:
        chat = ConsoleChat(
            app.assistant,
            args.as_user,
            language=args.lang,
            display_name=args.name,
            outbox=settings.data_dir / "outbox",
        )
        await chat.run()
    finally:
        await app.close()
    return 0


async def _run(settings: Settings, args: argparse.Namespace) -> int:
    from bot.composition import build_app

    if settings.bot_token is None:
        from bot.console import ConsoleChat
        from bot.demo.organisation import seed_demo

        app = await build_app(settings, migrate=not args.no_migrate)
        try:
            async with app.uow_factory() as uow:
                if await seed_demo(uow, app.services.clock.now()):
                    await uow.commit()
            print(
                "No BOT_TOKEN set: console chat on the demo data (see README for demo user ids).",
                file=sys.stderr,
            )
            chat = ConsoleChat(app.assistant, args.as_user, outbox=settings.data_dir / "outbox")
            # Reminders print in the console as they fall due.
            from bot.console import ConsoleSender
            from bot.scheduler.dispatcher import start_reminders

            reminders = start_reminders(app, ConsoleSender(chat))
            try:
                await chat.run()
            finally:
                if reminders is not None:
                    await reminders.stop()
        finally:
            await app.close()
        return 0
    from bot.frontends.run import run_telegram

    return await run_telegram(settings, args.mode, migrate=not args.no_migrate)


async def _reminders(settings: Settings, args: argparse.Namespace) -> int:
    from bot.cli.reminders import reminders_cmd

    return await reminders_cmd(settings, args)


async def _calendar(settings: Settings, args: argparse.Namespace) -> int:
    from bot.cli.reminders import calendar_cmd

    return await calendar_cmd(settings, args)


async def _backup(settings: Settings, args: argparse.Namespace) -> int:
    from bot.cli.backup import BackupError, backup

    try:
        path = await asyncio.to_thread(backup, settings.effective_database_url, args.file)
    except BackupError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"backup written to {path}")
    return 0


async def _restore(settings: Settings, args: argparse.Namespace) -> int:
    from bot.cli.backup import BackupError, restore

    if not args.yes:
        print("restore replaces all current data; run again with --yes to confirm", file=sys.stderr)
        return 2
    try:
        await asyncio.to_thread(restore, settings.effective_database_url, args.file)
    except BackupError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    print(f"database restored from {args.file}")
    return 0


async def _audit(settings: Settings, args: argparse.Namespace) -> int:
    """Export the audit log as CSV: local time with its offset, and names beside the ids
    (the ids stay: names change and repeat, ids do not)."""
    import csv
    from datetime import UTC, date, datetime, time

    from handlers.summary.export import safe

    try:
        since_day = date.fromisoformat(args.since)
    except ValueError:
        print(f"--since must be a date like 2026-01-01, not {args.since!r}", file=sys.stderr)
        return 2
    zone = settings.timezone
    since = datetime.combine(since_day, time(), tzinfo=zone)

    async def go(uow: Any, app: Any) -> int:
        paths = None
        if args.unit:
            unit = await uow.units.by_code(args.unit)
            if unit is None:
                print(f"unknown unit code: {args.unit}", file=sys.stderr)
                return 2
            paths = [unit.path]
        entries = await uow.audit.since(since, paths)
        # An export names few distinct people and units; look each up once.
        people: dict[int, str] = {}
        units: dict[int, str] = {}

        async def person_name(person_id: int | None) -> str:
            if person_id is None:
                return ""
            if person_id not in people:
                person = await uow.people.get(person_id)
                people[person_id] = person.name if person else ""
            return people[person_id]

        async def unit_name(unit_id: int | None) -> str:
            if unit_id is None:
                return ""
            if unit_id not in units:
                found = await uow.units.get(unit_id)
                units[unit_id] = found.name if found else ""
            return units[unit_id]

        def local(at: datetime | None) -> str:
            if at is None:
                return ""
            if at.tzinfo is None:  # stored in UTC; never guess the server's zone
                at = at.replace(tzinfo=UTC)
            return at.astimezone(zone).isoformat(timespec="seconds")

        out = args.out.open("w", encoding="utf-8-sig", newline="") if args.out else sys.stdout
        try:
            writer = csv.writer(out)
            writer.writerow(
                [
                    "id",
                    "at",
                    "actor_id",
                    "actor_name",
                    "chat_id",
                    "action",
                    "object_type",
                    "object_id",
                    "unit_id",
                    "unit_name",
                    "details",
                ]
            )
            for e in entries:
                writer.writerow(
                    [
                        e.id,
                        local(e.at),
                        e.actor_id,
                        # Names are typed by people; a spreadsheet must not run one as a formula.
                        safe(await person_name(e.actor_id)),
                        e.chat_id,
                        e.action,
                        e.object_type,
                        e.object_id,
                        e.unit_id,
                        safe(await unit_name(e.unit_id)),
                        json.dumps(e.details, ensure_ascii=False, sort_keys=True),
                    ]
                )
        finally:
            if args.out:
                out.close()
        return 0

    return await _with_uow(settings, go)


async def _summary(settings: Settings, args: argparse.Namespace) -> int:
    from bot.cli.summary import run_summary

    return await _with_uow(settings, lambda uow, app: run_summary(uow, settings, args))


async def _summary_refresh(settings: Settings, args: argparse.Namespace) -> int:
    from bot.cli.summary import run_refresh
    from bot.composition import build_app

    app = await build_app(settings, kb=_no_kb())
    try:
        return await run_refresh(app.uow_factory, settings)
    finally:
        await app.close()


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
        print("set ENCRYPTION_KEYS=NEW,OLD first (the new key first)", file=sys.stderr)
        return 2
    configure_keys(settings)
    engine = create_engine(settings.effective_database_url)
    try:
        await ensure_migrated(engine)
        n = await rotate_keys(engine)
    except EncryptionKeyError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    finally:
        await engine.dispose()
    print(f"re-encrypted {n} value(s) with the first key; the old key can now be removed")
    return 0


COMMANDS: dict[str, Callable[[Settings, argparse.Namespace], Coroutine[Any, Any, int]]] = {
    "db": _db,
    "invite": _invite,
    "admin": _admin,
    "unit": _unit,
    "org": _org,
    "demo": _demo,
    "backup": _backup,
    "restore": _restore,
    "audit": _audit,
    "keys": _keys,
    "summary": _summary,
    "summary-refresh": _summary_refresh,
    "console": _console,
    "run": _run,
    "reminders": _reminders,
    "calendar": _calendar,
}


def print_json(obj: object) -> None:
    """One JSON object per line, UTF-8 unescaped."""
    print(json.dumps(obj, ensure_ascii=False))
