"""``lianzheng run``, ``console`` and ``demo``: the bot itself, the console chat and the
demo organisation."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from bot.cli.common import Command, no_kb, telegram_id_arg
from bot.settings import Settings


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

    app = await build_app(settings, migrate=True, kb=no_kb())
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
    if settings.bot_token is None:
        return await _console_on_demo(settings, args)
    from bot.frontends.run import run_telegram

    return await run_telegram(settings, args.mode, migrate=not args.no_migrate)


async def _console_on_demo(settings: Settings, args: argparse.Namespace) -> int:
    """``run`` without a token: the console chat on the demo data, reminders included."""
    from bot.composition import build_app
    from bot.console import ConsoleChat, ConsoleSender
    from bot.demo.organisation import seed_demo
    from bot.scheduler.dispatcher import start_reminders

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
        reminders = start_reminders(app, ConsoleSender(chat))
        try:
            await chat.run()
        finally:
            if reminders is not None:
                await reminders.stop()
    finally:
        await app.close()
    return 0


def _run_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--mode", choices=["polling", "webhook"], default="polling")
    p.add_argument(
        "--as", dest="as_user", type=telegram_id_arg, default=1001, help="console user id"
    )
    p.add_argument("--no-migrate", action="store_true", help="refuse an un-migrated database")


def _console_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--as",
        dest="as_user",
        type=telegram_id_arg,
        required=True,
        help="Telegram user id to act as",
    )
    p.add_argument("--lang", default=None, help="Telegram language code of the user (e.g. en)")
    p.add_argument("--name", default="", help="display name (used when registering)")


def _demo_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--quiet", action="store_true")


RUN = Command(
    "run",
    "run the bot (console chat on demo data when BOT_TOKEN is unset)",
    _run_arguments,
    _run,
)
CONSOLE = Command(
    "console", "chat with the assistant on stdin/stdout", _console_arguments, _console
)
DEMO = Command("demo", "load the demo organisation into the database", _demo_arguments, _demo)
