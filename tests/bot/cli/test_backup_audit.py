"""Backup and restore round trip, and the audit export, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import csv
from pathlib import Path

import pytest

from bot.cli.backup import BackupError, backup, restore
from bot.demo.organisation import seed_demo
from handlers.core.domain import AuditEntry, NewPerson, UnitLevel
from storage.db import create_engine, session_factory
from storage.uow import SqlUnitOfWorkFactory

pytestmark = pytest.mark.storage


async def _snapshot(url: str) -> tuple[int, int, list[str]]:
    engine = create_engine(url)
    try:
        async with SqlUnitOfWorkFactory(session_factory(engine))() as uow:
            units = [u.code for u in await uow.units.find("", ["/"])]
            return await uow.units.count(), await uow.people.count(), units
    finally:
        await engine.dispose()


async def _change(url: str, fn: str) -> None:
    from datetime import UTC, datetime

    engine = create_engine(url)
    try:
        async with SqlUnitOfWorkFactory(session_factory(engine))() as uow:
            now = datetime(2026, 3, 1, tzinfo=UTC)
            if fn == "seed":
                await seed_demo(uow, now)
                city = await uow.units.by_code("PY")
                await uow.audit.append(
                    AuditEntry("talk.viewed", 1, 9, "talk", "3", city.id if city else None, {}, now)
                )
            else:
                await uow.units.add("LATE", "备份后新增", UnitLevel.DEPARTMENT, None)
            await uow.commit()
    finally:
        await engine.dispose()


async def test_backup_restore_round_trip(db_url: str, tmp_path: Path) -> None:
    await _change(db_url, "seed")
    before = await _snapshot(db_url)
    file = await asyncio.to_thread(backup, db_url, tmp_path / "lz.backup")
    assert file.stat().st_size > 0
    assert file.stat().st_mode & 0o777 == 0o600  # the copy of every record is private
    await _change(db_url, "add")
    assert (await _snapshot(db_url))[0] == before[0] + 1
    await asyncio.to_thread(restore, db_url, file)
    assert await _snapshot(db_url) == before


@pytest.mark.parametrize(
    "content", [b"", b"hello, not a backup", b"SQLite format 3\x00" + b"x" * 64]
)
async def test_restoring_a_file_that_is_not_a_backup_says_so_and_changes_nothing(
    db_url: str, tmp_path: Path, content: bytes
) -> None:
    await _change(db_url, "seed")
    before = await _snapshot(db_url)
    bogus = tmp_path / "bogus.backup"
    bogus.write_bytes(content)
    with pytest.raises(BackupError, match="nothing was changed"):
        await asyncio.to_thread(restore, db_url, bogus)
    assert await _snapshot(db_url) == before


async def test_a_failed_backup_keeps_the_earlier_one_and_the_live_database_is_refused(
    db_url: str, tmp_path: Path
) -> None:
    await _change(db_url, "seed")
    good = await asyncio.to_thread(backup, db_url, tmp_path / "good.backup")
    kept = good.read_bytes()
    with pytest.raises(BackupError, match="is a folder"):
        await asyncio.to_thread(backup, db_url, tmp_path)
    (tmp_path / "a-file").write_text("x")
    with pytest.raises(BackupError, match="cannot create the folder"):
        await asyncio.to_thread(backup, db_url, tmp_path / "a-file" / "x.backup")
    if db_url.startswith("sqlite"):
        live = Path(db_url.split(":///", 1)[1])
        with pytest.raises(BackupError, match="live database"):
            await asyncio.to_thread(backup, db_url, live)
        assert (await _snapshot(db_url))[1] > 0  # the database was not emptied
        # A database that cannot be read: the earlier backup at the target is untouched.
        broken = tmp_path / "broken.db"
        broken.write_bytes(b"not a database at all" * 100)
        with pytest.raises(BackupError, match="cannot be read"):
            await asyncio.to_thread(backup, f"sqlite+aiosqlite:///{broken}", good)
    assert good.read_bytes() == kept
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_audit_export_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.cli.main import main

    url = f"sqlite:///{tmp_path / 'a.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    assert main(["db", "upgrade"]) == 0
    asyncio.run(_change(url, "seed"))
    out = tmp_path / "audit.csv"
    assert main(["audit", "--since", "2026-01-01", "--unit", "PY", "--out", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert [r["action"] for r in rows] == ["talk.viewed"]
    assert main(["audit", "--since", "2026-01-01", "--unit", "QF", "--out", str(out)]) == 0
    assert list(csv.DictReader(out.open(encoding="utf-8-sig"))) == []
    assert main(["audit", "--since", "yesterday"]) == 2
    assert main(["restore", str(tmp_path / "none.backup")]) == 2  # needs --yes


async def _audit_fixture(url: str) -> tuple[int, int, int]:
    """A unit, a person and a person whose name looks like a formula, each with an entry
    at 2026-03-01 08:00 UTC; returns (unit id, person id, formula person id)."""
    from datetime import UTC, datetime

    engine = create_engine(url)
    try:
        async with SqlUnitOfWorkFactory(session_factory(engine))() as uow:
            at = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
            city = await uow.units.add("PY", "濮阳市", UnitLevel.CITY, None)
            wang = await uow.people.add(NewPerson("王建国", city.id, "主任", True, 1001))
            odd = await uow.people.add(NewPerson("=1+1", city.id, "", True, 1002))
            await uow.audit.append(
                AuditEntry("talk.viewed", wang.id, 9, "talk", "3", city.id, {}, at)
            )
            await uow.audit.append(
                AuditEntry("quiz.test_started", odd.id, 8, "quiz", "", None, {}, at)
            )
            await uow.audit.append(AuditEntry("org.imported", None, None, "org", "", None, {}, at))
            await uow.commit()
            return city.id, wang.id, odd.id
    finally:
        await engine.dispose()


@pytest.mark.parametrize(
    ("zone", "local"),
    [
        ("Asia/Shanghai", "2026-03-01T16:00:00+08:00"),
        ("Europe/Berlin", "2026-03-01T09:00:00+01:00"),
    ],
)
async def test_audit_export_has_local_time_with_offset_and_names_beside_ids(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, zone: str, local: str
) -> None:
    from bot.cli.main import main

    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("BOT_TIMEZONE", zone)
    unit_id, wang_id, odd_id = await _audit_fixture(db_url)
    out = tmp_path / "audit.csv"
    assert await asyncio.to_thread(main, ["audit", "--since", "2026-03-01", "--out", str(out)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert [r["at"] for r in rows] == [local] * 3
    assert [(r["actor_id"], r["actor_name"], r["unit_id"], r["unit_name"]) for r in rows] == [
        (str(wang_id), "王建国", str(unit_id), "濮阳市"),
        (str(odd_id), "'=1+1", "", ""),  # a name a spreadsheet would run is neutralised
        ("", "", "", ""),  # the command line has no actor
    ]
    assert rows[0]["chat_id"] == "9" and rows[0]["action"] == "talk.viewed"
