"""Whole typed messages the core itself understands: the words that leave an open form, and
those that confirm one on its review screen.

Other typed shortcuts (收到, 日历, 我能提拔吗 …) belong to the capabilities they stand for
and reach the core as shortcut handlers of the routers (:mod:`handlers.shortcuts`).
"""

from __future__ import annotations

#: Leaving an open form by saying so.
CANCEL_WORDS = frozenset({"取消", "不填了", "退出", "cancel"})

#: Confirming a form on its review screen by typing instead of pressing ✅ (people on phones
#: often do). Only on the review screen, where the summary to confirm is on display.
CONFIRM_WORDS = frozenset(
    {
        "确认",
        "确定",
        "确认无误",
        "无误",
        "没问题",
        "提交",
        "保存",
        "好",
        "好的",
        "可以",
        "ok",
        "yes",
        "confirm",
    }
)

_CLOSING = " \t\r\n。！!.,，~～…"


def normalise(text: str) -> str:
    """The message as a shortcut key: trimmed, closing punctuation dropped, ASCII lowered."""
    return text.strip().strip(_CLOSING).strip().lower()


def cancel_word(text: str) -> bool:
    """True when the whole message asks to leave the open form."""
    return normalise(text) in CANCEL_WORDS


def confirm_word(text: str) -> bool:
    """True when the whole message confirms the form on its review screen."""
    return normalise(text) in CONFIRM_WORDS
