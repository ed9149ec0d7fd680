"""Exceptions the core raises to talk to the person, not to crash."""

from __future__ import annotations

from handlers.core.types import Keyboard


class UserError(Exception):
    """Bad input or a forbidden action: the message (already translated) goes to the person.

    The request's transaction is rolled back, so nothing is half-written. ``buttons`` may
    offer ways out (such as the choices of an ambiguous name).
    """

    def __init__(self, message: str, buttons: Keyboard = ()) -> None:
        super().__init__(message)
        self.message = message
        self.buttons = buttons


class NotFound(UserError):
    """Something the person asked for does not exist, or is outside their scope.

    Both cases deliberately produce the same message so that nothing leaks.
    """


class Conflict(Exception):
    """Storage refused a write that collides with one made meanwhile (a unique constraint).

    The assistant rolls the request back and asks the person to look again.
    """


class Unavailable(Exception):
    """The database cannot be reached right now (connection refused, dropped or locked).

    Storage translates its driver's connection errors into this, so the core can tell the
    person to try again without knowing anything about SQL drivers. The request's
    transaction never committed, so nothing of it was written.
    """
