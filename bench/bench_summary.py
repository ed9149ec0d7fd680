"""Summary latency on a province-sized organisation (see bench/gen_province.py).

For SQLite and (with LZ_BENCH_POSTGRES_URL) PostgreSQL: the summary for 2026 — every
figure, split by sub-unit — of the whole province and of one city (read from the
pre-aggregated snapshot, refreshed first and timed), of one county (live: too small to be
kept), and of the province computed live for reference; each timed over repeated runs
(median and p95, after warm-up), plus the key points of each query's plan (EXPLAIN QUERY
PLAN / EXPLAIN): which index each table is read through. Prints Markdown for BENCHMARKS.md.

    .venv/bin/python -m bench.bench_summary --sqlite /tmp/province.db [--runs 20]
    LZ_BENCH_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python -m bench.bench_summary --sqlite /tmp/province.db --postgres

Without an existing SQLite file it is generated first; PostgreSQL gets a fresh database
(dropped at the end unless ``--pg-database NAME`` names an existing one to reuse).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import re
import statistics
import time
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import event

from bench.databases import create_pg_database, database_url, drop_pg_database
from bench.gen_province import PG_PREFIX, generate
from handlers.core.clock import ManualClock
from handlers.summary.domain import SnapshotConfig
from handlers.summary.figures import build_summary
from handlers.summary.period import year_period
from handlers.summary.snapshot import refresh_snapshot
from storage.db import create_engine, session_factory
from storage.migrate import upgrade
from storage.uow import SqlUnitOfWorkFactory

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
TZ = ZoneInfo("Asia/Shanghai")
COUNTY = "C03K2"
CITY = "C03"
#: How summaries use the snapshot here: the defaults (scopes of 200 units or more).
SNAPSHOT = SnapshotConfig()


async def _time(
    factory: SqlUnitOfWorkFactory, code: str, runs: int, live: bool = False
) -> tuple[float, float]:
    async with factory() as uow:
        unit = await uow.units.by_code(code)
    assert unit is not None, code
    period = year_period(2026)
    max_age = None if live else SNAPSHOT.max_age
    samples = []
    for i in range(runs + 2):
        started = time.perf_counter()
        async with factory() as uow:
            s = await build_summary(uow, unit, period, NOW, TZ, max_age)
        # Wide scopes must come from the snapshot, narrow ones and --live runs must not.
        assert (s.as_of is not None) == (not live and code != COUNTY), (code, live)
        if i >= 2:  # two warm-up runs
            samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    p95 = samples[min(len(samples) - 1, round(0.95 * (len(samples) - 1)))]
    return statistics.median(samples), p95


async def _plans(
    engine: Any, factory: SqlUnitOfWorkFactory, code: str, live: bool = False
) -> list[tuple[str, str]]:
    """(main table, access paths) of every query one summary runs."""
    captured: list[tuple[str, Any]] = []
    settings: list[tuple[str, Any]] = []  # set_config() calls: the plans are made under them

    def grab(conn: Any, cursor: Any, statement: str, params: Any, context: Any, many: bool) -> None:
        head = statement.lstrip().upper()
        if "SET_CONFIG(" in head:
            settings.append((statement, params))
        elif head.startswith(("SELECT", "WITH")) and (
            "GROUP BY" in statement or "summary_snapshot_rows" in statement
        ):
            captured.append((statement, params))

    event.listen(engine.sync_engine, "before_cursor_execute", grab)
    try:
        async with factory() as uow:
            unit = await uow.units.by_code(code)
            assert unit is not None
            max_age = None if live else SNAPSHOT.max_age
            await build_summary(uow, unit, year_period(2026), NOW, TZ, max_age)
    finally:
        event.remove(engine.sync_engine, "before_cursor_execute", grab)
    sqlite = engine.dialect.name == "sqlite"
    out = []
    async with engine.connect() as conn:
        for statement, params in settings:
            await conn.exec_driver_sql(statement, params)
        for statement, params in captured:
            prefix = "EXPLAIN QUERY PLAN " if sqlite else "EXPLAIN "
            rows = (await conn.exec_driver_sql(prefix + statement, params)).all()
            lines = [str(r[-1]) if sqlite else str(r[0]) for r in rows]
            out.append((_main_table(statement), _access_paths(lines, sqlite)))
    return out


def _main_table(statement: str) -> str:
    if "summary_snapshot_rows" in statement:
        return "the kept rows of the scope and period (one statement with the state row)"
    if statement.lstrip().upper().startswith("WITH") and "UNION ALL" in statement:
        return "all figures and the kinds table (one statement: per-unit aggregates, UNION ALL)"
    m = re.search(r"FROM\s+\(?\s*(?:SELECT.*?FROM\s+)?(\w+)", statement, re.S | re.I)
    return m.group(1) if m else "?"


def _access_paths(lines: list[str], sqlite: bool) -> str:
    points: list[str] = []
    for line in lines:
        if sqlite:
            m = re.search(
                r"(SCAN|SEARCH) (\w+)(?: USING (COVERING INDEX|INTEGER PRIMARY KEY|PRIMARY KEY|"
                r"INDEX) ?(\w*))?",
                line,
            )
            if m:
                how = m.group(4) or ("rowid" if m.group(3) else "full scan")
                points.append(f"{m.group(2)}: {m.group(1).lower()} {how}".strip())
        else:
            m = re.search(r"(Index Only Scan|Index Scan|Bitmap Index Scan|Seq Scan)(?: Backward)?"
                          r"(?: using (\w+))? on (\w+)", line)  # fmt: skip
            if m:
                kind = {"Seq Scan": "seq scan", "Index Only Scan": "index only",
                        "Index Scan": "index", "Bitmap Index Scan": "bitmap"}[m.group(1)]  # fmt: skip
                if m.group(1) == "Bitmap Index Scan":  # "Bitmap Index Scan on <index>"
                    points.append(f"bitmap {m.group(3)}")
                else:
                    index = f" {m.group(2)}" if m.group(2) else ""
                    points.append(f"{m.group(3)}: {kind}{index}")
            for join in (
                "Hash Join",
                "Merge Join",
                "Nested Loop",
                "HashAggregate",
                "GroupAggregate",
            ):
                if join in line and join not in points:
                    points.append(join)
    seen: list[str] = []
    for p in points:
        if p not in seen:
            seen.append(p)
    return "; ".join(seen)


async def bench(url: str, runs: int) -> dict[str, Any]:
    """Refresh the snapshot, time the province, a city and a county, collect the plans."""
    engine = create_engine(url)
    try:
        await upgrade(engine)  # a province generated before the snapshot tables existed
        factory = SqlUnitOfWorkFactory(session_factory(engine))
        refreshes = []
        for _ in range(3):
            started = time.perf_counter()
            report = await refresh_snapshot(factory, ManualClock(NOW), TZ, SNAPSHOT)
            refreshes.append(time.perf_counter() - started)
        return {
            "province": await _time(factory, "P", runs),
            "city": await _time(factory, CITY, runs),
            "county": await _time(factory, COUNTY, runs),
            "province_live": await _time(factory, "P", max(3, runs // 3), live=True),
            "refresh": (statistics.median(refreshes), report),
            "plans": await _plans(engine, factory, "P"),
            "county_plans": await _plans(engine, factory, COUNTY),
            "live_plans": await _plans(engine, factory, "P", live=True),
        }
    finally:
        await engine.dispose()


async def _main(args: argparse.Namespace) -> None:
    results: dict[str, dict[str, Any]] = {}
    if args.sqlite:
        if not os.path.exists(args.sqlite):
            started = time.perf_counter()
            await generate(f"sqlite+aiosqlite:///{args.sqlite}")
            print(f"generated {args.sqlite} in {time.perf_counter() - started:.0f} s")
        results["SQLite"] = await bench(f"sqlite+aiosqlite:///{args.sqlite}", args.runs)
    if args.postgres:
        name = args.pg_database
        drop = False
        if name:
            url = database_url(name)
        else:
            url, name = await create_pg_database(PG_PREFIX)
            drop = True
            started = time.perf_counter()
            await generate(url)
            print(f"generated PostgreSQL database {name} in {time.perf_counter() - started:.0f} s")
        try:
            results["PostgreSQL"] = await bench(url, args.runs)
        finally:
            if drop:
                await drop_pg_database(name)
    _report(results, args.runs)


def _report(results: dict[str, dict[str, Any]], runs: int) -> None:
    print(f"\n### Supervisor summary ({datetime.now(UTC):%Y-%m-%d}, {platform.machine()}, "
          f"{os.cpu_count()} CPUs, Python {platform.python_version()})\n")  # fmt: skip
    print("Province: 10,000 units, 100,000 people, 170,000 pledges (1,020,000 items), "
          "~217,000 check-ins, 100,000 talks / notices / cases (~140,000 people handled).")  # fmt: skip
    print(
        f"Summary of 2026 (every figure, split by direct sub-unit); {runs} runs after 2 warm-up "
        f"(the live province: {max(3, runs // 3)}).\n"
    )
    print("| engine | scope | figures from | median ms | p95 ms | target |")
    print("|---|---|---|---:|---:|---|")
    rows = (
        ("province", "province (10,000 units)", "snapshot", 300),
        ("city", f"city {CITY} (~625 units)", "snapshot", None),
        ("county", f"county {COUNTY} (~78 units)", "live", 50),
        ("province_live", "province (10,000 units)", "live (reference)", None),
    )
    for engine, r in results.items():
        for key, label, source, target in rows:
            med, p95 = r[key]
            goal = "" if target is None else f"< {target} ms {'✅' if p95 < target else '❌'}"
            print(f"| {engine} | {label} | {source} | {med:.0f} | {p95:.0f} | {goal} |")
    print("\n| engine | snapshot refresh (median of 3) | scopes | rows |")
    print("|---|---:|---:|---:|")
    for engine, r in results.items():
        seconds, report = r["refresh"]
        print(f"| {engine} | {seconds:.1f} s | {report.scopes} | {report.rows:,} |")
    titles = {"plans": "province, snapshot", "county_plans": "county, live",
              "live_plans": "province, live"}  # fmt: skip
    for engine, r in results.items():
        for scope, title in titles.items():
            print(f"\n{engine} query plans ({title}):\n")
            print("| query on | access paths |")
            print("|---|---|")
            for table, points in r[scope]:
                print(f"| {table} | {points} |")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sqlite", default=None, help="SQLite file (generated when missing)")
    parser.add_argument(
        "--postgres", action="store_true", help="also PostgreSQL (LZ_BENCH_POSTGRES_URL)"
    )
    parser.add_argument("--pg-database", default=None, help="reuse this generated database")
    parser.add_argument("--runs", type=int, default=20)
    asyncio.run(_main(parser.parse_args()))
