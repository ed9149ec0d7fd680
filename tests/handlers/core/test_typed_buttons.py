"""The last reply's buttons may be pressed by typing their label (people on phones type
每周 or 更正承诺 instead of tapping), and only right after that reply."""

from __future__ import annotations

from datetime import timedelta

from handlers.core.app import Assistant
from handlers.core.clock import ManualClock
from handlers.core.typed_buttons import KEYS_FORM, SHARED, keys_of, label_keys
from handlers.core.typed_words import label_key
from handlers.core.types import Button
from handlers.reminders.domain import DigestFrequency
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.core.helpers import buttons, forms_open, say, texts

SUPERVISOR, HEAD, CADRE = 1101, 1108, 1109  # 华龙区; 林涛 (岳村镇 head); 何静 (no pledge)
INSPECTOR = 1102  # 华龙区


def digest_of(fake_uow: FakeUnitOfWorkFactory) -> DigestFrequency | None:
    subs = list(fake_uow.db.reminder_tables.digests.values())
    return subs[0].frequency if subs else None


def test_labels_compare_without_marks_or_punctuation() -> None:
    assert label_key("✓ 每周") == label_key("每周。") == "每周"
    assert label_key("📈 图表") == "图表"
    assert label_key("Weekly") == label_key(" weekly!") == "weekly"


async def test_a_typed_label_right_after_the_buttons_presses_it(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    assert "未订阅" in texts(await say(core, SUPERVISOR, "/digest"))
    chosen = texts(await say(core, SUPERVISOR, "每周"))
    assert "周一至周日" in chosen and digest_of(fake_uow) == DigestFrequency.WEEKLY
    # The new reply's buttons replace the old ones: 关闭 now switches it off.
    texts(await say(core, SUPERVISOR, "关闭"))
    assert digest_of(fake_uow) is None


async def test_only_the_message_right_after_the_buttons_presses_them(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    await say(core, SUPERVISOR, "/digest")
    await say(core, SUPERVISOR, "/whoami")
    await say(core, SUPERVISOR, "每周")
    assert digest_of(fake_uow) is None


async def test_labels_go_stale_after_half_an_hour(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    await say(core, SUPERVISOR, "/digest")
    clock.advance(timedelta(minutes=31))
    await say(core, SUPERVISOR, "每周")
    assert digest_of(fake_uow) is None
    kept = [s.data["keys"] for s in fake_uow.db.conversations.values()]
    assert not any("每周" in keys for keys in kept)  # taken away, not kept for later


async def test_an_open_form_keeps_its_typed_words(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    await say(core, CADRE, "/pledge")
    assert forms_open(fake_uow) == {"pledge"}
    assert all(s.form != KEYS_FORM for s in fake_uow.db.conversations.values())


async def test_a_principal_types_a_button_of_the_pledge_shown(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    shown = await say(core, HEAD, "/unitpledges 高峰")
    label = "允许提前报告年中践诺情况"
    assert label in [text for text, _ in buttons(shown)]
    allowed = texts(await say(core, HEAD, label))
    assert "提前" in allowed and "规则库" not in allowed
    assert any(e.action == "checkin.permitted" for e in fake_uow.db.audit)


def test_a_label_may_be_typed_without_its_number_or_note() -> None:
    assert label_keys("3. 高峰") == ["3高峰", "高峰"]
    assert label_keys("高峰（岳村镇）") == ["高峰岳村镇", "高峰"]
    assert label_keys("2026年年中（逾期）")[-1] == "2026年年中"
    assert label_keys("2025") == ["2025"] and label_keys("#4") == ["4"]
    assert label_keys("12") == [] and label_keys("➡") == []  # a page number, an arrow


def test_a_label_two_buttons_share_is_kept_as_shared() -> None:
    keys = keys_of(((Button("高峰（岳村镇）", "e:1"), Button("高峰（岳村镇）", "e:2")),))
    assert keys["高峰"] == SHARED and keys["高峰岳村镇"] == SHARED
    same = keys_of(((Button("每周", "dig:w"),), (Button("✓ 每周", "dig:w"),)))
    assert same == {"每周": "dig:w"}  # the same button twice is no clash


async def test_a_refused_request_takes_the_older_labels_away(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    await say(core, SUPERVISOR, "/digest")
    refused = texts(await say(core, SUPERVISOR, "/summary 不存在的单位"))
    assert "没有找到" in refused
    await say(core, SUPERVISOR, "每周")  # rolled back with the refusal, the labels had come back
    assert digest_of(fake_uow) is None


async def test_a_refusals_own_buttons_may_be_typed(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    refused = await say(core, SUPERVISOR, "/summary 越村镇")  # a sound-alike of 岳村镇
    assert "岳村镇" in [label for label, _ in buttons(refused)], buttons(refused)
    shown = texts(await say(core, SUPERVISOR, "岳村镇"))
    assert "统计汇总" in shown and "岳村镇" in shown


async def test_a_yes_no_label_typed_without_its_mark_answers_it(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    asked = await say(core, INSPECTOR, "/eligible 高锋")  # 您是指高峰吗
    assert "不是，换一个人" in [label for label, _ in buttons(asked)], buttons(asked)
    other = texts(await say(core, INSPECTOR, "不是换一个人"))
    assert "没有找到" not in other and "规则库" not in other


def test_a_buttons_marks_typed_with_its_word_are_the_word() -> None:
    """✅ 确认 typed on a review confirms it as 确认 does; 📥 导出表格 is a feature's name."""
    from handlers.core.typed_words import confirm_word, done_word, normalise

    assert confirm_word("✅ 确认") and confirm_word("✅确认！") and done_word("完成 ✔")
    assert normalise("📥 导出表格") == "导出表格" and normalise("#4") == "#4"
