"""The sections of the integrity pledges: pledges (annual), check-ins of the windows closing
in the period, and appraisals."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String, and_, cast, false, func, or_, true

from storage.pledges.models import AppraisalRow, CheckinRow, PledgeRow
from storage.summary.sql.functions import count_if
from storage.summary.sql.rows import SEC_APPRAISALS, SEC_CHECKINS, SEC_PLEDGES, Build, per_unit


def pledges(b: Build) -> list[tuple[int, Any]]:
    """(section id, SELECT) of pledges, check-ins (when a window closes in the period) and
    appraisals, in that order."""
    pl, ci, ap = PledgeRow, CheckinRow, AppraisalRow
    p, scope = b.q.period, b.scope
    pl_year = scope.col(pl.year)
    in_years = pl_year.between(p.years[0], p.years[-1])
    mine = scope.has(pl.unit_id)
    pl_grain = b.g(lambda g: g.of_year(pl.year))
    # Keyed by the day each pledge was made public too: a check-in window that closed
    # before a pledge was made public is not owed by it (a pledge made in December owes no
    # mid-year check-in), so missing check-ins are counted per window in assemble().
    out = [
        (
            SEC_PLEDGES,
            per_unit(
                b,
                SEC_PLEDGES,
                pl,
                [func.count()],
                grain=pl_grain,
                where=[mine, in_years],
                by=(pl.year, pl.publish_date),
                year=pl.year,
                period=cast(pl.publish_date, String),
            ),
        )
    ]
    if b.q.windows:
        window = or_(*[and_(pl_year == w.year, ci.period == w.period) for w in b.q.windows])
        checkins = per_unit(
            b,
            SEC_CHECKINS,
            pl,
            [count_if(ci.late == false()), count_if(ci.late == true())],
            grain=b.g(lambda g: g.of_window(pl.year, ci.period)),
            join=(ci, ci.pledge_id == pl.id),
            where=[mine, window],
            by=(pl.year, ci.period),
            year=pl.year,
            period=ci.period,
        )
        out.append((SEC_CHECKINS, checkins))
    grades = [
        count_if(ap.grade == "excellent"),
        count_if(ap.grade == "passed"),
        count_if(ap.grade == "failed"),
    ]
    appraisals = per_unit(
        b,
        SEC_APPRAISALS,
        pl,
        grades,
        grain=pl_grain,
        join=(ap, ap.pledge_id == pl.id),
        where=[mine, in_years],
    )
    return [*out, (SEC_APPRAISALS, appraisals)]
