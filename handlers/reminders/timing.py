"""Reminder timing: quiet hours, weekends and holidays, and lateness after downtime.

All functions take UTC datetimes and the configured time zone; nothing reads the clock.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from handlers.reminders.domain import ReminderConfig


def is_quiet(moment: datetime, cfg: ReminderConfig, tz: ZoneInfo) -> bool:
    """True between quiet_start and quiet_end local time (e.g. 21:00–08:00)."""
    t = moment.astimezone(tz).time()
    if cfg.quiet_start > cfg.quiet_end:  # spans midnight
        return t >= cfg.quiet_start or t < cfg.quiet_end
    return cfg.quiet_start <= t < cfg.quiet_end


def is_day_off(day: date, cfg: ReminderConfig) -> bool:
    """True on skipped days: weekends (when configured) and listed holidays."""
    return day in cfg.holidays or (cfg.skip_weekends and day.weekday() >= 5)


def may_send(moment: datetime, cfg: ReminderConfig, tz: ZoneInfo) -> bool:
    """True when a reminder may go out now."""
    return not is_quiet(moment, cfg, tz) and not is_day_off(moment.astimezone(tz).date(), cfg)


def local_at(day: date, at: time, tz: ZoneInfo) -> datetime:
    """``day`` at local time ``at``, as an aware datetime in ``tz``."""
    return datetime.combine(day, at, tzinfo=tz)


def next_allowed(moment: datetime, cfg: ReminderConfig, tz: ZoneInfo) -> datetime:
    """``moment`` if a reminder may go out then, else the next morning that allows it (UTC)."""
    local = moment.astimezone(tz)
    for _ in range(370):
        if is_day_off(local.date(), cfg):
            local = local_at(local.date() + timedelta(days=1), cfg.quiet_end, tz)
            continue
        if is_quiet(local, cfg, tz):
            day = local.date()
            if local.time() >= cfg.quiet_end:  # evening: the next morning
                day += timedelta(days=1)
            local = local_at(day, cfg.quiet_end, tz)
            continue
        return local.astimezone(moment.tzinfo)
    raise ValueError("no day allows reminders: check the holiday list")


def schedule(
    moment: datetime, cfg: ReminderConfig, tz: ZoneInfo, not_after: datetime | None = None
) -> datetime:
    """When to send a reminder meant for ``moment``: deferred out of quiet hours and days off,
    but if that would pass ``not_after`` (the event itself), the last working day before."""
    later = next_allowed(moment, cfg, tz)
    if not_after is None or later <= not_after:
        return later
    day = moment.astimezone(tz).date()
    for _ in range(370):
        day -= timedelta(days=1)
        if not is_day_off(day, cfg):
            return local_at(day, cfg.send_time, tz).astimezone(moment.tzinfo)
    return later


def awake_lateness(due: datetime, now: datetime, cfg: ReminderConfig, tz: ZoneInfo) -> timedelta:
    """How long a reminder has been late, counting only hours in which it could have been sent.

    A reminder due at 20:30 and found at 08:05 the next morning is 35 minutes late, not
    twelve hours: the night did not make it stale.
    """
    if now <= due:
        return timedelta(0)
    total = timedelta(0)
    day = due.astimezone(tz).date()
    last = now.astimezone(tz).date()
    while day <= last:
        if not is_day_off(day, cfg):
            if cfg.quiet_start > cfg.quiet_end:
                windows = [(cfg.quiet_end, cfg.quiet_start)]
            else:
                windows = [(time(0), cfg.quiet_start), (cfg.quiet_end, time.max)]
            for a, b in windows:
                start = max(local_at(day, a, tz), due)
                end = min(local_at(day, b, tz), now)
                if end > start:
                    total += end - start
        day += timedelta(days=1)
    return total
