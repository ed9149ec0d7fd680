"""The calendar: data file, /calendar for everyone, setting dates, CSV import."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from pydantic import ValidationError

from handlers.calendar.importing import import_dates
from handlers.calendar.reading import parse_dates, whole_month
from handlers.calendar.windows import default_pledge_calendar
from handlers.core.app import Assistant
from handlers.core.clock import ManualClock
from handlers.core.i18n import translator
from knowledge.calendar import (
    Audience,
    CalendarFile,
    commendation_event,
    default_calendar,
    event_by_code,
    resolve,
)
from knowledge.retrieval import KnowledgeBase
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.core.helpers import say, texts

ZH = translator("zh_CN")


def test_calendar_data_covers_the_year() -> None:
    codes = {e.code for e in default_calendar()}
    assert {"pledge_public", "life_meeting", "education_month", "year_end_assessment"} <= codes
    events = resolve(2026, {"life_meeting": (date(2026, 7, 20), None, "礼堂")})
    life = next(e for e in events if e.spec.code == "life_meeting")
    assert life.confirmed and life.place == "礼堂" and life.starts_on == date(2026, 7, 20)
    assert [e.starts_on for e in events] == sorted(e.starts_on for e in events)
    assert next(e for e in events if e.spec.code == "education_month").ends_on == date(2026, 8, 31)
    assert {e.audience for e in default_calendar()} == set(Audience)


def test_one_event_is_the_commendation_meeting() -> None:
    spec = commendation_event()
    assert spec is not None and spec.code == "deployment_meeting"
    assert commendation_event(tuple(e for e in default_calendar() if not e.commendation)) is None
    twice = [e.model_dump() for e in default_calendar()]
    twice[0]["commendation"] = True
    with pytest.raises(ValidationError):
        CalendarFile.model_validate({"events": twice})


def test_parse_dates() -> None:
    assert parse_dates("2026-08-01..2026-08-31") == (date(2026, 8, 1), date(2026, 8, 31))
    assert parse_dates("2026-07-16") == (date(2026, 7, 16), None)
    for bad in ("2026-13-01", "2026-08-31..2026-08-01", "tomorrow", ""):
        try:
            parse_dates(bad)
        except ValueError:
            continue
        raise AssertionError(bad)


def test_dates_as_administrators_type_them() -> None:
    """A dash between two days, a time of day after the date (events are kept by the day)."""
    today = date(2026, 12, 7)
    for typed, expected in (
        ("12.1-12.20", (date(2026, 12, 1), date(2026, 12, 20))),
        ("12月1日-12月20日", (date(2026, 12, 1), date(2026, 12, 20))),
        ("12月20-25日", (date(2026, 12, 20), date(2026, 12, 25))),
        ("2027-08-01-2027-08-31", (date(2027, 8, 1), date(2027, 8, 31))),
        ("2026-12-20", (date(2026, 12, 20), None)),
        ("2月8号下午", (date(2027, 2, 8), None)),
        ("2月8号上午9点", (date(2027, 2, 8), None)),
    ):
        assert parse_dates(typed, today) == expected, typed


async def test_everyone_sees_their_events(core: Assistant) -> None:
    cadre = texts(await say(core, 1005, "/calendar"))
    assert "专题民主生活会" in cadre and "市委第一会议室" in cadre
    assert "年终考核" not in cadre  # unit principals only
    head = texts(await say(core, 1004, "/calendar"))
    assert "年终考核" in head and "`" not in head
    # The supervisor (1101) and an inspector (1102) oversee the year: its whole plan.
    for overseer in (1101, 1102):
        plan = texts(await say(core, overseer, "/calendar"))
        assert "年终考核" in plan and "专题民主生活会" in plan and "年初承诺公开" in plan
        assert "/calendar set" not in plan  # only administrators are told how to set dates
    # The year as people name it (the fake clock is in 2026).
    for typed in ("明年", "2027年", "next year"):
        assert "2027 年工作日程" in texts(await say(core, 1005, f"/calendar {typed}")), typed
    assert texts(await say(core, 1005, "/calendar 2o27")) == "用法：/calendar [年份]"


async def test_admin_sets_a_date_and_others_cannot(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    refused = texts(await say(core, 1005, "/calendar set life_meeting 2026-07-20"))
    assert "角色" in refused
    assert "格式" in texts(await say(core, 1001, "/calendar set life_meeting 20.7."))
    assert "未知事件" in texts(await say(core, 1001, "/calendar set party 2026-07-20"))
    # A day that does not exist had been read into the event's name (未知事件“民主生活会 2月”).
    nonday = texts(await say(core, 1001, "/calendar set 民主生活会 2月30日"))
    assert nonday == ZH._(
        "There is no such day as “{text}”: please check the month and the day.", text="2月30日"
    ), nonday
    # Part of one Chinese name is that event (专题民主 for 专题民主生活会); "会" is too little.
    named = texts(await say(core, 1001, "/calendar set 专题民主 2026-07-20"))
    assert "未知事件" not in named and "专题民主生活会" in named
    # 民主生活会 is the annual meeting of today's rules (its whole name), not the local one.
    annual = texts(await say(core, 1001, "/calendar set 民主生活会 2026-12-22"))
    assert "2026-12-22  民主生活会" in annual and "专题" not in annual
    assert "未知事件" in texts(await say(core, 1001, "/calendar set 生活会议 2026-07-20"))
    ok = texts(await say(core, 1001, "/calendar set life_meeting 2026-07-20 市委 三楼会议室"))
    assert "2026-07-20" in ok and "市委 三楼会议室" in ok
    assert "2026-07-20" in texts(await say(core, 1005, "/calendar"))
    assert any(e.action == "calendar.set" for e in fake_uow.db.audit)


async def test_a_county_administrator_cannot_change_the_city_calendar(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    from handlers.core.domain import Role
    from handlers.org.registration import create_invitation

    async with fake_uow() as uow:
        county = await uow.units.by_code("HL")
        inv = await create_invitation(uow, county, Role.ADMIN, clock.now(), 14, "区管理员")
        await uow.commit()
    await say(core, 8801, f"/start {inv.code}")
    refused = texts(await say(core, 8801, "/calendar set life_meeting 2026-07-20"))
    assert "角色" in refused
    assert "2026-07-20" not in texts(await say(core, 8801, "/calendar"))


async def test_import_is_all_or_nothing(fake_uow: FakeUnitOfWorkFactory) -> None:
    async with fake_uow() as uow:
        saved, problems = await import_dates(
            uow, [["event", "date", "place"], ["life_meeting", "2027-07-10", "礼堂"], ["x", "y"]]
        )
        assert saved == 0 and len(problems) == 1
        # Shortening the month past its test deadline breaks the plan: nothing is saved.
        saved, problems = await import_dates(
            uow,
            [["life_meeting", "2027-07-10", "礼堂"], ["education_month", "2027-08-02..2027-08-30"]],
        )
        assert saved == 0 and len(problems) == 1 and "within" in problems[0]
        saved, problems = await import_dates(
            uow,
            [
                ["专题民主生活会", "2027-07-10", "礼堂"],  # by the name /calendar shows
                ["education_month", "2027-08-02..2027-08-30"],
                ["education_test", "2027-08-30"],
            ],
            this_year=2026,
        )
        assert (saved, problems) == (3, [])
        dates = await uow.calendar.dates(2027)
        assert dates["education_month"].ends_on == date(2027, 8, 30)


async def test_an_event_already_held_or_a_passed_date_is_not_set(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    """Moving the July meeting in August would move the closed report window before it and
    turn reports already judged into missing ones."""
    clock.set(datetime(2026, 8, 3, 2, 0, tzinfo=UTC))
    held = texts(await say(core, 1001, "/calendar set 专题民主生活会 2026-11-18"))
    assert "2026-07-16" in held and "2026-11-18" not in texts(await say(core, 1005, "/calendar"))
    passed = texts(await say(core, 1001, "/calendar set year_end_assessment 2026-07-30"))
    assert "2026-07-30" in passed
    assert not any(e.action == "calendar.set" for e in fake_uow.db.audit)


async def test_a_new_date_keeps_the_place_and_english_names_with_spaces_work(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    await say(core, 1001, "/calendar set life_meeting 2026-07-20 二楼会议室")
    await say(core, 1001, "/lang en")
    ok = texts(
        await say(core, 1001, "/calendar set Special-topic democratic life meeting 2026/7/22")
    )
    assert "2026-07-22" in ok and "二楼会议室" in ok
    ranged = texts(
        await say(
            core,
            1001,
            "/calendar set Party-conduct and discipline education month 2026-08-01～2026-08-30",
        )
    )
    assert "2026-08-30" in ranged


async def test_import_refuses_what_the_chat_refuses(fake_uow: FakeUnitOfWorkFactory) -> None:
    # 6 December 2026: the July meeting was held; a date that passed, or one event twice,
    # is refused the same way; nothing of the file is saved.
    today = date(2026, 12, 6)
    async with fake_uow() as uow:
        before = (await uow.calendar.dates(2026), await uow.calendar.dates(2027))
        for rows, problem in (
            ([["life_meeting", "2026-12-30"]], "was held on 2026-07-16"),
            ([["year_end_assessment", "2026-12-02"]], "has passed"),
            ([["life_meeting", "2027-07-10"], ["专题民主生活会", "2027-07-12"]], "row 1 too"),
        ):
            saved, problems = await import_dates(uow, rows, this_year=2026, today=today)
            assert saved == 0 and any(problem in p for p in problems), problems
        assert (await uow.calendar.dates(2026), await uow.calendar.dates(2027)) == before


async def test_the_annual_meeting_outside_the_fourth_quarter_or_in_another_year_is_named(
    core: Assistant, clock: ManualClock
) -> None:
    clock.set(datetime(2026, 12, 7, 2, 0, tzinfo=UTC))
    january = texts(await say(core, 1001, "/calendar set 民主生活会 2027-01-05"))
    assert "2027年的日期" in january and "第四季度" in january
    december = texts(await say(core, 1001, "/calendar set 民主生活会 2026-12-28"))
    assert "已保存" in december and "第四季度" not in december and "2026年的日期" not in december
    # The July special-topic meeting has no such rule.
    assert "第四季度" not in texts(await say(core, 1001, "/calendar set 专题民主生活会 2027-07-20"))


async def test_a_yearless_date_that_has_passed_is_next_years(
    core: Assistant, clock: ManualClock
) -> None:
    # In December, 1月5日 for the start-of-year meeting means the coming January (the
    # notice form reads it so too); it had been refused as a date that has passed.
    clock.set(datetime(2026, 12, 7, 2, 0, tzinfo=UTC))
    said = texts(await say(core, 1001, "/calendar set 年初工作会议 1月5日"))
    assert "2027-01-05" in said and "2027年的日期" in said, said
    # Written with its year, a past date is still refused.
    assert "未作任何更改" in texts(await say(core, 1001, "/calendar set 年初工作会议 2026-01-05"))
    # The short names people type name the events (教育月, 闭卷考试).
    month = texts(await say(core, 1001, "/calendar set 教育月 8月1日到31日"))
    assert "党风党纪教育月" in month and "2027-08-31" in month, month
    # A date that passed a few days ago is a slip, not next year's plan: refused as past.
    afternoon = texts(await say(core, 1001, "/calendar set 年初会议2月8号下午 市委礼堂"))
    assert "2027-02-08" in afternoon and "市委礼堂" in afternoon
    stuck = texts(await say(core, 1001, "/calendar set 民主生活会12月18日"))
    assert "已保存" in stuck and "2026-12-18" in stuck, stuck
    slip = texts(await say(core, 1001, "/calendar set 年终考核 12月5日"))
    assert "2026-12-05" in slip and "未作任何更改" in slip, slip
    # A month alone sets a period event to the whole month; a one-day event asks for its day.
    for typed in ("明年8月", "2027年8月", "8月份"):
        whole = texts(await say(core, 1001, f"/calendar set 教育月 {typed}"))
        assert "已保存" in whole and "2027-08-01～2027-08-31" in whole, (typed, whole)
    one_day = texts(await say(core, 1001, "/calendar set 民主生活会 12月"))
    assert one_day == ZH._(
        "“{event}” is held on one day: please give the day, such as {example}.",
        event="民主生活会",
        example="2026-12-20",
    )


def test_a_month_typed_alone() -> None:
    """明年8月, 2027-08, 8月 (next year's once August is over); a bare number is no month."""
    today = date(2026, 12, 7)
    assert whole_month("明年8月", today) == (date(2027, 8, 1), date(2027, 8, 31))
    assert whole_month("2027-02", today) == (date(2027, 2, 1), date(2027, 2, 28))
    assert whole_month("８月", today) == (date(2027, 8, 1), date(2027, 8, 31))
    assert whole_month("12月份", today) == (date(2026, 12, 1), date(2026, 12, 31))
    assert whole_month("8", today) is None and whole_month("13月", today) is None


async def test_the_annual_meeting_inside_the_year_end_report_window_is_noted(
    core: Assistant, clock: ManualClock
) -> None:
    # The year-end reports (1–14 December) come before the annual meeting, where leading
    # cadres report on their integrity: 10 December is saved (it may be held early with
    # approval) but the window it cuts short is named.
    clock.set(datetime(2026, 11, 2, 2, 0, tzinfo=UTC))
    early = texts(await say(core, 1001, "/calendar set 民主生活会 12月10日"))
    assert "已保存" in early and "年终践诺报告（2026-12-01～2026-12-14）" in early, early
    assert "年终践诺报告" not in texts(await say(core, 1001, "/calendar set 民主生活会 12月18日"))


def test_the_pledge_events_note_names_the_due_date_the_lists_use() -> None:
    """年初承诺公开's note says by when a pledge must be public; the lists count late from the
    pledge calendar's due date: the two must be the same day."""
    due = default_pledge_calendar().pledge_due_date(2026)
    spec = event_by_code("pledge_public")
    assert spec is not None
    assert f"{due.month}月{due.day}日" in spec.note["zh_CN"]
    assert f"{due.day} {due:%B}" in spec.note["en"]


def test_the_rule_base_names_the_check_in_windows_the_form_uses(kb: KnowledgeBase) -> None:
    """The entry answering 践诺报告啥时候截止 gives each window's default days and how many
    weeks before its meeting it follows; the check-in form and reminders use the pledge
    calendar: the two must say the same (the answer had 12月31日, the form 12月14日)."""
    answer = kb.entries["pledge.report.when"].answer
    calendar = default_pledge_calendar()
    for period, start, end in calendar.windows:
        first, last = date(2026, *start), date(2026, *end)
        span = f"{first.month}月{first.day}日至{last.month}月{last.day}日"
        assert span in answer, (period, span)
    for follows in calendar.follows:
        assert f"前{follows.weeks_before}周打开" in answer, follows
