"""The integrity-pledge capability (廉洁自律承诺制), assembled from its parts.

Where things live:

* ``pledge_form``      /pledge — make or edit the year's pledge (guided form)
* ``pledge_fix``       corrections of locked pledges, kept as revisions
* ``pledge_checkin``   /checkin — which report is possible now; starts the form
* ``pledge_checkin_form`` the item-by-item check-in form (status, explanation, evidence)
* ``pledge_appraisal`` /appraise — mass appraisal and organisational assessment
* ``pledge_views``     /mypledge and /unitpledges
* ``pledge_status``    core queries: must_pledge, pending_pledges, pending_checkins, …
* ``pledge_calendar``  check-in windows, lateness and early permits
* ``pledge_scope``     who may see and act on other people's pledges
* ``pledge_text``      translated names and record rendering
"""

from __future__ import annotations

from handlers.core.router import Router
from handlers.pledges import appraisal as pledge_appraisal
from handlers.pledges import checkin as pledge_checkin
from handlers.pledges import fix as pledge_fix
from handlers.pledges import form as pledge_form
from handlers.pledges import views as pledge_views
from handlers.pledges.status import pending_checkins, pending_pledges

router = Router()
for _part in (pledge_form, pledge_fix, pledge_checkin, pledge_appraisal, pledge_views):
    router.include(_part.router)

__all__ = ["pending_checkins", "pending_pledges", "router"]
