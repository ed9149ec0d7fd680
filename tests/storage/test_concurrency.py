"""Two assistants (as two instances would) on one database: no double registration or update."""

from __future__ import annotations

import asyncio

import pytest

from handlers.core.app import Assistant
from handlers.core.clock import ManualClock
from handlers.core.domain import Role
from handlers.core.types import Request
from handlers.org.registration import create_invitation
from handlers.registry import all_routers
from knowledge.retrieval import KnowledgeBase
from tests.conftest import make_services
from tests.handlers.core.helpers import texts

pytestmark = pytest.mark.storage


async def test_one_code_redeemed_concurrently_registers_one_person(
    sql_core: Assistant, sql_uow: object, clock: ManualClock, kb: KnowledgeBase
) -> None:
    other = Assistant(sql_uow, make_services(clock, kb), all_routers())  # type: ignore[arg-type]
    async with sql_uow() as uow:  # type: ignore[operator]
        unit = await uow.units.by_code("HL-ZF")
        inv = await create_invitation(uow, unit, Role.CADRE, clock.now(), 14, "抢注")
        await uow.commit()
    results = await asyncio.gather(
        sql_core.handle(Request(user_id=9001, chat_id=9001, text=f"/start {inv.code}")),
        other.handle(Request(user_id=9002, chat_id=9002, text=f"/start {inv.code}")),
    )
    welcomed = [r for r in results if "抢注" in texts(r)]
    assert len(welcomed) == 1, [texts(r) for r in results]
    async with sql_uow() as uow:  # type: ignore[operator]
        registered = [await uow.people.by_telegram_id(u) for u in (9001, 9002)]
        assert sum(p is not None for p in registered) == 1


async def test_same_update_on_two_instances_is_processed_once(
    sql_core: Assistant, sql_uow: object, clock: ManualClock, kb: KnowledgeBase
) -> None:
    other = Assistant(sql_uow, make_services(clock, kb), all_routers())  # type: ignore[arg-type]
    req = Request(user_id=1104, chat_id=1104, text="诫勉谈话后多久不能提拔", update_id=424242)
    results = await asyncio.gather(sql_core.handle(req), other.handle(req))
    assert sorted(len(r) for r in results) == [0, 1]
    async with sql_uow() as uow:  # type: ignore[operator]
        assert await uow.questions.gaps(10) == []
