"""Running the bot on Telegram: framework choice, polling or webhook, clean shutdown."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
from collections.abc import Callable
from typing import Any

from bot.composition import App, build_app
from bot.frontends.menus import plan_menus
from bot.frontends.send_throttle import SendThrottle
from bot.frontends.webhook import WEBHOOK_PATH, WebhookServer, secret_problem
from bot.heap import freeze_startup_heap
from bot.scheduler.dispatcher import start_reminders
from bot.settings import Framework, Settings
from storage.db import fill_pool

log = logging.getLogger("lianzheng")


def _stop_event() -> asyncio.Event:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(sig, stop.set)
    return stop


async def run_telegram(settings: Settings, mode: str, migrate: bool = True) -> int:
    """Run until SIGINT/SIGTERM; returns the exit code."""
    app = await build_app(settings, migrate=migrate, flood=True)
    await fill_pool(app.engine)
    try:
        await serve(app, mode, _stop_event(), ready=freeze_startup_heap)
    finally:
        await app.close()
    return 0


async def serve(
    app: App, mode: str, stop: asyncio.Event, ready: Callable[[], object] = lambda: None
) -> None:
    """Run the configured front end in ``mode`` until ``stop`` is set.

    ``ready`` is called once the front end is built, just before updates start flowing (the
    process entry point freezes the start-up heap there; tests serving in-process do not).
    """
    if app.settings.bot_framework == Framework.AIOGRAM:
        await _run_aiogram(app, mode, stop, ready)
    else:
        await _run_ptb(app, mode, stop, ready)


def malformed(data: dict[str, Any], exc: Exception) -> None:
    """Log an update the framework could not parse; it is dropped (the webhook still
    answered 200, so Telegram does not send it again)."""
    log.warning("malformed update %s dropped (%s)", data.get("update_id"), type(exc).__name__)


async def _webhook(settings: Settings, on_update: Any) -> WebhookServer:
    secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
    problem = secret_problem(secret)
    if problem is not None or secret is None:
        raise SystemExit(problem)
    server = WebhookServer(on_update, secret)
    port = await server.start(settings.webhook_listen, settings.webhook_port)
    log.info("webhook listening on %s:%s%s", settings.webhook_listen, port, WEBHOOK_PATH)
    return server


async def _run_ptb(app: App, mode: str, stop: asyncio.Event, ready: Callable[[], object]) -> None:
    from telegram import BotCommand, BotCommandScopeChat, Update
    from telegram.error import TelegramError

    from bot.frontends.ptb import build_application

    application = build_application(app.settings, app.assistant)
    application.bot_data["sender"].throttle = SendThrottle(app.settings.send_rate_overall)
    await application.initialize()  # calls getMe
    app.use_bot_username(application.bot.username)

    async def apply_menus() -> None:
        for menu in await plan_menus(app):
            try:
                await application.bot.set_my_commands(
                    [BotCommand(c, d) for c, d in menu.commands],
                    scope=BotCommandScopeChat(menu.chat_id) if menu.chat_id else None,
                    language_code=menu.language_code,
                )
            except TelegramError as exc:
                log.warning("setMyCommands refused (%s); continuing without that menu", exc)

    # In the background: with many staff members this is many calls, and it must not
    # hold up answering people.
    menus = asyncio.create_task(apply_menus())
    await application.start()
    reminders = start_reminders(app, application.bot_data["sender"])
    server = None
    if mode == "webhook":
        secret = app.settings.webhook_secret
        if app.settings.webhook_url and secret is not None:
            await application.bot.set_webhook(
                app.settings.webhook_url, secret_token=secret.get_secret_value()
            )

        async def feed(data: dict[str, Any]) -> None:
            try:
                update = Update.de_json(data, application.bot)
            except Exception as exc:  # PTB raises whatever a missing or odd field causes
                malformed(data, exc)
                return
            await application.process_update(update)

        ready()
        server = await _webhook(app.settings, feed)
    else:
        ready()
        assert application.updater is not None
        await application.updater.start_polling(allowed_updates=Update.ALL_TYPES)
    await stop.wait()
    log.info("stopping: finishing in-flight updates")
    if reminders is not None:
        await reminders.stop()
    menus.cancel()
    if server is not None:
        await server.stop()
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    await application.stop()
    await application.shutdown()


async def _run_aiogram(
    app: App, mode: str, stop: asyncio.Event, ready: Callable[[], object]
) -> None:
    from aiogram.exceptions import TelegramAPIError
    from aiogram.types import BotCommand, Update

    from bot.frontends.aiogram import AiogramSender, build_bot, build_dispatcher

    bot = build_bot(app.settings)
    app.use_bot_username((await bot.me()).username or "")
    sender = AiogramSender(bot, app.assistant)
    sender.throttle = SendThrottle(app.settings.send_rate_overall)
    dp = build_dispatcher(app.assistant, sender)
    from aiogram.types import BotCommandScopeChat

    async def apply_menus() -> None:
        for menu in await plan_menus(app):
            try:
                await bot.set_my_commands(
                    [BotCommand(command=c, description=d) for c, d in menu.commands],
                    scope=BotCommandScopeChat(chat_id=menu.chat_id) if menu.chat_id else None,
                    language_code=menu.language_code,
                )
            except TelegramAPIError as exc:
                log.warning("setMyCommands refused (%s); continuing without that menu", exc)

    menus = asyncio.create_task(apply_menus())
    reminders = start_reminders(app, sender)
    try:
        if mode == "webhook":
            secret = app.settings.webhook_secret
            if app.settings.webhook_url and secret is not None:
                await bot.set_webhook(
                    app.settings.webhook_url, secret_token=secret.get_secret_value()
                )

            async def feed(data: dict[str, Any]) -> None:
                try:
                    update = Update.model_validate(data, context={"bot": bot})
                except ValueError as exc:  # pydantic's ValidationError
                    malformed(data, exc)
                    return
                await dp.feed_update(bot, update)

            ready()
            server = await _webhook(app.settings, feed)
            await stop.wait()
            await server.stop()
        else:
            ready()
            polling = asyncio.create_task(dp.start_polling(bot, handle_signals=False))
            await stop.wait()
            await dp.stop_polling()
            with contextlib.suppress(asyncio.CancelledError):
                await polling
    finally:
        menus.cancel()
        if reminders is not None:
            await reminders.stop()
        await bot.session.close()
