"""The year's plan: the calendar and the check-in windows agree, one validation reports
every conflict, past years are history, events are named as they are shown (issue 18)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from handlers.calendar.domain import Period
from handlers.core.app import Assistant
from handlers.core.clock import ManualClock
from handlers.core.i18n import translator
from handlers.pledges.calendar import default_pledge_calendar
from handlers.reminders.plan import year_events
from knowledge.calendar import plan_conflicts
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.core.helpers import say, texts

ZH = translator("zh_CN")
ADMIN, CADRE = 1001, 1104


@pytest.mark.parametrize("year", range(2025, 2036))
async def test_the_default_plan_has_no_conflict_and_shows_the_real_windows(year: int) -> None:
    uow = FakeUnitOfWorkFactory()()
    async with uow:
        events = await year_events(uow, year)
    assert plan_conflicts(events) == []
    by_code = {e.spec.code: e for e in events}
    cal = default_pledge_calendar()
    for code, period in (("pledge_report", Period.MIDYEAR), ("yearend_report", Period.YEAREND)):
        w = cal.window(year, period)
        assert (by_code[code].starts_on, by_code[code].ends_on) == (w.start, w.end), code
    # Each window ends before the meeting or assessment it feeds.
    assert cal.window(year, Period.MIDYEAR).end < by_code["life_meeting"].starts_on
    assert cal.window(year, Period.YEAREND).end < by_code["year_end_assessment"].starts_on


async def test_calendar_shows_the_open_year_end_window_and_no_codes(
    core: Assistant, clock: ManualClock
) -> None:
    clock.set(datetime(2026, 12, 4, 2, 0, tzinfo=UTC))
    for user in (CADRE, ADMIN):
        text = texts(await say(core, user, "/calendar"))
        assert "年终践诺报告" in text and "进行中" in text
        assert "`" not in text and "year_end_assessment" not in text


async def test_events_are_set_by_the_name_shown(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    reply = texts(await say(core, ADMIN, "/calendar set 专题民主生活会 2026-10-20 市委第一会议室"))
    assert "已保存" in reply
    assert fake_uow.db.reminder_tables.dates[("life_meeting", 2026)].starts_on == date(2026, 10, 20)


async def test_a_past_year_is_not_changed(core: Assistant, fake_uow: FakeUnitOfWorkFactory) -> None:
    before = dict(fake_uow.db.reminder_tables.dates)
    reply = texts(await say(core, ADMIN, "/calendar set life_meeting 2025-10-20"))
    assert "2025 年已经过去" in reply and "未作任何修改" in reply
    assert fake_uow.db.reminder_tables.dates == before
    # Nor does the calendar of a past year suggest changing it.
    assert "/calendar set" not in texts(await say(core, ADMIN, "/calendar 2025"))


async def test_a_date_that_breaks_the_plan_is_refused_with_the_reason(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    before = dict(fake_uow.db.reminder_tables.dates)
    outside = texts(await say(core, ADMIN, "/calendar set 教育月闭卷测试截止 2026-09-05"))
    assert ZH._("Not saved: this date would break the year's plan.") in outside
    assert "党风党纪教育月" in outside and "2026-09-05" in outside
    # Reports set to run into the meeting they feed.
    late = texts(await say(core, ADMIN, "/calendar set pledge_report 2026-06-01..2026-11-30"))
    assert ZH._("Not saved: this date would break the year's plan.") in late
    assert fake_uow.db.reminder_tables.dates == before


async def test_moving_a_meeting_moves_the_window_that_feeds_it(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    saved = texts(await say(core, ADMIN, "/calendar set 年终考核 2026-12-20"))
    assert "已保存" in saved and "随之调整" in saved and "年终践诺报告" in saved
    text = texts(await say(core, ADMIN, "/calendar"))
    assert "～2026-12-19  年终践诺报告" in text and "冲突" not in text


async def test_a_window_under_way_keeps_its_first_day(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    # 6 December: the year-end reports (1–14 December) are open. Moving the assessment they
    # feed to the 18th moves their last day to the 17th but keeps their first day (it had
    # pulled it back to 27 November, and then back to 24 November on a second move).
    clock.set(datetime(2026, 12, 6, 2, 0, tzinfo=UTC))
    moved = texts(await say(core, ADMIN, "/calendar set 年终考核 2026-12-18"))
    assert "已保存" in moved and "2026-12-01～2026-12-17  年终践诺报告" in moved
    assert "2026-12-01～2026-12-17" in texts(await say(core, CADRE, "/calendar"))
    again = texts(await say(core, ADMIN, "/calendar set 年终考核 2026-12-15"))
    assert "已保存" not in again  # the kept window now runs into it: the plan says why
    # The window's own last day may move (not before today), its first day may not.
    longer = texts(await say(core, ADMIN, "/calendar set 年终践诺报告 2026-12-01..2026-12-16"))
    assert "已保存" in longer
    before = dict(fake_uow.db.reminder_tables.dates)
    for refused in ("2026-12-03..2026-12-17", "2026-12-01..2026-12-05", "2026-11-20..2026-12-17"):
        reply = texts(await say(core, ADMIN, f"/calendar set 年终践诺报告 {refused}"))
        assert "已保存" not in reply, refused
    assert fake_uow.db.reminder_tables.dates == before


async def test_a_move_that_would_cut_short_a_window_under_way_is_refused(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    """7 December, the year-end reports open until the 14th: moving the assessment to
    tomorrow (or today) would close them now, unasked. Refused, with both periods named;
    the window's own dates may still be set on purpose, and then the assessment."""
    clock.set(datetime(2026, 12, 7, 2, 0, tzinfo=UTC))
    before = dict(fake_uow.db.reminder_tables.dates)
    for day in ("明天", "今天", "2026-12-09"):
        reply = texts(await say(core, ADMIN, f"/calendar set 年终考核 {day}"))
        assert reply.startswith("未保存：这个日期会缩短一个正在进行的时段"), (day, reply)
        assert "← 2026-12-01～2026-12-14" in reply, day
    assert fake_uow.db.reminder_tables.dates == before
    shorter = texts(await say(core, ADMIN, "/calendar set 年终践诺报告 2026-12-01..2026-12-08"))
    assert "已保存" in shorter
    assert "已保存" in texts(await say(core, ADMIN, "/calendar set 年终考核 2026-12-09"))
