"""Chart text measured in points: its width in a font, shortened to fit, wrapped to a width.

Measured with matplotlib's text-to-path (no canvas needed), so the chart's layout can be
sized to its texts before anything is drawn.
"""

from __future__ import annotations

import re

from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

_TEXT_TO_PATH = TextToPath()
#: A wide (CJK) character, or a run of anything else up to and including its spaces.
_TOKENS = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+\s*|\s+")  # fmt: skip


def width_pt(content: str, family: list[str], size: float) -> float:
    """Width of ``content`` set in ``family`` at ``size`` points, in points."""
    prop = FontProperties(family=family, size=size)
    width, _, _ = _TEXT_TO_PATH.get_text_width_height_descent(content, prop, ismath=False)
    return float(width)


def fit(content: str, family: list[str], size: float, width: float) -> str:
    """``content`` shortened with "…" until it is at most ``width`` points wide."""
    if width_pt(content, family, size) <= width:
        return content
    for end in range(len(content) - 1, 0, -1):
        short = content[:end].rstrip() + "…"
        if width_pt(short, family, size) <= width:
            return short
    return "…"


def wrap(content: str, family: list[str], size: float, width: float) -> list[str]:
    """``content`` broken into lines at most ``width`` points wide.

    Breaks between Chinese characters and between words (matplotlib's own wrapping only
    breaks at spaces, which Chinese text has none of).
    """
    lines: list[str] = []
    current = ""
    for token in _TOKENS.findall(content):
        if current and width_pt((current + token).rstrip(), family, size) > width:
            lines.append(current.rstrip())
            current = token.lstrip()
        else:
            current += token
    if current.strip() or not lines:
        lines.append(current.rstrip())
    return lines
