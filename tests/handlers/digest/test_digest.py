"""Summary digest on fakes: choosing it, planning one occurrence per period, sending it
once to the right person with their scope's figures, and sending nothing when it no longer
applies. Time only moves when a test moves it."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest

from bot.console import ConsoleChat, ConsoleSender
from handlers.core.app import Assistant
from handlers.core.clock import ManualClock
from handlers.core.domain import NewPerson, Role
from handlers.core.types import TextReply
from handlers.digest.plan import digest_due, digest_key, period_before
from handlers.reminders.domain import DigestFrequency, OccurrenceKind, ReminderConfig
from handlers.summary.domain import Figures
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.core.helpers import buttons, say, texts
from tests.handlers.reminders.helpers import TZ, FakeSender, make_dispatcher

HL_SUP, QF_SUP, ADMIN, INSPECTOR = 1101, 1201, 1001, 1102


def local(y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    """A local (Shanghai) time as UTC."""
    return datetime(y, m, d, hh, mm, tzinfo=TZ).astimezone(UTC)


async def unit_id(uow: FakeUnitOfWorkFactory, code: str) -> int:
    async with uow() as u:
        unit = await u.units.by_code(code)
        assert unit is not None
        return unit.id


async def person_id(uow: FakeUnitOfWorkFactory, telegram_id: int) -> int:
    async with uow() as u:
        p = await u.people.by_telegram_id(telegram_id)
        assert p is not None
        return p.id


async def stub_figures(uow: FakeUnitOfWorkFactory) -> None:
    """Distinct canned figures per county (the fake summary returns those under the unit)."""
    units = uow.db.units
    hl, qf = units[await unit_id(uow, "HL-ZF")].path, units[await unit_id(uow, "QF-ZF")].path
    uow.db.summary_stub = {hl: Figures(talks=3, cases=2), qf: Figures(talks=7, cases=5)}  # type: ignore[attr-defined]


def digest_rows(uow: FakeUnitOfWorkFactory) -> list:
    occ = uow.db.reminder_tables.occurrences
    return [
        d
        for d in uow.db.reminder_tables.deliveries.values()
        if occ[d.occurrence_id].kind == OccurrenceKind.DIGEST
    ]


def digests_sent(sender: FakeSender, chat: int | None = None) -> list[TextReply]:
    """The digests sent (to ``chat``); calendar reminders may go out in the same runs."""
    return [
        r
        for c, r in sender.sent
        if isinstance(r, TextReply) and r.text.startswith("📬") and chat in (None, c)
    ]


async def plan_and_send(
    uow: FakeUnitOfWorkFactory, clock: ManualClock, y: int, m: int, d: int
) -> FakeSender:
    """Plans the digests at 00:05 on the day, sends them at 09:00 and returns the sender."""
    sender = FakeSender()
    dispatcher = make_dispatcher(uow, sender, clock, sources=())
    clock.set(local(y, m, d, 0, 5))
    await dispatcher.plan()
    clock.set(local(y, m, d, 9, 0))
    await dispatcher.dispatch_once()
    return sender


def test_periods_keys_and_due_times() -> None:
    wed = date(2026, 11, 25)
    week = period_before(DigestFrequency.WEEKLY, wed)
    assert (week.start, week.end) == (date(2026, 11, 16), date(2026, 11, 22))
    assert digest_key(DigestFrequency.WEEKLY, week) == "digest:weekly:2026-W47"
    # On a Monday the week just ended is the one before it, not the one starting.
    monday = period_before(DigestFrequency.WEEKLY, date(2026, 11, 30))
    assert (monday.start, monday.end) == (date(2026, 11, 23), date(2026, 11, 29))
    assert digest_key(DigestFrequency.WEEKLY, monday) == "digest:weekly:2026-W48"
    # ISO weeks across the new year belong to the year of their Thursday's week numbering.
    jan = period_before(DigestFrequency.WEEKLY, date(2026, 1, 5))
    assert (jan.start, jan.end) == (date(2025, 12, 29), date(2026, 1, 4))
    assert digest_key(DigestFrequency.WEEKLY, jan) == "digest:weekly:2026-W01"
    month = period_before(DigestFrequency.MONTHLY, date(2026, 12, 1))
    assert (month.start, month.end, month.code) == (
        date(2026, 11, 1),
        date(2026, 11, 30),
        "2026-11",
    )
    assert digest_key(DigestFrequency.MONTHLY, month) == "digest:monthly:2026-11"
    leap = period_before(DigestFrequency.MONTHLY, date(2024, 3, 31))
    assert (leap.start, leap.end) == (date(2024, 2, 1), date(2024, 2, 29))
    # First working morning after the period: weekends and holidays are skipped when set.
    cfg = ReminderConfig(skip_weekends=True, holidays=frozenset({date(2026, 3, 2)}))
    feb = period_before(DigestFrequency.MONTHLY, date(2026, 3, 15))  # ends Saturday 28 Feb
    assert digest_due(feb, cfg, TZ) == local(2026, 3, 3, 8, 0)  # Sun, Mon (holiday) skipped
    assert digest_due(feb, ReminderConfig(), TZ) == local(2026, 3, 1, 9, 0)
    # Quiet hours that end after the send time push it to the end of the quiet hours.
    late = ReminderConfig(quiet_end=time(10, 0))
    assert digest_due(week, late, TZ) == local(2026, 11, 23, 10, 0)


async def test_choose_show_and_switch(
    fake_uow: FakeUnitOfWorkFactory, core: Assistant, clock: ManualClock
) -> None:
    shown = await say(core, HL_SUP, "/digest")
    assert "未订阅" in texts(shown)
    assert [d for _, d in buttons(shown)] == ["dig:w", "dig:m", "dig:off"]
    assert any(label.startswith("✓") and d == "dig:off" for label, d in buttons(shown))
    weekly = await say(core, HL_SUP, "/digest 每周")
    assert "每周" in texts(weekly) and "周一至周日" in texts(weekly)
    pid = await person_id(fake_uow, HL_SUP)
    sub = fake_uow.db.reminder_tables.digests[pid]
    assert sub.frequency == DigestFrequency.WEEKLY and sub.since == clock.now()
    # The same choice again keeps the original moment; a switch restarts it.
    clock.advance(timedelta(days=1))
    await say(core, HL_SUP, "/digest weekly")
    assert fake_uow.db.reminder_tables.digests[pid].since == sub.since
    switched = await say(core, HL_SUP, data="dig:m")
    assert isinstance(switched[0], TextReply) and switched[0].edit
    assert "每月" in texts(switched)
    assert fake_uow.db.reminder_tables.digests[pid].since == clock.now()
    assert [a.details["frequency"] for a in fake_uow.db.audit if a.action == "digest.changed"] == [
        "weekly",
        "monthly",
    ]
    off = await say(core, HL_SUP, "/digest off")
    assert (
        texts(off).startswith("已关闭统计简报")
        and "未订阅" not in texts(off)
        and pid not in fake_uow.db.reminder_tables.digests
    )
    bad = await say(core, HL_SUP, "/digest yearly")
    assert "/digest 每周" in texts(bad) and pid not in fake_uow.db.reminder_tables.digests
    assert "失效" in texts(await say(core, HL_SUP, data="dig:x"))
    # Inspectors may not run /summary, so they get no digest either.
    assert "无权" in texts(await say(core, INSPECTOR, "/digest weekly"))
    assert not fake_uow.db.reminder_tables.digests


async def test_weekly_digest_sent_once_with_the_recipients_figures(
    fake_uow: FakeUnitOfWorkFactory, core: Assistant, clock: ManualClock
) -> None:
    await stub_figures(fake_uow)
    await say(core, HL_SUP, "/digest weekly")  # Tuesday 10 March
    await say(core, QF_SUP, "/digest weekly")
    sender = FakeSender()
    d = make_dispatcher(fake_uow, sender, clock, sources=())
    clock.set(local(2026, 3, 15, 23, 0))  # the week has not ended: nothing planned
    await d.plan()
    assert not digest_rows(fake_uow)
    clock.set(local(2026, 3, 16, 0, 5))
    first = await d.plan()
    rows = digest_rows(fake_uow)
    assert len(rows) == 2 and all(r.due_at == local(2026, 3, 16, 9, 0) for r in rows)
    occ = fake_uow.db.reminder_tables.occurrences[rows[0].occurrence_id]
    assert occ.key == "digest:weekly:2026-W11" and occ.escalate_at is None
    assert first.deliveries >= 2
    assert (await d.plan()).deliveries == 0  # re-planning adds nothing
    assert (await d.dispatch_once()).quiet  # 00:05 is inside the quiet hours
    clock.set(local(2026, 3, 16, 8, 59))
    await d.dispatch_once()
    assert not digests_sent(sender)
    clock.set(local(2026, 3, 16, 9, 0))
    await d.dispatch_once()
    assert sorted(r.chat_id or 0 for r in digests_sent(sender)) == [HL_SUP, QF_SUP]
    hl = digests_sent(sender, HL_SUP)[0].text
    assert "华龙区" in hl and "2026年第11周（03-09至03-15）" in hl
    assert "诫勉谈话（谈话记录）：3 次" in hl and "责任追究：2 件" in hl
    assert "清丰" not in hl and "7 次" not in hl
    qf = digests_sent(sender, QF_SUP)[0].text
    assert "清丰县" in qf and "诫勉谈话（谈话记录）：7 次" in qf
    # No acknowledgement buttons: one button opening the full summary of that week.
    reply = digests_sent(sender, HL_SUP)[0]
    hl_id = await unit_id(fake_uow, "HL")
    assert [b.data for row in reply.buttons for b in row] == [f"sum:{hl_id}:20260309-20260315"]
    full = await say(core, HL_SUP, data=reply.buttons[0][0].data)
    assert "2026-03-09～2026-03-15" in texts(full) and "诫勉谈话（谈话记录）：3 次" in texts(full)
    # Never repeated, never escalated; later dispatches and plans send nothing more.
    sender.sent.clear()
    for days in (1, 2, 3):
        clock.set(local(2026, 3, 16, 9, 0) + timedelta(days=days))
        await d.plan()
        await d.dispatch_once()
    # Deadline reminders of the demo data may escalate; a digest never does.
    occurrences = fake_uow.db.reminder_tables.occurrences.values()
    escalated = [o.key for o in occurrences if o.kind == OccurrenceKind.ESCALATION]
    assert not [k for k in escalated if "digest" in k]
    assert not digests_sent(sender)
    assert all(r.status == "sent" and r.sends == 1 for r in digest_rows(fake_uow))
    # /reminders lists it without asking for an acknowledgement.
    mine = texts(await say(core, HL_SUP, "/reminders"))
    own, units = mine.split("所辖单位")
    assert "· 周统计简报，2026-W11 — 已发送\n" in own  # no "not acknowledged" after it
    assert "简报" not in units  # nor counted in the units' acknowledgements


async def test_no_digest_for_a_period_that_ended_before_subscribing(
    fake_uow: FakeUnitOfWorkFactory, core: Assistant, clock: ManualClock
) -> None:
    sender = FakeSender()
    d = make_dispatcher(fake_uow, sender, clock, sources=())
    clock.set(local(2026, 3, 16, 8, 0))  # Monday, after the week ended, before 09:00
    await say(core, HL_SUP, "/digest weekly")
    await d.plan()
    clock.set(local(2026, 3, 16, 9, 0))
    await d.dispatch_once()
    assert not digests_sent(sender) and not digest_rows(fake_uow)
    # The week in progress is sent once it ends.
    clock.set(local(2026, 3, 23, 0, 5))
    await d.plan()
    clock.set(local(2026, 3, 23, 9, 0))
    await d.dispatch_once()
    assert [("第12周" in r.text) for r in digests_sent(sender)] == [True]


async def test_off_or_lost_role_means_nothing_is_sent(
    fake_uow: FakeUnitOfWorkFactory, core: Assistant, clock: ManualClock
) -> None:
    for tg in (HL_SUP, QF_SUP, ADMIN):
        await say(core, tg, "/digest monthly")
    await say(core, ADMIN, "/digest off")  # before the month ends: never planned
    sender = FakeSender()
    d = make_dispatcher(fake_uow, sender, clock, sources=())
    clock.set(local(2026, 4, 1, 0, 5))
    await d.plan()
    assert len(digest_rows(fake_uow)) == 2
    # After planning: one unsubscribes, the other loses the supervisor role.
    await say(core, QF_SUP, "/digest off")
    async with fake_uow() as uow:
        hl = await uow.people.by_telegram_id(HL_SUP)
        assert hl is not None
        grant = next(g for g in hl.grants if g.role == Role.SUPERVISOR)
        await uow.people.revoke(hl.id, Role.SUPERVISOR, grant.unit_id)
        await uow.commit()
    clock.set(local(2026, 4, 1, 9, 0))
    report = await d.dispatch_once()
    assert not digests_sent(sender) and report.skipped == 2
    assert [r.status for r in digest_rows(fake_uow)] == ["cancelled", "cancelled"]
    clock.set(local(2026, 4, 2, 9, 0))
    await d.plan()
    await d.dispatch_once()
    assert not digests_sent(sender)


async def test_english_when_the_person_chose_english(
    fake_uow: FakeUnitOfWorkFactory, core: Assistant, clock: ManualClock
) -> None:
    await stub_figures(fake_uow)
    hl_sup = await person_id(fake_uow, HL_SUP)
    async with fake_uow() as uow:
        await uow.people.set_language(hl_sup, "en")
        await uow.commit()
    confirm = await say(core, HL_SUP, "/digest monthly")
    assert "Your summary digest: monthly" in texts(confirm)
    sender = await plan_and_send(fake_uow, clock, 2026, 4, 1)
    [reply] = digests_sent(sender, HL_SUP)
    assert (
        "📬 Monthly digest: 华龙区" in reply.text
        and "Warning talks (talk records): 3" in reply.text
    )
    assert reply.buttons[0][0].text == "📊 Full summary"
    assert reply.buttons[0][0].data.endswith(":2026-03")


async def test_a_person_with_two_scopes_gets_a_section_for_each(
    fake_uow: FakeUnitOfWorkFactory, core: Assistant, clock: ManualClock
) -> None:
    await stub_figures(fake_uow)
    async with fake_uow() as uow:
        p = await uow.people.by_telegram_id(HL_SUP)
        qf = await uow.units.by_code("QF")
        assert p is not None and qf is not None
        await uow.people.grant(p.id, Role.SUPERVISOR, qf.id)
        await uow.commit()
    await say(core, HL_SUP, "/digest weekly")
    sender = await plan_and_send(fake_uow, clock, 2026, 3, 16)
    [reply] = digests_sent(sender, HL_SUP)
    assert "华龙区" in reply.text and "清丰县" in reply.text
    assert "诫勉谈话（谈话记录）：3 次" in reply.text and "诫勉谈话（谈话记录）：7 次" in reply.text
    assert sorted(b.text for row in reply.buttons for b in row) == ["华龙区", "清丰县"]


async def test_the_console_prints_the_digest_and_its_button_opens_the_summary(
    fake_uow: FakeUnitOfWorkFactory, core: Assistant, clock: ManualClock, tmp_path: Path
) -> None:
    await stub_figures(fake_uow)
    out = io.StringIO()
    chat = ConsoleChat(core, HL_SUP, out=out, outbox=tmp_path)
    await chat.send_line("/digest weekly")
    d = make_dispatcher(fake_uow, ConsoleSender(chat, out=out), clock, sources=())
    clock.set(local(2026, 3, 16, 0, 5))
    await d.plan()
    clock.set(local(2026, 3, 16, 9, 0))
    out.seek(0)
    out.truncate(0)
    await d.dispatch_once()
    printed = out.getvalue()
    assert "📬 每周简报：华龙区" in printed and "诫勉谈话（谈话记录）：3 次" in printed
    assert "[1] 📊 完整汇总" in printed
    assert printed.count("📬") == 1  # to this chat; other people's reminders print as [→ id]
    out.seek(0)
    out.truncate(0)
    await chat.send_line("1")
    assert "📊 统计汇总：华龙区 · 2026-03-09～2026-03-15" in out.getvalue()


async def test_supervisors_of_one_county_share_one_computation(
    fake_uow: FakeUnitOfWorkFactory,
    core: Assistant,
    clock: ManualClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A batch computes each unit's figures once, however many supervisors read them."""
    import handlers.digest.send as digest_send

    await stub_figures(fake_uow)
    second = 1190
    async with fake_uow() as u:
        hl = await u.units.by_code("HL")
        assert hl is not None
        p = await u.people.add(NewPerson("副组长", hl.id, "副组长", True, second))
        await u.people.grant(p.id, Role.SUPERVISOR, hl.id)
        await u.commit()
    await say(core, HL_SUP, "/digest weekly")
    await say(core, second, "/digest weekly")
    computed: list[int] = []
    real = digest_send.build_summary

    async def counting(uow, unit, period, now, tz, snapshot_max_age=None):  # type: ignore[no-untyped-def]
        computed.append(unit.id)
        return await real(uow, unit, period, now, tz, snapshot_max_age)

    monkeypatch.setattr(digest_send, "build_summary", counting)
    sender = await plan_and_send(fake_uow, clock, 2026, 3, 16)
    first, other = digests_sent(sender, HL_SUP)[0].text, digests_sent(sender, second)[0].text
    assert "诫勉谈话（谈话记录）：3 次" in first and first == other
    assert computed == [hl.id]
