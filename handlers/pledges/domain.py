"""Domain records of the integrity-pledge system (廉洁自律承诺制).

A leading cadre makes one pledge per year (3–8 items, made public by news media or at a
meeting), reports how it was kept in each check-in window (践诺报告), and receives a mass
appraisal and an organisational assessment grade. Storage maps its rows onto these.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

# Check-in periods are defined with the calendar, whose windows they name; the
# organisational assessment of a cadre's fulfilment uses the core's grade scale.
from handlers.calendar.domain import Period
from handlers.core.domain import Grade


class PostType(StrEnum):
    """What the pledge is fitted to; values match ``knowledge.pledges.POST_TYPES``."""

    PRINCIPAL = "principal"
    MEMBER = "member"
    DISCIPLINE = "discipline"
    SECTION = "section"


class PublishVia(StrEnum):
    """How a pledge is made public."""

    MEDIA = "media"
    MEETING = "meeting"


class Fulfilment(StrEnum):
    """How one pledge item was kept."""

    KEPT = "kept"
    PARTLY = "partly"
    NOT_KEPT = "not_kept"


class EvidenceKind(StrEnum):
    """A Telegram file (photo or document) or a text note."""

    PHOTO = "photo"
    DOCUMENT = "document"
    NOTE = "note"


@dataclass(frozen=True)
class Pledge:
    """One cadre's pledge for one year.

    Editable by its owner through ``publish_date`` (in the configured time zone), locked
    from the next day on; later corrections are kept as :class:`PledgeRevision`.
    """

    id: int
    person_id: int
    unit_id: int
    year: int
    post_type: PostType
    items: tuple[str, ...]
    publish_via: PublishVia
    publish_date: date
    created_at: datetime
    updated_at: datetime
    revision: int = 0

    def is_public(self, today: date) -> bool:
        """True once the publication date has passed: the owner can no longer edit."""
        return today > self.publish_date

    def expects_checkin(self, window_end: date) -> bool:
        """True when a check-in window closing on ``window_end`` concerns this pledge: a
        pledge made public after a window closed cannot have been reported on in it (a
        pledge made in December owes no mid-year check-in)."""
        return self.publish_date <= window_end

    def published_late(self, due: date) -> bool:
        """True when the pledge was made public after the year's due date (``pledge_due``)."""
        return self.publish_date > due


@dataclass(frozen=True)
class PledgeRevision:
    """A correction of a locked pledge; ``items`` and the publication are the *old* content."""

    id: int
    pledge_id: int
    number: int
    items: tuple[str, ...]
    reason: str
    by_id: int
    at: datetime


@dataclass(frozen=True)
class Evidence:
    """Evidence for one item: a front end's file reference, or a note typed in the chat."""

    kind: EvidenceKind
    ref: str
    name: str = ""


@dataclass(frozen=True)
class CheckinEntry:
    """The report on one pledge item."""

    status: Fulfilment
    explanation: str
    evidence: Evidence | None = None


@dataclass(frozen=True)
class Checkin:
    """A fulfilment report for one pledge and one period; ``entries`` follow the pledge items."""

    id: int
    pledge_id: int
    person_id: int
    period: Period
    entries: tuple[CheckinEntry, ...]
    late: bool
    submitted_at: datetime
    updated_at: datetime
    #: Bumped by every change; a change based on an older version is refused (see the ports).
    version: int = 1


@dataclass(frozen=True)
class CheckinPermit:
    """Permission to check in before the window opens (say, an earlier democratic life meeting)."""

    person_id: int
    year: int
    period: Period
    by_id: int
    at: datetime


@dataclass(frozen=True)
class Appraisal:
    """Mass appraisal (shares of good/fair/poor votes, or a score) and the assessment grade.

    Shares are percentages summing to 100; exactly one of the shares and ``score`` is set.
    ``version`` is the stored version (bumped by every change); it is ignored when writing.
    """

    pledge_id: int
    person_id: int
    grade: Grade
    by_id: int
    at: datetime
    good: float | None = None
    fair: float | None = None
    poor: float | None = None
    score: float | None = None
    version: int = 1

    @property
    def has_shares(self) -> bool:
        """True when the mass appraisal was entered as vote shares."""
        return self.good is not None


@dataclass(frozen=True)
class PledgeContent:
    """What a pledge says and how it is made public: what its owner writes and may change."""

    post_type: PostType
    items: tuple[str, ...]
    publish_via: PublishVia
    publish_date: date


@dataclass(frozen=True)
class NewCheckin:
    """A check-in to store: one pledge's report for one period, ``entries`` in item order."""

    pledge_id: int
    person_id: int
    period: Period
    entries: tuple[CheckinEntry, ...]
    late: bool
