"""What the benches that play Telegram against a bot's webhook share: the secret the bot is
given and posts are signed with, and posting one update (loopback only)."""

from __future__ import annotations

from typing import Any

import aiohttp

#: The webhook secret the bench bots are given and the updates are posted with (16+
#: characters, as the settings require).
SECRET = "bench-webhook-secret"


async def post_update(http: aiohttp.ClientSession, port: int, update: dict[str, Any]) -> int:
    """Post ``update`` to the webhook of the bot listening on loopback ``port``, as Telegram
    does; returns the HTTP status it answered with."""
    async with http.post(
        f"http://127.0.0.1:{port}/telegram/webhook",
        json=update,
        headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
    ) as r:
        return r.status
