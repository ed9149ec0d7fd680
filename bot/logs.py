"""Logging set-up: one key=value line per event, with the request id; never secrets."""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Sequence

from handlers.core.app import request_id


class RequestIdFilter(logging.Filter):
    """Adds ``request_id`` (set by the core for each update) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


#: A Telegram bot token wherever it appears (in a URL: ``/bot123456:AA…/sendMessage``).
TOKEN_PATTERN = re.compile(r"\d{5,}:[A-Za-z0-9_-]{30,}")
#: Libraries that log request bodies, message texts, URLs with the token or SQL with its
#: parameters: kept at WARNING whatever LOG_LEVEL says, so no level shows record text.
QUIET_LIBRARIES = (
    "httpx",
    "httpcore",
    "telegram",
    "aiogram",
    "aiohttp",
    "sqlalchemy",
    "asyncpg",
    "aiosqlite",
    "urllib3",
    "jieba",
    "alembic",
)


class RedactingFormatter(logging.Formatter):
    """Formats a record, then replaces the bot token and other configured secrets in the
    whole line (message, arguments and traceback) with ``[redacted]``: a library may still
    log a URL at WARNING, and an exception may carry one."""

    def __init__(self, fmt: str, secrets: Sequence[str] = ()) -> None:
        super().__init__(fmt)
        self.secrets = sorted((s for s in secrets if s and len(s) >= 8), key=len, reverse=True)

    def redact(self, text: str) -> str:
        """``text`` without secrets."""
        for secret in self.secrets:
            text = text.replace(secret, "[redacted]")
        return TOKEN_PATTERN.sub("[redacted]", text)

    def format(self, record: logging.LogRecord) -> str:
        return self.redact(super().format(record))


def setup_logging(level: str, secrets: Sequence[str] = ()) -> None:
    """Log to stderr as ``time level logger request=ID message``, never a secret."""
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(
        RedactingFormatter(
            "%(asctime)s level=%(levelname)s logger=%(name)s request=%(request_id)s %(message)s",
            secrets,
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in QUIET_LIBRARIES:
        logging.getLogger(noisy).setLevel(logging.WARNING)
