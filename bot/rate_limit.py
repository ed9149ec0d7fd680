"""The shared sending limiter: Telegram's limits for bulk messages, asyncio-friendly.

At most ``overall`` messages per second in total, one per second per chat, ``group_per_minute``
per group chat (negative chat ids), and a global pause whenever Telegram answers 429 with
``retry_after``. Time and sleeping are injected, so tests run on a fake clock.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable


class RateLimiter:
    """Decides when the next message to a chat may go out and waits until then."""

    def __init__(
        self,
        overall: int = 30,
        per_chat_seconds: float = 1.0,
        group_per_minute: int = 20,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        margin: float = 0.0,
    ) -> None:
        self.overall = overall
        self.per_chat = per_chat_seconds
        self.group_per_minute = group_per_minute
        self.clock = clock
        self.sleep = sleep
        #: Extra seconds added to every window, to stay clear of clock jitter on the server.
        self.margin = margin
        self._recent: deque[float] = deque()
        self._last_chat: dict[int, float] = {}
        self._groups: dict[int, deque[float]] = {}
        self._paused_until = 0.0
        self._lock = asyncio.Lock()

    def pause(self, seconds: float) -> None:
        """Stop all sending for ``seconds`` (Telegram's retry_after)."""
        self._paused_until = max(self._paused_until, self.clock() + seconds)

    def _wait_for(self, chat_id: int, now: float) -> float:
        waits = [self._paused_until - now]
        window = 1.0 + self.margin
        while self._recent and now - self._recent[0] >= window:
            self._recent.popleft()
        if len(self._recent) >= self.overall:
            waits.append(self._recent[0] + window - now)
        last = self._last_chat.get(chat_id)
        if last is not None:
            waits.append(last + self.per_chat + self.margin - now)
        if chat_id < 0:
            group = self._groups.setdefault(chat_id, deque())
            minute = 60.0 + self.margin
            while group and now - group[0] >= minute:
                group.popleft()
            if len(group) >= self.group_per_minute:
                waits.append(group[0] + minute - now)
        return max(waits)

    async def acquire(self, chat_id: int) -> None:
        """Wait until a message to ``chat_id`` is allowed, then count it as sent."""
        async with self._lock:  # one waiter decides at a time, so counts stay exact
            while True:
                now = self.clock()
                wait = self._wait_for(chat_id, now)
                if wait <= 0:
                    break
                await self.sleep(wait)
            self._recent.append(now)
            self._last_chat[chat_id] = now
            if chat_id < 0:
                self._groups[chat_id].append(now)
            if len(self._last_chat) > 50_000:  # forget chats not written to for a while
                self._last_chat = {c: t for c, t in self._last_chat.items() if now - t < 60}
