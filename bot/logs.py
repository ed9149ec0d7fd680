"""Logging set-up: one key=value line per event, with the request id; never secrets."""

from __future__ import annotations

import logging
import sys

from handlers.core.app import request_id


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` (set by the core for each update) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


def setup_logging(level: str) -> None:
    """Log to stderr as ``time level logger request=ID message``."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(
        logging.Formatter(
            "%(asctime)s level=%(levelname)s logger=%(name)s request=%(request_id)s %(message)s"
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    # Libraries that would log URLs (which contain the bot token) or SQL stay quiet.
    for noisy in (
        "httpx",
        "httpcore",
        "aiogram.event",
        "sqlalchemy.engine",
        "jieba",
        "alembic",
        "aiohttp.access",
    ):
        logging.getLogger(noisy).setLevel(logging.WARNING)
