"""The choices a typed phrase is closest to, for a step that takes only its buttons.

Officials type what they mean in their own words (没落实主体责任 for "全面从严治党主体责任、
监督责任落实不到位"): a bare "please use the buttons" left them to read eleven long labels
again. Shared character pairs are a fair measure for Chinese labels of a few words, and
need no segmenter.
"""

from __future__ import annotations

from collections.abc import Sequence


def _pairs(text: str) -> set[str]:
    """The text's adjacent character pairs, punctuation and spaces left out."""
    kept = "".join(ch for ch in text.lower() if ch.isalnum())
    return {kept[i : i + 2] for i in range(len(kept) - 1)}


def closest_choices(
    text: str, choices: Sequence[tuple[str, str]], limit: int = 3
) -> list[tuple[str, str]]:
    """Up to ``limit`` (label, value) choices sharing the most character pairs with
    ``text``, best first; none that share no pair. Ties keep the choices' order."""
    typed = _pairs(text)
    if not typed:
        return []
    scored = [(len(typed & _pairs(label)), i) for i, (label, _) in enumerate(choices)]
    ranked = sorted((s for s in scored if s[0] > 0), key=lambda s: (-s[0], s[1]))
    return [choices[i] for _, i in ranked[:limit]]
