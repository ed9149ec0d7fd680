"""Logging set-up: one key=value line per event, with the request id; never secrets."""

from __future__ import annotations

import logging
import logging.handlers
import re
import sys
from collections.abc import Sequence
from pathlib import Path

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


#: One line per record: ``time level logger request=ID message``.
LOG_FORMAT = "%(asctime)s level=%(levelname)s logger=%(name)s request=%(request_id)s %(message)s"
#: The console chat's log, under DATA_DIR.
CONSOLE_LOG = Path("logs") / "console.log"
#: The console log rolls over at this size, keeping this many old files.
CONSOLE_LOG_BYTES = 5_000_000
CONSOLE_LOG_BACKUPS = 3


def _install(handler: logging.Handler, level: str, secrets: Sequence[str]) -> None:
    """Make ``handler`` the root's only handler, with the request id and without secrets."""
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(RedactingFormatter(LOG_FORMAT, secrets))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in QUIET_LIBRARIES:
        logging.getLogger(noisy).setLevel(logging.WARNING)


def setup_logging(level: str, secrets: Sequence[str] = ()) -> None:
    """Log to stderr as ``time level logger request=ID message``, never a secret."""
    _install(logging.StreamHandler(sys.stderr), level, secrets)


def setup_console_logging(level: str, secrets: Sequence[str], data_dir: Path) -> str:
    """Logging for the console chat; returns the line that tells the user where the log is.

    The console's stdout is the chat, and in a terminal its stderr shows between the
    messages just the same, so no log record goes to either: every record at ``level``
    (LOG_LEVEL), warnings and errors with their tracebacks included, is appended to
    ``DATA_DIR/logs/console.log`` (rolled over at 5 MB), secrets redacted as on stderr.
    An unhandled error still shows in the chat as the core's reply with its error id,
    which finds the traceback in the file. Only when that file cannot be opened do
    WARNING and above go to stderr instead, so that problems are never silent."""
    path = data_dir / CONSOLE_LOG
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=CONSOLE_LOG_BYTES, backupCount=CONSOLE_LOG_BACKUPS, encoding="utf-8"
        )
    except OSError as exc:
        handler = logging.StreamHandler(sys.stderr)
        handler.setLevel(logging.WARNING)
        _install(handler, level, secrets)
        return f"log: cannot write {path} ({exc.strerror}); warnings and errors go to stderr"
    _install(handler, level, secrets)
    return f"log: {path} (LOG_LEVEL={level.upper()})"
