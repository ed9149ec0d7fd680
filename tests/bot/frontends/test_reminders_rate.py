"""The sending limiter on fake time: 30/s overall, 1/s per chat, 20/min per group, pauses."""

from __future__ import annotations

import asyncio

from bot.frontends.rate_limit import RateLimiter
from tests.handlers.reminders.helpers import FakeTime


def limited() -> tuple[FakeTime, RateLimiter]:
    """A fake clock and a limiter that reads and sleeps on it."""
    ft = FakeTime()
    return ft, RateLimiter(clock=ft.now, sleep=ft.sleep)


async def waited(ft: FakeTime, lim: RateLimiter, chat: int) -> float:
    """How long (in fake seconds) a send to the chat waits for its turn."""
    t = ft.now()
    await lim.acquire(chat)
    return ft.now() - t


async def test_thirty_per_second_overall() -> None:
    ft, lim = limited()
    start = ft.now()
    for chat in range(30):
        await lim.acquire(chat + 1)
    assert ft.now() == start  # a burst of 30 goes at once
    await lim.acquire(31)
    assert ft.now() - start >= 1.0
    stamps = []
    for chat in range(100, 400):
        await lim.acquire(chat)
        stamps.append(ft.now())
    # In every one-second window at most 30 sends.
    for i in range(len(stamps) - 30):
        assert stamps[i + 30] - stamps[i] >= 1.0


async def test_one_per_second_per_chat() -> None:
    ft, lim = limited()
    await lim.acquire(7)
    await lim.acquire(8)
    assert await waited(ft, lim, 7) >= 1.0


async def test_twenty_per_minute_per_group() -> None:
    ft, lim = limited()
    start = ft.now()
    for _ in range(20):
        await lim.acquire(-100)
    assert ft.now() - start < 60
    await lim.acquire(-100)
    assert ft.now() - start >= 60.0


async def test_retry_after_pauses_everyone() -> None:
    ft, lim = limited()
    await lim.acquire(1)
    lim.pause(12.5)
    assert await waited(ft, lim, 2) >= 12.5


async def test_a_message_holds_its_place_until_answered() -> None:
    """Counting until the answer: no network delay can put 31 arrivals into one second."""
    ft, lim = limited()
    start = ft.now()
    held = []
    for chat in range(30):
        cm = lim.sending(chat + 1)
        await cm.__aenter__()
        held.append(cm)
    # All 30 places are taken by messages not yet answered: the 31st waits for an answer.
    waiting = asyncio.create_task(lim.acquire(31))
    await asyncio.sleep(0)
    assert not waiting.done()
    ft.t += 0.5  # the answers take half a second to come back
    for cm in held:
        await cm.__aexit__(None, None, None)
    await waiting
    # One second after the first answer, not one second after it was sent.
    assert ft.now() - start >= 1.5


async def test_a_chat_waits_a_second_after_its_last_answer() -> None:
    ft, lim = limited()
    async with lim.sending(7):
        ft.t += 0.3  # slow answer
    assert await waited(ft, lim, 7) >= 1.0


async def test_a_paused_chat_does_not_hold_up_the_others() -> None:
    ft, lim = limited()
    await lim.acquire(5)
    assert lim.retry_after(5, 30.0) is False  # one message in the last second: the chat's limit
    t = ft.now()
    await lim.acquire(6)
    assert ft.now() == t  # other chats go on at once
    await lim.acquire(5)
    assert ft.now() - t >= 30.0


async def test_retry_after_under_load_pauses_everyone() -> None:
    ft, lim = limited()
    for chat in range(20):
        await lim.acquire(chat + 1)
    assert lim.retry_after(3, 4.0) is True  # we were near the overall limit
    assert await waited(ft, lim, 99) >= 4.0


async def test_a_batch_outliving_its_lease_stops_sending() -> None:
    """Long retry_after pauses must not let two instances send the same row."""
    from datetime import UTC, datetime, timedelta

    from bot.scheduler.dispatcher import Dispatcher
    from bot.scheduler.sending import LEASE_MARGIN, DispatchReport
    from handlers.core.clock import ManualClock

    clock = ManualClock(datetime(2026, 3, 10, 2, 0, tzinfo=UTC))
    sent: list[int] = []

    class Sender:
        async def deliver(self, chat_id: int, reply: object) -> object:
            sent.append(chat_id)
            raise AssertionError("must not send after the lease margin")

    d = Dispatcher.__new__(Dispatcher)
    d.clock = clock
    d._lease_until = clock.now() + timedelta(seconds=120)
    clock.advance(timedelta(seconds=120) - LEASE_MARGIN)

    d.limiter = RateLimiter()
    d.sender = Sender()  # type: ignore[assignment]
    d.max_retries = 3
    report = DispatchReport()

    class Claimed:
        id = 1

    from handlers.core.types import TextReply

    await d._send_one(Claimed(), TextReply("提醒", chat_id=42), report)  # type: ignore[arg-type]
    assert sent == [] and report.deferred == 1
