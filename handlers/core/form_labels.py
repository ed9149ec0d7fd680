"""Button labels typed instead of pressed: which choice a typed label picks, and whether
typed text is the label of a choice at all (of another step, where it is no answer)."""

from __future__ import annotations

from collections.abc import Sequence

from handlers.core.context import Ctx
from handlers.core.errors import UserError
from handlers.core.typed_words import normalise


def choice_by_label(
    text: str, choices: Sequence[tuple[str, str]], partial: bool = True
) -> str | None:
    """The value of the choice whose button label was typed (Kept, 已践诺), if any; with
    ``partial``, a part of one label only (会议 for 会议公开, two letters at least) picks it
    too (not where the buttons are suggestions for free text: 不经商办企业 typed as an item
    must stay as typed)."""
    key = _label_key(text)
    if not key:
        return None
    for label, value in choices:
        if key == _label_key(label):
            return value
    if not partial or len(key) < 2 or any(ch.isdigit() for ch in key):
        return None  # digits are a date or a number for the step's own parser to read
    found = [value for label, value in choices if key in _label_key(label)]
    return found[0] if len(found) == 1 else None


def types_a_label(text: str, choices: Sequence[tuple[str, str]]) -> bool:
    """Whether ``text`` is one of the labels typed out: whole, or its start or end when
    that is at least four letters and half the label (news media for "In the news media")."""
    key = _label_key(text)
    if sum(ch.isalpha() for ch in key) < 2:
        return False
    for label, _ in choices:
        whole = _label_key(label)
        long_enough = len(key) >= 4 and 2 * len(key) >= len(whole)
        if key == whole or (long_enough and (whole.startswith(key) or whole.endswith(key))):
            return True
    return False


def refuse_other_steps_answer(ctx: Ctx, text: str, other: str, label: str) -> None:
    """Raise the refusal of ``text``, an answer to the step ``other``, typed where the
    step ``label`` waits for its own (a status typed again as its explanation)."""
    raise UserError(
        ctx._(
            "“{text}” is an answer to “{other}”, not to “{label}”. Please type the answer to “{label}”, or press Cancel.",
            text=text,
            other=other,
            label=label,
        )
    )


def _label_key(text: str) -> str:
    """A label as typed or shown, without case, spaces and the buttons' symbols."""
    return "".join(ch for ch in normalise(text) if ch.isalnum())
