"""Bulk import of units and people from XLSX and CSV: row report, all or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from handlers.core.domain import Role
from handlers.org.importing import ImportFileError, import_tables, read_tables
from tests.handlers.core.fakes import FakeUnitOfWorkFactory


def workbook(
    path: Path, people_rows: list[list[object]], unit_rows: list[list[object]] | None = None
) -> Path:
    """A workbook with a city T, its county T1 and ``unit_rows``, and ``people_rows``."""
    wb = Workbook()
    units = wb.active
    units.title = "单位"
    units.append(["单位编码", "单位名称", "上级单位编码", "层级"])
    units.append(["T", "某市", None, "市"])
    units.append(["T1", "某县", "T", "县"])
    for row in unit_rows or []:
        units.append(row)
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


PEOPLE_HEADER = "姓名,单位编码,职务,科级以上,角色,telegram_id\n"


async def _with_units(factory: FakeUnitOfWorkFactory) -> None:
    from handlers.core.domain import UnitLevel

    async with factory() as uow:
        city = await uow.units.add("T", "某市", UnitLevel.CITY, None)
        await uow.units.add("T1", "某县", UnitLevel.COUNTY, city.id)
        await uow.commit()


async def test_a_truncated_csv_line_is_an_error_naming_its_line(tmp_path: Path) -> None:
    """A CSV line cut off after 科级以上 used to import as a cadre with no Telegram id; the
    missing cells are unknown, not blank."""
    path = tmp_path / "people.csv"
    path.write_text(PEOPLE_HEADER + "甲,T1,县长,是,干部,7001\n乙,T1,科员,否\n", encoding="utf-8")
    factory = FakeUnitOfWorkFactory()
    await _with_units(factory)
    async with factory() as uow:
        report = await import_tables(uow, read_tables(path), apply=True)
    assert not report.ok and not report.applied
    assert [(e.row, "cut off" in e.reason) for e in report.errors] == [(3, True)]
    assert "第3行" in str(report.errors[0]) and "4 of the 6 columns" in str(report.errors[0])
    assert factory.db.people == {}


def test_a_trailing_comma_in_the_header_is_not_a_column(tmp_path: Path) -> None:
    path = tmp_path / "units.csv"
    path.write_text("单位编码,单位名称,上级单位编码,层级,\nG,某镇,,乡镇\n", encoding="utf-8")
    (table,) = read_tables(path)
    assert table.short_rows == {} and table.rows[0][1]["level"] == "乡镇"


async def test_skip_bad_rows_writes_the_good_rows_and_reports_the_rest(tmp_path: Path) -> None:
    """With the explicit flag the valid rows are written; a row that needs a bad row (a
    person in a bad unit, a unit under one) is reported and left out too."""
    units = tmp_path / "units.csv"
    units.write_text(
        "单位编码,单位名称,上级单位编码,层级\n"
        "A,甲县,T,县\n"  # 2: good
        "B,乙县,T,皇帝\n"  # 3: bad level
        "C,丙镇,B,乡镇\n"  # 4: parent's row is bad
        "D,丁镇,C,乡镇\n"  # 5: parent cannot be imported
        "X,戊镇,Y,乡镇\n"  # 6: cycle
        "Y,己镇,X,乡镇\n"  # 7: cycle
        "E,庚镇\n",  # 8: cut off
        encoding="utf-8",
    )
    people = tmp_path / "people.csv"
    people.write_text(
        PEOPLE_HEADER + "张三,A,镇长,是,一把手,\n李四,B,科员,否,,\n王五,E,科员,否,,\n",
        encoding="utf-8",
    )
    factory = FakeUnitOfWorkFactory()
    await _with_units(factory)
    tables = read_tables(units) + read_tables(people)
    async with factory() as uow:
        refused = await import_tables(uow, tables, apply=True)
    assert not refused.applied and len(factory.db.units) == 2  # the default: nothing
    async with factory() as uow:
        report = await import_tables(uow, tables, apply=True, skip_bad_rows=True)
        await uow.commit()
    assert report.applied and (report.units, report.people) == (1, 1)
    assert report.bad_rows == [("people.csv", 3), ("people.csv", 4)] + [
        ("units.csv", n) for n in range(3, 9)
    ]
    reasons = {(e.sheet, e.row): e.reason for e in report.errors}
    assert "上级单位所在行有误: B" in reasons[("units.csv", 4)]
    assert "上级单位无法导入: C" in reasons[("units.csv", 5)]
    assert "循环" in reasons[("units.csv", 6)] and "循环" in reasons[("units.csv", 7)]
    assert "cut off" in reasons[("units.csv", 8)]
    assert "所在单位行有误: B" in reasons[("people.csv", 3)]
    assert "所在单位行有误: E" in reasons[("people.csv", 4)]
    assert sorted(u.code for u in factory.db.units.values()) == ["A", "T", "T1"]
    assert [p.name for p in factory.db.people.values()] == ["张三"]


async def test_the_same_people_imported_twice_are_listed_once(tmp_path: Path) -> None:
    path = workbook(tmp_path / "org.xlsx", [["甲", "T1", "县长", "是", "", None]])
    factory = FakeUnitOfWorkFactory()
    async with factory() as uow:
        assert (await import_tables(uow, read_tables(path), apply=True)).ok
        await uow.commit()
    people_only = tmp_path / "people.xlsx"
    wb = Workbook()
    sheet = wb.active
    sheet.title = "人员"
    sheet.append(["姓名", "单位编码", "职务", "科级以上", "角色", "telegram_id"])
    sheet.append(["甲", "T1", "县长", "是", "", None])
    sheet.append(["乙", "T1", "科员", "否", "", 0])  # 0 is no Telegram id
    wb.save(people_only)
    async with factory() as uow:
        report = await import_tables(uow, read_tables(people_only), apply=True, skip_bad_rows=True)
        await uow.commit()
    text = "\n".join(str(e) for e in report.errors)
    assert "该单位已有此人: 甲" in text and "Telegram ID must be a number: '0'" in text
    assert sorted(p.name for p in factory.db.people.values()) == ["甲"]


@pytest.mark.parametrize(
    ("rows", "problem"),
    [
        (
            [["T2", "某镇", "T1", "乡镇"], ["T3", "又一市", "T2", "市"]],
            "a city cannot stand under a township",
        ),
        (
            [["T2", "某局", "T1", "部门"], ["T3", "某县", "T2", "县"]],
            "a county cannot stand under a department",
        ),
        ([["T2", "某乡", None, "乡"]], "a township needs its county as parent unit"),
    ],
)
async def test_a_unit_must_stand_under_a_higher_level(
    tmp_path: Path, rows: list[list[object]], problem: str
) -> None:
    path = workbook(tmp_path / "units.xlsx", [], rows)
    factory = FakeUnitOfWorkFactory()
    async with factory() as uow:
        report = await import_tables(uow, read_tables(path), apply=True)
    assert problem in "\n".join(str(e) for e in report.errors)
    assert not report.applied and factory.db.units == {}


async def test_a_notes_sheet_beside_the_lists_is_left_alone(tmp_path: Path) -> None:
    path = workbook(tmp_path / "org.xlsx", [["甲", "T1", "县长", "是", "", None]])
    from openpyxl import load_workbook

    wb = load_workbook(path)
    notes = wb.create_sheet("说明", 0)
    notes.append(["这是说明"])
    notes.append(["请按模板填写"])
    wb.save(path)
    factory = FakeUnitOfWorkFactory()
    async with factory() as uow:
        report = await import_tables(uow, read_tables(path), apply=True)
    assert report.ok and (report.units, report.people) == (2, 1)
    only_notes = tmp_path / "notes.xlsx"
    wb = Workbook()
    wb.active.append(["这是说明"])
    wb.save(only_notes)
    with pytest.raises(ImportFileError, match="unrecognised headers"):
        read_tables(only_notes)
