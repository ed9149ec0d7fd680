"""SQL repositories of the calendar, reminders and quiz. They never commit.

Claiming uses ``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL so several dispatchers
share the work without sending anything twice; SQLite ignores the clause (one process).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, and_, func, literal, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from handlers.core.domain import Role
from handlers.reminders.domain import (
    ACKNOWLEDGEABLE_KINDS,
    AckStatus,
    CalendarDate,
    ClaimedDelivery,
    DeliveryStatus,
    DeliveryView,
    Occurrence,
    OccurrenceKind,
    QuizAttempt,
    Series,
)
from storage.core.models import PersonRow, RoleGrantRow, UnitRow, UTCDateTime
from storage.core.sql import in_subtrees
from storage.reminders.models import (
    CalendarDateRow,
    QuizAllowanceRow,
    QuizAttemptRow,
    QuizPollRow,
    ReminderDeliveryRow,
    ReminderOccurrenceRow,
)

D = ReminderDeliveryRow
O = ReminderOccurrenceRow  # noqa: E741

#: Rows per multi-row INSERT when planning (keeps statements well under driver limits).
CHUNK = 5000


def _insert(session: AsyncSession) -> Any:
    dialect = session.bind.dialect.name if session.bind is not None else "sqlite"
    return pg_insert if dialect == "postgresql" else sqlite_insert


def _occurrence(row: ReminderOccurrenceRow) -> Occurrence:
    return Occurrence(
        id=row.id,
        key=row.key,
        kind=OccurrenceKind(row.kind),
        topic=row.topic,
        due_at=row.due_at,
        escalate_at=row.escalate_at,
        params=dict(row.params or {}),
    )


def _date(r: CalendarDateRow) -> CalendarDate:
    return CalendarDate(r.event_code, r.year, r.starts_on, r.ends_on, r.place, r.updated_by)


def _like(text: str) -> str:
    """``text`` as a literal LIKE pattern (escape character ``\\``)."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _in_series(occurrence: Any, series: Series) -> Any:
    """The occurrence's key belongs to ``series`` (prefix, any lead or phase, suffix)."""
    return occurrence.key.like(f"{_like(series.prefix)}%{_like(series.suffix)}", escape="\\")


def _view(d: ReminderDeliveryRow, o: ReminderOccurrenceRow, p: PersonRow) -> DeliveryView:
    return DeliveryView(
        id=d.id,
        occurrence=_occurrence(o),
        person_id=d.person_id,
        person_name=p.name,
        unit_id=p.unit_id,
        status=DeliveryStatus(d.status),
        due_at=d.due_at,
        sent_at=d.sent_at,
        ack=AckStatus(d.ack_status),
        ack_at=d.ack_at,
        sends=d.sends,
    )


_VIEW = (
    select(D, O, PersonRow)
    .join(O, O.id == D.occurrence_id)
    .join(PersonRow, PersonRow.id == D.person_id)
)


class SqlReminderRepository:
    """Calendar dates, occurrences and deliveries."""

    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    # -- calendar -----------------------------------------------------------------------------
    async def set_date(self, value: CalendarDate) -> None:
        """Upsert an event's date for a year."""
        row = await self.s.get(CalendarDateRow, (value.event_code, value.year))
        if row is None:
            row = CalendarDateRow(event_code=value.event_code, year=value.year)
            self.s.add(row)
        row.starts_on, row.ends_on = value.starts_on, value.ends_on
        row.place, row.updated_by = value.place, value.updated_by
        await self.s.flush()

    async def dates(self, year: int) -> dict[str, CalendarDate]:
        """Dates set for ``year``."""
        rows = await self.s.scalars(select(CalendarDateRow).where(CalendarDateRow.year == year))
        return {r.event_code: _date(r) for r in rows}

    async def dates_of(self, event_codes: Sequence[str]) -> list[CalendarDate]:
        """Dates set for the events, all years."""
        rows = await self.s.scalars(
            select(CalendarDateRow)
            .where(CalendarDateRow.event_code.in_(list(event_codes)))
            .order_by(CalendarDateRow.year, CalendarDateRow.event_code)
        )
        return [_date(r) for r in rows]

    # -- planning -----------------------------------------------------------------------------
    async def ensure_occurrence(
        self,
        key: str,
        kind: OccurrenceKind,
        topic: str,
        due_at: datetime,
        escalate_at: datetime | None,
        params: dict[str, Any],
        now: datetime,
    ) -> Occurrence:
        """Insert-if-missing by key, then read it back (another planner may have won)."""
        stmt = (
            _insert(self.s)(O.__table__)
            .values(
                key=key,
                kind=kind.value,
                topic=topic,
                due_at=due_at,
                escalate_at=escalate_at,
                params=params,
                created_at=now,
            )
            .on_conflict_do_nothing(index_elements=["key"])
        )
        await self.s.execute(stmt)
        row = await self.s.scalar(select(O).where(O.key == key))
        assert row is not None
        return _occurrence(row)

    async def occurrence(self, occurrence_id: int) -> Occurrence | None:
        """One occurrence."""
        row = await self.s.get(O, occurrence_id)
        return _occurrence(row) if row else None

    async def add_deliveries(
        self, occurrence_id: int, person_ids: Sequence[int], due_at: datetime
    ) -> int:
        """Multi-row INSERT … ON CONFLICT DO NOTHING on (occurrence, person)."""
        # executemany of one cached statement: SQLAlchemy batches it into multi-row
        # INSERTs ("insertmanyvalues"); RETURNING counts only the rows really inserted.
        stmt = (
            _insert(self.s)(D.__table__)
            .on_conflict_do_nothing(index_elements=["occurrence_id", "person_id"])
            .returning(D.__table__.c.id)
        )
        added = 0
        ids = list(dict.fromkeys(person_ids))
        for start in range(0, len(ids), CHUNK):
            rows = [
                {
                    "occurrence_id": occurrence_id,
                    "person_id": pid,
                    "due_at": due_at,
                    "status": DeliveryStatus.PENDING.value,
                    "lease_until": None,
                    "attempts": 0,
                    "sends": 0,
                    "sent_at": None,
                    "ack_status": AckStatus.NONE.value,
                    "ack_at": None,
                    "error": "",
                }
                for pid in ids[start : start + CHUNK]
            ]
            added += len((await self.s.execute(stmt, rows)).all())
        return added

    async def add_audience_deliveries(
        self,
        occurrence_id: int,
        roles: Sequence[Role],
        section_level_only: bool,
        due_at: datetime,
    ) -> int:
        """INSERT … SELECT from people: the rows never travel through Python."""
        people = select(
            literal(occurrence_id, BigInteger),
            PersonRow.id,
            literal(due_at, UTCDateTime()),
            literal(DeliveryStatus.PENDING.value),
            literal(0),
            literal(0),
            literal(AckStatus.NONE.value),
            literal(""),
        ).where(
            PersonRow.active.is_(True),
            PersonRow.id.in_(
                select(RoleGrantRow.person_id).where(
                    RoleGrantRow.role.in_([r.value for r in roles])
                )
            ),
        )
        if section_level_only:
            people = people.where(PersonRow.section_level.is_(True))
        t = D.__table__.c
        stmt = (
            _insert(self.s)(D.__table__)
            .from_select(
                [
                    t.occurrence_id,
                    t.person_id,
                    t.due_at,
                    t.status,
                    t.attempts,
                    t.sends,
                    t.ack_status,
                    t.error,
                ],
                people,
            )
            .on_conflict_do_nothing(index_elements=["occurrence_id", "person_id"])
        )
        result = await self.s.execute(stmt)
        return int(getattr(result, "rowcount", 0) or 0)

    async def audience(self, roles: Sequence[Role], section_level_only: bool) -> list[int]:
        """Active holders of any of ``roles`` (one query, no per-person loading)."""
        stmt = (
            select(PersonRow.id)
            .where(
                PersonRow.active.is_(True),
                PersonRow.id.in_(
                    select(RoleGrantRow.person_id).where(
                        RoleGrantRow.role.in_([r.value for r in roles])
                    )
                ),
            )
            .order_by(PersonRow.id)
        )
        if section_level_only:
            stmt = stmt.where(PersonRow.section_level.is_(True))
        return list(await self.s.scalars(stmt))

    # -- dispatching --------------------------------------------------------------------------
    async def claim(
        self, now: datetime, lease_until: datetime, limit: int
    ) -> list[ClaimedDelivery]:
        """Lock due rows (skipping rows other dispatchers hold), mark them sending."""
        due = or_(
            and_(D.status == DeliveryStatus.PENDING.value, D.due_at <= now),
            and_(D.status == DeliveryStatus.SENDING.value, D.lease_until < now),
        )
        ids = list(
            await self.s.scalars(
                select(D.id)
                .where(due)
                .order_by(D.due_at, D.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        )
        if not ids:
            return []
        await self.s.execute(
            update(D)
            .where(D.id.in_(ids))
            .values(
                status=DeliveryStatus.SENDING.value,
                lease_until=lease_until,
                attempts=D.attempts + 1,
            )
            .execution_options(synchronize_session=False)
        )
        rows = (await self.s.execute(_VIEW.where(D.id.in_(ids)).order_by(D.due_at, D.id))).all()
        return [
            ClaimedDelivery(
                id=d.id,
                occurrence=_occurrence(o),
                person_id=p.id,
                person_name=p.name,
                unit_id=p.unit_id,
                telegram_user_id=p.telegram_user_id,
                language=p.language,
                chat_blocked=p.chat_blocked or not p.active,
                due_at=d.due_at,
                sends=d.sends,
                attempts=d.attempts,
                ack=AckStatus(d.ack_status),
            )
            for d, o, p in rows
        ]

    async def _set(self, delivery_id: int, **values: Any) -> None:
        await self.s.execute(
            update(D)
            .where(D.id == delivery_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )

    async def mark_sent(self, delivery_id: int, at: datetime, repeat_at: datetime | None) -> None:
        """Sent; pending again for a repeat when ``repeat_at`` is given."""
        status = DeliveryStatus.PENDING if repeat_at is not None else DeliveryStatus.SENT
        values: dict[str, Any] = {
            "status": status.value,
            "sent_at": at,
            "sends": D.sends + 1,
            "lease_until": None,
        }
        if repeat_at is not None:
            values["due_at"] = repeat_at
        await self._set(delivery_id, **values)

    async def mark_missed(self, delivery_id: int, at: datetime) -> None:
        """Missed during downtime."""
        await self._set(delivery_id, status=DeliveryStatus.MISSED.value, lease_until=None)

    async def mark_failed(self, delivery_id: int, at: datetime, reason: str) -> None:
        """Permanent failure."""
        await self._set(
            delivery_id, status=DeliveryStatus.FAILED.value, lease_until=None, error=reason[:200]
        )

    async def mark_cancelled(self, delivery_id: int, at: datetime, reason: str) -> None:
        """No longer relevant: not sent, never retried."""
        await self._set(
            delivery_id,
            status=DeliveryStatus.CANCELLED.value,
            lease_until=None,
            error=reason[:200],
        )

    async def release(self, delivery_id: int, due_at: datetime) -> None:
        """Back to pending for a later retry."""
        await self._set(
            delivery_id, status=DeliveryStatus.PENDING.value, lease_until=None, due_at=due_at
        )

    async def block_chat(self, person_id: int) -> None:
        """Set people.chat_blocked."""
        await self.s.execute(
            update(PersonRow).where(PersonRow.id == person_id).values(chat_blocked=True)
        )

    async def unblock_chat(self, person_id: int) -> None:
        """Clear people.chat_blocked."""
        await self.s.execute(
            update(PersonRow).where(PersonRow.id == person_id).values(chat_blocked=False)
        )

    # -- acknowledgement and views ------------------------------------------------------------
    async def delivery(self, delivery_id: int) -> DeliveryView | None:
        """One delivery."""
        row = (await self.s.execute(_VIEW.where(D.id == delivery_id))).first()
        return _view(*row) if row else None

    async def acknowledge(
        self, delivery_id: int, ack: AckStatus, at: datetime, snooze_until: datetime | None
    ) -> None:
        """Store the answer; a pending repeat is dropped unless snoozed."""
        values: dict[str, Any] = {"ack_status": ack.value, "ack_at": at}
        if snooze_until is not None:
            values.update(status=DeliveryStatus.PENDING.value, due_at=snooze_until)
        await self.s.execute(
            update(D)
            .where(D.id == delivery_id)
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        if snooze_until is None:
            await self.s.execute(
                update(D)
                .where(D.id == delivery_id, D.status == DeliveryStatus.PENDING.value, D.sends > 0)
                .values(status=DeliveryStatus.SENT.value)
                .execution_options(synchronize_session=False)
            )

    async def for_person(self, person_id: int, since: datetime) -> list[DeliveryView]:
        """The person's reminders due since ``since``."""
        stmt = (
            _VIEW.where(
                D.person_id == person_id,
                D.due_at >= since,
                O.kind != OccurrenceKind.ESCALATION.value,
            )
            .order_by(D.due_at, D.id)
            .limit(200)
        )
        return [_view(*r) for r in (await self.s.execute(stmt)).all()]

    async def in_units(self, paths: Sequence[str], since: datetime) -> list[DeliveryView]:
        """Acknowledgeable reminders of people in the subtrees sent since ``since``."""
        stmt = (
            _VIEW.join(UnitRow, UnitRow.id == PersonRow.unit_id)
            .where(
                in_subtrees(UnitRow.path, paths),
                O.due_at >= since,
                D.sends > 0,
                D.status != DeliveryStatus.CANCELLED.value,
                O.kind.in_([k.value for k in ACKNOWLEDGEABLE_KINDS]),
            )
            .order_by(O.due_at, O.id, UnitRow.path, PersonRow.id)
            .limit(2000)
        )
        return [_view(*r) for r in (await self.s.execute(stmt)).all()]

    async def claim_escalations(self, now: datetime, limit: int) -> list[Occurrence]:
        """Take occurrences whose escalation time has come (each exactly once)."""
        rows = list(
            await self.s.scalars(
                select(O)
                .where(O.escalate_at <= now, O.escalated_at.is_(None))
                .order_by(O.escalate_at, O.id)
                .limit(limit)
                .with_for_update(skip_locked=True)
            )
        )
        if rows:
            await self.s.execute(
                update(O)
                .where(O.id.in_([r.id for r in rows]))
                .values(escalated_at=now)
                .execution_options(synchronize_session=False)
            )
        return [_occurrence(r) for r in rows]

    def _unacknowledged(self, series: Series) -> Any:
        """Conditions on D/O: a sent round of ``series``, not acknowledged, still relevant,
        to someone who acknowledged no round of it."""
        d2, o2 = aliased(ReminderDeliveryRow), aliased(ReminderOccurrenceRow)
        acked = (
            select(d2.person_id)
            .join(o2, o2.id == d2.occurrence_id)
            .where(_in_series(o2, series), d2.ack_status != AckStatus.NONE.value)
        )
        return and_(
            _in_series(O, series),
            D.sends > 0,
            D.ack_status == AckStatus.NONE.value,
            D.status != DeliveryStatus.CANCELLED.value,
            D.person_id.not_in(acked),
        )

    async def unacknowledged_units(self, series: Series) -> list[int]:
        """Distinct units of the people still to acknowledge."""
        stmt = (
            select(PersonRow.unit_id)
            .join(D, D.person_id == PersonRow.id)
            .join(O, O.id == D.occurrence_id)
            .where(self._unacknowledged(series))
            .distinct()
        )
        return sorted(int(u) for u in await self.s.scalars(stmt))

    async def unacknowledged(self, series: Series, paths: Sequence[str]) -> list[DeliveryView]:
        """The people in the subtrees still to acknowledge, one row each, by unit."""
        stmt = (
            _VIEW.join(UnitRow, UnitRow.id == PersonRow.unit_id)
            .where(self._unacknowledged(series), in_subtrees(UnitRow.path, paths))
            .order_by(UnitRow.path, PersonRow.id, D.id)
        )
        out: dict[int, DeliveryView] = {}
        for row in (await self.s.execute(stmt)).all():
            view = _view(*row)
            out.setdefault(view.person_id, view)
        return list(out.values())

    async def cancel_stale(
        self,
        key_prefix: str,
        keep: Sequence[str],
        keep_pairs: Sequence[tuple[str, int]] | None = None,
    ) -> int:
        """Cancel deliveries of occurrences that no longer apply: those still to be sent
        (first send, repeat, snooze) and the sent ones nobody acknowledged."""
        open_ = or_(
            D.status == DeliveryStatus.PENDING.value,
            and_(D.status == DeliveryStatus.SENT.value, D.ack_status == AckStatus.NONE.value),
        )
        if keep_pairs is None:
            # By occurrence only: one UPDATE, however many recipients.
            stale_occ = select(O.id).where(
                O.key.startswith(key_prefix, autoescape=True), O.key.not_in(list(keep) or [""])
            )
            result = await self.s.execute(
                update(D)
                .where(D.occurrence_id.in_(stale_occ), open_)
                .values(status=DeliveryStatus.CANCELLED.value)
                .execution_options(synchronize_session=False)
            )
            return int(getattr(result, "rowcount", 0) or 0)
        rows = (
            await self.s.execute(
                select(D.id, O.key, D.person_id)
                .join(O, O.id == D.occurrence_id)
                .where(O.key.startswith(key_prefix, autoescape=True), open_)
            )
        ).all()
        pairs = set(keep_pairs)
        stale = [i for i, key, pid in rows if (key, pid) not in pairs]
        for start in range(0, len(stale), CHUNK):
            await self.s.execute(
                update(D)
                .where(D.id.in_(stale[start : start + CHUNK]))
                .values(status=DeliveryStatus.CANCELLED.value)
                .execution_options(synchronize_session=False)
            )
        return len(stale)


def _attempt(row: QuizAttemptRow) -> QuizAttempt:
    return QuizAttempt(
        id=row.id,
        person_id=row.person_id,
        year=row.year,
        practice=row.practice,
        question_ids=tuple(row.question_ids or ()),
        answers=tuple(row.answers or ()),
        started_at=row.started_at,
        deadline_at=row.deadline_at,
        finished_at=row.finished_at,
        score=row.score,
    )


class SqlQuizRepository:
    """Quiz attempts, allowances and poll ids."""

    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def start(self, attempt: QuizAttempt) -> QuizAttempt:
        """Insert an attempt."""
        row = QuizAttemptRow(
            person_id=attempt.person_id,
            year=attempt.year,
            practice=attempt.practice,
            question_ids=list(attempt.question_ids),
            answers=list(attempt.answers),
            started_at=attempt.started_at,
            deadline_at=attempt.deadline_at,
        )
        self.s.add(row)
        await self.s.flush()
        return _attempt(row)

    async def get(self, attempt_id: int) -> QuizAttempt | None:
        """One attempt."""
        row = await self.s.get(QuizAttemptRow, attempt_id)
        return _attempt(row) if row else None

    async def save(self, attempt: QuizAttempt) -> None:
        """Update answers, finish time and score."""
        await self.s.execute(
            update(QuizAttemptRow)
            .where(QuizAttemptRow.id == attempt.id)
            .values(
                answers=list(attempt.answers),
                finished_at=attempt.finished_at,
                score=attempt.score,
            )
            .execution_options(synchronize_session=False)
        )

    async def finish(self, attempt: QuizAttempt) -> bool:
        """Conditional update: only an open attempt is finished."""
        result = await self.s.execute(
            update(QuizAttemptRow)
            .where(QuizAttemptRow.id == attempt.id, QuizAttemptRow.finished_at.is_(None))
            .values(
                answers=list(attempt.answers),
                finished_at=attempt.finished_at,
                score=attempt.score,
            )
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0))

    async def expired(self, now: datetime, limit: int) -> list[QuizAttempt]:
        """Open timed attempts past their deadline, locked (SKIP LOCKED on PostgreSQL)."""
        rows = await self.s.scalars(
            select(QuizAttemptRow)
            .where(
                QuizAttemptRow.finished_at.is_(None),
                QuizAttemptRow.deadline_at.is_not(None),
                QuizAttemptRow.deadline_at < now,
            )
            .order_by(QuizAttemptRow.deadline_at, QuizAttemptRow.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        return [_attempt(r) for r in rows]

    async def attempts(self, person_id: int, year: int, practice: bool) -> list[QuizAttempt]:
        """Attempts of a person in a year."""
        rows = await self.s.scalars(
            select(QuizAttemptRow)
            .where(
                QuizAttemptRow.person_id == person_id,
                QuizAttemptRow.year == year,
                QuizAttemptRow.practice.is_(practice),
            )
            .order_by(QuizAttemptRow.id)
        )
        return [_attempt(r) for r in rows]

    async def allowance(self, person_id: int, year: int) -> int:
        """Extra attempts allowed."""
        row = await self.s.get(QuizAllowanceRow, (person_id, year))
        return row.extra if row else 0

    async def allow_more(self, person_id: int, year: int, by: int) -> int:
        """One more attempt."""
        row = await self.s.get(QuizAllowanceRow, (person_id, year))
        if row is None:
            row = QuizAllowanceRow(person_id=person_id, year=year, extra=0)
            self.s.add(row)
        row.extra += 1
        row.updated_by = by
        await self.s.flush()
        return row.extra

    async def remember_poll(self, poll_id: str, token: str, at: datetime) -> None:
        """Store poll id → token (a resent poll id keeps its first token)."""
        stmt = (
            _insert(self.s)(QuizPollRow.__table__)
            .values(poll_id=poll_id, token=token, created_at=at)
            .on_conflict_do_nothing(index_elements=["poll_id"])
        )
        await self.s.execute(stmt)

    async def token_for(self, poll_id: str) -> str | None:
        """Token of a poll."""
        return await self.s.scalar(select(QuizPollRow.token).where(QuizPollRow.poll_id == poll_id))

    async def scores(self, paths: Sequence[str], year: int) -> list[tuple[int, str, int, int]]:
        """Best score and number of finished scored attempts per person in the subtrees."""
        stmt = (
            select(
                PersonRow.id,
                PersonRow.name,
                func.max(QuizAttemptRow.score),
                func.count(QuizAttemptRow.id),
            )
            .join(QuizAttemptRow, QuizAttemptRow.person_id == PersonRow.id)
            .join(UnitRow, UnitRow.id == PersonRow.unit_id)
            .where(
                in_subtrees(UnitRow.path, paths),
                QuizAttemptRow.year == year,
                QuizAttemptRow.practice.is_(False),
                QuizAttemptRow.finished_at.is_not(None),
            )
            .group_by(PersonRow.id, PersonRow.name, UnitRow.path)
            .order_by(UnitRow.path, PersonRow.id)
        )
        return [
            (int(a), str(b), int(c or 0), int(d))
            for a, b, c, d in (await self.s.execute(stmt)).all()
        ]
