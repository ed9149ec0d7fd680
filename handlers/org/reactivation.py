"""``/reactivate NAME|P-NUMBER``: bring back a person deactivated by mistake or who returned.

A deactivated person keeps every record; reactivating the same person (rather than inviting
a namesake, which makes a second person) puts those records and the roles still held back
in use. The same people may do it as may deactivate: administrators within their scope
(not themselves), a unit head for a cadre of the unit they head. Nothing changes until the
confirmation is pressed or typed (好的 / 是).
"""

from __future__ import annotations

from handlers.core.context import Ctx
from handlers.core.domain import Person, Role
from handlers.core.errors import NotFound, UserError
from handlers.core.i18n import N_
from handlers.core.router import Router
from handlers.core.yes_no import ask_yes_no
from handlers.org.people import activation_refusal, person_query, which_person

router = Router()
PREFIX = "rea"
#: Who may reactivate (the same as who may deactivate).
ROLES = (Role.ADMIN, Role.UNIT_HEAD)


@router.command(
    "reactivate",
    N_("Reactivate a person deactivated before: /reactivate NAME|P-NUMBER"),
    roles=ROLES,
    private_only=True,
    order=91,
)
async def reactivate(ctx: Ctx) -> None:
    """Ask to confirm reactivating one deactivated person of the asker's scope."""
    text = person_query(ctx, ctx.req.args)
    if not text:
        raise UserError(ctx._("Usage: /reactivate NAME or /reactivate P-NUMBER"))
    paths = ctx.me.scope_paths(*ROLES)
    found = await ctx.uow.people.find_deactivated(text, paths)
    exact = [p for p in found if p.name == text or str(p.id) == text]
    chosen = exact if len(exact) == 1 else found
    if not chosen:
        active = await ctx.uow.people.find(text, paths)
        named = [p for p in active if p.name == text or str(p.id) == text]
        if named:
            # By name, also when typed as a number (P18 → 何静).
            raise UserError(ctx._("{name} is active; nothing to reactivate.", name=named[0].name))
        typed = ctx.req.args.strip()  # as typed: P18, not the bare number
        raise NotFound(
            ctx._("No deactivated person “{text}” found within your scope.", text=typed[:40])
        )
    if len(chosen) > 1:
        raise await which_person(ctx, text, chosen)
    person = chosen[0]
    await _check_may_reactivate(ctx, person)
    unit = await ctx.uow.units.get(person.unit_id)
    await ask_yes_no(
        ctx,
        ctx._(
            "Reactivate {name} ({unit}, P{id})? They will be answered and reminded again, with their records and roles as they were.",
            name=person.name,
            unit=unit.name if unit else "—",
            id=person.id,
        ),
        (ctx._("Yes, reactivate"), f"{PREFIX}:yes:{person.id}"),
        (ctx._("No, keep deactivated"), f"{PREFIX}:no:{person.id}"),
    )


async def _check_may_reactivate(ctx: Ctx, person: Person) -> None:
    """Administrators within their scope (not themselves); a unit head a cadre of the unit
    they head."""
    refusal = await activation_refusal(ctx, person)
    if refusal == "self":
        raise UserError(ctx._("You cannot reactivate yourself."))
    if refusal == "head":
        raise UserError(
            ctx._(
                "A unit head may reactivate only the cadres of their own unit; ask an administrator to reactivate {name}.",
                name=person.name,
            )
        )


@router.button(PREFIX, roles=ROLES, private_only=True)
async def reactivate_button(ctx: Ctx, args: list[str]) -> None:
    """``rea:yes:ID`` and ``rea:no:ID``; the scope and the rules are checked again."""
    action = args[0] if args else ""
    if action not in ("yes", "no") or len(args) < 2 or not args[1].isdecimal():
        raise NotFound(ctx._("That button is no longer valid."))
    person = await ctx.uow.people.get(int(args[1]))
    unit = await ctx.uow.units.get(person.unit_id) if person else None
    if person is None or unit is None or not ctx.me.can_see(unit, *ROLES):
        raise NotFound(ctx._("No person “{text}” found within your scope.", text=f"P{args[1]}"))
    if action == "no":
        ctx.reply(ctx._("Nothing changed: {name} stays deactivated.", name=person.name), edit=True)
        return
    if person.active:
        ctx.reply(ctx._("{name} is active; nothing to reactivate.", name=person.name), edit=True)
        return
    await _check_may_reactivate(ctx, person)
    await ctx.uow.people.set_active(person.id, True)
    await ctx.audit("person.reactivated", "person", person.id, person.unit_id)
    ctx.reply(
        ctx._(
            "{name} is active again: the assistant answers them and sends them reminders, and their records are in use again.",
            name=person.name,
        ),
        edit=True,
    )
