"""Framework-neutral helpers for rendering core replies as Bot API calls."""

from __future__ import annotations

import asyncio
import logging
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from functools import partial
from typing import TYPE_CHECKING, Any, TypeVar

from handlers.core.types import (
    MAX_MESSAGE_LENGTH,
    DocumentReply,
    Keyboard,
    PhotoReply,
    QuizReply,
    Reply,
    TextReply,
)
from handlers.reminders.ports import DeliveryOutcome, Outcome

if TYPE_CHECKING:
    from bot.frontends.send_throttle import SendThrottle
    from handlers.core.app import Assistant

T = TypeVar("T")
log = logging.getLogger("lianzheng.send")

#: Where to prefer breaking a long text, best first.
_BREAKS = ("\n\n", "\n", "。", "；", "，", " ")


def split_text(text: str, limit: int = MAX_MESSAGE_LENGTH) -> list[str]:
    """Split ``text`` into chunks of at most ``limit`` characters at sensible boundaries."""
    chunks: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[:limit]
        cut = -1
        for sep in _BREAKS:
            pos = window.rfind(sep)
            if pos >= limit // 2:
                cut = pos + len(sep)
                break
        if cut <= 0:
            cut = limit
        chunks.append(rest[:cut].rstrip("\n"))
        rest = rest[cut:].lstrip("\n")
    if rest or not chunks:
        chunks.append(rest)
    return chunks


def poll_options(reply: QuizReply) -> dict[str, Any]:
    """sendPoll's options for a quiz reply: a quiz, or a regular poll when ``reply.reveal`` is
    False (the closed-book test, whose answers must not show on voting). Never anonymous: the
    answer has to come back as a poll_answer update, which Telegram sends for both kinds alike."""
    reveal = reply.reveal
    return {
        "type": "quiz" if reveal else "regular",
        "correct_option_id": reply.correct_index if reveal else None,
        "explanation": (reply.explanation or None) if reveal else None,
        "open_period": reply.open_seconds,
        "is_anonymous": False,
    }


def classify_failure(
    exc: BaseException,
    kinds: tuple[type[BaseException], type[BaseException], type[BaseException]],
    transient: tuple[type[BaseException], ...],
    wait: Callable[[Any], float],
) -> DeliveryOutcome | None:
    """What a failed Bot API call means for the dispatcher, given the library's exception
    types: ``kinds`` is (429 retry-after, 403 forbidden, 400 bad request), checked in that
    order before ``transient`` (network trouble, 5xx); ``wait`` reads a 429's seconds.
    A bad request is permanent only when the chat is gone; anything else is unexpected (None).
    """
    retry_after, forbidden, bad_request = kinds
    if isinstance(exc, retry_after):
        return DeliveryOutcome(Outcome.RETRY_AFTER, wait(exc), "retry_after")
    message: str = getattr(exc, "message", str(exc))
    if isinstance(exc, forbidden):
        return DeliveryOutcome(Outcome.PERMANENT, reason=f"forbidden: {message}"[:200])
    if isinstance(exc, bad_request):
        text = message.lower()
        if "chat not found" in text or "user is deactivated" in text:
            return DeliveryOutcome(Outcome.PERMANENT, reason=message[:200])
        return None
    if isinstance(exc, transient):
        return DeliveryOutcome(Outcome.TRANSIENT, reason=type(exc).__name__)
    return None


def keyboard_rows(keyboard: Keyboard) -> list[list[tuple[str, str]]]:
    """(label, callback data) rows of an inline keyboard.

    The core stores over-long payloads behind tokens before replies leave it; one that still
    does not fit is a bug, refused here rather than by Telegram with a vague 400.
    """
    for row in keyboard:
        for b in row:
            if not b.fits:
                raise ValueError(
                    f"callback data over 64 bytes reached the front end: {b.data[:40]!r}"
                )
    return [[(b.text, b.data) for b in row] for row in keyboard]


async def with_retries(
    call: Callable[[], Awaitable[T]],
    *,
    transient: tuple[type[BaseException], ...],
    retry_after: Callable[[BaseException], float | None] = lambda exc: None,
    attempts: int = 4,
    base_delay: float = 0.5,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> T:
    """Call ``call``; on a transient error wait (``retry_after`` or exponential backoff) and retry."""
    for attempt in range(1, attempts + 1):
        try:
            return await call()
        except transient as exc:
            if attempt == attempts:
                raise
            wait = retry_after(exc)
            delay = wait if wait is not None else base_delay * 2 ** (attempt - 1)
            log.warning(
                "Bot API call failed (%s); retry %d in %.1fs", type(exc).__name__, attempt, delay
            )
            await sleep(delay)
    raise AssertionError("unreachable")


class ReplySender(ABC):
    """Renders core replies as Bot API calls; each framework supplies the five primitives.

    The rules every front end must share live here once: long texts split at sensible
    boundaries with the keyboard on the last part, an edit only when the text fits one
    message, quiz polls remembered by id, retries for chat replies and a plain
    classification of failures for the reminder dispatcher.
    """

    def __init__(self, assistant: Assistant | None = None) -> None:
        self.assistant = assistant
        #: Paces every message posted (set by the runner; None in tests that need no pacing).
        self.throttle: SendThrottle | None = None
        # Retries of chat replies: attempts per Bot API call, the first backoff (doubling
        # after each failure) and how to wait (tests record the waits instead).
        self.retry_attempts = 4
        self.retry_base_delay = 0.5
        self.retry_sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
        #: Told (chat id, seconds) when Telegram answers a reply with 429: the runner points
        #: it at the reminder dispatcher's limiter, so bulk sending backs off too (the limit
        #: Telegram enforces is the bot's, whoever hit it).
        self.on_retry_after: Callable[[int, float], object] | None = None

    async def _pace(self, chat_id: int) -> None:
        if self.throttle is not None:
            await self.throttle.wait(chat_id)

    #: Exceptions worth retrying (network trouble, 5xx, 429).
    transient: tuple[type[BaseException], ...] = ()

    @abstractmethod
    async def send_text(self, chat_id: int, text: str, keyboard: Keyboard) -> None:
        """Send one text message."""

    @abstractmethod
    async def edit_text(self, chat_id: int, message_id: int, text: str, keyboard: Keyboard) -> None:
        """Replace the text and keyboard of a message the bot sent."""

    @abstractmethod
    async def send_file(self, chat_id: int, reply: DocumentReply | PhotoReply) -> None:
        """Send a document or a picture."""

    @abstractmethod
    async def send_quiz(self, chat_id: int, reply: QuizReply) -> str | None:
        """Send a quiz poll; returns the poll id Telegram assigned."""

    @abstractmethod
    def classify(self, exc: BaseException) -> DeliveryOutcome | None:
        """What a failed call means for the dispatcher (None: an unexpected error)."""

    def retry_after(self, exc: BaseException) -> float | None:
        """Seconds a 429 answer asked to wait, if ``exc`` is one."""
        outcome = self.classify(exc)
        return outcome.retry_after if outcome and outcome.outcome == Outcome.RETRY_AFTER else None

    async def render(
        self, chat_id: int, reply: Reply, edit_message_id: int | None, retry: bool = False
    ) -> None:
        """One reply as one or more Bot API calls; with ``retry`` each call is retried on
        its own, so a failure in the middle of a long text does not repeat the parts
        already delivered."""

        target = reply.chat_id if reply.chat_id is not None else chat_id

        async def call(api_call: Callable[[], Awaitable[T]]) -> T:
            async def paced() -> T:  # every attempt posts a message, retries included
                await self._pace(target)
                return await api_call()

            if not retry:
                return await paced()

            def asked_to_wait(exc: BaseException) -> float | None:
                wait = self.retry_after(exc)
                if wait is not None and self.on_retry_after is not None:
                    self.on_retry_after(target, wait)
                return wait

            return await with_retries(
                paced,
                transient=self.transient,
                retry_after=asked_to_wait,
                attempts=self.retry_attempts,
                base_delay=self.retry_base_delay,
                sleep=self.retry_sleep,
            )

        if isinstance(reply, TextReply):
            chunks = split_text(reply.text)
            if reply.edit and edit_message_id is not None and len(chunks) == 1:
                await call(
                    lambda: self.edit_text(target, edit_message_id, chunks[0], reply.buttons)
                )
                return
            last = len(chunks) - 1
            for i, chunk in enumerate(chunks):
                keyboard = reply.buttons if i == last else ()
                await call(partial(self.send_text, target, chunk, keyboard))
        elif isinstance(reply, (DocumentReply, PhotoReply)):
            await call(lambda: self.send_file(target, reply))
        elif isinstance(reply, QuizReply):
            poll_id = await call(lambda: self.send_quiz(target, reply))
            if poll_id is not None and reply.token and self.assistant is not None:
                # Answers arrive with the poll id only: remember which question it carries.
                await self.assistant.remember_poll(poll_id, reply.token)

    async def send(self, chat_id: int, reply: Reply, edit_message_id: int | None = None) -> None:
        """Deliver a chat reply, retrying transient failures with backoff or retry_after.

        At least once, not exactly once: a call that reached Telegram but whose answer was
        lost (a timeout) is sent again, so the person may see that message twice.
        """
        await self.render(chat_id, reply, edit_message_id, retry=True)

    async def deliver(self, chat_id: int, reply: Reply) -> DeliveryOutcome:
        """Send once for the reminder dispatcher and classify the result (no retries here)."""
        try:
            await self.render(chat_id, reply, None)
        except Exception as exc:
            outcome = self.classify(exc)
            if outcome is None:
                raise
            return outcome
        return DeliveryOutcome.ok()
