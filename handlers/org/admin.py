"""Administration in the chat: invitation codes (``/invite UNIT ROLE [NAME]``), deactivating a
person who has left (``/deactivate``) and taking back a role (``/revoke``)."""

from __future__ import annotations

from handlers.core.context import Ctx
from handlers.core.domain import Role
from handlers.core.errors import UserError
from handlers.core.i18n import N_
from handlers.core.router import Router
from handlers.org.people import person_in_scope
from handlers.org.registration import create_invitation
from handlers.org.roles import role_name

router = Router()


def parse_role(text: str) -> Role | None:
    """Accept the CLI names (``unit_head``) and the Chinese names people type."""
    aliases = {
        "cadre": Role.CADRE, "干部": Role.CADRE, "领导干部": Role.CADRE,
        "unit_head": Role.UNIT_HEAD, "一把手": Role.UNIT_HEAD, "主要负责人": Role.UNIT_HEAD,
        "inspector": Role.INSPECTOR, "纪检": Role.INSPECTOR, "纪检监察干部": Role.INSPECTOR,
        "supervisor": Role.SUPERVISOR, "督查": Role.SUPERVISOR, "领导小组办公室": Role.SUPERVISOR,
        "admin": Role.ADMIN, "管理员": Role.ADMIN,
    }  # fmt: skip
    return aliases.get(text.strip().lower())


@router.command(
    "invite",
    N_("Create an invitation code: /invite UNIT ROLE [NAME]"),
    roles=(Role.ADMIN,),
    private_only=True,
    order=90,
)
async def invite(ctx: Ctx) -> None:
    """Create a single-use invitation inside the administrator's scope."""
    parts = ctx.req.args.split(maxsplit=2)
    if len(parts) < 2:
        roles = ", ".join(r.value for r in Role)
        raise UserError(ctx._("Usage: /invite UNIT ROLE [NAME]\nRoles: {roles}", roles=roles))
    unit = await ctx.unit_in_scope(parts[0], Role.ADMIN)
    role = parse_role(parts[1])
    if role is None:
        roles = ", ".join(r.value for r in Role)
        raise UserError(
            ctx._("Unknown role “{role}”. Roles: {roles}", role=parts[1][:32], roles=roles)
        )
    name = parts[2] if len(parts) > 2 else ""
    if len(name) > 100:
        raise UserError(ctx._("That is too long (at most {n} characters).", n=100))
    cfg = ctx.services.config
    invitation = await create_invitation(ctx.uow, unit, role, ctx.now, cfg.invite_ttl_days, name)
    await ctx.audit(
        "invitation.created", "invitation", invitation.code[:3] + "…", unit.id, role=role.value
    )
    expires = invitation.expires_at.astimezone(cfg.timezone).strftime("%Y-%m-%d %H:%M")
    link = f"\nhttps://t.me/{cfg.bot_username}?start={invitation.code}" if cfg.bot_username else ""
    ctx.reply(
        ctx._(
            "Invitation for {unit}, role {role}{name}. Valid until {expires}, single use:\n{code}{link}",
            unit=unit.name,
            role=role_name(ctx.t, role),
            name=f"（{name}）" if name else "",
            expires=expires,
            code=invitation.code,
            link=link,
        )
    )


@router.command(
    "deactivate",
    N_("Deactivate a person who has left: /deactivate NAME|#ID"),
    roles=(Role.ADMIN,),
    private_only=True,
    order=91,
)
async def deactivate(ctx: Ctx) -> None:
    """Deactivate a person: refused at once on every front end, no more reminders; their
    records stay."""
    if not ctx.req.args.strip():
        raise UserError(ctx._("Usage: /deactivate NAME or /deactivate #ID"))
    person = await person_in_scope(ctx, ctx.req.args, Role.ADMIN)
    if person.id == ctx.me.id:
        raise UserError(ctx._("You cannot deactivate yourself."))
    await ctx.uow.people.set_active(person.id, False)
    await ctx.audit("person.deactivated", "person", person.id, person.unit_id)
    ctx.reply(
        ctx._(
            "{name} is deactivated: the assistant no longer answers them or sends them reminders. Their records stay.",
            name=person.name,
        )
    )


@router.command(
    "revoke",
    N_("Take back a role: /revoke NAME|#ID ROLE UNIT"),
    roles=(Role.ADMIN,),
    private_only=True,
    order=92,
)
async def revoke(ctx: Ctx) -> None:
    """Remove one role a person holds over one unit (both inside the admin's scope)."""
    parts = ctx.req.args.split()
    if len(parts) != 3:
        raise UserError(ctx._("Usage: /revoke NAME|#ID ROLE UNIT"))
    person = await person_in_scope(ctx, parts[0], Role.ADMIN)
    role = parse_role(parts[1])
    if role is None:
        roles = ", ".join(r.value for r in Role)
        raise UserError(
            ctx._("Unknown role “{role}”. Roles: {roles}", role=parts[1][:32], roles=roles)
        )
    unit = await ctx.unit_in_scope(parts[2], Role.ADMIN)
    if person.id == ctx.me.id and role == Role.ADMIN:
        raise UserError(ctx._("You cannot take your own administrator role."))
    if not await ctx.uow.people.revoke(person.id, role, unit.id):
        raise UserError(
            ctx._(
                "{name} does not hold {role} over {unit}.",
                name=person.name,
                role=role_name(ctx.t, role),
                unit=unit.name,
            )
        )
    await ctx.audit("role.revoked", "person", person.id, unit.id, role=role.value)
    ctx.reply(
        ctx._(
            "{name} no longer holds {role} over {unit}.",
            name=person.name,
            role=role_name(ctx.t, role),
            unit=unit.name,
        )
    )
