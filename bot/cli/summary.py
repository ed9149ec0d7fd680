"""``lianzheng summary --unit CODE [--period P] [--xlsx F] [--csv F] [--png F] [--live]``
and ``lianzheng summary-refresh``.

The same figures, export and chart as /summary and /export in the chat, for an operator at
the server (no scope check: the command line already has the whole database). Like the
chat, a wide scope's year, quarter or month is read from the pre-aggregated snapshot when
it is fresh (``--live``, ``--xlsx`` or ``--csv`` compute it from the records);
``summary-refresh`` recomputes the snapshot, for deployments that run the bot without the
background loop.

The summary, export and chart modules (matplotlib, openpyxl) are imported when a command
runs, not when the command line starts.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from bot.cli.common import Command, language, no_kb, output_file, refuse, with_uow, write_private
from bot.settings import Settings
from handlers.summary.ports import summary_of

#: The period forms the command reads (as /summary does).
PERIODS = (
    "a year 2026, a quarter 2026Q2, a half 2026H1, a month 2026-05, days "
    "2026-01-01..2026-03-31, or 今年 / 去年 / 本季度 / 上季度 / 本月 / 上个月"
)
#: Rows of the per-person sheets written by the CLI (no chat file-size limit here).
MAX_ROWS = 1_000_000


async def run_summary(uow: Any, settings: Settings, args: argparse.Namespace) -> int:
    """Print the text summary and write the requested files; returns the exit code."""
    from bot.composition import snapshot_config
    from handlers.core.clock import SystemClock
    from handlers.core.i18n import translator
    from handlers.summary.figures import build_summary
    from handlers.summary.period import parse_period, year_period
    from handlers.summary.text import render_text

    now = SystemClock().now()
    tz = settings.timezone
    unit = await uow.units.by_code(args.unit)
    if unit is None:
        return refuse(f"unknown unit code: {args.unit}")
    if args.csv and args.csv.suffix.lower() != ".zip":
        return refuse("--csv writes a zip of one CSV file per sheet: give it a name ending in .zip")
    if args.period:
        period = parse_period(args.period, now.astimezone(tz).date())
        if period is None:
            return refuse(f"cannot read the period {args.period!r} ({PERIODS})")
    else:
        period = year_period(now.astimezone(tz).year)
    t = translator(args.lang)
    cfg = snapshot_config(settings)
    # Exports are computed live, so their figures agree with their person lists.
    live = args.live or bool(args.xlsx or args.csv) or not cfg.enabled
    max_age = None if live else cfg.max_age
    summary = await build_summary(uow, unit, period, now, tz, max_age)
    print(render_text(t, summary, max_kinds=50, in_chat=False))
    await _write_files(uow, args, t, summary, unit, period, now, tz)
    return 0


async def _write_files(
    uow: Any,
    args: argparse.Namespace,
    t: Any,
    summary: Any,
    unit: Any,
    period: Any,
    now: Any,
    tz: Any,
) -> None:
    """Write the export (``--xlsx``, ``--csv``) and the chart (``--png``) asked for."""
    from handlers.core.spreadsheet import to_csv_zip, to_xlsx
    from handlers.pledges.calendar import pledge_calendar
    from handlers.summary.chart import render_chart
    from handlers.summary.export import build_sheets
    from handlers.summary.figures import make_query

    if args.xlsx or args.csv:
        query = make_query(unit, period, now, tz, await pledge_calendar(uow))
        people = await summary_of(uow).accountable_people(query, MAX_ROWS)
        results = await summary_of(uow).assessments(query, MAX_ROWS)
        sheets = build_sheets(t, summary, people, results)
        if args.xlsx:
            write_private(args.xlsx, to_xlsx(sheets))
            print(f"written: {args.xlsx}", file=sys.stderr)
        if args.csv:
            write_private(args.csv, to_csv_zip(sheets, f"summary_{unit.code}_{period.code}"))
            print(f"written: {args.csv}", file=sys.stderr)
    if args.png:
        write_private(args.png, render_chart(t, summary))
        print(f"written: {args.png}", file=sys.stderr)


async def run_refresh(uow_factory: Any, settings: Settings) -> int:
    """Recompute the snapshot now and say what was kept; returns the exit code."""
    from bot.composition import snapshot_config
    from handlers.core.clock import SystemClock
    from handlers.summary.snapshot import refresh_snapshot

    started = time.perf_counter()
    report = await refresh_snapshot(
        uow_factory, SystemClock(), settings.timezone, snapshot_config(settings)
    )
    print(
        f"summary snapshot: {report.scopes} scope(s), {report.rows} row(s) "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return 0


async def _summary(settings: Settings, args: argparse.Namespace) -> int:
    return await with_uow(settings, lambda uow, app: run_summary(uow, settings, args))


async def _summary_refresh(settings: Settings, args: argparse.Namespace) -> int:
    from bot.composition import build_app

    app = await build_app(settings, kb=no_kb())
    try:
        return await run_refresh(app.uow_factory, settings)
    finally:
        await app.close()


def _summary_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--unit", required=True, help="unit code")
    p.add_argument("--period", default=None, help=PERIODS)
    p.add_argument("--xlsx", type=output_file, default=None, help="also write the XLSX export here")
    p.add_argument(
        "--csv",
        type=output_file,
        default=None,
        help="also write the CSV files, zipped, here (.zip)",
    )
    p.add_argument("--png", type=output_file, default=None, help="also write the chart here")
    p.add_argument(
        "--lang", type=language, default="zh_CN", help="language of texts and headers (zh_CN, en)"
    )
    p.add_argument(
        "--live", action="store_true", help="compute from the records, never the snapshot"
    )


SUMMARY = Command("summary", "figures of a unit subtree for a period", _summary_arguments, _summary)
REFRESH = Command(
    "summary-refresh",
    "recompute the pre-aggregated figures of wide scopes now",
    run=_summary_refresh,
)
