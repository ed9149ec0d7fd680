"""Form steps the kinds of record share: the person or unit a record is about, a day that
has passed, a free text; and the same checks again at confirmation."""

from __future__ import annotations

from datetime import date
from typing import Any

from handlers.core.context import Ctx
from handlers.core.domain import Person
from handlers.core.errors import UserError
from handlers.core.forms import Data, Parser, Step
from handlers.org.people import person_in_scope
from handlers.records.common import (
    WRITE_ROLES,
    label,
    live_person_in_scope,
    person_ref,
    show_ref,
    unit_ref,
)
from handlers.records.inputs import (
    MAX_TEXT,
    from_iso,
    read_past_date,
    read_text,
    show_date,
    today_choice,
)


def myself_refused(ctx: Ctx) -> UserError:
    """Nobody records something about himself or herself."""
    return UserError(ctx._("You cannot record this about yourself."))


async def parse_person(ctx: Ctx, text: str, data: Data) -> dict[str, Any]:
    """The person a record is about: in the writer's scope, not the writer."""
    person = await person_in_scope(ctx, text, *WRITE_ROLES)
    if person.id == ctx.me.id:
        raise myself_refused(ctx)
    return await person_ref(ctx, person)


async def parse_unit(ctx: Ctx, text: str, data: Data) -> dict[str, Any]:
    """The unit a record is about, in the writer's scope."""
    return unit_ref(await ctx.unit_in_scope(text, *WRITE_ROLES))


def person_step(field_label: str, prompt: str) -> Step:
    """The ``person`` step (see :func:`parse_person`)."""
    return Step("person", label(field_label), label(prompt), parse_person, show=show_ref)


def unit_step(field_label: str, prompt: str) -> Step:
    """The ``unit`` step (see :func:`parse_unit`)."""
    return Step("unit", label(field_label), label(prompt), parse_unit, show=show_ref)


def text_parser(max_len: int = MAX_TEXT, min_len: int = 1) -> Parser:
    """A step parser for free text of ``min_len`` to ``max_len`` characters."""

    async def parse(ctx: Ctx, text: str, data: Data) -> str:
        return read_text(ctx, text, max_len=max_len, min_len=min_len)

    return parse


def text_step(
    key: str,
    field_label: str,
    prompt: str,
    max_len: int = MAX_TEXT,
    min_len: int = 1,
    skippable: bool = False,
) -> Step:
    """A free-text step."""
    parse = text_parser(max_len, min_len)
    return Step(key, label(field_label), label(prompt), parse, skippable=skippable)


async def _parse_past_date(ctx: Ctx, text: str, data: Data) -> str:
    return read_past_date(ctx, text).isoformat()


def past_date_step(key: str, field_label: str, prompt: str, parse: Parser | None = None) -> Step:
    """A step for a day that has passed (today or earlier), with a "Today" button."""
    return Step(
        key,
        label(field_label),
        label(prompt),
        parse or _parse_past_date,
        choices=today_choice,
        show=show_date,
    )


async def live_subject(ctx: Ctx, person_id: int) -> Person:
    """At confirmation: the person still exists, is still in scope and is not the writer."""
    person = await live_person_in_scope(ctx, person_id, *WRITE_ROLES)
    if person.id == ctx.me.id:
        raise myself_refused(ctx)
    return person


def past_day(ctx: Ctx, value: Any) -> date:
    """At confirmation: a day kept as ISO text that must not be in the future."""
    day = from_iso(value)
    assert day is not None
    if day > ctx.local_now.date():
        raise UserError(
            ctx._("That date is in the future; please give the date on which it happened.")
        )
    return day
