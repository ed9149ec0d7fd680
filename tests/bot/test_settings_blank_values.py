"""A variable set to nothing (``BOT_TOKEN=`` in .env or a compose file) counts as not set."""

from __future__ import annotations

import pytest

from bot.settings import Settings


def test_a_blank_token_means_no_token_and_blank_numbers_keep_their_defaults(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Before: an empty BOT_TOKEN became SecretStr(""), so `reminders dispatch-once` tried
    # Telegram with it and died on InvalidToken instead of saying no token is configured.
    monkeypatch.setenv("BOT_TOKEN", "")
    monkeypatch.setenv("WEBHOOK_SECRET", "")
    monkeypatch.setenv("INVITE_TTL_DAYS", "")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.bot_token is None
    assert settings.webhook_secret is None
    assert settings.invite_ttl_days == 14


def test_a_blank_token_alone_means_no_token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", "")
    assert Settings(_env_file=None).bot_token is None  # type: ignore[call-arg]


def test_a_set_token_is_still_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOT_TOKEN", "123:abc")
    settings = Settings(_env_file=None)  # type: ignore[call-arg]
    assert settings.bot_token is not None
    assert settings.bot_token.get_secret_value() == "123:abc"
