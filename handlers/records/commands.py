"""Discipline records in one router: warning talks, rectification notices, assessment
results, accountability cases, their history and deletion, and /eligible.

Where things live: records_talks.py (/talk, /talks), records_notices.py (/notice, /notices),
records_assess.py (/assess, /assessments), records_cases.py (/case, /cases),
eligibility.py (/eligible) with the pure rules in eligibility_rules.py, deadlines for
reminders in notice_deadlines.py, and the shared access, dates, lists and revisions in
records_common.py and records_history.py.
"""

from __future__ import annotations

from handlers import (
    eligibility,
    records_assess,
    records_cases,
    records_history,
    records_notices,
    records_talks,
)
from handlers.router import Router

router = Router()
for _module in (
    records_history,
    records_talks,
    records_notices,
    records_assess,
    records_cases,
    eligibility,
):
    router.include(_module.router)
