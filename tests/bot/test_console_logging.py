"""The console chat's log goes to DATA_DIR/logs/console.log, never between the messages."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.logs import QUIET_LIBRARIES, setup_console_logging

TOKEN = "123456789:AAE-fake_token_for_tests_0123456789abcd"


@pytest.fixture(autouse=True)
def restore_logging() -> Iterator[None]:
    """Put the root logger (and the quietened libraries) back as they were."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    levels = {name: logging.getLogger(name).level for name in QUIET_LIBRARIES}
    yield
    for handler in root.handlers:
        if handler not in saved[0]:
            handler.close()
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def test_info_and_warnings_go_to_the_file_and_nothing_to_the_terminal(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    where = setup_console_logging("INFO", [TOKEN], tmp_path)
    log = logging.getLogger("lianzheng.reminders")
    log.info("reminder dispatcher started")
    log.warning("3 reminder(s) missed during downtime were not sent")
    log.error("sender failed for https://api.telegram.org/bot%s/sendMessage", TOKEN)
    log.debug("below LOG_LEVEL")
    for handler in logging.getLogger().handlers:
        handler.flush()
    out, err = capfd.readouterr()
    assert out == "" and err == ""
    path = tmp_path / "logs" / "console.log"
    assert str(path) in where
    text = path.read_text(encoding="utf-8")
    assert "level=INFO logger=lianzheng.reminders request=- reminder dispatcher started" in text
    assert "level=WARNING" in text and "level=ERROR" in text
    assert "below LOG_LEVEL" not in text
    assert TOKEN not in text and "[redacted]" in text  # redacted in the file as on stderr


def test_log_level_sets_the_files_level(tmp_path: Path) -> None:
    setup_console_logging("debug", [], tmp_path)
    logging.getLogger("lianzheng.core").debug("handled in 3 ms")
    logging.getLogger("sqlalchemy.engine.Engine").info("SELECT with parameters")
    for handler in logging.getLogger().handlers:
        handler.flush()
    text = (tmp_path / "logs" / "console.log").read_text(encoding="utf-8")
    assert "handled in 3 ms" in text
    assert "SELECT" not in text  # the libraries stay quiet at any level


def test_an_unwritable_log_folder_sends_only_warnings_to_stderr(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    not_a_folder = tmp_path / "data"
    not_a_folder.write_text("a file where DATA_DIR should be")
    where = setup_console_logging("INFO", [], not_a_folder)
    logging.getLogger("lianzheng").info("dispatcher started")
    logging.getLogger("lianzheng").warning("database unavailable")
    out, err = capfd.readouterr()
    assert "cannot write" in where
    assert out == ""
    assert "database unavailable" in err and "dispatcher started" not in err
