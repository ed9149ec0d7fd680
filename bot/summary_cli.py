"""``lianzheng summary --unit CODE [--period P] [--xlsx F] [--csv F] [--png F]``.

The same figures, export and chart as /summary and /export in the chat, for an operator at
the server (no scope check: the command line already has the whole database).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from bot.settings import Settings
from handlers.clock import SystemClock
from handlers.i18n import translator
from handlers.pledge_calendar import pledge_calendar
from handlers.summary_chart import render_chart
from handlers.summary_export import build_sheets, to_csv_zip, to_xlsx
from handlers.summary_figures import build_summary, make_query
from handlers.summary_period import parse_period, year_period
from handlers.summary_text import render_text

#: Rows of the per-person sheets written by the CLI (no chat file-size limit here).
MAX_ROWS = 1_000_000


async def run_summary(uow: Any, settings: Settings, args: argparse.Namespace) -> int:
    """Print the text summary and write the requested files; returns the exit code."""
    now = SystemClock().now()
    tz = settings.timezone
    unit = await uow.units.by_code(args.unit)
    if unit is None:
        print(f"unknown unit code: {args.unit}", file=sys.stderr)
        return 2
    if args.period:
        period = parse_period(args.period)
        if period is None:
            print(f"cannot read the period {args.period!r}", file=sys.stderr)
            return 2
    else:
        period = year_period(now.astimezone(tz).year)
    t = translator(args.lang)
    summary = await build_summary(uow, unit, period, now, tz)
    print(render_text(t, summary, max_kinds=50))
    if args.xlsx or args.csv:
        query = make_query(unit, period, now, tz, await pledge_calendar(uow))
        people = await uow.summary.accountable_people(query, MAX_ROWS)
        results = await uow.summary.assessments(query, MAX_ROWS)
        sheets = build_sheets(t, summary, people, results)
        if args.xlsx:
            args.xlsx.write_bytes(to_xlsx(sheets))
            print(f"written: {args.xlsx}", file=sys.stderr)
        if args.csv:
            args.csv.write_bytes(to_csv_zip(sheets, f"summary_{unit.code}_{period.code}"))
            print(f"written: {args.csv}", file=sys.stderr)
    if args.png:
        args.png.write_bytes(render_chart(t, summary))
        print(f"written: {args.png}", file=sys.stderr)
    return 0
