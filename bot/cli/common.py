"""What every command group of the command line shares: the shape of a command (its name,
help, arguments and what runs it) and running a step in one unit of work.

Command modules import only this and the settings at the top: everything heavier (the
composition root, the rule base, charts) is imported inside the command that needs it, so
``lianzheng --help`` or a cron's ``reminders dispatch-once`` does not pay for the rest.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
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


#: Exports name people who were disciplined: readable by their owner only, like backups.
PRIVATE_FILE = 0o600


def telegram_id_arg(text: str) -> int:
    """``--telegram-id`` / ``--as``: a Telegram user id (a positive number that fits one)."""
    from handlers.core.parsing import telegram_id

    tg = telegram_id(text)
    if tg is None:
        raise argparse.ArgumentTypeError(f"not a Telegram user id: {text!r}")
    return tg


def output_file(text: str) -> Path:
    """An argument naming a file to write: refused at once when it is a folder (instead of
    after the whole computation); a missing folder is made when the file is written."""
    path = Path(text)
    if not text.strip() or path.is_dir():
        raise argparse.ArgumentTypeError(f"{text!r} is a folder: give a file name")
    return path


def create_private(path: Path) -> None:
    """Create (or truncate) ``path`` readable by its owner only, before anything is written
    to it, so no copy of the data is ever world-readable."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    os.close(fd)
    os.chmod(path, PRIVATE_FILE)  # an existing file keeps its mode on open: set it


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` (making its folder), readable by its owner only."""
    path.parent.mkdir(parents=True, exist_ok=True)
    create_private(path)
    path.write_bytes(data)


def language(text: str) -> str:
    """``--lang``: zh_CN or en, however written (zh, ZH-cn, EN, en_US)."""
    key = text.strip().lower().replace("-", "_")
    if key in ("zh", "zh_cn", "cn", "chinese"):
        return "zh_CN"
    if key in ("en", "en_us", "en_gb", "english"):
        return "en"
    raise argparse.ArgumentTypeError(f"{text!r}: the languages are zh_CN and en")


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
