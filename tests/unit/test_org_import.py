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


async def test_invisible_and_direction_characters_are_stripped_from_names(tmp_path: Path) -> None:
    """A name with a right-to-left override or zero-width characters would look like
    another person's; it is stored as the plain name."""
    path = workbook(tmp_path / "org.xlsx", [["\u202e甲\u200b", "T1", "县长", "是", "干部", None]])
    factory = FakeUnitOfWorkFactory()
    async with factory() as uow:
        report = await import_tables(uow, read_tables(path), apply=True)
        await uow.commit()
    assert report.ok
    assert [p.name for p in factory.db.people.values()] == ["甲"]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("张\u200b三", "张三"),
        ("\u202e张三\u202c", "张三"),
        ("\ufeff李四", "李四"),
        ("王  五\u2060", "王 五"),
        ("副主任（试用期）", "副主任（试用期）"),
        ("正常姓名", "正常姓名"),
    ],
)
def test_clean_display_name(raw: str, clean: str) -> None:
    from handlers.core.parsing import clean_display_name

    assert clean_display_name(raw) == clean


@pytest.mark.parametrize("code", ["../x", "a/b", "x y", "", "-lead", "a" * 33, "代码"])
def test_unit_codes_are_checked_strictly(code: str) -> None:
    from handlers.core.parsing import valid_unit_code

    assert not valid_unit_code(code)
    assert valid_unit_code("HL-ZF") and valid_unit_code("PY_01")


async def test_an_import_with_a_path_like_unit_code_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_text("单位编码,单位名称,上级单位编码,层级\n../x,某市,,市\n", encoding="utf-8")
    factory = FakeUnitOfWorkFactory()
    async with factory() as uow:
        report = await import_tables(uow, read_tables(path), apply=True)
    assert not report.ok and "单位编码只能包含" in "\n".join(map(str, report.errors))
    assert not factory.db.units


def test_file_names_of_replies_cannot_leave_the_folder() -> None:
    from handlers.core.types import DocumentReply, PhotoReply, safe_filename

    assert safe_filename("summary_../x_2026.xlsx") == "summary_.._x_2026.xlsx"
    assert DocumentReply("../../etc/passwd", b"").filename == "_.._etc_passwd"
    assert PhotoReply("..", b"").filename == "file"
    assert "/" not in safe_filename("a/b\\c") and "\\" not in safe_filename("a/b\\c")


def test_an_endless_or_huge_file_is_refused_without_reading_it_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from handlers.org import importing

    with pytest.raises(ImportFileError, match="not a regular file"):
        read_tables(Path("/dev/zero"))
    monkeypatch.setattr(importing, "MAX_IMPORT_BYTES", 100)
    big = tmp_path / "big.csv"
    big.write_text("单位编码,单位名称,上级单位编码,层级\n" + "A,甲,,市\n" * 50, encoding="utf-8")
    with pytest.raises(ImportFileError, match="larger than"):
        read_tables(big)
    monkeypatch.setattr(importing, "MAX_IMPORT_BYTES", 10_000)
    monkeypatch.setattr(importing, "MAX_IMPORT_ROWS", 10)
    with pytest.raises(ImportFileError, match="more than 10 rows"):
        read_tables(big)
