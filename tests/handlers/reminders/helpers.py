"""Helpers for reminder tests: a recording fake sender and fake time for the limiter."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.frontends.rate_limit import RateLimiter
from bot.scheduler.dispatcher import Dispatcher
from handlers.core.clock import ManualClock
from handlers.core.ports import UnitOfWorkFactory
from handlers.core.types import Reply, TextReply
from handlers.reminders.domain import CalendarDate, Deadline, ReminderConfig
from handlers.reminders.ports import DeadlineSource, DeliveryOutcome, Outcome

TZ = ZoneInfo("Asia/Shanghai")


class FakeTime:
    """Monotonic time that only moves when someone sleeps (and moves the wall clock too)."""

    def __init__(self, clock: ManualClock | None = None) -> None:
        self.t = 1000.0
        self.clock = clock
        self.slept: list[float] = []

    def now(self) -> float:
        return self.t

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.t += seconds
        if self.clock is not None:
            self.clock.advance(timedelta(seconds=seconds))


@dataclass
class FakeSender:
    """Records deliveries; scripted outcomes per chat id (consumed in order)."""

    sent: list[tuple[int, Reply]] = field(default_factory=list)
    script: dict[int, list[DeliveryOutcome]] = field(default_factory=dict)
    calls: int = 0

    async def deliver(self, chat_id: int, reply: Reply) -> DeliveryOutcome:
        self.calls += 1
        queue = self.script.get(chat_id)
        if queue:
            outcome = queue.pop(0)
            if outcome.outcome != Outcome.OK:
                return outcome
        self.sent.append((chat_id, reply))
        return DeliveryOutcome.ok()

    def texts_to(self, chat_id: int) -> list[str]:
        return [r.text for c, r in self.sent if c == chat_id and isinstance(r, TextReply)]

    def delivery_ids(self) -> list[int]:
        """The delivery id of every sent reminder (from its acknowledgement buttons)."""
        out = []
        for _, r in self.sent:
            if isinstance(r, TextReply) and r.buttons:
                out.append(int(r.buttons[0][0].data.rsplit(":", 1)[1]))
        return out


def make_dispatcher(
    uow: UnitOfWorkFactory,
    sender: FakeSender,
    clock: ManualClock,
    cfg: ReminderConfig | None = None,
    time: FakeTime | None = None,
    **kw: object,
) -> Dispatcher:
    """A dispatcher on fake time: the limiter's waits advance a fake monotonic clock."""
    ft = time or FakeTime()
    limiter = RateLimiter(clock=ft.now, sleep=ft.sleep)
    return Dispatcher(uow, sender, clock, TZ, cfg or ReminderConfig(), limiter, **kw)  # type: ignore[arg-type]


def at(m: int, d: int, hh: int, mm: int = 0) -> datetime:
    """A local (Shanghai) time in 2026, as UTC."""
    return datetime(2026, m, d, hh, mm, tzinfo=TZ).astimezone(UTC)


async def person_id(uow: UnitOfWorkFactory, telegram_id: int) -> int:
    """The id of the demo person with this Telegram id."""
    async with uow() as u:
        p = await u.people.by_telegram_id(telegram_id)
        assert p is not None
        return p.id


async def set_event(uow: UnitOfWorkFactory, topic: str, day: date, place: str = "") -> None:
    """Set a calendar event's 2026 date (and place)."""
    async with uow() as u:
        await u.calendar.set_date(CalendarDate(topic, 2026, day, None, place))
        await u.commit()


async def planned(
    uow: UnitOfWorkFactory,
    clock: ManualClock,
    sources: Sequence[tuple[str, DeadlineSource]] = (),
    then: datetime | None = None,
) -> tuple[FakeSender, Dispatcher]:
    """A fresh sender and a dispatcher that has planned once (no deadline sources unless
    given: only the calendar events); the clock is then set to ``then`` if given."""
    sender = FakeSender()
    d = make_dispatcher(uow, sender, clock, sources=sources)
    await d.plan()
    if then is not None:
        clock.set(then)
    return sender, d


FIRST_ROUND = at(3, 17, 9)  # the group study's (20 March) three-day reminder is due


async def dispatched_at(
    uow: UnitOfWorkFactory,
    clock: ManualClock,
    when: datetime = FIRST_ROUND,
    sources: Sequence[tuple[str, DeadlineSource]] = (),
) -> tuple[FakeSender, Dispatcher]:
    """``planned``, then the clock set to ``when`` and one dispatch pass."""
    sender, d = await planned(uow, clock, sources, then=when)
    await d.dispatch_once()
    return sender, d


async def send_deployment_round(
    uow: UnitOfWorkFactory, clock: ManualClock
) -> tuple[FakeSender, Dispatcher]:
    """The 2026 deployment meeting set for 31 March, planned, and its first reminder round
    (two weeks before) sent on 17 March at 09:00; returns the sender and the dispatcher."""
    await set_event(uow, "deployment_meeting", date(2026, 3, 31), "礼堂")
    return await dispatched_at(uow, clock)


def notices(
    people: dict[int, int], due: date
) -> tuple[dict[int, Deadline], list[tuple[str, DeadlineSource]]]:
    """Rectification-report deadlines due ``due`` for people (Telegram id: person id), and
    the deadline source serving those still pending: delete one to hand its report in."""
    pending = {t: Deadline(pid, f"notice:{t}", due, "notice") for t, pid in people.items()}

    async def source(uow: object, now: datetime) -> list[Deadline]:
        return list(pending.values())

    return pending, [("notice", source)]


def escalation_lists(sender: FakeSender, chat: int, about: str) -> list[str]:
    """Escalation lists (who has not acknowledged) sent to ``chat`` about ``about``."""
    return [t for t in sender.texts_to(chat) if "尚未确认" in t and about in t]
