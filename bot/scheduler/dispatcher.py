"""The reminder dispatcher: plans, claims due deliveries, sends them, records the outcome.

Durability comes from the database, not from memory: a delivery is claimed (status
``sending`` with a lease) and committed before it is sent, and marked ``sent`` in its own
transaction right after. A crash loses at most the sends in flight, which are sent again
when their lease runs out. On PostgreSQL, ``FOR UPDATE SKIP LOCKED`` lets several
instances share the rows without sending anything twice.

On every pass it also closes timed tests whose time ran out (handlers/quiz/close.py).
Claiming, sending and recording are in bot/scheduler/sending.py; this module holds the
planning, the pass and the loop, and the wiring into a composed app.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.frontends.outgoing import ReplySender
from bot.frontends.rate_limit import RateLimiter
from bot.scheduler.sending import DispatchReport, Sending
from handlers.core.ports import Clock, UnitOfWorkFactory
from handlers.digest.plan import plan_digests
from handlers.quiz.close import close_expired_tests
from handlers.registry import DEFAULT_SOURCES
from handlers.reminders.domain import ReminderConfig
from handlers.reminders.plan import PlanReport, plan_deadlines, plan_events
from handlers.reminders.ports import DeadlineSource, Sender
from handlers.reminders.send import escalate
from handlers.reminders.timing import may_send

if TYPE_CHECKING:
    from bot.composition import App
    from bot.settings import Settings

log = logging.getLogger("lianzheng.reminders")


class Dispatcher(Sending):
    """One dispatcher per bot instance; several may share one PostgreSQL database."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        sender: Sender,
        clock: Clock,
        tz: ZoneInfo,
        cfg: ReminderConfig | None = None,
        limiter: RateLimiter | None = None,
        sources: Sequence[tuple[str, DeadlineSource]] = DEFAULT_SOURCES,
        batch_size: int = 100,
        max_in_flight: int = 10,
        max_retries: int = 3,
        plan_every: timedelta = timedelta(minutes=10),
        digests: bool = True,
        button_ttl: timedelta = timedelta(days=7),
        question_retention: timedelta = timedelta(days=180),
        chores: Sequence[Callable[[], Awaitable[object]]] = (),
    ) -> None:
        self.uow_factory = uow_factory
        self.sender = sender
        self.clock = clock
        self.tz = tz
        self.cfg = cfg or ReminderConfig()
        self.limiter = limiter or RateLimiter()
        self.sources = tuple(sources)
        self.batch_size = batch_size
        self.max_in_flight = max_in_flight
        self.max_retries = max_retries
        self.plan_every = plan_every
        self.digests = digests
        self.button_ttl = button_ttl
        self.question_retention = question_retention
        #: Other periodic work run after each dispatch (e.g. refreshing summary figures).
        self.chores = tuple(chores)
        self._lease_until = clock.now()
        self._last_plan: datetime | None = None
        self._write = asyncio.Lock()

    # -- planning -----------------------------------------------------------------------------
    async def plan(self, horizon: timedelta | None = None) -> PlanReport:
        """Plan event, deadline and digest reminders (idempotent) in one transaction."""
        now = self.clock.now()
        async with self.uow_factory() as uow:
            report = await plan_events(uow, now, self.cfg, self.tz, horizon)
            deadlines = await plan_deadlines(uow, now, self.cfg, self.tz, self.sources, horizon)
            await uow.commit()
        parts = [deadlines]
        if self.digests:
            # Its own transaction: a fault in the digests must not undo or block the
            # reminders people are waiting for.
            try:
                async with self.uow_factory() as uow:
                    parts.append(await plan_digests(uow, now, self.cfg, self.tz))
                    await uow.commit()
            except Exception:
                log.exception("planning the summary digests failed")
        for part in parts:
            report.occurrences += part.occurrences
            report.deliveries += part.deliveries
            report.cancelled += part.cancelled
        report.sources = deadlines.sources
        self._last_plan = now
        try:
            await self.purge_buttons()
        except Exception:
            log.exception("removing expired button tokens failed")
        try:
            await self.purge_questions()
        except Exception:
            log.exception("removing questions past their retention period failed")
        return report

    async def purge_buttons(self) -> int:
        """Housekeeping with the planning run: delete expired button tokens of everyone."""
        async with self.uow_factory() as uow:
            purged = await uow.buttons.purge_expired(self.clock.now())
            await uow.commit()
        if purged:
            log.info("%d expired button token(s) removed", purged)
        return purged

    async def purge_questions(self) -> int:
        """Housekeeping with the planning run: delete chat questions older than the
        retention period, keeping only their counts."""
        async with self.uow_factory() as uow:
            purged = await uow.questions.purge(self.clock.now() - self.question_retention)
            await uow.commit()
        if purged:
            log.info("%d question(s) past the retention period removed", purged)
        return purged

    async def plan_if_due(self) -> PlanReport | None:
        """Plan when the last planning run is older than ``plan_every``."""
        now = self.clock.now()
        if self._last_plan is not None and now - self._last_plan < self.plan_every:
            return None
        return await self.plan()

    # -- sending ------------------------------------------------------------------------------
    async def dispatch_once(self, max_batches: int = 1000) -> DispatchReport:
        """Close timed tests whose time ran out; then (outside quiet hours) escalate, claim
        and send everything due now, batch by batch."""
        report = DispatchReport()
        try:
            report.tests_closed = await self.close_expired_tests()
        except Exception:  # a bad attempt row must not hold up the reminders
            log.exception("closing timed-out tests failed")
        now = self.clock.now()
        if not may_send(now, self.cfg, self.tz):
            report.quiet = True
            return report
        async with self.uow_factory() as uow:
            report.escalations = await escalate(uow, now)
            await uow.commit()
        for _ in range(max_batches):
            self._lease_until = self.clock.now() + timedelta(seconds=self.cfg.lease_seconds)
            batch = await self._claim()
            if not batch:
                break
            report.claimed += len(batch)
            await self._send_batch(batch, report)
        if report.missed:
            log.warning("%d reminder(s) missed during downtime were not sent", report.missed)
        return report

    async def close_expired_tests(self) -> int:
        """Score and close abandoned timed tests (handlers/quiz/close.py), then tell each
        person the result once: after the commit, so a crash loses a message, never a
        score, and a test is never announced twice. Returns the number closed."""
        async with self.uow_factory() as uow:
            closed = await close_expired_tests(uow, self.clock.now())
            await uow.commit()
        for test in closed:
            if test.chat_id is not None and test.reply is not None:
                await self._notify(test.person_id, test.chat_id, test.reply)
        return len(closed)

    async def run_chores(self) -> None:
        """Run the periodic chores; one failing does not stop the others or the loop."""
        for chore in self.chores:
            try:
                await chore()
            except Exception:
                log.exception("periodic chore %s failed", getattr(chore, "__name__", chore))

    # -- the loop -----------------------------------------------------------------------------
    async def run_pass(self, interval: float = 30.0) -> None:
        """One pass of the loop: plan when due, dispatch, then the chores. A failure of one
        step is logged and does not keep the others from running."""
        try:
            await self.plan_if_due()
        except Exception:
            # Planning failed (it is retried next pass); what is already planned still
            # goes out.
            log.exception("reminder planning failed; retrying in %.0fs", interval)
        try:
            report = await self.dispatch_once()
            if report.sent or report.missed or report.failed or report.tests_closed:
                log.info(
                    "reminders: %d sent, %d missed, %d failed; %d timed-out test(s) closed",
                    report.sent,
                    report.missed,
                    report.failed,
                    report.tests_closed,
                )
        except Exception:
            log.exception("reminder dispatch failed; retrying in %.0fs", interval)
        await self.run_chores()

    async def run(self, stop: asyncio.Event, interval: float = 30.0) -> None:
        """Plan and dispatch every ``interval`` seconds until ``stop`` is set.

        The first run comes one interval after start, once the front end is serving.
        """
        log.info("reminder dispatcher started")
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval)
        while not stop.is_set():
            await self.run_pass(interval)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), interval)
        log.info("reminder dispatcher stopped")


class ReminderTask:
    """The dispatcher running as a background task next to a front end."""

    def __init__(self, dispatcher: Dispatcher, interval: float) -> None:
        self.dispatcher = dispatcher
        self.interval = interval
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> ReminderTask:
        """Start the loop; returns self."""
        self._task = asyncio.create_task(self.dispatcher.run(self._stop, self.interval))
        return self

    async def stop(self) -> None:
        """Ask the loop to stop after its current batch and wait for it."""
        self._stop.set()
        if self._task is not None:
            await self._task


def reminder_config(settings: Settings) -> ReminderConfig:
    """Map the bot's settings onto the reminder rules."""
    return ReminderConfig(
        skip_weekends=settings.reminder_skip_weekends,
        holidays=frozenset(settings.reminder_holidays),
        grace_hours=settings.reminder_grace_hours,
        repeat_hours=settings.reminder_repeat_hours,
        repeat_limit=settings.reminder_repeat_limit,
        escalate_hours=settings.reminder_escalate_hours,
    )


def summary_chore(app: App) -> Callable[[], Awaitable[object]]:
    """Refresh the pre-aggregated summary figures when due (one instance at a time)."""
    from handlers.summary.snapshot import refresh_if_due

    async def refresh_summaries() -> None:
        report = await refresh_if_due(
            app.uow_factory.background(),
            app.services.clock,
            app.settings.timezone,
            app.services.config.summary,
        )
        if report is not None:
            log.info("summary snapshot refreshed: %d scopes, %d rows", report.scopes, report.rows)

    return refresh_summaries


def build_dispatcher(app: App, sender: Sender) -> Dispatcher:
    """A dispatcher for the composed app, sending through ``sender``."""
    s = app.settings
    chores = [summary_chore(app)] if app.services.config.summary.enabled else []
    return Dispatcher(
        app.uow_factory.background(),
        sender,
        app.services.clock,
        s.timezone,
        app.services.config.reminders,
        RateLimiter(overall=s.reminder_rate_per_second),
        button_ttl=app.services.config.button_ttl,
        question_retention=timedelta(days=s.question_retention_days),
        chores=chores,
    )


def start_reminders(app: App, sender: Sender) -> ReminderTask | None:
    """Start the dispatcher loop unless reminders are switched off in the settings."""
    if not app.settings.reminders_enabled:
        return None
    dispatcher = build_dispatcher(app, sender)
    if isinstance(sender, ReplySender):
        # A 429 on a chat reply slows the reminders too: one allowance per bot.
        sender.on_retry_after = dispatcher.limiter.retry_after
    return ReminderTask(dispatcher, app.settings.reminder_interval_seconds).start()
