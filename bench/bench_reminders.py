"""Reminder benchmark: planning a year for 100,000 people; dispatching 10,000 reminders
through a fake Telegram that enforces the Bot API's limits.

    .venv/bin/python -m bench.bench_reminders            # SQLite only
    LZ_BENCH_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python -m bench.bench_reminders        # SQLite and PostgreSQL
    .venv/bin/python -m bench.bench_reminders --dispatch-only --dispatch 3000
                                                         # only the dispatching part

The PostgreSQL runs create their own databases and drop them afterwards. Dispatching runs
in real time (10,000 messages at 30/s take about 5.5 minutes), on PostgreSQL when
configured, else on SQLite, in its own database and concurrently with the planning runs so
the whole benchmark stays near six minutes (2 CPUs: planning shares them with a dispatcher
sending 30 messages a second). Prints Markdown tables for BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sys
import tempfile
import time
import uuid
from collections import deque
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlalchemy.engine import make_url

from bot.frontends.rate_limit import RateLimiter
from bot.scheduler.dispatcher import Dispatcher
from handlers.core.clock import ManualClock
from handlers.core.types import Reply, TextReply
from handlers.reminders.domain import OccurrenceKind, OccurrenceSpec, ReminderConfig
from handlers.reminders.plan import plan_events
from handlers.reminders.ports import DeliveryOutcome, Outcome
from storage.core.models import PersonRow, RoleGrantRow, UnitRow
from storage.db import create_engine, normalise_url, session_factory
from storage.migrate import upgrade
from storage.uow import SqlUnitOfWorkFactory
from tests.postgres import pg_admin as run_admin_sql

TZ = ZoneInfo("Asia/Shanghai")
PEOPLE = int(os.environ.get("LZ_BENCH_PEOPLE", "100000"))
DISPATCH = int(os.environ.get("LZ_BENCH_DISPATCH", "10000"))
UNITS = 500


class TelegramLimits:
    """A fake Bot API: answers 429 when a client exceeds 30 msg/s overall or 1 msg/s per chat."""

    def __init__(self) -> None:
        self.times: deque[float] = deque()
        self.last: dict[int, float] = {}
        self.stamps: list[float] = []
        self.ids: list[int] = []
        self.rejected = 0

    async def deliver(self, chat_id: int, reply: Reply) -> DeliveryOutcome:
        await asyncio.sleep(0.02)  # network round trip
        now = time.monotonic()
        while self.times and now - self.times[0] >= 1.0:
            self.times.popleft()
        if len(self.times) >= 30 or now - self.last.get(chat_id, -10.0) < 1.0:
            self.rejected += 1
            return DeliveryOutcome(Outcome.RETRY_AFTER, 1.0)
        self.times.append(now)
        self.last[chat_id] = now
        self.stamps.append(now)
        assert isinstance(reply, TextReply)
        self.ids.append(int(reply.buttons[0][0].data.rsplit(":", 1)[1]))
        return DeliveryOutcome.ok()


async def seed(factory: SqlUnitOfWorkFactory, people: int) -> None:
    """Units and people inserted in bulk (cadres; 1 in 100 a unit principal, 1 in 200 an inspector)."""
    async with factory() as uow:
        s = uow.session
        assert s is not None
        await s.execute(
            insert(UnitRow),
            [
                {
                    "id": 1,
                    "code": "C",
                    "name": "市",
                    "level": "city",
                    "parent_id": None,
                    "path": "/1/",
                }
            ]
            + [
                {
                    "id": i,
                    "code": f"U{i}",
                    "name": f"单位{i}",
                    "level": "department",
                    "parent_id": 1,
                    "path": f"/1/{i}/",
                }
                for i in range(2, UNITS + 2)
            ],
        )
        for start in range(1, people + 1, 10_000):
            ids = range(start, min(start + 10_000, people + 1))
            await s.execute(
                insert(PersonRow),
                [
                    {
                        "id": i,
                        "name": f"干部{i}",
                        "unit_id": 2 + i % UNITS,
                        "post": "",
                        "section_level": i % 10 != 0,
                        "telegram_user_id": 10_000_000 + i,
                        "language": "zh_CN",
                        "active": True,
                        "chat_blocked": False,
                    }
                    for i in ids
                ],
            )
            grants = [{"person_id": i, "role": "cadre", "unit_id": 2 + i % UNITS} for i in ids]
            grants += [
                {"person_id": i, "role": "unit_head", "unit_id": 2 + i % UNITS}
                for i in ids
                if i % 100 == 0
            ]
            grants += [
                {"person_id": i, "role": "inspector", "unit_id": 2 + i % UNITS}
                for i in ids
                if i % 200 == 1
            ]
            await s.execute(insert(RoleGrantRow), grants)
        await uow.commit()


async def bench_planning(url: str) -> list[str]:
    """Plan a whole year for PEOPLE people, then re-plan (idempotent): one table row each."""
    engine = create_engine(url)
    try:
        await upgrade(engine)
        factory = SqlUnitOfWorkFactory(session_factory(engine))
        await seed(factory, PEOPLE)
        cfg = ReminderConfig()
        now = datetime(2026, 1, 1, tzinfo=TZ).astimezone(UTC)
        rows = []
        for label in ("first run", "re-run (nothing new)"):
            t = time.perf_counter()
            async with factory() as uow:
                report = await plan_events(uow, now, cfg, TZ, horizon=timedelta(days=365))
                await uow.commit()
            secs = time.perf_counter() - t
            rate = report.deliveries / secs if report.deliveries else 0
            rows.append(
                f"| {engine.dialect.name} | {label} | {PEOPLE:,} | {report.occurrences} | "
                f"{report.deliveries:,} | {secs:.1f} | {rate:,.0f} |"
            )
        return rows
    finally:
        await engine.dispose()


async def prepare_dispatch(url: str, count: int = DISPATCH) -> None:
    """Migrate and seed the dispatch database (Alembic must not run two upgrades at once)."""
    engine = create_engine(url)
    try:
        await upgrade(engine)
        await seed(SqlUnitOfWorkFactory(session_factory(engine)), count)
    finally:
        await engine.dispose()


async def bench_dispatch(url: str, count: int = DISPATCH) -> str:
    """Send DISPATCH reminders due now through the fake Telegram, in real time."""
    engine = create_engine(url)
    try:
        factory = SqlUnitOfWorkFactory(session_factory(engine))
        clock = ManualClock(datetime(2026, 3, 10, 10, 0, tzinfo=TZ).astimezone(UTC))
        async with factory() as uow:
            spec = OccurrenceSpec(
                "ev:bench:2026:0:2026-03-10",
                OccurrenceKind.EVENT,
                "group_study",
                clock.now(),
                params={"year": 2026, "lead": 0, "starts_on": "2026-03-10"},
            )
            occ = await uow.reminders.ensure_occurrence(spec, clock.now())
            await uow.reminders.add_deliveries(occ.id, list(range(1, count + 1)), clock.now())
            await uow.commit()
        api = TelegramLimits()
        limiter = RateLimiter(overall=30)
        dispatcher = Dispatcher(factory, api, clock, TZ, ReminderConfig(), limiter, sources=())
        t = time.perf_counter()
        report = await dispatcher.dispatch_once()
        wall = time.perf_counter() - t
        span = api.stamps[-1] - api.stamps[0] if len(api.stamps) > 1 else 0.0
        rate = (len(api.stamps) - 1) / span if span else 0.0
        duplicates = len(api.ids) - len(set(api.ids))
        return (
            f"| {engine.dialect.name} | {count:,} | {report.sent:,} | {wall:.0f} | "
            f"{rate:.2f} | {100 * (rate - 30) / 30:+.1f}% | {api.rejected} | {duplicates} |"
        )
    finally:
        await engine.dispose()


DISPATCH_HEAD = (
    "| engine | reminders | sent | wall s | achieved msg/s | vs 30/s | 429s | duplicates |\n"
    "|---|---:|---:|---:|---:|---:|---:|---:|"
)


async def main(dispatch_only: bool, count: int) -> None:
    """Run everything (or only the dispatching) and print the tables."""
    pg_admin = os.environ.get("LZ_BENCH_POSTGRES_URL", "")
    pg_name = f"lz_bench_{uuid.uuid4().hex[:8]}"
    pg_dispatch = f"{pg_name}_d"
    print(
        f"Machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {sys.version.split()[0]}; {datetime.now(UTC):%Y-%m-%d}\n"
    )
    with tempfile.TemporaryDirectory() as tmp:
        urls = [f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"]
        dispatch_url = f"sqlite+aiosqlite:///{Path(tmp) / 'dispatch.db'}"
        if pg_admin:
            base = make_url(normalise_url(pg_admin))
            for name in (pg_name, pg_dispatch):
                await run_admin_sql(pg_admin, f'CREATE DATABASE "{name}"')
            urls.append(base.set(database=pg_name).render_as_string(hide_password=False))
            dispatch_url = base.set(database=pg_dispatch).render_as_string(hide_password=False)
        try:
            await prepare_dispatch(dispatch_url, count)
            dispatching = asyncio.create_task(bench_dispatch(dispatch_url, count))
            if dispatch_only:
                print(
                    "Dispatching through a fake Bot API enforcing 30 msg/s and 1 msg/s per chat\n"
                )
                print(DISPATCH_HEAD)
                print(await dispatching, flush=True)
                return
            print("Planning a year of calendar reminders (lead times, audiences)\n")
            print("| engine | run | people | occurrences | deliveries planned | seconds | rows/s |")
            print("|---|---|---:|---:|---:|---:|---:|")
            for url in urls:
                for row in await bench_planning(url):
                    print(row, flush=True)
            print("\nDispatching through a fake Bot API enforcing 30 msg/s and 1 msg/s per chat\n")
            print(DISPATCH_HEAD)
            print(await dispatching, flush=True)
        finally:
            if pg_admin:
                for name in (pg_name, pg_dispatch):
                    await run_admin_sql(pg_admin, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dispatch-only", action="store_true", help="skip the planning runs")
    parser.add_argument("--dispatch", type=int, default=DISPATCH, help="reminders to dispatch")
    args = parser.parse_args()
    asyncio.run(main(args.dispatch_only, args.dispatch))
