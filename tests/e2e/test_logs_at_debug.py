"""The whole end-to-end scenario at LOG_LEVEL=DEBUG on both Telegram front ends: the log
never holds the bot token, the webhook secret, what people typed (questions, record text,
pledge items) or the names they typed (issue 19)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from knowledge.retrieval import KnowledgeBase
from tests.bot.log_capture import debug_log_buffer
from tests.e2e.drivers import TelegramDriver, running_bot
from tests.e2e.scenario import SCENARIO, Send

pytestmark = pytest.mark.e2e

TOKEN = "123456:TEST"  # what running_bot configures
WEBHOOK_SECRET = "webhook-secret-for-tests-0123"


def typed_words() -> set[str]:
    """Every piece of free text the scenario types: whole messages without their command,
    and each word of two or more characters (names such as 马丽娟 in ``/talk 马丽娟``)."""
    found: set[str] = set()
    for step in SCENARIO:
        if not isinstance(step.action, Send):
            continue
        text = re.sub(r"^/\w+(@\w+)?", "", step.action.text).strip()
        if "{" in text or not text:
            continue  # filled from earlier steps (ids), not personal text
        found.add(text)
        found.update(w for w in re.split(r"[\s（）()，,]+", text) if len(w) >= 2)
    return {w for w in found if not w.isascii() or len(w) >= 6}


@pytest.fixture
def debug_log() -> Iterator[io.StringIO]:
    """The assistant's own log set-up (as ``lianzheng run`` does it) at DEBUG, into a buffer."""
    with debug_log_buffer([TOKEN, WEBHOOK_SECRET]) as buffer:
        yield buffer


@pytest.mark.parametrize("framework", ["ptb", "aiogram"])
async def test_a_full_scenario_at_debug_logs_no_secret_and_no_typed_text(
    framework: str,
    tmp_path: Path,
    kb: KnowledgeBase,
    monkeypatch: pytest.MonkeyPatch,
    debug_log: io.StringIO,
) -> None:
    async with running_bot(tmp_path, framework, kb, monkeypatch) as (api, app, senders):
        driver = TelegramDriver(framework, api, app, senders)
        assert await driver.play(SCENARIO) == len(SCENARIO)
    log = debug_log.getvalue()
    assert "level=DEBUG" in log or "level=INFO" in log  # the log was written to
    assert TOKEN not in log and TOKEN.split(":")[1] + "/" not in log
    assert WEBHOOK_SECRET not in log
    words = typed_words()
    assert len(words) >= 15  # the check below looks at real text
    leaked = sorted(w for w in words if w in log)
    assert not leaked, leaked
