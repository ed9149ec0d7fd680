"""Settings types of the capabilities the core carries in its configuration
(:class:`handlers.core.context.CoreConfig`): plain values, no behaviour beyond reading them.

They live in the core so that the request context can hold them without importing the
capabilities that use them (reminders, summaries); those re-export them from their own
``domain`` modules.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time, timedelta


@dataclass(frozen=True)
class ReminderConfig:
    """Timing rules for reminders; the bot's settings are mapped onto this."""

    quiet_start: time = time(21, 0)
    quiet_end: time = time(8, 0)
    skip_weekends: bool = False
    holidays: frozenset[date] = frozenset()
    grace_hours: float = 6.0
    repeat_hours: float = 24.0
    repeat_limit: int = 2
    escalate_hours: float = 48.0
    send_time: time = time(9, 0)
    day_of_time: time = time(8, 30)
    lease_seconds: int = 120
    plan_horizon_days: int = 45


@dataclass(frozen=True)
class SnapshotConfig:
    """How summaries use the snapshot: figures older than ``max_age`` (or of another local
    day) are not used; ``max_age`` zero switches the snapshot off. The background refresh
    runs every ``refresh_every``; scopes are subtrees of at least ``min_units`` units; the
    current year and the ``years - 1`` before it are kept."""

    max_age: timedelta = timedelta(minutes=30)
    refresh_every: timedelta = timedelta(minutes=10)
    min_units: int = 200
    years: int = 2

    @property
    def enabled(self) -> bool:
        """False when summaries never read the snapshot (nor refresh it)."""
        return self.max_age > timedelta(0)
