"""The webhook refuses hostile bodies with a 4xx, never a 500, and needs a real secret."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.frontends import webhook
from bot.frontends.webhook import MAX_BODY, WEBHOOK_PATH, WebhookServer, secret_problem

SECRET = "a-good-webhook-secret-0123"
HEADERS = {"X-Telegram-Bot-Api-Secret-Token": SECRET}


async def _ignore(update: dict[str, Any]) -> None:
    return None


@pytest.fixture
async def client() -> Any:
    server = WebhookServer(_ignore, SECRET)
    async with TestClient(TestServer(server.app)) as c:
        yield c


async def test_json_nested_too_deeply_is_a_400_not_a_500(client: TestClient) -> None:
    body = '{"update_id": 1, "x": ' + "[" * 200_000 + "]" * 200_000 + "}"
    response = await client.post(WEBHOOK_PATH, data=body, headers=HEADERS)
    assert response.status == 400


async def test_an_oversized_body_is_a_413(client: TestClient) -> None:
    body = b'{"update_id": 1, "x": "' + b"a" * (MAX_BODY + 10) + b'"}'
    response = await client.post(WEBHOOK_PATH, data=body, headers=HEADERS)
    assert response.status == 413


async def test_bytes_that_are_not_text_are_a_400(client: TestClient) -> None:
    response = await client.post(WEBHOOK_PATH, data=b"\xff\xfe\x00{", headers=HEADERS)
    assert response.status == 400


async def test_a_slow_body_is_a_408(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(webhook, "READ_TIMEOUT", 0.2)

    async def trickle() -> Any:
        yield b'{"update_id": '
        await asyncio.sleep(1.0)
        yield b"1}"

    response = await client.post(WEBHOOK_PATH, data=trickle(), headers=HEADERS)
    assert response.status == 408


@pytest.mark.parametrize(
    ("secret", "ok"),
    [
        (None, False),
        ("", False),
        ("short", False),
        ("has spaces in it but long", False),
        ("x" * 257, False),
        ("a-good-webhook-secret-0123", True),
    ],
)
def test_a_webhook_secret_must_be_long_and_plain(secret: str | None, ok: bool) -> None:
    assert (secret_problem(secret) is None) is ok


@pytest.mark.parametrize("secret", [None, "", "tooshort"])
async def test_the_bot_refuses_to_start_a_webhook_without_a_good_secret(
    secret: str | None, tmp_path: Any
) -> None:
    from bot.frontends.run import _webhook
    from bot.settings import Settings

    settings = Settings(data_dir=tmp_path, webhook_secret=secret)  # type: ignore[arg-type]
    with pytest.raises(SystemExit, match="WEBHOOK_SECRET"):
        await _webhook(settings, _ignore)
