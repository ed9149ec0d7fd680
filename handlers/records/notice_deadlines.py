"""Rectification-notice deadlines as of a date: the seam for deadline reminders.

A reminder feature asks :func:`notices_due` which notices to remind about (before the
deadline, on the day, overdue) and decides itself whom to tell and how often.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from handlers.core.ports import UnitOfWork
from handlers.records.domain import RectificationNotice
from handlers.records.ports import records_of


class DuePhase(StrEnum):
    """Where a notice stands relative to its deadline."""

    UPCOMING = "upcoming"
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class DueNotice:
    """A notice that needs a reminder, with its phase and days left (negative: overdue)."""

    notice: RectificationNotice
    phase: DuePhase
    days_left: int


def due_phase(deadline: date, as_of: date) -> DuePhase:
    """The phase of a deadline on ``as_of``."""
    if as_of < deadline:
        return DuePhase.UPCOMING
    if as_of == deadline:
        return DuePhase.DUE_TODAY
    return DuePhase.OVERDUE


async def notices_due(uow: UnitOfWork, as_of: date, within_days: int = 3) -> list[DueNotice]:
    """Live notices not yet closed whose deadline is at most ``within_days`` after ``as_of``
    (and every overdue one), earliest deadline first.

    A notice whose rectification report awaits review is still listed (it is not closed),
    so the inspector can be reminded to decide; callers may skip ``status == submitted``.
    """
    if within_days < 0:
        raise ValueError("within_days must not be negative")
    notices = await records_of(uow).notices.due(as_of + timedelta(days=within_days))
    return [DueNotice(n, due_phase(n.deadline, as_of), (n.deadline - as_of).days) for n in notices]
