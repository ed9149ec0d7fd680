"""The database unavailable: how storage recognises it, and what the core answers."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest
from sqlalchemy import exc as sa_exc

from handlers.core.app import Assistant
from handlers.core.clock import ManualClock
from handlers.core.errors import Unavailable
from handlers.core.i18n import translator
from handlers.core.types import Request
from handlers.registry import all_routers
from storage.errors import is_unavailable
from tests.conftest import make_services
from tests.handlers.core.fakes import FakeUnitOfWork, FakeUnitOfWorkFactory
from tests.handlers.core.helpers import texts

MESSAGE = "The service is temporarily unavailable. Please try again in a moment."


class PgError(Exception):
    """Stands for a driver error carrying a PostgreSQL SQLSTATE."""

    def __init__(self, sqlstate: str) -> None:
        super().__init__(f"server said {sqlstate}")
        self.sqlstate = sqlstate


def wrapped(orig: Exception, params: Any = None, invalidated: bool = False) -> sa_exc.DBAPIError:
    """An error as SQLAlchemy raises it around a driver error."""
    return sa_exc.DBAPIError.instance(
        "UPDATE t SET x = ?", params or (), orig, sqlite3.Error, connection_invalidated=invalidated
    )


def chained(outer: Exception, cause: BaseException) -> Exception:
    outer.__cause__ = cause
    return outer


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (sqlite3.OperationalError("database is locked"), True),
        (sqlite3.OperationalError("unable to open database file"), True),
        (sqlite3.OperationalError("disk I/O error"), True),
        (sqlite3.OperationalError("no such table: people"), False),  # a bug, not an outage
        (sqlite3.IntegrityError("UNIQUE constraint failed"), False),
        (wrapped(sqlite3.OperationalError("database is locked")), True),
        # what a person typed must not decide: the statement's parameters are not looked at
        (wrapped(sqlite3.OperationalError("no such column"), ("database is locked",)), False),
        (wrapped(sqlite3.DatabaseError("server closed the connection"), invalidated=True), True),
        (wrapped(sqlite3.DatabaseError("server closed the connection")), False),
        (PgError("57P01"), True),  # terminating connection due to administrator command
        (PgError("08006"), True),  # connection failure
        (PgError("53300"), True),  # too many connections
        (PgError("23505"), False),  # unique violation
        (PgError("40001"), False),  # serialization failure: not an outage
        (ConnectionRefusedError(111, "Connect call failed"), True),
        (OSError("Multiple exceptions: [Errno 111] Connect call failed"), True),
        (TimeoutError(), True),
        (FileNotFoundError(2, "no such file"), False),
        (sa_exc.TimeoutError("QueuePool limit reached"), True),
        (chained(RuntimeError("while saving"), ConnectionResetError()), True),
        (ValueError("bad input"), False),
    ],
)
def test_recognises_an_unavailable_database(error: Exception, expected: bool) -> None:
    assert is_unavailable(error) is expected


class BrokenUnitOfWork(FakeUnitOfWork):
    async def commit(self) -> None:
        raise Unavailable("connection lost")


class BrokenFactory(FakeUnitOfWorkFactory):
    def __call__(self) -> FakeUnitOfWork:
        return BrokenUnitOfWork(self.db)


@pytest.mark.parametrize(("lang", "user"), [("zh-hans", 1104), ("en", 555), (None, 555)])
async def test_core_asks_to_try_again_and_keeps_nothing(
    fake_uow: FakeUnitOfWorkFactory, clock: ManualClock, lang: str | None, user: int
) -> None:
    broken = BrokenFactory(fake_uow.db)
    core = Assistant(broken, make_services(clock, None), all_routers())
    before = fake_uow.db.snapshot()
    replies = await core.handle(
        Request(user_id=user, chat_id=user, text="/me", user_language=lang, update_id=31)
    )
    expected = translator("en" if lang == "en" else "zh_CN")._(MESSAGE)
    assert texts(replies) == expected
    assert fake_uow.db.snapshot() == before  # not even the update was claimed


def test_the_message_is_translated() -> None:
    zh = translator("zh_CN")._(MESSAGE)
    assert zh != MESSAGE and "稍后" in zh
