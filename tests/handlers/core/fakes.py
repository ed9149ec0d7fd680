"""In-memory fakes of the storage ports, for fast unit tests of the core."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import asdict, replace
from datetime import datetime
from typing import Any

from handlers.core.domain import (
    AskedQuestion,
    AuditEntry,
    FormState,
    Invitation,
    IssuedButton,
    NewPerson,
    Person,
    QuestionCount,
    Role,
    RoleGrant,
    Unit,
    UnitLevel,
    group_gaps,
)
from tests.handlers.core.fake_repository import FakeRepository
from tests.handlers.pledges.fakes import FakeAppraisals, FakeCheckins, FakePledges, PledgeTables
from tests.handlers.records.fakes import FakeRecordStore, RecordTables
from tests.handlers.reminders.fakes import FakeDigests, FakeQuiz, FakeReminders, ReminderTables
from tests.handlers.summary.fakes import FakeSummary


class FakeDB:
    """Shared state of all fake repositories; unit-of-work commits copy into it."""

    def __init__(self) -> None:
        self.units: dict[int, Unit] = {}
        self.people: dict[int, Person] = {}
        self.invitations: dict[str, Invitation] = {}
        self.audit: list[AuditEntry] = []
        self.conversations: dict[tuple[int, int], FormState] = {}
        self.questions: dict[int, dict[str, Any]] = {}
        self.question_counts: dict[tuple[str, str, str], QuestionCount] = {}
        self.updates: set[int] = set()
        self.button_tokens: dict[str, IssuedButton] = {}
        self.pledge_tables = PledgeTables()
        self.record_tables = RecordTables()
        self.reminder_tables = ReminderTables()
        self.ids = itertools.count(1)

    def snapshot(self) -> dict[str, Any]:
        return {
            "units": dict(self.units),
            "people": dict(self.people),
            "invitations": dict(self.invitations),
            "audit": list(self.audit),
            "conversations": dict(self.conversations),
            "questions": {k: dict(v) for k, v in self.questions.items()},
            "question_counts": dict(self.question_counts),
            "pledge_tables": self.pledge_tables.copy(),
            "record_tables": self.record_tables.copy(),
            "reminder_tables": self.reminder_tables.copy(),
            "updates": set(self.updates),
            "button_tokens": dict(self.button_tokens),
        }

    def restore(self, snap: dict[str, Any]) -> None:
        for k, v in snap.items():
            setattr(self, k, v)


def _under(path: str, paths: Sequence[str]) -> bool:
    return any(path.startswith(p) for p in paths)


class FakeUnits(FakeRepository["FakeDB"]):
    async def add(self, code: str, name: str, level: UnitLevel, parent_id: int | None) -> Unit:
        uid = next(self.db.ids)
        parent_path = self.db.units[parent_id].path if parent_id else "/"
        unit = Unit(uid, code, name, level, parent_id, f"{parent_path}{uid}/")
        self.db.units[uid] = unit
        return unit

    async def get(self, unit_id: int) -> Unit | None:
        return self.db.units.get(unit_id)

    async def by_code(self, code: str) -> Unit | None:
        return next((u for u in self.db.units.values() if u.code.lower() == code.lower()), None)

    async def find(self, text: str, within: Sequence[str]) -> list[Unit]:
        return sorted(
            (
                u
                for u in self.db.units.values()
                if _under(u.path, within) and (u.code.lower() == text.lower() or text in u.name)
            ),
            key=lambda u: u.path,
        )

    async def children(self, unit_id: int) -> list[Unit]:
        return sorted(
            (u for u in self.db.units.values() if u.parent_id == unit_id), key=lambda u: u.code
        )

    async def within(self, paths: Sequence[str], limit: int) -> list[Unit]:
        inside = (u for u in self.db.units.values() if _under(u.path, paths))
        return sorted(inside, key=lambda u: u.path)[:limit]

    async def count(self) -> int:
        return len(self.db.units)


class FakePeople(FakeRepository["FakeDB"]):
    def _refresh(self, person: Person) -> Person:
        grants = tuple(
            RoleGrant(g.role, g.unit_id, self.db.units[g.unit_id].path) for g in person.grants
        )
        return replace(person, grants=grants)

    def _active(self, keep: Callable[[Person], bool]) -> list[Person]:
        """The active people ``keep`` accepts, with their grants' unit paths as they are now."""
        return [self._refresh(p) for p in self.db.people.values() if p.active and keep(p)]

    def _set(self, person_id: int, **changes: Any) -> None:
        """Change fields of a stored person."""
        self.db.people[person_id] = replace(self.db.people[person_id], **changes)

    async def add(self, new: NewPerson) -> Person:
        pid = next(self.db.ids)
        person = Person(**vars(new), id=pid)
        self.db.people[pid] = person
        return person

    async def get(self, person_id: int) -> Person | None:
        p = self.db.people.get(person_id)
        return self._refresh(p) if p else None

    async def by_telegram_id(self, telegram_user_id: int) -> Person | None:
        p = next(
            (p for p in self.db.people.values() if p.telegram_user_id == telegram_user_id), None
        )
        return self._refresh(p) if p else None

    async def find(self, text: str, within: Sequence[str]) -> list[Person]:
        return self._active(
            lambda p: (
                _under(self.db.units[p.unit_id].path, within)
                and (text in p.name or (text.isdecimal() and p.id == int(text)))
            )
        )

    async def find_deactivated(self, text: str, within: Sequence[str]) -> list[Person]:
        return [
            self._refresh(p)
            for p in sorted(self.db.people.values(), key=lambda p: (p.name, p.id))
            if not p.active
            and _under(self.db.units[p.unit_id].path, within)
            and (text in p.name or (text.isdecimal() and p.id == int(text)))
        ]

    async def grant(self, person_id: int, role: Role, unit_id: int) -> bool:
        p = self.db.people[person_id]
        if any(g.role == role and g.unit_id == unit_id for g in p.grants):
            return False
        grant = RoleGrant(role, unit_id, self.db.units[unit_id].path)
        self.db.people[person_id] = replace(p, grants=(*p.grants, grant))
        return True

    async def revoke(self, person_id: int, role: Role, unit_id: int) -> bool:
        p = self.db.people[person_id]
        kept = tuple(g for g in p.grants if not (g.role == role and g.unit_id == unit_id))
        self.db.people[person_id] = replace(p, grants=kept)
        return len(kept) != len(p.grants)

    async def bind_telegram(self, person_id: int, telegram_user_id: int) -> None:
        self._set(person_id, telegram_user_id=telegram_user_id)

    async def set_language(self, person_id: int, language: str) -> None:
        self._set(person_id, language=language)

    async def set_active(self, person_id: int, active: bool, at: datetime | None = None) -> None:
        self._set(person_id, active=active)

    async def in_units(self, paths: Sequence[str], role: Role | None = None) -> list[Person]:
        return self._active(
            lambda p: (
                _under(self.db.units[p.unit_id].path, paths) and (role is None or role in p.roles)
            )
        )

    async def named_in_unit(self, name: str, unit_id: int) -> list[Person]:
        return [
            self._refresh(p)
            for p in self.db.people.values()
            if p.name == name and p.unit_id == unit_id
        ]

    async def holders_over(self, unit_path: str, role: Role) -> list[Person]:
        return self._active(
            lambda p: any(
                g.role == role and unit_path.startswith(self.db.units[g.unit_id].path)
                for g in p.grants
            )
        )

    async def count(self) -> int:
        return len(self.db.people)

    async def unblock_chat(self, person_id: int) -> None:
        self._set(person_id, chat_blocked=False)


class FakeInvitations(FakeRepository["FakeDB"]):
    async def add(self, invitation: Invitation) -> None:
        self.db.invitations[invitation.code] = invitation

    async def get_for_update(self, code: str) -> Invitation | None:
        return self.db.invitations.get(code)

    async def open_in(self, unit_paths: Sequence[str], now: datetime) -> list[Invitation]:
        found = [
            inv
            for inv in self.db.invitations.values()
            if inv.used_at is None
            and inv.expires_at > now
            and _under(self.db.units[inv.unit_id].path, unit_paths)
        ]
        return sorted(found, key=lambda inv: (inv.expires_at, inv.code))

    async def cancel(self, code: str) -> bool:
        inv = self.db.invitations.get(code)
        if inv is None or inv.used_at is not None:
            return False
        del self.db.invitations[code]
        return True

    async def mark_used(self, code: str, person_id: int, at: datetime) -> bool:
        inv = self.db.invitations.get(code)
        if inv is None or inv.used_at is not None:
            return False
        self.db.invitations[code] = replace(inv, used_at=at, used_by=person_id)
        return True


class FakeAudit(FakeRepository["FakeDB"]):
    async def append(self, entry: AuditEntry) -> None:
        self.db.audit.append(replace(entry, id=len(self.db.audit) + 1))

    async def since(
        self, at: datetime, unit_paths: Sequence[str] | None = None
    ) -> list[AuditEntry]:
        return [
            e
            for e in self.db.audit
            if e.at
            and e.at >= at
            and (
                unit_paths is None
                or (
                    e.unit_id in self.db.units and _under(self.db.units[e.unit_id].path, unit_paths)
                )
            )
        ]


class FakeConversations(FakeRepository["FakeDB"]):
    async def load(self, chat_id: int, user_id: int) -> FormState | None:
        return self.db.conversations.get((chat_id, user_id))

    async def save(self, chat_id: int, user_id: int, state: FormState) -> None:
        self.db.conversations[(chat_id, user_id)] = state

    async def clear(self, chat_id: int, user_id: int) -> None:
        self.db.conversations.pop((chat_id, user_id), None)


class FakeQuestions(FakeRepository["FakeDB"]):
    async def record(self, question: AskedQuestion, at: datetime) -> int:
        qid = next(self.db.ids)
        self.db.questions[qid] = {**asdict(question), "at": at, "helpful": None, "escalated": False}
        return qid

    async def feedback(self, question_id: int, person_id: int, helpful: bool) -> bool:
        q = self.db.questions.get(question_id)
        if q is None or q["person_id"] != person_id:
            return False
        q["helpful"] = helpful
        return True

    async def escalate(self, question_id: int, person_id: int) -> str | None:
        q = self.db.questions.get(question_id)
        if q is None or q["person_id"] != person_id or q["escalated"]:
            return None
        q["escalated"] = True
        return str(q["query"])

    async def latest_open(self, person_id: int, since: datetime) -> tuple[int, str] | None:
        mine = [
            (q["at"], qid, q)
            for qid, q in self.db.questions.items()
            if q["person_id"] == person_id and q["at"] >= since
        ]
        if not mine:
            return None
        _, qid, q = max(mine, key=lambda t: (t[0], t[1]))
        return None if q["escalated"] else (qid, str(q["query"]))

    async def gaps(self, limit: int) -> list[tuple[str, int]]:
        newest_first = sorted(self.db.questions.items(), key=lambda kv: kv[1]["at"], reverse=True)
        texts = [
            str(q["query"])
            for _, q in newest_first
            if q["status"] == "none" or q["helpful"] is False
        ]
        return group_gaps(texts, limit)

    async def purge(self, before: datetime) -> int:
        old = [qid for qid, q in self.db.questions.items() if q["at"] < before]
        for qid in old:
            q = self.db.questions.pop(qid)
            key = (f"{q['at']:%Y-%m}", str(q["status"]), str(q["entry_id"] or ""))
            c = self.db.question_counts.get(key, QuestionCount(*key, asked=0))
            self.db.question_counts[key] = replace(
                c,
                asked=c.asked + 1,
                unhelpful=c.unhelpful + (q["helpful"] is False),
                escalated=c.escalated + bool(q["escalated"]),
            )
        return len(old)

    async def archived(self) -> list[QuestionCount]:
        rows = sorted(self.db.question_counts.values(), key=lambda c: (c.status, c.entry_id))
        return sorted(rows, key=lambda c: c.month, reverse=True)


class FakeUpdates(FakeRepository["FakeDB"]):
    async def claim(self, update_id: int, at: datetime) -> bool:
        if update_id in self.db.updates:
            return False
        self.db.updates.add(update_id)
        return True


class FakeButtons(FakeRepository["FakeDB"]):
    async def add(self, issued: IssuedButton) -> None:
        assert issued.token not in self.db.button_tokens
        self.db.button_tokens[issued.token] = issued

    async def get(self, token: str) -> IssuedButton | None:
        return self.db.button_tokens.get(token)

    async def purge_expired(self, now: datetime, user_id: int | None = None) -> int:
        gone = [
            t
            for t, b in self.db.button_tokens.items()
            if b.expires_at <= now and (user_id is None or b.user_id == user_id)
        ]
        for t in gone:
            del self.db.button_tokens[t]
        return len(gone)


class FakeUnitOfWork:
    """Transactional over :class:`FakeDB`: changes are discarded unless committed."""

    def __init__(self, db: FakeDB) -> None:
        self.db = db
        self.committed = False

    async def __aenter__(self) -> FakeUnitOfWork:
        self._snap = self.db.snapshot()
        self.units = FakeUnits(self.db)
        self.people = FakePeople(self.db)
        self.invitations = FakeInvitations(self.db)
        self.audit = FakeAudit(self.db)
        self.conversations = FakeConversations(self.db)
        self.questions = FakeQuestions(self.db)
        self.records = FakeRecordStore(self.db)
        self.pledges = FakePledges(self.db)
        self.checkins = FakeCheckins(self.db)
        self.appraisals = FakeAppraisals(self.db)
        self.updates = FakeUpdates(self.db)
        self.reminders = FakeReminders(self.db)
        self.quiz = FakeQuiz(self.db)
        self.digests = FakeDigests(self.db)
        self.summary = FakeSummary(self.db)
        self.buttons = FakeButtons(self.db)
        self.calendar = self.reminders
        self.polls = self.quiz
        self.snapshot_cache = self.summary
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        """Discard what was not committed (the outcome does not matter here)."""
        if not self.committed:
            self.db.restore(self._snap)

    async def commit(self) -> None:
        self.committed = True
        self._snap = self.db.snapshot()

    async def rollback(self) -> None:
        self.db.restore(self._snap)


class FakeUnitOfWorkFactory:
    def __init__(self, db: FakeDB | None = None) -> None:
        self.db = db or FakeDB()

    def __call__(self) -> FakeUnitOfWork:
        return FakeUnitOfWork(self.db)
