"""The generic record engine: what every kind of record does the same way.

A kind module declares a :class:`~handlers.records.kind.RecordKind` and mounts it with
:func:`mount`, which gives it its commands (``/talk`` starts the form, ``/talks`` lists),
its form and its buttons — ``o`` open, ``e`` edit, ``h`` history, ``d`` delete, ``l`` a
list page, ``n`` new, and the kind's own actions. The engine stores new records and edits
with a revision each, refuses stale edits, shows tombstones and audits every view.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import date
from enum import Enum
from typing import Any

from handlers.core.context import Ctx, button, rows
from handlers.core.forms import Data, Step, StepForm
from handlers.core.router import Router
from handlers.org.people import record_number
from handlers.records.common import (
    WRITE_ROLES,
    add_revision,
    open_button,
    person_ref,
    record_id,
    require,
    unit_ref,
)
from handlers.records.history import history_or_delete
from handlers.records.kind import (
    RecordForm,
    RecordKind,
    audit,
    load_readable,
    register,
    show_if_deleted,
    titles,
)
from handlers.records.lists import list_page, parse_filters, show_list
from handlers.records.steps import confirmed

#: A button action of one record: gets the record id from the button data.
RecordAction = Callable[[Ctx, int], Awaitable[None]]

_FORMS: dict[str, StepForm] = {}


# -- reading ----------------------------------------------------------------------------------
async def open_record(ctx: Ctx, kind: RecordKind, rid: int) -> None:
    """Show one record (or its tombstone) with the buttons the person's access allows."""
    loaded, access = await load_readable(ctx, kind, rid)
    if await show_if_deleted(ctx, kind, rid, loaded, access):
        return
    assert kind.detail is not None
    lines, keyboard = await kind.detail(ctx, loaded.record, access)
    await audit(ctx, kind, "viewed", loaded, rid, loaded.unit_id)
    ctx.reply("\n".join(lines), rows(*keyboard))


async def list_command(ctx: Ctx, kind: RecordKind) -> None:
    """The list command (/talks …): ``#13`` (or 13) opens that record, anything else filters."""
    number = record_number(ctx.req.args) or _bare_number(ctx.req.args)
    if number is not None:  # "#13" is a record number everywhere: open that record
        await open_record(ctx, kind, number)
        return
    assert kind.listing is not None
    filters = await parse_filters(ctx, ctx.req.args, kind.listing.status_names(ctx))
    await show_list(ctx, kind, filters, 0)


# -- buttons ----------------------------------------------------------------------------------
async def press(ctx: Ctx, kind: RecordKind, args: list[str]) -> None:
    """Handle a button of the kind (``prefix:action:…``)."""
    action = args[0] if args else ""
    if await history_or_delete(ctx, kind, args):
        return
    if action == "l" and kind.listing is not None:
        await list_page(ctx, kind, args)
    elif action == "o" and kind.detail is not None:
        await open_record(ctx, kind, record_id(ctx, args))
    elif action == "n" and kind.form is not None and kind.form.command is not None:
        require(ctx, ctx.me.has_role(*WRITE_ROLES))
        await step_form(kind).start(ctx)
    elif action == "e" and kind.form is not None:
        await start_edit(ctx, kind, record_id(ctx, args))
    elif action in kind.actions:
        await kind.actions[action](ctx, args)
    else:
        ctx.reply(ctx._("That button is no longer valid."))


def on_record(action: RecordAction) -> Callable[[Ctx, list[str]], Awaitable[None]]:
    """A button action on the record whose id follows the action (``tk:f:12``)."""

    async def run(ctx: Ctx, args: list[str]) -> None:
        await action(ctx, record_id(ctx, args))

    return run


# -- the form ---------------------------------------------------------------------------------
def _spec(kind: RecordKind) -> RecordForm:
    assert kind.form is not None, kind.type
    return kind.form


def step_form(kind: RecordKind) -> StepForm:
    """The kind's form, made once from its declaration."""
    spec = _spec(kind)
    if spec.name not in _FORMS:

        async def finish_(ctx: Ctx, data: Data) -> None:
            await finish(ctx, kind, data)

        title = titles(*spec.title) if isinstance(spec.title, tuple) else spec.title
        _FORMS[spec.name] = StepForm(spec.name, title, spec.steps, finish_, roles=WRITE_ROLES)
    return _FORMS[spec.name]


def _bare_number(args: str) -> int | None:
    """``/notice 7``: a number alone is the record's (no unit, person or year is a small
    number; /assess 2026 names a year, which the form reads)."""
    text = args.strip()
    return int(text) if text.isdecimal() and int(text) < 1900 else None


async def create_command(ctx: Ctx, kind: RecordKind) -> None:
    """The create command (/talk …): ``#13`` opens that record; an argument answers the
    form's first step when the kind says so (``/talk 马丽娟``)."""
    number = record_number(ctx.req.args) or _bare_number(ctx.req.args)
    if number is not None:  # "#13" is a record number everywhere: open that record
        await open_record(ctx, kind, number)
        return
    form = step_form(kind)
    start_with = _spec(kind).start_with
    if ctx.req.args and start_with is not None:
        data, at = await start_with(ctx, ctx.req.args)
        await form.start(ctx, data, at=at)
        return
    if ctx.req.args and _spec(kind).prefill:
        first, then = form.steps[0], form.steps[1]
        value = await first.parse(ctx, ctx.req.args, {})
        await form.start(ctx, {first.key: value}, at=then.key)
        return
    await form.start(ctx)


async def finish(ctx: Ctx, kind: RecordKind, data: Data) -> None:
    """The form confirmed: check everything again, then store the new record or the edit."""
    spec = _spec(kind)
    if spec.validate is not None:
        values = await spec.validate(ctx, data)
    else:
        values = await confirmed(ctx, data, spec.steps)
    if spec.check is not None:
        await spec.check(ctx, data, values)
    if data.get("_edit"):
        await _save_edit(ctx, kind, data, values)
        return
    record = await kind.repo(ctx.uow).add(spec.new(ctx, values, data))
    await add_revision(ctx, kind.type, record.id, "create")
    if spec.after_create is not None:
        await spec.after_create(ctx, record, data)
        return
    name = str(kind.type)
    await ctx.audit(f"{name}.{spec.created_verb}", name, record.id, record.unit_id)
    ctx.reply(
        ctx._(spec.created, id=record.id),
        open_button(ctx, kind.prefix, record.id),
    )


async def _save_edit(ctx: Ctx, kind: RecordKind, data: Data, values: dict[str, Any]) -> None:
    """Store what an edit changed, with a revision (nothing when someone changed it since)."""
    spec = _spec(kind)
    rid = int(data["_edit"])
    loaded, access = await load_readable(ctx, kind, rid)
    require(ctx, access.write)
    spec.before_save(ctx, loaded.record, values)
    person = values.get("person_id")
    if spec.keeps_unit and person is not None and person == loaded.record.person_id:
        # The same person: the record stays with the unit it was made in.
        values["unit_id"] = loaded.record.unit_id
    changed = await kind.save(ctx, loaded, rid, int(data["_version"]), values, "edit")
    if changed is None:
        return
    unit = values.get("unit_id", loaded.unit_id)
    await audit(ctx, kind, "edited", loaded, rid, unit, fields=changed)
    back = spec.back(loaded.record) if spec.back else f"{kind.prefix}:o:{rid}"
    told = (
        await spec.after_edit(ctx, loaded.record, rid, changed)
        if changed and spec.after_edit
        else ""
    )
    ctx.reply(
        (ctx._(spec.saved, id=rid) + (f"\n{told}" if told else ""))
        if changed
        else ctx._("Nothing was changed."),
        rows([button(ctx._("Open"), back)]),
    )


async def start_edit(ctx: Ctx, kind: RecordKind, rid: int) -> None:
    """Open the form on its review screen with the record's values (writers only)."""
    loaded, access = await load_readable(ctx, kind, rid)
    require(ctx, access.write)
    spec = _spec(kind)
    if spec.edit_data is not None:
        data = await spec.edit_data(ctx, loaded.record)
    else:
        data = await form_data(ctx, loaded.record, spec.steps)
    data |= {"_edit": rid, "_version": loaded.version}
    await audit(ctx, kind, "viewed", loaded, rid, loaded.unit_id, purpose="edit")
    await step_form(kind).open_review(ctx, data)


async def form_data(ctx: Ctx, record: Any, steps: Sequence[Step], **extra: Any) -> Data:
    """A stored record's values as the form's answers, one per step: ``person`` and
    ``unit`` as references, dates as ISO text, codes as their value, empty texts as None;
    with the ``extra`` answers a kind keeps beside them."""
    data: Data = dict(extra)
    for step in steps:
        if step.key == "person":
            data["person"] = await person_answer(ctx, record.person_id)
        elif step.key == "unit":
            data["unit"] = await unit_answer(ctx, record.unit_id)
        else:
            data[step.key] = _answer(getattr(record, step.key))
    return data


async def person_answer(ctx: Ctx, person_id: int) -> dict[str, Any]:
    """A stored person as a form's answer (just the id if the person is gone)."""
    person = await ctx.uow.people.get(person_id)
    return await person_ref(ctx, person) if person else {"id": person_id}


async def unit_answer(ctx: Ctx, unit_id: int) -> dict[str, Any]:
    """A stored unit as a form's answer."""
    unit = await ctx.uow.units.get(unit_id)
    assert unit is not None
    return unit_ref(unit)


def _answer(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return [_answer(v) for v in value]
    return None if value == "" else value


# -- mounting ---------------------------------------------------------------------------------
def mount(kind: RecordKind) -> Router:
    """Register a kind (for history and deletion) and make its router: its commands, forms
    and buttons."""
    register(kind)
    router = Router()
    if kind.form is not None:
        router.add_form(step_form(kind))
    for form in kind.forms:
        router.add_form(form)
    if kind.form is not None and kind.form.command is not None:
        name, help_, order = kind.form.command

        async def create(ctx: Ctx) -> None:
            await create_command(ctx, kind)

        reads_with = kind.listing.command if kind.listing is not None else None
        router.command(
            name, help_, roles=WRITE_ROLES, private_only=True, order=order, reads_with=reads_with
        )(create)
    if kind.listing is not None:

        async def list_(ctx: Ctx) -> None:
            await list_command(ctx, kind)

        listing = kind.listing
        router.command(listing.command, listing.help, private_only=True, order=listing.order)(list_)

    async def on_button(ctx: Ctx, args: list[str]) -> None:
        await press(ctx, kind, args)

    router.button(kind.prefix, private_only=True)(on_button)
    return router
