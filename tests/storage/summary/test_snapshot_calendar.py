"""The summary snapshot and the calendar: check-in windows follow each year's meeting date.

Found in review after the snapshot and the date-following windows were merged: the snapshot
filed a year's check-ins under another year's window month, and kept serving figures
computed with windows an administrator had just moved.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from handlers.calendar.importing import import_dates
from handlers.core.clock import ManualClock
from handlers.reminders.domain import CalendarDate
from handlers.summary.period import month_period, quarter_period
from handlers.summary.snapshot import refresh_snapshot
from tests.storage.summary.fixture import NOW, stored_org
from tests.storage.summary.test_snapshot import ALL, TZ, _both

pytestmark = pytest.mark.storage


def _checkins(summary: Any) -> tuple[int, int, int]:
    t = summary.total
    return t.checkins_on_time, t.checkins_late, t.checkins_missing


async def _differences(sql_uow: Any, unit: Any, year: int) -> list[tuple[str, Any, Any]]:
    bad = []
    for period in (
        month_period(year, 6),
        month_period(year, 7),
        quarter_period(year, 2),
        quarter_period(year, 3),
    ):
        live, kept = await _both(sql_uow, unit, period, NOW)
        if live.total != kept.total:
            bad.append((period.code, _checkins(live), _checkins(kept)))
    return bad


async def test_window_months_are_kept_per_year(sql_uow: Any) -> None:
    org = await stored_org(sql_uow)
    async with sql_uow() as uow:
        # 2026's meeting on 25 June: its mid-year window closes on 24 June; 2025 has no
        # date set, so its window closes on the default 15 July.
        await uow.calendar.set_date(CalendarDate("life_meeting", 2026, date(2026, 6, 25)))
        await uow.commit()
    await refresh_snapshot(sql_uow, ManualClock(NOW), TZ, ALL)
    assert await _differences(sql_uow, org.c, 2025) == []
    assert await _differences(sql_uow, org.c, 2026) == []


async def test_a_date_set_after_the_refresh_is_not_read_from_the_old_snapshot(
    sql_uow: Any,
) -> None:
    org = await stored_org(sql_uow)
    await refresh_snapshot(sql_uow, ManualClock(NOW), TZ, ALL)
    async with sql_uow() as uow:
        saved, problems = await import_dates(uow, [["life_meeting", "2026-06-25", "会议室"]])
        await uow.commit()
    assert (saved, problems) == (1, [])
    assert await _differences(sql_uow, org.c, 2026) == []
    async with sql_uow() as uow:  # the next refresh brings the snapshot back into use
        assert (await uow.summary.snapshot_state()).taken_at is None
    await refresh_snapshot(sql_uow, ManualClock(NOW), TZ, ALL)
    assert await _differences(sql_uow, org.c, 2026) == []
