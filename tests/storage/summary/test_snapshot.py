"""The pre-aggregated summary figures (snapshot) against live ones, on SQLite and PostgreSQL.

The snapshot must give exactly the live figures for every kept scope and period, be used
only while fresh (and only for years, quarters and months of kept scopes), and never
widen what a supervisor sees.
"""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from handlers.core.app import Assistant
from handlers.core.clock import ManualClock
from handlers.core.context import CoreConfig, Services
from handlers.core.types import DocumentReply
from handlers.registry import all_routers
from handlers.summary.domain import Figures, SnapshotConfig, Summary
from handlers.summary.figures import build_summary
from handlers.summary.period import month_period, parse_period, quarter_period, year_period
from handlers.summary.snapshot import kept_periods, refresh_if_due, refresh_snapshot
from storage.records.models import RectificationNoticeRow
from storage.reminders.models import QuizAttemptRow
from tests.handlers.core.helpers import button_data, buttons, say, texts
from tests.storage.summary.fixture import (
    NOW,
    Org,
    T,
    forged_summaries_reveal_nothing,
    stored_org,
    talk_row,
)

pytestmark = pytest.mark.storage
TZ = ZoneInfo("Asia/Shanghai")
#: Every unit of the fixture is a kept scope (its whole tree has six units).
ALL = SnapshotConfig(min_units=1)
AGE = timedelta(minutes=30)


async def _both(sql_uow: Any, unit: Any, period: Any, now: datetime) -> tuple[Summary, Summary]:
    """(live summary, summary allowed to read the snapshot)."""
    async with sql_uow() as uow:
        live = await build_summary(uow, unit, period, now, TZ)
    async with sql_uow() as uow:
        kept = await build_summary(uow, unit, period, now, TZ, AGE)
    return live, kept


def _same(live: Summary, kept: Summary) -> None:
    assert kept.total == live.total
    assert kept.parts == live.parts
    assert kept.kinds == live.kinds


async def test_every_kept_scope_and_period_equals_the_live_figures(sql_uow: Any) -> None:
    org = await stored_org(sql_uow)
    # A second test attempt in September: a participant's best is a maximum, not a sum.
    async with sql_uow() as uow:
        sep = datetime(2026, 9, 2, 1, 0, tzinfo=UTC)
        uow.session.add(
            QuizAttemptRow(
                person_id=org.people["b1x"].id,
                year=2026,
                practice=False,
                question_ids=[],
                answers=[],
                started_at=sep,
                finished_at=sep,
                score=95,
            )
        )
        await uow.commit()
    report = await refresh_snapshot(sql_uow, ManualClock(NOW), TZ, ALL)
    assert report.scopes == 6 and report.rows > 0
    periods = kept_periods(NOW.date(), ALL.years)
    assert len(periods) == 34  # 2025 and 2026: a year, four quarters and twelve months each
    used = 0
    for unit in (org.c, org.a, org.a1, org.a2, org.b, org.b1):
        for period in periods:
            live, kept = await _both(sql_uow, unit, period, NOW)
            assert live.as_of is None and kept.as_of is not None, (unit.code, period.code)
            _same(live, kept)
            used += kept.total != Figures()
    assert used > 100  # most of them have figures, so equality is not between empties
    # Spot checks of what the fixture's hand counts say, read from the snapshot.
    _, year = await _both(sql_uow, org.c, year_period(2026), NOW)
    f = year.total
    assert (f.units_excellent, f.units_passed, f.units_failed, f.advanced_workers) == (2, 1, 1, 3)
    assert (f.notices_open, f.notices_overdue, f.notices_closed_on_time) == (1, 2, 1)
    assert (f.checkins_on_time, f.checkins_late, f.checkins_missing) == (2, 1, 2)
    assert (f.reminders_sent, f.reminders_acked) == (5, 3)
    # Best scores: a1x 90, b1x 95 (September beats August's 70).
    assert (f.quiz_takers, f.quiz_score_total) == (2, 185)
    _, q3 = await _both(sql_uow, org.c, quarter_period(2026, 3), NOW)
    assert (q3.total.quiz_takers, q3.total.quiz_score_total) == (2, 185)
    _, aug = await _both(sql_uow, org.c, month_period(2026, 8), NOW)
    assert (aug.total.quiz_takers, aug.total.quiz_score_total) == (2, 160)
    # The seed report's shape: 2025 and 2026 cases by handling.
    _, y2025 = await _both(sql_uow, org.c, year_period(2025), NOW)
    both = year.total + y2025.total
    assert (both.cases, both.people, both.org_cases, both.disc_people) == (172, 239, 125, 62)


async def talk_after_refresh(
    sql_uow: Any, person: str, unit: str, day: date
) -> tuple[Org, ManualClock]:
    """The fixture stored and its snapshot refreshed at NOW; then a warning talk with the
    person (a key of ``org.people``) in the unit (an attribute of ``org``) is recorded."""
    org = await stored_org(sql_uow)
    clock = ManualClock(NOW)
    await refresh_snapshot(sql_uow, clock, TZ, ALL)
    async with sql_uow() as uow:
        uow.session.add(talk_row(org.people[person], getattr(org, unit), day))
        await uow.commit()
    return org, clock


async def test_figures_are_as_of_the_refresh(sql_uow: Any) -> None:
    org, clock = await talk_after_refresh(sql_uow, "a1x", "a1", date(2026, 7, 20))
    later = NOW + timedelta(minutes=5)
    live, kept = await _both(sql_uow, org.c, year_period(2026), later)
    assert (live.total.talks, kept.total.talks) == (4, 3)
    assert kept.as_of == NOW.astimezone(TZ)
    # The next refresh counts it.
    clock.set(later)
    await refresh_snapshot(sql_uow, clock, TZ, ALL)
    live, kept = await _both(sql_uow, org.c, year_period(2026), later)
    assert kept.as_of == later.astimezone(TZ)
    _same(live, kept)


async def test_stale_or_uncovered_requests_are_computed_live(sql_uow: Any) -> None:
    org = await stored_org(sql_uow)
    await refresh_snapshot(sql_uow, ManualClock(NOW), TZ, SnapshotConfig(min_units=4))
    # Kept: the city (6 units); not kept: county A (3 units).
    _, city = await _both(sql_uow, org.c, year_period(2026), NOW)
    _, county = await _both(sql_uow, org.a, year_period(2026), NOW)
    assert city.as_of is not None and county.as_of is None
    # Too old, a date range, a year not kept: live.
    _, old = await _both(sql_uow, org.c, year_period(2026), NOW + AGE)
    two_years = parse_period("2025-01-01..2026-12-31")
    _, ranged = await _both(sql_uow, org.c, two_years, NOW)
    _, y2024 = await _both(sql_uow, org.c, year_period(2024), NOW)
    assert old.as_of is None and ranged.as_of is None and y2024.as_of is None
    # Another time zone than the snapshot's: live.
    async with sql_uow() as uow:
        other = await build_summary(
            uow, org.c, year_period(2026), NOW, ZoneInfo("Europe/Berlin"), AGE
        )
    assert other.as_of is None


async def test_a_snapshot_of_yesterday_is_not_used_after_midnight(sql_uow: Any) -> None:
    """Notices overdue depend on the day: 25 minutes after a refresh, but past local
    midnight, the figures are computed live and a notice due yesterday is overdue."""
    org = await stored_org(sql_uow)
    before_midnight = datetime(2026, 8, 10, 15, 50, tzinfo=UTC)  # 23:50 local
    async with sql_uow() as uow:
        uow.session.add(
            RectificationNoticeRow(
                unit_id=org.a1.id,
                recipient_id=None,
                issued_on=date(2026, 8, 1),
                deadline=date(2026, 8, 10),
                problems="…",
                status="open",
                created_by=1,
                created_at=T,
                updated_at=T,
            )
        )
        await uow.commit()
    await refresh_snapshot(sql_uow, ManualClock(before_midnight), TZ, ALL)
    _, same_day = await _both(sql_uow, org.c, year_period(2026), before_midnight)
    after = before_midnight + timedelta(minutes=25)
    live, next_day = await _both(sql_uow, org.c, year_period(2026), after)
    assert same_day.as_of is not None and next_day.as_of is None
    assert next_day.total.notices_overdue == same_day.total.notices_overdue + 1
    assert live.total == next_day.total


async def test_refresh_runs_when_due_and_one_instance_at_a_time(sql_uow: Any) -> None:
    await stored_org(sql_uow)
    clock = ManualClock(NOW)
    first = await refresh_if_due(sql_uow, clock, TZ, ALL)
    assert first is not None and first.scopes == 6
    clock.advance(timedelta(minutes=5))
    assert await refresh_if_due(sql_uow, clock, TZ, ALL) is None  # fresh enough
    clock.advance(ALL.refresh_every)
    # Another instance holds the lease: this one leaves the refresh to it.
    async with sql_uow() as uow:
        state = await uow.summary.snapshot_state()
        assert await uow.summary.claim_snapshot(state.generation, clock.now(), clock.now() + AGE)
        await uow.commit()
    assert await refresh_if_due(sql_uow, clock, TZ, ALL) is None
    async with sql_uow() as uow:
        assert not await uow.summary.claim_snapshot(state.generation, clock.now(), clock.now())
    # Once the lease has lapsed, the next run refreshes (a crashed refresher blocks nobody).
    clock.advance(AGE + timedelta(seconds=1))
    assert await refresh_if_due(sql_uow, clock, TZ, ALL) is not None
    async with sql_uow() as uow:
        now_state = await uow.summary.snapshot_state()
        # The claim is for the generation one saw: a stale claimer cannot take it.
        assert not await uow.summary.claim_snapshot(state.generation, clock.now(), clock.now())
    assert now_state.generation == state.generation + 1
    assert now_state.taken_at == clock.now()
    # Switched off: never refreshed.
    clock.advance(timedelta(days=1))
    off = replace(ALL, max_age=timedelta(0))
    assert await refresh_if_due(sql_uow, clock, TZ, off) is None


async def test_supervisors_see_only_their_scope_through_the_snapshot(sql_uow: Any) -> None:
    org = await stored_org(sql_uow)
    clock = ManualClock(NOW)
    await refresh_snapshot(sql_uow, clock, TZ, ALL)
    config = CoreConfig(bot_username="lianzheng_test_bot", summary=ALL)
    core = Assistant(sql_uow, Services(clock=clock, config=config, kb=None), all_routers())
    own = await say(core, 501, "/summary A 2026")
    assert "截至" in texts(own) and "甲县" in texts(own)
    assert "乙" not in texts(own)
    drilled = await say(core, 501, data=button_data(own, "甲县教育局"))
    assert "截至" in texts(drilled) and "甲县教育局" in texts(drilled)
    await forged_summaries_reveal_nothing(core, org)
    # The city's supervisor gets the whole tree from the same snapshot.
    city = await say(core, 500, "/summary C 2026")
    assert "截至" in texts(city) and button_data(city, "乙县") == f"sum:{org.b.id}:2026"
    assert "诫勉谈话（谈话记录）：3 次" in texts(city)


async def test_exports_are_computed_live(sql_uow: Any) -> None:
    """A spreadsheet lists people from the records, so its figures are live too."""
    org, clock = await talk_after_refresh(sql_uow, "b1x", "b1", date(2026, 7, 21))
    config = CoreConfig(bot_username="lianzheng_test_bot", summary=ALL)
    core = Assistant(sql_uow, Services(clock=clock, config=config, kb=None), all_routers())
    kept = await say(core, 500, "/summary C 2026")
    assert "截至" in texts(kept) and "诫勉谈话（谈话记录）：3 次" in texts(kept)
    # Live on request: the button under kept figures, or the word 实时 typed after them.
    for live in (
        await say(core, 500, data=button_data(kept, "实时数据")),
        await say(core, 500, "/summary C 2026 实时"),
    ):
        assert "截至" not in texts(live) and "诫勉谈话（谈话记录）：4 次" in texts(live)
        assert "suml:" not in " ".join(d for _, d in buttons(live))
    export = await say(core, 500, "/export C 2026")
    doc = next(r for r in export if isinstance(r, DocumentReply))
    assert "截至" not in (doc.caption or "")
    sheet = load_workbook(io.BytesIO(doc.content))["诫勉谈话与整改通知"]
    total = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[1] == "C"][-1]
    assert total[2] == 4  # the talk entered after the refresh is counted
