"""Composition root: builds the engine, the unit of work, the rule base and the assistant."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import timedelta
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.settings import Settings
from handlers.core.app import Assistant
from handlers.core.clock import SystemClock
from handlers.core.context import CoreConfig, Services
from handlers.core.flood import FloodGuard
from handlers.core.ports import Clock
from handlers.registry import all_routers
from handlers.summary.domain import SnapshotConfig
from knowledge.retrieval import KnowledgeBase
from knowledge.startup import load_knowledge_base
from storage import crypto
from storage.db import create_engine, session_factory
from storage.keys import check_keys
from storage.migrate import ensure_migrated, upgrade
from storage.uow import SqlUnitOfWorkFactory

log = logging.getLogger("lianzheng")


@dataclass
class App:
    """Everything a front end needs, built once per process."""

    settings: Settings
    engine: AsyncEngine
    uow_factory: SqlUnitOfWorkFactory
    services: Services
    assistant: Assistant

    async def close(self) -> None:
        """Release database connections."""
        await self.engine.dispose()

    def use_bot_username(self, username: str) -> None:
        """Tell the core the bot's @username (learnt from getMe), for invitation deep links."""
        config = replace(self.services.config, bot_username=username)
        self.services = replace(self.services, config=config)
        self.assistant.services = self.services


def configure_keys(settings: Settings) -> None:
    """Hand the encryption keys (if any) to the storage layer."""
    keys = (
        settings.encryption_keys.get_secret_value().split(",") if settings.encryption_keys else []
    )
    crypto.configure(keys)


def snapshot_config(settings: Settings) -> SnapshotConfig:
    """Map settings onto how summaries use pre-aggregated figures."""
    return SnapshotConfig(
        max_age=timedelta(minutes=settings.summary_snapshot_max_age_minutes),
        refresh_every=timedelta(minutes=settings.summary_snapshot_refresh_minutes),
        min_units=settings.summary_snapshot_min_units,
    )


def core_config(settings: Settings, bot_username: str = "") -> CoreConfig:
    """Map settings onto what the core needs."""
    from bot.scheduler.dispatcher import reminder_config

    return CoreConfig(
        reminders=reminder_config(settings),
        summary=snapshot_config(settings),
        timezone=settings.timezone,
        invite_ttl_days=settings.invite_ttl_days,
        bot_username=bot_username,
        button_ttl=timedelta(days=settings.button_ttl_days),
    )


async def build_app(
    settings: Settings,
    migrate: bool = False,
    clock: Clock | None = None,
    kb: KnowledgeBase | None = None,
    flood: bool = False,
) -> App:
    """Create the app; refuses an un-migrated database unless ``migrate`` is set."""
    configure_keys(settings)
    engine = create_engine(settings.effective_database_url)
    try:
        if migrate:
            await upgrade(engine)
        else:
            await ensure_migrated(engine)
        await check_keys(engine)
    except BaseException:
        await engine.dispose()
        raise
    uow_factory = SqlUnitOfWorkFactory(
        session_factory(engine), serialize=engine.dialect.name == "sqlite"
    )
    if kb is None:
        kb = load_knowledge_base(
            extra_dirs=settings.rules_dirs,
            cache_dir=settings.effective_kb_cache_dir,
            vector_dir=Path(settings.kb_vector_dir) if settings.kb_vector_dir.strip() else None,
            semantic=settings.kb_semantic,
        )
    services = Services(clock=clock or SystemClock(), config=core_config(settings), kb=kb)
    # Flood control protects the Telegram bot; the local console needs none.
    guard = FloodGuard(settings.flood_per_minute, settings.flood_burst) if flood else None
    assistant = Assistant(uow_factory, services, all_routers(), guard)
    return App(settings, engine, uow_factory, services, assistant)
