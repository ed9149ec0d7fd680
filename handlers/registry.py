"""The list of capability routers the assistant is built from (one place to add a module)."""

from __future__ import annotations

from handlers import admin, ask, basic, registration
from handlers.router import Router


def all_routers() -> list[Router]:
    """Every capability module's router, in registration order."""
    return [registration.router, basic.router, ask.router, admin.router]
