"""Logs never hold the bot token, record text or SQL parameters, at any level (issue 19)."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from tests.bot.log_capture import debug_log_buffer

TOKEN = "123456789:AAE-fake_token_for_tests_0123456789abcd"
RECORD_TEXT = "约谈记录：张三收受礼金两万元"


@pytest.fixture
def debug_logs() -> Iterator[io.StringIO]:
    """The assistant's log set up at DEBUG, written to a buffer instead of stderr."""
    with debug_log_buffer([TOKEN, "webhook-secret-value-0123"]) as buffer:
        yield buffer


def test_framework_and_driver_debug_lines_never_reach_the_log(
    debug_logs: io.StringIO,
) -> None:
    logging.getLogger("telegram.ext.ExtBot").debug("Calling sendMessage with %s", RECORD_TEXT)
    logging.getLogger("aiogram.event").info("Update handled: %s", RECORD_TEXT)
    logging.getLogger("sqlalchemy.engine.Engine").info("[generated] ('%s',)", RECORD_TEXT)
    logging.getLogger("aiosqlite").debug("executing %s", RECORD_TEXT)
    logging.getLogger("httpx").info("HTTP Request: POST https://api.telegram.org/bot%s/x", TOKEN)
    logging.getLogger("lianzheng.core").debug("handled in 3 ms")
    err = debug_logs.getvalue()
    assert RECORD_TEXT not in err and TOKEN not in err
    assert "handled in 3 ms" in err  # our own debug lines stay


def test_a_token_in_any_logged_url_or_error_is_redacted(
    debug_logs: io.StringIO,
) -> None:
    log = logging.getLogger("lianzheng.webhook")
    log.warning("setWebhook failed for https://api.telegram.org/bot%s/setWebhook", TOKEN)
    log.warning("secret was %s", "webhook-secret-value-0123")
    try:
        raise RuntimeError(f"connection to /bot{TOKEN}/getUpdates failed")
    except RuntimeError:
        log.exception("polling stopped")
    other = "987654321:ZZZ-another-token-not-configured-000000"
    log.error("some library printed %s", other)
    err = debug_logs.getvalue()
    assert TOKEN not in err and "webhook-secret-value-0123" not in err and other not in err
    assert err.count("[redacted]") >= 4
