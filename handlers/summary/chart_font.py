"""Finding a font that draws Chinese for matplotlib charts (no boxes instead of characters).

The project's set-up (``./dev``) installs WenQuanYi Micro Hei where it can; this module finds
that or any other CJK font matplotlib can use: first by family name, then any font file that
actually contains the glyphs we draw. Font files installed after matplotlib built its cache
are added on the fly.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

#: Families tried first, in order (all cover Simplified Chinese).
PREFERRED_FAMILIES = (
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Noto Sans CJK JP",
    "Source Han Sans",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
)
#: A code point no character is assigned to (U+0378): a font with a glyph for it maps every
#: code point to a placeholder box (matplotlib 3.11 ships such a fallback, "Last Resort
#: High-Efficiency"), so it "contains" Chinese but draws boxes.
UNASSIGNED = 0x0378
#: Characters a usable font must contain (廉 of 廉政, plus common chart words).
PROBE = "廉政率按时"


@dataclass(frozen=True)
class CjkFont:
    """A font family matplotlib knows and the file it comes from."""

    family: str
    path: str


def covers(path: str, text: str = PROBE) -> bool:
    """True when the font file at ``path`` has a real glyph for every character of ``text``
    (a placeholder font, which has one for every code point, is refused)."""
    from matplotlib.ft2font import FT2Font

    try:
        font = FT2Font(path)
    except (OSError, RuntimeError, ValueError):
        return False
    if font.get_char_index(UNASSIGNED) != 0:
        return False
    return all(font.get_char_index(ord(ch)) != 0 for ch in text)


@cache
def find_cjk_font() -> CjkFont | None:
    """The CJK font charts use, or None when the machine has none (see ``./dev``)."""
    from matplotlib import font_manager

    manager = font_manager.fontManager
    found = _lookup(manager.ttflist)
    if found is not None:
        return found
    # Fonts installed after matplotlib cached its list: register them and look again.
    known = {entry.fname for entry in manager.ttflist}
    for path in font_manager.findSystemFonts():
        if path not in known:
            try:
                manager.addfont(path)
            except (OSError, RuntimeError, ValueError):
                continue
    return _lookup(manager.ttflist)


def _lookup(entries: list[Any]) -> CjkFont | None:
    by_name: dict[str, str] = {}
    for entry in entries:
        by_name.setdefault(entry.name, entry.fname)
    for family in PREFERRED_FAMILIES:
        path = by_name.get(family)
        if path and covers(path):
            return CjkFont(family, path)
    for family, path in sorted(by_name.items()):
        if covers(path):
            return CjkFont(family, path)
    return None
