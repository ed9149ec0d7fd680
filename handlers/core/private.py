"""Commands answered in a private chat only, declared once per module.

Most capability modules register several commands that share their access: the same roles,
and never in a group (they show personal records, open forms or send documents). Binding
the router and the roles once spares each command repeating them; a command still names
itself, its help text and its place in /help.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from handlers.core.domain import Role
from handlers.core.router import Handler, Router

Decorator = Callable[[Handler], Handler]


class PrivateCommand(Protocol):
    """Registers a command of a private chat: ``@command("mypledge", N_("…"), order=22)``."""

    def __call__(self, name: str, help: str, order: int = 100) -> Decorator:
        """The decorator registering the handler as command ``name``."""
        ...


def private_commands(router: Router, roles: tuple[Role, ...] = ()) -> PrivateCommand:
    """A decorator factory ``command(name, help, order=…)`` registering on ``router`` a
    command for ``roles`` (empty: every registered person), in a private chat only."""

    def command(name: str, help: str, order: int = 100) -> Decorator:
        return router.command(name, help, roles=roles, private_only=True, order=order)

    return command
