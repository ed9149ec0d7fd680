"""One failing step of the reminder loop does not stop the reminders people wait for."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import bot.scheduler.dispatcher as dispatcher_module
from handlers.core.clock import ManualClock
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.reminders.helpers import TZ, FakeSender, make_dispatcher


def at(m: int, d: int, hh: int, mm: int = 0) -> datetime:
    return datetime(2026, m, d, hh, mm, tzinfo=TZ).astimezone(UTC)


async def broken(*_: object, **__: object) -> object:
    raise RuntimeError("a bug in one step")


async def test_a_failing_digest_planning_still_plans_and_sends_reminders(
    fake_uow: FakeUnitOfWorkFactory, clock: ManualClock, monkeypatch: Any
) -> None:
    sender = FakeSender()
    monkeypatch.setattr(dispatcher_module, "plan_digests", broken)
    d = make_dispatcher(fake_uow, sender, clock, sources=(), digests=True)
    report = await d.plan()  # the event reminders are planned all the same
    assert report.deliveries > 0
    clock.set(at(3, 17, 9, 0))
    await d.run_pass()
    assert sender.sent


async def test_a_failing_planning_pass_does_not_block_what_is_planned(
    fake_uow: FakeUnitOfWorkFactory, clock: ManualClock, monkeypatch: Any
) -> None:
    sender = FakeSender()
    d = make_dispatcher(fake_uow, sender, clock, sources=())
    await d.plan()
    clock.set(at(3, 17, 9, 0))
    monkeypatch.setattr(dispatcher_module, "plan_events", broken)
    d._last_plan = None  # planning is due again, and fails
    await d.run_pass()
    assert sender.sent


async def test_a_failing_test_closing_does_not_block_reminders(
    fake_uow: FakeUnitOfWorkFactory, clock: ManualClock, monkeypatch: Any
) -> None:
    sender = FakeSender()
    d = make_dispatcher(fake_uow, sender, clock, sources=())
    await d.plan()
    clock.set(at(3, 17, 9, 0))
    monkeypatch.setattr(dispatcher_module, "close_expired_tests", broken)
    report = await d.dispatch_once()
    assert report.sent > 0 and sender.sent
