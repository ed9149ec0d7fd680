"""How the runner wires the reminder dispatcher to the front end's sender."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.composition import build_app
from bot.dispatcher import start_reminders
from bot.settings import Settings
from tests.unit.test_send_throttle import RecordingSender

pytestmark = pytest.mark.storage


async def test_reply_429s_reach_the_dispatchers_limiter(tmp_path: Path) -> None:
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'w.db'}",  # type: ignore[arg-type]
        data_dir=tmp_path,
        reminders_enabled=True,
    )
    app = await build_app(settings, migrate=True)
    sender = RecordingSender()
    task = start_reminders(app, sender)
    try:
        assert task is not None
        assert sender.on_retry_after == task.dispatcher.limiter.retry_after
    finally:
        if task is not None:
            await task.stop()
        await app.close()
