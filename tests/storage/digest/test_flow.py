"""The summary digest on SQLite and PostgreSQL: subscribe with /digest, let the period end
(the injected clock moves), plan and dispatch, and check what each supervisor received."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest

from handlers.core.app import Assistant
from handlers.core.clock import ManualClock
from handlers.core.domain import Role
from handlers.core.types import TextReply
from handlers.registry import all_routers
from handlers.reminders.domain import DigestFrequency, DigestSubscription, ReminderConfig
from handlers.summary.figures import build_summary
from handlers.summary.period import year_period
from storage.reminders.models import ReminderDeliveryRow, ReminderOccurrenceRow
from tests.conftest import make_services
from tests.handlers.core.helpers import say, texts
from tests.handlers.reminders.helpers import TZ, FakeSender, make_dispatcher
from tests.storage.summary.fixture import T, add_records, build_org

pytestmark = pytest.mark.storage

SUP_C, SUP_A, SUP_B = 500, 501, 502


def local(m: int, d: int, hh: int, mm: int = 0) -> datetime:
    """A local (Shanghai) time in 2026, as UTC."""
    return datetime(2026, m, d, hh, mm, tzinfo=TZ).astimezone(UTC)


def digests(sender: FakeSender, chat: int | None = None) -> list[TextReply]:
    return [
        r
        for c, r in sender.sent
        if isinstance(r, TextReply) and r.text.startswith("📬") and chat in (None, c)
    ]


async def digest_rows(sql_uow: Any) -> list[tuple[str, int, str, int]]:
    """(occurrence key, person id, status, sends) of every digest delivery."""
    from sqlalchemy import select

    async with sql_uow() as uow:
        rows = await uow.session.execute(
            select(
                ReminderOccurrenceRow.key,
                ReminderDeliveryRow.person_id,
                ReminderDeliveryRow.status,
                ReminderDeliveryRow.sends,
            )
            .join(
                ReminderOccurrenceRow, ReminderOccurrenceRow.id == ReminderDeliveryRow.occurrence_id
            )
            .where(ReminderOccurrenceRow.kind == "digest")
            .order_by(ReminderDeliveryRow.person_id)
        )
        return [tuple(r) for r in rows.all()]


@pytest.fixture
async def org(sql_uow: Any) -> Any:
    async with sql_uow() as uow:
        org = await build_org(uow)
        await add_records(uow, org)
        # One more event reminder, sent on 1 April to a1x and acknowledged: the week of
        # 30 March – 5 April has 1 sent / 1 acknowledged in A; 2026 has 4 / 3 in A.
        occ = ReminderOccurrenceRow(
            key="k2", kind="event", topic="t", due_at=T, params={}, created_at=T
        )
        uow.session.add(occ)
        await uow.session.flush()
        uow.session.add(
            ReminderDeliveryRow(
                occurrence_id=occ.id,
                person_id=org.people["a1x"].id,
                due_at=T,
                status="sent",
                sent_at=local(4, 1, 10),
                sends=1,
                ack_status="done",
            )
        )
        # The county B supervisor reads English.
        await uow.people.set_language(org.people["sup_b"].id, "en")
        await uow.commit()
    return org


async def test_weekly_digest_on_sql(sql_uow: Any, org: Any) -> None:
    clock = ManualClock(local(3, 31, 10))  # Tuesday of ISO week 14 (30 March – 5 April)
    core = Assistant(sql_uow, make_services(clock, None), all_routers())
    assert "每周" in texts(await say(core, SUP_A, "/digest weekly"))
    assert "weekly" in texts(await say(core, SUP_B, "/digest weekly"))
    await say(core, SUP_C, "/digest weekly")
    await say(core, SUP_C, "/digest off")
    sender = FakeSender()
    d = make_dispatcher(sql_uow, sender, clock, sources=())
    clock.set(local(4, 6, 0, 5))  # the week has ended
    await d.plan()
    assert (await d.plan()).deliveries == 0  # idempotent
    a, b = org.people["sup_a"].id, org.people["sup_b"].id
    key = "digest:weekly:2026-W14"
    assert await digest_rows(sql_uow) == [(key, a, "pending", 0), (key, b, "pending", 0)]
    assert (await d.dispatch_once()).quiet  # 00:05: quiet hours
    clock.set(local(4, 6, 9, 0))
    await d.dispatch_once()
    assert sorted(r.chat_id or 0 for r in digests(sender)) == [SUP_A, SUP_B]
    # County A: talks on 31 March (A1) and 1 April (A2), the reminder of 1 April.
    [mine] = digests(sender, SUP_A)
    assert "📬 每周简报：甲县 · 2026年第14周（03-30至04-05）" in mine.text
    assert "诫勉谈话（谈话记录）：2 次" in mine.text
    assert "提醒确认率：100%（1 条中已确认 1 条）" in mine.text
    assert "乙" not in mine.text
    assert [b.data for row in mine.buttons for b in row] == [f"sum:{org.a.id}:20260330-20260405"]
    # County B, in English: nothing that week.
    [theirs] = digests(sender, SUP_B)
    assert "📬 Weekly digest: 乙县 · 2026 week 14 (03-30 – 04-05)" in theirs.text
    assert (
        "Warning talks (talk records): 0" in theirs.text
        and "Reminders acknowledged: no data" in theirs.text
    )
    assert "甲" not in theirs.text
    # The button opens the full summary of that week, scope-checked as any /summary button.
    full = texts(await say(core, SUP_A, data=mine.buttons[0][0].data))
    assert "2026-03-30～2026-04-05" in full and "诫勉谈话（谈话记录）：2 次" in full
    forged = texts(await say(core, SUP_B, data=mine.buttons[0][0].data))
    assert "甲县" not in forged
    # Sent once: no repeat, no escalation, and later runs add nothing.
    assert await digest_rows(sql_uow) == [(key, a, "sent", 1), (key, b, "sent", 1)]
    sender.sent.clear()
    for days in (1, 2, 3):
        clock.set(local(4, 6, 9, 0) + timedelta(days=days))
        await d.plan()
        await d.dispatch_once()
    assert not digests(sender)
    # The digests sent on 6 April do not count as unacknowledged reminders.
    async with sql_uow() as uow:
        year = await build_summary(uow, org.a, year_period(2026), clock.now(), TZ)
    assert (year.total.reminders_sent, year.total.reminders_acked) == (4, 3)
    week15 = texts(await say(core, SUP_A, "/summary 2026-04-06..2026-04-12"))
    assert "提醒确认率：暂无数据" in week15


async def test_monthly_digest_waits_for_a_working_morning_and_skips_lost_roles(
    sql_uow: Any, org: Any
) -> None:
    clock = ManualClock(local(2, 10, 10))
    core = Assistant(sql_uow, make_services(clock, None), all_routers())
    await say(core, SUP_A, "/digest monthly")
    await say(core, SUP_B, "/digest monthly")
    # February ends on a Saturday; weekends are off and the quiet hours last until 10:00.
    cfg = ReminderConfig(skip_weekends=True, quiet_end=time(10, 0))
    sender = FakeSender()
    d = make_dispatcher(sql_uow, sender, clock, cfg, sources=())
    clock.set(local(3, 1, 0, 5))
    await d.plan()
    a, b = org.people["sup_a"].id, org.people["sup_b"].id
    key = "digest:monthly:2026-02"
    assert await digest_rows(sql_uow) == [(key, a, "pending", 0), (key, b, "pending", 0)]
    clock.set(local(3, 1, 11, 0))  # Sunday
    assert (await d.dispatch_once()).quiet
    clock.set(local(3, 2, 9, 30))  # Monday, still quiet
    assert (await d.dispatch_once()).quiet
    # Between planning and sending, county B's supervisor loses the role.
    async with sql_uow() as uow:
        assert await uow.people.revoke(b, Role.SUPERVISOR, org.b.id)
        await uow.commit()
    clock.set(local(3, 2, 10, 0))
    report = await d.dispatch_once()
    assert [r.chat_id for r in digests(sender)] == [SUP_A]
    assert report.skipped == 1
    [mine] = digests(sender)
    # February in A: three reminders sent on 1 February, two acknowledged.
    assert "📬 月度简报：甲县 · 2026年02月" in mine.text
    assert "提醒确认率：66.7%（3 条中已确认 2 条）" in mine.text
    assert await digest_rows(sql_uow) == [(key, a, "sent", 1), (key, b, "cancelled", 0)]


async def test_subscription_rows(sql_uow: Any, org: Any) -> None:
    a, b, c = (org.people[k].id for k in ("sup_a", "sup_b", "sup_c"))
    t1, t2, t3 = local(3, 1, 10), local(3, 2, 10), local(3, 3, 10)
    async with sql_uow() as uow:
        first = await uow.digests.choose(a, DigestFrequency.WEEKLY, t1)
        again = await uow.digests.choose(a, DigestFrequency.WEEKLY, t2)  # same choice
        assert first == again == DigestSubscription(a, DigestFrequency.WEEKLY, t1)
        await uow.digests.choose(b, DigestFrequency.WEEKLY, t2)
        await uow.digests.choose(c, DigestFrequency.MONTHLY, t1)
        await uow.commit()
    async with sql_uow() as uow:
        roles = (Role.SUPERVISOR, Role.ADMIN)
        assert await uow.digests.subscribers(DigestFrequency.WEEKLY, t3, roles) == [a, b]
        assert await uow.digests.subscribers(DigestFrequency.WEEKLY, t2, roles) == [a]
        assert await uow.digests.subscribers(DigestFrequency.MONTHLY, t3, roles) == [c]
        assert await uow.digests.subscribers(DigestFrequency.WEEKLY, t3, (Role.ADMIN,)) == []
        switched = await uow.digests.choose(a, DigestFrequency.MONTHLY, t3)
        assert switched == DigestSubscription(a, DigestFrequency.MONTHLY, t3)
        assert await uow.digests.choose(b, None, t3) is None
        await uow.people.set_active(c, False)
        await uow.commit()
    async with sql_uow() as uow:
        later = local(3, 4, 10)
        assert await uow.digests.get(b) is None
        assert await uow.digests.get(a) == DigestSubscription(a, DigestFrequency.MONTHLY, t3)
        assert await uow.digests.subscribers(DigestFrequency.WEEKLY, later, roles) == []
        assert await uow.digests.subscribers(DigestFrequency.MONTHLY, later, roles) == [a]
