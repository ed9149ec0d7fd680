"""Form steps declared with message ids.

Most steps have a fixed label and a fixed question, translated only when shown; writing
each as ``lambda ctx, d: ctx._("…")`` repeated the same wrapper in every form. A prompt that
depends on the answers so far stays a function of the form's data.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from handlers.core.context import Ctx
from handlers.core.forms import Choices, Parser, Step, Text


def said(message: str) -> Text:
    """A step's label or prompt (or a form's title) from a message id marked with N_()."""
    return lambda ctx, data: ctx._(message)


def step(
    key: str,
    label: str,
    prompt: str | Text,
    parse: Parser,
    *,
    choices: Choices | None = None,
    multi: tuple[int, int] | None = None,
    show: Callable[[Ctx, Any], str] | None = None,
) -> Step:
    """A step whose label, and prompt unless it is a function of the data, are message ids."""
    ask = said(prompt) if isinstance(prompt, str) else prompt
    made = Step(key, said(label), ask, parse, choices=choices, multi=multi)
    return made if show is None else replace(made, show=show)
