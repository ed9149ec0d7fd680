"""Supervisor summaries: ``/summary [unit] [period]`` and ``/export [unit] [period]``.

The text gives the figures of a unit subtree over a period; buttons open the chart, the
spreadsheet export and each direct sub-unit (drill-down). Every button press re-checks the
unit against the person's scope: a forged or stale unit id gets the same reply as a unit
that does not exist.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from datetime import date

from handlers.calendar.windows import pledge_calendar
from handlers.core.context import Ctx, button
from handlers.core.domain import Unit
from handlers.core.errors import NotFound, UserError
from handlers.core.i18n import N_
from handlers.core.private import private_commands
from handlers.core.router import ButtonHandler, Router, RunCommand
from handlers.core.spreadsheet import to_csv_zip, to_xlsx
from handlers.core.typed_words import normalise
from handlers.core.types import Button, DocumentReply, PhotoReply
from handlers.summary.chart import render_chart
from handlers.summary.domain import Period, Summary
from handlers.summary.export import build_sheets
from handlers.summary.figures import SUMMARY_ROLES, build_summary, make_query, scope_units
from handlers.summary.period import parse_period, range_problem, year_period
from handlers.summary.ports import summary_of
from handlers.summary.text import as_of_line, period_label, render_text
from handlers.summary.typed import figures_request

#: Roles whose scope a summary may cover.
ROLES = SUMMARY_ROLES
router = Router()
command = private_commands(router, ROLES)
#: Sub-unit buttons shown under a summary (the rest are in the export).
MAX_DRILL_BUTTONS = 40
#: Rows of the per-person export sheets (a province's full list would not fit a chat file).
MAX_EXPORT_ROWS = 20_000


def _not_found(ctx: Ctx, text: str) -> NotFound:
    return NotFound(ctx._("No unit “{text}” found within your scope.", text=text))


def split_args(text: str, today: date | None = None) -> tuple[str, Period | None, bool]:
    """(unit text, period or None, whether the text held something like a bad period).

    The period is the last one to three words (``2026年 第二季度`` has a space in it), or the
    first ones (``2026 岳村镇``), or typed against the name (``华龙区2026``); with ``today``
    it may also be named relative to it (``华龙区 上个月``) or be a half year (上半年).
    """
    words = text.replace("，", " ").replace(",", " ").split()

    def read(raw: str) -> Period | None:
        return parse_period(raw, today)

    for k in (4, 3, 2, 1):
        if len(words) >= k:
            period = read("".join(words[-k:]))
            if period is not None:
                return " ".join(words[:-k]), period, False
    for k in (3, 2, 1):
        if len(words) > k:
            period = read("".join(words[:k]))
            if period is not None:
                return " ".join(words[k:]), period, False
    glued = _GLUED.match(words[-1]) if words else None
    if glued is not None:
        period = read(glued["period"])
        if period is not None:
            return " ".join([*words[:-1], glued["unit"]]), period, False
    bad = any(_PERIOD_LIKE.search(w) for w in words[-1:] + words[:1])
    return " ".join(words), None, bad


#: A unit's name with a period typed against it (华龙区2026, 岳村镇上半年).
_GLUED = re.compile(
    r"^(?P<unit>\D+?)(?P<period>\d{1,4}.*|[今去本上下近最过前].*[年季月].*|十?[一二三四五六七八九十]月.*"
    r"|年初.*|全年)$"
)
#: Words that were meant as a period even when they cannot be read (26年5月, 第五季度, 13月).
_PERIOD_LIKE = re.compile(r"^\d{4}|\d年|季度|\d+月|半年|^[qh]\d$", re.IGNORECASE)


async def _resolve(ctx: Ctx, command: str, args: str) -> tuple[Unit | None, Period]:
    unit_text, period, bad_period = split_args(args, ctx.local_now.date())
    if bad_period:
        problems = [(tok, range_problem(tok)) for tok in args.split()]
        for tok, problem in problems:
            if problem == "reversed":
                raise UserError(
                    ctx._(
                        "The range {text} ends before it starts; write the earlier day first.",
                        text=tok,
                    )
                )
            if problem == "no_such_day":
                raise UserError(
                    ctx._("The range {text} has a day the calendar does not have.", text=tok)
                )
        raise UserError(
            ctx._(
                "I could not read that period. Use a year (2026), a quarter (2026Q2 or "
                "2026年第二季度), a month (2026-05 or 2026年5月) or a range "
                "(2026-01-01..2026-03-31)."
            )
        )
    period = period or year_period(ctx.local_now.year)
    if period.start > ctx.local_now.date():
        # Nothing can have been recorded yet: an all-zero report would read as a bad year.
        raise UserError(
            ctx._(
                "That period begins on {date}, which has not come yet: there are no figures for it.",
                date=period.start.isoformat(),
            )
        )
    if unit_text:
        return await ctx.unit_in_scope(unit_text, *ROLES), period
    units = await scope_units(ctx.uow, ctx.me)
    if len(units) == 1:
        return units[0], period
    ctx.reply(
        ctx._("Which unit? Choose one:"),
        tuple(
            (button(u.name, f"{command}:{u.id}:{period.code}"),) for u in units[:MAX_DRILL_BUTTONS]
        ),
    )
    return None, period


async def _from_payload(ctx: Ctx, args: list[str]) -> tuple[Unit, Period]:
    """The unit and period of a button, checked against the scope *now*."""
    raw = args[0] if args else ""
    unit = await ctx.uow.units.get(int(raw)) if raw.isdecimal() and len(raw) < 19 else None
    if unit is None or not ctx.me.can_see(unit, *ROLES):
        raise _not_found(ctx, f"#{raw[:20]}")
    period = parse_period(args[1]) if len(args) > 1 else None
    if period is None:
        raise UserError(ctx._("That button is no longer valid."))
    return unit, period


async def _summary(ctx: Ctx, unit: Unit, period: Period, live: bool = False) -> Summary:
    cfg = ctx.services.config
    max_age = cfg.summary.max_age if cfg.summary.enabled and not live else None
    return await build_summary(ctx.uow, unit, period, ctx.now, cfg.timezone, max_age)


def _with_as_of(ctx: Ctx, s: Summary, caption: str) -> str:
    """A caption, plus when the figures were taken if they come from the snapshot."""
    line = as_of_line(ctx.t, s)
    return f"{caption}\n{line}" if line else caption


def _keyboard(ctx: Ctx, s: Summary, parent: Unit | None) -> tuple[tuple[Button, ...], ...]:
    code = s.period.code
    rows: list[tuple[Button, ...]] = [
        (
            button(ctx._("📈 Chart"), f"sumc:{s.unit.id}:{code}"),
            button(ctx._("📥 Spreadsheet"), f"sumx:{s.unit.id}:{code}"),
        )
    ]
    if s.as_of is not None:
        # Kept figures are the default for wide scopes (fast); the records on request.
        rows.append((button(ctx._("🔄 Live figures"), f"suml:{s.unit.id}:{code}"),))
    subs = [p.unit for p in s.parts if not p.own][:MAX_DRILL_BUTTONS]
    for i in range(0, len(subs), 2):
        rows.append(tuple(button(u.name, f"sum:{u.id}:{code}") for u in subs[i : i + 2]))
    if parent is not None:
        rows.append((button(ctx._("⬆ {unit}", unit=parent.name), f"sum:{parent.id}:{code}"),))
    return tuple(rows)


async def show_summary(ctx: Ctx, unit: Unit, period: Period, live: bool = False) -> None:
    """Reply with the text summary and its buttons: from the kept snapshot when it is fresh
    (it says when it was taken), computed from the records when ``live``."""
    s = await _summary(ctx, unit, period, live=live)
    parent = await ctx.uow.units.get(unit.parent_id) if unit.parent_id else None
    if parent is not None and not ctx.me.can_see(parent, *ROLES):
        parent = None
    await ctx.audit("summary.viewed", "unit", unit.id, unit.id, period=period.code)
    ctx.reply(render_text(ctx.t, s), _keyboard(ctx, s, parent))


#: Telegram shrinks a photo's longer side to this many pixels.
PHOTO_LONG_SIDE = 1280
#: Narrowest a chart may become in a photo and stay readable on a phone.
MIN_PHOTO_WIDTH = 540


def too_tall_for_a_photo(png: bytes) -> bool:
    """True when Telegram's photo scaling would leave the chart narrower than
    :data:`MIN_PHOTO_WIDTH` (the PNG header holds width and height at bytes 16–24)."""
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    scale = min(1.0, PHOTO_LONG_SIDE / max(width, height, 1))
    return width * scale < MIN_PHOTO_WIDTH


async def send_chart(ctx: Ctx, unit: Unit, period: Period) -> None:
    """Send the sub-units' key rates as a PNG picture."""
    s = await _summary(ctx, unit, period)
    await ctx.audit("summary.chart", "unit", unit.id, unit.id, period=period.code)
    png = render_chart(ctx.t, s)
    caption = _with_as_of(
        ctx,
        s,
        ctx._("{unit} · {period}: key rates", unit=unit.name, period=period_label(ctx.t, period)),
    )
    name = f"summary_{unit.code}_{period.code}.png"
    if too_tall_for_a_photo(png):
        # Telegram scales a photo's long side down to 1280 px, which would make a tall
        # chart unreadably narrow; a document keeps every pixel and opens in the viewer.
        ctx.send(DocumentReply(name, png, caption))
    else:
        ctx.send(PhotoReply(filename=name, content=png, caption=caption))


async def send_export(ctx: Ctx, unit: Unit, period: Period) -> None:
    """Send the XLSX workbook and the same sheets as CSV files in a zip.

    Always computed live: its person lists are read from the records, and its figures must
    agree with them (a file is kept and compared; it may take a second on a province)."""
    s = await _summary(ctx, unit, period, live=True)
    calendar = await pledge_calendar(ctx.uow)
    query = make_query(unit, period, ctx.now, ctx.services.config.timezone, calendar)
    people = await summary_of(ctx.uow).accountable_people(query, MAX_EXPORT_ROWS + 1)
    results = await summary_of(ctx.uow).assessments(query, MAX_EXPORT_ROWS + 1)
    cut = len(people) > MAX_EXPORT_ROWS or len(results) > MAX_EXPORT_ROWS
    sheets = build_sheets(ctx.t, s, people[:MAX_EXPORT_ROWS], results[:MAX_EXPORT_ROWS])
    await ctx.audit("summary.exported", "unit", unit.id, unit.id, period=period.code)
    stem = f"summary_{unit.code}_{period.code}"
    caption = ctx._(
        "{unit} · {period}: summary spreadsheet", unit=unit.name, period=period_label(ctx.t, period)
    )
    if cut:
        caption += "\n" + ctx._("Person lists are cut at {n} rows.", n=MAX_EXPORT_ROWS)
    ctx.send(DocumentReply(f"{stem}.xlsx", to_xlsx(sheets), caption))
    ctx.send(DocumentReply(f"{stem}_csv.zip", to_csv_zip(sheets, stem), ctx._("The same as CSV.")))


@command(
    "summary",
    N_("Figures for a unit and period: /summary [UNIT] [2026 | 2026Q2 | 2026-05]"),
    order=60,
)
async def summary_command(ctx: Ctx) -> None:
    """Show the summary of a unit subtree (default: the person's scope) and period."""
    args, live = split_live(ctx.req.args)
    unit, period = await _resolve(ctx, "suml" if live else "sum", args)
    if unit is not None:
        await show_summary(ctx, unit, period, live=live)


@command("export", N_("Summary spreadsheet (XLSX and CSV): /export [UNIT] [PERIOD]"), order=61)
async def export_command(ctx: Ctx) -> None:
    """Send the spreadsheet export of a unit subtree and period."""
    unit, period = await _resolve(ctx, "sumx", ctx.req.args)
    if unit is not None:
        await send_export(ctx, unit, period)


@command("chart", N_("Chart of the key rates by sub-unit: /chart [UNIT] [PERIOD]"), order=62)
async def chart_command(ctx: Ctx) -> None:
    """Send the chart of a unit subtree (default: the person's scope) and period."""
    unit, period = await _resolve(ctx, "sumc", ctx.req.args)
    if unit is not None:
        await send_chart(ctx, unit, period)


#: Words that ask for figures computed from the records now (``/summary 华龙区 实时``).
LIVE_WORDS = frozenset({"实时", "最新", "live"})


def split_live(args: str) -> tuple[str, bool]:
    """(the arguments without it, True) when a word asks for live figures (anywhere:
    ``岳村镇 实时 2026`` too)."""
    words = args.split()
    kept = [w for w in words if w.lower() not in LIVE_WORDS]
    if len(kept) < len(words):
        return " ".join(kept), True
    return args, False


async def _show_live(ctx: Ctx, unit: Unit, period: Period) -> None:
    """The same summary computed from the records now."""
    await show_summary(ctx, unit, period, live=True)


_Show = Callable[[Ctx, Unit, Period], Awaitable[None]]

#: The summary's buttons, by prefix: each names a unit and a period in its payload and shows
#: them one way (drill down or up, live figures, the chart, the spreadsheet).
_SHOWN_BY_BUTTON: dict[str, _Show] = {
    "sum": show_summary,
    "suml": _show_live,
    "sumc": send_chart,
    "sumx": send_export,
}


def _payload_button(show: _Show) -> ButtonHandler:
    """A button handler that reads the unit and period of its payload and shows them."""

    async def handle(ctx: Ctx, args: list[str]) -> None:
        unit, period = await _from_payload(ctx, args)
        await show(ctx, unit, period)

    return handle


for _prefix, _show in _SHOWN_BY_BUTTON.items():
    router.button(_prefix, roles=ROLES, private_only=True)(_payload_button(_show))


@router.shortcut
async def try_figures_request(ctx: Ctx, run_command: RunCommand) -> bool:
    """Run 统计一下今年的情况 and the like as the command they stand for; True when it was one."""
    command = figures_request(normalise(ctx.req.text))
    if command is None:
        return False
    await run_command(command)
    return True


@router.typed_names
def is_figures_request(text: str) -> bool:
    """Whether the whole message asks for figures in words (not a form's answer)."""
    return figures_request(normalise(text)) is not None
