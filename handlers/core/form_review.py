"""What a form shows: a step's question, and the review screen with every answer so far and
the buttons to confirm or edit one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from handlers.core.context import Ctx, button, rows
from handlers.core.form_items import KEPT
from handlers.core.types import Button

if TYPE_CHECKING:
    from handlers.core.forms import Step

#: Steps whose answer the next prompt repeats (a person or unit found from what was typed).
ECHOED = frozenset({"person", "target"})


def prompt_text(ctx: Ctx, step: Step, before: Step | None, data: dict[str, Any]) -> str:
    """``step``'s question; after a person or unit step, whom the form is about; for a
    list, the items so far (or those a re-entry would replace)."""
    text = step.prompt(ctx, data)
    if before is not None and before.key in ECHOED and data.get(before.key) is not None:
        # Say whom the form is about once chosen: 高, gao feng or P19 found someone.
        shown = before.show(ctx, data[before.key])
        text = f"{before.label(ctx, data)}{ctx.t.colon}{shown}\n{text}"
    if step.multi and data.get(step.key):
        done = "\n".join(f"{i}. {v}" for i, v in enumerate(data[step.key], 1))
        text = f"{text}\n\n{done}"
    elif step.multi and data.get(KEPT):
        now = "\n".join(f"{i}. {v}" for i, v in enumerate(data[KEPT], 1))
        keep = ctx._("Send them again (they replace these), or press Done to keep them:")
        text = f"{text}\n\n{keep}\n{now}"
    return text


def review_text(ctx: Ctx, title: str, steps: Sequence[Step], data: dict[str, Any]) -> str:
    """The review: the title, each field with its value (a list's items numbered), and the
    request to check and confirm."""
    lines = [title, ""]
    for step in steps:
        value = data.get(step.key)
        if step.multi:
            lines.append(f"{step.label(ctx, data)}:")
            lines.extend(f"  {i}. {v}" for i, v in enumerate(value or [], 1))
        else:
            shown = "—" if value is None else step.show(ctx, value)
            lines.append(f"{step.label(ctx, data)}: {shown}")
    lines += ["", ctx._("Please check, then confirm.")]
    return "\n".join(lines)


def review_buttons(ctx: Ctx, steps: Sequence[Step]) -> tuple[tuple[Button, ...], ...]:
    """Confirm and Cancel, then one Edit button per field, two to a row."""
    edits = [
        button(ctx._("Edit: {field}", field=s.label(ctx, {})), f"f:edit:{s.key}") for s in steps
    ]
    edit_rows = [edits[i : i + 2] for i in range(0, len(edits), 2)]
    return rows(
        [button(ctx._("✅ Confirm"), "f:ok"), button(ctx._("Cancel"), "f:cancel")],
        *edit_rows,
    )
