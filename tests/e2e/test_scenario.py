"""One scenario list (tests/e2e/scenario.py) against python-telegram-bot, aiogram and the
console; the two Telegram front ends must make the same Bot API calls."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.retrieval import KnowledgeBase
from tests.e2e.drivers import ConsoleDriver, TelegramDriver, console_app, running_bot
from tests.e2e.scenario import EVERYWHERE, SCENARIO, TELEGRAM

pytestmark = pytest.mark.e2e


async def test_scenario_on_the_console(tmp_path: Path, kb: KnowledgeBase) -> None:
    async with console_app(tmp_path, kb) as app:
        driver = ConsoleDriver(app, tmp_path / "outbox")
        ran = await driver.play(SCENARIO)
    assert ran == sum(1 for s in SCENARIO if "console" in s.only)
    assert ran > 30


async def play_telegram(
    tmp_path: Path, framework: str, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> TelegramDriver:
    (tmp_path / framework).mkdir()
    async with running_bot(tmp_path / framework, framework, kb, monkeypatch) as (
        api,
        app,
        senders,
    ):
        api.script(
            "setMyCommands",
            400,
            {"ok": False, "error_code": 400, "description": "Bad Request: refused"},
        )
        driver = TelegramDriver(framework, api, app, senders)
        assert await driver.play(SCENARIO) == len(SCENARIO)
        # Menus: staff get their own chat-scoped menus, after one refused call.
        await api.wait_for(0)
        menus = [c for c in api.calls if c.method == "setMyCommands"]
        scoped = {(c.params.get("scope") or {}).get("chat_id") for c in menus}
        assert {1001, 1102} <= scoped, scoped
        admin = next(c for c in menus if (c.params.get("scope") or {}).get("chat_id") == 1001)
        assert "invite" in [cmd["command"] for cmd in admin.params["commands"]]
    return driver


async def test_scenario_on_both_frameworks_with_identical_calls(
    tmp_path: Path, kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert {s.only for s in SCENARIO} <= {EVERYWHERE, TELEGRAM}
    ptb = (await play_telegram(tmp_path, "ptb", kb, monkeypatch)).essential()
    aiogram = (await play_telegram(tmp_path, "aiogram", kb, monkeypatch)).essential()
    assert ptb == aiogram
    methods = [m for m, *_ in ptb]
    assert methods.count("editMessageText") == 1  # the acknowledged reminder
    assert methods.count("sendPhoto") == 1 and methods.count("sendDocument") == 2
    assert methods.count("sendPoll") == 2  # the quiz went on after the answer
    assert ("sendMessage", 429) in [(m, status) for m, status, *_ in ptb]
    presses = sum(1 for s in SCENARIO if type(s.action).__name__ == "Press")
    assert methods.count("answerCallbackQuery") == presses
    assert any("~:<token>" in data for *_, data, _ in ptb)  # a long payload went behind a token
