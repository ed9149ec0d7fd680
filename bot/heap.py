"""Keeping the garbage collector's full passes off the request path.

After start-up the process holds several hundred thousand long-lived container objects
(SQLAlchemy's mappings, the frameworks' pydantic models, the rule-base index). A full
(generation 2) collection walks all of them: about 220 ms on this project's machine,
during which no update is answered — under load that was the slowest reply. Those objects
live as long as the process, so they are moved out of the collector's view once start-up
is over (``gc.freeze``); later full passes only walk what requests create.
"""

from __future__ import annotations

import gc
import logging

log = logging.getLogger("lianzheng")


def freeze_startup_heap() -> int:
    """Collect start-up garbage, then exempt every surviving object from later collections.

    Returns the number of objects frozen (for the log).
    """
    gc.collect()
    gc.freeze()
    frozen = gc.get_freeze_count()
    log.info("start-up heap frozen: %d objects exempt from collection", frozen)
    return frozen
