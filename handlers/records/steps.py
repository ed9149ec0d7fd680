"""Form steps the kinds of record share: the person or unit a record is about, a day that
has passed, a free text; and the same checks again at confirmation — each step knows what
its answer becomes in the record (:class:`RecordStep`), so :func:`confirmed` turns a whole
form into the record's field values."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from handlers.core.context import Ctx
from handlers.core.domain import Person, Role
from handlers.core.errors import UserError
from handlers.core.form_presets import PRESET
from handlers.core.form_steps import said
from handlers.core.forms import Choices, Data, Parser, Step, StepForm
from handlers.core.typed_words import self_word
from handlers.org.people import person_in_scope
from handlers.records.common import (
    WRITE_ROLES,
    live_person_in_scope,
    live_unit_in_scope,
    person_ref,
    show_ref,
    unit_ref,
)
from handlers.records.inputs import (
    MAX_TEXT,
    from_iso,
    names_a_date,
    read_past_date,
    read_text,
    show_date,
    today_choice,
)

#: What a step's answer becomes at confirmation, checked again: the record's field values.
Confirm = Callable[[Ctx, str, Any], Awaitable[dict[str, Any]]]


async def _as_given(ctx: Ctx, key: str, value: Any) -> dict[str, Any]:
    return {key: value}


async def _text_value(ctx: Ctx, key: str, value: Any) -> dict[str, Any]:
    return {key: value or ""}  # a skipped text is stored empty


@dataclass(frozen=True)
class RecordStep(Step):
    """A step of a record form, with what its answer becomes at confirmation."""

    confirm: Confirm = _as_given


async def confirmed(ctx: Ctx, data: Data, steps: Sequence[Step]) -> dict[str, Any]:
    """Every answer checked again at confirmation (edits can make earlier answers stale), in
    the order of the steps: the record's field values."""
    values: dict[str, Any] = {}
    for s in steps:
        confirm = s.confirm if isinstance(s, RecordStep) else _as_given
        values |= await confirm(ctx, s.key, data.get(s.key))
    return values


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
    confirm: Confirm = _as_given,
) -> Step:
    """A step whose label and prompt are message ids (a prompt that depends on the answers so
    far is a function of the form's data); ``confirm`` makes its answer the record's values."""
    ask = said(prompt) if isinstance(prompt, str) else prompt
    made = RecordStep(
        key, said(field_label), ask, parse, choices, skippable=skippable, confirm=confirm
    )
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


async def _subject(ctx: Ctx, key: str, value: Any) -> dict[str, Any]:
    person = await live_subject(ctx, int(value["id"]))
    return {"person_id": person.id, "unit_id": person.unit_id}


async def _unit(ctx: Ctx, key: str, value: Any) -> dict[str, Any]:
    unit = await live_unit_in_scope(ctx, int(value["id"]), *WRITE_ROLES)
    return {"unit_id": unit.id}


def person_step(field_label: str, prompt: str) -> Step:
    """The ``person`` step (see :func:`parse_person`); confirmed as ``person_id`` and his or
    her present ``unit_id``."""
    return step("person", field_label, prompt, parse_person, show=show_ref, confirm=_subject)


def unit_step(field_label: str, prompt: str) -> Step:
    """The ``unit`` step (see :func:`parse_unit`); confirmed as ``unit_id``."""
    return step("unit", field_label, prompt, parse_unit, show=show_ref, confirm=_unit)


def person_text_step(key: str, field_label: str, prompt: str, max_len: int = 100) -> Step:
    """A free-text step naming who did something (held the talk, took the notes): 我 / me
    stands for the one recording, stored as his or her name and post, not as "me" (which
    the person talked to would later read as themselves)."""
    plain = text_parser(max_len)

    async def parse(ctx: Ctx, text: str, data: Data) -> str:
        if self_word(text):
            return " ".join(part for part in (ctx.me.name, ctx.me.post) if part)[:max_len]
        return await plain(ctx, text, data)

    return step(key, field_label, prompt, parse, confirm=_text_value)


def text_parser(max_len: int = MAX_TEXT, min_len: int = 1) -> Parser:
    """A step parser for free text of ``min_len`` to ``max_len`` characters."""

    async def parse(ctx: Ctx, text: str, data: Data) -> str:
        return read_text(ctx, text, max_len=max_len, min_len=min_len)

    return parse


def text_step(
    key: str,
    field_label: str,
    prompt: str | Callable[[Ctx, Data], str],
    max_len: int = MAX_TEXT,
    min_len: int = 1,
    skippable: bool = False,
) -> Step:
    """A free-text step (a skipped one is stored empty)."""
    parse = text_parser(max_len, min_len)
    return step(key, field_label, prompt, parse, skippable=skippable, confirm=_text_value)


async def _parse_past_date(ctx: Ctx, text: str, data: Data) -> str:
    return read_past_date(ctx, text).isoformat()


async def _past_day(ctx: Ctx, key: str, value: Any) -> dict[str, Any]:
    return {key: past_day(ctx, value)}


def coded(code: Callable[[Any], Any]) -> Confirm:
    """A step's answer confirmed as ``code(answer)``: an enum member of its value …"""

    async def confirm(ctx: Ctx, key: str, value: Any) -> dict[str, Any]:
        return {key: code(value)}

    return confirm


#: A step's date kept as ISO text, confirmed as a date (None when skipped).
date_value = coded(from_iso)


def past_date_step(key: str, field_label: str, prompt: str, parse: Parser | None = None) -> Step:
    """A step for a day that has passed (today or earlier), with a "Today" button; confirmed
    as a date, still not in the future."""
    parse = parse or _parse_past_date
    return step(key, field_label, prompt, parse, today_choice, show_date, confirm=_past_day)


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


async def name_then_date(
    ctx: Ctx, text: str, steps: Sequence[Step], date_key: str
) -> tuple[Data, str]:
    """A create command's argument (/talk 高峰 昨天, /notice 岳村镇 月底前): the first step's
    name, and a date after it kept for the ``date_key`` step, read when the form reaches it
    (counted from what is answered by then). Words after the name that are no date are the
    name's (/notice 华龙区 政府办公室); a date alone (/notice 月底前) leaves the first step to ask.
    Returns the form's data and the step to open at."""
    name, _, when = text.strip().partition(" ")
    if names_a_date(ctx, text):
        name, when = "", text
    elif not names_a_date(ctx, when):
        name, when = text.strip(), ""
    data: Data = {PRESET: {date_key: when.strip()}} if when.strip() else {}
    if not name:
        return data, steps[0].key
    data[steps[0].key] = await steps[0].parse(ctx, name, data)
    return data, steps[1].key
