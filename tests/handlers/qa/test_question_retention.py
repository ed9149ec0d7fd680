"""Chat questions are kept for the retention period only; after it, counts remain."""

from __future__ import annotations

from datetime import timedelta

from bot.settings import Settings
from handlers.core.app import Assistant
from handlers.core.clock import ManualClock
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.core.helpers import say
from tests.handlers.reminders.helpers import FakeSender, make_dispatcher


def test_retention_defaults_to_180_days() -> None:
    assert Settings(_env_file=None).question_retention_days == 180  # type: ignore[call-arg]


async def test_questions_past_retention_are_removed_by_the_planning_run(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    await say(core, 1104, "我们单位的张三收了一张购物卡，今天天气怎么样")
    await say(core, 1104, "诫勉谈话以后多久可以提拔")
    asked = dict(fake_uow.db.questions)
    assert len(asked) == 2
    d = make_dispatcher(fake_uow, FakeSender(), clock, sources=(),
                        question_retention=timedelta(days=180))  # fmt: skip

    clock.advance(timedelta(days=179))
    await d.plan()
    assert fake_uow.db.questions.keys() == asked.keys()  # still inside the period

    clock.advance(timedelta(days=2))
    await d.plan()
    assert fake_uow.db.questions == {}
    counts = list(fake_uow.db.question_counts.values())
    assert sum(c.asked for c in counts) == 2
    assert {c.month for c in counts} == {"2026-03"}
    # Nothing of the texts is kept.
    assert not any("张三" in repr(c) for c in counts)
