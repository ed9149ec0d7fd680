"""Fault injection for the database: a connection that breaks under a chosen SQL statement,
every backend of a test database terminated (how a PostgreSQL restart is simulated — the
shared server itself is never restarted), and a TCP proxy that can be stopped and started
in front of PostgreSQL (the server "down" for a while).

All of it is loopback only and needs no sleeping: the breaks happen at exact statements.
"""

from __future__ import annotations

import asyncio
import contextlib
import re
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.conftest import _pg_admin, _run_sync


def database_name(url: str) -> str:
    """The database name of a SQLAlchemy URL."""
    return str(make_url(url).database)


async def terminate_backends(database: str) -> None:
    """End every server connection to ``database`` and wait until they are gone.

    This is what a PostgreSQL restart does to a running bot: every connection it holds
    breaks at once. (Restarting the shared server would disturb everyone else using it.)
    """
    await _pg_admin(
        "SELECT pg_terminate_backend(pid, 5000) FROM pg_stat_activity "
        f"WHERE datname = '{database}' AND pid <> pg_backend_pid()"
    )


class DatabaseFault:
    """Breaks the connection under the next SQL statement matching a pattern.

    On PostgreSQL the server really drops the session (``pg_terminate_backend`` of that
    very connection, or of every connection to the database with ``everyone=True``) just
    before the statement is sent; on SQLite the driver raises the error of a failing disk
    (``disk I/O error``), which is what SQLite reports when its file becomes unreachable.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.pattern: re.Pattern[str] | None = None
        self.everyone = False
        self.skip = 0
        self.fired: list[str] = []
        event.listen(engine.sync_engine, "before_cursor_execute", self._before)
        event.listen(engine.sync_engine, "commit", self._commit)

    def arm(self, pattern: str, everyone: bool = False, skip: int = 0) -> None:
        """Break the connection at the next statement matching ``pattern`` (once), after
        letting ``skip`` matching statements through. ``COMMIT`` matches the commit."""
        self.pattern = re.compile(pattern, re.IGNORECASE)
        self.everyone = everyone
        self.skip = skip

    def disarm(self) -> None:
        """No more breaks."""
        self.pattern = None

    def _before(
        self,
        conn: Any,
        cursor: Any,
        statement: str,
        parameters: Any,
        context: Any,
        executemany: bool,
    ) -> None:
        if self.pattern is None or not self.pattern.search(statement):
            return
        if self.skip:
            self.skip -= 1
            return
        self.pattern = None
        self.fired.append(statement)
        self._break(conn)

    def _commit(self, conn: Any) -> None:
        self._before(conn, None, "COMMIT", None, None, False)

    def _break(self, conn: Any) -> None:
        if conn.dialect.name == "sqlite":
            raise conn.dialect.loaded_dbapi.OperationalError("disk I/O error")
        database = conn.engine.url.database
        if self.everyone:
            _run_sync(terminate_backends(database))
        else:
            pid = conn.connection.dbapi_connection._connection.get_server_pid()
            _run_sync(_pg_admin(f"SELECT pg_terminate_backend({int(pid)}, 5000)"))


class TcpProxy:
    """A loopback TCP proxy in front of a server; ``stop`` cuts every connection and
    refuses new ones (the database is down), ``start`` serves again on the same port."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self.target = (target_host, target_port)
        self.port = 0
        self._server: asyncio.Server | None = None
        self._writers: set[asyncio.StreamWriter] = set()

    async def start(self) -> int:
        """Listen (on the same port as before, after a stop); returns the port."""
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", self.port)
        self.port = int(self._server.sockets[0].getsockname()[1])
        return self.port

    async def stop(self) -> None:
        """Close the listener and every proxied connection."""
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()
            self._server = None
        for w in list(self._writers):
            w.close()
        self._writers.clear()

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_reader, up_writer = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        self._writers |= {writer, up_writer}

        async def pipe(src: asyncio.StreamReader, dst: asyncio.StreamWriter) -> None:
            with contextlib.suppress(OSError, asyncio.CancelledError):
                while data := await src.read(65536):
                    dst.write(data)
                    await dst.drain()
            dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))
        self._writers -= {writer, up_writer}
