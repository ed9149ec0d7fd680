"""Shared record machinery: date parsing (property-based), filters, privacy in groups."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handlers.core.app import Assistant
from handlers.core.dates import no_such_day, parse_date
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.core.helpers import say, texts
from tests.handlers.records.support import HL_INSPECTOR, ZH, create_talk

TODAY = date(2026, 3, 10)
DATES = st.dates(min_value=date(1990, 1, 1), max_value=date(2099, 12, 31))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-01", date(2026, 3, 1)),
        ("2026/3/1", date(2026, 3, 1)),
        ("2026.03.01", date(2026, 3, 1)),
        ("2026年3月1日", date(2026, 3, 1)),
        ("２０２６年３月１日", date(2026, 3, 1)),  # full-width digits
        ("20260301", date(2026, 3, 1)),
        ("3月1日", date(2026, 3, 1)),
        ("3-1", date(2026, 3, 1)),
        ("今天", TODAY),
        ("Today", TODAY),
        ("昨天", date(2026, 3, 9)),
        ("2026-02-30", None),
        ("2026-13-01", None),
        # Relative forms people type (2026-03-10 is a Tuesday).
        ("前天", date(2026, 3, 8)),
        ("3天前", date(2026, 3, 7)),
        ("三天以前", date(2026, 3, 7)),
        ("十二天前", date(2026, 2, 26)),
        ("两天后", date(2026, 3, 12)),
        ("上周五", date(2026, 3, 6)),
        ("上个星期一", date(2026, 3, 2)),
        ("周一", date(2026, 3, 9)),
        ("星期日", date(2026, 3, 15)),
        ("下周一", date(2026, 3, 16)),
        ("下礼拜三", date(2026, 3, 18)),
        ("周八", None),
        ("天前", None),
        # A span ahead, as deadlines are given (30天 is the notice's own button).
        ("30天", date(2026, 4, 9)),
        ("30天内", date(2026, 4, 9)),
        ("两周", date(2026, 3, 24)),
        ("一个月", date(2026, 4, 10)),
        ("3个月以内", date(2026, 6, 10)),
        ("3月", None),  # a month, not a span
        # A day of the month alone is this month's; 日 counts days only with 内 or 后.
        ("15号", date(2026, 3, 15)),
        ("十五日", date(2026, 3, 15)),
        ("15日", date(2026, 3, 15)),
        ("3日内", date(2026, 3, 13)),
        ("3日后", date(2026, 3, 13)),
        ("32号", None),
        # Working days skip the weekend (Tuesday 10 March + 10 = Tuesday 24 March).
        ("10个工作日", date(2026, 3, 24)),
        ("十个工作日内", date(2026, 3, 24)),
        ("5 working days", date(2026, 3, 17)),
        # A plan typed loosely: a week or a month from today.
        ("下个月", date(2026, 4, 10)),
        ("下周", date(2026, 3, 17)),
        ("next month", date(2026, 4, 10)),
        # Deadlines as they are written: before a date, with its year, in characters.
        ("12月31日前", date(2026, 12, 31)),
        ("20号之前", date(2026, 3, 20)),
        ("周五前", date(2026, 3, 13)),
        ("明年1月10号", date(2027, 1, 10)),
        ("27年1月10日", date(2027, 1, 10)),
        ("一月十日", date(2026, 1, 10)),
        ("元月10日", date(2026, 1, 10)),
        ("十二月三号", date(2026, 12, 3)),
        ("12月底", date(2026, 12, 31)),
        ("下月15号", date(2026, 4, 15)),
        ("两个礼拜", date(2026, 3, 24)),
        ("2 weeks", date(2026, 3, 24)),
        ("15th", date(2026, 3, 15)),
        ("两周前", None),  # two weeks ago is not a deadline's "before"
        ("下月10号之前", date(2026, 4, 10)),
        ("下月10号前", date(2026, 4, 10)),
        ("下个月底前", date(2026, 4, 30)),
        ("下月末", date(2026, 4, 30)),
        ("end of next month", date(2026, 4, 30)),
        # The thirds of a month: the middle of each (the form shows the day to confirm).
        ("下个月中旬", date(2026, 4, 15)),
        ("本月下旬", date(2026, 3, 25)),
        ("5月上旬前", date(2026, 5, 5)),
        ("13月中旬", None),
        # Before the Spring Festival: its eve (春节 2027 is 6 February).
        ("春节前", date(2027, 2, 5)),
        ("过年之前", date(2027, 2, 5)),
        ("before chinese new year", date(2027, 2, 5)),
        ("年前", date(2027, 2, 5)),  # the lunar new year's: 年底前 is 31 December
        ("今儿", date(2026, 3, 10)),
        ("昨儿个", date(2026, 3, 9)),
        # A follow-up half a year on (a warning talk's effect lasts six months), the start of
        # next month, a day of last month (the tests' today is 2026-03-10).
        ("半年后", date(2026, 9, 10)),
        ("半年内", date(2026, 9, 10)),
        ("下月初", date(2026, 4, 5)),
        ("上月15号", date(2026, 2, 15)),
        ("上个月28日", date(2026, 2, 28)),
        ("上月30号", None),  # February has none
        # English as it is typed: "by" a date, numbers in words.
        ("by jan 10", date(2026, 1, 10)),
        ("before 15 march", date(2026, 3, 15)),
        ("two weeks", date(2026, 3, 24)),
        ("in a month", date(2026, 4, 10)),
        ("in three days", date(2026, 3, 13)),
        ("by", None),
        # In English (the interface speaks it on request).
        ("dec 1", date(2026, 12, 1)),
        ("1 Dec", date(2026, 12, 1)),
        ("December 1st", date(2026, 12, 1)),
        ("7 Dec 2025", date(2025, 12, 7)),
        ("mar 7, 2026", date(2026, 3, 7)),
        ("1st of march", date(2026, 3, 1)),
        ("last friday", date(2026, 3, 6)),
        ("Monday", date(2026, 3, 9)),
        ("next wednesday", date(2026, 3, 18)),
        ("3 days ago", date(2026, 3, 7)),
        ("in 2 weeks", date(2026, 3, 24)),
        ("in 3 months", date(2026, 6, 10)),
        ("feb 30", None),
        ("mayday", None),
        ("", None),
        ("12345", None),
        # A time of day after the day: records keep the day.
        ("3月5日下午", date(2026, 3, 5)),
        ("2026年3月5日上午9点", date(2026, 3, 5)),
        ("昨天下午", date(2026, 3, 9)),
        ("3月5号 14:30", date(2026, 3, 5)),
        ("上周五下午", date(2026, 3, 6)),
        ("去年12月1日", date(2025, 12, 1)),
        ("yesterday afternoon", date(2026, 3, 9)),
        ("last fri", date(2026, 3, 6)),
        ("thurs", date(2026, 3, 12)),
        ("下午", None),
    ],
)
def test_parse_date_forms(text: str, expected: date | None) -> None:
    assert parse_date(text, TODAY) == expected


@given(DATES)
def test_parse_date_round_trips_common_forms(d: date) -> None:
    for text in (
        d.isoformat(),
        f"{d.year}/{d.month}/{d.day}",
        f"{d.year}年{d.month}月{d.day}日",
        d.strftime("%Y%m%d"),
    ):
        assert parse_date(text, TODAY) == d


@given(st.text(max_size=40))
def test_parse_date_never_raises(text: str) -> None:
    result = parse_date(text, TODAY)
    assert result is None or isinstance(result, date)


GROUP_INPUTS = [
    ("/talk", None),
    ("/talks", None),
    ("/notice", None),
    ("/notices", None),
    ("/assess", None),
    ("/assessments", None),
    ("/case", None),
    ("/cases", None),
    ("/eligible 马丽娟", None),
    ("", "tk:o:1"),
    ("", "nt:o:1"),
    ("", "as:o:1"),
    ("", "cs:o:1"),
    ("", "cp:o:1"),
    ("", "el:1"),
]


@pytest.mark.parametrize(("text", "data"), GROUP_INPUTS)
async def test_group_chat_gets_only_the_private_chat_hint(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, text: str, data: str | None
) -> None:
    await create_talk(core)
    audit_before = len(fake_uow.db.audit)
    replies = await say(core, HL_INSPECTOR, text, data=data, group=True)
    assert texts(replies) == ZH._("Please use this in a private chat with me.")
    assert len(replies) == 1
    # Nothing was read: the only new audit entry is the refusal itself.
    assert [e.action for e in fake_uow.db.audit[audit_before:]] == ["access.refused"]


async def test_list_filters_reject_units_outside_scope(core: Assistant) -> None:
    replies = await say(core, HL_INSPECTOR, "/talks QF 2026")
    assert texts(replies) == ZH._("No unit or person “{text}” found within your scope.", text="QF")


async def test_commands_appear_in_help_by_role(core: Assistant) -> None:
    inspector = texts(await say(core, HL_INSPECTOR, "/help"))
    cadre = texts(await say(core, 1104, "/help"))
    for name in ("/talk ", "/notice ", "/assess ", "/case "):
        assert name in inspector and name not in cadre
    for name in ("/talks", "/cases", "/eligible"):
        assert name in cadre
    assert "/notices" not in cadre  # notices go to unit principals, never to a cadre


@pytest.mark.parametrize(
    ("text", "impossible"),
    [
        ("2月30日", True),
        ("2026-02-30", True),
        ("2026年4月31日", True),
        ("13-01", False),  # no month 13: written some other way, a format question
        ("20.7.", False),
        ("2月29日", False),  # a real day in a leap year
        ("2026-02-28", False),
        ("明天", False),
        ("随便", False),
    ],
)
def test_a_date_the_calendar_does_not_have_is_told_apart(text: str, impossible: bool) -> None:
    assert no_such_day(text) is impossible


async def test_a_weekday_alone_is_the_last_one_for_what_already_happened(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    # Today is Tuesday 10 March 2026: a talk "held on 周五" was last Friday, 6 March.
    tid = await create_talk(core, day="周五")
    assert fake_uow.db.record_tables.talks[tid].talk_date == date(2026, 3, 6)
    monday = await create_talk(core, person="高峰", day="星期一")
    assert fake_uow.db.record_tables.talks[monday].talk_date == date(2026, 3, 9)
    # With a time of day, the same day (周五下午 had been refused as no date).
    afternoon = await create_talk(core, person="孙伟", day="周五下午")
    assert fake_uow.db.record_tables.talks[afternoon].talk_date == date(2026, 3, 6)
