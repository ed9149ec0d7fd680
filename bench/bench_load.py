"""Webhook load test (issue 9): several hundred officials at a paced rate, real bot processes.

The bot runs as its own process(es) (``python -m bot run --mode webhook``), exactly as in
production; this process plays Telegram: it hosts the fake Bot API the bot replies to and
posts the updates to the bot's webhook at a fixed rate. Each official writes at most once
every ``officials / rate`` seconds (2 s for 400 officials at 200 updates/s), which keeps
every chat inside Telegram's one-message-per-second rule, as real people are.

Traffic mix per official, in turn: a regulation question (from the dev half of the
labelled question set, so each is different text), ``/me``, another question,
``收到`` pressed on a reminder (acknowledging), ``/reminders``, ``/help``. Every fourth
official first reports: the annual integrity pledge form, ten steps, button by button
(forms complete about 20 s into a run, so use ``--seconds 30`` to see pledges recorded).
With several instances every 25th update is posted to two of them (a balancer's retry);
afterwards the database is counted: each update claimed once, each question stored once,
one pledge per reporter.

Latency is from posting the update to the first Bot API call the bot makes for it
(``sendMessage``, ``editMessageText`` or ``answerCallbackQuery``). Bounded in count and time,
loopback only.

    .venv/bin/python -m bench.bench_load --framework both --db sqlite --rate 200 --seconds 10
    LZ_BENCH_POSTGRES_URL=postgresql://postgres@127.0.0.1:5432/postgres \\
        .venv/bin/python -m bench.bench_load --db postgresql --instances 2
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp

from bench.databases import create_pg_database, drop_pg_database
from bench.webhook import SECRET, post_update
from tests.e2e.fake_bot_api import FakeBotApi
from tests.e2e.test_telegram_frontends import free_port


def load_questions() -> list[str]:
    """Questions as officials type them: the dev half (even positions) of the labelled set,
    in scope and out of scope, so retrieval sees varied text and not a few cached strings."""
    from knowledge.evaluation import load_labelled

    labelled, out_of_scope = load_labelled(
        Path(__file__).resolve().parents[1] / "tests" / "data" / "qa_eval.yaml"
    )
    return [item.query for item in labelled[::2]] + list(out_of_scope[::2])


QUESTIONS = load_questions()
FIRST_ID = 60_000  # Telegram ids of the generated officials


@dataclass
class Case:
    """One measured configuration."""

    framework: str
    db: str
    instances: int
    rate: int
    seconds: float
    officials: int
    send_rate: int
    results: dict[str, Any] = field(default_factory=dict)


async def prepare(url: str, data_dir: Path, officials: int) -> dict[int, int]:
    """Migrate, load the demo city, add the officials and one sent reminder for each.

    Returns the reminder delivery id per official's Telegram id (for the 收到 presses).
    """
    from bot.composition import build_app
    from bot.demo.organisation import UNITS, seed_demo
    from bot.settings import Settings
    from handlers.core.domain import NewPerson, Role
    from handlers.reminders.domain import OccurrenceKind, OccurrenceSpec

    app = await build_app(Settings(database_url=url, data_dir=data_dir), migrate=True)  # type: ignore[arg-type]
    now = app.services.clock.now()
    deliveries: dict[int, int] = {}
    async with app.uow_factory() as uow:
        await seed_demo(uow, now)
        units = [await uow.units.by_code(code) for code, _, _, parent in UNITS if parent]
        person_ids: list[int] = []
        for i in range(officials):
            unit = units[i % len(units)]
            assert unit is not None
            p = await uow.people.add(NewPerson(f"干部{i:04d}", unit.id, "科长", True, FIRST_ID + i))
            await uow.people.grant(p.id, Role.CADRE, unit.id)
            person_ids.append(p.id)
        spec = OccurrenceSpec("bench:load", OccurrenceKind.EVENT, "life_meeting", now)
        occ = await uow.reminders.ensure_occurrence(spec, now)
        await uow.reminders.add_deliveries(occ.id, person_ids, now - timedelta(hours=1))
        for tg, pid in zip(range(FIRST_ID, FIRST_ID + officials), person_ids, strict=True):
            view = next(d for d in await uow.reminders.for_person(pid, now - timedelta(days=1)))
            await uow.reminders.mark_sent(view.id, now - timedelta(minutes=30), None)
            deliveries[tg] = view.id
        await uow.commit()
    await app.close()
    return deliveries


def start_bot(case: Case, url: str, data_dir: Path, api_url: str, port: int) -> subprocess.Popen:
    """One bot process in webhook mode, as production runs it."""
    env = {
        **os.environ,
        "BOT_TOKEN": "123456:LOAD",
        "BOT_FRAMEWORK": case.framework,
        "DATABASE_URL": url,
        "DATA_DIR": str(data_dir),
        "TELEGRAM_API_URL": api_url,
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_PORT": str(port),
        "WEBHOOK_URL": "",
        "SEND_RATE_OVERALL": str(case.send_rate),
        "LOG_LEVEL": "WARNING",
        "REMINDERS_ENABLED": "false",
    }
    command = [sys.executable, "-m", "bot", "run", "--mode", "webhook"]
    log = open(data_dir / f"bot-{port}.log", "w")  # noqa: SIM115 (the child holds it)
    return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)


async def wait_healthy(http: aiohttp.ClientSession, port: int, proc: subprocess.Popen) -> None:
    """Poll /health until the bot answers (it loads the jieba dictionary first)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"bot exited with {proc.returncode}")
        try:
            async with http.get(f"http://127.0.0.1:{port}/health") as r:
                if r.status == 200:
                    return
        except aiohttp.ClientError:
            pass
        await asyncio.sleep(0.2)
    raise RuntimeError("bot did not become healthy")


#: Every fourth official reports: fills in the annual integrity pledge form, button by
#: button (a write of the form state per step, the pledge and its audit entry at the end),
#: then goes on like the others. Each entry is a text to send or a button label to press.
PLEDGE_FORM: list[tuple[str, str]] = [
    ("send", "/pledge"),
    ("press", ""),  # the first year offered
    ("press", "班子成员"),
    ("press", "➕ 1."),
    ("press", "➕ 2."),
    ("press", "➕ 3."),
    ("press", "完成"),
    ("press", "会议公开"),
    ("press", "今天"),
    ("press", "确认"),
]
PLEDGE_RECORDED = "承诺已记录"
#: With several instances, every this-many-th update is also posted to a second one.
REDELIVER_EVERY = 25


class Traffic:
    """Builds the officials' updates and matches the bot's calls back to them."""

    def __init__(self, api: FakeBotApi, deliveries: dict[int, int]) -> None:
        self.api = api
        self.deliveries = deliveries
        self.turn: dict[int, int] = {}
        self.next_update = 1
        # The latest keyboard each chat was shown: (message id, [(label, data)]).
        self.keyboards: dict[int, tuple[int, list[tuple[str, str]]]] = {}
        self._seen_calls = 0
        self.form_misses = 0
        self.questions_asked = 0  # rule-base questions posted (each must be stored once)
        self.redelivered = 0  # updates posted to a second instance as well

    def _refresh_keyboards(self) -> None:
        calls = self.api.calls
        for call in calls[self._seen_calls :]:
            if call.method not in ("sendMessage", "editMessageText"):
                continue
            markup = call.params.get("reply_markup") or {}
            buttons = [
                (b.get("text", ""), b.get("callback_data", ""))
                for row in markup.get("inline_keyboard", [])
                for b in row
            ]
            chat = int(call.params.get("chat_id", 0))
            if call.method == "editMessageText":
                message_id = int(call.params.get("message_id", 1))
            else:
                message_id = int((call.result or {}).get("message_id", 1))
            self.keyboards[chat] = (message_id, buttons)
        self._seen_calls = len(calls)

    def _form_step(self, user: int, n: int) -> dict[str, Any] | None:
        """The reporting official's next form update (None when the form is behind)."""
        kind, what = PLEDGE_FORM[n]
        if kind == "send":
            return self.api.text(user, what)
        self._refresh_keyboards()
        message_id, buttons = self.keyboards.get(user, (1, []))
        for label, data in buttons:
            if what in label:
                return self.api.press(user, data, message_id)
        self.form_misses += 1
        return None

    def update_for(self, user: int) -> tuple[dict[str, Any], str]:
        """The official's next update and the key its first reply is matched by."""
        n = self.turn.get(user, 0)
        self.turn[user] = n + 1
        update = None
        if (user - FIRST_ID) % 4 == 0 and n < len(PLEDGE_FORM):
            update = self._form_step(user, n)
            if update is None:
                # The reply with the button is late: leave the form, then go on asking.
                self.turn[user] = len(PLEDGE_FORM)
                update = self.api.text(user, "/cancel")
        if update is None:
            step = n % 6
            if step == 3:
                update = self.api.press(user, f"rem:r:{self.deliveries[user]}")
            else:
                q = (user * 7 + n) % len(QUESTIONS)
                text = {0: QUESTIONS[q], 1: "/me", 2: QUESTIONS[(q + 1) % len(QUESTIONS)]}.get(
                    step, "/reminders" if step == 4 else "/help"
                )
                self.questions_asked += step in (0, 2)
                update = self.api.text(user, text)
        if "callback_query" in update:
            key = "cb:" + update["callback_query"]["id"]
        else:
            key = f"chat:{user}"
        update["update_id"] = self.next_update
        self.next_update += 1
        return update, key

    def pledges_recorded(self) -> int:
        """How many pledge forms ended with the bot confirming the record."""
        return sum(
            1
            for c in self.api.calls
            if c.method in ("sendMessage", "editMessageText")
            and PLEDGE_RECORDED in str(c.params.get("text", ""))
        )


async def run_phase(
    traffic: Traffic,
    http: aiohttp.ClientSession,
    ports: list[int],
    users: list[int],
    rate: int,
    seconds: float,
) -> dict[str, Any]:
    """Post ``rate × seconds`` updates at a steady pace; wait for every answer."""
    total = int(rate * seconds)
    since = len(traffic.api.calls)
    sent: list[tuple[str, float]] = []
    errors = 0

    async def post(port: int, update: dict[str, Any]) -> None:
        nonlocal errors
        try:
            if await post_update(http, port, update) != 200:
                errors += 1
        except aiohttp.ClientError:
            errors += 1

    start = time.perf_counter()
    tasks = []
    # How late the generator posts (its own stalls, or the machine's, show here).
    late = 0.0
    for i in range(total):
        target = start + i / rate
        delay = target - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        else:
            late = max(late, -delay)
        user = users[i % len(users)]
        update, key = traffic.update_for(user)
        sent.append((key, time.perf_counter()))
        tasks.append(asyncio.create_task(post(ports[i % len(ports)], update)))
        if len(ports) > 1 and i % REDELIVER_EVERY == 0:
            # As a balancer retrying on another instance would: the same update twice.
            traffic.redelivered += 1
            tasks.append(asyncio.create_task(post(ports[(i + 1) % len(ports)], update)))
    await asyncio.gather(*tasks)
    offered_for = time.perf_counter() - start
    # Wait (at most a minute) until every post has its answer.
    deadline = time.perf_counter() + 60
    per_post = _match_all(traffic, since, sent)
    while None in per_post and time.perf_counter() < deadline:
        await asyncio.sleep(0.2)
        per_post = _match_all(traffic, since, sent)
    answered = [(at, lat) for (_, at), lat in zip(sent, per_post, strict=True) if lat is not None]
    unanswered = len(sent) - len(answered)
    latencies = sorted(lat for _, lat in answered)
    done_at = max((at + lat / 1000 for at, lat in answered), default=start)
    if os.environ.get("LZ_LOAD_TIMELINE"):
        _print_timeline(answered, start)

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(len(latencies) * p))] if latencies else 0.0

    return {
        "offered": total / offered_for,
        "achieved": len(latencies) / max(done_at - start, offered_for),
        "p50": pct(0.50),
        "p99": pct(0.99),
        "max": latencies[-1] if latencies else 0.0,
        "errors": errors,
        "unanswered": unanswered,
        "pledges": traffic.pledges_recorded(),
        "generator_late_ms": late * 1000,
        "form_misses": traffic.form_misses,
        "total": total,
    }


async def _records(url: str, traffic: Traffic) -> dict[str, Any]:
    """What the database holds after the run, against what was posted: every update is
    claimed once (redelivered ones too), every question stored once, one pledge per
    reporter, however many instances took part."""
    from sqlalchemy import text

    from storage.db import create_engine

    engine = create_engine(url)
    try:
        async with engine.connect() as conn:

            async def count(sql: str) -> int:
                return int((await conn.execute(text(sql))).scalar_one())

            return {
                "updates_posted": traffic.next_update - 1,
                "updates_claimed": await count("SELECT count(*) FROM processed_updates"),
                "questions_asked": traffic.questions_asked,
                "questions_stored": await count("SELECT count(*) FROM questions"),
                "pledge_people": await count(
                    "SELECT count(DISTINCT p.person_id) FROM pledges p JOIN people pe "
                    f"ON pe.id = p.person_id WHERE pe.telegram_user_id >= {FIRST_ID}"
                ),
                "pledges_stored": await count(
                    "SELECT count(*) FROM pledges p JOIN people pe "
                    f"ON pe.id = p.person_id WHERE pe.telegram_user_id >= {FIRST_ID}"
                ),
                "redelivered": traffic.redelivered,
            }
    finally:
        await engine.dispose()


def _print_timeline(answered: list[tuple[float, float]], start: float) -> None:
    """Worst and median latency per half second of posting (where do the slow ones sit?)."""
    buckets: dict[int, list[float]] = {}
    for at, lat in answered:
        buckets.setdefault(int((at - start) * 2), []).append(lat)
    for b in sorted(buckets):
        values = sorted(buckets[b])
        print(
            f"  t={b / 2:5.1f}s n={len(values):3d} p50={values[len(values) // 2]:6.0f} "
            f"max={values[-1]:6.0f} ms",
            file=sys.stderr,
        )


def _match_all(traffic: Traffic, since: int, sent: list[tuple[str, float]]) -> list[float | None]:
    """Latency (ms) of each post, in posting order: the first matching call after it
    (None while unanswered)."""
    calls: dict[str, list[float]] = {}
    for call in traffic.api.calls[since:]:
        if call.method == "answerCallbackQuery":
            key = "cb:" + str(call.params.get("callback_query_id"))
        elif call.method in ("sendMessage", "editMessageText"):
            key = f"chat:{call.params.get('chat_id')}"
        else:
            continue
        calls.setdefault(key, []).append(call.at)
    latencies: list[float | None] = []
    used: dict[str, int] = {}
    for key, at in sent:
        times = calls.get(key, [])
        i = used.get(key, 0)
        # Skip calls that belong to an earlier post of the same chat (split replies).
        while i < len(times) and times[i] < at:
            i += 1
        if i < len(times):
            latencies.append((times[i] - at) * 1000)
            # A chat's later posts are at least two seconds apart; one reply answers one post.
            j = i
            while j < len(times) and times[j] - times[i] < 1.0:
                j += 1
            used[key] = j
        else:
            latencies.append(None)
    return latencies


def _profile(proc: subprocess.Popen, seconds: float) -> subprocess.Popen | None:
    """With LZ_LOAD_PROFILE=prefix, sample the bot during the measured phase (py-spy)."""
    prefix = os.environ.get("LZ_LOAD_PROFILE")
    if not prefix:
        return None
    out = f"{prefix}-{proc.pid}.txt"
    return subprocess.Popen(
        [
            *("py-spy", "record", "--format", "raw", "-r", "100"),
            *("-d", str(int(seconds) + 1), "-p", str(proc.pid), "-o", out),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _cpu_seconds(proc: subprocess.Popen | int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    pid = proc if isinstance(proc, int) else proc.pid
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _postgres_cpu_seconds() -> float:
    """CPU time of every PostgreSQL server process (0 where there is none)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            if (entry / "comm").read_text().strip() == "postgres":
                total += _cpu_seconds(int(entry.name))
        except OSError:
            continue  # the process ended meanwhile
    return total


def _watch_gc() -> list[tuple[float, int, float]]:
    """Record this process's collections (start, generation, ms) for the timeline."""
    seen: list[tuple[float, int, float]] = []
    started: dict[str, float] = {}

    def callback(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            started["t"] = time.perf_counter()
        else:
            t = started.get("t", time.perf_counter())
            seen.append((t, info["generation"], (time.perf_counter() - t) * 1000))

    gc.callbacks.append(callback)
    return seen


async def run_case(case: Case) -> Case:
    """Prepare a database, start the bot process(es), warm up, then measure one paced load."""
    tmp = Path(tempfile.mkdtemp(prefix="lzload-"))
    pg_name = ""
    if case.db == "postgresql":
        url, pg_name = await create_pg_database("lzl")
    else:
        url = f"sqlite:///{tmp / 'load.db'}"
    deliveries = await prepare(url, tmp, case.officials)
    api = FakeBotApi()
    await api.start()
    ports = [free_port() for _ in range(case.instances)]
    procs = [start_bot(case, url, tmp, api.url, port) for port in ports]
    http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0))
    try:
        for port, proc in zip(ports, procs, strict=True):
            await wait_healthy(http, port, proc)
        traffic = Traffic(api, deliveries)
        users = list(deliveries)
        # Warm-up: every code path once per process, then a short slow phase.
        await run_phase(traffic, http, ports, users, 20, 3)
        cpu_before = sum(_cpu_seconds(p) for p in procs)
        harness_before = time.process_time()
        postgres_before = _postgres_cpu_seconds()
        profilers = [_profile(p, case.seconds + 1) for p in procs]
        # The generator's own full collections (100-150 ms over its test-suite imports)
        # would stall posting and count as the bot's latency; the bot does the same.
        gc.collect()
        gc.freeze()
        collections = _watch_gc() if os.environ.get("LZ_LOAD_TIMELINE") else []
        phase_start = time.perf_counter()
        case.results = await run_phase(traffic, http, ports, users, case.rate, case.seconds)
        for t, generation, ms in collections:
            if generation == 2 or ms > 5:
                print(
                    f"  harness gc gen{generation} at {t - phase_start:.1f}s: {ms:.0f} ms",
                    file=sys.stderr,
                )
        cpu = sum(_cpu_seconds(p) for p in procs) - cpu_before
        case.results["cpu_ms_per_update"] = cpu * 1000 / case.results["total"]
        # This process (load generator and fake Bot API) shares the same two cores.
        harness = time.process_time() - harness_before
        case.results["harness_ms_per_update"] = harness * 1000 / case.results["total"]
        postgres = _postgres_cpu_seconds() - postgres_before
        case.results["postgres_ms_per_update"] = postgres * 1000 / case.results["total"]
        for profiler in profilers:
            if profiler is not None:
                profiler.wait(60)
        case.results.update(await _records(url, traffic))
    finally:
        await http.close()
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
        await api.stop()
        if pg_name:
            await drop_pg_database(pg_name)
    return case


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--framework", choices=["ptb", "aiogram", "both"], default="both")
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="sqlite")
    parser.add_argument("--instances", type=int, default=1)
    parser.add_argument("--rate", type=int, default=200, help="updates per second offered")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--officials", type=int, default=400)
    parser.add_argument(
        "--send-rate", type=int, default=1000, help="SEND_RATE_OVERALL of the bot processes"
    )
    args = parser.parse_args()
    frameworks = ["ptb", "aiogram"] if args.framework == "both" else [args.framework]
    dbs = ["sqlite", "postgresql"] if args.db == "both" else [args.db]
    print(
        "| framework | database | instances | send limit | offered | achieved | p50 | p99 | max "
        "| errors | unanswered | pledges recorded | generator late | CPU per update: bot | harness "
        "| PostgreSQL |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for db in dbs:
        for fw in frameworks:
            case = Case(
                fw, db, args.instances, args.rate, args.seconds, args.officials, args.send_rate
            )
            r = (await run_case(case)).results
            print(
                f"| {fw} | {db} | {case.instances} | {case.send_rate}/s | {r['offered']:.0f}/s "
                f"| {r['achieved']:.0f}/s | {r['p50']:.0f} ms | {r['p99']:.0f} ms "
                f"| {r['max']:.0f} ms | {r['errors']} | {r['unanswered']} "
                f"| {r['pledges']} ({r['form_misses']} steps missed) "
                f"| {r['generator_late_ms']:.0f} ms "
                f"| {r['cpu_ms_per_update']:.1f} ms | {r['harness_ms_per_update']:.1f} ms "
                f"| {r['postgres_ms_per_update']:.1f} ms |",
                flush=True,
            )
            print(
                f"  records: {r['updates_claimed']} updates claimed of {r['updates_posted']} "
                f"posted ({r['redelivered']} posted twice), {r['questions_stored']} questions "
                f"stored of {r['questions_asked']} asked, {r['pledges_stored']} pledges of "
                f"{r['pledge_people']} reporting officials",
                file=sys.stderr,
                flush=True,
            )


if __name__ == "__main__":
    asyncio.run(main())
