"""Wording of a summary: the compact text, row labels and column headers, in one language.

Takes a :class:`Translator`, not a chat context, so the CLI and the exports share it.
"""

from __future__ import annotations

from handlers.core.i18n import Translator
from handlers.records.domain import handling_kind_name
from handlers.summary.domain import Figures, Period, Summary


def rate_cell(value: float | None) -> float | None:
    """A rate as the percentage the spreadsheet holds (one decimal), None when there is
    nothing to divide by. The text shows the same number (:func:`pct`), so the two agree."""
    return None if value is None else round(value * 100, 1)


def pct(value: float | None) -> str:
    """A rate as shown in texts: the spreadsheet's percentage (``33.3%``, ``100%``), or a
    dash when there is nothing to divide by."""
    cell = rate_cell(value)
    return "—" if cell is None else f"{cell:g}%"


def average_text(value: float | None) -> str:
    """An average score as shown in texts and held in the spreadsheet (one decimal)."""
    return "—" if value is None else f"{round(value, 1):.1f}"


def period_label(t: Translator, period: Period) -> str:
    """How a period is named in titles (``2026年``, ``2026年第2季度``, a date range …)."""
    code = period.code
    if len(code) == 4:
        return t._("year {year}", year=code)
    if "Q" in code:
        return t._("{year} Q{quarter}", year=code[:4], quarter=code[-1])
    if len(code) == 7:
        return t._("{year}-{month}", year=code[:4], month=code[5:])
    if period.start == period.end:  # 今天, 昨天: one day
        return period.start.isoformat()
    return t.span(period.start.isoformat(), period.end.isoformat())


def figure_lines(t: Translator, f: Figures, has_reminders: bool, has_quiz: bool) -> list[str]:
    """The summary's body, one line per section."""
    return [
        _assessment_line(t, f),
        _accountability_line(t, f),
        # The talks recorded with /talk; 诫勉 given as a case's handling is counted among the
        # handling kinds, so the line says which it counts (two figures had read as a clash).
        t._("Warning talks (talk records): {n}", n=f.talks),
        _notices_line(t, f),
        _pledges_line(t, f),
        _reminders_line(t, f, has_reminders),
        _quiz_line(t, f, has_quiz),
    ]


def _assessment_line(t: Translator, f: Figures) -> str:
    """Assessment results and commendations, with ratings made despite a bar (people rated
    excellent or advanced: not a part of the advanced workers, as "of which" had said)."""
    return t._(
        "Unit assessments: excellent {units_excellent}, passed {units_passed}, failed "
        "{units_failed}; advanced units {advanced_units}; advanced workers {advanced_workers} "
        "(person-times)",
        **vars(f),
    ) + (
        t._(
            "; rated excellent or advanced despite an effect period, on confirmation: {n} person-times",
            n=f.ratings_despite_bar,
        )
        if f.ratings_despite_bar
        else ""
    )


# The section lines name their placeholders after the fields of Figures, so each passes
# the figures whole (``**vars(f)``) and adds only what is computed: rates and the totals
# that are properties (notices, checkins_expected).


def _accountability_line(t: Translator, f: Figures) -> str:
    """Accountability cases and people, by category of handling."""
    line = t._(
        "Accountability: cases {cases}, person-times {people}; organisational handling: cases "
        "{org_cases}, person-times {org_people}; party or government discipline: cases "
        "{disc_cases}, person-times {disc_people}",
        **vars(f),
    )
    if f.org_cases + f.disc_cases > f.cases:
        # The two kinds did not add up to the total: say why rather than leave a sum that fails.
        line += t._(" (a case with both kinds of handling is counted in each)")
    elif f.org_cases + f.disc_cases < f.cases:
        # A case with no handling (nobody held accountable, not decided yet, or its handling
        # revoked) is in the total only: said, so the kinds need not add up.
        line += t._(" (a case with no handling recorded is counted in the total only)")
    return line


def _notices_line(t: Translator, f: Figures) -> str:
    """Rectification notices by state."""
    return t._(
        "Rectification notices: {notices} issued; {notices_open} open, {notices_overdue} "
        "overdue, {notices_closed_on_time} closed on time, {notices_closed_late} closed late",
        notices=f.notices,
        **vars(f),
    )


def _pledges_line(t: Translator, f: Figures) -> str:
    """Pledges made, check-ins and the mass appraisal."""
    return t._(
        "Pledges: {pledges} made ({pledges_late} after the due date); check-ins {checkins_on_time}/{checkins_expected} on time "
        "({rate}), {checkins_late} late, {checkins_missing} missing; appraisal "
        "{appraisal_excellent} excellent, {appraisal_passed} passed, {appraisal_failed} failed",
        rate=pct(f.checkin_on_time_rate),
        checkins_expected=f.checkins_expected,
        **vars(f),
    )


def _reminders_line(t: Translator, f: Figures, has_reminders: bool) -> str:
    """The acknowledgement rate, or "no data" when no reminder was sent."""
    if has_reminders and f.reminders_sent:
        return t._(
            "Reminders acknowledged: {rate} ({reminders_acked} of {reminders_sent})",
            rate=pct(f.ack_rate),
            **vars(f),
        )
    return t._("Reminders acknowledged: {rate}", rate=t._("no data"))


def _quiz_line(t: Translator, f: Figures, has_quiz: bool) -> str:
    """The education-month test, or "no data" when nobody was expected to take it."""
    # Participation is shown whenever someone was expected to take the test, also when
    # nobody did (0%): the spreadsheet holds the same figure.
    if has_quiz and (f.quiz_eligible or f.quiz_takers):
        return t._(
            "Education-month test: {quiz_takers} of {quiz_eligible} took part ({rate}), "
            "average score {avg}",
            rate=pct(f.quiz_participation),
            avg=average_text(f.quiz_average),
            **vars(f),
        )
    return t._("Education-month test: {rate}", rate=t._("no data"))


def attribution_line(t: Translator, period: Period) -> str:
    """For a period shorter than a year, which figures are the whole year's: assessments,
    pledges and appraisals are annual and cannot be split by month. Empty for whole years."""
    if period.whole_years:
        return ""
    years = t.join(period.years)
    return t._(
        "Note: assessments, pledges and appraisals are annual figures of {years} (the whole year); the other figures count what happened in this period, and check-ins the report periods that closed in it.",
        years=years,
    )


def as_of_line(t: Translator, s: Summary) -> str:
    """When the figures were taken, for a summary read from the pre-aggregated snapshot;
    empty for live figures."""
    if s.as_of is None:
        return ""
    return t._(
        "Figures as of {time} today (updated every few minutes); records entered since then "
        "are not yet counted.",
        time=f"{s.as_of:%H:%M}",
    )


def _in_a_list(t: Translator, name: str) -> str:
    """A kind's name inside an English list, lower case as the rest of the list is (Chinese
    unchanged)."""
    return (
        name
        if t.chinese or not name[:1].isupper() or name[1:2].isupper()
        else name[0].lower() + name[1:]
    )


def render_text(t: Translator, s: Summary, max_kinds: int = 8, in_chat: bool = True) -> str:
    """The compact text summary of a subtree and period. In the chat the sub-units are
    buttons below the text; elsewhere (``in_chat=False``, the command line) they are
    listed by code, with how to summarise one of them."""
    title = t._("📊 Summary: {unit} · {period}", unit=s.unit.name, period=period_label(t, s.period))
    lines = [title, *figure_lines(t, s.total, s.has_reminders, s.has_quiz)]
    if s.kinds:
        shown = t.join(
            t._(
                "{kind} {n}",
                kind=_in_a_list(t, handling_kind_name(t, k.category, k.kind)),
                n=k.people,
            )
            for k in s.kinds[:max_kinds]
        )
        more = len(s.kinds) - max_kinds
        if more > 0:
            shown += t._(" and {n} more kinds", n=more)
        lines.insert(3, t._("By kind (person-times): {kinds}", kinds=shown))
    note = attribution_line(t, s.period)
    if note:
        lines.append(note)
    if s.as_of is not None:
        lines.insert(1, as_of_line(t, s))
    others = [p for p in s.parts if not p.own]  # a unit's own records are a part, not a sub-unit
    if others and in_chat:
        lines.append(t._("Sub-units: press a button below to see one of them."))
    elif others:
        lines.append(t._("Sub-units (run again with --unit CODE to summarise one of them):"))
        lines += [f"  {p.unit.code}  {p.unit.name}" for p in others]
    return "\n".join(lines)
