"""/reminders grouped: 需要处理 (due, not acknowledged), 即将到来 (not sent yet), 已完成
(acknowledged or settled, latest few), each with a heading and a count, empty groups left
out, and a plain message when there is nothing at all."""

from __future__ import annotations

from datetime import date, datetime

from handlers.core.app import Assistant
from handlers.core.clock import ManualClock
from handlers.reminders.domain import Deadline
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.core.helpers import button_data, say, texts
from tests.handlers.reminders.helpers import (
    FakeSender,
    at,
    dispatched_at,
    make_dispatcher,
    person_id,
)

CADRE = 1104  # 马丽娟, a cadre of 华龙区政府办公室
HEAD = 1103  # 孙伟, principal of her unit
ACTION, UPCOMING, DONE = "⚠️ 需要处理", "📅 即将到来", "✅ 已完成"


def section(text: str, heading: str) -> str:
    """The lines under ``heading`` up to the next blank line."""
    return text.split(heading, 1)[1].split("\n\n", 1)[0]


async def test_nothing_at_all_says_so(core: Assistant) -> None:
    out = texts(await say(core, CADRE, "/reminders"))
    assert "近30天没有提醒" in out
    assert ACTION not in out and UPCOMING not in out and DONE not in out


async def test_only_upcoming_before_anything_was_sent(
    fake_uow: FakeUnitOfWorkFactory, clock: ManualClock, core: Assistant
) -> None:
    await make_dispatcher(fake_uow, FakeSender(), clock, sources=()).plan()
    out = texts(await say(core, CADRE, "/reminders"))
    # group_study on 20 March: the three-day and the day-of reminders, neither sent yet,
    # shown as one line at the next one with the count of the later.
    assert f"{UPCOMING}（2）" in out
    upcoming = section(out, UPCOMING)
    assert upcoming.count("中心组学习") == 1
    assert "计划 03-17 09:00 发送（之后还有 1 次）" in upcoming
    assert ACTION not in out and DONE not in out  # empty groups are left out


async def test_groups_in_order_with_counts_done_and_unacknowledged(
    fake_uow: FakeUnitOfWorkFactory, clock: ManualClock, core: Assistant
) -> None:
    pid = await person_id(fake_uow, CADRE)
    pending = [Deadline(pid, "notice:1", date(2026, 3, 20), "notice")]

    async def source(uow: object, now: datetime) -> list[Deadline]:
        return list(pending)

    sender, d = await dispatched_at(fake_uow, clock, at(3, 17, 9, 0), [("notice", source)])
    # Two reminders reach her: group study in three days, the rectification report due.
    notice = next(r for c, r in sender.sent if c == CADRE and "整改" in r.text)  # type: ignore[union-attr]
    study = next(r for c, r in sender.sent if c == CADRE and "中心组学习" in r.text)  # type: ignore[union-attr]
    assert study is not notice
    answered = texts(await say(core, CADRE, data=button_data([notice], "已完成")))
    # A deadline's 已完成 says the record itself still has to be entered.
    assert "已标记为完成" in answered and "录入后" in answered
    pending.clear()  # the report was handed in: its later reminders are cancelled
    await d.plan()
    out = texts(await say(core, CADRE, "/reminders"))
    assert out.index(ACTION) < out.index(UPCOMING) < out.index(DONE)
    assert f"{ACTION}（1）" in out and f"{UPCOMING}（1）" in out and f"{DONE}（1）" in out
    action = section(out, ACTION)
    assert "中心组学习" in action and "未确认" in action and "整改" not in action
    assert "中心组学习" in section(out, UPCOMING)  # the day-of reminder
    done = section(out, DONE)
    assert "整改" in done and "已完成" in done and "中心组学习" not in done
    # The cancelled, never-sent reminders of the report are not listed at all.
    assert sum("整改" in line for line in out.splitlines()) == 1


async def test_acknowledging_one_round_settles_the_series(
    fake_uow: FakeUnitOfWorkFactory, clock: ManualClock, core: Assistant
) -> None:
    sender, d = await dispatched_at(fake_uow, clock)
    first = next(r for c, r in sender.sent if c == CADRE)
    await say(core, CADRE, data=button_data([first], "收到"))
    clock.set(at(3, 20, 9, 0))
    await d.dispatch_once()  # the day-of reminder goes out all the same
    out = texts(await say(core, CADRE, "/reminders"))
    assert ACTION not in out  # 收到 on the first round answers the day-of one too
    assert f"{DONE}（2）" in out and section(out, DONE).count("已收到") == 2
    assert "，已收到" in out  # the state and the answer, with the Chinese comma
    await say(core, CADRE, "/lang en")
    english = texts(await say(core, CADRE, "/reminders"))
    assert "，" not in english and ", got it" in english, english


async def test_unit_principal_sees_his_groups_then_his_units(
    fake_uow: FakeUnitOfWorkFactory, clock: ManualClock, core: Assistant
) -> None:
    sender, d = await dispatched_at(fake_uow, clock)
    out = texts(await say(core, HEAD, "/reminders"))
    assert out.index(ACTION) < out.index(UPCOMING) < out.index("所辖单位")
    assert "马丽娟" in out.split("所辖单位", 1)[1]


async def test_a_reminder_put_off_to_tomorrow_says_it_was_sent(
    fake_uow: FakeUnitOfWorkFactory, clock: ManualClock, core: Assistant
) -> None:
    # "Remind me tomorrow" keeps it due again: it was sent all the same, and /reminders
    # says so instead of "planned to be sent" as if it had never gone out.
    sender, d = await dispatched_at(fake_uow, clock)
    first = next(r for c, r in sender.sent if c == CADRE)
    await say(core, CADRE, data=button_data([first], "明天提醒我"))
    action = section(texts(await say(core, CADRE, "/reminders")), ACTION)
    line = next(line for line in action.splitlines() if "中心组学习" in line)
    assert "已发送" in line and "再次提醒" in line and "计划" not in line, line
