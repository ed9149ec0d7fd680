"""Discipline records in one router: warning talks, rectification notices, assessment
results, accountability cases and the people handled in them, their history and deletion.

Where things live: one module a kind — talks.py (/talk, /talks), notices.py (/notice,
/notices), assessments.py (/assess, /assessments), cases.py (/case, /cases), handlings.py
(a person in a case) — with their own steps and actions beside them (talk_follow_up.py,
notice_reports.py, assessment_steps.py, handling_steps.py, handling_revoke.py); the generic
engine in kind.py, engine.py, lists.py and history.py; the shared access, people and
revisions in common.py, typed dates and texts in inputs.py, form steps in steps.py;
deadlines for reminders in notice_deadlines.py. /eligible is handlers.eligibility's (a layer
above: it reads these records).
"""

from __future__ import annotations

from handlers.core.router import Router
from handlers.records import assessments as records_assess
from handlers.records import cases as records_cases
from handlers.records import handlings as records_handlings
from handlers.records import history as records_history
from handlers.records import notices as records_notices
from handlers.records import talks as records_talks

router = Router()
for _module in (
    records_history,
    records_talks,
    records_notices,
    records_assess,
    records_cases,
    records_handlings,
):
    router.include(_module.router)
