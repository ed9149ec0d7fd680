"""Record lists: the filters people type or press (unit or person, year, status), the query
for the person's scope, paging and the reply with its buttons."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, cast

from handlers.core.context import Ctx, button, rows
from handlers.core.domain import Person, Role, Unit
from handlers.core.errors import NotFound, UserError
from handlers.core.parsing import MAX_YEAR, MIN_YEAR, typed_year
from handlers.core.typed_words import self_word
from handlers.core.types import Button
from handlers.core.unit_words import find_units
from handlers.org.people import person_in_scope
from handlers.records.common import WRITE_ROLES, is_staff, not_found, offset_arg
from handlers.records.domain import READ_ROLES, RecordQuery
from handlers.records.kind import RecordKind
from handlers.records.ports import ListedRepository

#: Records per page in lists.
PAGE_SIZE = 8

#: Words people type to filter lists, mapped to the status codes of the records.
STATUS_WORDS = {
    "open": "open",
    "未结": "open",
    "进行中": "open",
    "未完成": "open",
    "待整改": "open",
    "overdue": "overdue",
    "逾期": "overdue",
    "超期": "overdue",
    "过期": "overdue",
    "已逾期": "overdue",
    "submitted": "submitted",
    "已提交": "submitted",
    "待审核": "submitted",
    "closed": "closed",
    "已结": "closed",
    "办结": "closed",
    "已办结": "closed",
    "已关闭": "closed",
    "已完成": "closed",
    "已整改": "closed",
    "已回访": "closed",
    "销号": "closed",
    "已销号": "closed",
    "待回访": "open",
    "办理中": "open",
    # English as staff type it (/talks pending).
    "pending": "open",
    "in progress": "open",
    "unfinished": "open",
    "late": "overdue",
    "done": "closed",
    "finished": "closed",
    "followed up": "closed",
    # As people say them (没整改完的, 过期了的, 没回访的, 办完的); 的 is dropped before.
    "没整改完": "open",
    "没整改": "open",
    "未整改": "open",
    "还没整改": "open",
    "没回访": "open",
    "未回访": "open",
    "没办完": "open",
    "没办结": "open",
    "未办结": "open",
    "没结": "open",
    "过期了": "overdue",
    "超期了": "overdue",
    "逾期了": "overdue",
    "办完": "closed",
    "办完了": "closed",
    "整改完": "closed",
    "整改完了": "closed",
    "回访过": "closed",
    "回访了": "closed",
    "结了": "closed",
    "excellent": "excellent",
    "优秀": "excellent",
    "passed": "passed",
    "达标": "passed",
    "合格": "passed",
    "failed": "failed",
    "不达标": "failed",
    "不合格": "failed",
}
#: A half-year, quarter, month or the last few months (上半年, 2026Q3, 三季度, 本月, 近三个月):
#: periods the summary reads, which a list cannot (it filters by year).
_PART_OF_YEAR = re.compile(
    r"^(?:今年|去年|前年|\d{4}年?)?(?:上半年|下半年|第?[一二三四1-4]季度|q[1-4]|\d{1,2}月份?"
    r"|本月|这个月|上个?月|本季度|这季度|上个?季度|(?:最)?近[一二两三四五六七八九十\d]{1,3}个?(?:月|天|周))的?$"
)
_YEAR = re.compile(r"^(?:((?:19|20)\d\d)|(\d\d))年?(?:度)?$")  # 2025, 2025年度, 25, 25年


@dataclass(frozen=True)
class Filters:
    """What a list is restricted to."""

    unit: Unit | None = None
    year: int | None = None
    status: str | None = None
    #: The records about one person (/talks 马丽娟), within the reader's scope.
    person: Person | None = None

    def payload(self) -> str:
        """The filters in button data: ``unit:year:status`` (0 / - when unset); a person
        takes the unit's place as ``pID``."""
        who = f"p{self.person.id}" if self.person else (self.unit.id if self.unit else 0)
        return f"{who}:{self.year or 0}:{self.status or '-'}"


async def parse_filters(ctx: Ctx, args: str, statuses: Mapping[str, str]) -> Filters:
    """``[UNIT] [YEAR] [STATUS]`` in any order; the unit must be in the reading scope. A
    status is one of ``statuses`` (code -> name in the reader's language), typed as its code,
    its name as the filter buttons show it, or a word staff use for it (STATUS_WORDS)."""
    year: int | None = None
    status: str | None = None
    rest: list[str] = []
    part = ""  # a half-year, quarter or month: no list filter
    by_name = {name.lower(): code for code, name in statuses.items()}
    # A status shown in words ("followed up", the filter button's label) is taken whole.
    for name, code in sorted(by_name.items(), key=lambda x: -len(x[0])):
        if " " in name and f" {name} " in f" {args.lower()} ":
            status = code
            at = args.lower().index(name)
            args = args[:at] + args[at + len(name) :]
            break
    for word in args.split():
        m = _YEAR.match(word)
        # 逾期的 / 已办结的: the status word with the 的 people add.
        w = word.lower().removesuffix("的") if len(word) > 2 else word.lower()
        code = STATUS_WORDS.get(w) or by_name.get(w) or w
        if m and year is None:
            year = int(m[1]) if m[1] else 2000 + int(m[2])
        elif code in statuses and status is None:
            status = code
        elif year is None and (named := typed_year(word, ctx.local_now.year)) is not None:
            year = named  # 今年 / 去年 / 今年的, as 2026 would
        elif _PART_OF_YEAR.match(word.lower()):
            part = part or word.removesuffix("的")
        else:
            rest.append(word)
    if part:
        _refuse_part_of_year(ctx, part, " ".join(rest))
    if not rest:
        return Filters(None, year, status)
    if self_word("".join(rest)):
        # /talks 我 (我有没有被诫勉谈话): one's own records, also for staff, who would
        # otherwise get everyone's in their scope (a head lists only his own talks anyway).
        return Filters(None, year, status, ctx.me if is_staff(ctx.me) else None)
    try:
        return Filters(await ctx.unit_in_scope(" ".join(rest), *READ_ROLES), year, status)
    except NotFound as no_unit:
        if not is_staff(ctx.me):
            return await _own_records_filter(ctx, " ".join(rest), year, status)
        try:  # /talks 马丽娟: the records about a person in the staff member's scope
            person = await person_in_scope(ctx, " ".join(rest), *READ_ROLES)
        except NotFound:
            if no_unit.buttons:  # /talks 越村镇: the unit that sounds so, offered
                raise no_unit from None
            raise NotFound(
                ctx._("No unit or person “{text}” found within your scope.", text=" ".join(rest))
            ) from None
        return Filters(None, year, status, person)


def _refuse_part_of_year(ctx: Ctx, word: str, unit: str) -> None:
    """Refuse a half-year, quarter or month as a list's filter (上半年 had been looked up as
    a unit's name): lists go by year; the summary, for those who may read it, by any
    period (the unit named kept)."""
    said = ctx._(
        "Record lists are filtered by year, not by “{text}”: type a year (for example 2026 or 今年).",
        text=word,
    )
    summary = ctx.router.commands.get("summary") if ctx.router is not None else None
    if summary is not None and summary.access.allows(ctx.me.roles):
        asked = " ".join(w for w in (unit, word) if w)
        said += " " + ctx._(
            "For the figures of a half-year, quarter or month, use /summary {text}.", text=asked
        )
    raise UserError(said)


async def _own_records_filter(ctx: Ctx, text: str, year: int | None, status: str | None) -> Filters:
    """A list filtered by name by someone who reads only their own records (a cadre, or a
    unit head's own unit's notices): their own name, 我, or the unit they head reads as what
    they see anyway; anything else is refused."""
    typed = "".join(text.split()).removesuffix("的")
    if self_word(typed) or typed == "".join(ctx.me.name.split()):
        return Filters(None, year, status)
    # The unit he heads, however he names it (岳村镇, HL-YC, 我们单位, 岳村镇政府): he sees it.
    heads = [g for g in ctx.me.grants if g.role == Role.UNIT_HEAD]
    named = await find_units(ctx.uow, ctx.me, typed, [g.unit_path for g in heads])
    if any(u.id == g.unit_id for u in named for g in heads):
        return Filters(None, year, status)
    raise NotFound(
        ctx._(
            "You can only see the records about yourself here, not search by “{text}”.", text=text
        )
    )


async def filters_from_payload(ctx: Ctx, args: list[str], statuses: Sequence[str]) -> Filters:
    """Filters from ``unit:year:status`` in button data; the unit is re-checked for scope."""
    if args and args[0].startswith("p") and is_staff(ctx.me):
        person = await _person_from_payload(ctx, args[0][1:])
        plain = await filters_from_payload(ctx, ["0", *args[1:]], statuses)
        return replace(plain, person=person)
    try:
        unit_id, year = int(args[0]), int(args[1])
        status = args[2]
    except (IndexError, ValueError):
        raise not_found(ctx, "?") from None
    if year and not MIN_YEAR <= year <= MAX_YEAR:
        raise not_found(ctx, "?")
    unit = None
    if unit_id:
        unit = await ctx.uow.units.get(unit_id)
        if unit is None or not ctx.me.can_see(unit, *READ_ROLES):
            raise NotFound(ctx._("No unit “{text}” found within your scope.", text=f"#{unit_id}"))
    return Filters(unit, year or None, status if status in statuses else None)


async def _person_from_payload(ctx: Ctx, number: str) -> Person:
    """The person of a ``pID`` filter, re-checked against the reader's scope."""
    person = await ctx.uow.people.get(int(number)) if number.isdecimal() else None
    unit = await ctx.uow.units.get(person.unit_id) if person else None
    if person is None or unit is None or not ctx.me.can_see(unit, *READ_ROLES):
        raise NotFound(ctx._("No person “{text}” found within your scope.", text=f"P{number}"))
    return person


def next_page(
    prefix: str, filters: Filters, offset: int, found: Sequence[Any], limit: int
) -> tuple[list[Any], str | None]:
    """The rows to show (one more than a page was fetched) and the "more" button payload."""
    page = list(found[: limit - 1])
    more = (
        f"{prefix}:l:{filters.payload()}:{offset + len(page)}" if len(found) > len(page) else None
    )
    return page, more


def list_query(
    ctx: Ctx, filters: Filters, offset: int, own_paths: Sequence[str] = ()
) -> RecordQuery:
    """The query for a list: the staff scope (or the chosen unit), else the person's own.

    ``own_paths`` lets non-staff read by unit (a unit head's notices); otherwise they read
    only records about themselves.
    """
    me = ctx.me
    today = ctx.local_now.date()
    common = {
        "year": filters.year,
        "status": filters.status,
        "today": today,
        "limit": PAGE_SIZE + 1,
        "offset": offset,
    }
    if is_staff(me):
        paths = (filters.unit.path,) if filters.unit else me.scope_paths(*READ_ROLES)
        person = filters.person.id if filters.person else None
        return RecordQuery(unit_paths=tuple(paths), person_id=person, **common)  # type: ignore[arg-type]
    if own_paths:
        return RecordQuery(unit_paths=tuple(own_paths), **common)  # type: ignore[arg-type]
    return RecordQuery(unit_paths=None, person_id=me.id, **common)  # type: ignore[arg-type]


def list_reply(
    ctx: Ctx,
    header: str,
    lines: list[tuple[str, str, str]],
    more: str | None,
    extra: Sequence[Button] = (),
    edit: bool = False,
    filter_buttons: Sequence[Sequence[Button]] = (),
) -> None:
    """Send a list: one text line and one open-button per record, then "more", the filter
    buttons and extras. ``lines`` holds (text line, button label, button data).
    """
    filter_rows = [list(r) for r in filter_buttons]
    if not lines:
        text = header + "\n\n" + ctx._("No records.")
        if ctx.me.has_role(Role.SUPERVISOR) and not is_staff(ctx.me):
            # The office sees figures, not files: "no records" alone read as "none exist".
            text += "\n" + ctx._(
                "This list shows only records about yourself. Figures for the units are in /summary; the records themselves are kept by the discipline inspectors."
            )
        ctx.reply(text, rows(*filter_rows, list(extra)), edit=edit)
        return
    text = "\n".join([header, "", *(line for line, _, _ in lines)])
    keyboard = [[button(label, data)] for _, label, data in lines]
    nav = [button(ctx._("More ▶"), more)] if more else []
    ctx.reply(text, rows(*keyboard, nav, *filter_rows, list(extra)), edit=edit)


def status_filters(
    ctx: Ctx, prefix: str, filters: Filters, names: dict[str, str]
) -> list[list[Button]]:
    """Buttons that re-list with another status (and "all"), keeping unit and year."""
    choices = [
        button(name, f"{prefix}:l:{replace(filters, status=code).payload()}:0")
        for code, name in names.items()
        if code != filters.status
    ]
    if filters.status:
        everything = replace(filters, status=None).payload()
        choices.append(button(ctx._("All"), f"{prefix}:l:{everything}:0"))
    return [choices[i : i + 3] for i in range(0, len(choices), 3)]


def filters_text(ctx: Ctx, filters: Filters, status_names: dict[str, str]) -> str:
    """A short description of active filters for a list header."""
    parts = []
    if filters.unit:
        parts.append(filters.unit.name)
    if filters.person:
        parts.append(filters.person.name)
    if filters.year:
        parts.append(ctx._("year {year}", year=filters.year))
    if filters.status:
        parts.append(status_names.get(filters.status, filters.status))
    if not parts:
        return ""
    # Appended to the list's title: 诫勉谈话（2026年，已回访） / "Warning talks (2026, followed up)".
    return ctx.t.aside("", ctx.t.listing(parts))


async def show_list(
    ctx: Ctx, kind: RecordKind, filters: Filters, offset: int, edit: bool = False
) -> None:
    """One page of a kind's list in the person's scope, with paging, filter and new buttons."""
    listing = kind.listing
    assert listing is not None
    query = list_query(ctx, filters, offset, own_paths=listing.own_paths(ctx))
    # A kind with a list has a repository that searches.
    found = await cast(ListedRepository[Any], kind.repo(ctx.uow)).search(query)
    page, more = next_page(kind.prefix, filters, offset, found, query.limit)
    lines = []
    for record in page:
        line, label = await listing.line(ctx, record)
        lines.append((line, label, f"{kind.prefix}:o:{record.id}"))
    name = str(kind.type)
    unit = filters.unit.id if filters.unit else None
    await ctx.audit(f"{name}.listed", name, "", unit, count=len(page), offset=offset)
    names = listing.status_names(ctx)
    header = ctx._(listing.title) + filters_text(ctx, filters, names)
    new = ctx.me.has_role(*WRITE_ROLES)
    extra = [button(ctx._(listing.new), f"{kind.prefix}:n")] if new else []
    filter_buttons = status_filters(ctx, kind.prefix, filters, names)
    list_reply(ctx, header, lines, more, extra, edit=edit, filter_buttons=filter_buttons)


async def list_page(ctx: Ctx, kind: RecordKind, args: list[str]) -> None:
    """The list button ``l:unit:year:status:offset`` (more, or another status)."""
    assert kind.listing is not None
    statuses = list(kind.listing.status_names(ctx))
    filters = await filters_from_payload(ctx, args[1:4], statuses)
    await show_list(ctx, kind, filters, offset_arg(ctx, args, 4), edit=True)
