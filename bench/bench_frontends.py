"""Front-end throughput and latency against the local fake Bot API (loopback only).

For each framework (ptb, aiogram), mode (polling, webhook) and database (SQLite; PostgreSQL
when LZ_BENCH_POSTGRES_URL is set): sequential latency from update to reply (p50/p99) and
burst throughput (updates per second until every reply is out). Also a paced webhook load
(issue 9): a fixed rate of updates from many officials for a bounded time, reporting the
achieved rate, p99 latency and errors.

    .venv/bin/python -m bench.bench_frontends [--quick]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

from bench.databases import create_pg_database, drop_pg_database
from bench.webhook import SECRET, post_update
from bot.frontends.run import serve
from tests.e2e.fake_bot_api import FakeBotApi
from tests.e2e.test_telegram_frontends import free_port

USERS = [1101, 1102, 1103, 1104, 1105, 1106, 1107, 1108, 1109, 1110, 1201, 1202, 1203, 1204, 1205]
MESSAGES = ["/me", "诫勉谈话后多久不能提拔", "/help", "民主生活会多久开一次", "三乱"]


async def run_case(
    framework: str, mode: str, db: str, n_seq: int, n_burst: int, paced: tuple[int, float] | None
):
    from bot.composition import build_app
    from bot.demo.organisation import seed_demo
    from bot.settings import Settings

    tmp = Path(tempfile.mkdtemp())
    pg_name = ""
    if db == "postgresql":
        url, pg_name = await create_pg_database("lzb")
    else:
        url = f"sqlite+aiosqlite:///{tmp / 'bench.db'}"
    api = FakeBotApi()
    await api.start()
    port = free_port()
    settings = Settings(
        bot_token="123456:BENCH",
        bot_framework=framework,
        database_url=url,  # type: ignore[arg-type]
        telegram_api_url=api.url,
        webhook_secret=SECRET,
        webhook_port=port,
        data_dir=tmp,  # type: ignore[arg-type]
        flood_per_minute=100000,
        flood_burst=100000,
    )
    app = await build_app(settings, migrate=True)
    async with app.uow_factory() as uow:
        await seed_demo(uow, app.services.clock.now())
        await uow.commit()
    stop = asyncio.Event()
    task = asyncio.create_task(serve(app, mode, stop))
    http = aiohttp.ClientSession()
    await asyncio.sleep(0.5)

    async def send(update: dict) -> None:
        if mode == "polling":
            api.push(update)
        elif (status := await post_update(http, port, update)) != 200:
            raise RuntimeError(f"webhook answered {status}")

    next_id = [1]

    def update(i: int) -> dict:
        u = api.text(USERS[i % len(USERS)], MESSAGES[i % len(MESSAGES)], update_id=next_id[0])
        next_id[0] += 1
        return u

    results: dict[str, object] = {}
    # sequential latency
    lat = []
    for i in range(n_seq):
        before = len(api.replies("sendMessage"))
        t = time.perf_counter()
        await send(update(i))
        calls = await api.wait_for(before + 1, "sendMessage", timeout=30)
        lat.append((calls[before].at - t) * 1000)
    lat.sort()
    results["p50"] = statistics.median(lat)
    results["p99"] = lat[max(0, int(len(lat) * 0.99) - 1)]
    # burst throughput
    before = len(api.replies("sendMessage"))
    t = time.perf_counter()
    await asyncio.gather(*(send(update(i)) for i in range(n_burst)))
    await api.wait_for(before + n_burst, "sendMessage", timeout=300)
    results["burst_rate"] = n_burst / (time.perf_counter() - t)
    # paced load (webhook only)
    if paced and mode == "webhook":
        rate, seconds = paced
        total = int(rate * seconds)
        before = len(api.replies("sendMessage"))
        sent_at: list[float] = []
        errors = 0
        start = time.perf_counter()
        tasks = []
        for i in range(total):
            target = start + i / rate
            delay = target - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            sent_at.append(time.perf_counter())
            tasks.append(asyncio.create_task(send(update(i))))
        outcomes = await asyncio.gather(*tasks, return_exceptions=True)
        errors += sum(1 for o in outcomes if isinstance(o, BaseException))
        calls = await api.wait_for(before + total - errors, "sendMessage", timeout=300)
        replies = sorted(c.at for c in calls[before:])
        lats = sorted((r - s) * 1000 for r, s in zip(replies, sorted(sent_at), strict=False))
        results["paced"] = (total / (replies[-1] - start), lats[int(len(lats) * 0.99) - 1], errors)
    await http.close()
    stop.set()
    await asyncio.wait_for(task, 60)
    await app.close()
    await api.stop()
    if pg_name:
        await drop_pg_database(pg_name)
    return results


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    n_seq, n_burst = (30, 60) if args.quick else (100, 300)
    paced = (200, 5.0) if not args.quick else (100, 2.0)
    dbs = ["sqlite"] + (["postgresql"] if os.environ.get("LZ_BENCH_POSTGRES_URL") else [])
    print("| framework | mode | database | latency p50 | latency p99 | burst throughput |")
    print("|---|---|---|---|---|---|")
    paced_rows = []
    for db in dbs:
        for fw in ("ptb", "aiogram"):
            for mode in ("polling", "webhook"):
                r = await run_case(fw, mode, db, n_seq, n_burst, paced)
                print(
                    f"| {fw} | {mode} | {db} | {r['p50']:.1f} ms | {r['p99']:.1f} ms | "
                    f"{r['burst_rate']:.0f} updates/s |",
                    flush=True,
                )
                if "paced" in r:
                    paced_rows.append((fw, db, r["paced"]))
    print()
    print(
        f"Paced webhook load: {paced[0]} updates/s for {paced[1]:.0f} s from {len(USERS)} officials "
        "(questions, /me, /help)"
    )
    print()
    print("| framework | database | achieved rate | p99 latency | errors |")
    print("|---|---|---|---|---|")
    for fw, db, (rate, p99, errors) in paced_rows:
        print(f"| {fw} | {db} | {rate:.0f} updates/s | {p99:.0f} ms | {errors} |")


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
