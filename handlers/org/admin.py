"""Administration in the chat: invitation codes (``/invite UNIT ROLE [NAME]``)."""

from __future__ import annotations

from handlers.core.context import Ctx
from handlers.core.domain import Role
from handlers.core.errors import UserError
from handlers.core.i18n import N_
from handlers.core.router import Router
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
