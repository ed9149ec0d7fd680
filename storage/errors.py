"""Which storage failures mean "the database is unavailable right now".

The unit of work turns these into the core's :class:`handlers.core.errors.Unavailable`, so the
person is asked to try again instead of being shown an internal error, and the next request
starts on a fresh connection. Everything else (constraint violations, bugs) stays an error.
"""

from __future__ import annotations

import errno
import re

from sqlalchemy import exc as sa_exc

#: PostgreSQL SQLSTATEs that mean the server or the connection is going away or full:
#: class 08 (connection exception), 57P01–57P03 (admin/crash shutdown, cannot connect
#: now), 53300 (too many connections).
_PG_UNAVAILABLE = re.compile(r"^(08...|57P0[123]|53300)$")

#: SQLite messages of a busy, missing or failing database file.
_SQLITE_UNAVAILABLE = (
    "database is locked",
    "database table is locked",
    "unable to open database file",
    "disk i/o error",
    "database or disk is full",
)

#: Socket errors of an unreachable server.
_NET_ERRNOS = frozenset(
    {
        errno.ECONNREFUSED,
        errno.ECONNRESET,
        errno.ECONNABORTED,
        errno.EHOSTUNREACH,
        errno.ENETUNREACH,
        errno.ETIMEDOUT,
        errno.EPIPE,
    }
)


def _one_is_unavailable(exc: BaseException) -> bool:
    if isinstance(exc, sa_exc.StatementError):
        # SQLAlchemy's wrapper: its text includes the statement and its parameters (which
        # may be anything a person typed), so only its flags count; ``orig`` is checked
        # on its own by the caller.
        return isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated
    if isinstance(exc, sa_exc.TimeoutError):
        return True  # no free connection in the pool in time
    if isinstance(exc, (ConnectionError, TimeoutError)):
        return True  # refused, reset, or the driver's connect timeout
    if isinstance(exc, OSError):
        # asyncio reports failures to reach every address of a host as one plain OSError.
        return exc.errno in _NET_ERRNOS or str(exc).startswith("Multiple exceptions")
    code = getattr(exc, "sqlstate", None) or getattr(exc, "pgcode", None)
    if isinstance(code, str) and _PG_UNAVAILABLE.match(code):
        return True
    text = str(exc).lower()
    name = type(exc).__name__
    if name in {"ConnectionDoesNotExistError", "InterfaceError"} and "connection" in text:
        return "closed" in text  # asyncpg: "connection is closed" / "connection was closed …"
    if name == "OperationalError":  # the SQLite driver's own error (sqlite3 or its adapter)
        return any(m in text for m in _SQLITE_UNAVAILABLE)
    return False


def is_unavailable(exc: BaseException) -> bool:
    """True when ``exc`` (or an exception it was raised from) says the database is unreachable,
    busy or dropped the connection, so that retrying later may well succeed."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        orig = current.orig if isinstance(current, sa_exc.DBAPIError) else None
        if _one_is_unavailable(current) or (orig is not None and _one_is_unavailable(orig)):
            return True
        current = current.__cause__ or current.__context__
    return False
