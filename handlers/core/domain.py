"""Domain records the core works with; storage maps its rows to and from these."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from handlers.core.i18n import N_


class Role(StrEnum):
    """Roles a person may hold over a unit; the names are used in the CLI and data files."""

    CADRE = "cadre"
    UNIT_HEAD = "unit_head"
    INSPECTOR = "inspector"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


#: Roles that act as a leading cadre for personal features (pledges, check-ins, quiz, and
#: the calendar's audiences); :mod:`handlers.org.roles` names the other groups.
CADRE_ROLES = (Role.CADRE, Role.UNIT_HEAD)


class Grade(StrEnum):
    """The three grades of an assessment (优秀 / 达标 / 不达标): the clean-government
    assessment of a unit or person (a record) and the organisational assessment of a cadre's
    pledge are graded on this one scale."""

    EXCELLENT = "excellent"
    PASSED = "passed"
    FAILED = "failed"


#: Message ids of the grades (translated where shown: records, pledges, summaries).
GRADE_NAMES: dict[str, str] = {
    Grade.EXCELLENT: N_("excellent"),
    Grade.PASSED: N_("passed"),
    Grade.FAILED: N_("failed"),
}
#: Grades as people type them (合格 for 达标, as annual assessments say it).
GRADE_WORDS: dict[str, Grade] = {
    "优秀": Grade.EXCELLENT,
    "达标": Grade.PASSED,
    "合格": Grade.PASSED,
    "称职": Grade.PASSED,
    "不达标": Grade.FAILED,
    "不合格": Grade.FAILED,
    "不称职": Grade.FAILED,
    "pass": Grade.PASSED,
    "fail": Grade.FAILED,
}


class UnitLevel(StrEnum):
    """Levels of the organisation tree."""

    CITY = "city"
    COUNTY = "county"
    DEPARTMENT = "department"
    TOWNSHIP = "township"


@dataclass(frozen=True)
class Unit:
    """A party or government unit; ``path`` lists ancestor ids, e.g. ``/1/4/9/``."""

    id: int
    code: str
    name: str
    level: UnitLevel
    parent_id: int | None
    path: str

    def contains(self, other: Unit) -> bool:
        """True when ``other`` is this unit or lies in its subtree."""
        return other.path.startswith(self.path)


@dataclass(frozen=True)
class RoleGrant:
    """One role held over one unit (and so over that unit's subtree)."""

    role: Role
    unit_id: int
    unit_path: str


@dataclass(frozen=True)
class NewPerson:
    """A person to register: who they are and where they serve, before they have an id,
    roles or a state (:class:`Person` is the registered one)."""

    name: str
    unit_id: int
    post: str = ""
    section_level: bool = True
    telegram_user_id: int | None = None
    language: str = "zh_CN"
    #: When the person was listed (None: unknown); a past period's figures leave out people
    #: listed after it.
    listed_at: datetime | None = None


@dataclass(frozen=True)
class Person(NewPerson):
    """A registered (or pre-registered, by import) official: a :class:`NewPerson` with its
    id, its state and the roles it holds."""

    id: int = field(kw_only=True)
    active: bool = True
    chat_blocked: bool = False
    grants: tuple[RoleGrant, ...] = ()

    @property
    def roles(self) -> frozenset[Role]:
        """Every role the person holds, over any unit."""
        return frozenset(g.role for g in self.grants)

    def has_role(self, *roles: Role) -> bool:
        """True when the person holds at least one of ``roles``."""
        return any(g.role in roles for g in self.grants)

    def scope_paths(self, *roles: Role) -> tuple[str, ...]:
        """Paths of the units whose subtrees the given roles let the person see."""
        return tuple(sorted({g.unit_path for g in self.grants if g.role in roles}))

    def can_see(self, unit: Unit, *roles: Role) -> bool:
        """True when one of ``roles`` is held over ``unit`` or one of its ancestors."""
        return any(unit.path.startswith(p) for p in self.scope_paths(*roles))


@dataclass(frozen=True)
class Invitation:
    """A single-use, expiring code that registers a person into a unit with a role."""

    code: str
    unit_id: int
    role: Role
    expires_at: datetime
    name: str = ""
    person_id: int | None = None
    used_at: datetime | None = None
    used_by: int | None = None


@dataclass(frozen=True)
class QuestionCount:
    """Questions past the retention period, counted without their text: per month (UTC),
    decision (``answer``/``clarify``/``none``) and chosen entry (empty when none)."""

    month: str
    status: str
    entry_id: str
    asked: int
    unhelpful: int = 0
    escalated: int = 0


#: How many of the newest declined questions the gap list reads (it decrypts each).
GAP_SCAN_LIMIT = 20_000


def gap_key(text: str) -> str:
    """The form under which two questions count as the same in the gap list."""
    return " ".join(text.casefold().split())


def group_gaps(texts: Iterable[str], limit: int) -> list[tuple[str, int]]:
    """Count questions by :func:`gap_key`, most frequent first; each group is shown with
    the first spelling met (callers pass the newest first)."""
    counts: dict[str, int] = {}
    shown: dict[str, str] = {}
    for text in texts:
        key = gap_key(text)
        counts[key] = counts.get(key, 0) + 1
        shown.setdefault(key, text.strip())
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], shown[kv[0]]))
    return [(shown[key], n) for key, n in ranked[:limit]]


@dataclass(frozen=True)
class AuditEntry:
    """One append-only audit record: who did what, when, from which chat."""

    action: str
    actor_id: int | None
    chat_id: int | None
    object_type: str = ""
    object_id: str = ""
    unit_id: int | None = None
    details: dict[str, Any] = field(default_factory=dict)
    at: datetime | None = None
    id: int | None = None


@dataclass(frozen=True)
class FormState:
    """A multi-step form in progress, kept in the database so it survives a restart."""

    form: str
    step: str
    data: dict[str, Any]
    updated_at: datetime


@dataclass(frozen=True)
class IssuedButton:
    """A button payload too long for Telegram, kept server-side behind ``token``.

    It was issued to one Telegram user in one chat and is honoured only for them, and only
    until ``expires_at``.
    """

    token: str
    payload: str
    user_id: int
    chat_id: int
    created_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class AskedQuestion:
    """A question asked of the rule base and the decision taken on it, to be logged.

    ``status`` is the decision's value (answer, clarify, none), ``entry_id`` the answering
    rule base entry (None unless answered), ``score`` the best candidate's score.
    """

    person_id: int | None
    query: str
    status: str
    entry_id: str | None
    score: float
