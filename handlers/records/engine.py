"""The generic record engine: what every kind of record does the same way.

A kind module declares a :class:`~handlers.records.kind.RecordKind`; the engine opens its
records (with the tombstone for deleted ones), dispatches its buttons — ``o`` open, ``e``
edit, ``h`` history, ``d`` delete, ``l`` a list page, ``n`` new, and the kind's own
actions — and audits each view.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from handlers.core.context import Ctx, rows
from handlers.org.people import record_number
from handlers.records.common import record_id
from handlers.records.history import history_or_delete
from handlers.records.kind import RecordKind, audit, load_readable, show_if_deleted
from handlers.records.lists import list_page, parse_filters, show_list

#: A button action of one record: gets the record id from the button data.
RecordAction = Callable[[Ctx, int], Awaitable[None]]


async def open_record(ctx: Ctx, kind: RecordKind, rid: int) -> None:
    """Show one record (or its tombstone) with the buttons the person's access allows."""
    loaded, access = await load_readable(ctx, kind, rid)
    if await show_if_deleted(ctx, kind, rid, loaded, access):
        return
    assert kind.detail is not None
    lines, keyboard = await kind.detail(ctx, loaded.record, access)
    await audit(ctx, kind, "viewed", loaded, rid, loaded.unit_id)
    ctx.reply("\n".join(lines), rows(*keyboard))


async def press(ctx: Ctx, kind: RecordKind, args: list[str]) -> None:
    """Handle a button of the kind (``prefix:action:…``)."""
    action = args[0] if args else ""
    if await history_or_delete(ctx, kind, args):
        return
    if action == "l" and kind.listing is not None:
        await list_page(ctx, kind, args)
    elif action == "o" and kind.detail is not None:
        await open_record(ctx, kind, record_id(ctx, args))
    elif action in kind.actions:
        await kind.actions[action](ctx, args)
    else:
        ctx.reply(ctx._("That button is no longer valid."))


async def list_command(ctx: Ctx, kind: RecordKind) -> None:
    """The list command (/talks …): ``#13`` opens that record, anything else filters."""
    number = record_number(ctx.req.args)
    if number is not None:  # "#13" is a record number everywhere: open that record
        await open_record(ctx, kind, number)
        return
    assert kind.listing is not None
    filters = await parse_filters(ctx, ctx.req.args, kind.listing.statuses)
    await show_list(ctx, kind, filters, 0)


def on_record(action: RecordAction) -> Callable[[Ctx, list[str]], Awaitable[None]]:
    """A button action on the record whose id follows the action (``tk:f:12``)."""

    async def run(ctx: Ctx, args: list[str]) -> None:
        await action(ctx, record_id(ctx, args))

    return run
