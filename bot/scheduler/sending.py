"""The sending half of the reminder dispatcher: claim a batch, decide and compose it in one
transaction, send the replies (limits, retry_after, the lease honoured) and record each
outcome in its own short transaction.

:class:`Sending` is a part of :class:`bot.scheduler.dispatcher.Dispatcher`, which holds the
attributes declared here.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.frontends.rate_limit import RateLimiter
from handlers.core.button_tokens import shorten
from handlers.core.ports import Clock, UnitOfWork, UnitOfWorkFactory
from handlers.core.types import TextReply
from handlers.registry import delivery_composer
from handlers.reminders.domain import ClaimedDelivery, DeliveryStatus, ReminderConfig
from handlers.reminders.ports import Outcome, Sender, reminders_of
from handlers.reminders.send import repeat_at, unsent_status
from handlers.reminders.timing import awake_lateness

#: Stop sending from a batch this long before its lease ends, so no other instance can have
#: re-claimed a row we are still sending.
LEASE_MARGIN = timedelta(seconds=15)

#: Claims of one delivery after which transient failures count as permanent.
MAX_ATTEMPTS = 5

log = logging.getLogger("lianzheng.reminders")


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


class Sending:
    """Claiming, sending and recording deliveries (see the module docstring)."""

    uow_factory: UnitOfWorkFactory
    sender: Sender
    clock: Clock
    tz: ZoneInfo
    cfg: ReminderConfig
    limiter: RateLimiter
    batch_size: int
    max_in_flight: int
    max_retries: int
    button_ttl: timedelta
    _lease_until: datetime
    _write: asyncio.Lock

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
                    await reminders_of(uow).block_chat(person_id)
                    await uow.commit()
            return False
        return False

    async def _claim(self) -> list[ClaimedDelivery]:
        now = self.clock.now()
        async with self.uow_factory() as uow:
            batch = await reminders_of(uow).claim(now, self._lease_until, self.batch_size)
            await uow.commit()
        return batch

    async def _send_batch(self, batch: list[ClaimedDelivery], report: DispatchReport) -> None:
        work = await self._prepare(batch, report)
        await self._send_all(work, report)

    async def _prepare(
        self, batch: list[ClaimedDelivery], report: DispatchReport
    ) -> list[tuple[ClaimedDelivery, TextReply]]:
        """In one transaction: record the deliveries that are not to be sent and compose
        the others' replies, long payloads behind tokens."""
        now = self.clock.now()
        grace = timedelta(hours=self.cfg.grace_hours)
        work: list[tuple[ClaimedDelivery, TextReply]] = []
        marks: list[tuple[str, ClaimedDelivery]] = []
        async with self.uow_factory() as uow:
            # Decide and compose first, write after: composing a digest runs summary queries,
            # and on SQLite the first write would hold the single write lock through them.
            composer = delivery_composer(uow, self.tz, now)
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
            await self._mark_unsent(uow, marks, now, report)
            # The same rule as chat replies: long payloads go behind tokens.
            for i, (d, reply) in enumerate(work):
                chat = d.telegram_user_id
                assert chat is not None  # deliveries without a chat were marked failed above
                [short] = await shorten(uow, [reply], chat, chat, now, self.button_ttl)
                assert isinstance(short, TextReply)
                work[i] = (d, short)
            await uow.commit()
        return work

    @staticmethod
    async def _mark_unsent(
        uow: UnitOfWork,
        marks: list[tuple[str, ClaimedDelivery]],
        now: datetime,
        report: DispatchReport,
    ) -> None:
        """Record the deliveries of a batch that are not sent, and count them."""
        for what, d in marks:
            if what == "missed":
                await reminders_of(uow).mark_missed(d.id, now)
                report.missed += 1
                report.missed_ids.append(d.id)
            elif what == "failed":
                await reminders_of(uow).mark_failed(d.id, now, "no reachable chat")
                report.failed += 1
            elif what == "cancelled":
                await reminders_of(uow).mark_cancelled(d.id, now, "no longer applies")
                report.skipped += 1
            else:
                await reminders_of(uow).mark_sent(d.id, now, None)
                report.skipped += 1

    async def _send_all(
        self, work: list[tuple[ClaimedDelivery, TextReply]], report: DispatchReport
    ) -> None:
        """Send the composed replies, at most ``max_in_flight`` at a time."""
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
                await reminders_of(uow).mark_sent(d.id, at, repeat)
            elif what == "failed":
                await reminders_of(uow).mark_failed(d.id, at, reason)
                await reminders_of(uow).block_chat(d.person_id)
            elif what == "gave_up":
                await reminders_of(uow).mark_failed(d.id, at, reason)
            else:
                await reminders_of(uow).release(d.id, at)
            await uow.commit()
