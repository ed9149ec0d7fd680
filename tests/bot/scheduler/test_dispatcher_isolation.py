"""One failing step of the reminder loop does not stop the reminders people wait for."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

import pytest

import bot.scheduler.dispatcher as dispatcher_module
from bot.scheduler.dispatcher import Dispatcher
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


async def planning_again(d: Dispatcher) -> None:
    """Planning is due again, and fails; the pass goes on to send."""
    d._last_plan = None
    await d.run_pass()


async def dispatching(d: Dispatcher) -> None:
    """One dispatch pass, which closes expired tests before sending."""
    assert (await d.dispatch_once()).sent > 0


@pytest.mark.parametrize(
    ("step", "run"),
    [("plan_events", planning_again), ("close_expired_tests", dispatching)],
    ids=["a_failing_planning_pass_does_not_block_what_is_planned", "a_failing_test_closing"],
)
async def test_a_failing_step_does_not_block_planned_reminders(
    fake_uow: FakeUnitOfWorkFactory,
    clock: ManualClock,
    monkeypatch: Any,
    step: str,
    run: Callable[[Dispatcher], Awaitable[None]],
) -> None:
    sender, d = await planned(fake_uow, clock, then=FIRST_ROUND)
    monkeypatch.setattr(dispatcher_module, step, broken)
    await run(d)
    assert sender.sent
