"""Text normalisation for matching: how officials type is not how rules are written.

Steps: Unicode NFKC (full-width → half-width), traditional → simplified, lower case,
punctuation and symbols → spaces, collapsed whitespace. Aliases and common typos are
rewritten by :mod:`knowledge.synonyms` after this.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from opencc import OpenCC

_t2s = OpenCC("t2s")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=4096)
def to_simplified(text: str) -> str:
    """Traditional → simplified Chinese (characters already simplified are unchanged)."""
    return str(_t2s.convert(text))


def _is_separator(ch: str) -> bool:
    cat = unicodedata.category(ch)
    return cat[0] in ("P", "S", "Z", "C")


def normalise(text: str, simplify: bool = True) -> str:
    """Canonical form of ``text`` for comparison and tokenisation."""
    text = unicodedata.normalize("NFKC", text)
    if simplify:
        text = to_simplified(text)
    text = text.lower()
    text = "".join(" " if _is_separator(ch) else ch for ch in text)
    return _SPACES.sub(" ", text).strip()
