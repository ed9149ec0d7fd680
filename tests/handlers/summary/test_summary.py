"""Summary core on fakes: period parsing, argument splitting, access, chart font, export cells."""

from __future__ import annotations

import io
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from matplotlib.text import Text
from openpyxl import load_workbook

from handlers.core.app import Assistant
from handlers.core.domain import UnitLevel
from handlers.core.i18n import translator
from handlers.core.spreadsheet import safe, to_xlsx
from handlers.core.types import DocumentReply, PhotoReply
from handlers.summary.chart import build_figure, render_chart
from handlers.summary.chart_font import PROBE, covers, find_cjk_font
from handlers.summary.commands import split_args, split_live
from handlers.summary.domain import Figures, KindCount, Part, Summary
from handlers.summary.export import build_sheets
from handlers.summary.figures import checkin_windows
from handlers.summary.period import parse_period, quarter_period, year_period
from handlers.summary.text import render_text
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.core.helpers import button_data, say, texts


def _spans(table: str) -> list[tuple[str, date, date]]:
    """The rows of a table of "text start end" (ISO dates) as (text, start, end)."""
    rows = (line.split() for line in table.strip().splitlines())
    return [(text, date.fromisoformat(a), date.fromisoformat(b)) for text, a, b in rows]


def test_period_forms() -> None:
    cases = _spans("""
        2026                        2026-01-01 2026-12-31
        2026年                      2026-01-01 2026-12-31
        2026Q2                      2026-04-01 2026-06-30
        2026q2                      2026-04-01 2026-06-30
        2026-Q2                     2026-04-01 2026-06-30
        2026年第二季度              2026-04-01 2026-06-30
        2026年第2季度               2026-04-01 2026-06-30
        2026年二季度                2026-04-01 2026-06-30
        2026-05                     2026-05-01 2026-05-31
        2026年5月                   2026-05-01 2026-05-31
        2024-02                     2024-02-01 2024-02-29
        2026-01-01..2026-03-31      2026-01-01 2026-03-31
        2026年1月1日至2026年3月31日 2026-01-01 2026-03-31
        20260101-20260331           2026-01-01 2026-03-31
    """)
    for text, start, end in cases:
        p = parse_period(text)
        assert p is not None, text
        assert (p.start, p.end) == (start, end), text
        # The compact code reads back to the same period (used in button data).
        again = parse_period(p.code)
        assert again is not None and (again.start, again.end) == (start, end)
    for bad in ["", "2026Q5", "2026-13", "2026-02-30..2026-03-01", "2026-03-31..2026-01-01",
                "1800", "QF", "2026年第五季度", "2000-01-01..2026-01-01"]:  # fmt: skip
        assert parse_period(bad) is None, bad


def test_periods_named_relative_to_today() -> None:
    today = date(2026, 1, 15)  # in the first quarter: "last quarter" is last year's fourth
    for text, start, end in _spans("""
        今年     2026-01-01 2026-12-31
        去年     2025-01-01 2025-12-31
        本季度   2026-01-01 2026-03-31
        上个季度 2025-10-01 2025-12-31
        本月     2026-01-01 2026-01-31
        上个月   2025-12-01 2025-12-31
        上上个月 2025-11-01 2025-11-30
        第二季度 2026-04-01 2026-06-30
        Q3       2026-07-01 2026-09-30
        5月      2026-05-01 2026-05-31
        十二月份 2026-12-01 2026-12-31
        去年全年 2025-01-01 2025-12-31
        近三个月 2025-10-16 2026-01-15
        最近1个月 2025-12-16 2026-01-15
        过去半年 2025-07-16 2026-01-15
        近半个月 2026-01-01 2026-01-15
        近一年   2025-01-16 2026-01-15
        明年     2027-01-01 2027-12-31
        下个月   2026-02-01 2026-02-28
        今年1到11月 2026-01-01 2026-11-30
        去年3-5月 2025-03-01 2025-05-31
        本周     2026-01-12 2026-01-18
        上周     2026-01-05 2026-01-11
        今天     2026-01-15 2026-01-15
        昨天     2026-01-14 2026-01-14
        近30天   2025-12-17 2026-01-15
        近两周   2026-01-02 2026-01-15
        1月2日到1月9日 2026-01-02 2026-01-09
    """):
        assert parse_period(text) is None  # only with a today to count from
        p = parse_period(text, today)
        assert p is not None, text
        assert (p.start, p.end) == (start, end), text
    # The English names, spaces and all (they never matched before: the spaces are removed
    # before the names are looked up).
    for text, code in (
        ("this year", "2026"),
        ("Last Year", "2025"),
        ("last quarter", "2025Q4"),
        ("this month", "2026-01"),
        ("last week", "20260105-20260111"),
        ("last 7 days", "20260109-20260115"),
        ("last 3 months", "20251016-20260115"),
    ):
        p = parse_period(text, today)
        assert p is not None and p.code == code, text
    assert parse_period("13月", today) is None
    unit, period, bad = split_args("华龙区 上个月", today)
    assert unit == "华龙区" and period is not None and period.code == "2025-12" and not bad


def test_quarter_boundaries() -> None:
    q1, q2 = quarter_period(2026, 1), quarter_period(2026, 2)
    assert q1.contains(date(2026, 3, 31)) and not q1.contains(date(2026, 4, 1))
    assert q2.contains(date(2026, 4, 1)) and not q2.contains(date(2026, 3, 31))


@given(st.text(max_size=60))
def test_parse_period_never_raises(text: str) -> None:
    p = parse_period(text)
    assert p is None or p.start <= p.end


def test_split_args() -> None:
    assert split_args("") == ("", None, False)
    unit, period, bad = split_args("QF 2026年 第二季度")
    assert unit == "QF" and period == quarter_period(2026, 2) and not bad
    unit, period, bad = split_args("2026")
    assert unit == "" and period == year_period(2026)
    assert split_args("清丰县") == ("清丰县", None, False)
    assert split_args("QF 2026-13")[2] is True


def test_split_args_reads_periods_where_people_put_them() -> None:
    today = date(2026, 12, 6)
    first_half = ("岳村镇", "20260101-20260630", False)
    cases = {
        "2026 岳村镇": ("岳村镇", "2026", False),  # the period first
        "2026Q3 华龙区": ("华龙区", "2026Q3", False),
        "华龙区2026": ("华龙区", "2026", False),  # typed against the name
        "华龙区，2026": ("华龙区", "2026", False),
        "岳村镇 26年": ("岳村镇", "2026", False),  # a two-digit year
        "岳村镇 今年上半年": first_half,
        "岳村镇上半年": first_half,
        "岳村镇 2026H1": first_half,
        "岳村镇 2026 年 5 月": ("岳村镇", "2026-05", False),
        "岳村镇8月": ("岳村镇", "2026-08", False),  # one digit against the name
        "岳村镇八月": ("岳村镇", "2026-08", False),
        "岳村镇近三个月": ("岳村镇", "20260907-20261206", False),
        "岳村镇 first half": first_half,
        "岳村镇 second half of 2025": ("岳村镇", "20250701-20251231", False),
        "第一中学": ("第一中学", None, False),  # numerals inside a name stay the name's
        "岳村镇 13月": ("岳村镇 13月", None, True),  # meant as a period: said so
        "岳村镇 第五季度": ("岳村镇 第五季度", None, True),
        # Last year's half (去年 had lost its 年 and read as this year's half).
        "华龙区 去年上半年": ("华龙区", "20250101-20250630", False),
        "岳村镇去年下半年": ("岳村镇", "20250701-20251231", False),
        "岳村镇 去年12月": ("岳村镇", "2025-12", False),
        "岳村镇去年12月": ("岳村镇", "2025-12", False),
        "华龙区 前年": ("华龙区", "2024", False),
        "华龙区 年初至今": ("华龙区", "20260101-20261206", False),
        "华龙区全年": ("华龙区", "2026", False),
        "2026年度": ("", "2026", False),
        "2026年全年": ("", "2026", False),
        "前三季度": ("", "20260101-20260930", False),
        "1月1日至今": ("", "20260101-20261206", False),
        "2026年Q2": ("", "2026Q2", False),
        "2026.1.1-2026.6.30": ("", "20260101-20260630", False),
        "华龙区 去年第四季度": ("华龙区", "2025Q4", False),
        "华龙区 去年Q4": ("华龙区", "2025Q4", False),
        "华龙区 去年前三季度": ("华龙区", "20250101-20250930", False),
        # The first months of a year (前两个月 had been looked up as a unit).
        "前两个月": ("", "20260101-20260228", False),
        "岳村镇 今年前5个月": ("岳村镇", "20260101-20260531", False),
        "华龙区去年前十个月": ("华龙区", "20250101-20251031", False),
        # Days without a year, and 这月 / 上礼拜 (a role walk had them looked up as units).
        "12.1-12.7": ("", "20261201-20261207", False),
        "岳村镇 12.1到12.7": ("岳村镇", "20261201-20261207", False),
        "这月": ("", "2026-12", False),
        "岳村镇 上礼拜": ("岳村镇", "20261123-20261129", False),
    }
    for text, (unit, code, bad) in cases.items():
        got_unit, period, got_bad = split_args(text, today)
        assert (got_unit, period.code if period else None, got_bad) == (unit, code, bad), text
    assert split_live("岳村镇 实时 2026") == ("岳村镇 2026", True)


def test_checkin_windows_close_inside_the_period() -> None:
    assert [(w.year, w.period) for w in checkin_windows(year_period(2026))] == [
        (2026, "midyear"),
        (2026, "yearend"),
    ]
    assert checkin_windows(quarter_period(2026, 2)) == ()
    assert [w.period for w in checkin_windows(quarter_period(2026, 3))] == ["midyear"]


def _summary() -> Summary:
    from handlers.core.domain import Unit

    city = Unit(1, "C", "濮阳市", UnitLevel.CITY, None, "/1/")
    a = Unit(2, "A", "华龙区", UnitLevel.COUNTY, 1, "/1/2/")
    b = Unit(3, "B", "-清丰县", UnitLevel.COUNTY, 1, "/1/3/")
    fa = Figures(units_excellent=2, cases=100, people=139, org_cases=70, org_people=100,
                 disc_cases=30, disc_people=39, checkins_on_time=3, checkins_late=1,
                 reminders_sent=4, reminders_acked=3)  # fmt: skip
    fb = Figures(units_failed=1, cases=72, people=100, org_cases=55, org_people=77,
                 disc_cases=17, disc_people=23, quiz_eligible=10, quiz_takers=5,
                 quiz_score_total=400)  # fmt: skip
    return Summary(
        unit=city,
        period=year_period(2026),
        total=fa + fb,
        parts=(Part(a, False, fa), Part(b, False, fb)),
        kinds=(KindCount("discipline", "party_warning", 39, 30),),
    )


def test_text_has_the_seed_shape() -> None:
    text = render_text(translator("zh_CN"), _summary())
    assert (
        "责任追究：172 件 239 人次；其中问责方式或组织处理 125 件 177 人次，党纪政务处分 47 件 62 人次"
        in text
    )
    assert "党内警告 39" in text
    assert "分别计入" not in text  # 125 + 47 = 172: the kinds add up, nothing to explain
    assert "提醒确认率：75%" in text
    assert "平均分 80.0" in text


def test_a_case_with_both_kinds_of_handling_is_said_to_count_in_each() -> None:
    """1 case, of which 1 organisational and 1 disciplinary: the sum fails, so it says why."""
    from handlers.summary.text import figure_lines

    both = Figures(cases=1, people=2, org_cases=1, org_people=1, disc_cases=1, disc_people=1)
    lines = figure_lines(translator("zh_CN"), both, False, False)
    assert lines[1].endswith("（同一案件兼有两类处理的，分别计入）")
    # A case whose only handling was revoked is in the total only: said so too.
    bare = Figures(cases=2, people=1, org_cases=1, org_people=1)
    lines = figure_lines(translator("zh_CN"), bare, False, False)
    assert lines[1].endswith("（未记录处理的案件只计入总数）"), lines[1]


def test_english_text_reads_label_then_figure() -> None:
    text = render_text(translator("en"), _summary())
    assert "By kind (person-times): party warning 39" in text  # lower case inside the list
    assert "Unit assessments: excellent " in text and "unit-times" not in text


def test_chart_uses_a_cjk_font_that_has_the_glyphs() -> None:
    font = find_cjk_font()
    assert font is not None, "no CJK font: run ./dev (installs fonts-wqy-microhei)"
    assert covers(font.path, PROBE + "濮阳市华龙区清丰县")
    fig = build_figure(translator("zh_CN"), _summary())
    ax = fig.axes[0]
    labels = [t for t in ax.get_yticklabels() if t.get_text()]
    assert [t.get_text() for t in labels] == ["合计", "华龙区", "-清丰县"]
    # Every text of the picture (title, panel titles, names, value labels) uses that font.
    drawn = [t for t in fig.findobj(Text) if t.get_text()]
    assert [*labels, *fig.texts] and all(t in drawn for t in [*labels, *fig.texts])
    for text in drawn:
        assert text.get_fontfamily()[0] == font.family, text.get_text()
        assert text.get_fontname() == font.family  # resolved to that font, no fallback
    assert "濮阳市" in fig.texts[0].get_text()
    assert render_chart(translator("zh_CN"), _summary()).startswith(b"\x89PNG")


def test_a_placeholder_font_is_never_taken_for_a_chinese_one() -> None:
    """matplotlib 3.11 ships "Last Resort High-Efficiency", which has a (box) glyph for every
    code point: taken as the CJK font, every label was drawn as boxes, far too wide."""
    from pathlib import Path

    import matplotlib

    placeholder = Path(matplotlib.__file__).parent / "mpl-data/fonts/ttf/LastResortHE-Regular.ttf"
    if not placeholder.exists():
        pytest.skip("this matplotlib ships no Last Resort font")
    assert not covers(str(placeholder))
    font = find_cjk_font()
    assert font is not None and covers(font.path)
    assert not font.family.startswith("Last Resort")


def test_missing_glyphs_are_detected() -> None:
    import matplotlib

    dejavu = f"{matplotlib.get_data_path()}/fonts/ttf/DejaVuSans.ttf"
    assert not covers(dejavu)
    assert covers(dejavu, "abc")


def test_export_neutralises_formulas_and_translates_headers() -> None:
    assert safe("=1+1") == "'=1+1" and safe("+x") == "'+x" and safe("@a") == "'@a"
    assert safe("-1") == "'-1" and safe(-1) == -1 and safe("甲") == "甲"
    for lang, title, header in [("zh_CN", "责任追究", "案件数"), ("en", "Accountability", "Cases")]:
        wb = load_workbook(io.BytesIO(to_xlsx(build_sheets(translator(lang), _summary(), [], []))))
        ws = wb[title]
        assert ws.cell(1, 3).value == header
        assert ws.cell(3, 1).value == "'-清丰县"  # B's row
        assert [c.value for c in ws[4]][2:] == [172, 239, 125, 177, 47, 62]  # total


async def test_cadres_cannot_ask_for_summaries(core: Assistant) -> None:
    replies = await say(core, 1004, "/summary")
    assert texts(replies) == "抱歉，您的角色无权进行此操作。发送 /help 查看可用功能。"


async def test_summary_only_in_private_chats(core: Assistant) -> None:
    replies = await say(core, 1002, "/summary", group=True)
    assert "私聊" in texts(replies) and "诫勉谈话" not in texts(replies)


async def test_bad_period_is_explained(core: Assistant) -> None:
    replies = await say(core, 1002, "/summary 2026-13")
    assert "无法识别这个期间" in texts(replies)
    # A period not begun yet has no figures: said, not shown as an all-zero report.
    for typed, day in (("2030", "2030-01-01"), ("明年", "2027-01-01")):
        future = texts(await say(core, 1002, f"/summary {typed}"))
        assert future == translator("zh_CN")._(
            "That period begins on {date}, which has not come yet: there are no figures for it.",
            date=day,
        ), typed


async def test_summary_on_fakes_with_canned_figures(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    db = fake_uow.db
    hl = next(u for u in db.units.values() if u.code == "HL")
    qf = next(u for u in db.units.values() if u.code == "QF")
    db.summary_stub = {  # type: ignore[attr-defined]
        hl.path: Figures(talks=3, reminders_sent=2, reminders_acked=1),
        qf.path: Figures(talks=4),
    }
    replies = await say(core, 1002, "/summary 2026Q1")
    assert "诫勉谈话（谈话记录）：7 次" in texts(replies)
    assert "提醒确认率：50%" in texts(replies)
    # Drill down into 华龙区: only its figures.
    drilled = await say(core, 1002, data=button_data(replies, "华龙区"))
    assert "诫勉谈话（谈话记录）：3 次" in texts(drilled)
    # The chart (short enough for a photo here) and the export.
    chart = await say(core, 1002, data=button_data(replies, "图表"))
    assert isinstance(chart[0], PhotoReply) and chart[0].content.startswith(b"\x89PNG")
    export = await say(core, 1002, data=button_data(replies, "导出"))
    assert [type(r) for r in export] == [DocumentReply, DocumentReply]
    # 华龙区's supervisor cannot open 清丰县 with a forged button.
    forged = await say(core, 1101, data=f"sum:{qf.id}:2026Q1")
    assert "诫勉谈话" not in texts(forged)
    missing = await say(core, 1101, data="sum:424242:2026Q1")
    assert texts(forged).replace(str(qf.id), "N") == texts(missing).replace("424242", "N")
    # Every view is audited, without figures in the details.
    views = [e for e in db.audit if e.action.startswith("summary.")]
    assert [e.action for e in views] == [
        "summary.viewed",
        "summary.viewed",
        "summary.chart",
        "summary.exported",
    ]
    assert views[0].details == {"period": "2026Q1"}


def test_kept_figures_say_when_they_were_taken() -> None:
    from dataclasses import replace
    from datetime import datetime
    from zoneinfo import ZoneInfo

    taken = datetime(2026, 11, 25, 9, 40, tzinfo=ZoneInfo("Asia/Shanghai"))
    live = render_text(translator("zh_CN"), _summary())
    kept = render_text(translator("zh_CN"), replace(_summary(), as_of=taken))
    assert "截至" not in live
    lines = kept.splitlines()
    assert "数据截至今日 09:40" in lines[1]  # right under the title
    assert [line for line in lines if line != lines[1]] == live.splitlines()
    assert "as of 09:40" in render_text(translator("en"), replace(_summary(), as_of=taken))


async def test_snapshot_is_used_only_for_aligned_fresh_periods(
    fake_uow: FakeUnitOfWorkFactory,
) -> None:
    from datetime import UTC, datetime, timedelta
    from zoneinfo import ZoneInfo

    from handlers.summary.domain import SnapshotFigures
    from handlers.summary.figures import build_summary

    tz = ZoneInfo("Asia/Shanghai")
    now = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)
    db = fake_uow.db
    hl = next(u for u in db.units.values() if u.code == "HL")
    db.summary_stub = {hl.path: Figures(talks=3)}  # type: ignore[attr-defined]

    def kept(taken_at: datetime, zone: str = "Asia/Shanghai") -> SnapshotFigures:
        day = taken_at.astimezone(tz).date()
        return SnapshotFigures(taken_at, day, zone, {hl.path: Figures(talks=9)}, ())

    age = timedelta(minutes=30)
    cases = [
        ("2026Q1", kept(now - timedelta(minutes=29)), age, 9),  # fresh: kept figures
        ("2026Q1", kept(now - age), age, 3),  # too old
        ("2026Q1", kept(now - timedelta(minutes=1)), None, 3),  # snapshot not allowed
        ("2026Q1", kept(now, "Europe/Berlin"), age, 3),  # another zone's months
        # Kept at 23:59 local the day before: yesterday's overdue notices.
        ("2026Q1", kept(datetime(2026, 3, 9, 15, 59, tzinfo=UTC)), timedelta(hours=12), 3),
    ]
    for code, snap, max_age, talks in cases:
        period = parse_period(code)
        assert period is not None
        db.summary_snapshots = {(hl.id, period.code): snap}  # type: ignore[attr-defined]
        async with fake_uow() as uow:
            s = await build_summary(uow, hl, period, now, tz, max_age)
        assert s.total.talks == talks, (code, snap.taken_at, max_age)
        assert (s.as_of is not None) == (talks == 9)
    # A date range is never looked up in the snapshot.
    ranged = parse_period("2026-01-01..2026-03-31")
    assert ranged is not None
    db.summary_snapshots = {(hl.id, ranged.code): kept(now)}  # type: ignore[attr-defined]
    async with fake_uow() as uow:
        s = await build_summary(uow, hl, ranged, now, tz, age)
    assert s.total.talks == 3 and s.as_of is None


def test_refresh_is_due_when_old_or_of_another_day() -> None:
    from datetime import UTC, datetime, timedelta
    from zoneinfo import ZoneInfo

    from handlers.summary.domain import SnapshotConfig
    from handlers.summary.snapshot import is_due

    tz, cfg = ZoneInfo("Asia/Shanghai"), SnapshotConfig(refresh_every=timedelta(minutes=10))
    now = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)  # 10:00 local
    assert is_due(None, "", now, tz, cfg)
    assert not is_due(now - timedelta(minutes=9), tz.key, now, tz, cfg)
    assert is_due(now - timedelta(minutes=10), tz.key, now, tz, cfg)
    assert is_due(now - timedelta(minutes=1), "UTC", now, tz, cfg)
    midnight = datetime(2026, 3, 10, 16, 0, tzinfo=UTC)  # 00:00 local on the 11th
    assert is_due(midnight - timedelta(minutes=1), tz.key, midnight, tz, cfg)


def test_snapshot_settings() -> None:
    import pytest
    from pydantic import ValidationError

    from bot.composition import snapshot_config
    from bot.settings import Settings

    s = Settings(summary_snapshot_max_age_minutes=20, summary_snapshot_refresh_minutes=5,
                 summary_snapshot_min_units=50)  # fmt: skip
    cfg = snapshot_config(s)
    assert (cfg.max_age.seconds, cfg.refresh_every.seconds, cfg.min_units) == (1200, 300, 50)
    with pytest.raises(ValidationError, match="SUMMARY_SNAPSHOT_REFRESH_MINUTES"):
        Settings(summary_snapshot_max_age_minutes=10, summary_snapshot_refresh_minutes=10)
    off = snapshot_config(Settings(summary_snapshot_max_age_minutes=0))
    assert not off.enabled


async def test_dispatcher_chores_run_even_if_one_fails() -> None:
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from bot.scheduler.dispatcher import Dispatcher
    from handlers.core.clock import ManualClock

    ran: list[str] = []

    async def broken() -> None:
        ran.append("broken")
        raise RuntimeError("boom")

    async def fine() -> None:
        ran.append("fine")

    d = Dispatcher(FakeUnitOfWorkFactory(), None, ManualClock(datetime(2026, 1, 1, tzinfo=UTC)),  # type: ignore[arg-type]
                   ZoneInfo("Asia/Shanghai"), chores=[broken, fine])  # fmt: skip
    await d.run_chores()
    assert ran == ["broken", "fine"]


async def test_a_reversed_or_impossible_range_is_named(core: Assistant) -> None:
    reversed_ = texts(await say(core, 1101, "/summary 2026-12-31..2026-01-01"))
    assert "结束日期早于开始日期" in reversed_
    assert "不存在的日期" in texts(await say(core, 1101, "/summary 2026-02-30..2026-03-01"))


def test_a_half_year_is_a_period_wherever_periods_are_read() -> None:
    """`lianzheng summary --period 2026H1`, which its help offers, reads the half (the halves
    had been read only by the chat commands)."""
    from handlers.summary.period import parse_period

    half = parse_period("2026H1")
    assert half is not None and half.code == "20260101-20260630"
    last = parse_period("去年下半年", date(2026, 12, 7))
    assert last is not None and last.code == "20250701-20251231"


async def test_the_chart_asked_for_by_command_or_in_words(core: Assistant) -> None:
    # 出个图表 had shown the summary with a chart button: the chart itself comes now.
    for typed in ("/chart HL 2026Q1", "出个图表", "华龙区今年的统计图"):
        replies = await say(core, 1101, typed)
        assert isinstance(replies[0], PhotoReply), typed
        assert replies[0].content.startswith(b"\x89PNG")
    # Its unit and period are checked as the summary's are.
    assert "无法识别这个期间" in texts(await say(core, 1101, "/chart 2026-13"))
    assert "诫勉谈话" not in texts(await say(core, 1004, "/chart"))
