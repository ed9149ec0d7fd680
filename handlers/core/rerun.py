"""Choice buttons that repeat a typed command with an ambiguous name made exact.

``/invite 政府办公室 cadre 张三`` matches two units; instead of asking the person to type the
command again with a unit code, the reply offers one button per match, each carrying the
whole command with the name replaced (``rr:/invite HL-ZF cadre 张三``). The command text is
free text of any length (names and periods in Chinese run to several bytes a character), so
such payloads often exceed Telegram's 64 bytes: the assistant then stores them server-side
behind a short token (handlers/core/button_tokens.py).

Pressing the button runs the command exactly as if the person had typed it, with the same
permission checks, so a forged ``rr:`` payload can do nothing typing could not.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from handlers.core.types import MAX_BUTTON_PAYLOAD, Button, Keyboard

if TYPE_CHECKING:
    from handlers.core.context import Ctx

#: Button prefix: ``rr:<command text>``.
RERUN_PREFIX = "rr"
#: At most this many choice buttons.
MAX_CHOICES = 8


def rerun_buttons(ctx: Ctx, ambiguous: str, choices: Sequence[tuple[str, str]]) -> Keyboard:
    """One button per (label, exact text): the typed command with ``ambiguous`` replaced.

    Empty when the request is not a typed command (a form step, a button), the ambiguous
    text cannot be found in its arguments, or the command is too long to store.
    """
    req = ctx.req
    ambiguous = ambiguous.strip()
    if req.command is None or not ambiguous:
        return ()
    args = req.args
    pos = args.find(ambiguous)
    if pos < 0:
        return ()
    head = f"/{req.command}"  # the name alone: /pledge２０２７'s 2027 is in the arguments
    before, after = args[:pos], args[pos + len(ambiguous) :]
    payloads = [
        (label, f"{RERUN_PREFIX}:{head} {before}{exact}{after}".rstrip())
        for label, exact in choices[:MAX_CHOICES]
    ]
    if any(len(data.encode()) > MAX_BUTTON_PAYLOAD for _, data in payloads):
        return ()  # a command this long is better typed again
    return tuple((Button(label, data),) for label, data in payloads)


def typed_in_form_buttons(ctx: Ctx, choices: Sequence[tuple[str, str]]) -> Keyboard:
    """One button per (label, exact text) that types the text into the open form's step
    (``f:t:P19``, ``f:t:HL-YC``), for a name typed at a form's step, where no command can
    be re-run; empty for a command or a button."""
    if ctx.req.command is not None or ctx.req.callback_data is not None:
        return ()
    return tuple((Button(label, f"f:t:{exact}"),) for label, exact in choices[:MAX_CHOICES])
