"""A local fake Telegram Bot API server for end-to-end tests.

It speaks enough of the Bot API for both frameworks: getMe, getUpdates with offsets and
long polling, sendMessage/editMessageText/answerCallbackQuery, sendDocument/sendPhoto
(multipart), sendPoll, setMyCommands and the webhook methods. Every call is recorded;
answers can be scripted (e.g. one 429 with retry_after), and calls can be held unanswered
(a slow or hung Telegram) until ``release``.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_ID = 777000
BOT_USERNAME = "lianzheng_test_bot"


@dataclass
class Call:
    """One recorded Bot API call."""

    method: str
    params: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict)
    filenames: dict[str, str] = field(default_factory=dict)
    at: float = field(default_factory=time.perf_counter)
    status: int = 200  # a scripted error answer (429 …) keeps its status here
    result: Any = None  # what the fake answered (the sent message, with its id)


class FakeBotApi:
    """The fake server; start with ``await api.start()``, base URL in ``api.url``."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.updates: list[dict[str, Any]] = []
        self.scripted: dict[str, list[tuple[int, dict[str, Any] | str]]] = {}
        self.answer_before_holding: dict[str, int] = {}
        self._released = asyncio.Event()
        self._new_update = asyncio.Event()
        self._message_ids = itertools.count(1000)
        self._poll_ids = itertools.count(1)
        self._update_ids = itertools.count(1)
        self.url = ""
        self._runner: web.AppRunner | None = None

    # -- test controls ---------------------------------------------------------------------
    async def start(self) -> str:
        app = web.Application(client_max_size=20 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}"
        return self.url

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    def script(self, method: str, status: int, body: dict[str, Any] | str) -> None:
        """Answer the next call of ``method`` with this status and JSON body (a string is
        sent as it is, like the HTML error page of a proxy in front of Telegram)."""
        self.scripted.setdefault(method, []).append((status, body))

    def script_normal(self, method: str) -> None:
        """Answer the next call of ``method`` as usual (to script a later one)."""
        self.scripted.setdefault(method, []).append((-1, {}))

    def script_hang(self, method: str) -> None:
        """Record the next call of ``method`` but answer it only after ``release``."""
        self._released.clear()
        self.scripted.setdefault(method, []).append((0, {}))

    def hold_after(self, method: str, answered: int) -> None:
        """Answer ``answered`` more calls of ``method``; record later ones, answer them
        only after ``release`` (the request reached Telegram, the answer never came)."""
        self._released.clear()
        self.answer_before_holding[method] = answered

    def release(self) -> None:
        """Answer every held call, and hold no more."""
        self.answer_before_holding.clear()
        self._released.set()

    def held(self) -> bool:
        """True while calls are being held."""
        return not self._released.is_set()

    def push(self, update: dict[str, Any]) -> int:
        """Queue an update for getUpdates; assigns an update_id unless given."""
        update.setdefault("update_id", next(self._update_ids))
        self.updates.append(update)
        self._new_update.set()
        return int(update["update_id"])

    def push_twice(self, update: dict[str, Any]) -> int:
        """Queue the same update twice in one getUpdates batch, as after a crash between
        handling an update and confirming its offset (or a webhook retry)."""
        update_id = self.push(update)
        self.updates.append(update)  # no await in between: both land in one batch
        return update_id

    def user(self, user_id: int, lang: str = "zh-hans") -> dict[str, Any]:
        return {"id": user_id, "is_bot": False, "first_name": f"U{user_id}", "language_code": lang}

    def text(
        self, user_id: int, text: str, group: bool = False, update_id: int | None = None
    ) -> dict[str, Any]:
        chat = (
            {"id": -100500, "type": "group", "title": "G"}
            if group
            else {"id": user_id, "type": "private"}
        )
        update: dict[str, Any] = {
            "message": {
                "message_id": next(self._message_ids),
                "date": int(time.time()),
                "chat": chat,
                "from": self.user(user_id),
                "text": text,
            }
        }
        if text.startswith("/"):
            cmd = text.split()[0]
            update["message"]["entities"] = [
                {"type": "bot_command", "offset": 0, "length": len(cmd)}
            ]
        if update_id is not None:
            update["update_id"] = update_id
        return update

    def poll_answer(self, user_id: int, poll_id: str, option: int) -> dict[str, Any]:
        return {
            "poll_answer": {
                "poll_id": poll_id,
                "user": self.user(user_id),
                "option_ids": [option],
                "option_persistent_ids": [f"o{option}"],
            }
        }

    def press(self, user_id: int, data: str, message_id: int = 1) -> dict[str, Any]:
        return {
            "callback_query": {
                "id": str(next(self._message_ids)),
                "from": self.user(user_id),
                "chat_instance": "ci",
                "data": data,
                "message": {
                    "message_id": message_id,
                    "date": int(time.time()),
                    "chat": {"id": user_id, "type": "private"},
                    "from": {"id": BOT_ID, "is_bot": True, "first_name": "Bot"},
                    "text": "…",
                },
            }
        }

    def replies(self, *methods: str) -> list[Call]:
        """Recorded calls except the frameworks' own housekeeping."""
        skip = {
            "getMe",
            "getUpdates",
            "deleteWebhook",
            "setMyCommands",
            "setWebhook",
            "close",
            "logOut",
        }
        return [
            c for c in self.calls if c.method not in skip and (not methods or c.method in methods)
        ]

    async def wait_for(self, count: int, *methods: str, timeout: float = 60.0) -> list[Call]:
        """Wait until at least ``count`` matching calls were recorded."""
        deadline = asyncio.get_running_loop().time() + timeout
        while len(self.replies(*methods)) < count:
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError(
                    f"timed out: {[(c.method, c.params.get('text')) for c in self.replies()]}"
                )
            await asyncio.sleep(0.02)
        return self.replies(*methods)

    # -- the API ---------------------------------------------------------------------------
    async def _params(
        self, request: web.Request
    ) -> tuple[dict[str, Any], dict[str, bytes], dict[str, str]]:
        files: dict[str, bytes] = {}
        names: dict[str, str] = {}
        if request.content_type == "application/json":
            return dict(await request.json()), files, names
        params: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            post = await request.post()
            for k, v in post.items():
                if hasattr(v, "file"):
                    files[k] = v.file.read()  # type: ignore[union-attr]
                    names[k] = str(getattr(v, "filename", "") or "")
                else:
                    params[k] = v
        for k in ("reply_markup", "options", "allowed_updates", "commands", "scope"):
            if isinstance(params.get(k), str):
                with contextlib.suppress(ValueError):
                    params[k] = json.loads(params[k])
        return params, files, names

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params, files, names = await self._params(request)
        call = Call(method, params, files, names)
        if method != "getUpdates":
            self.calls.append(call)
        left = self.answer_before_holding.get(method)
        if left is not None:
            if left > 0:
                self.answer_before_holding[method] = left - 1
            else:
                await self._released.wait()
        scripted = self.scripted.get(method)
        if scripted:
            status, body = scripted.pop(0)
            if status == 0:  # script_hang
                await self._released.wait()
            elif status == -1:  # script_normal
                pass
            else:
                call.status = status
                if isinstance(body, str):
                    return web.Response(text=body, status=status, content_type="text/html")
                return web.json_response(body, status=status)
        result = await self._result(method, params, files)
        call.result = result
        return web.json_response({"ok": True, "result": result})

    async def _result(self, method: str, p: dict[str, Any], files: dict[str, bytes]) -> Any:
        if method == "getMe":
            return {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "廉政助手",
                "username": BOT_USERNAME,
                "can_join_groups": True,
                "can_read_all_group_messages": False,
                "supports_inline_queries": False,
            }
        if method == "getUpdates":
            offset = int(p.get("offset") or 0)
            timeout = min(float(p.get("timeout") or 0), 0.5)
            pending = [u for u in self.updates if u["update_id"] >= offset]
            if not pending and timeout:
                self._new_update.clear()
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._new_update.wait(), timeout)
                pending = [u for u in self.updates if u["update_id"] >= offset]
            return pending[:100]
        if method == "getWebhookInfo":
            return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}
        if method in ("sendMessage", "editMessageText", "sendDocument", "sendPhoto", "sendPoll"):
            chat_id = int(p.get("chat_id", 0))
            msg: dict[str, Any] = {
                "message_id": int(p.get("message_id") or next(self._message_ids)),
                "date": int(time.time()),
                "chat": {"id": chat_id, "type": "private" if chat_id > 0 else "group"},
                "from": {"id": BOT_ID, "is_bot": True, "first_name": "廉政助手"},
            }
            if "text" in p:
                msg["text"] = p["text"]
            if method == "sendDocument":
                msg["document"] = {"file_id": "doc1", "file_unique_id": "d1"}
            if method == "sendPhoto":
                msg["photo"] = [{"file_id": "ph1", "file_unique_id": "p1", "width": 1, "height": 1}]
            if method == "sendPoll":
                msg["poll"] = {
                    "id": str(next(self._poll_ids)),
                    "question": p.get("question", ""),
                    "options": [
                        # Bot API 9.6 gives every option a persistent id.
                        {
                            "text": str(o.get("text") if isinstance(o, dict) else o),
                            "voter_count": 0,
                            "persistent_id": f"o{i}",
                        }
                        for i, o in enumerate(p.get("options", []))
                    ],
                    "total_voter_count": 0,
                    "allows_revoting": False,
                    "members_only": False,
                    "is_closed": False,
                    "is_anonymous": False,
                    "type": "quiz",
                    "allows_multiple_answers": False,
                }
            return msg
        return True
