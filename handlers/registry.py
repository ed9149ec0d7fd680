"""The list of capability routers the assistant is built from (one place to add a module)."""

from __future__ import annotations

from handlers.calendar import commands as calendar_cmd
from handlers.core.router import Router
from handlers.digest import commands as digest
from handlers.home import commands as basic
from handlers.org import admin, registration
from handlers.pledges import commands as pledge
from handlers.qa import ask
from handlers.quiz import commands as quiz
from handlers.records import commands as records
from handlers.reminders import commands as reminders
from handlers.summary import commands as summary_cmd


def all_routers() -> list[Router]:
    """Every capability module's router, in registration order."""
    return [
        registration.router,
        basic.router,
        ask.router,
        admin.router,
        pledge.router,
        records.router,
        reminders.router,
        calendar_cmd.router,
        quiz.router,
        summary_cmd.router,
        digest.router,
    ]
