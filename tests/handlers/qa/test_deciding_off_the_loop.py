"""A question is decided off the event loop: other updates are served while the encoder runs."""

from __future__ import annotations

import asyncio
import threading

from handlers.core.app import Assistant
from handlers.core.clock import ManualClock
from handlers.registry import all_routers
from knowledge.retrieval import Decision, KnowledgeBase
from tests.conftest import make_services
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.core.helpers import say, texts

CADRE = 1110


class WaitingKnowledge:
    """The real index, whose ``decide`` first waits for a coroutine on the event loop to
    run: if ``decide`` ran on the loop itself, that coroutine could not, and the wait would
    run out instead."""

    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.loop_ran = threading.Event()
        self.saw_the_loop_run = False

    def __getattr__(self, name: str) -> object:
        return getattr(self.kb, name)

    def decide(self, query: str) -> Decision:
        self.saw_the_loop_run = self.loop_ran.wait(timeout=10)
        return self.kb.decide(query)


async def test_the_event_loop_runs_while_a_question_is_decided(
    fake_uow: FakeUnitOfWorkFactory, clock: ManualClock, kb: KnowledgeBase
) -> None:
    waiting = WaitingKnowledge(kb)
    core = Assistant(fake_uow, make_services(clock, waiting), all_routers())  # type: ignore[arg-type]

    async def another_update() -> None:
        await asyncio.sleep(0)
        waiting.loop_ran.set()

    replies, _ = await asyncio.gather(say(core, CADRE, "诫勉谈话后多久不能提拔"), another_update())
    assert waiting.saw_the_loop_run
    assert "依据" in texts(replies)
