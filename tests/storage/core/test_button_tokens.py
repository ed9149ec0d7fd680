"""Button tokens in the database, on SQLite and PostgreSQL: issue, resolve, expire, purge."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from handlers.core.app import Assistant
from handlers.core.clock import ManualClock
from handlers.core.domain import IssuedButton
from storage.core.models import ButtonTokenRow
from tests.handlers.core.helpers import buttons, say, texts
from tests.handlers.reminders.helpers import FakeSender, make_dispatcher

pytestmark = pytest.mark.storage

LONG_NAME = "华龙区政府办公室新任副主任（试用期）"
EXPIRED = "此按钮已失效，请重新发送命令。"


async def rows(engine: AsyncEngine) -> list[ButtonTokenRow]:
    async with engine.connect() as conn:
        result = await conn.execute(select(ButtonTokenRow).order_by(ButtonTokenRow.token))
        return list(result.all())  # type: ignore[arg-type]


async def invitation_count(engine: AsyncEngine) -> int:
    from storage.core.models import InvitationRow

    async with engine.connect() as conn:
        return int(await conn.scalar(select(func.count()).select_from(InvitationRow)) or 0)


async def test_choice_buttons_round_trip_through_the_database(
    sql_core: Assistant, engine: AsyncEngine, clock: ManualClock
) -> None:
    replies = await say(sql_core, 1001, f"/invite 政府办公室 cadre {LONG_NAME}")
    choices = dict(buttons(replies))
    assert all(d.startswith("~:") and len(d.encode()) <= 64 for d in choices.values())
    stored = await rows(engine)
    assert sorted(r.payload for r in stored) == [
        f"rr:/invite HL-ZF cadre {LONG_NAME}",
        f"rr:/invite QF-ZF cadre {LONG_NAME}",
    ]
    assert {(r.user_id, r.chat_id) for r in stored} == {(1001, 1001)}
    assert all(r.expires_at == clock.now() + timedelta(days=7) for r in stored)

    before = await invitation_count(engine)
    assert texts(await say(sql_core, 1002, data=choices["华龙区政府办公室（HL-ZF）"])) == EXPIRED
    assert await invitation_count(engine) == before
    done = await say(sql_core, 1001, data=choices["华龙区政府办公室（HL-ZF）"])
    assert LONG_NAME in texts(done) and "华龙区政府办公室" in texts(done)
    assert await invitation_count(engine) == before + 1

    clock.advance(timedelta(days=7))
    assert texts(await say(sql_core, 1001, data=choices["清丰县政府办公室（QF-ZF）"])) == EXPIRED
    assert await invitation_count(engine) == before + 1


async def test_purge_removes_expired_tokens_only(
    sql_uow: object, engine: AsyncEngine, clock: ManualClock
) -> None:
    now = clock.now()
    async with sql_uow() as uow:  # type: ignore[operator]
        for i, (user, life) in enumerate([(1, 1), (1, 10), (2, 1), (2, 10)]):
            await uow.buttons.add(
                IssuedButton(f"tok{i:013d}", "p" * 100, user, user, now, now + timedelta(days=life))
            )
        await uow.commit()
    clock.advance(timedelta(days=2))
    async with sql_uow() as uow:  # type: ignore[operator]
        assert await uow.buttons.purge_expired(clock.now(), user_id=1) == 1
        await uow.commit()
    assert [r.token for r in await rows(engine)] == [
        "tok0000000000001",
        "tok0000000000002",
        "tok0000000000003",
    ]
    # The dispatcher's planning run purges everyone's.
    await make_dispatcher(sql_uow, FakeSender(), clock).plan()  # type: ignore[arg-type]
    assert [r.token for r in await rows(engine)] == ["tok0000000000001", "tok0000000000003"]
    async with sql_uow() as uow:  # type: ignore[operator]
        kept = await uow.buttons.get("tok0000000000001")
        assert kept is not None and kept.payload == "p" * 100 and kept.user_id == 1
        assert await uow.buttons.get("tok0000000000000") is None
