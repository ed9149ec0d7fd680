"""Reply pacing shared by both front ends: overall allowance and Telegram's group limit."""

from __future__ import annotations

from bot.frontends.outgoing import ReplySender
from bot.frontends.rate_limit import RateLimiter
from bot.frontends.send_throttle import SendThrottle
from handlers.core.types import DocumentReply, Keyboard, PhotoReply, QuizReply, TextReply
from handlers.reminders.ports import DeliveryOutcome, Outcome


async def test_group_bucket_fills_after_twenty_messages_a_minute() -> None:
    throttle = SendThrottle(overall_per_second=1000)
    for _ in range(20):
        await throttle.wait(-100500)  # within the allowance: returns at once
    group = throttle._groups[-100500]
    assert not group.has_capacity()  # the 21st would wait for the bucket to leak
    assert throttle.overall.has_capacity()


async def test_private_chats_have_no_group_bucket() -> None:
    throttle = SendThrottle(overall_per_second=1000)
    for _ in range(5):
        await throttle.wait(1104)
    assert throttle._groups == {}


async def test_overall_allowance_counts_every_chat() -> None:
    throttle = SendThrottle(overall_per_second=3)
    for chat in (1, 2, 3):
        await throttle.wait(chat)
    assert not throttle.overall.has_capacity()


class RecordingSender(ReplySender):
    """The five primitives recorded instead of sent."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[tuple[str, int]] = []

    async def send_text(self, chat_id: int, text: str, keyboard: Keyboard) -> None:
        self.sent.append(("text", chat_id))

    async def edit_text(self, chat_id: int, message_id: int, text: str, keyboard: Keyboard) -> None:
        self.sent.append(("edit", chat_id))

    async def send_file(self, chat_id: int, reply: DocumentReply | PhotoReply) -> None:
        self.sent.append(("file", chat_id))

    async def send_quiz(self, chat_id: int, reply: QuizReply) -> str | None:
        self.sent.append(("quiz", chat_id))
        return None

    def classify(self, exc: BaseException) -> DeliveryOutcome | None:
        return None


class CountingThrottle(SendThrottle):
    def __init__(self) -> None:
        super().__init__(1000)
        self.chats: list[int] = []

    async def wait(self, chat_id: int) -> None:
        self.chats.append(chat_id)


async def test_every_message_of_a_reply_is_paced() -> None:
    sender = RecordingSender()
    throttle = CountingThrottle()
    sender.throttle = throttle
    await sender.send(7, TextReply("x" * 5000))  # split into two messages
    await sender.send(7, PhotoReply("c.png", b"png"))
    await sender.send(7, TextReply("ok", edit=True), edit_message_id=3)
    assert [kind for kind, _ in sender.sent] == ["text", "text", "file", "edit"]
    assert throttle.chats == [7, 7, 7, 7]


class TooFast(Exception):
    """A 429 answer asking to wait ``seconds``."""

    def __init__(self, seconds: float) -> None:
        super().__init__("Too Many Requests")
        self.seconds = seconds


class RateLimitedSender(RecordingSender):
    """Answers the first text with a 429, then sends."""

    transient = (TooFast,)

    def __init__(self) -> None:
        super().__init__()
        self.refusals = 1

    async def send_text(self, chat_id: int, text: str, keyboard: Keyboard) -> None:
        if self.refusals:
            self.refusals -= 1
            raise TooFast(3.0)
        await super().send_text(chat_id, text, keyboard)

    def classify(self, exc: BaseException) -> DeliveryOutcome | None:
        if isinstance(exc, TooFast):
            return DeliveryOutcome(Outcome.RETRY_AFTER, exc.seconds, "retry_after")
        return None


async def test_a_429_on_a_reply_slows_the_reminder_dispatcher_too() -> None:
    """Telegram's allowance is the bot's: when a reply is refused with retry_after, the
    reminder limiter of the same process hears of it and pauses that chat (and everyone,
    if its own sending could have tripped the overall limit)."""
    now = [100.0]
    limiter = RateLimiter(overall=30, clock=lambda: now[0])
    sender = RateLimitedSender()
    waits: list[float] = []

    async def no_sleep(seconds: float) -> None:
        waits.append(seconds)

    sender.retry_sleep = no_sleep
    sender.on_retry_after = limiter.retry_after
    await sender.send(1104, TextReply("答复"))
    assert sender.sent == [("text", 1104)]  # retried after the wait Telegram asked for
    assert waits == [3.0]
    assert limiter._chat_paused[1104] == 103.0
    assert limiter._paused_until <= now[0]  # light own load: only that chat waits
