"""The last reply's buttons may be pressed by typing their label (people on phones type
每周 or 更正承诺 instead of tapping), and only right after that reply."""

from __future__ import annotations

from datetime import timedelta

from handlers.core.app import Assistant
from handlers.core.clock import ManualClock
from handlers.core.typed_buttons import KEYS_FORM, label_key
from handlers.reminders.domain import DigestFrequency
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.core.helpers import buttons, forms_open, say, texts

SUPERVISOR, HEAD, CADRE = 1101, 1108, 1109  # 华龙区; 林涛 (岳村镇 head); 何静 (no pledge)


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
