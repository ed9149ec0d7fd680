"""What every command group of the command line shares: the shape of a command (its name,
help, arguments and what runs it) and running a step in one unit of work.

Command modules import only this and the settings at the top: everything heavier (the
composition root, the rule base, charts) is imported inside the command that needs it, so
``lianzheng --help`` or a cron's ``reminders dispatch-once`` does not pay for the rest.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any

from bot.settings import Settings

#: What runs a command: the settings and the parsed arguments in, the exit code out.
Handler = Callable[[Settings, argparse.Namespace], Coroutine[Any, Any, int]]


def no_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of a command that takes none."""


@dataclass(frozen=True)
class Command:
    """One ``lianzheng`` sub-command."""

    name: str
    help: str
    arguments: Callable[[argparse.ArgumentParser], None] = no_arguments
    #: Run with the settings loaded and logging set up.
    run: Handler | None = None
    #: Run instead of ``run`` without settings or logging (the rule base's commands).
    offline: Callable[[argparse.Namespace], int] | None = None


def refuse(message: str, code: int = 2) -> int:
    """Say why on stderr; returns the exit code."""
    print(message, file=sys.stderr)
    return code


def no_kb() -> Any:
    """An empty rule base: administrative commands do not need it, so skip indexing it."""
    from knowledge.retrieval import KnowledgeBase

    return KnowledgeBase([], [])


async def with_uow(settings: Settings, fn: Callable[[Any, Any], Awaitable[int]]) -> int:
    """Run ``fn(uow, app)`` in one unit of work of a freshly built app (without the rule
    base); ``fn`` commits what it keeps."""
    from bot.composition import build_app

    app = await build_app(settings, kb=no_kb())
    try:
        async with app.uow_factory() as uow:
            return await fn(uow, app)
    finally:
        await app.close()
