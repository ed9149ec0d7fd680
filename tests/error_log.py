"""A logging handler that collects errors, for tests that must see none logged."""

from __future__ import annotations

import logging


class ErrorLog(logging.Handler):
    """Collects every ERROR (or worse) record from the loggers it is added to; an unhandled
    exception in the core logs one."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)
