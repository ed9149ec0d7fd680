"""The text summary and the spreadsheet show the same figures (issue 18): one computation
(:class:`Figures` and the shared formatting in ``handlers.summary.text``) feeds both, and
this test compares them for every figure of the spreadsheet's unit sheets."""

from __future__ import annotations

import io
from dataclasses import fields, replace

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from handlers.core.domain import Unit, UnitLevel
from handlers.core.i18n import translator
from handlers.core.spreadsheet import to_xlsx
from handlers.summary.domain import Figures, Summary
from handlers.summary.export import build_sheets
from handlers.summary.period import year_period
from handlers.summary.text import average_text, pct, render_text

ZH = translator("zh_CN")
CITY = Unit(1, "C", "濮阳市", UnitLevel.CITY, None, "/1/")
#: The unit sheets: assessment, accountability, talks and notices, pledges, reminders/test.
UNIT_SHEETS = 5
#: Spreadsheet columns that are rates (shown as percentages) or averages.
RATE_HEADERS = {ZH._("Check-ins on time (%)"), ZH._("Acknowledged (%)"), ZH._("Participation (%)")}


def shown(header: str, value: object) -> str | None:
    """How the text must show a spreadsheet cell, or None when it shows "no data"."""
    if value is None:
        return None
    if header in RATE_HEADERS:
        return pct(float(value) / 100)  # type: ignore[arg-type]
    if isinstance(value, float):
        return average_text(value)
    return str(value)


def total_cells(summary: Summary) -> list[tuple[str, object]]:
    """(header, value) of the total row of every unit sheet, read back from the XLSX."""
    sheets = build_sheets(ZH, summary, [], [])
    book = load_workbook(io.BytesIO(to_xlsx(sheets)))
    out: list[tuple[str, object]] = []
    for ws in book.worksheets[:UNIT_SHEETS]:
        rows = list(ws.iter_rows(values_only=True))
        headers, total = rows[0], rows[-1]
        out += [(str(h), v) for h, v in zip(headers[2:], total[2:], strict=True)]
    return out


def check(f: Figures) -> None:
    summary = Summary(CITY, year_period(2026), f, (), ())
    text = render_text(ZH, summary)
    for header, value in total_cells(summary):
        expected = shown(header, value)
        if expected is None:
            assert "—" in text or "暂无数据" in text, (header, text)
        else:
            assert expected in text, (header, value, text)


def test_nobody_took_the_test_is_zero_percent_in_both() -> None:
    """The disagreement users found: the text said "no data" where the XLSX said 0."""
    f = Figures(quiz_eligible=8, quiz_takers=0)
    check(f)
    text = render_text(ZH, Summary(CITY, year_period(2026), f, (), ()))
    assert "0%" in text and ZH._("Education-month test: {rate}", rate=ZH._("no data")) not in text


def test_a_rate_with_a_third_is_the_same_number_in_both() -> None:
    check(Figures(checkins_on_time=1, checkins_late=1, checkins_missing=1))
    check(Figures(quiz_eligible=3, quiz_takers=1, quiz_score_total=77))


COUNTS = st.integers(min_value=0, max_value=40)


@given(st.builds(Figures, **{f.name: COUNTS for f in fields(Figures)}))
@settings(max_examples=150, deadline=None)
def test_every_figure_of_the_spreadsheet_is_in_the_text(f: Figures) -> None:
    # Only what storage can produce: acknowledgements are of reminders sent.
    check(replace(f, reminders_acked=min(f.reminders_acked, f.reminders_sent)))


def test_ratings_despite_a_bar_are_not_said_to_be_a_part_of_the_advanced_workers() -> None:
    """先进工作者 0 人次（其中……1 人次）: a person rated 优秀 in an effect period is no advanced
    worker, so "of which" read as a part of nothing."""
    f = Figures(advanced_workers=0, ratings_despite_bar=1)
    text = render_text(ZH, Summary(CITY, year_period(2026), f, (), ()))
    assert "其中" not in text.split("先进工作者")[1].split("\n")[0]
    assert (
        ZH._(
            "; rated excellent or advanced despite an effect period, on confirmation: {n} person-times",
            n=1,
        )
        in text
    )


def test_annual_figures_in_a_month_are_said_to_be_the_whole_years() -> None:
    from handlers.summary.period import parse_period

    month = parse_period("2026-05")
    assert month is not None
    f = Figures(pledges=4, units_passed=2)
    text = render_text(ZH, Summary(CITY, month, f, (), ()))
    assert "2026 年度的全年数字" in text
    assert "全年数字" not in render_text(ZH, Summary(CITY, year_period(2026), f, (), ()))


async def test_test_participation_only_for_periods_that_hold_the_test() -> None:
    from handlers.summary.figures import holds_the_test
    from handlers.summary.period import parse_period
    from tests.handlers.core.fakes import FakeUnitOfWorkFactory

    uow = FakeUnitOfWorkFactory()()
    async with uow:
        for code, expected in (
            ("2026-11", False),
            ("2026-08", True),
            ("2026Q3", True),
            ("2026", True),
        ):
            period = parse_period(code)
            assert period is not None
            assert await holds_the_test(uow, period) is expected, code
    f = Figures(quiz_eligible=10)
    november = Summary(CITY, parse_period("2026-11"), f, (), (), has_quiz=False)  # type: ignore[arg-type]
    text = render_text(ZH, november)
    assert ZH._("Education-month test: {rate}", rate=ZH._("no data")) in text
    assert all(v is None for h, v in total_cells(november) if h in (ZH._("Participation (%)"),))
