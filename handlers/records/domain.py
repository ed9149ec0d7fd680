"""Discipline records kept by inspectors: warning talks, rectification notices, assessments
and accountability cases, plus their revision history.

Storage maps its rows to these dataclasses. Every record carries ``version`` (bumped on each
change, so a stale edit cannot overwrite a newer one) and tombstone fields (records are never
physically deleted).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from handlers.core.domain import Grade, Role
from handlers.core.i18n import N_, Translator
from handlers.records.stored import Empty, Filled, Stored, stored
from knowledge.sanctions import load_sanctions

#: Roles that read records of their subtrees (also what a typed 高峰能提拔吗 may look up).
READ_ROLES = (Role.INSPECTOR, Role.ADMIN)


class RecordType(StrEnum):
    """Kinds of records; the value is used in revisions, audit entries and button data."""

    TALK = "talk"
    NOTICE = "notice"
    ASSESSMENT = "assessment"
    CASE = "case"
    CASE_PERSON = "case_person"


class NoticeStatus(StrEnum):
    """Stored state of a rectification notice; "overdue" is derived from the deadline."""

    OPEN = "open"
    SUBMITTED = "submitted"  # a rectification report awaits the inspector's decision
    CLOSED = "closed"


class ReportDecision(StrEnum):
    """What the inspector did with a rectification report."""

    ACCEPTED = "accepted"
    RETURNED = "returned"


class AssessmentMethod(StrEnum):
    """The five assessment methods."""

    SELF_CHECK = "self_check"
    HEARING_REPORTS = "hearing_reports"
    EXAMINING_RECORDS = "examining_records"
    DEMOCRATIC_APPRAISAL = "democratic_appraisal"
    DISCUSSION_MEETINGS = "discussion_meetings"


class Commendation(StrEnum):
    """Commendations that go with an assessment."""

    ADVANCED_UNIT = "advanced_unit"
    ADVANCED_WORKER = "advanced_worker"


class SubjectType(StrEnum):
    """Whom an assessment is about."""

    UNIT = "unit"
    PERSON = "person"


class CaseStatus(StrEnum):
    """State of an accountability case."""

    OPEN = "open"
    CLOSED = "closed"


class CaseCircumstance(StrEnum):
    """Circumstances for holding leaders accountable.

    New cases take one of the eleven of 《中国共产党问责条例》(2019) 第七条 (the rule-base entry
    account.circumstances.regulation_2019; ``other`` is its eleventh, the catch-all). The first
    six codes are the 1998/2010 responsibility-system rules' circumstances, which the seed-era
    practice used: kept so that cases recorded with them still read, never offered again.
    """

    # -- 1998/2010 (history; readable, not offered)
    WEAK_LEADERSHIP = "weak_leadership"
    NOT_IMPLEMENTED = "not_implemented"
    COVER_UP = "cover_up"
    LAX_SUPERVISION = "lax_supervision"
    IMPROPER_APPOINTMENT = "improper_appointment"
    FALSE_DATA = "false_data"
    # -- 问责条例 2019 第七条 (一) to (十); (十一) is OTHER
    PARTY_LEADERSHIP_WEAKENED = "r19_leadership"
    POLITICAL_BUILDING = "r19_political"
    IDEOLOGICAL_BUILDING = "r19_ideological"
    ORGANISATIONAL_BUILDING = "r19_organisational"
    CONDUCT_BUILDING = "r19_conduct"
    DISCIPLINE_BUILDING = "r19_discipline"
    ANTI_CORRUPTION = "r19_anti_corruption"
    MAIN_AND_SUPERVISORY_DUTY = "r19_main_duty"
    MANAGEMENT_SUPERVISION = "r19_management"
    PEOPLES_INTERESTS = "r19_peoples_interests"
    OTHER = "other"


#: The circumstances a new case may take: 问责条例 (2019) 第七条's eleven, in its order.
CURRENT_CIRCUMSTANCES = (
    CaseCircumstance.PARTY_LEADERSHIP_WEAKENED,
    CaseCircumstance.POLITICAL_BUILDING,
    CaseCircumstance.IDEOLOGICAL_BUILDING,
    CaseCircumstance.ORGANISATIONAL_BUILDING,
    CaseCircumstance.CONDUCT_BUILDING,
    CaseCircumstance.DISCIPLINE_BUILDING,
    CaseCircumstance.ANTI_CORRUPTION,
    CaseCircumstance.MAIN_AND_SUPERVISORY_DUTY,
    CaseCircumstance.MANAGEMENT_SUPERVISION,
    CaseCircumstance.PEOPLES_INTERESTS,
    CaseCircumstance.OTHER,
)


class HandlingCategory(StrEnum):
    """The two ways a person in a case is handled; summaries split counts by this."""

    ORGANISATIONAL = "organisational"
    DISCIPLINE = "discipline"


class OrgHandling(StrEnum):
    """Kinds of organisational handling (组织处理). Discipline kinds come from sanctions.yaml.

    ``warning_talk`` deliberately shares its code with the sanctions.yaml kind, so the
    eligibility check applies the warning-talk effect period to it.
    """

    CIRCULATED_CRITICISM = "circulated_criticism"
    WARNING_TALK = "warning_talk"
    WRITTEN_SELF_CRITICISM = "written_self_criticism"
    SUSPENSION = "suspension"  # 停职检查
    JOB_ADJUSTMENT = "job_adjustment"
    ORDERED_RESIGNATION = "ordered_resignation"
    REMOVAL = "removal"
    DEMOTION = "demotion"


#: Message ids of the organisational handling kinds (records show them, summaries count them).
ORG_HANDLING_NAMES: dict[str, str] = {
    OrgHandling.CIRCULATED_CRITICISM: N_("circulated criticism"),
    OrgHandling.WARNING_TALK: N_("warning talk"),
    OrgHandling.WRITTEN_SELF_CRITICISM: N_("written self-criticism"),
    OrgHandling.SUSPENSION: N_("suspension for examination"),
    OrgHandling.JOB_ADJUSTMENT: N_("job adjustment"),
    OrgHandling.ORDERED_RESIGNATION: N_("ordered to resign"),
    OrgHandling.REMOVAL: N_("removal from post"),
    OrgHandling.DEMOTION: N_("demotion"),
}


def handling_kind_name(t: Translator, category: str, kind: str) -> str:
    """The name of a person's handling in a case: a sanction's name from sanctions.yaml
    (discipline), else an organisational handling's; the stored code when neither knows it."""
    if str(category) == HandlingCategory.DISCIPLINE.value:
        sanction = load_sanctions().get(kind)
        return sanction.name(t.language) if sanction else kind
    name = ORG_HANDLING_NAMES.get(kind)
    return t._(name) if name else kind


@dataclass(frozen=True)
class Tombstone:
    """Who deleted a record, when and why (the row itself stays)."""

    at: datetime
    by: int
    reason: str


@dataclass(frozen=True)
class WarningTalk:
    """A warning (admonishment) talk held with a cadre."""

    id: int
    person_id: int
    unit_id: int
    talk_date: date
    place: str
    talker: str
    note_taker: str
    reason: str  # a code from knowledge/data/talk_reasons.yaml
    summary: str
    response: str
    created_by: int
    created_at: datetime
    follow_up_date: date | None = None
    follow_up_result: str | None = None
    version: int = 1
    deleted: Tombstone | None = None

    @property
    def followed_up(self) -> bool:
        """True once the follow-up result is recorded (the talk's "closed" state)."""
        return bool(self.follow_up_result)


#: Talks need no storage code of their own: storage derives their table from this.
TALKS: Stored[WarningTalk] = stored(
    Stored(
        "warning_talks",
        WarningTalk,
        day="talk_date",
        refs={"person_id": "people", "unit_id": "units"},
        codes={"reason": 32},
        statuses={"open": Empty("follow_up_result"), "closed": Filled("follow_up_result")},
    )
)


@dataclass(frozen=True)
class RectificationNotice:
    """A time-limited rectification notice (限期整改通知书) sent to a unit's principal."""

    id: int
    unit_id: int
    recipient_id: int | None
    issued_on: date
    deadline: date
    problems: str
    status: NoticeStatus
    issued_by: int
    created_at: datetime
    closed_on: date | None = None
    version: int = 1
    deleted: Tombstone | None = None

    def is_overdue(self, today: date) -> bool:
        """Past its deadline and not accepted (closed). A report awaiting review does not
        stop the clock: until the inspector accepts it the rectification is not done."""
        return self.status != NoticeStatus.CLOSED and today > self.deadline


@dataclass(frozen=True)
class RectificationReport:
    """A unit head's rectification report on a notice, and the inspector's decision."""

    id: int
    notice_id: int
    submitted_by: int
    submitted_at: datetime
    text: str
    decision: ReportDecision | None = None
    decided_by: int | None = None
    decided_at: datetime | None = None
    decision_note: str | None = None


@dataclass(frozen=True)
class Assessment:
    """A year's assessment result for a unit (``person_id`` None) or a person."""

    id: int
    unit_id: int
    person_id: int | None
    year: int
    result: Grade
    methods: tuple[AssessmentMethod, ...]
    commendation: Commendation | None
    notes: str
    assessed_on: date
    created_by: int
    created_at: datetime
    version: int = 1
    deleted: Tombstone | None = None
    #: Rated excellent or advanced although an effect period barred it (confirmed knowingly).
    rated_despite_bar: bool = False

    @property
    def subject_type(self) -> SubjectType:
        """Whether this assesses a unit or a person."""
        return SubjectType.UNIT if self.person_id is None else SubjectType.PERSON


@dataclass(frozen=True)
class AccountabilityCase:
    """An accountability case (责任追究); the people involved are :class:`CasePerson` rows."""

    id: int
    unit_id: int
    title: str
    circumstance: CaseCircumstance
    facts: str
    opened_on: date
    status: CaseStatus
    created_by: int
    created_at: datetime
    closed_on: date | None = None
    version: int = 1
    deleted: Tombstone | None = None


@dataclass(frozen=True)
class CasePerson:
    """One person held accountable in a case, with the handling decided for him or her.

    ``unit_id`` is the person's unit when the handling was recorded, so counts by unit
    subtree stay right after transfers.
    """

    id: int
    case_id: int
    person_id: int
    unit_id: int
    category: HandlingCategory
    kind: str  # an OrgHandling value, or a discipline kind code from sanctions.yaml
    effective_on: date
    note: str
    created_by: int
    created_at: datetime
    version: int = 1
    deleted: Tombstone | None = None
    #: Revoked on review (复核/申诉) from this day, with the reason: kept as history, it bars
    #: nothing and counts in no figure.
    revoked_on: date | None = None
    revoke_reason: str = ""

    @property
    def track(self) -> str:
        """See :func:`handling_track`."""
        return handling_track(self.category, self.kind)


def handling_track(category: HandlingCategory | str, kind: str) -> str:
    """What one person may receive at most once per case.

    A person may be given, in one case, a party sanction *and* a government (or
    public-institution) sanction *and* organisational handling: that is common, and the
    rules apply each on its own track. Within a track one case decides one thing: several
    violations lead to one party sanction (条例 第二十四条 on merged violations) and one
    government sanction (政务处分法 第十五条). Organisational handling may combine kinds
    (for example 诫勉 with 调整职务), so each kind is its own track there.
    """
    if HandlingCategory(category) == HandlingCategory.ORGANISATIONAL:
        return f"org:{kind}"
    return "party" if kind.startswith("party_") else "public"


@dataclass(frozen=True)
class Revision:
    """One entry of a record's history: who did what, when, and which fields changed."""

    record_type: str  # the record kind's type (a RecordType for the built-in kinds)
    record_id: int
    at: datetime
    actor_id: int
    action: str
    changes: dict[str, Any] = field(default_factory=dict)  # field -> [old, new]
    id: int | None = None


@dataclass(frozen=True)
class RecordQuery:
    """Filters for listing records.

    ``unit_paths`` None means "no unit restriction" and is only used together with
    ``person_id`` (a person reading his or her own records); an empty tuple matches nothing.
    ``status`` is the record type's own vocabulary (open/overdue/closed, or a result).
    """

    unit_paths: tuple[str, ...] | None
    person_id: int | None = None
    year: int | None = None
    status: str | None = None
    today: date | None = None
    limit: int = 10
    offset: int = 0


@dataclass(frozen=True)
class ReportVerdict:
    """The inspector's decision on a rectification report, as the report keeps it."""

    decision: ReportDecision
    decided_by: int
    decided_at: datetime
    decision_note: str | None = None
