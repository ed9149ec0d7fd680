"""Messages that are no answer to a form's field: a feature's name (我的提醒), a new
record asked for in words (给岳村镇发个整改通知), an
acknowledgement (收到, 好的), a murmur, or, for free text, punctuation, numbers or emoji
alone. Each is refused with what the form expects, and the form stays open."""

from __future__ import annotations

from handlers.core.context import Ctx
from handlers.core.errors import UserError
from handlers.core.form_labels import control_label
from handlers.core.i18n import N_
from handlers.core.typed_words import confirm_word, done_word, filler_word
from knowledge.small_talk import SmallTalk
from knowledge.small_talk import classify as classify_small_talk


def refuse_non_answer(
    ctx: Ctx, text: str, label: str, *, words: bool = False, buttons: bool = False
) -> None:
    """Raise :class:`UserError` when typed text is not an answer to the field ``label``.

    People on phones type a feature's name (我的提醒), an acknowledgement (收到), 好的 or
    完成 while a form waits for a value; stored, it would become a pledge item or an
    explanation nobody can read. Such a message is refused with what the form expects, and
    the form stays open. With ``words``, punctuation or emoji alone is refused too (for
    free text whose own check does not already). With ``buttons`` (a step answered by
    choosing), a courtesy word is told to choose rather than "type the answer".
    """
    message = _why_not_an_answer(ctx, text, buttons)
    if message is not None:
        raise UserError(ctx._(message, text=text.strip(), label=label))
    if words and not any(ch.isalpha() for ch in text):
        raise UserError(
            ctx._("Please write this in words; a number, a date or an emoji alone is not enough.")
        )


#: Small talk that is never a field's value (a capability question may be asked mid-form).
_COURTESIES = frozenset(
    {SmallTalk.THANKS, SmallTalk.FAREWELL, SmallTalk.GREETING, SmallTalk.ACKNOWLEDGEMENT}
)


def _why_not_an_answer(ctx: Ctx, text: str, buttons: bool = False) -> str | None:
    """The message id saying why ``text`` is no answer, or None when it may be one."""
    # 好的 / ok is an acknowledgement (a shortcut's word too): said as not an answer,
    # never as "the name of a feature".
    # 谢谢啊辛苦了 / 拜拜 下次再问 / 你真厉害: small talk outside a form, so no field's value.
    courtesy = confirm_word(text) or done_word(text) or filler_word(text)
    courtesy = courtesy or classify_small_talk(text) in _COURTESIES
    if courtesy and buttons:  # 确认 where buttons wait: "type the content" did not fit
        return N_(
            "“{text}” is not an answer to “{label}”. Please choose with the buttons below or type it, or press Cancel."
        )
    if courtesy:
        return N_(
            "“{text}” is not an answer to “{label}”. Please type the answer, or press Cancel."
        )
    if control_label(ctx, text):  # 先回答这个问题 typed with no question waiting
        return N_(
            "“{text}” is a button's label, not an answer to “{label}”. Please type your answer, or press Cancel."
        )
    router = ctx.router
    if router is not None and router.names_a_shortcut(text):
        return N_(
            "“{text}” is the name of a feature, not an answer. The form is still open: please type your answer to “{label}”, or type “cancel” to leave the form first."
        )
    if router is not None and router.names_a_request(text):
        return N_(
            "“{text}” is a new request, not an answer to “{label}”. This form is still open: answer it, or type “cancel” first and then send the request again."
        )
    return None
