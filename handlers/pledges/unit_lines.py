"""The lines of /unitpledges: the header's counts and one line per person, with the legend's
marks (on time, late, missing, open now, not open yet, not owed)."""

from __future__ import annotations

from handlers.calendar.windows import PledgeCalendar, WindowState
from handlers.core.context import Ctx
from handlers.core.i18n import N_
from handlers.pledges.domain import Checkin
from handlers.pledges.form_checks import today
from handlers.pledges.status import PersonYear, must_pledge
from handlers.pledges.text import code_name, day


def _mark(checkin: Checkin | None, state: WindowState) -> str:
    """One symbol per check-in: on time, late, missing after the window, open, not yet open."""
    if checkin is not None:
        return "⏰" if checkin.late else "✅"
    return {WindowState.CLOSED: "❗", WindowState.OPEN: "⏳", WindowState.BEFORE: "○"}[state]


def person_line(ctx: Ctx, n: int, record: PersonYear, calendar: PledgeCalendar) -> str:
    """Person ``n`` of the list: the pledge's mark, one per check-in window, the grade."""
    unit = record.unit.name if record.unit else ""
    if record.pledge is None:
        line = ctx._("{n}. {name} ({unit}) — ❌ no pledge", n=n, name=record.person.name, unit=unit)
        listed = record.person.listed_at
        listed_day = listed.astimezone(ctx.services.config.timezone).date() if listed else None
        if listed_day is not None and listed_day > calendar.pledge_due_date(record.year):
            # Listed after the year's due date: not late in the sense the others are.
            line += ctx._(" (listed on {date}, after the due date)", date=listed_day.isoformat())
        return line
    pledge = record.pledge
    marks = " · ".join(
        f"{code_name(ctx.t, w.period)} {_mark(record.checkins.get(w.period), w.state(today(ctx)))}"
        if w.period in record.checkins or pledge.expects_checkin(w.end)
        else f"{code_name(ctx.t, w.period)} —"  # pledged after this window: not owed
        for w in calendar.windows_for(record.year)
    )
    grade = ""
    if record.appraisal is not None:
        grade = " · " + code_name(ctx.t, record.appraisal.grade)
    # The pledge's own mark follows the legend: ⏰ when made public after the due date.
    late = record.pledge.published_late(calendar.pledge_due_date(record.year))
    return ctx._(
        "{n}. {name} ({unit}) — {pledged} · {marks}{grade}",
        n=n,
        name=record.person.name,
        unit=unit,
        pledged="⏰" if late else "✅",
        marks=marks,
        grade=grade,
    )


def unit_counts(ctx: Ctx, records: list[PersonYear], calendar: PledgeCalendar, year: int) -> str:
    """The list's header: who must pledge and has, and per window opened who has reported."""
    must = [r for r in records if must_pledge(r.person)]
    pledged = [r for r in records if r.pledge is not None]
    due = calendar.pledge_due_date(year)
    # A late pledge is still a pledge: counted as pledged, and its lateness shown beside.
    late = [r for r in must if r.pledge is not None and r.pledge.published_late(due)]
    lines = [
        ctx._(
            "Must pledge: {must} · pledged: {pledged} (late {late}) · not yet: {missing}",
            must=len(must),
            pledged=len([r for r in must if r.pledge is not None]),
            late=len(late),
            missing=len([r for r in must if r.pledge is None]),
        )
    ]
    now = today(ctx)
    for window in calendar.windows_for(year):
        if window.state(now) == WindowState.BEFORE:
            continue
        done = [r.checkins[window.period] for r in pledged if window.period in r.checkins]
        owed = [
            r
            for r in pledged
            if window.period not in r.checkins
            and r.pledge is not None
            and r.pledge.expects_checkin(window.end)
        ]
        counts = {
            "period": code_name(ctx.t, window.period),
            "done": len(done),
            "late": len([c for c in done if c.late]),
            "missing": len(owed),
        }
        if window.state(now) == WindowState.OPEN:
            # Still open: those owing are not late yet (they had been counted "not reported",
            # beside their ⏳ in progress).
            counts["end"] = day(window.end)
            message = N_(
                "{period}: reported {done} (late {late}) · still to report {missing}, open until {end}"
            )
            lines.append(ctx._(message, **counts))
        else:
            message = N_("{period}: reported {done} (late {late}) · not reported {missing}")
            lines.append(ctx._(message, **counts))
    lines.append(
        ctx._("✅ on time · ⏰ late · ❗ missing · ⏳ open now · ○ not open yet · — not owed")
    )
    return "\n".join(lines)
