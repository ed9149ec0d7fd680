"""CLI commands of the reminders feature: ``reminders dispatch-once`` and ``calendar import``."""

from __future__ import annotations

import argparse
import contextlib
import csv
import io
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from bot.cli.common import Command, refuse
from bot.settings import Framework, Settings
from handlers.reminders.ports import Sender


@contextlib.asynccontextmanager
async def _sender(settings: Settings, app: Any) -> AsyncIterator[Sender]:
    """The configured framework's sender, or the console printer without a token."""
    if settings.bot_token is None:
        from bot.console import ConsoleSender

        yield ConsoleSender()
    elif settings.bot_framework == Framework.AIOGRAM:
        from bot.frontends.aiogram import AiogramSender, build_bot

        bot = build_bot(settings)
        try:
            yield AiogramSender(bot, app.assistant)
        finally:
            await bot.session.close()
    else:
        from bot.frontends.ptb import build_application

        application = build_application(settings, app.assistant)
        await application.initialize()
        try:
            yield application.bot_data["sender"]
        finally:
            await application.shutdown()


async def reminders_cmd(settings: Settings, args: argparse.Namespace) -> int:
    """``lianzheng reminders dispatch-once``."""
    from bot.composition import build_app
    from bot.scheduler.dispatcher import build_dispatcher
    from knowledge.retrieval import KnowledgeBase

    # Reminders need no rule base: skip indexing it (seconds at every cron start).
    app = await build_app(settings, kb=KnowledgeBase([], []))
    try:
        async with _sender(settings, app) as sender:
            dispatcher = build_dispatcher(app, sender)
            if not args.no_plan:
                plan = await dispatcher.plan()
                print(
                    f"planned: {plan.deliveries} new deliveries in {plan.occurrences} occurrences, "
                    f"{plan.cancelled} cancelled; deadline sources: {', '.join(plan.sources)}"
                )
            report = await dispatcher.dispatch_once()
        if report.quiet:
            print("quiet hours (or a day off): nothing sent")
        print(
            f"sent: {report.sent}, missed: {report.missed}, failed: {report.failed}, "
            f"retried: {report.retried}, escalations planned: {report.escalations}"
        )
    finally:
        await app.close()
    return 0


async def calendar_cmd(settings: Settings, args: argparse.Namespace) -> int:
    """``lianzheng calendar import FILE``: all rows or none."""
    from bot.composition import build_app
    from handlers.calendar.importing import import_dates
    from handlers.core.domain import AuditEntry
    from handlers.core.parsing import decode_text
    from knowledge.retrieval import KnowledgeBase

    try:
        text = decode_text(args.file.read_bytes())
    except OSError as exc:
        print(f"cannot read {args.file}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    if text is None:
        return refuse(f"{args.file}: not a CSV text file (save it as CSV in UTF-8 or GBK)")
    rows = list(csv.reader(io.StringIO(text)))
    app = await build_app(settings, kb=KnowledgeBase([], []))
    try:
        async with app.uow_factory() as uow:
            now = app.services.clock.now()
            today = now.astimezone(settings.timezone).date()
            saved, problems = await import_dates(uow, rows, this_year=today.year, today=today)
            if problems:
                print("\n".join(problems), file=sys.stderr)
                print("nothing imported", file=sys.stderr)
                return 1
            details = {"dates": saved, "file": args.file.name, "via": "cli"}
            entry = AuditEntry("calendar.imported", None, None, "calendar", "", None, details, now)
            await uow.audit.append(entry)
            await uow.commit()
        print(f"{saved} date(s) set")
    finally:
        await app.close()
    return 0


def _reminders_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="reminders_cmd", required=True)
    once = sub.add_parser(
        "dispatch-once", help="plan, then send what is due now, and exit (cron-friendly)"
    )
    once.add_argument("--no-plan", action="store_true", help="only send, do not plan")


def _calendar_arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="calendar_cmd", required=True)
    imp = sub.add_parser("import", help="set dates from CSV: event code, date[..end], place")
    imp.add_argument("file", type=Path)


REMINDERS = Command("reminders", "durable reminders", _reminders_arguments, reminders_cmd)
CALENDAR = Command("calendar", "the year's calendar", _calendar_arguments, calendar_cmd)
