"""Figures from the rows of the figures statement (or the same rows kept in the snapshot)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from handlers.summary.domain import Figures, KindCount, SummaryQuery
from storage.summary.sql.rows import SEC_CHECKINS, SEC_KINDS, SEC_PLEDGES, SECTION_NAMES


def assemble(rows: Sequence[Any], q: SummaryQuery) -> tuple[dict[str, Figures], list[KindCount]]:
    """Figures per bucket and the (category, kind) table from the rows of the figures
    statement (or the same rows kept in the snapshot): (bucket, sec, k_year, k_period, v0 …).

    Check-ins missing are derived here, from pledges and check-ins submitted per bucket: a
    check-in is missing once its window has closed (before ``q.today``) without one.
    """
    names = SECTION_NAMES
    acc: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    # (bucket, year) -> [(day made public, pledges)]
    pledges: dict[tuple[str, int], list[tuple[str, int]]] = defaultdict(list)
    submitted: dict[tuple[str, int, str], int] = defaultdict(int)
    kinds: list[KindCount] = []
    for b, sec, year, period, *values in rows:
        if sec == SEC_KINDS:  # b: category, period: kind
            kinds.append(KindCount(b, period, int(values[0] or 0), int(values[1] or 0)))
            continue
        for name, value in zip(names[sec], values, strict=False):
            acc[b][name] += int(value or 0)
        if sec == SEC_PLEDGES:
            pledges[(b, int(year))].append((str(period or ""), int(values[0] or 0)))
        elif sec == SEC_CHECKINS:
            submitted[(b, int(year), str(period))] += int(values[0] or 0) + int(values[1] or 0)
    due = dict(q.pledge_due)
    for (b, year), made in pledges.items():
        if year in due:
            # Made public after the year's due date (ISO dates compare as text).
            last = due[year].isoformat()
            acc[b]["pledges_late"] += sum(n for day, n in made if day and day[:10] > last)
    for w in q.windows:
        if w.ends_on >= q.today:
            continue
        closes = w.ends_on.isoformat()
        for (b, year), made in pledges.items():
            if year == w.year:
                # Only pledges made public by the window's last day owe a check-in in it
                # (ISO dates compare as text; an unknown day counts as owing).
                owing = sum(n for day, n in made if not day or day[:10] <= closes)
                missing = owing - submitted.get((b, year, w.period), 0)
                acc[b]["checkins_missing"] += max(missing, 0)
    # Categories last to first, then most people first, then kind (as kinds() orders).
    kinds.sort(key=lambda k: k.kind)
    kinds.sort(key=lambda k: k.people, reverse=True)
    kinds.sort(key=lambda k: k.category, reverse=True)
    return {k: Figures(**v) for k, v in acc.items()}, kinds
