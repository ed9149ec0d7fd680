"""The assistant's own log set-up at DEBUG, written to a buffer instead of stderr, and put
back afterwards (shared by the log tests)."""

from __future__ import annotations

import contextlib
import io
import logging
from collections.abc import Iterator, Sequence

from bot.logs import QUIET_LIBRARIES, setup_logging


@contextlib.contextmanager
def debug_log_buffer(secrets: Sequence[str]) -> Iterator[io.StringIO]:
    """``setup_logging("DEBUG", secrets)`` as ``lianzheng run`` calls it, into a buffer."""
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    levels = {name: logging.getLogger(name).level for name in QUIET_LIBRARIES}
    setup_logging("DEBUG", secrets)
    buffer = io.StringIO()
    handler = root.handlers[0]
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(buffer)
    try:
        yield buffer
    finally:
        root.handlers[:] = saved[0]
        root.setLevel(saved[1])
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)
