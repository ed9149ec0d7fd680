"""Spreadsheet export of a summary: an XLSX workbook (a sheet per section) and the same
sheets as CSV files in a zip.

Sections list one row per direct sub-unit plus a total; the people and assessment sheets
list one row per person or result. Headers follow the reader's language. Every text cell
that a spreadsheet could take for a formula is neutralised.
"""

from __future__ import annotations

from collections.abc import Sequence

from handlers.core.domain import GRADE_NAMES
from handlers.core.i18n import Translator
from handlers.core.spreadsheet import Cell, Sheet
from handlers.records.domain import handling_kind_name
from handlers.summary.domain import AccountablePerson, Figures, Summary, UnitAssessment
from handlers.summary.text import rate_cell

QUIZ_FIGURES = {"quiz_eligible", "quiz_takers", "quiz_participation", "quiz_average"}
REMINDER_FIGURES = {"reminders_sent", "reminders_acked", "ack_rate"}


def _unit_rows(
    t: Translator, s: Summary, columns: Sequence[tuple[str, str]]
) -> tuple[tuple[str, ...], tuple[tuple[Cell, ...], ...]]:
    headers = (t._("Unit"), t._("Unit code"), *(label for label, _ in columns))

    # The same applicability as the text: no test in the period, or no reminders at all,
    # leaves those figures empty rather than 0.
    blank = (QUIZ_FIGURES if not s.has_quiz else set()) | (
        REMINDER_FIGURES if not s.has_reminders else set()
    )

    def values(f: Figures) -> list[Cell]:
        out: list[Cell] = []
        for _, prop in columns:
            if prop in blank:
                out.append(None)
                continue
            v = getattr(f, prop)
            if prop.endswith(("_rate", "participation")):
                out.append(rate_cell(v))
            elif isinstance(v, float):
                out.append(round(v, 1))
            else:
                out.append(v)
        return out

    rows: list[tuple[Cell, ...]] = []
    for p in s.parts:
        name = p.unit.name + (t._(" (own)") if p.own else "")
        rows.append((name, p.unit.code, *values(p.figures)))
    rows.append((t._("Total") + f" · {s.unit.name}", s.unit.code, *values(s.total)))
    return headers, tuple(rows)


def build_sheets(
    t: Translator,
    s: Summary,
    people: Sequence[AccountablePerson],
    assessments: Sequence[UnitAssessment],
) -> list[Sheet]:
    """Every section of the export, in order: the per-unit sections, then the lists."""
    sheets = []
    for title, columns in _unit_sections(t):
        headers, rows = _unit_rows(t, s, columns)
        sheets.append(Sheet(title, headers, rows))
    categories = _handling_categories(t)
    sheets.append(_kinds_sheet(t, s, categories))
    sheets.append(_people_sheet(t, people, categories))
    sheets.append(_assessments_sheet(t, assessments))
    return sheets


def _unit_sections(t: Translator) -> list[tuple[str, list[tuple[str, str]]]]:
    """The per-unit sections: each a title and its columns (header, ``Figures`` field)."""
    return [
        (t._("Assessment"), _assessment_columns(t)),
        (t._("Accountability"), _accountability_columns(t)),
        (t._("Talks and notices"), _talk_and_notice_columns(t)),
        (t._("Pledges"), _pledge_columns(t)),
        (t._("Reminders and test"), _reminder_and_test_columns(t)),
    ]


def _assessment_columns(t: Translator) -> list[tuple[str, str]]:
    """Columns of the assessment sheet: results of units and commendations."""
    return [
        (t._("Excellent (unit-times)"), "units_excellent"),
        (t._("Passed (unit-times)"), "units_passed"),
        (t._("Failed (unit-times)"), "units_failed"),
        (t._("Advanced units"), "advanced_units"),
        (t._("Advanced workers (person-times)"), "advanced_workers"),
        (t._("Rated despite an effect period (person-times)"), "ratings_despite_bar"),
    ]


def _accountability_columns(t: Translator) -> list[tuple[str, str]]:
    """Columns of the accountability sheet: cases and people by kind of handling."""
    return [
        (t._("Cases"), "cases"),
        (t._("Person-times"), "people"),
        (t._("Organisational handling: cases"), "org_cases"),
        (t._("Organisational handling: person-times"), "org_people"),
        (t._("Discipline: cases"), "disc_cases"),
        (t._("Discipline: person-times"), "disc_people"),
    ]


def _talk_and_notice_columns(t: Translator) -> list[tuple[str, str]]:
    """Columns of the warning talks and rectification notices sheet."""
    return [
        (t._("Warning talks"), "talks"),
        (t._("Notices issued"), "notices"),
        (t._("In progress"), "notices_open"),
        (t._("Overdue"), "notices_overdue"),
        (t._("Closed on time"), "notices_closed_on_time"),
        (t._("Closed late"), "notices_closed_late"),
    ]


def _pledge_columns(t: Translator) -> list[tuple[str, str]]:
    """Columns of the pledges sheet: pledges, check-ins and appraisal."""
    return [
        (t._("Pledges made"), "pledges"),
        (t._("Pledges made after the due date"), "pledges_late"),
        (t._("Check-ins on time"), "checkins_on_time"),
        (t._("Check-ins late"), "checkins_late"),
        (t._("Check-ins missing"), "checkins_missing"),
        (t._("Check-ins on time (%)"), "checkin_on_time_rate"),
        (t._("Appraisal excellent"), "appraisal_excellent"),
        (t._("Appraisal passed"), "appraisal_passed"),
        (t._("Appraisal failed"), "appraisal_failed"),
    ]


def _reminder_and_test_columns(t: Translator) -> list[tuple[str, str]]:
    """Columns of the reminders and education-month test sheet."""
    return [
        (t._("Reminders sent"), "reminders_sent"),
        (t._("Reminders acknowledged"), "reminders_acked"),
        (t._("Acknowledged (%)"), "ack_rate"),
        (t._("Cadres expected to take the test"), "quiz_eligible"),
        (t._("Took the test"), "quiz_takers"),
        (t._("Participation (%)"), "quiz_participation"),
        (t._("Average score"), "quiz_average"),
    ]


def _handling_categories(t: Translator) -> dict[str, str]:
    """Names of the two categories of handling."""
    return {
        "organisational": t._("organisational handling"),
        "discipline": t._("party or government discipline"),
    }


def _kinds_sheet(t: Translator, s: Summary, categories: dict[str, str]) -> Sheet:
    """People and cases per kind of handling."""
    return Sheet(
        t._("Kinds of handling"),
        (t._("Handling"), t._("Kind"), t._("Person-times"), t._("Cases")),
        tuple(
            (
                categories.get(k.category, k.category),
                handling_kind_name(t, k.category, k.kind),
                k.people,
                k.cases,
            )
            for k in s.kinds
        ),
    )


def _people_sheet(
    t: Translator, people: Sequence[AccountablePerson], categories: dict[str, str]
) -> Sheet:
    """One row per person held accountable."""
    return Sheet(
        t._("People held accountable"),
        (
            t._("Case no."),
            t._("Case opened"),
            t._("Name"),
            t._("Unit"),
            t._("Unit code"),
            t._("Handling"),
            t._("Kind"),
            t._("Effective from"),
        ),
        tuple(
            (
                p.case_id,
                p.opened_on.isoformat(),
                p.person_name,
                p.unit_name,
                p.unit_code,
                categories.get(p.category, p.category),
                handling_kind_name(t, p.category, p.kind),
                p.effective_on.isoformat(),
            )
            for p in people
        ),
    )


def _assessments_sheet(t: Translator, assessments: Sequence[UnitAssessment]) -> Sheet:
    """One row per assessment result."""
    results = {code: t._(name) for code, name in GRADE_NAMES.items()}
    commendations = {
        "advanced_unit": t._("advanced unit"),
        "advanced_worker": t._("advanced worker"),
        "": "",
    }
    return Sheet(
        t._("Assessment results"),
        (
            t._("Year"),
            t._("Unit"),
            t._("Unit code"),
            t._("Name"),
            t._("Result"),
            t._("Commendation"),
        ),
        tuple(
            (
                a.year,
                a.unit_name,
                a.unit_code,
                a.person_name,
                results.get(a.result, a.result),
                commendations.get(a.commendation, a.commendation),
            )
            for a in assessments
        ),
    )
