"""Framework-neutral helpers for rendering core replies as Bot API calls."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from handlers.types import MAX_MESSAGE_LENGTH, Keyboard

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


def keyboard_rows(keyboard: Keyboard) -> list[list[tuple[str, str]]]:
    """(label, callback data) rows of an inline keyboard."""
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
