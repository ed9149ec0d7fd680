"""Answers typed ahead of their step: 给岳村镇发个整改通知 月底前 names the deadline before the
form asks for it.

The request keeps such text under :data:`PRESET` (step key -> text as typed). When the form
reaches that step going forward, the step's own parser reads the text with everything
answered so far (a deadline counts from the issue date), so the step is answered without
being asked. Text the parser refuses is said once, with the reason, and the step is asked as
usual; either way the preset is used up, so going back to the step asks it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from handlers.core.context import Ctx
from handlers.core.errors import UserError

if TYPE_CHECKING:  # forms imports this module
    from handlers.core.forms import Data, Step

#: The form data's key for answers typed ahead (never a field of the record).
PRESET = "_preset"


async def answer_presets(
    ctx: Ctx, steps: Sequence[Step], index: int, data: Data, echoed: frozenset[str] = frozenset()
) -> int:
    """Answer the steps from ``index`` on that have a preset, in order; the index of the
    first step still to ask (``len(steps)`` when none is left). The step before them, when
    it is one whose answer is said back (``echoed``: whom the form is about), is said too:
    the next prompt, which would have said it, follows a preset now."""
    presets = data.get(PRESET)
    before = steps[index - 1] if 0 < index <= len(steps) else None
    first = index < len(steps) and isinstance(presets, dict) and steps[index].key in presets
    if first and before is not None and before.key in echoed and data.get(before.key) is not None:
        shown = before.show(ctx, data[before.key])
        ctx.reply(f"{before.label(ctx, data)}{ctx.t.colon}{shown}")
    while isinstance(presets, dict) and index < len(steps) and steps[index].key in presets:
        step = steps[index]
        text = str(presets.pop(step.key))
        try:
            data[step.key] = await step.parse(ctx, text, data)
        except UserError as refused:
            ctx.reply(refused.message)
            break
        # Said back, so what was read from the request is seen before the next question.
        shown = step.show(ctx, data[step.key])
        ctx.reply(f"{step.label(ctx, data)}{ctx.t.colon}{shown}")
        index += 1
    if not presets:
        data.pop(PRESET, None)
    return index
