"""Refreshing the pre-aggregated summary figures (the snapshot) of wide scopes.

The bot's background loop calls :func:`refresh_if_due` (one instance at a time, by a lease
on the snapshot's state row); ``lianzheng summary-refresh`` calls :func:`refresh_snapshot`.
Summaries read the snapshot only while it is fresh (handlers/summary/figures.py), so a
missing or stale snapshot costs speed, never correctness.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from handlers.calendar.windows import PledgeCalendar, pledge_calendar
from handlers.core.ports import Clock, UnitOfWorkFactory
from handlers.summary.domain import (
    Period,
    SnapshotConfig,
    SnapshotPlan,
    SnapshotReport,
)
from handlers.summary.figures import period_query
from handlers.summary.period import month_period, quarter_period, year_period
from handlers.summary.ports import summary_of

#: How long a claimed refresh may take before another instance may take it over.
LEASE = timedelta(minutes=10)


def kept_periods(today: date, years: int) -> list[Period]:
    """Every year, quarter and month of the current year and the ``years - 1`` before it."""
    out: list[Period] = []
    for year in range(today.year - max(years, 1) + 1, today.year + 1):
        out.append(year_period(year))
        out += [quarter_period(year, q) for q in range(1, 5)]
        out += [month_period(year, m) for m in range(1, 13)]
    return out


def snapshot_plan(
    now: datetime, tz: ZoneInfo, cfg: SnapshotConfig, calendar: PledgeCalendar | None = None
) -> SnapshotPlan:
    """What a refresh at ``now`` computes (``calendar``: the check-in windows, as the live
    summaries use them, so missing check-ins agree)."""
    today = now.astimezone(tz).date()
    periods = kept_periods(today, cfg.years)
    first, last = periods[0].start, periods[-1].end
    coverage = Period(first, last, f"{first:%Y%m%d}-{last:%Y%m%d}")
    return SnapshotPlan(
        taken_at=now,
        today=today,
        timezone=tz.key,
        min_units=cfg.min_units,
        coverage=period_query("/", 0, coverage, now, tz, calendar),
        periods=tuple(period_query("/", 0, p, now, tz, calendar) for p in periods),
    )


async def refresh_snapshot(
    uow_factory: UnitOfWorkFactory, clock: Clock, tz: ZoneInfo, cfg: SnapshotConfig
) -> SnapshotReport:
    """Recompute the snapshot now, in one transaction (whoever holds the lease)."""
    async with uow_factory() as uow:
        plan = snapshot_plan(clock.now(), tz, cfg, await pledge_calendar(uow))
        report = await summary_of(uow).refresh_snapshot(plan)
        await uow.commit()
    return report


def is_due(
    taken_at: datetime | None, zone: str, now: datetime, tz: ZoneInfo, cfg: SnapshotConfig
) -> bool:
    """True when the snapshot is missing, older than ``refresh_every``, of another local day
    (after midnight its overdue and missing figures are yesterday's) or of another zone."""
    if taken_at is None or zone != tz.key:
        return True
    if taken_at.astimezone(tz).date() != now.astimezone(tz).date():
        return True
    return now - taken_at >= cfg.refresh_every


async def refresh_if_due(
    uow_factory: UnitOfWorkFactory, clock: Clock, tz: ZoneInfo, cfg: SnapshotConfig
) -> SnapshotReport | None:
    """Refresh when due and no other instance is at it; None when nothing was done."""
    if not cfg.enabled:
        return None
    now = clock.now()
    async with uow_factory() as uow:
        state = await summary_of(uow).snapshot_state()
        if not is_due(state.taken_at, state.timezone, now, tz, cfg):
            return None
        # The lease is committed before the (long) refresh, as deliveries are claimed before
        # they are sent: another instance sees it and leaves the refresh to us.
        if not await summary_of(uow).claim_snapshot(state.generation, now, now + LEASE):
            return None
        await uow.commit()
    return await refresh_snapshot(uow_factory, clock, tz, cfg)
