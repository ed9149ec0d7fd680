"""One failing step of the reminder loop does not stop the reminders people wait for."""

from __future__ import annotations

from typing import Any

import bot.scheduler.dispatcher as dispatcher_module
from handlers.core.clock import ManualClock
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.reminders.helpers import FIRST_ROUND, FakeSender, make_dispatcher, planned


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
    clock.set(FIRST_ROUND)
    await d.run_pass()
    assert sender.sent


async def test_a_failing_planning_pass_does_not_block_what_is_planned(
    fake_uow: FakeUnitOfWorkFactory, clock: ManualClock, monkeypatch: Any
) -> None:
    sender, d = await planned(fake_uow, clock, then=FIRST_ROUND)
    monkeypatch.setattr(dispatcher_module, "plan_events", broken)
    d._last_plan = None  # planning is due again, and fails
    await d.run_pass()
    assert sender.sent


async def test_a_failing_test_closing_does_not_block_reminders(
    fake_uow: FakeUnitOfWorkFactory, clock: ManualClock, monkeypatch: Any
) -> None:
    sender, d = await planned(fake_uow, clock, then=FIRST_ROUND)
    monkeypatch.setattr(dispatcher_module, "close_expired_tests", broken)
    report = await d.dispatch_once()
    assert report.sent > 0 and sender.sent
