"""Shared machinery for discipline records: who may do what, people and units, revisions.

Access in one place:

* inspectors read and write records of units in their subtrees;
* administrators read records in their subtrees and are the only ones who may delete;
* a cadre reads his or her own records, read-only (unit heads also read the notices sent
  to their units and answer them).

Everything that cannot be read — missing, deleted for non-staff, or outside the scope —
gives the same :func:`not_found` reply, whether it came from a command, a button payload or
a guessed id, so nothing leaks.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Any

from handlers.core.context import Ctx, button, rows
from handlers.core.domain import Person, Role, Unit
from handlers.core.errors import NotFound, UserError
from handlers.core.types import Button, Keyboard
from handlers.records.domain import READ_ROLES, Revision
from handlers.records.inputs import fmt_date
from handlers.records.ports import records_of
from knowledge.periods import period_last_day
from knowledge.sanctions import SanctionKind

#: Roles that create and change records of their subtrees.
WRITE_ROLES = (Role.INSPECTOR,)
#: Roles that may delete (leaving a tombstone).
DELETE_ROLES = (Role.ADMIN,)


# -- access --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Access:
    """What the requesting person may do with one record."""

    write: bool = False
    delete: bool = False
    staff: bool = False  # reads as inspector or administrator
    own: bool = False  # reads because the record is about him or her (or his or her unit)


def not_found(ctx: Ctx, record_id: int | str) -> NotFound:
    """The one reply for missing, deleted and out-of-scope records alike."""
    return NotFound(ctx._("No record #{id} found within your scope.", id=record_id))


def record_id(ctx: Ctx, args: list[str], index: int = 1) -> int:
    """The record id in a button payload; a malformed id is "not found" too."""
    try:
        value = int(args[index])
    except (IndexError, ValueError):
        raise not_found(ctx, "?") from None
    if value <= 0:
        raise not_found(ctx, value)
    return value


def offset_arg(ctx: Ctx, args: list[str], index: int) -> int:
    """A list offset in a button payload (0 or more)."""
    try:
        value = int(args[index])
    except (IndexError, ValueError):
        raise not_found(ctx, "?") from None
    return max(value, 0)


async def readable(
    ctx: Ctx, record_id_: int, unit_id: int, deleted: bool, own: bool = False
) -> tuple[Unit, Access]:
    """The record's unit and the person's access, or "not found" when it may not be read.

    Deleted records are readable by staff only (they see the tombstone).
    """
    unit = await ctx.uow.units.get(unit_id)
    if unit is None:
        raise not_found(ctx, record_id_)
    me = ctx.me
    staff = me.can_see(unit, *READ_ROLES)
    if not (staff or own) or (deleted and not staff):
        raise not_found(ctx, record_id_)
    access = Access(
        # Nobody edits or deletes a record about himself or herself, whatever the role.
        write=me.can_see(unit, *WRITE_ROLES) and not own and not deleted,
        delete=me.can_see(unit, *DELETE_ROLES) and not own and not deleted,
        staff=staff,
        own=own,
    )
    return unit, access


def require(ctx: Ctx, allowed: bool) -> None:
    """Refuse an action the person's access does not include."""
    if not allowed:
        raise UserError(
            ctx._("Sorry, your role does not allow this. Send /help to see what you can do.")
        )


def is_staff(person: Person) -> bool:
    """True for people who read records of a subtree (inspectors, administrators)."""
    return person.has_role(*READ_ROLES)


# -- people and units ----------------------------------------------------------------------------
async def person_ref(ctx: Ctx, person: Person) -> dict[str, Any]:
    """A person as stored in form data (JSON): id, name, unit id and unit name."""
    unit = await ctx.uow.units.get(person.unit_id)
    return {
        "id": person.id,
        "name": person.name,
        "unit_id": person.unit_id,
        "unit": unit.name if unit else "",
    }


def unit_ref(unit: Unit) -> dict[str, Any]:
    """A unit as stored in form data (JSON)."""
    return {"id": unit.id, "name": unit.name, "code": unit.code}


def show_ref(ctx: Ctx, value: Any) -> str:
    """Review-screen text of a person or unit reference."""
    if isinstance(value, dict):
        extra = value.get("unit") or value.get("code") or ""
        name = str(value.get("name", ""))
        return ctx.t.aside(name, extra) if extra else name
    return str(value)


async def live_person_in_scope(ctx: Ctx, person_id: int, *roles: Role) -> Person:
    """Re-check at confirmation that a chosen person still exists and is still in scope."""
    person = await ctx.uow.people.get(person_id)
    unit = await ctx.uow.units.get(person.unit_id) if person else None
    if person is None or unit is None or not person.active or not ctx.me.can_see(unit, *roles):
        raise NotFound(ctx._("No person “{text}” found within your scope.", text=f"P{person_id}"))
    return person


async def live_unit_in_scope(ctx: Ctx, unit_id: int, *roles: Role) -> Unit:
    """Re-check at confirmation that a chosen unit is still in scope."""
    unit = await ctx.uow.units.get(unit_id)
    if unit is None or not ctx.me.can_see(unit, *roles):
        raise NotFound(ctx._("No unit “{text}” found within your scope.", text=f"#{unit_id}"))
    return unit


# -- effect periods ------------------------------------------------------------------------------
def effect_period(ctx: Ctx, sanction: SanctionKind, start: date) -> str:
    """The effect period of a sanction counted from ``start`` (to the last day it bars
    promotion), with the title of the rule-base entry that states it."""
    months = sanction.promotion_months
    end = period_last_day(start, months) if months else None
    entry = ctx.services.kb.entries.get(sanction.entry) if ctx.services.kb else None
    text = ctx._("Effect period: {start} to {end}", start=fmt_date(start), end=fmt_date(end))
    return ctx.t.aside(text, entry.title) if entry else text


# -- revisions and changes -----------------------------------------------------------------------
def jsonable(value: Any) -> Any:
    """A value as kept in a revision (JSON): dates as ISO text, enums as their value."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple | list):
        return [jsonable(v) for v in value]
    return value


async def add_revision(
    ctx: Ctx,
    record_type: str,
    record_id_: int,
    action: str,
    changes: dict[str, tuple[Any, Any]] | None = None,
) -> None:
    """Append a revision: who (this person), when (now), what changed (old, new)."""
    await records_of(ctx.uow).revisions.add(
        Revision(
            record_type=record_type,
            record_id=record_id_,
            at=ctx.now,
            actor_id=ctx.me.id,
            action=action,
            changes={k: [jsonable(o), jsonable(n)] for k, (o, n) in (changes or {}).items()},
        )
    )


Updater = Callable[[int, int, dict[str, Any], datetime], Awaitable[bool]]


async def save_changes(
    ctx: Ctx,
    record_type: str,
    record_id_: int,
    version: int,
    old: dict[str, Any],
    new: dict[str, Any],
    update: Updater,
    action: str = "edit",
) -> list[str] | None:
    """Store the fields of ``new`` that differ from ``old`` with a revision.

    Returns the changed field names ([] when nothing changed). Returns None, after telling
    the person, when someone else changed the record since the form was opened: nothing is
    overwritten then.
    """
    changes = {k: (old.get(k), v) for k, v in new.items() if old.get(k) != v}
    if not changes:
        return []
    if not await update(record_id_, version, {k: v for k, (_, v) in changes.items()}, ctx.now):
        ctx.reply(stale_message(ctx))
        return None
    await add_revision(ctx, record_type, record_id_, action, changes)
    return sorted(changes)


def stale_message(ctx: Ctx) -> str:
    """Reply when a record changed (or was deleted) after the person opened it."""
    return ctx._(
        "This record was changed by someone else in the meantime, so nothing was saved. Please open it again."
    )


# -- forms ---------------------------------------------------------------------------------------


def open_button(ctx: Ctx, prefix: str, rid: int) -> Keyboard:
    """The one "Open" button under a reply about record ``rid``."""
    return rows([button(ctx._("Open"), f"{prefix}:o:{rid}")])


def record_buttons(ctx: Ctx, prefix: str, rid: int, access: Access) -> list[list[Button]]:
    """The standard Edit / History / Delete buttons of a record, as the access allows."""
    out: list[list[Button]] = []
    row: list[Button] = []
    if access.write:
        row.append(button(ctx._("✏️ Edit"), f"{prefix}:e:{rid}"))
    if access.staff:
        row.append(button(ctx._("🕘 History"), f"{prefix}:h:{rid}"))
    if access.delete:
        row.append(button(ctx._("🗑 Delete"), f"{prefix}:d:{rid}"))
    if row:
        out.append(row)
    return out
