"""The shared sending limiter: Telegram's limits for bulk messages, asyncio-friendly.

At most ``overall`` messages per second in total, one per second per chat, ``group_per_minute``
per group chat (negative chat ids), and pauses whenever Telegram answers 429 with
``retry_after``. Time and sleeping are injected, so tests run on a fake clock.

Why messages are counted until Telegram *answered* them (:meth:`RateLimiter.sending`):
Telegram counts a message when it arrives, somewhere between the moment we send it and the
moment its answer comes back, and that delay varies (network, a busy event loop). Counting
from the moment of sending lets 31 messages arrive inside one second whenever an early one
is delayed more than a later one, and every such 429 costs a pause. A message instead holds
its place in the window from the moment it is sent until one second after its answer; then
no delay can squeeze more than the limit into one second on Telegram's side, at the price
of the round trip (about 2% of the rate for a 20 ms round trip).
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass


@dataclass(eq=False)
class RateLimiter:
    """Decides when the next message to a chat may go out and waits until then."""

    overall: int = 30
    per_chat_seconds: float = 1.0
    group_per_minute: int = 20
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep
    #: Extra seconds added to every window, to stay clear of clock jitter on the server.
    margin: float = 0.0

    def __post_init__(self) -> None:
        self._recent: deque[float] = deque()  # answer times of the last second's messages
        self._in_flight = 0
        self._busy: set[int] = set()  # chats with a message in flight
        self._last_chat: dict[int, float] = {}
        self._groups: dict[int, deque[float]] = {}
        self._paused_until = 0.0
        self._chat_paused: dict[int, float] = {}
        self._lock = asyncio.Lock()
        self._answered = asyncio.Event()

    # -- pauses -------------------------------------------------------------------------------
    def pause(self, seconds: float) -> None:
        """Stop all sending for ``seconds`` (Telegram's retry_after for the whole bot)."""
        self._paused_until = max(self._paused_until, self.clock() + seconds)

    def pause_chat(self, chat_id: int, seconds: float) -> None:
        """Stop sending to one chat for ``seconds``."""
        until = self.clock() + seconds
        self._chat_paused[chat_id] = max(self._chat_paused.get(chat_id, 0.0), until)

    def retry_after(self, chat_id: int, seconds: float) -> bool:
        """Telegram answered 429 to a message for ``chat_id``; returns True for a global pause.

        The answer does not say which limit was hit. The chat always waits ``retry_after``.
        Everyone waits too unless our own sending of the last second stayed at most half the
        overall limit: then we cannot have tripped the overall limit, and the chat's own
        limit was hit by traffic this limiter does not see (replies of the front end).
        """
        self.pause_chat(chat_id, seconds)
        if self._load(self.clock()) * 2 <= self.overall:
            return False
        self.pause(seconds)
        return True

    # -- taking a place in the windows ----------------------------------------------------------
    @asynccontextmanager
    async def sending(self, chat_id: int) -> AsyncIterator[None]:
        """Wait until a message to ``chat_id`` is allowed; it counts until the block ends.

        Put exactly the call to Telegram inside the block: its end is taken as the moment
        the answer came (see the module docstring).
        """
        await self._take(chat_id)
        try:
            yield
        finally:
            self._answered_at(chat_id, self.clock())

    async def acquire(self, chat_id: int) -> None:
        """Wait until a message to ``chat_id`` is allowed, then count it as sent and answered
        at once (for callers without an answer to wait for)."""
        await self._take(chat_id)
        self._answered_at(chat_id, self.clock())

    def _load(self, now: float) -> int:
        """Messages counted in the overall window: in flight, or answered within a second."""
        window = 1.0 + self.margin
        while self._recent and now - self._recent[0] >= window:
            self._recent.popleft()
        return self._in_flight + len(self._recent)

    def _chat_wait(self, chat_id: int, now: float) -> float | None:
        """Seconds until the chat's own limits allow a message; None: wait for an answer."""
        if chat_id in self._busy:
            return None
        waits = [self._chat_paused.get(chat_id, 0.0) - now]
        last = self._last_chat.get(chat_id)
        if last is not None:
            waits.append(last + self.per_chat_seconds + self.margin - now)
        if chat_id < 0:
            group = self._groups.setdefault(chat_id, deque())
            minute = 60.0 + self.margin
            while group and now - group[0] >= minute:
                group.popleft()
            if len(group) >= self.group_per_minute:
                waits.append(group[0] + minute - now)
        return max(waits)

    def _overall_wait(self, now: float) -> float | None:
        """Seconds until the overall limit allows a message; None: wait for an answer."""
        waits = [self._paused_until - now]
        if self._load(now) >= self.overall:
            if not self._recent:
                return None  # every place is held by a message still in flight
            waits.append(self._recent[0] + 1.0 + self.margin - now)
        return max(waits)

    async def _wait(self, seconds: float | None) -> None:
        if seconds is None:
            await self._answered.wait()
        else:
            await self.sleep(seconds)

    async def _take(self, chat_id: int) -> None:
        while True:
            # A chat that must wait does so without holding up messages to other chats.
            wait = self._chat_wait(chat_id, self.clock())
            if wait is None or wait > 0:
                await self._wait(wait)
                continue
            async with self._lock:  # one waiter at a time for the overall limit: exact counts
                while True:
                    now = self.clock()
                    wait = self._chat_wait(chat_id, now)
                    if wait is None or wait > 0:
                        break  # the chat was written to (or paused) meanwhile: start over
                    wait = self._overall_wait(now)
                    if wait is None or wait > 0:
                        await self._wait(wait)
                        continue
                    self._in_flight += 1
                    self._busy.add(chat_id)
                    return

    def _answered_at(self, chat_id: int, at: float) -> None:
        self._in_flight -= 1
        self._busy.discard(chat_id)
        self._recent.append(at)
        self._last_chat[chat_id] = at
        if chat_id < 0:
            self._groups.setdefault(chat_id, deque()).append(at)
        if len(self._last_chat) > 50_000:  # forget chats not written to for a while
            self._last_chat = {c: t for c, t in self._last_chat.items() if at - t < 60}
            self._chat_paused = {c: t for c, t in self._chat_paused.items() if t > at}
        # Wake everyone waiting for an answer; later waiters wait for the next one.
        answered, self._answered = self._answered, asyncio.Event()
        answered.set()
