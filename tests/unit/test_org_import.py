"""Bulk import of units and people from XLSX and CSV: row report, all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from handlers.core.domain import Role
from handlers.org.importing import ImportFileError, import_tables, read_tables
from tests.fakes import FakeUnitOfWorkFactory


def workbook(path: Path, people_rows: list[list[object]]) -> Path:
    wb = Workbook()
    units = wb.active
    units.title = "单位"
    units.append(["单位编码", "单位名称", "上级单位编码", "层级"])
    units.append(["T", "某市", None, "市"])
    units.append(["T1", "某县", "T", "县"])
    people = wb.create_sheet("人员")
    people.append(["姓名", "单位编码", "职务", "科级以上", "角色", "telegram_id"])
    for row in people_rows:
        people.append(row)
    wb.save(path)
    return path


async def test_xlsx_with_both_lists_imports_everything(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "org.xlsx",
        [["甲", "T1", "县长", "是", "一把手、干部", 7001.0], ["乙", "T1", "科员", "否", "", None]],
    )
    factory = FakeUnitOfWorkFactory()
    async with factory() as uow:
        report = await import_tables(uow, read_tables(path), apply=True)
        await uow.commit()
    assert report.ok and (report.units, report.people) == (2, 2)
    async with factory() as uow:
        head = await uow.people.by_telegram_id(7001)
        assert head is not None and head.roles == {Role.UNIT_HEAD, Role.CADRE}
        county = await uow.units.by_code("T1")
        assert county is not None and county.path.count("/") == 3


async def test_bad_rows_are_all_reported_and_nothing_is_written(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "bad.xlsx",
        [
            ["甲", "NOPE", "", "是", "", ""],
            ["乙", "T1", "", "也许", "皇帝", "abc"],
            ["=cmd()", "T1", "", "是", "", ""],
        ],
    )
    factory = FakeUnitOfWorkFactory()
    async with factory() as uow:
        report = await import_tables(uow, read_tables(path), apply=True)
    text = "\n".join(str(e) for e in report.errors)
    assert not report.ok and not report.applied
    assert "人员 第2行" in text and "NOPE" in text
    assert "第3行" in text and "也许" in text and "皇帝" in text and "abc" in text
    assert factory.db.units == {} and factory.db.people == {}


def test_damaged_files_get_a_clear_message(tmp_path: Path) -> None:
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(ImportFileError, match="not a readable XLSX"):
        read_tables(broken)
    odd = tmp_path / "odd.csv"
    odd.write_text("foo,bar\n1,2\n", encoding="utf-8")
    with pytest.raises(ImportFileError, match="unrecognised headers"):
        read_tables(odd)
    gbk = tmp_path / "gbk.csv"
    gbk.write_bytes("单位编码,单位名称,上级单位编码,层级\nG,某镇,,乡镇\n".encode("gbk"))
    assert read_tables(gbk)[0].rows[0][1]["name"] == "某镇"
