"""A command typed with a slip (/pledg, /summry): named as unknown, with the command it
most likely meant offered as a button that runs it with the same arguments."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from typing import TYPE_CHECKING

from handlers.core.context import Ctx, button, rows
from handlers.core.rerun import RERUN_PREFIX
from handlers.core.types import MAX_BUTTON_PAYLOAD

if TYPE_CHECKING:
    from handlers.core.router import CommandSpec

#: How alike a typed name must be to a command's to be offered (difflib's ratio).
CLOSE_ENOUGH = 0.75


def reply_unknown_command(ctx: Ctx, name: str, commands: Mapping[str, CommandSpec]) -> None:
    """Say that /``name`` is no command; offer the closest one the person may use, when
    there is one."""
    shown = name[:32]
    roles = ctx.person.roles if ctx.person is not None else frozenset()
    mine = [n for n, spec in commands.items() if spec.access.allows(roles)]
    close = difflib.get_close_matches(name.lower(), mine, n=1, cutoff=CLOSE_ENOUGH)
    if not close:
        ctx.reply(
            ctx._(
                "Unknown command /{name}. Send /help to see the commands you can use.", name=shown
            )
        )
        return
    again = f"/{close[0]} {ctx.req.args}".strip()
    payload = f"{RERUN_PREFIX}:{again}"
    keyboard = (
        rows([button(f"/{close[0]}", payload)])
        if len(payload.encode()) <= MAX_BUTTON_PAYLOAD
        else ()
    )
    ctx.reply(
        ctx._(
            "Unknown command /{name}. Did you mean /{command}? Send /help to see the commands you can use.",
            name=shown,
            command=close[0],
        ),
        keyboard,
    )
