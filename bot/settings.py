"""Settings from the environment and an optional ``.env`` file (pydantic-settings)."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_DATA_DIR = Path("data")


class Framework(StrEnum):
    """Which Telegram library drives the bot."""

    PTB = "ptb"
    AIOGRAM = "aiogram"


class Settings(BaseSettings):
    """All configuration; secrets are ``SecretStr`` so they never print."""

    # env_ignore_empty: `BOT_TOKEN=` (a blank line in .env or a compose file) means "not set",
    # so the console opens instead of Telegram refusing an empty token.
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True
    )

    bot_token: SecretStr | None = Field(default=None, description="Telegram bot token")
    bot_framework: Framework = Framework.PTB
    data_dir: Path = DEFAULT_DATA_DIR
    database_url: str = ""
    telegram_api_url: str = "https://api.telegram.org"
    bot_timezone: str = "Asia/Shanghai"
    invite_ttl_days: int = Field(default=14, ge=1, le=365)
    button_ttl_days: int = Field(default=7, ge=1, le=90)
    # Chat questions (encrypted like records) are deleted after this many days; only
    # counts per month, decision and entry are kept for the curators' gap list.
    question_retention_days: int = Field(default=180, ge=1, le=3650)
    rules_dirs: Annotated[list[Path], NoDecode] = Field(default_factory=list)
    # Where the built rule-base index is cached between starts (empty: DATA_DIR/cache;
    # "off" disables the cache).
    kb_cache_dir: str = ""
    # The Q&A's meaning signal (a sentence encoder, ~12-15 ms a question on two cores). Off:
    # the lexical-only mode, under 1 ms a question and less accurate (see BENCHMARKS.md).
    kb_semantic: bool = True
    # Where the phrase vectors of the meaning signal are kept (empty: the user's cache
    # folder, $XDG_CACHE_HOME/lianzheng): a function of the text alone, shared by every
    # index built on this machine, so a rule edit re-encodes only what it changed.
    kb_vector_dir: str = ""
    webhook_url: str = ""
    webhook_secret: SecretStr | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8080
    encryption_keys: SecretStr | None = None
    log_level: str = "INFO"
    flood_per_minute: float = Field(default=30.0, gt=0)
    flood_burst: float = Field(default=10.0, ge=1)
    send_rate_overall: int = Field(default=30, ge=1, le=1000)
    reminders_enabled: bool = True
    reminder_interval_seconds: float = Field(default=30.0, gt=0)
    reminder_rate_per_second: int = Field(default=30, ge=1, le=30)
    reminder_grace_hours: float = Field(default=6.0, ge=0)
    reminder_repeat_hours: float = Field(default=24.0, gt=0)
    reminder_repeat_limit: int = Field(default=2, ge=0, le=10)
    reminder_escalate_hours: float = Field(default=48.0, gt=0)
    reminder_skip_weekends: bool = False
    reminder_holidays: Annotated[list[date], NoDecode] = Field(default_factory=list)
    summary_snapshot_max_age_minutes: float = Field(default=30.0, ge=0)
    summary_snapshot_refresh_minutes: float = Field(default=10.0, gt=0)
    summary_snapshot_min_units: int = Field(default=200, ge=1)

    @property
    def effective_kb_cache_dir(self) -> Path | None:
        """The index cache folder, or None when the cache is switched off."""
        if self.kb_cache_dir.strip().lower() == "off":
            return None
        return Path(self.kb_cache_dir) if self.kb_cache_dir.strip() else self.data_dir / "cache"

    @field_validator("bot_timezone")
    @classmethod
    def _valid_timezone(cls, value: str) -> str:
        ZoneInfo(value)  # raises for unknown zones
        return value

    @model_validator(mode="after")
    def _refresh_before_expiry(self) -> Settings:
        # A snapshot refreshed less often than it expires would mostly be unused.
        max_age = self.summary_snapshot_max_age_minutes
        if max_age and self.summary_snapshot_refresh_minutes >= max_age:
            raise ValueError(
                "SUMMARY_SNAPSHOT_REFRESH_MINUTES must be below SUMMARY_SNAPSHOT_MAX_AGE_MINUTES"
            )
        return self

    @field_validator("reminder_holidays", mode="before")
    @classmethod
    def _split_days(cls, value: object) -> object:
        # REMINDER_HOLIDAYS=2026-10-01,2026-10-02
        if isinstance(value, str):
            return [date.fromisoformat(d.strip()) for d in value.split(",") if d.strip()]
        return value

    @field_validator("rules_dirs", mode="before")
    @classmethod
    def _split_dirs(cls, value: object) -> object:
        # RULES_DIRS=/a:/b (os.pathsep-separated, like PATH)
        if isinstance(value, str):
            import os

            return [Path(p) for p in value.split(os.pathsep) if p.strip()]
        return value

    @property
    def effective_database_url(self) -> str:
        """``DATABASE_URL`` or the embedded SQLite file in the data folder."""
        if self.database_url:
            return self.database_url
        return f"sqlite+aiosqlite:///{(self.data_dir / 'lianzheng.db').resolve()}"

    @property
    def timezone(self) -> ZoneInfo:
        """The configured time zone object."""
        return ZoneInfo(self.bot_timezone)


def load_settings(**overrides: object) -> Settings:
    """Read settings (environment, then ``.env``), with explicit overrides on top."""
    return Settings(**overrides)  # type: ignore[arg-type]
