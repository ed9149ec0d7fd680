"""Setting the year's event dates from rows of a file (``lianzheng calendar import FILE``):
all rows or none, with the checks of ``/calendar set``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from handlers.calendar.commands import MAX_PLACE, conflict_text
from handlers.calendar.domain import CalendarDate
from handlers.calendar.events import year_events
from handlers.calendar.past import past_problem
from handlers.calendar.ports import calendar_of
from handlers.calendar.reading import find_event, parse_dates
from handlers.core.i18n import Translator, translator
from handlers.core.ports import UnitOfWork
from knowledge.calendar import plan_conflicts

#: First cells that mark a header row.
_HEADERS = ("event", "code", "事件")


async def import_dates(
    uow: UnitOfWork,
    rows: Iterable[Sequence[str]],
    by: int | None = None,
    this_year: int | None = None,
    t: Translator | None = None,
    today: date | None = None,
) -> tuple[int, list[str]]:
    """Set dates from rows (event code or name, date[..end], place); returns (saved,
    problems).

    Nothing is saved when any row has a problem, a date lies in a year before
    ``this_year``, an event is set twice, or the dates leave a year's plan in conflict (the
    caller commits only on success). With ``today``, an event already held and a day that
    has passed are refused as ``/calendar set`` refuses them.
    """
    values, problems = await _read_rows(uow, rows, by, this_year, today)
    if problems:
        return 0, problems
    for value in values:
        await calendar_of(uow).set_date(value)
    words = t or translator("en")
    for year in sorted({v.year for v in values}):
        problems += [
            f"{year}: {conflict_text(words, c)}"
            for c in plan_conflicts(await year_events(uow, year))
        ]
    if problems:
        return 0, problems
    if values:  # check-in windows may follow these dates (see /calendar set)
        await uow.snapshot_cache.expire_snapshot()
    return len(values), []


async def _read_rows(
    uow: UnitOfWork,
    rows: Iterable[Sequence[str]],
    by: int | None,
    this_year: int | None,
    today: date | None,
) -> tuple[list[CalendarDate], list[str]]:
    """The dates the rows set, and every row's problem."""
    problems: list[str] = []
    values: list[CalendarDate] = []
    seen: dict[tuple[str, int], int] = {}
    for n, row in enumerate(rows, 1):
        cells = [c.strip() for c in row]
        if not cells or not any(cells) or cells[0].lower() in _HEADERS:
            continue
        try:
            value = await _read_row(uow, cells, by, this_year, today)
        except ValueError as exc:
            problems.append(f"row {n}: {exc}")
            continue
        key = (value.event_code, value.year)
        if key in seen:
            problems.append(f"row {n}: {key[0]} {key[1]} is set on row {seen[key]} too")
            continue
        seen[key] = n
        values.append(value)
    return values, problems


async def _read_row(
    uow: UnitOfWork, cells: list[str], by: int | None, this_year: int | None, today: date | None
) -> CalendarDate:
    """The date one row sets; ValueError says what is wrong with it."""
    spec = find_event(cells[0])
    if spec is None:
        raise ValueError(f"unknown event {cells[0]!r}")
    try:
        start, end = parse_dates(cells[1] if len(cells) > 1 else "")
    except ValueError as exc:
        raise ValueError(f"bad date: {exc}") from None
    place = cells[2] if len(cells) > 2 else ""
    if this_year is not None and start.year < this_year:
        raise ValueError(f"{start.year} is over; its dates are history")
    if len(place) > MAX_PLACE:
        raise ValueError(f"place longer than {MAX_PLACE} characters")
    past = await past_problem(uow, spec, start, end, today) if today else None
    if past:
        raise ValueError(past)
    return CalendarDate(spec.code, start.year, start, end, place, by)
