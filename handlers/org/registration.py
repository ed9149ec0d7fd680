"""Registration by invitation code: ``/start CODE`` (also reached through a deep link)."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from handlers.core.context import Ctx
from handlers.core.domain import Invitation, NewPerson, Person, Role, Unit
from handlers.core.errors import UserError
from handlers.core.i18n import N_
from handlers.core.parsing import clean_display_name
from handlers.core.ports import UnitOfWork
from handlers.core.router import Router
from handlers.org.roles import role_name

router = Router()

# No 0/O/1/I/L: codes are read aloud and typed on phones.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 10
#: The longest name an invitation carries (/invite in the chat, ``invite create``).
MAX_INVITED_NAME = 100


def new_code() -> str:
    """A random invitation code."""
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


async def create_invitation(
    uow: UnitOfWork,
    unit: Unit,
    role: Role,
    now: datetime,
    ttl_days: int,
    name: str = "",
    person_id: int | None = None,
) -> Invitation:
    """Store a new single-use invitation bound to ``unit`` and ``role``."""
    invitation = Invitation(
        code=new_code(),
        unit_id=unit.id,
        role=role,
        expires_at=now + timedelta(days=ttl_days),
        name=clean_display_name(name),
        person_id=person_id,
    )
    await uow.invitations.add(invitation)
    return invitation


def normalise_code(text: str) -> str:
    """Codes are case-insensitive and may be typed with spaces or dashes."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


@router.command("start", N_("Register with an invitation code, or show the welcome"), order=0)
async def start(ctx: Ctx) -> None:
    """``/start [CODE]``: register a stranger, or greet a registered person."""
    if ctx.person is not None and ctx.person.active:
        lines = [
            ctx._("Welcome back, {name}. Send /help to see what I can do.", name=ctx.person.name)
        ]
        if normalise_code(ctx.req.args):
            # The code is left unused rather than silently dropped: say so.
            lines.append(
                ctx._(
                    "You are already registered, so the invitation code was not used. An administrator can add a role to your registration."
                )
            )
        ctx.reply("\n".join(lines))
        return
    code = normalise_code(ctx.req.args)
    if not code:
        ctx.reply(
            ctx._(
                "Sorry, this assistant is available to invited users only. Please contact your unit's administrator for an invitation."
            )
        )
        return
    person = await redeem(ctx, code)
    unit = await ctx.uow.units.get(person.unit_id)
    roles = ctx.t.join(role_name(ctx.t, g.role) for g in person.grants)
    ctx.reply(
        ctx._(
            "Welcome, {name}! You are registered in {unit} as {roles}.\nSend /help to see what I can do, or simply type a question about the rules.",
            name=person.name,
            unit=unit.name if unit else "",
            roles=roles,
        )
    )


async def redeem(ctx: Ctx, code: str) -> Person:
    """Consume an invitation for the requesting Telegram account; raises on a bad code."""
    bad = UserError(
        ctx._(
            "This invitation code is invalid or has expired. Please ask your administrator for a new one."
        )
    )
    if ctx.person is not None and not ctx.person.active:
        raise UserError(
            ctx._(
                "Sorry, this assistant is available to invited users only. Please contact your unit's administrator for an invitation."
            )
        )
    invitation = await ctx.uow.invitations.get_for_update(code)
    if invitation is None or invitation.used_at is not None or invitation.expires_at <= ctx.now:
        raise bad
    people = ctx.uow.people
    if invitation.person_id is not None:
        existing = await people.get(invitation.person_id)
        if existing is None or existing.telegram_user_id not in (None, ctx.req.user_id):
            raise bad
        await people.bind_telegram(existing.id, ctx.req.user_id)
        person_id = existing.id
    else:
        name = (
            invitation.name
            or clean_display_name(ctx.req.display_name)[:100]
            or f"user{ctx.req.user_id}"
        )
        created = await people.add(
            NewPerson(
                name=name,
                unit_id=invitation.unit_id,
                telegram_user_id=ctx.req.user_id,
                language=ctx.t.language,
                listed_at=ctx.now,
            )
        )
        person_id = created.id
    await people.grant(person_id, invitation.role, invitation.unit_id)
    if not await ctx.uow.invitations.mark_used(code, person_id, ctx.now):
        raise bad  # someone redeemed it concurrently; our transaction rolls back
    person = await people.get(person_id)
    assert person is not None
    ctx.person = person
    await ctx.audit(
        "person.registered", "person", person.id, invitation.unit_id, role=invitation.role.value
    )
    return person
