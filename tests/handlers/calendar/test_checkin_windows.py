"""The mid-year check-in window follows the democratic life meeting's actual date, and every
consumer (check-in form, lateness, pending check-ins, their reminders, summaries, the
calendar) sees the same window."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from handlers.calendar.domain import Period
from handlers.calendar.events import year_events
from handlers.core.app import Assistant
from handlers.core.clock import ManualClock
from handlers.pledges.calendar import PledgeCalendar, default_pledge_calendar, pledge_calendar
from handlers.pledges.status import pending_checkins
from handlers.registry import checkin_deadlines
from handlers.reminders.domain import CalendarDate
from handlers.summary.figures import build_summary, checkin_windows
from handlers.summary.period import quarter_period
from knowledge.pledges import WINDOWS_FILE, load_calendar
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.core.helpers import say, texts
from tests.handlers.pledges.helpers import (
    HE_JING,
    answer_checkin,
    confirm,
    has,
    make_pledge,
    not_open_yet,
)

ADMIN = 1001


def meeting(day: date) -> CalendarDate:
    return CalendarDate("life_meeting", day.year, day)


def test_the_window_closes_the_day_before_the_meeting() -> None:
    cal = default_pledge_calendar().with_dates([meeting(date(2026, 5, 20))])
    w = cal.window(2026, Period.MIDYEAR)
    assert (w.start, w.end) == (date(2026, 4, 8), date(2026, 5, 19))  # six weeks before
    # Other years and the other window keep the defaults.
    assert cal.window(2025, Period.MIDYEAR) == default_pledge_calendar().window(
        2025, Period.MIDYEAR
    )
    assert cal.window(2026, Period.YEAREND).start == date(2026, 12, 1)


def test_a_derived_window_stays_inside_the_year_and_clear_of_the_next() -> None:
    late = default_pledge_calendar().with_dates([meeting(date(2026, 11, 20))])
    w = late.window(2026, Period.MIDYEAR)
    assert w.end == date(2026, 11, 19) and w.start == date(2026, 10, 9)
    # A meeting inside the year-end window: the mid-year one stops before that window.
    later = default_pledge_calendar().with_dates([meeting(date(2026, 12, 10))])
    assert later.window(2026, Period.MIDYEAR).end == date(2026, 11, 30)
    early = default_pledge_calendar().with_dates([meeting(date(2026, 1, 20))])
    assert early.window(2026, Period.MIDYEAR).start == date(2026, 1, 1)
    # Nothing left before a meeting on 1 January: the defaults apply.
    first = default_pledge_calendar().with_dates([meeting(date(2026, 1, 1))])
    assert first.window(2026, Period.MIDYEAR).end == date(2026, 7, 14)


def test_weeks_before_is_data_and_checked(tmp_path: Path) -> None:
    text = WINDOWS_FILE.read_text(encoding="utf-8")
    changed = tmp_path / "w.yaml"
    changed.write_text(text.replace("weeks_before: 6", "weeks_before: 4"), encoding="utf-8")
    cal = PledgeCalendar.from_spec(load_calendar(changed)).with_dates([meeting(date(2026, 5, 20))])
    assert cal.window(2026, Period.MIDYEAR).start == date(2026, 4, 22)
    bad = tmp_path / "bad.yaml"
    bad.write_text(text.replace("before_event: life_meeting", "before_event: nope"), "utf-8")
    with pytest.raises(ValueError, match="unknown calendar event"):
        load_calendar(bad)


async def test_every_consumer_sees_the_window_of_the_set_meeting(
    core: Assistant, clock: ManualClock, fake_uow: FakeUnitOfWorkFactory
) -> None:
    assert "已保存" in texts(await say(core, ADMIN, "/calendar set life_meeting 2026-05-20 礼堂"))
    await make_pledge(core, HE_JING)
    await confirm(core, HE_JING)
    # The check-in form: not open yet on 1 April, with the derived dates.
    clock.set(datetime(2026, 4, 1, 2, 0, tzinfo=UTC))
    assert not_open_yet(
        await say(core, HE_JING, "/checkin"), "mid-year", "2026-04-08", "2026-05-19"
    )
    # The calendar shows the pledge-report window on the same dates.
    shown = texts(await say(core, HE_JING, "/calendar"))
    assert "2026-04-08～2026-05-19" in shown and "践诺" in shown
    async with fake_uow() as uow:
        report = next(e for e in await year_events(uow, 2026) if e.spec.code == "pledge_report")
        assert (report.starts_on, report.ends_on) == (date(2026, 4, 8), date(2026, 5, 19))
    # On the meeting day the check-in is overdue everywhere.
    clock.set(datetime(2026, 5, 20, 2, 0, tzinfo=UTC))
    async with fake_uow() as uow:
        pending = await pending_checkins(uow, ["/"], 2026, clock.now())
        mine = [p for p in pending if p.person.telegram_user_id == HE_JING]
        assert [(p.window.end, p.overdue) for p in mine] == [(date(2026, 5, 19), True)]
        due = {d.due for d in await checkin_deadlines(uow, clock.now())}
        assert due == {date(2026, 5, 19)}
        # Summaries count the check-in as missing in the quarter the window closed in.
        calendar = await pledge_calendar(uow)
        q2 = quarter_period(2026, 2)
        assert [(w.period, w.ends_on) for w in checkin_windows(q2, calendar)] == [
            ("midyear", date(2026, 5, 19))
        ]
        assert checkin_windows(q2) == ()  # the defaults close in July
        unit = await uow.units.get(1)
        assert unit is not None
        await build_summary(uow, unit, q2, clock.now(), core.services.config.timezone)
        assert [w.ends_on for w in uow.summary.queries[-1].windows] == [date(2026, 5, 19)]  # type: ignore[attr-defined]
    # A check-in now is accepted and marked late.
    await say(core, HE_JING, "/checkin")
    await answer_checkin(core, HE_JING, [("kept", "做到了", None)] * 3)
    assert has(
        await confirm(core, HE_JING),
        "It is marked late: the window closed on {date}.",
        date="2026-05-19",
    )


def test_dates_set_for_the_report_event_are_the_window() -> None:
    """An administrator who sets the pledge-report dates themselves decides the window;
    that wins over the window derived from the meeting."""
    report = CalendarDate("pledge_report", 2026, date(2026, 6, 8), date(2026, 6, 20))
    cal = default_pledge_calendar().with_dates([meeting(date(2026, 5, 20)), report])
    w = cal.window(2026, Period.MIDYEAR)
    assert (w.start, w.end) == (date(2026, 6, 8), date(2026, 6, 20))
    assert cal.window(2027, Period.MIDYEAR) == default_pledge_calendar().window(
        2027, Period.MIDYEAR
    )
    # A single day set: the window is that day.
    one = CalendarDate("pledge_report", 2026, date(2026, 6, 12))
    w = default_pledge_calendar().with_dates([one]).window(2026, Period.MIDYEAR)
    assert (w.start, w.end) == (date(2026, 6, 12), date(2026, 6, 12))


async def test_the_check_in_form_follows_a_set_report_window(
    core: Assistant, clock: ManualClock
) -> None:
    saved = await say(core, ADMIN, "/calendar set pledge_report 2026-06-08..2026-06-20")
    assert "已保存" in texts(saved), texts(saved)
    await make_pledge(core, HE_JING)
    await confirm(core, HE_JING)
    clock.set(datetime(2026, 6, 1, 2, 0, tzinfo=UTC))
    assert not_open_yet(
        await say(core, HE_JING, "/checkin"), "mid-year", "2026-06-08", "2026-06-20"
    )


async def test_without_a_set_meeting_the_defaults_apply(fake_uow: FakeUnitOfWorkFactory) -> None:
    async with fake_uow() as uow:
        cal = await pledge_calendar(uow)
    # The demo sets the 2026 meeting only; 2027 keeps the rule base's window.
    assert cal.window(2027, Period.MIDYEAR) == default_pledge_calendar().window(
        2027, Period.MIDYEAR
    )
    assert cal.window(2026, Period.MIDYEAR).start == date(2026, 6, 4)


def test_handlers_load_the_calendar_with_the_set_dates() -> None:
    """Only the loader may use the bare rule-base calendar: a consumer calling
    default_pledge_calendar() would ignore the dates administrators set."""
    root = Path(__file__).resolve().parents[3]
    # The form reads only the pledge due date, which no administrator's date moves; the
    # year's events and the summary apply the set dates to it themselves.
    allowed = {
        "handlers/calendar/windows.py",
        "handlers/calendar/events.py",
        "handlers/summary/figures.py",
        "handlers/pledges/form_checks.py",
    }
    users = {
        p.relative_to(root).as_posix()
        for folder in ("handlers", "bot")
        for p in (root / folder).rglob("*.py")
        if "default_pledge_calendar(" in p.read_text(encoding="utf-8")
    }
    # The loader is found (the search looks in the packages), and nobody else calls it.
    assert "handlers/calendar/windows.py" in users
    assert users - allowed == set()
