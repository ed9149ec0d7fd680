"""Both Telegram front ends end-to-end against a local fake Bot API server over HTTP.

One scenario runs against python-telegram-bot and aiogram; both must make the same
sequence of Bot API calls (method and essential fields).
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from bot.composition import App, build_app
from bot.demo import seed_demo
from bot.settings import Settings
from bot.telegram_run import serve
from handlers.domain import Role
from handlers.registration import create_invitation
from knowledge.retrieval import KnowledgeBase
from tests.e2e.fake_bot_api import FakeBotApi

pytestmark = pytest.mark.e2e
FRAMEWORKS = ["ptb", "aiogram"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextlib.asynccontextmanager
async def running_bot(
    tmp_path: Path, framework: str, kb: KnowledgeBase, mode: str = "polling", **settings: Any
) -> AsyncIterator[tuple[FakeBotApi, App, int]]:
    api = FakeBotApi()
    await api.start()
    port = free_port()
    config = Settings(
        bot_token="123456:TEST",  # type: ignore[arg-type]
        bot_framework=framework,  # type: ignore[arg-type]
        database_url=f"sqlite+aiosqlite:///{tmp_path / f'{framework}.db'}",
        telegram_api_url=api.url,
        webhook_secret="s3cret",  # type: ignore[arg-type]
        webhook_port=port,
        data_dir=tmp_path,
        **settings,
    )
    app = await build_app(config, migrate=True, kb=kb)
    async with app.uow_factory() as uow:
        await seed_demo(uow, app.services.clock.now())
        await uow.commit()
    stop = asyncio.Event()
    task = asyncio.create_task(serve(app, mode, stop))
    try:
        if mode == "webhook":
            for _ in range(100):
                with contextlib.suppress(OSError):
                    _, w = await asyncio.open_connection("127.0.0.1", port)
                    w.close()
                    break
                await asyncio.sleep(0.05)
        yield api, app, port
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)
        await app.close()
        await api.stop()


async def invite_code(app: App, unit: str, role: Role) -> str:
    async with app.uow_factory() as uow:
        u = await uow.units.by_code(unit)
        assert u is not None
        inv = await create_invitation(uow, u, role, app.services.clock.now(), 14, "新同志")
        await uow.commit()
    return inv.code


def essential(api: FakeBotApi) -> list[tuple[Any, ...]]:
    """Method, chat, text and button data of every reply call, in order."""
    out = []
    for c in api.replies():
        markup = c.params.get("reply_markup") or {}
        data = tuple(
            b.get("callback_data") for row in markup.get("inline_keyboard", []) for b in row
        )
        # Quiz questions are drawn at random, so only the fact of a poll is compared.
        text = None if c.method == "sendPoll" else c.params.get("text") or c.params.get("caption")
        out.append((c.method, str(c.params.get("chat_id", "")), text, data))
    return out


async def run_scenario(tmp_path: Path, framework: str, kb: KnowledgeBase) -> list[tuple[Any, ...]]:
    async with running_bot(tmp_path, framework, kb) as (api, app, _port):
        api.script(
            "setMyCommands",
            400,
            {"ok": False, "error_code": 400, "description": "Bad Request: refused"},
        )
        api.push(api.text(555, "/me"))
        calls = await api.wait_for(1, "sendMessage")
        assert "仅供受邀人员使用" in calls[-1].params["text"]

        code = await invite_code(app, "HL-ZF", Role.CADRE)
        api.push(api.text(4242, f"/start {code}"))
        calls = await api.wait_for(2, "sendMessage")
        assert "新同志" in calls[-1].params["text"]

        api.push(api.text(4242, "诫勉谈话后多久不能提拔"))
        calls = await api.wait_for(3, "sendMessage")
        answer = calls[-1].params
        assert "来源" in answer["text"]
        thumbs = answer["reply_markup"]["inline_keyboard"][0][0]["callback_data"]
        assert thumbs.startswith("qa:up:")

        api.push(api.press(4242, thumbs))
        await api.wait_for(1, "answerCallbackQuery")
        calls = await api.wait_for(4, "sendMessage")
        assert "谢谢" in calls[-1].params["text"]

        api.push(api.text(4242, "/frobnicate"))
        api.script(
            "sendMessage",
            429,
            {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry after 1",
                "parameters": {"retry_after": 1},
            },
        )
        calls = await api.wait_for(6, "sendMessage")  # the refused one and its retry
        assert calls[-1].params["text"] == calls[-2].params["text"]
        assert "/help" in calls[-1].params["text"]

        api.push(api.text(1104, "/ask 三乱", group=True))
        calls = await api.wait_for(7, "sendMessage")
        assert calls[-1].params["chat_id"] in (-100500, "-100500")
        api.push(api.text(555, "hello group", group=True))
        api.push(api.text(4242, "/me"))
        calls = await api.wait_for(8, "sendMessage")
        assert "新同志" in calls[-1].params["text"]  # the stranger's group message got no reply
        # a clarify button pressed
        api.push(api.text(4242, "五个体系"))
        calls = await api.wait_for(9, "sendMessage")
        choices = calls[-1].params["reply_markup"]["inline_keyboard"]
        first = choices[0][0]["callback_data"]
        assert first.startswith("qa:e:") and len(choices) >= 3
        api.push(api.press(4242, first))
        calls = await api.wait_for(10, "sendMessage")
        assert "来源" in calls[-1].params["text"]

        # a pledge form and a warning-talk form open with their buttons
        api.push(api.text(1109, "/pledge"))
        calls = await api.wait_for(11, "sendMessage")
        assert calls[-1].params.get("reply_markup")
        api.push(api.text(1102, "/talk 马丽娟"))
        calls = await api.wait_for(12, "sendMessage")
        assert calls[-1].params.get("reply_markup")

        # a summary with its chart (a picture) and the spreadsheet (documents)
        api.push(api.text(1101, "/summary"))
        calls = await api.wait_for(13, "sendMessage")
        chart = next(
            b["callback_data"]
            for row in calls[-1].params["reply_markup"]["inline_keyboard"]
            for b in row
            if b["callback_data"].startswith("sumc:")
        )
        api.push(api.press(1101, chart))
        photos = await api.wait_for(1, "sendPhoto")
        # (aiogram names the multipart field attach://<random>, PTB after the parameter)
        assert [f[:8] for f in photos[-1].files.values()] == [b"\x89PNG\r\n\x1a\n"]
        api.push(api.text(1101, "/export"))
        docs = await api.wait_for(2, "sendDocument")
        assert [f[:2] for f in docs[-2].files.values()] == [b"PK"]  # XLSX is a zip container

        # a quiz poll answered
        api.push(api.text(1104, "/quiz"))
        polls = await api.wait_for(1, "sendPoll")
        assert polls[-1].params["type"] == "quiz" and len(polls[-1].params["options"]) == 4
        before = len(api.replies())
        poll_id = str(len(api.replies("sendPoll")))  # the fake numbers polls 1, 2, …
        api.push(
            {
                "poll_answer": {
                    "poll_id": poll_id,
                    "user": api.user(1104),
                    "option_ids": [0],
                    "option_persistent_ids": ["o0"],
                }
            }
        )
        await api.wait_for(before + 1)  # the next question or the result follows

        menus = [c for c in api.calls if c.method == "setMyCommands"]
        scoped = {(c.params.get("scope") or {}).get("chat_id") for c in menus}
        assert {1001, 1102} <= scoped  # staff get their own menus, after one refused call
        admin_menu = next(c for c in menus if (c.params.get("scope") or {}).get("chat_id") == 1001)
        assert "invite" in [cmd["command"] for cmd in admin_menu.params["commands"]]
        return essential(api)


async def test_both_frameworks_make_the_same_calls(tmp_path: Path, kb: KnowledgeBase) -> None:
    sequences = {fw: await run_scenario(tmp_path / fw, fw, kb) for fw in FRAMEWORKS}
    for fw in FRAMEWORKS:
        (tmp_path / fw).mkdir(exist_ok=True)
    normalised = {
        fw: [
            (m, chat, text if m != "sendMessage" or "/start" not in (text or "") else "", data)
            for m, chat, text, data in seq
        ]
        for fw, seq in sequences.items()
    }
    assert normalised["ptb"] == normalised["aiogram"]
    methods = [m for m, *_ in normalised["ptb"]]
    assert methods.count("answerCallbackQuery") == 3
    assert methods.count("sendPhoto") == 1 and methods.count("sendDocument") == 2
    assert methods.count("sendPoll") >= 2  # the quiz went on after the answer


@pytest.mark.parametrize("framework", FRAMEWORKS)
async def test_webhook_checks_secret_dedups_and_reports_health(
    tmp_path: Path, kb: KnowledgeBase, framework: str
) -> None:
    (tmp_path / framework).mkdir()
    async with running_bot(tmp_path / framework, framework, kb, mode="webhook") as (
        api,
        _app,
        port,
    ):
        base = f"http://127.0.0.1:{port}"
        update = api.text(1104, "/me", update_id=9001)
        async with aiohttp.ClientSession() as http:
            async with http.get(f"{base}/health") as r:
                assert r.status == 200 and (await r.json())["status"] == "ok"
            async with http.post(f"{base}/telegram/webhook", json=update) as r:
                assert r.status == 401
            headers = {"X-Telegram-Bot-Api-Secret-Token": "s3cret"}
            async with http.post(f"{base}/telegram/webhook", json=update, headers=headers) as r:
                assert r.status == 200
            await api.wait_for(1, "sendMessage")
            async with http.post(f"{base}/telegram/webhook", json=update, headers=headers) as r:
                assert r.status == 200  # Telegram's retry of the same update
            async with http.post(
                f"{base}/telegram/webhook",
                json=api.text(1104, "/help", update_id=9002),
                headers=headers,
            ) as r:
                assert r.status == 200
            calls = await api.wait_for(2, "sendMessage")
            await asyncio.sleep(0.3)
        texts = [c.params["text"] for c in api.replies("sendMessage")]
        assert len(texts) == 2, texts
        assert "马丽娟" in texts[0] and "/help" in texts[1]
        assert calls
