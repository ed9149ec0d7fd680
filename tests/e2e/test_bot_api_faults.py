"""Bot API trouble seen by both front ends' senders, over HTTP against the fake Bot API:
5xx answers (JSON or a proxy's HTML page) and timeouts are retried with exponential
backoff, one Bot API call at a time; the reminder dispatcher's single-shot delivery reports
them as transient instead.

A call that reached Telegram but timed out on our side is sent again: replies are
delivered at least once, and in that case twice (test below). Telegram offers no
idempotency key for sendMessage, so this cannot be closed from the bot's side.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator

import pytest

from bot.frontends.outgoing import ReplySender
from bot.settings import Settings
from handlers.core.types import Button, TextReply
from handlers.reminders.ports import Outcome
from tests.e2e.fake_bot_api import FakeBotApi

pytestmark = pytest.mark.e2e
FRAMEWORKS = ["ptb", "aiogram"]
TOKEN = "123456:TEST"
SERVER_ERROR = {"ok": False, "error_code": 500, "description": "Internal Server Error"}
BAD_GATEWAY_PAGE = "<html><body><h1>502 Bad Gateway</h1></body></html>"


@contextlib.asynccontextmanager
async def sender_for(
    framework: str, api: FakeBotApi, timeout: float | None = None
) -> AsyncIterator[ReplySender]:
    """The framework's sender as the bot builds it (or with a short client timeout)."""
    settings = Settings(
        bot_token=TOKEN,  # type: ignore[arg-type]
        bot_framework=framework,  # type: ignore[arg-type]
        telegram_api_url=api.url,
    )
    if framework == "ptb":
        from telegram.ext import ApplicationBuilder

        from bot.frontends.ptb import PtbSender, build_application

        if timeout is None:
            application = build_application(settings, None)  # type: ignore[arg-type]
        else:
            application = (
                ApplicationBuilder()
                .token(TOKEN)
                .base_url(f"{api.url}/bot")
                .read_timeout(timeout)
                .build()
            )
        await application.initialize()
        try:
            yield PtbSender(application)
        finally:
            await application.shutdown()
    else:
        from aiogram import Bot
        from aiogram.client.session.aiohttp import AiohttpSession
        from aiogram.client.telegram import TelegramAPIServer

        from bot.frontends.aiogram import AiogramSender, build_bot

        if timeout is None:
            bot = build_bot(settings)
        else:
            server = TelegramAPIServer.from_base(api.url)
            bot = Bot(TOKEN, session=AiohttpSession(api=server, timeout=timeout))
        try:
            yield AiogramSender(bot)
        finally:
            await bot.session.close()


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    fake = FakeBotApi()
    await fake.start()
    yield fake
    fake.release()
    await fake.stop()


def recording(sender: ReplySender) -> list[float]:
    """Make the sender record its backoff waits instead of sleeping."""
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    sender.retry_sleep = sleep
    return waits


def sent_texts(api: FakeBotApi) -> list[str]:
    return [c.params["text"] for c in api.replies("sendMessage")]


@pytest.mark.parametrize("framework", FRAMEWORKS)
async def test_5xx_answers_are_retried_with_backoff(api: FakeBotApi, framework: str) -> None:
    async with sender_for(framework, api) as sender:
        waits = recording(sender)
        api.script("sendMessage", 500, SERVER_ERROR)
        api.script("sendMessage", 502, BAD_GATEWAY_PAGE)
        await sender.send(1104, TextReply("请于本周五前报送材料。", ((Button("收到", "rm:r:1"),),)))
    assert sent_texts(api) == ["请于本周五前报送材料。"] * 3  # two refused, one accepted
    assert waits == [0.5, 1.0]  # exponential backoff
    last = api.replies("sendMessage")[-1].params
    assert last["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "rm:r:1"


@pytest.mark.parametrize("framework", FRAMEWORKS)
async def test_retries_give_up_after_four_attempts(api: FakeBotApi, framework: str) -> None:
    async with sender_for(framework, api) as sender:
        waits = recording(sender)
        for _ in range(4):
            api.script("sendMessage", 502, BAD_GATEWAY_PAGE)
        with pytest.raises(Exception) as failure:
            await sender.send(1104, TextReply("通知"))
        assert sender.classify(failure.value) is not None  # a known Bot API failure
    assert len(sent_texts(api)) == 4
    assert waits == [0.5, 1.0, 2.0]


@pytest.mark.parametrize("framework", FRAMEWORKS)
async def test_a_failure_inside_a_long_text_repeats_only_that_part(
    api: FakeBotApi, framework: str
) -> None:
    first, second = "甲" * 4000, "乙" * 4000
    async with sender_for(framework, api) as sender:
        recording(sender)
        api.script_normal("sendMessage")
        api.script("sendMessage", 500, SERVER_ERROR)
        await sender.send(1104, TextReply(f"{first}\n\n{second}"))
    assert sent_texts(api) == [first, second, second]  # the first part went out once


@pytest.mark.parametrize("framework", FRAMEWORKS)
async def test_a_timeout_is_retried_and_may_deliver_twice(api: FakeBotApi, framework: str) -> None:
    """The known at-least-once case: Telegram got the message, its answer did not arrive."""
    async with sender_for(framework, api, timeout=0.5) as sender:
        waits = recording(sender)
        api.script_hang("sendMessage")  # received and kept, never answered in time
        await sender.send(1104, TextReply("会议改在下午三点。"))
    assert sent_texts(api) == ["会议改在下午三点。"] * 2
    assert waits == [0.5]


@pytest.mark.parametrize("framework", FRAMEWORKS)
async def test_reminder_delivery_reports_5xx_as_transient_without_retrying(
    api: FakeBotApi, framework: str
) -> None:
    async with sender_for(framework, api) as sender:
        waits = recording(sender)
        api.script("sendMessage", 502, BAD_GATEWAY_PAGE)
        outcome = await sender.deliver(1104, TextReply("提醒"))
        assert outcome.outcome == Outcome.TRANSIENT
        assert (await sender.deliver(1104, TextReply("提醒"))).outcome == Outcome.OK
    assert len(sent_texts(api)) == 2 and waits == []  # the dispatcher retries later itself
