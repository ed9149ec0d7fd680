"""A form's review screen: every answer so far, and the buttons to confirm or edit one."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from handlers.core.context import Ctx, button, rows
from handlers.core.types import Button

if TYPE_CHECKING:
    from handlers.core.forms import Step


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
