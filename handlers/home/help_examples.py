"""/help's examples in the asker's own terms: the examples are written with a demo unit and
person (HL-ZF, 马丽娟), who are outside most people's scope; typed by a township's head they
only answered "not found". The asker's own unit and a person in it stand in for them."""

from __future__ import annotations

from handlers.core.context import Ctx
from handlers.core.domain import Role

#: The unit code and the person the written examples use.
EXAMPLE_UNIT, EXAMPLE_PERSON = "HL-ZF", "马丽娟"
#: The roles whose unit an example names first: the one a person acts over.
_ACTING = (Role.ADMIN, Role.SUPERVISOR, Role.INSPECTOR, Role.UNIT_HEAD)


async def own_examples(ctx: Ctx, lines: list[str]) -> list[str]:
    """``lines`` with the demo unit and person replaced by the asker's unit (the one they
    act over, else their own) and someone else in it (a placeholder name if nobody)."""
    if ctx.person is None:
        return lines
    me = ctx.person
    acting = [g for g in me.grants if g.role in _ACTING]
    unit = await ctx.uow.units.get(acting[0].unit_id if acting else me.unit_id)
    if unit is None:
        return lines
    # Someone in the unit, for a unit head or cadre (a unit's people are few); staff act over
    # a subtree that may hold thousands, which /help must not load: a placeholder name.
    staff = any(g.role != Role.UNIT_HEAD for g in acting)
    people = [] if staff else await ctx.uow.people.in_units([unit.path])
    others = [p for p in people if p.id != me.id]
    name = others[0].name if others else ctx._("Zhang San")
    return [line.replace(EXAMPLE_UNIT, unit.code).replace(EXAMPLE_PERSON, name) for line in lines]
