"""Quiet hours, days off, lead-time scheduling and lateness after downtime."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from handlers.reminders.domain import ReminderConfig
from handlers.reminders.timing import awake_lateness, is_quiet, next_allowed, schedule
from tests.handlers.reminders.helpers import TZ

CFG = ReminderConfig()


def local(y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TZ)


def test_quiet_hours_span_midnight() -> None:
    assert is_quiet(local(2026, 3, 10, 21, 0), CFG, TZ)
    assert is_quiet(local(2026, 3, 10, 7, 59), CFG, TZ)
    assert not is_quiet(local(2026, 3, 10, 8, 0), CFG, TZ)
    assert not is_quiet(local(2026, 3, 10, 20, 59), CFG, TZ)


def test_evening_and_night_defer_to_the_next_morning() -> None:
    assert next_allowed(local(2026, 3, 10, 22, 30), CFG, TZ) == local(2026, 3, 11, 8, 0)
    assert next_allowed(local(2026, 3, 11, 3, 0), CFG, TZ) == local(2026, 3, 11, 8, 0)
    noon = local(2026, 3, 11, 12, 0)
    assert next_allowed(noon, CFG, TZ) == noon


def test_weekend_skip_moves_forward_but_never_past_the_event() -> None:
    cfg = ReminderConfig(skip_weekends=True, holidays=frozenset({date(2026, 3, 16)}))
    saturday = local(2026, 3, 14, 9, 0)
    # Monday 16th is a holiday, so Tuesday morning.
    assert next_allowed(saturday, cfg, TZ) == local(2026, 3, 17, 8, 0)
    # …unless the event is on Monday: then the Friday before.
    event = local(2026, 3, 16, 8, 30)
    assert schedule(saturday, cfg, TZ, not_after=event) == local(2026, 3, 13, 9, 0)


def test_lateness_counts_only_waking_hours() -> None:
    due = local(2026, 3, 10, 20, 30).astimezone(UTC)
    found = local(2026, 3, 11, 8, 5).astimezone(UTC)
    assert awake_lateness(due, found, CFG, TZ) == timedelta(minutes=35)
    later = local(2026, 3, 11, 15, 0).astimezone(UTC)
    assert awake_lateness(due, later, CFG, TZ) == timedelta(hours=7, minutes=30)
    assert awake_lateness(later, due, CFG, TZ) == timedelta(0)


def test_custom_quiet_window_inside_a_day() -> None:
    cfg = ReminderConfig(quiet_start=time(12, 0), quiet_end=time(14, 0))
    assert is_quiet(local(2026, 3, 10, 13, 0), cfg, TZ)
    assert next_allowed(local(2026, 3, 10, 13, 0), cfg, TZ) == local(2026, 3, 10, 14, 0)
