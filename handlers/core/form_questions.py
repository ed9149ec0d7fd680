"""Questions typed into a form: telling a question from a field's value (诫勉影响提拔吗 typed
where a talk's place is asked), and offering an answer while a form waits on its review."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from handlers.core.context import Ctx, button, rows
from handlers.core.errors import UserError
from handlers.core.i18n import N_
from handlers.core.rerun import RERUN_PREFIX
from handlers.core.types import Keyboard

_QUESTION_ENDINGS = (
    "?", "？", "吗", "呢", "么", "嘛", "是啥", "啥意思", "干啥", "咋办", "怎么办", "怎么样",
    "是什么", "依据什么", "什么规定", "几年", "多久", "多少天", "多长时间", "谁",
    # Spoken tails asking "OK?" (开公车去钓鱼行不, 中不中 in Henan).
    "行不", "可以不", "成不", "中不中", "要紧不",
)  # fmt: skip
_QUESTION_PAIRS = ("能不能", "可不可以", "要不要", "算不算", "行不行", "是不是", "会不会")
#: Words that ask wherever they stand, in a short message (要写几条啊, 写啥好): a field's
#: value is rarely this short and asking at the same time.
_QUESTION_WORDS = ("几条", "几项", "几个", "几次", "多少", "啥", "哪个", "哪些", "咋")
#: "How long / how detailed" words, asking in a short message (诫勉谈话后多久不能提拔,
#: 整改期限一般多长) as the endings do at its end.
_HOW_MUCH_WORDS = ("多久", "多长", "多详细", "多大", "多少天")
#: 啥 / 什么 saying "nothing" (没啥问题 as a check-in's explanation), not asking.
_NOTHING = re.compile(r"没(?:有)?(?:啥|什么)")
#: "How" words: asking in a message this short (公车私用怎么处理); a longer one may be a
#: record's text quoting how something was done.
_HOW_WORDS, _HOW_MAX = ("怎么", "如何"), 12
#: Particles closing a question as often as a statement (啊, 呀): dropped before the endings.
_TRAILING_PARTICLES = "啊呀哈啦呐哇"
#: A date as the date steps store it.
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_QUESTION_OPENINGS = (
    "什么是", "什么叫", "请问", "怎么", "如何", "为什么", "为啥", "能不能", "可不可以",
    "是否", "啥是", "哪些", "多久", "多长时间", "what ", "how ", "why ", "can i",
    # English questions opening with their verb (does a warning talk block promotion).
    "does ", "is it ", "is a ", "is there ", "are ", "should i ", "will ", "may i ", "can a ",
    "can we ", "can my ", "when ", "who ", "which ",
)  # fmt: skip


def looks_like_question(text: str) -> bool:
    """Whether typed text reads as a question to the assistant rather than a field's value
    (什么是诫勉? / 诫勉影响提拔吗): it ends with a question mark or 吗/呢, or opens like one."""
    t = text.strip().lower().rstrip("。.!！~～ ")
    if sum(ch.isalpha() for ch in t) < 2:
        return False  # ？？？ or 1? asks nothing: the step's own check says what it wants
    if t.endswith(_QUESTION_ENDINGS) or t.startswith(_QUESTION_OPENINGS):
        return True
    bare = t.rstrip(_TRAILING_PARTICLES)
    if bare != t and bare.endswith(_QUESTION_ENDINGS):
        return True
    asked = _NOTHING.sub("", t)
    if len(t) <= 15 and any(w in asked for w in _QUESTION_WORDS):
        return True
    if len(t) <= 20 and any(w in t for w in _HOW_MUCH_WORDS):
        return True
    if len(t) <= _HOW_MAX and any(w in t for w in _HOW_WORDS):
        return True
    # A short message asking "may I / is it" in the middle (处分期间能不能提拔): longer text
    # with such words is more likely a talk's summary quoting what was asked.
    return len(t) <= 30 and any(w in t for w in _QUESTION_PAIRS)


def offer_answer_on_review(ctx: Ctx, text: str, review: Keyboard) -> None:
    """A question typed while a form waits on its review screen: offer to answer it, and
    keep the review's buttons, saying that nothing is saved until it is confirmed."""
    ctx.reply(
        ctx._(
            "That looks like a question. Your form is still waiting to be confirmed (nothing is saved yet): shall I answer the question first?"
        ),
        ((button(ctx._("Answer the question"), f"{RERUN_PREFIX}:/ask {text}"),), *review),
    )


async def answers_step(
    ctx: Ctx, parse: Callable[[Ctx, str, Any], Awaitable[Any]], text: str, data: Any
) -> bool:
    """Whether ``text`` would be accepted by a step's parser (nothing is stored: parsers
    only read)."""
    try:
        await parse(ctx, text, data)
    except UserError:
        return False
    return True


async def reads_as_own_date(
    ctx: Ctx, parse: Callable[[Ctx, str, Any], Awaitable[Any]], text: str, data: Any
) -> bool:
    """Whether the step's own parser reads ``text`` as a date (今天 typed at a deadline step
    is that step's date, even though another step of the form has a 今天 button)."""
    try:
        value = await parse(ctx, text, data)
    except UserError:
        return False
    if isinstance(value, date):
        return True
    return isinstance(value, str) and _ISO_DAY.fullmatch(value) is not None


def ask_whether_answer(
    ctx: Ctx, label: str, text: str, stale: bool, step_buttons: Keyboard = ()
) -> None:
    """Ask whether ``text`` (kept aside by the form) is the answer at ``label``: it reads as
    a question, or the form was left long ago (it is more likely about something else);
    neither is stored as the value unasked. With ``step_buttons`` (the step would refuse
    ``text``), "use it as my answer" is not offered: the step's buttons come instead."""
    if step_buttons:
        ctx.reply(
            ctx._(
                "That looks like a question. The form stays open at “{label}”: shall I answer the question? Or choose with the buttons below.",
                label=label,
            ),
            ((button(ctx._("Answer the question"), f"{RERUN_PREFIX}:/ask {text}"),), *step_buttons),
        )
        return
    message = (
        N_(
            "A form you started earlier is still open at “{label}”. Is this message your answer to it, or a question?"
        )
        if stale
        else N_(
            "That looks like a question. The form stays open: shall I answer it, or is it your answer to “{label}”?"
        )
    )
    ctx.reply(
        ctx._(message, label=label),
        rows(
            [button(ctx._("Answer the question"), f"{RERUN_PREFIX}:/ask {text}")],
            [button(ctx._("Use it as my answer"), "f:use")],
            [button(ctx._("Cancel"), "f:cancel")],
        ),
    )
