"""Form steps the kinds of record share: the person or unit a record is about, a day that
has passed, a free text; and the same checks again at confirmation."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import date
from typing import Any

from handlers.core.context import Ctx
from handlers.core.domain import Person, Role
from handlers.core.errors import UserError
from handlers.core.forms import Choices, Data, Parser, Step, StepForm
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


def step(
    key: str,
    field_label: str,
    prompt: str | Callable[[Ctx, Data], str],
    parse: Parser,
    choices: Choices | None = None,
    show: Callable[[Ctx, Any], str] | None = None,
    skippable: bool | Callable[[Data], bool] = False,
) -> Step:
    """A step whose label and prompt are message ids (a prompt that depends on the answers so
    far is a function of the form's data)."""
    ask = label(prompt) if isinstance(prompt, str) else prompt
    made = Step(key, label(field_label), ask, parse, choices, skippable=skippable)
    return replace(made, show=show) if show is not None else made


def word_choice(
    key: str, words: dict[str, str], refusal: str, resets: tuple[str, ...] = ()
) -> Parser:
    """The parser of step ``key``: a choice among codes (its buttons, or words people type
    for them); changing an earlier choice drops the answers in ``resets`` that depended on
    it (they are asked again at the review)."""

    async def parse(ctx: Ctx, text: str, data: Data) -> str:
        code = words.get(text.strip().lower())
        if code is None:
            raise UserError(ctx._(refusal))
        if data.get(key) not in (None, code):
            for dropped in resets:
                data.pop(dropped, None)
        return code

    return parse


def person_step(field_label: str, prompt: str) -> Step:
    """The ``person`` step (see :func:`parse_person`)."""
    return step("person", field_label, prompt, parse_person, show=show_ref)


def unit_step(field_label: str, prompt: str) -> Step:
    """The ``unit`` step (see :func:`parse_unit`)."""
    return step("unit", field_label, prompt, parse_unit, show=show_ref)


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
    return step(key, field_label, prompt, text_parser(max_len, min_len), skippable=skippable)


async def _parse_past_date(ctx: Ctx, text: str, data: Data) -> str:
    return read_past_date(ctx, text).isoformat()


def past_date_step(key: str, field_label: str, prompt: str, parse: Parser | None = None) -> Step:
    """A step for a day that has passed (today or earlier), with a "Today" button."""
    return step(key, field_label, prompt, parse or _parse_past_date, today_choice, show_date)


def action_form(
    name: str,
    title: str,
    steps: list[Step],
    finish: Callable[[Ctx, Data], Awaitable[None]],
    roles: tuple[Role, ...] = WRITE_ROLES,
) -> StepForm:
    """A short form about one record (its id in ``_edit``, its title a message id with
    ``{id}``): a follow-up, a report, a revocation."""
    return StepForm(
        name, lambda ctx, d: ctx._(title, id=d.get("_edit", "")), steps, finish, roles=roles
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
