"""Reply pacing shared by both front ends: overall allowance and Telegram's group limit."""

from __future__ import annotations

from bot.outgoing import ReplySender
from bot.send_throttle import SendThrottle
from handlers.ports_reminders import DeliveryOutcome
from handlers.types import DocumentReply, Keyboard, PhotoReply, QuizReply, TextReply


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
