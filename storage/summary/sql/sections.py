"""Every section of the summary figures, in the order the statements stack them."""

from __future__ import annotations

from typing import Any

from storage.summary.sql import people, pledges, records
from storage.summary.sql.rows import (
    SEC_ASSESS,
    SEC_CASES,
    SEC_ELIGIBLE,
    SEC_NOTICES,
    SEC_TALKS,
    Build,
)
from storage.summary.sql.scope import AnyQuery, Grain, Scope


def sections(
    q: AnyQuery, scope: Scope, case_kinds: Any, grain: Grain | None = None
) -> list[tuple[int, Any]]:
    """(section id, per-unit SELECT) for every section; the names of a section's values are
    in :data:`storage.summary.sql.rows.SECTION_NAMES`.

    With ``grain`` (snapshot mode), every row is also keyed by its grain and the quiz
    section is left out: a participant's best score is not a sum over months, so the
    snapshot computes it per period itself.
    """
    b = Build(q, scope, grain)
    return [
        (SEC_ASSESS, records.assessments(b)),
        (SEC_CASES, records.cases(b, case_kinds)),
        (SEC_TALKS, records.talks(b)),
        (SEC_NOTICES, records.notices(b)),
        *pledges.pledges(b),
        (SEC_ELIGIBLE, people.eligible(b)),
        *people.reminders_and_quiz(b),
    ]
