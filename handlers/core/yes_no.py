"""Yes/no questions asked with two buttons that may also be answered by typing.

People on phones type 是 / 好的 / 不用 under a confirmation instead of pressing its button; on
Telegram a typed word cannot press an inline button, and such a word went to the rule base or
was told "nothing to confirm". :func:`ask_yes_no` remembers the question's two payloads in
the conversation store (as a pseudo-form no form handler owns); the next typed message that
says yes or no is handled exactly as the matching button. Anything else typed, any command
and any button (:func:`handlers.core.typed_buttons.take_typed_button`) end the question
unanswered, so a later 好 never confirms something the
person has moved on from. Nothing is remembered over an open form: the form keeps its place.
"""

from __future__ import annotations

from datetime import timedelta

from handlers.core.context import Ctx, button, rows
from handlers.core.domain import FormState
from handlers.core.rerun import RERUN_PREFIX
from handlers.core.typed_words import (
    ASSENT_WORDS,
    CANCEL_WORDS,
    CONFIRM_WORDS,
    REFUSAL_WORDS,
    label_key,
    normalise,
)
from knowledge.small_talk import classify as classify_small_talk

#: The conversation-store name of a pending yes/no question (no real form has it).
YES_NO_FORM = "_yesno"

#: A pending question older than this is not answered by a typed word any more.
YES_NO_TTL = timedelta(minutes=30)

YES_WORDS = (
    CONFIRM_WORDS | ASSENT_WORDS | frozenset({"同意", "要", "需要", "停用", "yes please", "sure"})
)
NO_WORDS = (
    CANCEL_WORDS
    | REFUSAL_WORDS
    | frozenset({"不要", "不了", "别", "先不", "暂不", "保留", "n", "不对"})
)


async def ask_yes_no(
    ctx: Ctx, text: str, yes: tuple[str, str], no: tuple[str, str], retry: str = ""
) -> None:
    """Reply ``text`` with a yes and a no button (each ``(label, payload)``), and remember
    the payloads so that a typed yes or no answers it too.

    ``retry`` is a command with ``{}`` where a name goes (``/eligible {}``): a short name
    typed instead of yes or no (您是指高峰吗 answered 何静) runs it with that name, where it
    had gone to the rule base."""
    ctx.reply(text, rows([button(*yes), button(*no)]))
    labels = [label_key(yes[0]), label_key(no[0])]  # 🔒 办结案件 typed as 办结案件
    await _remember(ctx, {"yes": yes[1], "no": no[1], "labels": labels, "retry": retry})


async def _remember(ctx: Ctx, question: dict[str, object]) -> None:
    """Keep the pending question in the conversation store, unless a form is open: typed
    words belong to the form then."""
    state = await ctx.uow.conversations.load(ctx.req.chat_id, ctx.req.user_id)
    if state is not None and state.form != YES_NO_FORM:
        return
    await ctx.save_form(YES_NO_FORM, "ask", question)


def typed_answer(state: FormState, text: str, ctx: Ctx) -> str | None:
    """The payload of the button a typed message stands for (its label, or a yes or no
    word), or None when it is not an answer or the question has gone stale."""
    if ctx.now - state.updated_at > YES_NO_TTL:
        return None
    word, key = normalise(text), label_key(text)
    labels = state.data.get("labels") or ["", ""]
    if word in YES_WORDS or (key and key == labels[0]):
        return str(state.data.get("yes") or "") or None
    if word in NO_WORDS or (key and key == labels[1]):
        return str(state.data.get("no") or "") or None
    retry = state.data.get("retry")
    if isinstance(retry, str) and "{}" in retry and _a_name(word):
        return f"{RERUN_PREFIX}:{retry.replace('{}', text.strip())}"
    return None


#: How long a typed name may be (a Chinese name, a person number, pinyin).
MAX_NAME_CHARS = 12


def _a_name(word: str) -> bool:
    """Whether a typed message may be a name, not a question, small talk or a sentence
    (谢谢 and 收到红包怎么办 under 您是指这位吗 had been looked up as people)."""
    return (
        0 < len(word) <= MAX_NAME_CHARS
        and not any(ch in word for ch in "?？，,。 ")
        and not word.endswith(("吗", "呢", "么", "吧"))
        and not any(w in word for w in _ASKING)
        and classify_small_talk(word) is None
    )


#: Words that make a message a question, not a name.
_ASKING = ("怎么", "什么", "咋", "啥", "多久", "能不能", "可不可以", "会不会", "是不是", "哪")


async def expect_name(ctx: Ctx, retry: str) -> None:
    """Remember that the next short name typed runs ``retry`` (``/eligible {}``): after
    "no, someone else" the bare name typed had gone to the rule base."""
    await _remember(ctx, {"yes": "", "no": "", "labels": ["", ""], "retry": retry})
