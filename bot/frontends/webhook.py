"""A small aiohttp webhook server shared by both front ends.

It checks ``X-Telegram-Bot-Api-Secret-Token``, acknowledges at once (processing happens in
a background task, so Telegram never waits on the database) and exposes ``/health``.

The trade-off: an update acknowledged but not yet processed when the process is killed
outright (SIGKILL, out of memory) is lost — Telegram will not send it again. SIGTERM
finishes the updates in flight first. Answering only after processing would make Telegram
wait through a reply's retries (a 429 can ask for many seconds) and redeliver meanwhile.

Answers: 401 without the right secret; 413 for a body over ``MAX_BODY`` bytes; 408 when the
body does not arrive within ``READ_TIMEOUT`` seconds; 400 for a body that is not JSON (or is
nested too deeply to parse), or not a JSON object with an integer ``update_id`` in
Telegram's range (it cannot be an update); never 500; 200 for everything else,
including updates malformed inside, which are dropped with a warning (any other answer would
make Telegram redeliver them forever).
"""

from __future__ import annotations

import asyncio
import hmac
import json
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.frontends.update_shape import malformed

log = logging.getLogger("lianzheng.webhook")

WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"

UpdateHandler = Callable[[dict[str, Any]], Awaitable[None]]

#: Telegram's update ids are positive and fit a signed 64-bit column.
MAX_UPDATE_ID = 2**63 - 1
#: Updates are a few kilobytes; a larger body is refused before it is read in full.
MAX_BODY = 1 << 20
#: Seconds a client may take to send its body (a slow client cannot hold a connection).
READ_TIMEOUT = 10.0
#: Telegram accepts 1–256 characters of A–Z a–z 0–9 _ -; shorter than 16 is guessable.
SECRET_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,256}")


def secret_problem(secret: str | None) -> str | None:
    """Why ``secret`` cannot protect a webhook, or None when it can."""
    if not secret:
        return "webhook mode needs WEBHOOK_SECRET (16–256 characters: letters, digits, _ or -)"
    if not SECRET_PATTERN.fullmatch(secret):
        return (
            "WEBHOOK_SECRET must be 16–256 characters of letters, digits, _ or - "
            f"(it has {len(secret)})"
        )
    return None


def is_envelope(data: object) -> bool:
    """A JSON object with an integer ``update_id`` in Telegram's range."""
    if not isinstance(data, dict):
        return False
    update_id = data.get("update_id")
    return type(update_id) is int and 0 <= update_id <= MAX_UPDATE_ID


class WebhookServer:
    """Receives updates over HTTP and hands them to ``on_update``."""

    def __init__(self, on_update: UpdateHandler, secret: str) -> None:
        self.on_update = on_update
        self.secret = secret
        self._tasks: set[asyncio.Task[None]] = set()
        self.app = web.Application(client_max_size=MAX_BODY)
        self.app.router.add_post(WEBHOOK_PATH, self._handle)
        self.app.router.add_get("/health", self._health)
        self._runner: web.AppRunner | None = None

    async def _health(self, request: web.Request) -> web.Response:
        return web.json_response({"status": "ok", "in_flight": len(self._tasks)})

    async def _handle(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not self.secret or not hmac.compare_digest(given, self.secret):
            return web.Response(status=401)
        if request.content_length is not None and request.content_length > MAX_BODY:
            log.warning("webhook body refused: %s bytes", request.content_length)
            return web.Response(status=413)
        try:
            body = await asyncio.wait_for(request.read(), READ_TIMEOUT)
        except TimeoutError:
            log.warning("webhook body not received within %ss", READ_TIMEOUT)
            return web.Response(status=408)
        except web.HTTPRequestEntityTooLarge:
            log.warning("webhook body over %s bytes refused", MAX_BODY)
            return web.Response(status=413)
        try:
            data = json.loads(body)
        except (ValueError, RecursionError) as exc:
            # RecursionError: JSON nested deeper than the parser's stack.
            log.warning("webhook body is not JSON (%s)", type(exc).__name__)
            return web.Response(status=400)
        if not is_envelope(data):
            # Not an update Telegram could have sent: refuse it, do nothing with it.
            return web.Response(status=400)
        # From here on always 200, even for an update malformed inside: any other answer
        # makes Telegram deliver the same update again and again.
        try:
            problem = malformed(data)
        except RecursionError:
            problem = "nested too deeply"
        if problem is not None:
            log.warning("update %s dropped: %s", data["update_id"], problem)
            return web.Response(status=200)
        task = asyncio.create_task(self._process(data))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return web.Response(status=200)

    async def _process(self, data: dict[str, Any]) -> None:
        try:
            await self.on_update(data)
        except Exception:
            log.exception("update %s failed", data.get("update_id"))

    async def start(self, host: str, port: int) -> int:
        """Start listening; returns the bound port (useful with port 0)."""
        self._runner = web.AppRunner(self.app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        server = site._server
        sockets = getattr(server, "sockets", None) or []
        return int(sockets[0].getsockname()[1]) if sockets else port

    async def drain(self) -> None:
        """Wait for updates still being processed (graceful shutdown)."""
        if self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def stop(self) -> None:
        """Stop accepting, finish in-flight updates, close."""
        if self._runner is not None:
            await self._runner.cleanup()
        await self.drain()
