"""Roles of registered people, by administrators: ``/grant NAME ROLE UNIT`` gives one (a
cadre made unit head, a registered person who needs a second role) and ``/revoke NAME ROLE
UNIT`` takes one back. Both are asked first and change nothing until confirmed: a role taken
by a slip could leave a person with no role and no way back in through the chat.
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers.core.context import Ctx
from handlers.core.domain import Person, Role, Unit
from handlers.core.errors import NotFound, UserError
from handlers.core.i18n import N_
from handlers.core.private import private_commands
from handlers.core.router import Router
from handlers.core.yes_no import ask_yes_no
from handlers.org.admin import role_at, role_or_refuse
from handlers.org.people import person_in_scope
from handlers.org.role_hooks import ROLE_GRANTED
from handlers.org.roles import role_name

router = Router()
admin_command = private_commands(router, (Role.ADMIN,))
PREFIX = "rol"


@dataclass(frozen=True)
class RoleChange:
    """One role of one person over one unit, as a command names it."""

    person: Person
    role: Role
    unit: Unit


async def _read(ctx: Ctx, usage: str) -> RoleChange:
    """``NAME|P-NUMBER ROLE UNIT``: the unit is the last word, the role the words before it
    (unit principal), the name what is left (John Smith); all inside the admin's scope."""
    words = ctx.req.args.split()
    if len(words) < 3:
        raise UserError(usage)
    found = role_at(words, -1, len(words) - 1)
    if found is None:
        role_or_refuse(ctx, words[-2])  # says which roles there are
    if found is None or found[1] == 0:
        raise UserError(usage)
    person = await person_in_scope(ctx, " ".join(words[: found[1]]), Role.ADMIN)
    unit = await ctx.unit_in_scope(words[-1], Role.ADMIN)
    return RoleChange(person, found[0], unit)


def _holds(change: RoleChange) -> bool:
    return any(g.role == change.role and g.unit_id == change.unit.id for g in change.person.grants)


def _names(ctx: Ctx, change: RoleChange) -> dict[str, str]:
    return {
        "name": change.person.name,
        "role": role_name(ctx.t, change.role),
        "unit": change.unit.name,
    }


def _payload(action: str, change: RoleChange) -> str:
    return f"{PREFIX}:{action}:{change.person.id}:{change.role.value}:{change.unit.id}"


@admin_command(
    "grant", N_("Give a registered person a role: /grant NAME|P-NUMBER ROLE UNIT"), order=92
)
async def grant(ctx: Ctx) -> None:
    """Ask to confirm giving a role (nothing changes until the button is pressed)."""
    change = await _read(ctx, ctx._("Usage: /grant NAME|P-NUMBER ROLE UNIT"))
    if _holds(change):
        raise UserError(ctx._("{name} already holds {role} over {unit}.", **_names(ctx, change)))
    question = ctx._("Give {name} the role {role} over {unit}?", **_names(ctx, change))
    if change.role == Role.UNIT_HEAD:
        # A unit has one principal: a second one had been granted without a word, and the
        # unit's notices still named the first.
        holders = await ctx.uow.people.holders_over(change.unit.path, Role.UNIT_HEAD)
        current = [
            p.name
            for p in holders
            if p.id != change.person.id
            and any(g.role == Role.UNIT_HEAD and g.unit_id == change.unit.id for g in p.grants)
        ]
        if current:
            question += "\n⚠️ " + ctx._(
                "{names} is already the principal of {unit}. If {name} replaces them, take the role back from them with /revoke afterwards.",
                names=ctx.t.join(current),
                unit=change.unit.name,
                name=change.person.name,
            )
    await ask_yes_no(
        ctx,
        question,
        (ctx._("Yes, give it"), _payload("g", change)),
        (ctx._("No, leave it as it is"), f"{PREFIX}:no"),
    )


@admin_command("revoke", N_("Take back a role: /revoke NAME|P-NUMBER ROLE UNIT"), order=92)
async def revoke(ctx: Ctx) -> None:
    """Ask to confirm taking back a role; a person's last role is said to be the last."""
    change = await _read(ctx, ctx._("Usage: /revoke NAME|P-NUMBER ROLE UNIT"))
    _check_may_revoke(ctx, change)
    question = ctx._("Take back {role} over {unit} from {name}?", **_names(ctx, change))
    if len(change.person.grants) == 1:
        question += "\n" + ctx._(
            "⚠️ It is their only role: they will be able to do nothing until given another with /grant."
        )
    await ask_yes_no(
        ctx,
        question,
        (ctx._("Yes, take it back"), _payload("r", change)),
        (ctx._("No, leave it as it is"), f"{PREFIX}:no"),
    )


def _check_may_revoke(ctx: Ctx, change: RoleChange) -> None:
    if change.person.id == ctx.me.id and change.role == Role.ADMIN:
        raise UserError(ctx._("You cannot take your own administrator role."))
    if not _holds(change):
        raise UserError(ctx._("{name} does not hold {role} over {unit}.", **_names(ctx, change)))


@router.button(PREFIX, roles=(Role.ADMIN,), private_only=True)
async def role_button(ctx: Ctx, args: list[str]) -> None:
    """``rol:g|r:PERSON:ROLE:UNIT`` and ``rol:no``; the scope and the holding are checked
    again (another administrator may have changed them meanwhile)."""
    if args[:1] == ["no"]:
        ctx.reply(ctx._("Nothing changed."), edit=True)
        return
    change = await _from_payload(ctx, args)
    if args[0] == "g":
        if not await ctx.uow.people.grant(change.person.id, change.role, change.unit.id):
            raise UserError(
                ctx._("{name} already holds {role} over {unit}.", **_names(ctx, change))
            )
        await ctx.audit(
            "role.granted", "person", change.person.id, change.unit.id, role=change.role.value
        )
        await ROLE_GRANTED.fire(ctx, change.person, change.role, change.unit)
        ctx.reply(ctx._("{name} now holds {role} over {unit}.", **_names(ctx, change)), edit=True)
        return
    _check_may_revoke(ctx, change)
    await ctx.uow.people.revoke(change.person.id, change.role, change.unit.id)
    await ctx.audit(
        "role.revoked", "person", change.person.id, change.unit.id, role=change.role.value
    )
    ctx.reply(ctx._("{name} no longer holds {role} over {unit}.", **_names(ctx, change)), edit=True)


async def _from_payload(ctx: Ctx, args: list[str]) -> RoleChange:
    """The change a button names, or "no longer valid" for a forged or stale one."""
    stale = NotFound(ctx._("That button is no longer valid."))
    if len(args) != 4 or args[0] not in ("g", "r") or not args[1].isdecimal():
        raise stale
    if not args[3].isdecimal() or args[2] not in {r.value for r in Role}:
        raise stale
    person = await ctx.uow.people.get(int(args[1]))
    unit = await ctx.uow.units.get(int(args[3]))
    if person is None or unit is None or not person.active:
        raise stale
    home = await ctx.uow.units.get(person.unit_id)
    if home is None or not (ctx.me.can_see(unit, Role.ADMIN) and ctx.me.can_see(home, Role.ADMIN)):
        raise stale
    return RoleChange(person, Role(args[2]), unit)
