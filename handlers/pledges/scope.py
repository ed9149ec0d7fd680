"""Who may look at and act on other people's pledges, and the scope check used everywhere.

Unit principals and discipline inspectors see and act on the pledges of people in their
subtree (appraisals, early check-in permits, corrections); supervisors (the responsibility
system office) may look but not change anything. Nobody acts on their own record.
"""

from __future__ import annotations

from handlers.core.context import Ctx
from handlers.core.domain import Person, Role, Unit
from handlers.core.errors import NotFound, UserError
from handlers.org.people import person_in_scope as person_named

#: Roles that may open /unitpledges and other people's records.
VIEW_ROLES = (Role.UNIT_HEAD, Role.INSPECTOR, Role.SUPERVISOR)
#: Roles that may enter appraisals, allow early check-ins and correct locked pledges.
ACT_ROLES = (Role.UNIT_HEAD, Role.INSPECTOR)


def no_such_person(ctx: Ctx) -> NotFound:
    """The one message for a person who does not exist or lies outside the scope."""
    return NotFound(ctx._("No such person within your scope."))


async def person_in_scope(ctx: Ctx, person_id: int, *roles: Role) -> tuple[Person, Unit]:
    """The person and their unit, if the unit lies in the requester's scope for ``roles``.

    Raises the same :class:`NotFound` for unknown ids and for people outside the scope, so a
    guessed id in a button payload reveals nothing.
    """
    person = await ctx.uow.people.get(person_id)
    unit = await ctx.uow.units.get(person.unit_id) if person else None
    if person is None or unit is None or not ctx.me.can_see(unit, *roles):
        raise no_such_person(ctx)
    return person, unit


async def unit_or_person(ctx: Ctx, text: str) -> Unit | tuple[Person, Unit]:
    """The unit, or else the person (with their unit), that ``text`` names inside the
    viewer's scope: /unitpledges 何静 and 何静承诺了吗 show her record (a head asking about
    someone of another unit had been shown his own unit's list)."""
    try:
        return await ctx.unit_in_scope(text, *VIEW_ROLES)
    except NotFound as no_unit:
        if no_unit.buttons:  # several units match: the choice stands
            raise
    try:
        person = await person_named(ctx, text, *VIEW_ROLES)
    except NotFound:
        raise NotFound(
            ctx._("No person or unit “{text}” found within your scope.", text=text.strip()[:40])
        ) from None
    return await person_in_scope(ctx, person.id, *VIEW_ROLES)


def refuse_self(ctx: Ctx, person: Person) -> None:
    """Appraising, permitting or correcting one's own pledge would be a conflict of interest."""
    if person.id == ctx.me.id:
        raise UserError(
            ctx._("You cannot do this for your own pledge; it has to be done by someone above you.")
        )
