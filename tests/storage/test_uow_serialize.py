"""On SQLite the app runs its units of work one at a time, in arrival order."""

from __future__ import annotations

import asyncio
from pathlib import Path

from storage.db import create_engine, session_factory
from storage.uow import SqlUnitOfWorkFactory


async def test_serialized_units_of_work_wait_their_turn(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'x.db'}")
    uows = SqlUnitOfWorkFactory(session_factory(engine), serialize=True)
    order: list[str] = []
    try:
        first = uows()
        await first.__aenter__()

        async def second() -> None:
            async with uows():
                order.append("second")

        task = asyncio.create_task(second())
        for _ in range(20):  # let the second one run as far as it can
            await asyncio.sleep(0)
        assert not task.done()  # still waiting for the first to finish
        order.append("first")
        await first.__aexit__(None, None, None)
        await asyncio.wait_for(task, 10)
        assert order == ["first", "second"]
    finally:
        await engine.dispose()


async def test_a_failed_unit_of_work_releases_its_turn(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'x.db'}")
    uows = SqlUnitOfWorkFactory(session_factory(engine), serialize=True)
    try:
        try:
            async with uows():
                raise RuntimeError("boom")
        except RuntimeError:
            pass

        async def again() -> bool:
            async with uows() as uow:
                return uow.session is not None

        assert await asyncio.wait_for(again(), 10)  # times out if the turn was never released
    finally:
        await engine.dispose()
