"""Reminders on real databases (SQLite and PostgreSQL): idempotent planning, the whole
acknowledgement flow, a crash in the middle of a send batch, and two dispatchers sharing
one PostgreSQL database."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, date, datetime, timedelta

import pytest

from handlers.calendar.domain import Period
from handlers.core.app import Assistant
from handlers.core.clock import ManualClock
from handlers.core.domain import NewPerson, Role
from handlers.core.types import QuizReply, Reply, TextReply
from handlers.pledges.calendar import pledge_calendar
from handlers.reminders.domain import CalendarDate, DeliveryStatus, OccurrenceKind
from handlers.reminders.ports import DeliveryOutcome, reminders_of
from storage.db import create_engine, session_factory
from storage.uow import SqlUnitOfWorkFactory
from tests.handlers.core.helpers import button_data, say, texts
from tests.handlers.reminders.helpers import (
    FakeSender,
    at,
    dispatched_at,
    escalation_lists,
    make_dispatcher,
    notices,
    planned,
)

pytestmark = pytest.mark.storage

CADRES = 24


async def test_plan_send_acknowledge_repeat_on_sql(
    sql_core: Assistant, sql_uow: SqlUnitOfWorkFactory, clock: ManualClock
) -> None:
    sender = FakeSender()
    d = make_dispatcher(sql_uow, sender, clock)
    first = await d.plan()
    assert first.deliveries >= 2 * CADRES
    assert (await d.plan()).deliveries == 0  # idempotent
    clock.set(at(3, 17, 9, 0))
    report = await d.dispatch_once()
    assert report.sent == CADRES
    assert len(set(sender.delivery_ids())) == CADRES
    reminder = next(r for c, r in sender.sent if c == 1004)
    assert "已确认" in texts(await say(sql_core, 1004, data=button_data([reminder], "收到")))
    assert "未找到" in texts(await say(sql_core, 1005, data=button_data([reminder], "收到")))
    sender.sent.clear()
    clock.set(at(3, 18, 9, 0))
    assert (await d.dispatch_once()).sent == CADRES - 1
    assert not sender.texts_to(1004)
    head = texts(await say(sql_core, 1004, "/reminders"))
    assert "1/2" in head  # 市教育局: 刘志强 acknowledged, 陈静 not
    async with sql_uow() as uow:
        views = await uow.reminders.for_person(
            (await uow.people.by_telegram_id(1004)).id, at(3, 1, 0)
        )  # type: ignore[union-attr]
        assert views[0].ack.value == "received" and views[0].sends == 1


async def test_missed_after_downtime_on_sql(
    sql_core: Assistant, sql_uow: SqlUnitOfWorkFactory, clock: ManualClock
) -> None:
    sender, d = await planned(sql_uow, clock)
    clock.set(at(3, 18, 12, 0))  # 3-day reminder: 1 day + 3 h of waking time late
    report = await d.dispatch_once()
    assert report.missed == CADRES and report.sent == 0 and not sender.sent
    mine = texts(await say(sql_core, 1005, "/reminders"))
    assert "已错过" in mine


async def test_escalation_once_per_series_on_sql(
    sql_core: Assistant, sql_uow: SqlUnitOfWorkFactory, clock: ManualClock
) -> None:
    """Series queries (LIKE on keys with underscores), cancelling done items, one list each."""
    async with sql_uow() as uow:
        await uow.calendar.set_date(
            CalendarDate("deployment_meeting", 2026, date(2026, 4, 20), None, "")
        )
        people = {t: (await uow.people.by_telegram_id(t)).id for t in (1106, 1109, 1110)}  # type: ignore[union-attr]
        await uow.commit()
    pending, sources = notices(people, date(2026, 4, 10))
    sender, d = await dispatched_at(sql_uow, clock, at(4, 7, 9, 0), sources)
    mine = next(r for c, r in sender.sent if c == 1109 and "整改" in r.text)  # type: ignore[union-attr]
    await say(sql_core, 1109, data=button_data([mine], "收到"))
    del pending[1110]
    clock.set(at(4, 7, 10, 0))
    assert (await d.plan()).cancelled >= 1
    for day in range(8, 23):
        clock.set(at(4, day, 9, 0))
        await d.dispatch_once()

    inspector = escalation_lists(sender, 1102, "整改")
    assert len(inspector) == 1 and "胡晓燕" in inspector[0]
    assert "何静" not in inspector[0] and "高峰" not in inspector[0]
    assert (
        len(escalation_lists(sender, 1101, "部署会")) == 1
        and len(escalation_lists(sender, 1001, "部署会")) == 1
    )
    assert escalation_lists(sender, 1108, "整改") == []  # 岳村镇: acknowledged or done


async def test_checkin_windows_follow_the_meeting_on_sql(sql_uow: SqlUnitOfWorkFactory) -> None:
    async with sql_uow() as uow:
        await uow.calendar.set_date(CalendarDate("life_meeting", 2027, date(2027, 6, 30)))
        await uow.calendar.set_date(CalendarDate("group_study", 2027, date(2027, 3, 1)))
        await uow.commit()
    async with sql_uow() as uow:
        dates = await uow.calendar.dates_of(["life_meeting"])
        assert {d.event_code for d in dates} == {"life_meeting"}
        assert [d.starts_on for d in dates if d.year == 2027] == [date(2027, 6, 30)]
        window = (await pledge_calendar(uow)).window(2027, Period.MIDYEAR)
        assert (window.start, window.end) == (date(2027, 5, 19), date(2027, 6, 29))


async def test_the_dispatcher_closes_expired_tests_on_sql(
    sql_core: Assistant, sql_uow: SqlUnitOfWorkFactory, clock: ManualClock
) -> None:
    clock.set(datetime(2026, 8, 10, 2, 0, tzinfo=UTC))
    replies = await say(sql_core, 1005, "/test")
    assert any(isinstance(r, QuizReply) for r in replies)
    sender = FakeSender()
    d = make_dispatcher(sql_uow, sender, clock, sources=())
    clock.advance(timedelta(minutes=25))
    assert (await d.dispatch_once()).tests_closed == 1
    assert (await d.dispatch_once()).tests_closed == 0
    assert len([t for t in sender.texts_to(1005) if "闭卷测试已结束" in t]) == 1
    async with sql_uow() as uow:
        person = await uow.people.by_telegram_id(1005)
        assert person is not None
        [attempt] = await uow.quiz.attempts(person.id, 2026, practice=False)
        assert attempt.score == 0 and attempt.finished_at == datetime(
            2026, 8, 10, 2, 20, tzinfo=UTC
        )
        assert not await uow.quiz.finish(attempt)  # closing twice changes nothing
        assert await uow.quiz.expired(clock.now(), 10) == []


class Crash(BaseException):
    """The process dies (not an error the dispatcher could handle)."""


class CrashingSender(FakeSender):
    """Delivers ``limit`` messages, then delivers one more and dies before it is recorded."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        self.dead = False

    async def deliver(self, chat_id: int, reply: Reply) -> DeliveryOutcome:
        if self.dead:  # a dead process sends nothing more
            raise Crash()
        outcome = await super().deliver(chat_id, reply)
        if len(self.sent) > self.limit:
            self.dead = True
            raise Crash()
        return outcome


async def test_restart_in_the_middle_of_a_batch(
    sql_core: Assistant, sql_uow: SqlUnitOfWorkFactory, clock: ManualClock
) -> None:
    crashing = CrashingSender(limit=7)
    d1 = make_dispatcher(sql_uow, crashing, clock, sources=(), batch_size=50, max_in_flight=1)
    await d1.plan()
    clock.set(at(3, 17, 9, 0))
    with pytest.raises(BaseException):  # noqa: B017 - Crash, possibly inside a group
        await d1.dispatch_once()
    # In flight: sent, but the process died before recording it.
    async with sql_uow() as uow:
        in_flight = {
            i
            for i in crashing.delivery_ids()
            if (v := await uow.reminders.delivery(i)) is not None and v.sends == 0
        }
    assert len(in_flight) == 1 and len(crashing.sent) == 8
    # A new process: nothing is claimable until the dead one's lease runs out.
    after = FakeSender()
    d2 = make_dispatcher(sql_uow, after, clock, sources=())
    assert (await d2.dispatch_once()).sent == 0
    clock.advance(timedelta(seconds=d2.cfg.lease_seconds + 1))
    await d2.dispatch_once()
    counts = Counter(crashing.delivery_ids() + after.delivery_ids())
    assert len(counts) == CADRES  # none lost
    assert {i for i, n in counts.items() if n > 1} == in_flight  # only the one in flight
    assert max(counts.values()) == 2


class SlowSender(FakeSender):
    """Yields to the event loop on every send so two dispatchers interleave."""

    async def deliver(self, chat_id: int, reply: Reply) -> DeliveryOutcome:
        await asyncio.sleep(0.001)
        return await super().deliver(chat_id, reply)


async def test_two_dispatchers_on_one_postgresql_send_each_reminder_once(
    db_url: str, sql_core: Assistant, sql_uow: SqlUnitOfWorkFactory, clock: ManualClock
) -> None:
    if db_url.startswith("sqlite"):
        pytest.skip("SQLite runs one dispatcher process; concurrency is a PostgreSQL matter")
    async with sql_uow() as uow:
        unit = await uow.units.by_code("QF-LT")
        assert unit is not None
        for i in range(300):
            p = await uow.people.add(NewPerson(f"干部{i}", unit.id, telegram_user_id=900_000 + i))
            await uow.people.grant(p.id, Role.CADRE, unit.id)
        await uow.commit()
    second_engine = create_engine(db_url)
    try:
        other_uow = SqlUnitOfWorkFactory(session_factory(second_engine))
        a, b = SlowSender(), SlowSender()
        d1 = make_dispatcher(sql_uow, a, clock, sources=(), batch_size=7)
        d2 = make_dispatcher(other_uow, b, clock, sources=(), batch_size=7)
        await asyncio.gather(d1.plan(), d2.plan())
        clock.set(at(3, 17, 9, 0))
        r1, r2 = await asyncio.gather(d1.dispatch_once(), d2.dispatch_once())
    finally:
        await second_engine.dispose()
    ids = a.delivery_ids() + b.delivery_ids()
    assert len(ids) == CADRES + 300
    assert len(set(ids)) == len(ids)  # exactly once
    assert r1.sent > 0 and r2.sent > 0  # both did part of the work
    assert all(isinstance(r, TextReply) for _, r in a.sent + b.sent)


async def test_a_deadline_that_applies_again_is_planned_again_on_sql(
    sql_core: Assistant, sql_uow: SqlUnitOfWorkFactory, clock: ManualClock
) -> None:
    """A report handed in cancels the notice's coming reminders; returned, the notice is
    pending again and so are its reminders (the cancelled rows had stayed cancelled: the
    planner's insert skipped the existing pairs)."""
    async with sql_uow() as uow:
        person = (await uow.people.by_telegram_id(1109)).id  # type: ignore[union-attr]
    pending, sources = notices({1109: person}, date(2026, 4, 10))
    _, d = await planned(sql_uow, clock, sources, then=at(4, 1, 9, 0))

    async def open_deadlines() -> int:
        async with sql_uow() as uow:
            views = await reminders_of(uow).for_person(person, at(3, 1, 0, 0))
        return sum(
            1
            for v in views
            if v.occurrence.kind == OccurrenceKind.DEADLINE and v.status == DeliveryStatus.PENDING
        )

    await d.plan()
    before = await open_deadlines()
    assert before >= 1
    handed_in = pending.pop(1109)  # the report is in: nothing more to remind of
    clock.set(at(4, 1, 10, 0))
    await d.plan()
    assert await open_deadlines() == 0
    pending[1109] = handed_in  # returned: the notice is open again
    clock.set(at(4, 1, 11, 0))
    assert (await d.plan()).deliveries >= before
    assert await open_deadlines() == before
