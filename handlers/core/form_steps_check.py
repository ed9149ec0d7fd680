"""A button label of another step typed where a step waits for its own answer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from handlers.core.context import Ctx
from handlers.core.form_labels import refuse_other_steps_answer, types_a_label
from handlers.core.form_questions import reads_as_own_date

if TYPE_CHECKING:
    from handlers.core.forms import Step


async def refuse_other_steps_label(
    ctx: Ctx, steps: Sequence[Step], step: Step, data: dict[str, Any], text: str
) -> None:
    """Refuse a button label of another step typed here: a cadre typing ahead (新闻媒体
    where the pledge's items are asked) would otherwise store it as this step's value;
    unless this step's own parser reads it as its date (今天 at a deadline)."""
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
            refuse_other_steps_answer(ctx, text, other.label(ctx, data), step.label(ctx, data))
