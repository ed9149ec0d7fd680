"""Whole typed messages the core itself understands: the words that leave an open form.

Other typed shortcuts (收到, 日历, 我能提拔吗 …) belong to the capabilities they stand for
and reach the core as shortcut handlers of the routers (:mod:`handlers.shortcuts`).
"""

from __future__ import annotations

#: Leaving an open form by saying so.
CANCEL_WORDS = frozenset({"取消", "不填了", "退出", "cancel"})

_CLOSING = " \t\r\n。！!.,，~～…"


def normalise(text: str) -> str:
    """The message as a shortcut key: trimmed, closing punctuation dropped, ASCII lowered."""
    return text.strip().strip(_CLOSING).strip().lower()


def cancel_word(text: str) -> bool:
    """True when the whole message asks to leave the open form."""
    return normalise(text) in CANCEL_WORDS
