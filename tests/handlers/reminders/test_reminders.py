"""Reminders on fakes: planning, sending, acknowledgement, repeats, escalation, catch-up,
429 handling and permanent failures. Time only moves when a test moves it."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from handlers.core.app import Assistant
from handlers.core.clock import ManualClock
from handlers.core.types import TextReply
from handlers.registry import DEFAULT_SOURCES
from handlers.reminders.domain import Deadline, DeliveryStatus
from handlers.reminders.ports import DeliveryOutcome, Outcome
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.core.helpers import button_data, say, texts
from tests.handlers.reminders.helpers import (
    FIRST_ROUND,
    FakeSender,
    FakeTime,
    at,
    dispatched_at,
    escalation_lists,
    make_dispatcher,
    notices,
    person_id,
    planned,
    send_deployment_round,
    set_event,
)

CADRES = 24  # demo people holding the cadre or unit-principal role


def deliveries(uow: FakeUnitOfWorkFactory) -> list:
    return list(uow.db.reminder_tables.deliveries.values())


async def test_plan_creates_lead_time_rows_once(
    fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    d = make_dispatcher(fake_uow, FakeSender(), clock, sources=())
    first = await d.plan()
    # group_study (20 March, cadres): the 3-day and the day-of reminders are ahead;
    # the 14-day one (6 March) is in the past and not planned.
    occ = {o.key: o for o in fake_uow.db.reminder_tables.occurrences.values()}
    assert set(occ) == {"ev:group_study:2026:3:2026-03-20", "ev:group_study:2026:0:2026-03-20"}
    assert occ["ev:group_study:2026:3:2026-03-20"].due_at == at(3, 17, 9)
    assert occ["ev:group_study:2026:0:2026-03-20"].due_at == at(3, 20, 8, 30)
    assert first.deliveries == 2 * CADRES
    again = await d.plan()
    assert again.deliveries == 0 and len(deliveries(fake_uow)) == 2 * CADRES


async def test_nothing_is_sent_before_due_or_in_quiet_hours(
    fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    sender, d = await planned(fake_uow, clock)
    clock.set(at(3, 17, 8, 59))
    assert (await d.dispatch_once()).sent == 0
    clock.set(at(3, 16, 22, 0))
    report = await d.dispatch_once()
    assert report.quiet and not sender.sent
    clock.set(at(3, 17, 9, 0))
    assert (await d.dispatch_once()).sent == CADRES
    assert len(set(sender.delivery_ids())) == CADRES
    assert "中心组学习" in sender.texts_to(1004)[0]
    assert (await d.dispatch_once()).sent == 0  # nothing twice


async def test_acknowledgement_stops_repeats_and_repeats_stop_at_the_limit(
    fake_uow: FakeUnitOfWorkFactory, clock: ManualClock, core: Assistant
) -> None:
    sender, d = await dispatched_at(fake_uow, clock)
    reminder = sender.sent[[c for c, _ in sender.sent].index(1004)][1]
    ack = button_data([reminder], "收到")
    replies = await say(core, 1004, data=ack)
    assert "已确认收到" in texts(replies)
    # The reminder message is edited in place and keeps everything it said.
    assert isinstance(replies[0], TextReply) and replies[0].edit
    assert isinstance(reminder, TextReply) and texts(replies).startswith(reminder.text)
    # Someone else cannot answer 1004's reminder.
    assert "未找到" in texts(await say(core, 1005, data=ack))
    sender.sent.clear()
    clock.set(at(3, 18, 9, 0))
    assert (await d.dispatch_once()).sent == CADRES - 1
    assert not sender.texts_to(1004)
    assert "再次提醒" in sender.texts_to(1005)[0]
    clock.set(at(3, 19, 9, 0))
    sender.sent.clear()
    await d.dispatch_once()
    assert len(sender.delivery_ids()) == CADRES - 1  # second and last repeat
    clock.set(at(3, 20, 8, 0))
    sender.sent.clear()
    await d.dispatch_once()
    clock.set(at(3, 20, 9, 0))
    await d.dispatch_once()
    # Only the day-of reminder (a new occurrence) arrives; no third repeat of the first.
    assert all("今天" in t for t in sender.texts_to(1005))


async def test_remind_me_tomorrow(
    fake_uow: FakeUnitOfWorkFactory, clock: ManualClock, core: Assistant
) -> None:
    sender, d = await dispatched_at(fake_uow, clock)
    reminder = next(r for c, r in sender.sent if c == 1005)
    replies = await say(core, 1005, data=button_data([reminder], "明天"))
    assert "03-18 09:00" in texts(replies)
    pid = await person_id(fake_uow, 1005)
    row = next(x for x in deliveries(fake_uow) if x.person_id == pid and x.sends == 1)
    assert row.status == "pending" and row.due_at == at(3, 18, 9, 0) and row.ack == "snoozed"


async def test_escalation_lists_who_has_not_acknowledged(
    fake_uow: FakeUnitOfWorkFactory, clock: ManualClock, core: Assistant
) -> None:
    sender, d = await send_deployment_round(fake_uow, clock)
    first = next(r for c, r in sender.sent if c == 1105 and "部署会" in r.text)  # type: ignore[union-attr]
    await say(core, 1105, data=button_data([first], "已完成"))
    sender.sent.clear()
    clock.set(at(3, 19, 9, 0))
    report = await d.dispatch_once()
    assert report.escalations > 0
    # The city supervisor sees everyone who has not acknowledged, 1105 is not among them.
    city = [t for t in sender.texts_to(1001) if "部署会" in t and "尚未确认" in t]
    assert len(city) == 1
    assert "郭强" in city[0] and "朱军" not in city[0]
    # Grouped by unit: one line per unit with its count.
    assert "· 中原路街道（1）：郭强" in city[0]
    # A county supervisor sees only the county's people.
    county = "\n".join(sender.texts_to(1201))
    assert "唐磊" in county and "郭强" not in county
    # Escalations are not escalated or repeated again.
    sender.sent.clear()
    clock.set(at(3, 22, 9, 0))
    await d.dispatch_once()
    assert not any("未确认" in t for t in sender.texts_to(1001))


async def test_an_escalation_list_always_fits_one_message(
    fake_uow: FakeUnitOfWorkFactory, clock: ManualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Units beyond the size budget are counted, not listed: the dispatcher sends a delivery
    whole, so a list split over two messages would repeat its first part on a retry."""
    import handlers.reminders.send as reminders_send

    monkeypatch.setattr(reminders_send, "ESCALATION_BUDGET", 80)
    sender, d = await send_deployment_round(fake_uow, clock)
    clock.set(at(3, 19, 9, 0))
    await d.dispatch_once()
    [city] = escalation_lists(sender, 1001, "部署会")
    *listed, rest = city.split("\n")
    assert len("\n".join(listed)) <= 80
    assert rest.startswith("……另有") and rest.endswith("个单位")
    # The header and at least one unit are listed; the rest are counted.
    counted = int(rest.removeprefix("……另有 ").split(" ")[0])
    assert len(listed) >= 2 and counted >= 1


async def test_one_escalation_per_event_date_across_its_lead_times(
    fake_uow: FakeUnitOfWorkFactory, clock: ManualClock, core: Assistant
) -> None:
    await set_event(fake_uow, "deployment_meeting", date(2026, 4, 20), "礼堂")
    sender, d = await planned(fake_uow, clock)
    rounds = {
        o.params["lead"]: o
        for o in fake_uow.db.reminder_tables.occurrences.values()
        if o.topic == "deployment_meeting"
    }
    # Every round asks for acknowledgement and can escalate, except the morning of the
    # meeting: a list two days after it would be of no use.
    assert rounds[14].escalate_at == at(4, 8, 9) and rounds[3].escalate_at == at(4, 19, 9)
    assert rounds[0].escalate_at is None
    for day in range(6, 23):
        clock.set(at(4, day, 9, 0))
        await d.dispatch_once()
        if day == 6:
            first = next(r for c, r in sender.sent if c == 1203 and "部署会" in r.text)  # type: ignore[union-attr]
            await say(core, 1203, data=button_data([first], "收到"))
    # Silent through all three rounds, yet each overseer got one list for the meeting.
    for overseer in (1001, 1002, 1101, 1201, 1105):
        assert len(escalation_lists(sender, overseer, "部署会")) == 1, overseer
    county = escalation_lists(sender, 1201, "部署会")[0]
    assert "梁勇" not in county and "谢东" in county  # 1203 acknowledged the first round
    # A principal is not listed to himself: 朱军 (1105) sees 郭强 only.
    assert "· 中原路街道（1）：郭强" in escalation_lists(sender, 1105, "部署会")[0]


async def test_personal_deadlines_escalate_per_unit_once(
    fake_uow: FakeUnitOfWorkFactory, clock: ManualClock, core: Assistant
) -> None:
    """Rectification reports due 20 March: the list goes to the unit principal, the
    supervisor and the inspector over each unit, grouped by unit, once per deadline."""
    ids = {t: await person_id(fake_uow, t) for t in (1104, 1106, 1109, 1110)}
    pending, sources = notices(ids, date(2026, 3, 20))
    sender, d = await dispatched_at(fake_uow, clock, FIRST_ROUND, sources)
    before = next(r for c, r in sender.sent if c == 1104 and "整改" in r.text)  # type: ignore[union-attr]
    await say(core, 1104, data=button_data([before], "收到"))
    del pending[1110]  # 高峰 handed the report in
    await d.plan()
    sender.sent.clear()
    for day in range(18, 25):
        clock.set(at(3, day, 9, 0))
        await d.dispatch_once()
    assert not [t for t in sender.texts_to(1110) if "整改" in t]  # no repeats once done
    assert escalation_lists(sender, 1103, "整改") == []  # 孙伟's only cadre acknowledged
    assert escalation_lists(sender, 1201, "整改") == []  # nothing in 清丰县
    for overseer in (1105, 1108, 1101, 1102, 1001):
        assert len(escalation_lists(sender, overseer, "整改")) == 1, overseer
    head = escalation_lists(sender, 1108, "整改")[0]
    assert "何静" in head and "高峰" not in head and "胡晓燕" not in head
    inspector = escalation_lists(sender, 1102, "整改")[0]  # 华龙区 discipline inspector
    assert "· 中原路街道（1）：胡晓燕" in inspector and "· 岳村镇（1）：何静" in inspector
    assert "马丽娟" not in inspector and "以下 2 人" in inspector


async def test_no_escalation_when_everyone_acknowledged(
    fake_uow: FakeUnitOfWorkFactory, clock: ManualClock, core: Assistant
) -> None:
    pid = await person_id(fake_uow, 1109)

    async def source(uow: object, now: datetime) -> list[Deadline]:
        return [Deadline(pid, "notice:9", date(2026, 3, 20), "notice")]

    sender, d = await dispatched_at(fake_uow, clock, at(3, 17, 9, 0), [("notice", source)])
    reminder = next(r for c, r in sender.sent if c == 1109 and "整改" in r.text)  # type: ignore[union-attr]
    await say(core, 1109, data=button_data([reminder], "已完成"))
    for day in range(18, 25):
        clock.set(at(3, day, 9, 0))
        await d.dispatch_once()
    assert not any("整改" in t and "尚未确认" in t for _, r in sender.sent for t in [r.text])  # type: ignore[union-attr]
    assert not any(
        o.key.startswith("esc:dl:") for o in fake_uow.db.reminder_tables.occurrences.values()
    )


async def test_catch_up_within_grace_and_missed_beyond(
    fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    sender, d = await planned(fake_uow, clock)
    # Down from before 17 March 09:00 until 13:00: four waking hours late, within grace.
    clock.set(at(3, 17, 13, 0))
    report = await d.dispatch_once()
    assert report.sent == CADRES and report.missed == 0
    # The day-of reminder (20 March 08:30) found at 17:00: 8.5 waking hours late, missed.
    clock.set(at(3, 20, 17, 0))
    report = await d.dispatch_once()
    assert report.missed == CADRES
    missed = [x for x in deliveries(fake_uow) if x.status == DeliveryStatus.MISSED]
    assert len(missed) == CADRES
    # The missed day-of reminder was not sent: what says 今天 now is only the three-day
    # reminder's repeat, worded from the day it is sent (it had said "in 3 days").
    sent = [getattr(r, "text", "") for _, r in sender.sent]
    assert all(t.startswith("（再次提醒）") for t in sent if "今天" in t)


async def test_retry_after_is_honoured_and_permanent_failures_are_recorded(
    fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    sender = FakeSender(
        script={
            1004: [DeliveryOutcome(Outcome.RETRY_AFTER, 7.0)],
            1005: [DeliveryOutcome(Outcome.PERMANENT, reason="forbidden: bot was blocked")],
        }
    )
    ft = FakeTime()
    d = make_dispatcher(fake_uow, sender, clock, time=ft, sources=())
    await d.plan()
    clock.set(at(3, 17, 9, 0))
    report = await d.dispatch_once()
    assert report.sent == CADRES - 1 and report.failed == 1 and report.retried == 1
    assert any(s >= 7.0 for s in ft.slept)
    assert len(sender.texts_to(1004)) == 1  # sent once, after the pause
    pid = await person_id(fake_uow, 1005)
    assert fake_uow.db.people[pid].chat_blocked
    failed = [x for x in deliveries(fake_uow) if x.status == DeliveryStatus.FAILED]
    assert [x.person_id for x in failed] == [pid]
    calls = sender.calls
    clock.set(at(3, 20, 9, 0))
    await d.dispatch_once()  # 1005's day-of reminder is not even tried: chat blocked
    assert pid in {x.person_id for x in deliveries(fake_uow) if x.status == "failed"}
    assert not sender.texts_to(1005)
    assert sender.calls > calls


async def test_personal_deadlines_are_planned_and_cancelled_when_done(
    fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    pid = await person_id(fake_uow, 1006)
    pending = [Deadline(pid, "notice:1", date(2026, 3, 12), "notice")]

    async def source(uow: object, now: datetime) -> list[Deadline]:
        return list(pending)

    sender = FakeSender()
    d = make_dispatcher(fake_uow, sender, clock, sources=[("notice", source)])
    report = await d.plan()
    keys = sorted(o.key for o in fake_uow.db.reminder_tables.occurrences.values())
    assert "dl:notice:2026-03-12:today" in keys and "dl:notice:2026-03-12:overdue" in keys
    assert report.deliveries >= 2
    clock.set(at(3, 12, 8, 30))
    await d.dispatch_once()
    assert "今天" in sender.texts_to(1006)[0]
    pending.clear()  # the report was handed in
    await d.plan()
    clock.set(at(3, 13, 9, 0))
    sender.sent.clear()
    await d.dispatch_once()
    assert not any("逾期" in t for t in sender.texts_to(1006))


async def test_the_other_modules_deadline_sources_are_wired(
    fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    d = make_dispatcher(fake_uow, FakeSender(), clock)
    report = await d.plan()
    assert report.sources == [name for name, _ in DEFAULT_SOURCES]


async def test_reminders_command_and_unit_status(
    fake_uow: FakeUnitOfWorkFactory, clock: ManualClock, core: Assistant
) -> None:
    sender, d = await dispatched_at(fake_uow, clock)
    reminder = next(r for c, r in sender.sent if c == 1106)
    await say(core, 1106, data=button_data([reminder], "收到"))
    mine = texts(await say(core, 1106, "/reminders"))
    assert "中心组学习" in mine
    head = texts(await say(core, 1105, "/reminders"))
    assert "1/3" in head  # 中原路街道: three cadres, one acknowledged
    assert "郭强" in head and "胡晓燕" not in head.split("1/3")[1].split("\n·")[0]


async def test_acknowledged_reminder_keeps_its_place(
    fake_uow: FakeUnitOfWorkFactory, clock: ManualClock, core: Assistant
) -> None:
    await set_event(fake_uow, "group_study", date(2026, 3, 20), "区委第二会议室")
    sender, d = await dispatched_at(fake_uow, clock)
    reminder = next(r for c, r in sender.sent if c == 1005)
    assert "区委第二会议室" in texts([reminder])
    replies = await say(core, 1005, data=button_data([reminder], "已完成"))
    assert "区委第二会议室" in texts(replies) and "已标记为完成" in texts(replies)
    assert "录入后" not in texts(replies)  # an event's 已完成 needs no record


async def test_a_notice_deadline_reminder_names_its_notices(
    fake_uow: FakeUnitOfWorkFactory, clock: ManualClock, core: Assistant
) -> None:
    """Two notices due the same day: the shared reminder and /reminders name both (they
    differed only by date)."""
    from tests.handlers.records.support import created_id, run

    ids = []
    for problems in ("台账缺失，制度不健全", "会议记录不全，学习流于形式"):
        issued = await run(
            core, 1102, "/notice HL-ZF", problems, "@f:c:2026-03-10", "2026-03-12", "@f:ok"
        )
        ids.append(created_id(issued, "nt"))
    sender = FakeSender()
    d = make_dispatcher(fake_uow, sender, clock)
    await d.plan()
    clock.set(at(3, 12, 8, 30))
    await d.dispatch_once()
    named = "、".join(f"#{n}" for n in sorted(ids))
    [today] = [t for t in sender.texts_to(1103) if "今天" in t]
    assert today.endswith("涉及：" + named), today
    assert f"（{named}）" in texts(await say(core, 1103, "/reminders"))


async def test_a_snoozed_reminder_is_not_counted_as_acknowledged(
    fake_uow: FakeUnitOfWorkFactory, clock: ManualClock, core: Assistant
) -> None:
    """明天提醒我 had counted as acknowledged in a head's /reminders (the name hidden from the
    "not yet" list) while the summary, rightly, did not count it."""
    sender, _ = await dispatched_at(fake_uow, clock)
    first = sender.sent[[c for c, _ in sender.sent].index(1104)][1]  # 马丽娟
    snoozed = await say(core, 1104, data=button_data([first], "明天提醒我"))
    assert "再次提醒您" in texts(snoozed), texts(snoozed)
    status = texts(await say(core, 1103, "/reminders"))  # 孙伟, her unit's principal
    assert "马丽娟（已要求明天再提醒）" in status, status


async def test_a_day_of_reminder_repeated_the_next_day_does_not_say_today(
    fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    """The repeat of "📅 今天：…" was rebuilt from the same record and said 今天 a day late."""
    sender, d = await dispatched_at(fake_uow, clock, at(3, 20, 9, 0))
    assert any("今天" in t for t in sender.texts_to(1005))
    sender.sent.clear()
    clock.set(at(3, 21, 9, 0))
    await d.dispatch_once()
    repeated = [t for t in sender.texts_to(1005) if "中心组学习" in t]
    assert repeated and not any("今天" in t for t in repeated), repeated
    assert all("已于 2026-03-20 举行" in t for t in repeated), repeated
