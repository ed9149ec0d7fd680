"""The operator's commands refuse bad input in one line, store nothing half-made, and never
end in a traceback (SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli.main import main
from storage.db import create_engine, session_factory
from storage.uow import SqlUnitOfWorkFactory

pytestmark = pytest.mark.storage


async def _counts(url: str) -> tuple[int, int, list[str]]:
    engine = create_engine(url)
    try:
        async with SqlUnitOfWorkFactory(session_factory(engine))() as uow:
            entries = await uow.audit.since(datetime(2000, 1, 1, tzinfo=UTC))
            return await uow.units.count(), await uow.people.count(), [e.action for e in entries]
    finally:
        await engine.dispose()


def _run(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as exc:  # argparse refuses an argument this way
        return int(exc.code or 0)


@pytest.fixture
async def org(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """A database with a city, a county and a township in it."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    for argv in (
        ["unit", "add", "--code", "C", "--name", "某市", "--level", "city"],
        ["unit", "add", "--code", "K", "--name", "某县", "--level", "county", "--parent", "C"],
        ["unit", "add", "--code", "T", "--name", "某镇", "--level", "township", "--parent", "K"],
    ):
        assert await asyncio.to_thread(_run, argv) == 0
    return db_url


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ["--code", "X", "--name", "又一市", "--level", "city", "--parent", "T"],
            "under a township",
        ),
        (["--code", "X", "--name", "某乡", "--level", "township"], "needs its county"),
        (["--code", "X", "--name", "   ", "--level", "department", "--parent", "K"], "empty"),
        (["--code", "X", "--name", "某县", "--level", "county", "--parent", "C"], "already has"),
    ],
)
async def test_unit_add_refuses_a_unit_out_of_place(
    org: str, argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = await _counts(org)
    assert await asyncio.to_thread(_run, ["unit", "add", *argv]) == 2
    assert message in capsys.readouterr().err
    assert await _counts(org) == before


@pytest.mark.parametrize(
    "argv",
    [
        ["invite", "create", "--unit", "K", "--role", "cadre", "--days", "-3"],
        ["invite", "create", "--unit", "K", "--role", "cadre", "--days", "0"],
        ["invite", "create", "--unit", "K", "--role", "cadre", "--days", "99999999"],
        ["invite", "create", "--unit", "K", "--role", "cadre", "--name", "长" * 101],
        ["admin", "create", "--unit", "K", "--name", "管理员", "--telegram-id", "0"],
        ["admin", "create", "--unit", "K", "--name", "管理员", "--telegram-id", "9" * 23],
        ["admin", "create", "--unit", "K", "--name", "  ", "--telegram-id", "5"],
    ],
)
async def test_bad_invitation_and_administrator_arguments_store_nothing(
    org: str, argv: list[str]
) -> None:
    before = await _counts(org)
    assert await asyncio.to_thread(_run, argv) == 2
    assert await _counts(org) == before


async def test_an_invitation_made_on_the_command_line_is_audited(
    org: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["invite", "create", "--unit", "K", "--role", "cadre", "--days", "3"]
    assert await asyncio.to_thread(_run, argv) == 0
    assert "CST" in capsys.readouterr().out  # the expiry in the configured time zone
    assert (await _counts(org))[2][-1] == "invitation.created"


async def test_a_file_that_cannot_be_written_is_one_line_not_a_traceback(
    org: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a-file").write_text("x")
    blocked = tmp_path / "a-file" / "out.csv"
    argv = ["audit", "--since", "2026-01-01", "--out", str(blocked)]
    assert await asyncio.to_thread(_run, argv) == 1
    err = capsys.readouterr().err
    assert err.startswith("cannot do that:") and "Traceback" not in err


def test_db_current_does_not_create_an_empty_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "none.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{target}")
    assert _run(["db", "current"]) == 0
    assert "no database at" in capsys.readouterr().out and not target.exists()


@pytest.mark.parametrize("who", ["9" * 20, "0", "-5", "abc"])
def test_the_console_refuses_an_impossible_user_id(
    who: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """An id no Telegram user has is refused with a message (it had exited silently)."""
    assert _run(["console", "--as", who]) == 2
    assert "--as" in capsys.readouterr().err
