"""Shared machinery for discipline records: who may do what, lookups, dates, lists, revisions.

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

import re
import unicodedata
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any

from handlers.core.context import Ctx, button, rows
from handlers.core.domain import Person, Role, Unit
from handlers.core.errors import NotFound, UserError
from handlers.core.forms import Data
from handlers.core.parsing import MAX_YEAR, MIN_YEAR, small_number
from handlers.core.types import Button
from handlers.records.domain import RecordQuery, RecordType, Revision

#: Roles that read records of their subtrees.
READ_ROLES = (Role.INSPECTOR, Role.ADMIN)
#: Roles that create and change records of their subtrees.
WRITE_ROLES = (Role.INSPECTOR,)
#: Roles that may delete (leaving a tombstone).
DELETE_ROLES = (Role.ADMIN,)
#: Records per page in lists.
PAGE_SIZE = 8
#: The earliest date accepted anywhere (the responsibility system dates from 1998).
EARLIEST = date(1990, 1, 1)
#: Longest free texts stored (a form refuses longer input anyway).
MAX_TEXT = 2000


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
        return f"{value.get('name', '')}（{extra}）" if extra else str(value.get("name", ""))
    return str(value)


async def person_label(ctx: Ctx, person_id: int | None) -> str:
    """``name（unit）`` of a person, or a dash."""
    if person_id is None:
        return "—"
    person = await ctx.uow.people.get(person_id)
    if person is None:
        return f"P{person_id}"
    unit = await ctx.uow.units.get(person.unit_id)
    return f"{person.name}（{unit.name}）" if unit else person.name


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


# -- dates ---------------------------------------------------------------------------------------
_DATE_PATTERNS = (
    re.compile(r"^(\d{4})\s*[-/.年\s]\s*(\d{1,2})\s*[-/.月\s]\s*(\d{1,2})\s*[日号]?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
_SHORT_DATE = re.compile(r"^(\d{1,2})\s*[-/.月\s]\s*(\d{1,2})\s*[日号]?$")
_RELATIVE = {
    "today": 0,
    "今天": 0,
    "今日": 0,
    "yesterday": -1,
    "昨天": -1,
    "昨日": -1,
    "tomorrow": 1,
    "明天": 1,
    "明日": 1,
    "前天": -2,
    "前日": -2,
    "大前天": -3,
    "后天": 2,
}
_DAYS_AGO = re.compile(
    r"^(\d{1,3}|[零一二两三四五六七八九十]{1,3})\s*天\s*(前|以前|之前|后|以后|之后)$"
)
_WEEKDAY = re.compile(
    r"^(上上|上|本|这|下)?\s*(?:个)?\s*(?:周|星期|礼拜)\s*([一二三四五六日天1-7])$"
)
_WEEKDAY_INDEX = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_WEEK_SHIFT = {"上上": -2, "上": -1, "本": 0, "这": 0, "下": 1, None: 0}


def _relative_day(cleaned: str, today: date) -> date | None:
    """前天, 3天前, 三天以后, 上周五, 星期一, 下礼拜三 …; None when it is none of these."""
    m = _DAYS_AGO.match(cleaned)
    if m:
        n = small_number(m[1])
        if n is None:
            return None
        return today + timedelta(days=-n if m[2] in ("前", "以前", "之前") else n)
    m = _WEEKDAY.match(cleaned)
    if m:
        day = _WEEKDAY_INDEX.get(m[2], int(m[2]) - 1 if m[2].isdigit() else 0)
        monday = today - timedelta(days=today.weekday())
        return monday + timedelta(weeks=_WEEK_SHIFT[m[1]], days=day)
    return None


def parse_date(text: str, today: date) -> date | None:
    """A date from what people type: 2026-03-10, 2026/3/10, 2026年3月10日, 20260310,
    3月10日 (this year), today / 今天, yesterday / 昨天, 前天, 3天前, 上周五, 星期一 (this
    week); None when it is not a date."""
    # NFKC turns full-width digits and punctuation into ASCII.
    cleaned = unicodedata.normalize("NFKC", text or "").strip().lower().rstrip("。.")
    if cleaned in _RELATIVE:
        return today + timedelta(days=_RELATIVE[cleaned])
    relative = _relative_day(cleaned, today)
    if relative is not None:
        return relative
    for pattern in _DATE_PATTERNS:
        m = pattern.match(cleaned)
        if m:
            return _safe_date(int(m[1]), int(m[2]), int(m[3]))
    m = _SHORT_DATE.match(cleaned)
    if m:
        return _safe_date(today.year, int(m[1]), int(m[2]))
    return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def read_date(ctx: Ctx, text: str) -> date:
    """Parse a date the person typed, or explain the accepted forms."""
    value = parse_date(text, ctx.local_now.date())
    if value is None or value < EARLIEST or value.year > 2100:
        raise UserError(ctx._("Please give a date like 2026-03-10 (or “today”)."))
    return value


def read_past_date(ctx: Ctx, text: str) -> date:
    """A date that is today or earlier (for things that already happened)."""
    value = read_date(ctx, text)
    if value > ctx.local_now.date():
        raise UserError(
            ctx._("That date is in the future; please give the date on which it happened.")
        )
    return value


def from_iso(value: Any) -> date | None:
    """A date kept as ISO text in form data (None stays None)."""
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def fmt_date(value: date | None) -> str:
    """Dates are shown as ISO (unambiguous in both languages)."""
    return value.isoformat() if value else "—"


def fmt_time(ctx: Ctx, value: datetime | None) -> str:
    """A moment in the configured time zone."""
    if value is None:
        return "—"
    return value.astimezone(ctx.services.config.timezone).strftime("%Y-%m-%d %H:%M")


def today_choice(ctx: Ctx, data: Data) -> list[tuple[str, str]]:
    """A "Today" button for date steps."""
    return [(ctx._("Today"), ctx.local_now.date().isoformat())]


def show_date(ctx: Ctx, value: Any) -> str:
    """Review-screen text of a date kept as ISO text."""
    return str(value) if value else "—"


def read_text(ctx: Ctx, text: str, max_len: int = MAX_TEXT, min_len: int = 1) -> str:
    """Free text of bounded length, in words: a lone number, date or emoji is refused (it
    is a slip of the keyboard or an answer to another question, never a place, a name or
    what was said)."""
    text = text.strip()
    if len(text) < min_len:
        raise UserError(ctx._("Please write at least {n} characters.", n=min_len))
    if len(text) > max_len:
        raise UserError(ctx._("That is too long (at most {n} characters).", n=max_len))
    if not any(ch.isalpha() for ch in text):
        raise UserError(
            ctx._("Please write this in words; a number, a date or an emoji alone is not enough.")
        )
    return text


def clip(text: str | None, n: int = 60) -> str:
    """Shorten a text for a list line or a button."""
    text = (text or "").replace("\n", " ").strip()
    return text if len(text) <= n else text[: n - 1] + "…"


# -- lists ---------------------------------------------------------------------------------------
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
    "excellent": "excellent",
    "优秀": "excellent",
    "passed": "passed",
    "达标": "passed",
    "合格": "passed",
    "failed": "failed",
    "不达标": "failed",
    "不合格": "failed",
}
_YEAR = re.compile(r"^((?:19|20)\d\d)年?(?:度)?$")


@dataclass(frozen=True)
class Filters:
    """What a list is restricted to."""

    unit: Unit | None = None
    year: int | None = None
    status: str | None = None

    def payload(self) -> str:
        """The filters in button data: ``unit:year:status`` (0 / - when unset)."""
        return f"{self.unit.id if self.unit else 0}:{self.year or 0}:{self.status or '-'}"


async def parse_filters(ctx: Ctx, args: str, statuses: Sequence[str]) -> Filters:
    """``[UNIT] [YEAR] [STATUS]`` in any order; the unit must be in the reading scope."""
    year: int | None = None
    status: str | None = None
    rest: list[str] = []
    for word in args.split():
        m = _YEAR.match(word)
        code = STATUS_WORDS.get(word.lower())
        if m and year is None:
            year = int(m[1])
        elif code in statuses and status is None:
            status = code
        else:
            rest.append(word)
    unit = await ctx.unit_in_scope(" ".join(rest), *READ_ROLES) if rest else None
    return Filters(unit, year, status)


async def filters_from_payload(ctx: Ctx, args: list[str], statuses: Sequence[str]) -> Filters:
    """Filters from ``unit:year:status`` in button data; the unit is re-checked for scope."""
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
        return RecordQuery(unit_paths=tuple(paths), **common)  # type: ignore[arg-type]
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
    if filters.year:
        parts.append(ctx._("year {year}", year=filters.year))
    if filters.status:
        parts.append(status_names.get(filters.status, filters.status))
    return f"（{'，'.join(parts)}）" if parts else ""


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
    record_type: RecordType,
    record_id_: int,
    action: str,
    changes: dict[str, tuple[Any, Any]] | None = None,
) -> None:
    """Append a revision: who (this person), when (now), what changed (old, new)."""
    await ctx.uow.records.revisions.add(
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
    record_type: RecordType,
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


def label(message: str) -> Callable[[Ctx, Data], str]:
    """A step label or prompt from a message id marked with N_()."""
    return lambda ctx, data: ctx._(message)


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
