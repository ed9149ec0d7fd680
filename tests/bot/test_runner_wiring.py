"""How the runner wires the process: the reminder dispatcher to the sender, the heap freeze."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.composition import build_app
from bot.scheduler.dispatcher import start_reminders
from bot.settings import Settings
from knowledge.retrieval import LEXICAL_FEATURES
from tests.bot.frontends.test_send_throttle import RecordingSender

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


async def test_the_process_entry_freezes_the_heap_once_the_front_end_is_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import bot.frontends.run as telegram_run
    from bot.heap import freeze_startup_heap

    seen: list[object] = []

    async def fake_serve(app: object, mode: str, stop: object, ready: object = None) -> None:
        seen.append(ready)

    monkeypatch.setattr(telegram_run, "serve", fake_serve)
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'r.db'}",  # type: ignore[arg-type]
        data_dir=tmp_path,
    )
    assert await telegram_run.run_telegram(settings, "webhook") == 0
    assert seen == [freeze_startup_heap]


async def test_kb_semantic_off_starts_the_lexical_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """KB_SEMANTIC=false: the app's index has no meaning signal and its own models."""
    monkeypatch.setenv("KB_SEMANTIC", "false")
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'w.db'}",  # type: ignore[arg-type]
        data_dir=tmp_path,
    )
    app = await build_app(settings, migrate=True)
    try:
        kb = app.services.kb
        assert not kb.semantic
        assert len(kb.answer_model.coefficients) == len(LEXICAL_FEATURES)
    finally:
        await app.close()
