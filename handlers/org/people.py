"""Finding a person by name or person number inside the asker's scope (shared by every
capability that acts on a person: records, administration).

One notation everywhere: ``#13`` is a record's number (as every list shows it), ``P28`` is a
person's number. A record number typed where a person is expected is refused with a message
saying so, never taken for a person.
"""

from __future__ import annotations

import re

from pypinyin import lazy_pinyin

from handlers.core.context import Ctx
from handlers.core.domain import Person, Role
from handlers.core.errors import NotFound, UserError
from handlers.core.rerun import rerun_buttons, typed_in_form_buttons

#: A record's number: ``#13``.
RECORD_NUMBER = re.compile(r"^[#＃]\s*(\d{1,12})$")
#: A person's number: ``P28``.
PERSON_NUMBER = re.compile(r"^[PpＰｐ]\s*(\d{1,12})$")


async def person_label(ctx: Ctx, person_id: int | None) -> str:
    """``name（unit）`` of a person, or a dash."""
    if person_id is None:
        return "—"
    person = await ctx.uow.people.get(person_id)
    if person is None:
        return f"P{person_id}"
    unit = await ctx.uow.units.get(person.unit_id)
    return ctx.t.aside(person.name, unit.name) if unit else person.name


def person_number(person_id: int) -> str:
    """How a person's number is shown and typed."""
    return f"P{person_id}"


def record_number(text: str) -> int | None:
    """The number in ``#13`` (a record), or None."""
    m = RECORD_NUMBER.match(text.strip())
    return int(m[1]) if m else None


def person_query(ctx: Ctx, text: str) -> str:
    """The text to look a person up by: ``P28`` becomes the id, a name stays as it is; a
    record number (``#13``) is refused, saying how people are numbered."""
    text = text.strip()
    record = RECORD_NUMBER.match(text)
    if record:
        raise UserError(
            ctx._(
                "“{text}” is a record number. For a person, type the name or the person number (such as P{n}).",
                text=text,
                n=record[1],
            )
        )
    number = PERSON_NUMBER.match(text)
    return number[1] if number else text


#: A name typed in Latin letters (gao feng, Ma Lijuan): two to forty letters and spaces.
_LATIN_NAME = re.compile(r"^[A-Za-z][A-Za-z' -]{1,39}$")


def _latin_name(text: str) -> bool:
    return bool(_LATIN_NAME.match(text))


def _pinyin_key(name: str) -> str:
    """A name as its toneless pinyin letters (高峰 → gaofeng; gao feng → gaofeng)."""
    return "".join(ch for ch in "".join(lazy_pinyin(name)).lower() if ch.isalpha())


async def _by_pinyin(ctx: Ctx, text: str, paths: tuple[str, ...]) -> list[Person]:
    """People in scope whose name reads as the pinyin typed (English keyboards, English
    mode): family name first, or given name first as Western forms write it (Lijuan Ma)."""
    words = text.lower().replace("-", " ").replace("'", " ").split()
    wanted = {"".join(words), "".join(words[1:] + words[:1])}
    return [p for p in await ctx.uow.people.in_units(paths) if _pinyin_key(p.name) in wanted]


#: A Chinese name as typed in a hurry: 高 峰 (spaced), 马丽娟同志, 高峰副镇长 (with a post).
_HAN = re.compile(r"^[\u4e00-\u9fff][\u4e00-\u9fff ]*$")
_POST_AFTER_NAME = re.compile(
    r"(?:同志|老师|副?(?:书记|镇长|乡长|县长|区长|市长|局长|主任|科长|处长|部长|组长|站长|所长|校长|院长))$"
)


def _bare_name(text: str) -> str:
    """A typed Chinese name without its spaces and a post or 同志 after it (2 characters at
    least stay); other text unchanged."""
    if not _HAN.match(text):
        return text
    name = text.replace(" ", "")
    bare = _POST_AFTER_NAME.sub("", name)
    return bare if len(bare) >= 2 else name


async def find_people(ctx: Ctx, text: str, paths: tuple[str, ...]) -> list[Person]:
    """Active people in the subtrees ``paths`` whose name (or number) matches ``text``; a
    name typed in pinyin, or in characters that sound the same (高锋 for 高峰), is matched
    by its reading when nothing matches it as written."""
    if not paths:
        return []
    text = _bare_name(text)
    people = await ctx.uow.people.find(text, paths)
    if not people and _latin_name(text):
        people = await _by_pinyin(ctx, text, paths)
    if not people and _HAN.match(text) and 2 <= len(text) <= 4:
        people = await _by_pinyin(ctx, _pinyin_key(text), paths)
    return people


async def person_in_scope(ctx: Ctx, text: str, *roles: Role) -> Person:
    """Resolve a name (or person number ``P28``) to one active person inside the scope for
    ``roles``."""
    typed = text.strip()
    text = person_query(ctx, text)
    paths = ctx.me.scope_paths(*roles)
    people = await find_people(ctx, text, paths) if text else []
    exact = [p for p in people if p.name in (text, _bare_name(text)) or str(p.id) == text]
    if len(exact) == 1:
        return exact[0]
    # One character (a family name) is confirmed from the choices, and so is a name found
    # only by its sound (高锋 for 高峰): a record must not land on a guessed person.
    bare = _bare_name(text)
    if len(people) == 1 and len(text) >= 2 and (bare in people[0].name or not _HAN.match(bare)):
        return people[0]
    if not people:
        # Said as typed: P28, not the bare number.
        raise NotFound(ctx._("No person “{text}” found within your scope.", text=typed[:40]))
    raise await which_person(ctx, text, exact or people)


async def which_person(ctx: Ctx, text: str, people: list[Person]) -> UserError:
    """The "which one?" refusal for ``text`` matching ``people``: one button per person
    (the typed command with the person number) where the command can be re-run."""
    choices = []
    for p in people[:8]:
        unit = await ctx.uow.units.get(p.unit_id)
        ref = person_number(p.id)
        where = ctx.t.listing([unit.name if unit else "—", ref])
        choices.append((ctx.t.aside(p.name, where), ref))
    names = ctx.t.join(label for label, _ in choices)
    keyboard = rerun_buttons(ctx, text, choices) or typed_in_form_buttons(ctx, choices)
    if keyboard and len(choices) == 1:
        return UserError(
            ctx._("Do you mean {names}? Choose below, or type the full name.", names=names),
            keyboard,
        )
    if keyboard:
        return UserError(
            ctx._(
                "Several people match: {names}. Choose one below, or type the person number (P…).",
                names=names,
            ),
            keyboard,
        )
    if len(choices) == 1:
        return UserError(
            ctx._("Do you mean {names}? Type the full name or the person number.", names=names)
        )
    return UserError(
        ctx._(
            "Several people match: {names}. Please type the person number (P…) to choose.",
            names=names,
        )
    )


async def activation_refusal(ctx: Ctx, person: Person) -> str | None:
    """Why the asker may not deactivate or reactivate ``person``: ``"self"``, ``"head"``
    (a unit head acts only on a cadre of the unit they head; other roles are for an
    administrator), or None when allowed (administrators within their scope)."""
    if person.id == ctx.me.id:
        return "self"
    unit = await ctx.uow.units.get(person.unit_id)
    if unit is not None and ctx.me.can_see(unit, Role.ADMIN):
        return None
    heads_unit = any(
        g.role == Role.UNIT_HEAD and g.unit_id == person.unit_id for g in ctx.me.grants
    )
    return "head" if not heads_unit or person.roles - {Role.CADRE} else None
