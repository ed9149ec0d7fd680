"""Administration in the chat: invitation codes (``/invite UNIT ROLE [NAME]``, ``/invites``
to list and cancel unused ones) and deactivating a person who has left (``/deactivate``,
also by a unit head for a cadre of their own unit). Roles of registered people are given and
taken back in :mod:`handlers.org.role_admin`."""

from __future__ import annotations

from handlers.core.context import Ctx, button, rows
from handlers.core.domain import Invitation, Person, Role, Unit
from handlers.core.errors import NotFound, UserError
from handlers.core.i18n import N_, translator
from handlers.core.private import private_commands
from handlers.core.router import Router
from handlers.core.spreadsheet import to_xlsx
from handlers.core.types import DocumentReply
from handlers.core.yes_no import ask_yes_no
from handlers.org.exporting import organisation_sheets
from handlers.org.people import activation_refusal, person_in_scope, person_query
from handlers.org.registration import MAX_INVITED_NAME, create_invitation, normalise_code
from handlers.org.roles import ROLE_ALIASES, role_name

router = Router()
#: Most of these commands are for administrators, in a private chat.
admin_command = private_commands(router, (Role.ADMIN,))
PREFIX = "adm"
#: At most this many open invitations are listed (each with its cancel button).
INVITES_SHOWN = 20
#: The role names typed here: an import file's, and the leading group's office for a
#: supervisor (which the import does not take).
TYPED_ROLES = ROLE_ALIASES | {
    "领导小组办公室": Role.SUPERVISOR,
    # English as people type it (the shown names, "leading cadre", are read below too).
    "cadres": Role.CADRE,
    "unit head": Role.UNIT_HEAD,
    "head": Role.UNIT_HEAD,
    "principal": Role.UNIT_HEAD,
    "inspectors": Role.INSPECTOR,
    "supervisors": Role.SUPERVISOR,
    "administrator": Role.ADMIN,
}
#: A role's name runs to at most this many words ("discipline inspector", "unit principal").
MAX_ROLE_WORDS = 3


def parse_role(text: str) -> Role | None:
    """Accept the CLI names (``unit_head``), the Chinese names people type, and each role's
    name as the bot shows it in either language (单位一把手, discipline inspector)."""
    key = text.strip().lower()
    role = TYPED_ROLES.get(key)
    if role is not None:
        return role
    shown = {role_name(translator(lang), r).lower(): r for lang in ("zh_CN", "en") for r in Role}
    return shown.get(key)


def role_at(words: list[str], start: int, end: int) -> tuple[Role, int, int] | None:
    """The role named by the longest run of words (up to MAX_ROLE_WORDS) that starts at
    ``start`` (``end`` = -1) or ends at ``end`` (``start`` = -1): (role, first, last + 1)."""
    for n in range(MAX_ROLE_WORDS, 0, -1):
        first = start if start >= 0 else end - n
        last = first + n
        if first < 0 or last > len(words):
            continue
        role = parse_role(" ".join(words[first:last]))
        if role is not None:
            return role, first, last
    return None


def role_list(ctx: Ctx) -> str:
    """The roles as this person sees them, for usage and error messages."""
    return ctx.t.join(role_name(ctx.t, r) for r in Role)


def role_or_refuse(ctx: Ctx, text: str) -> Role:
    """The role named by ``text``, or a message listing the roles there are."""
    role = parse_role(text)
    if role is None:
        raise UserError(
            ctx._("Unknown role “{role}”. Roles: {roles}", role=text[:32], roles=role_list(ctx))
        )
    return role


@admin_command("invite", N_("Create an invitation code: /invite UNIT ROLE [NAME]"), order=90)
async def invite(ctx: Ctx) -> None:
    """Create a single-use invitation inside the administrator's scope."""
    words = ctx.req.args.split()
    if len(words) < 2:
        raise UserError(
            ctx._("Usage: /invite UNIT ROLE [NAME]\nRoles: {roles}", roles=role_list(ctx))
        )
    unit = await ctx.unit_in_scope(words[0], Role.ADMIN)
    # The role may be several words (unit principal); the name is what follows it.
    found = role_at(words, 1, -1)
    role = found[0] if found else role_or_refuse(ctx, words[1])
    name = " ".join(words[found[2] if found else 2 :])
    if len(name) > MAX_INVITED_NAME:
        raise UserError(ctx._("That is too long (at most {n} characters).", n=MAX_INVITED_NAME))
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
            name=ctx.t.aside("", name) if name else "",
            expires=expires,
            code=invitation.code,
            link=link,
        )
    )
    if name:
        await _warn_namesakes(ctx, unit, name)


async def _warn_namesakes(ctx: Ctx, unit: Unit, name: str) -> None:
    """Say when the invited name is already listed in the unit: registering the code makes a
    second person, whose eligibility check does not see the first one's records."""
    for person in await ctx.uow.people.named_in_unit(name, unit.id):
        ctx.reply(
            "⚠️ "
            + (
                ctx._(
                    "{name} is already listed in {unit} (P{id}): registering this code makes a second person of that name.",
                    name=name,
                    unit=unit.name,
                    id=person.id,
                )
                if person.active
                else ctx._(
                    "{name} was listed in {unit} (P{id}) and deactivated; registering this code makes a new person, and the old records (sanctions, talks) stay with P{id}.",
                    name=name,
                    unit=unit.name,
                    id=person.id,
                )
            )
        )


@admin_command("invites", N_("Unused invitation codes, to cancel one: /invites"), order=90)
async def invites(ctx: Ctx) -> None:
    """List the unused, unexpired invitations in the administrator's scope, each with a
    cancel button."""
    found = await ctx.uow.invitations.open_in(ctx.me.scope_paths(Role.ADMIN), ctx.now)
    if not found:
        ctx.reply(ctx._("No unused invitation codes."))
        return
    lines, keyboard = [], []
    for inv in found[:INVITES_SHOWN]:
        lines.append(await _invitation_line(ctx, inv))
        keyboard.append(
            [button(ctx._("Cancel {code}", code=inv.code), f"{PREFIX}:uninv:{inv.code}")]
        )
    more = len(found) - INVITES_SHOWN
    tail = "\n" + ctx._("…and {n} more.", n=more) if more > 0 else ""
    header = ctx._("Unused invitation codes ({n}):", n=len(found))
    ctx.reply(header + "\n" + "\n".join(lines) + tail, rows(*keyboard))


async def _invitation_line(ctx: Ctx, inv: Invitation) -> str:
    unit = await ctx.uow.units.get(inv.unit_id)
    expires = inv.expires_at.astimezone(ctx.services.config.timezone).strftime("%Y-%m-%d")
    name = ctx.t.aside("", inv.name) if inv.name else ""
    return ctx._(
        "{code} · {unit} · {role}{name} · valid until {expires}",
        code=inv.code,
        unit=unit.name if unit else "—",
        role=role_name(ctx.t, inv.role),
        name=name,
        expires=expires,
    )


@admin_command("uninvite", N_("Cancel an unused invitation code: /uninvite CODE"), order=90)
async def uninvite(ctx: Ctx) -> None:
    """Cancel one unused invitation by its code (typed with or without spaces/dashes)."""
    code = normalise_code(ctx.req.args)
    if not code:
        raise UserError(ctx._("Usage: /uninvite CODE (see /invites)"))
    await _cancel_invitation(ctx, code)


async def _cancel_invitation(ctx: Ctx, code: str) -> None:
    inv = await ctx.uow.invitations.get_for_update(code)
    unit = await ctx.uow.units.get(inv.unit_id) if inv else None
    if inv is None or unit is None or not ctx.me.can_see(unit, Role.ADMIN):
        raise NotFound(ctx._("No unused invitation {code} within your scope.", code=code[:16]))
    if inv.used_at is not None:
        raise UserError(
            ctx._(
                "Invitation {code} was already used; to stop that person, use /deactivate.",
                code=code,
            )
        )
    await ctx.uow.invitations.cancel(code)
    await ctx.audit(
        "invitation.cancelled", "invitation", code[:3] + "…", unit.id, role=inv.role.value
    )
    ctx.reply(ctx._("Invitation {code} is cancelled; it can no longer be used.", code=code))


@router.command(
    "deactivate",
    N_("Deactivate a person who has left: /deactivate NAME|P-NUMBER"),
    roles=(Role.ADMIN, Role.UNIT_HEAD),
    private_only=True,
    order=91,
)
async def deactivate(ctx: Ctx) -> None:
    """Ask to confirm deactivating a person (nothing changes until the button is pressed)."""
    if not ctx.req.args.strip():
        raise UserError(ctx._("Usage: /deactivate NAME or /deactivate P-NUMBER"))
    try:
        person = await person_in_scope(ctx, ctx.req.args, Role.ADMIN, Role.UNIT_HEAD)
    except NotFound:
        await _say_if_deactivated(ctx, ctx.req.args)
        raise
    await _check_may_deactivate(ctx, person)
    unit = await ctx.uow.units.get(person.unit_id)
    await ask_yes_no(
        ctx,
        ctx._(
            "Deactivate {name} ({unit}, P{id})? They will no longer be answered or reminded; their records stay.",
            name=person.name,
            unit=unit.name if unit else "—",
            id=person.id,
        ),
        (ctx._("Yes, deactivate"), f"{PREFIX}:deact:{person.id}"),
        (ctx._("No, keep"), f"{PREFIX}:keep:{person.id}"),
    )


async def _say_if_deactivated(ctx: Ctx, text: str) -> None:
    """Not found among the active: one already deactivated is named as such, with the way
    back (it read "no such person")."""
    query = person_query(ctx, text)
    paths = ctx.me.scope_paths(Role.ADMIN, Role.UNIT_HEAD)
    gone = [
        p
        for p in await ctx.uow.people.find_deactivated(query, paths)
        if p.name == query or str(p.id) == query
    ]
    if len(gone) == 1:
        raise UserError(
            ctx._(
                "{name} (P{id}) is already deactivated. To bring them back, send /reactivate P{id}.",
                name=gone[0].name,
                id=gone[0].id,
            )
        )


async def _check_may_deactivate(ctx: Ctx, person: Person) -> None:
    """Administrators deactivate anyone in their scope but themselves; a unit head only a
    cadre of the unit they head (roles beyond that are for an administrator to take back)."""
    refusal = await activation_refusal(ctx, person)
    if refusal == "self":
        raise UserError(ctx._("You cannot deactivate yourself."))
    if refusal == "head":
        raise UserError(
            ctx._(
                "A unit head may deactivate only the cadres of their own unit; ask an administrator to deactivate {name}.",
                name=person.name,
            )
        )


@router.button(PREFIX, roles=(Role.ADMIN, Role.UNIT_HEAD), private_only=True)
async def admin_button(ctx: Ctx, args: list[str]) -> None:
    """``adm:uninv:CODE``, ``adm:deact:ID`` and ``adm:keep:ID``; scope is checked again."""
    action = args[0] if args else ""
    if action == "uninv" and len(args) > 1 and ctx.me.has_role(Role.ADMIN):
        await _cancel_invitation(ctx, normalise_code(args[1]))
        return
    if action not in ("deact", "keep") or len(args) < 2 or not args[1].isdecimal():
        raise NotFound(ctx._("That button is no longer valid."))
    person = await ctx.uow.people.get(int(args[1]))
    unit = await ctx.uow.units.get(person.unit_id) if person else None
    if person is None or unit is None or not ctx.me.can_see(unit, Role.ADMIN, Role.UNIT_HEAD):
        raise NotFound(ctx._("No person “{text}” found within your scope.", text=f"P{args[1]}"))
    if action == "keep":
        ctx.reply(ctx._("Nothing changed: {name} stays active.", name=person.name), edit=True)
        return
    if not person.active:
        ctx.reply(ctx._("{name} is already deactivated.", name=person.name), edit=True)
        return
    await _check_may_deactivate(ctx, person)
    await ctx.uow.people.set_active(person.id, False, ctx.now)
    await ctx.audit("person.deactivated", "person", person.id, person.unit_id)
    ctx.reply(
        ctx._(
            "{name} is deactivated: the assistant no longer answers them or sends them reminders. Their records stay.",
            name=person.name,
        ),
        edit=True,
    )


@router.command(
    "orgexport",
    N_("The units and people as a spreadsheet the import reads: /orgexport"),
    roles=(Role.ADMIN,),
    private_only=True,
    order=95,
)
async def org_export(ctx: Ctx) -> None:
    """Send the administrator's subtrees (units and active people) as an XLSX workbook in
    the import's own format."""
    paths = ctx.me.scope_paths(Role.ADMIN)
    units, people = await organisation_sheets(ctx.uow, paths)
    await ctx.audit(
        "org.exported", "unit", "", None, units=len(units.rows), people=len(people.rows)
    )
    caption = ctx._(
        "{units} units and {people} people, in the columns the organisation import reads (lianzheng org import); deactivated people are left out.",
        units=len(units.rows),
        people=len(people.rows),
    )
    ctx.send(DocumentReply("organisation.xlsx", to_xlsx([units, people]), caption))
