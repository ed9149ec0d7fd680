"""People in ``people`` and their role grants in ``role_grants``."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, bindparam, delete, func, literal, or_, select, update

from handlers.core.domain import NewPerson, Person, Role, RoleGrant
from storage.core.models import PersonRow, RoleGrantRow, UnitRow
from storage.core.sql import SqlRepository, built, in_subtrees, rowcount

#: A person's columns kept as they are (besides id, activity and grants).
_COLUMNS = "name unit_id post section_level telegram_user_id language"


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


def _grant_is(person_id: int, role: Role, unit_id: int) -> tuple[ColumnElement[bool], ...]:
    """Conditions on ``role_grants``: the grant of ``role`` on ``unit_id`` to the person."""
    return (
        RoleGrantRow.person_id == person_id,
        RoleGrantRow.role == role.value,
        RoleGrantRow.unit_id == unit_id,
    )


class SqlPersonRepository(SqlRepository):
    """People in ``people`` with grants in ``role_grants``."""

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
        return built(Person, row, f"id {_COLUMNS} active chat_blocked listed_at", grants=grants)

    async def _load_all(self, stmt: Select[Any]) -> list[Person]:
        """The people ``stmt`` selects, each with their grants, in its order."""
        out = []
        for row in await self.s.scalars(stmt):
            person = await self._load(row)
            assert person is not None
            out.append(person)
        return out

    async def _set(self, person_id: int, **values: Any) -> None:
        """Update columns of one person."""
        await self.s.execute(update(PersonRow).where(PersonRow.id == person_id).values(**values))

    async def add(self, new: NewPerson) -> Person:
        """Create a person without roles."""
        row = PersonRow(**vars(new), active=True, chat_blocked=False)
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
        return await self._matching(text, within, active=True)

    async def find_deactivated(self, text: str, within: Sequence[str]) -> list[Person]:
        """Deactivated people in the subtrees whose name contains ``text`` (or id is it)."""
        return await self._matching(text, within, active=False)

    async def _matching(self, text: str, within: Sequence[str], active: bool) -> list[Person]:
        """People of one state in the subtrees whose name contains ``text`` (or id is it)."""
        cond = PersonRow.name.contains(text, autoescape=True)
        if text.isdecimal() and len(text) <= 18:
            cond = or_(cond, PersonRow.id == int(text))
        stmt = (
            select(PersonRow)
            .join(UnitRow, UnitRow.id == PersonRow.unit_id)
            .where(in_subtrees(UnitRow.path, within), PersonRow.active.is_(active), cond)
            .order_by(PersonRow.name, PersonRow.id)
            .limit(20)
        )
        return await self._load_all(stmt)

    async def named_in_unit(self, name: str, unit_id: int) -> list[Person]:
        """People of that exact name listed in the unit, deactivated ones too."""
        stmt = (
            select(PersonRow)
            .where(PersonRow.unit_id == unit_id, PersonRow.name == name)
            .order_by(PersonRow.id)
        )
        return await self._load_all(stmt)

    async def grant(self, person_id: int, role: Role, unit_id: int) -> bool:
        """Add a role grant unless already present."""
        exists = await self.s.scalar(
            select(RoleGrantRow.id).where(*_grant_is(person_id, role, unit_id))
        )
        if exists:
            return False
        self.s.add(RoleGrantRow(person_id=person_id, role=role.value, unit_id=unit_id))
        await self.s.flush()
        return True

    async def revoke(self, person_id: int, role: Role, unit_id: int) -> bool:
        """Remove a role grant."""
        result = await self.s.execute(
            delete(RoleGrantRow).where(*_grant_is(person_id, role, unit_id))
        )
        return bool(rowcount(result))

    async def bind_telegram(self, person_id: int, telegram_user_id: int) -> None:
        """Attach a Telegram account."""
        await self._set(person_id, telegram_user_id=telegram_user_id)

    async def set_language(self, person_id: int, language: str) -> None:
        """Store the interface language."""
        await self._set(person_id, language=language)

    async def set_active(self, person_id: int, active: bool, at: datetime | None = None) -> None:
        """Deactivate (noting when, ``at``) or reactivate."""
        await self._set(person_id, active=active, left_at=None if active else at)

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
        return await self._load_all(stmt)

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
        return await self._load_all(stmt)

    async def count(self) -> int:
        """Number of people."""
        return int(await self.s.scalar(select(func.count()).select_from(PersonRow)) or 0)

    async def unblock_chat(self, person_id: int) -> None:
        """Clear people.chat_blocked (the person wrote to us, so the chat works again)."""
        await self._set(person_id, chat_blocked=False)
