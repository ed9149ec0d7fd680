"""The list of capability routers the assistant is built from (one place to add a module)."""

from __future__ import annotations

from handlers import admin, ask, basic, digest, pledge, quiz, records, registration, reminders
from handlers import calendar as calendar_cmd
from handlers import summary as summary_cmd
from handlers.router import Router


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
