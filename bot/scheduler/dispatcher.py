"""The reminder dispatcher: plans, claims due deliveries, sends them, records the outcome.

Durability comes from the database, not from memory: a delivery is claimed (status
``sending`` with a lease) and committed before it is sent, and marked ``sent`` in its own
transaction right after. A crash loses at most the sends in flight, which are sent again
when their lease runs out. On PostgreSQL, ``FOR UPDATE SKIP LOCKED`` lets several
instances share the rows without sending anything twice.

On every pass it also closes timed tests whose time ran out (handlers/quiz/close.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.frontends.outgoing import ReplySender
from bot.frontends.rate_limit import RateLimiter
from handlers.core.button_tokens import shorten
from handlers.core.ports import Clock, UnitOfWorkFactory
from handlers.core.types import TextReply
from handlers.digest.plan import plan_digests
from handlers.quiz.close import close_expired_tests
from handlers.reminders.domain import ClaimedDelivery, DeliveryStatus, ReminderConfig
from handlers.reminders.plan import DEFAULT_SOURCES, PlanReport, plan_deadlines, plan_events
from handlers.reminders.ports import DeadlineSource, Outcome, Sender
from handlers.reminders.send import Composer, escalate, repeat_at, unsent_status
from handlers.reminders.timing import awake_lateness, may_send

if TYPE_CHECKING:
    from bot.composition import App
    from bot.settings import Settings

#: Stop sending from a batch this long before its lease ends, so no other instance can have
#: re-claimed a row we are still sending.
LEASE_MARGIN = timedelta(seconds=15)

log = logging.getLogger("lianzheng.reminders")

#: Claims of one delivery after which transient failures count as permanent.
MAX_ATTEMPTS = 5


@dataclass
class DispatchReport:
    """Counts of one dispatch run."""

    claimed: int = 0
    sent: int = 0
    missed: int = 0
    failed: int = 0
    retried: int = 0
    skipped: int = 0
    deferred: int = 0  # left for after the lease, to be sent once
    escalations: int = 0
    tests_closed: int = 0  # timed tests closed because their time ran out
    quiet: bool = False
    missed_ids: list[int] = field(default_factory=list)

    def add(self, other: DispatchReport) -> None:
        """Accumulate another run's counts."""
        for name in (
            "claimed",
            "sent",
            "missed",
            "failed",
            "retried",
            "skipped",
            "deferred",
            "escalations",
            "tests_closed",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.missed_ids.extend(other.missed_ids)


class Dispatcher:
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

    async def _notify(self, person_id: int, chat_id: int, reply: TextReply) -> bool:
        """Send one message outside the reminder rows: limits and retry_after honoured,
        a permanent failure recorded on the person."""
        for _ in range(self.max_retries):
            async with self.limiter.sending(chat_id):
                try:
                    result = await self.sender.deliver(chat_id, reply)
                except Exception:  # a sender bug must not kill the loop
                    log.exception("sender failed for a message to person %s", person_id)
                    return False
            if result.outcome == Outcome.OK:
                return True
            if result.outcome == Outcome.RETRY_AFTER:
                self.limiter.retry_after(chat_id, result.retry_after)
                continue
            if result.outcome == Outcome.PERMANENT:
                async with self._write, self.uow_factory() as uow:
                    await uow.reminders.block_chat(person_id)
                    await uow.commit()
            return False
        return False

    async def _claim(self) -> list[ClaimedDelivery]:
        now = self.clock.now()
        async with self.uow_factory() as uow:
            batch = await uow.reminders.claim(now, self._lease_until, self.batch_size)
            await uow.commit()
        return batch

    async def _send_batch(self, batch: list[ClaimedDelivery], report: DispatchReport) -> None:
        now = self.clock.now()
        grace = timedelta(hours=self.cfg.grace_hours)
        work: list[tuple[ClaimedDelivery, TextReply]] = []
        marks: list[tuple[str, ClaimedDelivery]] = []
        async with self.uow_factory() as uow:
            # Decide and compose first, write after: composing a digest runs summary queries,
            # and on SQLite the first write would hold the single write lock through them.
            composer = Composer(uow, self.tz, now)
            for d in batch:
                if d.sends == 0 and awake_lateness(d.due_at, now, self.cfg, self.tz) > grace:
                    marks.append(("missed", d))
                elif d.telegram_user_id is None or d.chat_blocked:
                    marks.append(("failed", d))
                else:
                    reply = await composer.compose(d)
                    if reply is None and unsent_status(d) == DeliveryStatus.CANCELLED:
                        marks.append(("cancelled", d))  # e.g. a digest for an ex-supervisor
                    elif reply is None:  # e.g. everyone acknowledged before the escalation
                        marks.append(("skipped", d))
                    else:
                        work.append((d, reply))
            for what, d in marks:
                if what == "missed":
                    await uow.reminders.mark_missed(d.id, now)
                    report.missed += 1
                    report.missed_ids.append(d.id)
                elif what == "failed":
                    await uow.reminders.mark_failed(d.id, now, "no reachable chat")
                    report.failed += 1
                elif what == "cancelled":
                    await uow.reminders.mark_cancelled(d.id, now, "no longer applies")
                    report.skipped += 1
                else:
                    await uow.reminders.mark_sent(d.id, now, None)
                    report.skipped += 1
            # The same rule as chat replies: long payloads go behind tokens.
            for i, (d, reply) in enumerate(work):
                chat = d.telegram_user_id
                assert chat is not None  # deliveries without a chat were marked failed above
                [short] = await shorten(uow, [reply], chat, chat, now, self.button_ttl)
                assert isinstance(short, TextReply)
                work[i] = (d, short)
            await uow.commit()
        gate = asyncio.Semaphore(self.max_in_flight)
        broken = asyncio.Event()

        async def one(d: ClaimedDelivery, reply: TextReply) -> None:
            async with gate:
                if broken.is_set():
                    return  # the batch failed (e.g. the database went away): send no more
                try:
                    await self._send_one(d, reply, report)
                except BaseException:
                    # Set before the gate opens for the next send, so that at most the
                    # sends already in flight are left unrecorded; their lease brings
                    # them (and the rest of the batch) back later.
                    broken.set()
                    raise

        async with asyncio.TaskGroup() as tasks:
            for d, reply in work:
                tasks.create_task(one(d, reply))

    async def _send_one(self, d: ClaimedDelivery, reply: TextReply, report: DispatchReport) -> None:
        chat_id = reply.chat_id
        assert chat_id is not None
        for _ in range(self.max_retries):
            async with self.limiter.sending(chat_id):
                if self.clock.now() >= self._lease_until - LEASE_MARGIN:
                    # Our claim is about to lapse (long retry_after pauses): another instance
                    # may take the row over, so we must not send it too. It goes out after
                    # the lease.
                    report.deferred += 1
                    return
                try:
                    result = await self.sender.deliver(chat_id, reply)
                except Exception as exc:  # a sender bug must not kill the loop
                    log.exception("sender failed for delivery %s", d.id)
                    result_outcome, wait, reason = Outcome.TRANSIENT, 60.0, type(exc).__name__
                else:
                    result_outcome, wait = result.outcome, result.retry_after
                    reason = result.reason
            if result_outcome == Outcome.OK:
                now = self.clock.now()
                await self._record(d, "sent", now, repeat_at(d, now, self.cfg, self.tz))
                report.sent += 1
                return
            if result_outcome == Outcome.PERMANENT:
                await self._record(d, "failed", self.clock.now(), None, reason)
                report.failed += 1
                log.info("delivery %s failed permanently: %s", d.id, reason)
                return
            if result_outcome == Outcome.RETRY_AFTER:
                report.retried += 1
                self.limiter.retry_after(chat_id, wait)
                continue  # the limiter waits out retry_after before the next try
            break
        report.retried += 1
        if d.attempts >= MAX_ATTEMPTS:
            await self._record(d, "gave_up", self.clock.now(), None, "too many attempts")
            report.failed += 1
            return
        await self._record(d, "release", self.clock.now() + timedelta(seconds=60), None)

    async def _record(
        self,
        d: ClaimedDelivery,
        what: str,
        at: datetime,
        repeat: datetime | None,
        reason: str = "",
    ) -> None:
        # One short transaction per outcome, serialised: SQLite has a single writer anyway,
        # and a crash right after a send loses at most that one mark.
        async with self._write, self.uow_factory() as uow:
            if what == "sent":
                await uow.reminders.mark_sent(d.id, at, repeat)
            elif what == "failed":
                await uow.reminders.mark_failed(d.id, at, reason)
                await uow.reminders.block_chat(d.person_id)
            elif what == "gave_up":
                await uow.reminders.mark_failed(d.id, at, reason)
            else:
                await uow.reminders.release(d.id, at)
            await uow.commit()

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
