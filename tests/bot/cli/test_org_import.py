"""``lianzheng org import`` on SQLite and PostgreSQL: all or nothing by default, every
problem listed with its line, ``--skip-bad-rows`` on request, and an applied import audited."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.cli.main import main
from handlers.core.domain import AuditEntry
from storage.db import create_engine, session_factory
from storage.uow import SqlUnitOfWorkFactory

pytestmark = pytest.mark.storage

UNITS = "单位编码,单位名称,上级单位编码,层级\nT,某市,,市\nT1,某县,T,县\n"
PEOPLE = (
    "姓名,单位编码,职务,科级以上,角色,telegram_id\n"
    "甲,T1,县长,是,一把手,7001\n"  # 2: good
    "乙,T1,科员,否\n"  # 3: cut off
    "丙,T1,科员,否,皇帝,\n"  # 4: unknown role
    "丁,T1,科员,否,干部,\n"  # 5: good
)


async def _state(url: str) -> tuple[int, int, list[AuditEntry]]:
    engine = create_engine(url)
    try:
        async with SqlUnitOfWorkFactory(session_factory(engine))() as uow:
            entries = await uow.audit.since(datetime(2000, 1, 1, tzinfo=UTC))
            return await uow.units.count(), await uow.people.count(), entries
    finally:
        await engine.dispose()


def _files(tmp_path: Path) -> list[str]:
    (tmp_path / "units.csv").write_text(UNITS, encoding="utf-8")
    (tmp_path / "people.csv").write_text(PEOPLE, encoding="utf-8")
    return [str(tmp_path / "units.csv"), str(tmp_path / "people.csv")]


async def test_a_file_with_errors_imports_nothing_and_lists_every_line(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    files = _files(tmp_path)
    assert await asyncio.to_thread(main, ["org", "import", *files]) == 1
    out, err = capsys.readouterr()
    assert "people.csv 第3行" in out and "cut off" in out
    assert "people.csv 第4行" in out and "皇帝" in out
    assert "第2行" not in out and "第5行" not in out
    assert "2 problem(s) in 2 row(s); nothing was imported" in err and "--skip-bad-rows" in err
    assert await _state(db_url) == (0, 0, [])
    # A dry run with the flag says what would happen and still writes nothing.
    argv = ["org", "import", *files, "--skip-bad-rows", "--dry-run"]
    assert await asyncio.to_thread(main, argv) == 0
    assert "2 person(s) would be imported; 2 row(s)" in capsys.readouterr().out
    assert await _state(db_url) == (0, 0, [])


async def test_skip_bad_rows_imports_the_rest_and_the_import_is_audited(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    files = _files(tmp_path)
    assert await asyncio.to_thread(main, ["org", "import", *files, "--skip-bad-rows"]) == 0
    out = capsys.readouterr().out
    assert "第3行" in out and "第4行" in out
    assert "imported 2 unit(s) and 2 person(s); 2 row(s) with problems" in out
    units, people, entries = await _state(db_url)
    assert (units, people) == (2, 2)
    [entry] = entries
    assert (entry.action, entry.actor_id, entry.chat_id, entry.unit_id) == (
        "org.imported",
        None,
        None,
        None,
    )
    assert entry.details == {
        "units": 2,
        "people": 2,
        "skipped_rows": 2,
        "files": ["units.csv", "people.csv"],
        "via": "cli",
    }
    assert entry.at is not None and abs(datetime.now(UTC) - entry.at).total_seconds() < 600


async def test_a_clean_import_is_audited_and_a_dry_run_is_not(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    units = tmp_path / "units.csv"
    units.write_text(UNITS, encoding="utf-8")
    assert await asyncio.to_thread(main, ["org", "import", str(units), "--dry-run"]) == 0
    assert await _state(db_url) == (0, 0, [])
    assert await asyncio.to_thread(main, ["org", "import", str(units)]) == 0
    count, _people, entries = await _state(db_url)
    assert count == 2
    assert [
        (e.action, e.actor_id, e.details["units"], e.details["skipped_rows"]) for e in entries
    ] == [("org.imported", None, 2, 0)]


async def test_an_export_imports_back_unchanged(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``org export`` writes the import's own columns: a role held over another unit (an
    inspector listed in the commission, over the county) is kept in a column of its own,
    and its holder is not made a cadre of his own unit by default."""
    from openpyxl import load_workbook

    monkeypatch.setenv("DATABASE_URL", db_url)
    units = "单位编码,单位名称,上级单位编码,层级\nT,某市,,city\nT1,某县,T,county\n"
    people = (
        "姓名,单位编码,职务,科级以上,角色,telegram_id,其他单位的角色\n"
        "甲,T1,县长,是,unit_head、cadre,7001,\n"
        "乙,T,市纪委干部,是,,7002,inspector@T1\n"
        "丙,T1,科员,否,cadre,,\n"
    )
    (tmp_path / "units.csv").write_text(units, encoding="utf-8")
    (tmp_path / "people.csv").write_text(people, encoding="utf-8")
    files = [str(tmp_path / "units.csv"), str(tmp_path / "people.csv")]
    assert await asyncio.to_thread(main, ["org", "import", *files]) == 0
    out = tmp_path / "org.xlsx"
    assert await asyncio.to_thread(main, ["org", "export", str(out)]) == 0
    book = load_workbook(out)
    read = {ws.title: [[str(c.value or "") for c in row] for row in ws.iter_rows()] for ws in book}
    written_units = [line.split(",") for line in units.strip().splitlines()]
    written_people = [line.split(",") for line in people.strip().splitlines()]
    assert read["units 单位"] == written_units
    assert sorted(read["people 人员"][1:]) == sorted(written_people[1:])
    assert read["people 人员"][0] == written_people[0]
    # A misnamed export file is refused, and a bad other-unit role is a row's problem.
    assert await asyncio.to_thread(main, ["org", "export", str(tmp_path / "org.csv")]) == 2
    bad = "姓名,单位编码,职务,科级以上,角色,telegram_id,其他单位的角色\n丁,T1,科员,否,cadre,,inspector@NOPE\n"
    (tmp_path / "bad.csv").write_text(bad, encoding="utf-8")
    assert await asyncio.to_thread(main, ["org", "import", str(tmp_path / "bad.csv")]) == 1
