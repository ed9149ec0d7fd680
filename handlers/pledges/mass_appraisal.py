"""The mass appraisal of a cadre's pledge fulfilment as typed: shares of good / fair / poor
votes in percent (85/10/5), vote counts (42/6/2, 85票/10票/10票) or one score (92.5), and
its text on the review screen."""

from __future__ import annotations

import math
import re
import unicodedata

from handlers.core.context import Ctx
from handlers.core.errors import UserError

_SEPARATORS = re.compile(r"[\s/,;:、，；：]+")
#: Words that say the numbers are votes, not percentages (85票/10票/10票).
_VOTE_WORDS = re.compile(r"票|人|votes?", re.IGNORECASE)
#: Chinese words around the numbers: labels (好 / 一般 / 差, 满意 …) and units (分).
_LABELS = re.compile(r"[\u4e00-\u9fff]+")
#: The labels of the three shares as people type them, longest first (不满意 before 满意).
_LABEL_SHARES = (
    ("基本满意", 1), ("比较满意", 1), ("不满意", 2), ("较满意", 1), ("满意", 0), ("好评", 0),
    ("较好", 1), ("一般", 1), ("较差", 2), ("不好", 2), ("好", 0), ("优", 0), ("中", 1), ("差", 2),
    # In English (the interface speaks it on request): good 85 fair 10 poor 5.
    ("good", 0), ("fair", 1), ("average", 1), ("poor", 2), ("bad", 2),
)  # fmt: skip
_LABELLED = re.compile(
    "(" + "|".join(w for w, _ in _LABEL_SHARES) + r")[^\d]{0,3}(\d+(?:\.\d+)?)", re.IGNORECASE
)
#: Whole numbers adding up to this near 100 (but not 100) are most likely mistyped percentages.
_NEAR_HUNDRED = (90, 110)


def _score(ctx: Ctx, value: float) -> float:
    """One score from 0 to 100, rounded to a tenth; 0.9 is 90 % typed as a fraction, never a
    score of 0.9, and is asked to be typed as 90."""
    if value > 100:
        raise UserError(ctx._("A score must lie between 0 and 100."))
    if 0 < value < 1:
        raise UserError(
            ctx._(
                "A score runs from 0 to 100: did you mean {example}? Please type it that way.",
                example=f"{value * 100:g}",
            )
        )
    return round(value, 1)


def parse_mass(ctx: Ctx, text: str) -> dict[str, float]:
    """``85/10/5`` (percent), ``42/6/2`` or ``85票/10票/10票`` (vote counts, converted to
    percent) or a score ``92.5``. Whole numbers adding up to nearly 100 (85/10/10) are
    asked about rather than taken as votes: they are most likely a mistyped percentage."""
    raw = unicodedata.normalize("NFKC", text).replace("%", " ").strip()
    votes = bool(_VOTE_WORDS.search(raw))
    raw = _by_label(ctx, raw)
    # The labels people type around the numbers (好85 一般10 差5, 满意90…, 92.5分) go: the
    # numbers are read in the order typed, good first.
    raw = _LABELS.sub(" ", _VOTE_WORDS.sub(" ", raw))
    bad = UserError(
        ctx._(
            "Please type the shares of good / fair / poor votes like 85/10/5, or one score from 0 to 100 like 92.5."
        )
    )
    parts = [p for p in _SEPARATORS.split(raw) if p]
    try:
        numbers = [float(p) for p in parts]
    except ValueError:
        raise bad from None
    if not numbers or any(not math.isfinite(n) or n < 0 for n in numbers):
        raise bad
    if len(numbers) == 1:
        return {"score": _score(ctx, numbers[0])}
    if len(numbers) != 3:
        raise bad
    total = sum(numbers)
    if total <= 0:
        raise UserError(ctx._("At least one vote is needed."))
    whole = all(n.is_integer() for n in numbers)
    if votes and not whole:
        raise bad
    if not votes and abs(total - 100) <= 0.5:
        shares = numbers
    elif whole and not votes and _NEAR_HUNDRED[0] <= total <= _NEAR_HUNDRED[1]:
        # 票 in Chinese, "votes" in English: both are read as counts (English users had
        # been told to write 票).
        counts = [ctx._("{n} votes", n=f"{n:g}") for n in numbers]
        raise UserError(
            ctx._(
                "{typed} adds up to {total}, not 100. Please correct the percentages, or if these are vote counts write them as votes, like {example}.",
                typed="/".join(f"{n:g}" for n in numbers),
                total=f"{total:g}",
                example="/".join(counts),
            )
        )
    elif whole:
        shares = [n * 100 / total for n in numbers]  # vote counts
    else:
        raise UserError(ctx._("The three shares must add up to 100."))
    good, fair, poor = (round(s, 1) for s in shares)
    return {"good": good, "fair": fair, "poor": poor}


def _by_label(ctx: Ctx, raw: str) -> str:
    """``差5 好85 一般10`` in good / fair / poor order (labels decide, not the order typed);
    text without labels is returned as it is. One or two labelled shares are asked about
    (好85 alone is not a score)."""
    found = _LABELLED.findall(raw)
    if not found:
        return raw
    shares: dict[int, str] = {}
    for word, number in found:
        shares.setdefault(dict(_LABEL_SHARES)[word.lower()], number)
    if len(found) != 3 or len(shares) != 3:
        raise UserError(
            ctx._(
                "Please give all three shares, good / fair / poor, like good 85 fair 10 poor 5 or 85/10/5."
            )
        )
    return f"{shares[0]} {shares[1]} {shares[2]}" + (" 票" if _VOTE_WORDS.search(raw) else "")


def mass_text(ctx: Ctx, value: dict[str, float]) -> str:
    """The parsed mass appraisal for the review screen."""
    if "score" in value:
        return ctx._("score {score}", score=f"{value['score']:g}")
    return ctx._(
        "good {good}% · fair {fair}% · poor {poor}%",
        good=f"{value['good']:g}",
        fair=f"{value['fair']:g}",
        poor=f"{value['poor']:g}",
    )
