"""Clocks: the real one, and a settable one used by tests and benchmarks."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class SystemClock:
    """The machine's clock, always in UTC."""

    def now(self) -> datetime:
        """The current moment in UTC."""
        return datetime.now(UTC)


class ManualClock:
    """A clock that only moves when told to."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs an aware datetime")
        self._now = start

    def now(self) -> datetime:
        """The current (manually set) moment."""
        return self._now

    def advance(self, delta: timedelta) -> None:
        """Move time forward by ``delta``."""
        self._now += delta

    def set(self, moment: datetime) -> None:
        """Jump to ``moment``."""
        self._now = moment
