"""Another step's answer typed where a step waits for its own: a button label of another
step, or a request to change an earlier answer (修改单位, 日期填错了)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from handlers.core.context import Ctx
from handlers.core.form_labels import (
    refuse_field_edit,
    refuse_other_steps_answer,
    types_a_label,
)
from handlers.core.form_questions import reads_as_own_date

if TYPE_CHECKING:
    from handlers.core.forms import Step


async def refuse_other_steps_label(
    ctx: Ctx, steps: Sequence[Step], step: Step, data: dict[str, Any], text: str
) -> None:
    """Refuse a button label of another step typed here: a cadre typing ahead (新闻媒体
    where the pledge's items are asked) would otherwise store it as this step's value;
    unless this step's own parser reads it as its date (今天 at a deadline). A short request
    to change an earlier answer is refused too (it had become this step's value)."""
    label = step.label(ctx, data)
    refuse_field_edit(ctx, text, [(s.label(ctx, data), s.key) for s in steps], label)
    for other in steps:
        if other is step or other.choices is None:
            continue
        try:
            choices = other.choices(ctx, data)
        except LookupError:
            # A later step's buttons may be made from answers not given yet (a person's
            # years): it has none to compare with so far.
            continue
        if types_a_label(text, choices):
            if await reads_as_own_date(ctx, step.parse, text, data):
                return
            refuse_other_steps_answer(ctx, text, other.label(ctx, data), label)
