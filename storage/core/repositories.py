"""SQLAlchemy implementations of the core's repository ports. They never commit."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Select,
    Table,
    bindparam,
    delete,
    false,
    func,
    insert,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from handlers.core.domain import (
    GAP_SCAN_LIMIT,
    AuditEntry,
    FormState,
    Invitation,
    Person,
    QuestionCount,
    Role,
    RoleGrant,
    Unit,
    UnitLevel,
    group_gaps,
)
from storage.core.models import (
    AuditRow,
    ConversationRow,
    InvitationRow,
    PersonRow,
    ProcessedUpdateRow,
    QuestionCountRow,
    QuestionRow,
    RoleGrantRow,
    UnitRow,
)


def _unit(row: UnitRow) -> Unit:
    return Unit(row.id, row.code, row.name, UnitLevel(row.level), row.parent_id, row.path)


def in_subtrees(
    column: ColumnElement[str] | InstrumentedAttribute[str], paths: Sequence[str]
) -> ColumnElement[bool]:
    """SQL condition: a materialised path lies under one of ``paths`` (prefix match)."""
    if not paths:
        return false()
    return or_(*[column.startswith(p, autoescape=True) for p in paths])


class SqlUnitRepository:
    """Units stored in ``units``."""

    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def add(self, code: str, name: str, level: UnitLevel, parent_id: int | None) -> Unit:
        """Create a unit; its path is derived from the parent's."""
        parent_path = "/"
        if parent_id is not None:
            parent = await self.s.get(UnitRow, parent_id)
            if parent is None:
                raise ValueError(f"no parent unit {parent_id}")
            parent_path = parent.path
        row = UnitRow(code=code, name=name, level=level.value, parent_id=parent_id, path="")
        self.s.add(row)
        await self.s.flush()
        row.path = f"{parent_path}{row.id}/"
        await self.s.flush()
        return _unit(row)

    async def get(self, unit_id: int) -> Unit | None:
        """The unit with this id, or None."""
        row = await self.s.get(UnitRow, unit_id)
        return _unit(row) if row else None

    async def by_code(self, code: str) -> Unit | None:
        """The unit with this code (case-insensitive), or None."""
        row = await self.s.scalar(select(UnitRow).where(func.lower(UnitRow.code) == code.lower()))
        return _unit(row) if row else None

    async def find(self, text: str, within: Sequence[str]) -> list[Unit]:
        """Units matching code or part of the name, inside the given subtrees."""
        stmt = (
            select(UnitRow)
            .where(in_subtrees(UnitRow.path, within))
            .where(
                or_(
                    func.lower(UnitRow.code) == text.lower(),
                    UnitRow.name.contains(text, autoescape=True),
                )
            )
            .order_by(UnitRow.path)
            .limit(20)
        )
        return [_unit(r) for r in await self.s.scalars(stmt)]

    async def children(self, unit_id: int) -> list[Unit]:
        """Direct children ordered by code."""
        stmt = select(UnitRow).where(UnitRow.parent_id == unit_id).order_by(UnitRow.code)
        return [_unit(r) for r in await self.s.scalars(stmt)]

    async def count(self) -> int:
        """Number of units."""
        return int(await self.s.scalar(select(func.count()).select_from(UnitRow)) or 0)


def _person_by_telegram_id() -> Select[Any]:
    p, g, u = PersonRow.__table__, RoleGrantRow.__table__, UnitRow.__table__
    return (
        select(
            p.c.id,
            p.c.name,
            p.c.unit_id,
            p.c.post,
            p.c.section_level,
            p.c.language,
            p.c.active,
            p.c.chat_blocked,
            g.c.role,
            g.c.unit_id,
            u.c.path,
        )
        .select_from(p.outerjoin(g, g.c.person_id == p.c.id).outerjoin(u, u.c.id == g.c.unit_id))
        .where(p.c.telegram_user_id == bindparam("tg"))
        .order_by(g.c.id)
    )


# Statements every request runs, built once: building a statement and computing its cache
# key cost more than executing it on a warm connection (the key is memoised per object).
_PERSON_BY_TELEGRAM_ID = _person_by_telegram_id()


class SqlPersonRepository:
    """People in ``people`` with grants in ``role_grants``."""

    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def _load(self, row: PersonRow | None) -> Person | None:
        if row is None:
            return None
        stmt = (
            select(RoleGrantRow.role, RoleGrantRow.unit_id, UnitRow.path)
            .join(UnitRow, UnitRow.id == RoleGrantRow.unit_id)
            .where(RoleGrantRow.person_id == row.id)
            .order_by(RoleGrantRow.id)
        )
        grants = tuple(RoleGrant(Role(r), u, p) for r, u, p in (await self.s.execute(stmt)).all())
        return Person(
            id=row.id,
            name=row.name,
            unit_id=row.unit_id,
            post=row.post,
            section_level=row.section_level,
            telegram_user_id=row.telegram_user_id,
            language=row.language,
            active=row.active,
            chat_blocked=row.chat_blocked,
            grants=grants,
        )

    async def add(
        self,
        name: str,
        unit_id: int,
        post: str = "",
        section_level: bool = True,
        telegram_user_id: int | None = None,
        language: str = "zh_CN",
    ) -> Person:
        """Create a person without roles."""
        row = PersonRow(
            name=name,
            unit_id=unit_id,
            post=post,
            section_level=section_level,
            telegram_user_id=telegram_user_id,
            language=language,
            active=True,
            chat_blocked=False,
        )
        self.s.add(row)
        await self.s.flush()
        person = await self._load(row)
        assert person is not None
        return person

    async def get(self, person_id: int) -> Person | None:
        """The person with this id."""
        return await self._load(await self.s.get(PersonRow, person_id))

    async def by_telegram_id(self, telegram_user_id: int) -> Person | None:
        """The person bound to a Telegram account, with their grants.

        Every request starts here, so it is one statement (person outer-joined to grants and
        their units' paths) instead of one for the person and one for the grants.
        """
        rows = (await self.s.execute(_PERSON_BY_TELEGRAM_ID, {"tg": telegram_user_id})).all()
        if not rows:
            return None
        first = rows[0]
        return Person(
            id=first[0],
            name=first[1],
            unit_id=first[2],
            post=first[3],
            section_level=first[4],
            telegram_user_id=telegram_user_id,
            language=first[5],
            active=first[6],
            chat_blocked=first[7],
            grants=tuple(RoleGrant(Role(r), gu, path) for *_, r, gu, path in rows if r is not None),
        )

    async def find(self, text: str, within: Sequence[str]) -> list[Person]:
        """Active people in the subtrees whose name contains ``text`` (or whose id it is)."""
        cond = PersonRow.name.contains(text, autoescape=True)
        if text.isdecimal() and len(text) <= 18:
            cond = or_(cond, PersonRow.id == int(text))
        stmt = (
            select(PersonRow)
            .join(UnitRow, UnitRow.id == PersonRow.unit_id)
            .where(in_subtrees(UnitRow.path, within), PersonRow.active.is_(True), cond)
            .order_by(PersonRow.name, PersonRow.id)
            .limit(20)
        )
        out = []
        for row in await self.s.scalars(stmt):
            person = await self._load(row)
            assert person is not None
            out.append(person)
        return out

    async def grant(self, person_id: int, role: Role, unit_id: int) -> bool:
        """Add a role grant unless already present."""
        exists = await self.s.scalar(
            select(RoleGrantRow.id).where(
                RoleGrantRow.person_id == person_id,
                RoleGrantRow.role == role.value,
                RoleGrantRow.unit_id == unit_id,
            )
        )
        if exists:
            return False
        self.s.add(RoleGrantRow(person_id=person_id, role=role.value, unit_id=unit_id))
        await self.s.flush()
        return True

    async def revoke(self, person_id: int, role: Role, unit_id: int) -> bool:
        """Remove a role grant."""
        result = await self.s.execute(
            delete(RoleGrantRow).where(
                RoleGrantRow.person_id == person_id,
                RoleGrantRow.role == role.value,
                RoleGrantRow.unit_id == unit_id,
            )
        )
        return bool(getattr(result, "rowcount", 0))

    async def bind_telegram(self, person_id: int, telegram_user_id: int) -> None:
        """Attach a Telegram account."""
        await self.s.execute(
            update(PersonRow)
            .where(PersonRow.id == person_id)
            .values(telegram_user_id=telegram_user_id)
        )

    async def set_language(self, person_id: int, language: str) -> None:
        """Store the interface language."""
        await self.s.execute(
            update(PersonRow).where(PersonRow.id == person_id).values(language=language)
        )

    async def set_active(self, person_id: int, active: bool) -> None:
        """Deactivate or reactivate."""
        await self.s.execute(
            update(PersonRow).where(PersonRow.id == person_id).values(active=active)
        )

    async def in_units(self, paths: Sequence[str], role: Role | None = None) -> list[Person]:
        """Active people in the subtrees, optionally only holders of ``role``."""
        stmt = (
            select(PersonRow)
            .join(UnitRow, UnitRow.id == PersonRow.unit_id)
            .where(in_subtrees(UnitRow.path, paths), PersonRow.active.is_(True))
            .order_by(UnitRow.path, PersonRow.id)
        )
        if role is not None:
            stmt = stmt.where(
                PersonRow.id.in_(
                    select(RoleGrantRow.person_id).where(RoleGrantRow.role == role.value)
                )
            )
        out = []
        for row in await self.s.scalars(stmt):
            person = await self._load(row)
            assert person is not None
            out.append(person)
        return out

    async def holders_over(self, unit_path: str, role: Role) -> list[Person]:
        """People whose ``role`` grant is on this unit or an ancestor (grant path is a prefix)."""
        stmt = (
            select(PersonRow)
            .join(RoleGrantRow, RoleGrantRow.person_id == PersonRow.id)
            .join(UnitRow, UnitRow.id == RoleGrantRow.unit_id)
            .where(
                RoleGrantRow.role == role.value,
                PersonRow.active.is_(True),
                literal(unit_path).startswith(UnitRow.path),
            )
            .distinct()
            .order_by(PersonRow.id)
        )
        out = []
        for row in await self.s.scalars(stmt):
            person = await self._load(row)
            assert person is not None
            out.append(person)
        return out

    async def count(self) -> int:
        """Number of people."""
        return int(await self.s.scalar(select(func.count()).select_from(PersonRow)) or 0)


def _invitation(row: InvitationRow) -> Invitation:
    return Invitation(
        code=row.code,
        unit_id=row.unit_id,
        role=Role(row.role),
        expires_at=row.expires_at,
        name=row.name,
        person_id=row.person_id,
        used_at=row.used_at,
        used_by=row.used_by,
    )


class SqlInvitationRepository:
    """Invitation codes."""

    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def add(self, invitation: Invitation) -> None:
        """Store an invitation."""
        self.s.add(
            InvitationRow(
                code=invitation.code,
                unit_id=invitation.unit_id,
                role=invitation.role.value,
                name=invitation.name,
                person_id=invitation.person_id,
                expires_at=invitation.expires_at,
            )
        )
        await self.s.flush()

    async def get_for_update(self, code: str) -> Invitation | None:
        """Fetch and (on PostgreSQL) row-lock the invitation."""
        row = await self.s.scalar(
            select(InvitationRow).where(InvitationRow.code == code).with_for_update()
        )
        return _invitation(row) if row else None

    async def open_in(self, unit_paths: Sequence[str], now: datetime) -> list[Invitation]:
        """Unused, unexpired invitations inside the subtrees, soonest expiry first."""
        stmt = (
            select(InvitationRow)
            .join(UnitRow, UnitRow.id == InvitationRow.unit_id)
            .where(
                in_subtrees(UnitRow.path, unit_paths),
                InvitationRow.used_at.is_(None),
                InvitationRow.expires_at > now,
            )
            .order_by(InvitationRow.expires_at, InvitationRow.code)
        )
        return [_invitation(r) for r in (await self.s.scalars(stmt)).all()]

    async def cancel(self, code: str) -> bool:
        """Delete the invitation if it was never used (a used one stays as the record of
        who registered with it)."""
        result = await self.s.execute(
            delete(InvitationRow).where(InvitationRow.code == code, InvitationRow.used_at.is_(None))
        )
        return getattr(result, "rowcount", 0) == 1

    async def mark_used(self, code: str, person_id: int, at: datetime) -> bool:
        """Consume the code atomically: only an unused code is updated."""
        result = await self.s.execute(
            update(InvitationRow)
            .where(InvitationRow.code == code, InvitationRow.used_at.is_(None))
            .values(used_at=at, used_by=person_id)
        )
        return getattr(result, "rowcount", 0) == 1


class SqlAuditLog:
    """Append-only audit log."""

    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def append(self, entry: AuditEntry) -> None:
        """Insert one entry."""
        assert entry.at is not None
        self.s.add(
            AuditRow(
                at=entry.at,
                actor_id=entry.actor_id,
                chat_id=entry.chat_id,
                action=entry.action,
                object_type=entry.object_type,
                object_id=entry.object_id,
                unit_id=entry.unit_id,
                details=entry.details,
            )
        )
        await self.s.flush()

    async def since(
        self, at: datetime, unit_paths: Sequence[str] | None = None
    ) -> list[AuditEntry]:
        """Entries from ``at`` on, oldest first."""
        stmt = select(AuditRow).where(AuditRow.at >= at).order_by(AuditRow.id)
        if unit_paths is not None:
            stmt = stmt.join(UnitRow, UnitRow.id == AuditRow.unit_id).where(
                in_subtrees(UnitRow.path, unit_paths)
            )
        return [
            AuditEntry(
                id=r.id,
                at=r.at,
                actor_id=r.actor_id,
                chat_id=r.chat_id,
                action=r.action,
                object_type=r.object_type,
                object_id=r.object_id,
                unit_id=r.unit_id,
                details=dict(r.details or {}),
            )
            for r in await self.s.scalars(stmt)
        ]


_CONVERSATION = select(
    ConversationRow.__table__.c.form,
    ConversationRow.__table__.c.step,
    ConversationRow.__table__.c.data,
    ConversationRow.__table__.c.updated_at,
).where(
    ConversationRow.__table__.c.chat_id == bindparam("chat"),
    ConversationRow.__table__.c.user_id == bindparam("user"),
)


class SqlConversationStore:
    """Form state rows."""

    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def load(self, chat_id: int, user_id: int) -> FormState | None:
        """The open form, or None."""
        row = (await self.s.execute(_CONVERSATION, {"chat": chat_id, "user": user_id})).first()
        if row is None:
            return None
        form, step, data, updated_at = row
        return FormState(form, step, dict(data or {}), updated_at)

    async def save(self, chat_id: int, user_id: int, state: FormState) -> None:
        """Upsert the form state."""
        row = await self.s.get(ConversationRow, (chat_id, user_id))
        if row is None:
            row = ConversationRow(chat_id=chat_id, user_id=user_id)
            self.s.add(row)
        row.form, row.step, row.data, row.updated_at = (
            state.form,
            state.step,
            dict(state.data),
            state.updated_at,
        )
        await self.s.flush()

    async def clear(self, chat_id: int, user_id: int) -> None:
        """Delete the form state."""
        await self.s.execute(
            delete(ConversationRow).where(
                ConversationRow.chat_id == chat_id, ConversationRow.user_id == user_id
            )
        )


_INSERT_QUESTION = insert(cast(Table, QuestionRow.__table__))


class SqlQuestionLog:
    """Questions and answer feedback."""

    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def record(
        self,
        person_id: int | None,
        query: str,
        status: str,
        entry_id: str | None,
        score: float,
        at: datetime,
    ) -> int:
        """Insert a question row and return its id."""
        result = await self.s.execute(
            _INSERT_QUESTION,
            {
                "at": at,
                "person_id": person_id,
                "query": query,
                "status": status,
                "entry_id": entry_id,
                "score": score,
                "helpful": None,
                "escalated": False,
            },
        )
        return int(result.inserted_primary_key[0])  # type: ignore[attr-defined]

    async def feedback(self, question_id: int, person_id: int, helpful: bool) -> bool:
        """Record 👍/👎 on one's own question."""
        result = await self.s.execute(
            update(QuestionRow)
            .where(QuestionRow.id == question_id, QuestionRow.person_id == person_id)
            .values(helpful=helpful)
        )
        return getattr(result, "rowcount", 0) == 1

    async def escalate(self, question_id: int, person_id: int) -> str | None:
        """Mark one's own question as passed to staff and return its text."""
        row = await self.s.get(QuestionRow, question_id)
        if row is None or row.person_id != person_id or row.escalated:
            return None  # not theirs, or already passed on (a second press sends nothing)
        row.escalated = True
        await self.s.flush()
        return row.query

    async def gaps(self, limit: int) -> list[tuple[str, int]]:
        """Most frequent declined or 👎 questions still on file.

        The texts are encrypted with a random nonce, so equal questions differ in the
        database: they are grouped here, after decryption, on a normalised form.
        """
        stmt = (
            select(QuestionRow.query)
            .where(or_(QuestionRow.status == "none", QuestionRow.helpful.is_(False)))
            .order_by(QuestionRow.at.desc())
            .limit(GAP_SCAN_LIMIT)
        )
        return group_gaps((await self.s.scalars(stmt)).all(), limit)

    async def purge(self, before: datetime) -> int:
        """Fold questions asked before ``before`` into monthly counts and delete them."""
        stmt = select(
            QuestionRow.at, QuestionRow.status, QuestionRow.entry_id,
            QuestionRow.helpful, QuestionRow.escalated,
        ).where(QuestionRow.at < before)  # fmt: skip
        tally: dict[tuple[str, str, str], list[int]] = {}
        deleted = 0
        for at, status, entry_id, helpful, was_escalated in (await self.s.execute(stmt)).all():
            counts = tally.setdefault((f"{at:%Y-%m}", status, entry_id or ""), [0, 0, 0])
            counts[0] += 1
            counts[1] += int(helpful is False)
            counts[2] += int(bool(was_escalated))
            deleted += 1
        for key, (asked, unhelpful, escalated) in tally.items():
            row = await self.s.get(QuestionCountRow, key)
            if row is None:
                month, status, entry_id = key
                row = QuestionCountRow(month=month, status=status, entry_id=entry_id,
                                       asked=0, unhelpful=0, escalated=0)  # fmt: skip
                self.s.add(row)
            row.asked += asked
            row.unhelpful += unhelpful
            row.escalated += escalated
        if deleted:
            await self.s.execute(delete(QuestionRow).where(QuestionRow.at < before))
            await self.s.flush()
        return deleted

    async def archived(self) -> list[QuestionCount]:
        """The counts kept of purged questions, newest month first."""
        stmt = select(QuestionCountRow).order_by(
            QuestionCountRow.month.desc(), QuestionCountRow.status, QuestionCountRow.entry_id
        )
        return [
            QuestionCount(r.month, r.status, r.entry_id, r.asked, r.unhelpful, r.escalated)
            for r in (await self.s.scalars(stmt)).all()
        ]


def _claim(insert_fn: Any) -> Any:
    table = ProcessedUpdateRow.__table__
    return (
        insert_fn(table)
        .values(update_id=bindparam("update_id"), bot_key="", at=bindparam("at"))
        .on_conflict_do_nothing(index_elements=["update_id", "bot_key"])
    )


_CLAIM_PG = _claim(pg_insert)
_CLAIM_SQLITE = _claim(sqlite_insert)


class SqlUpdateLog:
    """Processed update ids, claimed with an insert that ignores conflicts."""

    def __init__(self, session: AsyncSession) -> None:
        self.s = session

    async def claim(self, update_id: int, at: datetime) -> bool:
        """Insert the id; a conflict means another request (or instance) already took it."""
        dialect = self.s.bind.dialect.name if self.s.bind is not None else "sqlite"
        stmt = _CLAIM_PG if dialect == "postgresql" else _CLAIM_SQLITE
        result = await self.s.execute(stmt, {"update_id": update_id, "at": at})
        return getattr(result, "rowcount", 0) == 1
