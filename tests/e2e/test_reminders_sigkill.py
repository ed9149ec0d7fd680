"""The reminder process killed with SIGKILL in the middle of a batch, then started again.

A real ``python -m bot reminders dispatch-once`` sends a batch through the configured
framework to the fake Bot API over HTTP. The fake answers the first sends, then holds the
rest unanswered (a slow Telegram), and the process is killed while it waits. A second run
finishes the work. From the fake's records and the database: nothing is lost, every
reminder is recorded as sent exactly once, and only sends that were in flight at the kill
(received by "Telegram" but not yet recorded) went out twice.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from handlers.core.domain import NewPerson, Role, UnitLevel
from handlers.reminders.domain import OccurrenceKind, OccurrenceSpec
from storage.reminders.models import ReminderDeliveryRow as D
from storage.uow import SqlUnitOfWorkFactory
from tests.e2e.fake_bot_api import FakeBotApi

pytestmark = [pytest.mark.e2e, pytest.mark.storage]

PEOPLE = 60
ANSWERED = 20  # sends the fake answers before it stops answering
MAX_IN_FLIGHT = 10  # the dispatcher's default concurrency


def midday_zone(now: datetime) -> str:
    """A fixed-offset zone where it is around noon now, so quiet hours never apply."""
    offset = 12 - now.hour
    if offset == 0:
        return "Etc/GMT"
    # POSIX sign convention: Etc/GMT-8 is eight hours ahead of UTC.
    return f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}"


async def seed(uow_factory: SqlUnitOfWorkFactory, now: datetime) -> set[int]:
    """PEOPLE cadres and one reminder each, due a minute ago; returns the delivery ids."""
    async with uow_factory() as uow:
        unit = await uow.units.add("K", "测试单位", UnitLevel.DEPARTMENT, None)
        ids = []
        for i in range(PEOPLE):
            p = await uow.people.add(NewPerson(f"干部{i}", unit.id, telegram_user_id=5_000_000 + i))
            await uow.people.grant(p.id, Role.CADRE, unit.id)
            ids.append(p.id)
        due = now - timedelta(minutes=1)
        params = {"year": due.year, "lead": 0, "starts_on": due.date().isoformat()}
        spec = OccurrenceSpec("ev:sigkill", OccurrenceKind.EVENT, "group_study", due, params=params)
        occ = await uow.reminders.ensure_occurrence(spec, now)
        await uow.reminders.add_deliveries(occ.id, ids, due)
        await uow.commit()
    return await deliveries(uow_factory)


async def deliveries(uow_factory: SqlUnitOfWorkFactory) -> set[int]:
    async with uow_factory() as uow:
        assert uow.session is not None
        return set(await uow.session.scalars(select(D.id)))


async def sends(engine: AsyncEngine) -> dict[int, int]:
    """Delivery id -> how often the database recorded it as sent."""
    async with engine.connect() as conn:
        return {i: n for i, n in (await conn.execute(select(D.id, D.sends))).all()}


def sent_ids(api: FakeBotApi) -> list[int]:
    """The delivery id of every sendMessage the fake received (from the ack buttons)."""
    out = []
    for call in api.replies("sendMessage"):
        data = call.params["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        out.append(int(data.rsplit(":", 1)[1]))
    return out


async def dispatch_process(env: dict[str, str], cwd: Path, name: str) -> asyncio.subprocess.Process:
    log = (cwd / f"{name}.log").open("wb")
    return await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "reminders",
        "dispatch-once",
        "--no-plan",
        cwd=cwd,
        env=env,
        stdout=log,
        stderr=asyncio.subprocess.STDOUT,
    )


async def test_sigkill_during_a_reminder_batch(
    db_url: str,
    sql_uow: SqlUnitOfWorkFactory,
    engine: AsyncEngine,
    tmp_path: Path,
) -> None:
    # Each process start costs seconds, so each framework runs on one database:
    # python-telegram-bot on SQLite, aiogram on PostgreSQL.
    framework = "ptb" if db_url.startswith("sqlite") else "aiogram"
    now = datetime.now(UTC)
    all_ids = await seed(sql_uow, now)
    api = FakeBotApi()
    await api.start()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": os.environ.get("HOME", str(tmp_path)),
        "BOT_TOKEN": "123456:TEST",
        "BOT_FRAMEWORK": framework,
        "DATABASE_URL": db_url,
        "TELEGRAM_API_URL": api.url,
        "BOT_TIMEZONE": midday_zone(now),
    }
    try:
        api.hold_after("sendMessage", ANSWERED)
        first = await dispatch_process(env, tmp_path, "first")
        try:
            # some sends answered, at least one waiting for its answer: kill it there
            await api.wait_for(ANSWERED + 1, "sendMessage", timeout=120)
        finally:
            first.send_signal(signal.SIGKILL)
            await asyncio.wait_for(first.wait(), 30)
        assert first.returncode == -signal.SIGKILL

        seen_before_kill = sent_ids(api)
        recorded = {i for i, n in (await sends(engine)).items() if n}
        in_flight = set(seen_before_kill) - recorded
        assert len(recorded) < PEOPLE, "the batch should have been interrupted"
        assert 1 <= len(in_flight) <= MAX_IN_FLIGHT, (len(in_flight), len(recorded))
        assert recorded <= set(seen_before_kill)  # nothing recorded that was not sent

        # The dead process's claim lapses after its lease (two minutes); let that time pass.
        async with engine.begin() as conn:
            await conn.execute(
                update(D)
                .where(D.status == "sending")
                .values(lease_until=datetime.now(UTC) - timedelta(seconds=1))
            )
        api.release()
        second = await dispatch_process(env, tmp_path, "second")
        assert await asyncio.wait_for(second.wait(), 180) == 0, (
            tmp_path / "second.log"
        ).read_text()
    finally:
        api.release()
        await api.stop()

    assert await sends(engine) == dict.fromkeys(all_ids, 1)  # each recorded exactly once
    counts = Counter(sent_ids(api))
    assert set(counts) == all_ids  # nothing lost
    twice = {i for i, n in counts.items() if n > 1}
    assert twice <= in_flight  # duplicates only among the sends in flight at the kill
    assert max(counts.values()) == 2
