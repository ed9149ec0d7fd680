"""The demo shows every feature a first-time user tries (issue 18): an overdue notice, one
overdue while its report awaits review, one due on the day the demo is loaded, a stacked
party sanction, planned reminders, last August's test results and a quiz in progress."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.demo.organisation import seed_demo
from handlers.core.app import Assistant
from handlers.core.clock import ManualClock
from handlers.records.domain import NoticeStatus
from handlers.registry import all_routers
from knowledge.retrieval import KnowledgeBase
from tests.conftest import make_services
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.core.helpers import say, texts
from tests.handlers.reminders.helpers import FakeSender, make_dispatcher

NOW = datetime(2026, 12, 4, 6, 0, tzinfo=UTC)  # 14:00 in Shanghai


async def test_the_demo_has_every_kind_of_record_and_reminders(kb: KnowledgeBase) -> None:
    factory = FakeUnitOfWorkFactory()
    async with factory() as uow:
        assert await seed_demo(uow, NOW)
        await uow.commit()
    today = NOW.date()
    notices = list(factory.db.record_tables.notices.values())
    assert any(n.is_overdue(today) and n.status == NoticeStatus.OPEN for n in notices)
    assert any(n.is_overdue(today) and n.status == NoticeStatus.SUBMITTED for n in notices)
    assert any(n.deadline == today for n in notices)
    # Last August's test, taken by some cadres: scores to look at, participation below 100%.
    attempts = list(factory.db.reminder_tables.attempts.values())
    tests = [a for a in attempts if not a.practice]
    assert len(tests) == 4 and all(a.score is not None and a.year == 2026 for a in tests)
    # ... and a practice round in progress, which /quiz resumes.
    [running] = [a for a in attempts if a.practice]
    assert running.finished_at is None and running.next_index == 2
    clock = ManualClock(NOW)
    core = Assistant(factory, make_services(clock, kb), all_routers())
    assert "第 3 题" in texts(await say(core, 1104, "/quiz"))
    stacked = texts(await say(core, 1102, "/eligible 高峰"))
    assert "第二十一条" in stacked and "❌" in stacked
    # Planning gives the principal of the notice due today his deadline reminders.
    await make_dispatcher(factory, FakeSender(), clock).plan(timedelta(days=3))
    head = next(p for p in factory.db.people.values() if p.telegram_user_id == 1103)
    mine = texts(await say(core, 1103, "/reminders"))
    assert "整改" in mine and head.name
