"""Discipline records in one router: warning talks, rectification notices, assessment
results, accountability cases, their history and deletion, and /eligible.

Where things live: talks.py (/talk, /talks), notices.py (/notice, /notices),
assessments.py (/assess, /assessments), cases.py (/case, /cases), handlers.eligibility
(/eligible) with its pure rules in eligibility/rules.py, deadlines for reminders in
notice_deadlines.py, and the shared access, dates, lists and revisions in common.py and
history.py.
"""

from __future__ import annotations

from handlers.core.router import Router
from handlers.eligibility import commands as eligibility
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
    eligibility,
):
    router.include(_module.router)
