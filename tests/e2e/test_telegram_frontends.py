"""Both Telegram front ends in webhook mode against a local fake Bot API server over HTTP.

The shared scenario (polling, both frameworks and the console, identical Bot API calls) is in
test_scenario.py.
"""

from __future__ import annotations

import socket
from pathlib import Path

import aiohttp
import pytest

from knowledge.retrieval import KnowledgeBase
from tests.e2e.drivers import TelegramDriver, running_bot

pytestmark = pytest.mark.e2e
FRAMEWORKS = ["ptb", "aiogram"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.mark.parametrize("framework", FRAMEWORKS)
async def test_webhook_checks_secret_dedups_and_reports_health(
    tmp_path: Path, kb: KnowledgeBase, framework: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / framework).mkdir()
    port = free_port()
    async with running_bot(
        tmp_path / framework, framework, kb, monkeypatch, mode="webhook", webhook_port=port
    ) as (api, app, senders):
        driver = TelegramDriver(framework, api, app, senders)  # to know what was handled
        base = f"http://127.0.0.1:{port}"
        update = api.text(1104, "/me", update_id=9001)
        headers = {"X-Telegram-Bot-Api-Secret-Token": "webhook-secret-for-tests-0123"}
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{base}/health") as r:
                assert r.status == 200 and (await r.json())["status"] == "ok"
            async with http.post(f"{base}/telegram/webhook", json=update) as r:
                assert r.status == 401
            async with http.post(
                f"{base}/telegram/webhook",
                json=update,
                headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"},
            ) as r:
                assert r.status == 401
            async with http.post(f"{base}/telegram/webhook", json=update, headers=headers) as r:
                assert r.status == 200
            assert len(await driver.handled_replies(9001, 1)) == 1
            await api.wait_for(1, "sendMessage")
            async with http.post(f"{base}/telegram/webhook", json=update, headers=headers) as r:
                assert r.status == 200  # Telegram's retry of the same update
            assert len(await driver.handled_replies(9001, 2)) == 1  # the retry: no replies
            async with http.post(
                f"{base}/telegram/webhook",
                json=api.text(1104, "/help", update_id=9002),
                headers=headers,
            ) as r:
                assert r.status == 200
            assert len(await driver.handled_replies(9002, 1)) == 1
            await api.wait_for(2, "sendMessage")
        texts = [c.params["text"] for c in api.replies("sendMessage")]
        assert len(texts) == 2, texts
        assert "马丽娟" in texts[0] and "/help" in texts[1]
