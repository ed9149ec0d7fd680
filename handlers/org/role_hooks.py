"""What other capabilities do when an administrator gives someone a role.

A new unit principal inherits the unit's open rectification notices (whoever holds the role
answers them), yet nothing told him they exist: the notices were announced to the principal
of the day they were issued. The records are a sibling capability that org cannot import,
so the registry plugs its listener into :data:`ROLE_GRANTED` when the assistant is assembled.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from handlers.core.context import Ctx
from handlers.core.domain import Person, Role, Unit

#: Called after a role is stored, within the same request (and transaction).
RoleListener = Callable[[Ctx, Person, Role, Unit], Awaitable[None]]


@dataclass
class RoleGrantedHook:
    """The listeners the registry plugs in (none: granting a role only stores it)."""

    listeners: list[RoleListener] = field(default_factory=list)

    async def fire(self, ctx: Ctx, person: Person, role: Role, unit: Unit) -> None:
        """Tell every listener that ``person`` now holds ``role`` over ``unit``."""
        for listener in self.listeners:
            await listener(ctx, person, role, unit)


#: Plugged in by handlers/registry.py.
ROLE_GRANTED = RoleGrantedHook()
