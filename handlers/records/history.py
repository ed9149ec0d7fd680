"""History and deletion, the same for every kind of discipline record.

Each record module registers a :class:`~handlers.records.kind.RecordKind` (how to load and
delete its records and how to name their fields). History lists the revisions; deletion is
for administrators only, asks for a reason, and leaves a tombstone plus a revision and an
audit entry.
"""

from __future__ import annotations

from typing import Any

from handlers.core.context import Ctx, button, rows
from handlers.core.forms import Data, StepForm
from handlers.core.i18n import N_
from handlers.core.router import Router
from handlers.records.common import (
    DELETE_ROLES,
    add_revision,
    record_id,
    require,
    stale_message,
)
from handlers.records.domain import Tombstone
from handlers.records.handling_steps import PERSON_FIELDS as HANDLING_FIELDS
from handlers.records.inputs import clip, fmt_time
from handlers.records.kind import KINDS, PERSON_FIELDS, RecordKind, load_readable
from handlers.records.ports import records_of
from handlers.records.steps import text_step

router = Router()


# -- history -------------------------------------------------------------------------------------
async def show_history(ctx: Ctx, kind: RecordKind, rid: int) -> None:
    """List a record's revisions: when, who, what, and old → new values (staff only)."""
    loaded, access = await load_readable(ctx, kind, rid)
    require(ctx, access.staff)
    revisions = await records_of(ctx.uow).revisions.of(kind.type, rid)
    lines = [ctx._("History of {noun} #{id}", noun=ctx._(kind.noun), id=rid), ""]
    names: dict[int, str] = {}
    for rev in revisions:
        if rev.actor_id not in names:
            person = await ctx.uow.people.get(rev.actor_id)
            names[rev.actor_id] = person.name if person else f"#{rev.actor_id}"
        lines.append(
            f"{fmt_time(ctx, rev.at)} {names[rev.actor_id]} — {action_name(ctx, rev.action)}"
        )
        for fname, change in rev.changes.items():
            old, new = change if isinstance(change, list) and len(change) == 2 else ("", change)
            # A case's people are revised with the case: their fields are labelled too.
            label = kind.fields.get(fname) or HANDLING_FIELDS.get(fname)
            field_label = ctx._(label) if label else fname
            shown = [
                ctx._("(outside your scope)")
                if kind.hidden and await kind.hidden(ctx, rid, fname, v)
                else await _show(ctx, kind, fname, v)
                for v in (old, new)
            ]
            lines.append(f"  · {field_label}: {shown[0]} → {shown[1]}")
    if loaded.tombstone is not None:
        lines.append(ctx._("Deletion reason: {reason}", reason=loaded.tombstone.reason))
    await ctx.audit(f"{kind.type!s}.history_viewed", str(kind.type), rid, loaded.unit_id)
    ctx.reply("\n".join(lines))


async def _show(ctx: Ctx, kind: RecordKind, field: str, value: Any) -> str:
    """A revision value as people read it: names for ids and codes, shortened texts."""
    if value is None or value == "":
        return "—"
    if field in PERSON_FIELDS and isinstance(value, int):
        person = await ctx.uow.people.get(value)
        return person.name if person else f"#{value}"
    if field == "unit_id" and isinstance(value, int):
        unit = await ctx.uow.units.get(value)
        return unit.name if unit else f"#{value}"
    text = kind.shown(ctx, field, value)
    return clip(text, 80) if text is not None else _val(value)


def _val(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return "、".join(str(v) for v in value) or "—"
    return clip(str(value), 80)


def action_name(ctx: Ctx, action: str) -> str:
    """Human name of a revision action."""
    names = {
        "create": ctx._("created"),
        "edit": ctx._("edited"),
        "follow_up": ctx._("follow-up recorded"),
        "report": ctx._("rectification report submitted"),
        "accept": ctx._("report accepted, notice closed"),
        "return": ctx._("report returned"),
        "close": ctx._("closed"),
        "person_added": ctx._("person added"),
        "delete": ctx._("deleted"),
    }
    return names.get(action, action)


# -- deletion ------------------------------------------------------------------------------------
async def start_delete(ctx: Ctx, kind: RecordKind, rid: int) -> None:
    """Administrators: ask for the reason, then delete (soft) after confirmation."""
    loaded, access = await load_readable(ctx, kind, rid)
    require(ctx, access.delete)
    data = {"type": str(kind.type), "id": rid, "_version": loaded.version}
    await DELETE_FORM.start(ctx, data)


async def _finish_delete(ctx: Ctx, data: Data) -> None:
    kind = KINDS[data["type"]]
    rid = int(data["id"])
    loaded, access = await load_readable(ctx, kind, rid)
    require(ctx, access.delete)
    tomb = Tombstone(at=ctx.now, by=ctx.me.id, reason=str(data["reason"]))
    if not await kind.delete(ctx.uow, rid, int(data["_version"]), tomb):
        ctx.reply(stale_message(ctx))
        return
    await add_revision(ctx, kind.type, rid, "delete")
    await ctx.audit(f"{kind.type!s}.deleted", str(kind.type), rid, loaded.unit_id)
    ctx.reply(
        ctx._(
            "{noun} #{id} was deleted. Its tombstone and history are kept.",
            noun=ctx._(kind.noun),
            id=rid,
        ),
        rows([button(ctx._("🕘 History"), f"{kind.prefix}:h:{rid}")]),
    )


DELETE_FORM = StepForm(
    name="rec_delete",
    title=lambda ctx, d: ctx._(
        "Delete {noun} #{id}",
        noun=ctx._(KINDS[d["type"]].noun) if d.get("type") else "",
        id=d.get("id", ""),
    ),
    steps=[
        text_step(
            "reason",
            N_("Reason for deleting"),
            N_("Why is this record being deleted? The reason is kept with its tombstone."),
            500,
            4,
        )
    ],
    finish=_finish_delete,
    roles=DELETE_ROLES,
)
router.add_form(DELETE_FORM)


async def history_or_delete(ctx: Ctx, kind: RecordKind, args: list[str]) -> bool:
    """Handle the ``h`` (history) and ``d`` (delete) buttons of any record; True if handled."""
    action = args[0] if args else ""
    if action == "h":
        await show_history(ctx, kind, record_id(ctx, args))
        return True
    if action == "d":
        await start_delete(ctx, kind, record_id(ctx, args))
        return True
    return False
