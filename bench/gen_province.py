"""Data generator for a province-sized organisation, for the summary benchmark.

10,000 units (province → 16 cities → 128 counties → ~77 departments and townships each),
100,000 people, 170,000 pledges of 6 items (1,020,000 items) with ~280,000 check-ins and
~85,000 appraisals, 100,000 warning talks, 100,000 rectification notices, 100,000
accountability cases with ~140,000 people handled, ~30,000 assessments, 100,000 reminder
deliveries and ~60,000 test attempts — spread over 2025 and 2026.

Rows go in with portable batched multi-row inserts (SQLAlchemy executemany; no COPY), into
a migrated schema, so the benchmark sees exactly the production tables and indexes.

    .venv/bin/python -m bench.gen_province --sqlite /tmp/province.db
    LZ_BENCH_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python -m bench.gen_province --postgres   # prints the database name
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Table, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.databases import create_pg_database
from storage.db import create_engine, is_sqlite
from storage.migrate import upgrade
from storage.schema import Base

T0 = datetime(2025, 1, 1, tzinfo=UTC)
BATCH = 5000
CITIES, COUNTIES_PER_CITY, UNITS = 16, 8, 10_000
PEOPLE = 100_000
TALKS = NOTICES = CASES = 100_000
DAY0, DAYS = date(2025, 1, 1), 690  # records dated 2025-01-01 … 2026-11-21
#: Names of the PostgreSQL databases the province is generated in (with a random suffix).
PG_PREFIX = "lzb_province"


@dataclass
class Org:
    """Ids the record generators need."""

    unit_path: dict[int, str] = field(default_factory=dict)
    leaves: list[int] = field(default_factory=list)
    counties: list[int] = field(default_factory=list)
    person_unit: list[int] = field(default_factory=list)  # index = person id - 1
    section: list[bool] = field(default_factory=list)


def _units(org: Org) -> Iterator[dict[str, Any]]:
    next_id = 1
    org.unit_path[1] = "/1/"
    yield dict(id=1, code="P", name="省", level="city", parent_id=None, path="/1/")
    leaves_total = UNITS - 1 - CITIES - CITIES * COUNTIES_PER_CITY
    per_county = leaves_total // (CITIES * COUNTIES_PER_CITY)
    extra = leaves_total - per_county * CITIES * COUNTIES_PER_CITY
    for c in range(CITIES):
        next_id += 1
        city = next_id
        org.unit_path[city] = f"/1/{city}/"
        yield dict(id=city, code=f"C{c:02d}", name=f"第{c + 1}市", level="city", parent_id=1,
                   path=org.unit_path[city])  # fmt: skip
        for k in range(COUNTIES_PER_CITY):
            next_id += 1
            county = next_id
            org.counties.append(county)
            org.unit_path[county] = f"{org.unit_path[city]}{county}/"
            yield dict(id=county, code=f"C{c:02d}K{k}", name=f"第{c + 1}市第{k + 1}县",
                       level="county", parent_id=city, path=org.unit_path[county])  # fmt: skip
            n = per_county + (1 if extra > 0 else 0)
            extra -= 1
            for j in range(n):
                next_id += 1
                org.leaves.append(next_id)
                org.unit_path[next_id] = f"{org.unit_path[county]}{next_id}/"
                yield dict(id=next_id, code=f"C{c:02d}K{k}U{j:02d}", name=f"单位{next_id}",
                           level="department" if j % 2 else "township", parent_id=county,
                           path=org.unit_path[next_id])  # fmt: skip


def _people(org: Org, rnd: random.Random) -> Iterator[dict[str, Any]]:
    all_units = list(org.unit_path)
    for pid in range(1, PEOPLE + 1):
        unit = org.leaves[pid % len(org.leaves)] if pid % 10 else rnd.choice(all_units)
        section = pid % 20 != 0  # 95 % section level
        org.person_unit.append(unit)
        org.section.append(section)
        yield dict(id=pid, name=f"干部{pid}", unit_id=unit, post="", section_level=section,
                   telegram_user_id=None, language="zh_CN", active=True,
                   chat_blocked=False)  # fmt: skip


def _day(rnd: random.Random) -> date:
    return DAY0 + timedelta(days=rnd.randrange(DAYS))


def _tracked() -> dict[str, Any]:
    return dict(created_by=1, created_at=T0, updated_at=T0, version=1, deleted_at=None,
                deleted_by=None, delete_reason=None)  # fmt: skip


def _pledges(org: Org, rnd: random.Random, checkins: list[dict[str, Any]],
             appraisals: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:  # fmt: skip
    """85,000 cadres × 2 years; check-ins and appraisals are collected on the side."""
    items = [f"承诺事项{i}：严格遵守廉洁自律各项规定" for i in range(6)]
    entries = [{"status": "kept", "explanation": "已履行"} for _ in range(6)]
    pledge_id = ck_id = 0
    cadres = [pid for pid in range(1, PEOPLE + 1) if org.section[pid - 1]][:85_000]
    for year in (2025, 2026):
        for pid in cadres:
            pledge_id += 1
            unit = org.person_unit[pid - 1]
            yield dict(id=pledge_id, person_id=pid, unit_id=unit, year=year, post_type="member",
                       items=items, publish_via="meeting", publish_date=date(year, 1, 20),
                       created_at=T0, updated_at=T0, revision=0)  # fmt: skip
            periods = ("midyear", "yearend") if year == 2025 else ("midyear",)
            for period in periods:
                if rnd.random() < 0.85:
                    ck_id += 1
                    checkins.append(dict(id=ck_id, pledge_id=pledge_id, person_id=pid,
                                         period=period, entries=entries,
                                         late=rnd.random() < 0.1, submitted_at=T0,
                                         updated_at=T0))  # fmt: skip
            if year == 2025:
                appraisals.append(dict(pledge_id=pledge_id, person_id=pid, good=80.0, fair=15.0,
                                       poor=5.0, score=None,
                                       grade=rnd.choice(("excellent", "passed", "passed",
                                                         "passed", "failed")),
                                       by_id=1, at=T0))  # fmt: skip


def _talks(org: Org, rnd: random.Random) -> Iterator[dict[str, Any]]:
    for i in range(1, TALKS + 1):
        pid = rnd.randrange(1, PEOPLE + 1)
        yield dict(id=i, person_id=pid, unit_id=org.person_unit[pid - 1], talk_date=_day(rnd),
                   place="会议室", talker="谈话人", note_taker="记录人", reason="other",
                   summary="谈话要点", response="本人表态", follow_up_date=None,
                   follow_up_result=None, **_tracked())  # fmt: skip


def _notices(org: Org, rnd: random.Random) -> Iterator[dict[str, Any]]:
    for i in range(1, NOTICES + 1):
        issued = _day(rnd)
        deadline = issued + timedelta(days=rnd.randrange(15, 90))
        status = rnd.choice(("open", "submitted", "closed", "closed", "closed"))
        closed = deadline + timedelta(days=rnd.randrange(-20, 10)) if status == "closed" else None
        yield dict(id=i, unit_id=rnd.choice(org.leaves), recipient_id=None, issued_on=issued,
                   deadline=deadline, problems="存在问题", status=status, closed_on=closed,
                   **_tracked())  # fmt: skip


def _cases(org: Org, rnd: random.Random, people: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    kinds = [("organisational", k) for k in ("circulated_criticism", "warning_talk",
                                              "job_adjustment", "removal")] + [
        ("discipline", k) for k in ("party_warning", "party_serious_warning", "govt_demerit")]  # fmt: skip
    cp_id = 0
    for i in range(1, CASES + 1):
        unit = rnd.choice(org.leaves)
        opened = _day(rnd)
        yield dict(id=i, unit_id=unit, title=f"案件{i}", circumstance="other", facts="事实",
                   opened_on=opened, status="closed", closed_on=opened, **_tracked())  # fmt: skip
        category, kind = rnd.choice(kinds)
        taken: set[int] = set()
        for _ in range(1 if rnd.random() < 0.6 else 2):
            cp_id += 1
            pid = rnd.randrange(1, PEOPLE + 1)
            while pid in taken:  # one live row per person and case (a unique index says so)
                pid = rnd.randrange(1, PEOPLE + 1)
            taken.add(pid)
            people.append(dict(id=cp_id, case_id=i, person_id=pid, unit_id=unit,
                               category=category, kind=kind, effective_on=opened, note="",
                               **_tracked()))  # fmt: skip


def _assessments(org: Org, rnd: random.Random) -> Iterator[dict[str, Any]]:
    aid = 0
    for year in (2025, 2026):
        for unit in org.unit_path:
            aid += 1
            result = rnd.choice(("excellent", "passed", "passed", "passed", "failed"))
            yield dict(id=aid, unit_id=unit, person_id=None, year=year, result=result,
                       methods=["self_check"], notes="", assessed_on=date(year, 12, 20),
                       commendation="advanced_unit" if result == "excellent" and rnd.random()
                       < 0.3 else None, **_tracked())  # fmt: skip
        taken: set[int] = set()
        for _ in range(5000):
            aid += 1
            pid = rnd.randrange(1, PEOPLE + 1)
            while pid in taken:  # one live assessment per person and year (a unique index)
                pid = rnd.randrange(1, PEOPLE + 1)
            taken.add(pid)
            yield dict(id=aid, unit_id=org.person_unit[pid - 1], person_id=pid, year=year,
                       result="excellent", methods=[], notes="", assessed_on=date(year, 12, 20),
                       commendation="advanced_worker", **_tracked())  # fmt: skip


def _reminders(rnd: random.Random) -> tuple[list[dict[str, Any]], Iterator[dict[str, Any]]]:
    occurrences: list[dict[str, Any]] = [dict(id=i, key=f"bench:{i}", kind="event", topic="bench",
                        due_at=T0 + timedelta(days=30 * i), escalate_at=None, escalated_at=None,
                        params={}, created_at=T0) for i in range(1, 21)]  # fmt: skip

    def deliveries() -> Iterator[dict[str, Any]]:
        did = 0
        for occ in occurrences:
            for pid in rnd.sample(range(1, PEOPLE + 1), 5000):
                did += 1
                ack = rnd.choice(("none", "received", "done", "done"))
                yield dict(id=did, occurrence_id=occ["id"], person_id=pid, due_at=occ["due_at"],
                           status="sent", lease_until=None, attempts=1, sends=1,
                           sent_at=occ["due_at"], ack_status=ack,
                           ack_at=occ["due_at"] if ack != "none" else None,
                           error="")  # fmt: skip

    return occurrences, deliveries()


def _quiz(org: Org, rnd: random.Random) -> Iterator[dict[str, Any]]:
    qid = 0
    for year in (2025, 2026):
        finished = datetime(year, 8, 20, 2, tzinfo=UTC)
        for pid in range(1, PEOPLE + 1, 3):
            qid += 1
            yield dict(id=qid, person_id=pid, year=year, practice=False, question_ids=[],
                       answers=[], started_at=finished, deadline_at=None, finished_at=finished,
                       score=rnd.randrange(50, 101))  # fmt: skip


async def _insert(engine: AsyncEngine, table: Table, rows: Any) -> int:
    n = 0
    batch: list[dict[str, Any]] = []

    async def flush() -> None:
        async with engine.begin() as conn:
            await conn.execute(table.insert(), batch)

    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            await flush()
            n += len(batch)
            batch = []
    if batch:
        await flush()
        n += len(batch)
    return n


async def generate(url: str, seed: int = 7) -> dict[str, int]:
    """Migrate an empty database at ``url`` and fill it; returns rows per table."""
    engine = create_engine(url)
    try:
        await upgrade(engine)
        rnd = random.Random(seed)
        org = Org()
        t = Base.metadata.tables
        counts: dict[str, int] = {}
        counts["units"] = await _insert(engine, t["units"], _units(org))
        counts["people"] = await _insert(engine, t["people"], _people(org, rnd))
        checkins: list[dict[str, Any]] = []
        appraisals: list[dict[str, Any]] = []
        counts["pledges"] = await _insert(
            engine, t["pledges"], _pledges(org, rnd, checkins, appraisals)
        )
        counts["pledge_items"] = counts["pledges"] * 6
        counts["pledge_checkins"] = await _insert(engine, t["pledge_checkins"], checkins)
        counts["pledge_appraisals"] = await _insert(engine, t["pledge_appraisals"], appraisals)
        del checkins, appraisals
        counts["warning_talks"] = await _insert(engine, t["warning_talks"], _talks(org, rnd))
        counts["rectification_notices"] = await _insert(
            engine, t["rectification_notices"], _notices(org, rnd)
        )
        case_people: list[dict[str, Any]] = []
        counts["accountability_cases"] = await _insert(
            engine, t["accountability_cases"], _cases(org, rnd, case_people)
        )
        counts["accountability_people"] = await _insert(
            engine, t["accountability_people"], case_people
        )
        counts["assessments"] = await _insert(engine, t["assessments"], _assessments(org, rnd))
        occurrences, deliveries = _reminders(rnd)
        await _insert(engine, t["reminder_occurrences"], occurrences)
        counts["reminder_deliveries"] = await _insert(engine, t["reminder_deliveries"], deliveries)
        counts["quiz_attempts"] = await _insert(engine, t["quiz_attempts"], _quiz(org, rnd))
        # Fresh statistics (and, on PostgreSQL, the visibility map index-only scans need).
        async with engine.connect() as conn:
            auto = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await auto.execute(text("ANALYZE" if is_sqlite(url) else "VACUUM ANALYZE"))
        return counts
    finally:
        await engine.dispose()


async def _main(args: argparse.Namespace) -> None:
    if args.sqlite:
        if os.path.exists(args.sqlite):
            os.remove(args.sqlite)
        url = f"sqlite+aiosqlite:///{args.sqlite}"
    else:
        url, name = await create_pg_database(PG_PREFIX)
        print(f"database: {name} (drop it with DROP DATABASE when done)")
    started = time.perf_counter()
    counts = await generate(url)
    engine = "SQLite" if is_sqlite(url) else "PostgreSQL"
    print(f"{engine}: generated in {time.perf_counter() - started:.0f} s")
    for table, n in counts.items():
        print(f"  {table:24} {n:>10,}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--sqlite", help="SQLite file to (re)create")
    where.add_argument(
        "--postgres", action="store_true", help="a new database (LZ_BENCH_POSTGRES_URL)"
    )
    asyncio.run(_main(parser.parse_args()))
