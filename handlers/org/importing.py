"""Bulk import of units and people from CSV or XLSX, validated row by row, all or nothing.

Offices keep two lists: units (code, name, parent code, level) and people (name, unit
code, post, section level, roles, optional Telegram id). Headers may be Chinese or
English. A CSV file holds one list (recognised by its headers); an XLSX workbook may hold
both, one per sheet. Every problem is reported with its row (line) number. Nothing is
written unless every row is valid, or the caller explicitly asks to skip the bad rows
(``skip_bad_rows``): then the good rows are written and the bad ones reported as skipped.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from handlers.core.domain import AuditEntry, Role, UnitLevel
from handlers.core.parsing import clean_display_name, valid_unit_code
from handlers.core.ports import UnitOfWork

HEADER_ALIASES = {
    "code": {"code", "unit_code", "单位编码", "单位代码", "编码"},
    "name": {"name", "unit_name", "单位名称", "名称", "单位"},
    "parent": {"parent", "parent_code", "上级单位编码", "上级编码", "上级单位"},
    "level": {"level", "层级", "级别", "单位层级"},
    "person": {"person", "person_name", "姓名", "人员姓名"},
    "unit": {"unit", "所在单位编码", "所属单位编码", "单位编码(人员)"},
    "post": {"post", "职务", "岗位"},
    "section_level": {"section_level", "科级以上", "是否科级以上"},
    "roles": {"roles", "role", "角色"},
    "telegram_id": {"telegram_id", "telegram", "telegram id", "tg"},
}
LEVELS = {
    "city": UnitLevel.CITY, "市": UnitLevel.CITY, "市级": UnitLevel.CITY,
    "county": UnitLevel.COUNTY, "县": UnitLevel.COUNTY, "区": UnitLevel.COUNTY,
    "县区": UnitLevel.COUNTY, "县(区)": UnitLevel.COUNTY, "县级": UnitLevel.COUNTY,
    "department": UnitLevel.DEPARTMENT, "部门": UnitLevel.DEPARTMENT, "单位": UnitLevel.DEPARTMENT,
    "township": UnitLevel.TOWNSHIP, "乡镇": UnitLevel.TOWNSHIP, "乡": UnitLevel.TOWNSHIP,
    "镇": UnitLevel.TOWNSHIP, "街道": UnitLevel.TOWNSHIP,
}  # fmt: skip
ROLE_NAMES = {
    "cadre": Role.CADRE, "干部": Role.CADRE, "领导干部": Role.CADRE,
    "unit_head": Role.UNIT_HEAD, "一把手": Role.UNIT_HEAD, "主要负责人": Role.UNIT_HEAD,
    "inspector": Role.INSPECTOR, "纪检": Role.INSPECTOR, "纪检监察干部": Role.INSPECTOR,
    "supervisor": Role.SUPERVISOR, "督查": Role.SUPERVISOR,
    "admin": Role.ADMIN, "管理员": Role.ADMIN,
}  # fmt: skip
YES = {"是", "yes", "y", "true", "1", "√", "✓"}
NO = {"否", "no", "n", "false", "0", ""}
MAX_CELL = 200


@dataclass(frozen=True)
class RowError:
    """One bad row: where it is and why."""

    sheet: str
    row: int
    reason: str

    def __str__(self) -> str:
        return f"{self.sheet} 第{self.row}行 (row {self.row}): {self.reason}"


@dataclass
class Table:
    """A list read from a file: its kind, and rows as dicts keyed by canonical header.

    ``short_rows`` maps the number of each row with fewer cells than the header (a CSV line
    cut off) to its cell count; such a row is an error, never read as blanks.
    """

    sheet: str
    kind: str
    rows: list[tuple[int, dict[str, str]]]
    short_rows: dict[int, int] = field(default_factory=dict)
    width: int = 0


@dataclass
class ImportReport:
    """What an import found and did."""

    errors: list[RowError] = field(default_factory=list)
    units: int = 0
    people: int = 0
    applied: bool = False

    @property
    def ok(self) -> bool:
        """True when no row was bad."""
        return not self.errors

    @property
    def bad_rows(self) -> list[tuple[str, int]]:
        """Each row with at least one problem, once, as (sheet, row number), in order."""
        return sorted({(e.sheet, e.row) for e in self.errors})


class ImportFileError(ValueError):
    """The file as a whole cannot be read."""


def _canonical(header: str) -> str | None:
    h = header.strip().lower()
    for key, names in HEADER_ALIASES.items():
        if h in {n.lower() for n in names}:
            return key
    return None


def _table(sheet: str, raw_rows: Iterable[list[object]], complete_rows: bool = False) -> Table:
    """Rows keyed by canonical header; with ``complete_rows`` (CSV) a row with fewer cells
    than the header is recorded in ``short_rows``: a spreadsheet leaves trailing cells
    empty, but a short CSV line is cut off, and its missing cells are not blanks."""
    it = iter(raw_rows)
    try:
        header = next(it)
    except StopIteration:
        raise ImportFileError(f"{sheet}: the file is empty") from None
    keys = [_canonical(str(h or "")) for h in header]
    if "person" in keys:
        keys = ["unit" if k == "code" else k for k in keys]  # 单位编码 in a people list
        kind = "people"
    elif "code" in keys and "name" in keys:
        kind = "units"
    else:
        raise ImportFileError(
            f"{sheet}: unrecognised headers {[str(h) for h in header]}; expected a units list "
            "(单位编码, 单位名称, 上级单位编码, 层级) or a people list (姓名, 单位编码, 职务, 科级以上, 角色)"
        )
    # Trailing empty header cells (a CSV saved with a trailing comma) are not columns.
    width = max((i + 1 for i, h in enumerate(header) if str(h or "").strip()), default=0)
    rows = []
    short: dict[int, int] = {}
    for number, raw in enumerate(it, start=2):
        if number > MAX_IMPORT_ROWS + 1:
            raise ImportFileError(f"{sheet}: more than {MAX_IMPORT_ROWS} rows; split the list")
        values = {
            k: ("" if v is None else str(v)).strip() for k, v in zip(keys, raw, strict=False) if k
        }
        if any(values.values()):
            rows.append((number, values))
            if complete_rows and len(raw) < width:
                short[number] = len(raw)
    return Table(sheet, kind, rows, short, width)


#: Limits of one import: an organisation list is far below them; anything above is refused
#: before it is read in full (a device such as /dev/zero never ends).
MAX_IMPORT_BYTES = 20 * 1024 * 1024
MAX_IMPORT_ROWS = 100_000


def _read_capped(path: Path) -> bytes:
    """The file's bytes, refusing anything that is not a regular file or is too large."""
    if not path.is_file():
        raise ImportFileError(f"{path.name}: not a regular file")
    with path.open("rb") as f:
        data = f.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise ImportFileError(
            f"{path.name}: larger than {MAX_IMPORT_BYTES // (1024 * 1024)} MiB; split the list"
        )
    return data


def read_tables(path: Path) -> list[Table]:
    """Read a CSV (UTF-8 or GBK) or XLSX file into tables (size and rows capped)."""
    data = _read_capped(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for damaged files
            raise ImportFileError(
                f"{path.name}: not a readable XLSX file ({type(exc).__name__})"
            ) from None
        tables = []
        for ws in wb.worksheets:
            rows = [list(r) for r in ws.iter_rows(values_only=True, max_row=MAX_IMPORT_ROWS + 2)]
            if rows:
                tables.append(_table(ws.title, rows))
        if not tables:
            raise ImportFileError(f"{path.name}: the workbook has no data")
        return tables
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportFileError(f"{path.name}: unknown text encoding (use UTF-8 or GBK)")
    return [_table(path.name, [list(r) for r in csv.reader(io.StringIO(text))], complete_rows=True)]


def _text(value: str, what: str, errors: list[str], required: bool = True) -> str:
    if required and not value:
        errors.append(f"{what} is empty / {what}为空")
    if len(value) > MAX_CELL:
        errors.append(f"{what} is too long / {what}过长")
    if any(ord(ch) < 32 for ch in value):
        errors.append(f"{what} contains control characters / {what}含控制字符")
    return value


def _short_row(t: Table, number: int) -> str | None:
    """The error for a row cut short, or None when the row is complete."""
    cells = t.short_rows.get(number)
    if cells is None:
        return None
    return (
        f"line has {cells} of the {t.width} columns; it looks cut off (write empty cells as"
        f" commas) / 该行只有 {cells} 列（表头 {t.width} 列），似乎被截断"
    )


def _pending_reason(code: str, pending: dict[str, tuple[str, int, str, UnitLevel, str]]) -> str:
    """Why a unit whose parent is in the file could not be placed: a true cycle, or a chain
    that ends at a parent which is missing or whose row has a problem."""
    parent = pending[code][4]
    seen = {code}
    step = parent
    while step in pending and step not in seen:
        seen.add(step)
        step = pending[step][4]
    if step in seen:
        return f"parent chain forms a cycle 上级单位循环: {parent}"
    return f"parent unit cannot be imported 上级单位无法导入: {parent}"


async def import_tables(
    uow: UnitOfWork, tables: list[Table], apply: bool, skip_bad_rows: bool = False
) -> ImportReport:
    """Validate every row, then write (in ``uow``; the caller commits) when ``apply``.

    By default nothing is written when any row has a problem. With ``skip_bad_rows`` the
    valid rows are written and the bad ones are left out; ``report.errors`` lists them
    either way. A row that depends on a bad row (a person in a unit whose row is bad, a
    unit under such a unit) is itself reported, so what is written is always consistent.
    """
    report = ImportReport()
    unit_tables = [t for t in tables if t.kind == "units"]
    people_tables = [t for t in tables if t.kind == "people"]
    new_units: dict[str, tuple[str, int, str, UnitLevel, str]] = {}
    bad_units: set[str] = set()  # codes on unit rows with a problem: never written
    for t in unit_tables:
        for number, row in t.rows:
            errs: list[str] = []
            code = row.get("code", "")
            short = _short_row(t, number)
            if short is not None:
                # The missing cells are unknown, not blank: checking them would only add noise.
                report.errors.append(RowError(t.sheet, number, short))
                if code and code not in new_units and not await uow.units.by_code(code):
                    bad_units.add(code)
                continue
            code = _text(code, "单位编码 code", errs)
            if code and not valid_unit_code(code):
                errs.append(
                    f"unit code {code[:40]!r} may hold only letters, digits, _ and - (at most 32)"
                    " / 单位编码只能包含字母、数字、_ 和 -"
                )
            name = clean_display_name(_text(row.get("name", ""), "单位名称 name", errs))
            parent = _text(row.get("parent", ""), "上级单位编码 parent", errs, required=False)
            level = LEVELS.get(row.get("level", "").strip().lower())
            if level is None:
                errs.append(f"unknown level 层级无效: {row.get('level', '')!r}")
            exists = bool(code) and (code in new_units or bool(await uow.units.by_code(code)))
            if exists:
                errs.append(f"unit code already exists 单位编码重复: {code}")
            for e in errs:
                report.errors.append(RowError(t.sheet, number, e))
            if errs:
                if code and not exists:  # an existing unit keeps its people and children
                    bad_units.add(code)
            elif level is not None:
                new_units[code] = (t.sheet, number, name, level, parent)
    # Parents must exist in the database or earlier/later in the file, without cycles.
    order: list[str] = []
    placed: set[str] = set()
    pending = dict(new_units)
    while pending:
        progress = False
        for code, (_sheet, _number, _name, _level, parent) in list(pending.items()):
            if (
                not parent
                or parent in placed
                or (
                    parent not in new_units
                    and parent not in bad_units
                    and await uow.units.by_code(parent)
                )
            ):
                order.append(code)
                placed.add(code)
                del pending[code]
                progress = True
        if not progress:
            for code, (sheet, number, _n, _l, parent) in pending.items():
                if parent in bad_units:
                    reason = f"parent unit's row has a problem 上级单位所在行有误: {parent}"
                elif parent not in new_units:
                    reason = f"parent unit not found 上级单位不存在: {parent}"
                else:
                    reason = _pending_reason(code, pending)
                report.errors.append(RowError(sheet, number, reason))
            break
    people_rows = []
    seen_people: set[tuple[str, str]] = set()
    seen_tg: set[int] = set()
    for t in people_tables:
        for number, row in t.rows:
            short = _short_row(t, number)
            if short is not None:
                report.errors.append(RowError(t.sheet, number, short))
                continue
            errs = []
            name = clean_display_name(_text(row.get("person", ""), "姓名 name", errs))
            unit_code = _text(row.get("unit", ""), "单位编码 unit", errs)
            post = _text(row.get("post", ""), "职务 post", errs, required=False)
            sl = row.get("section_level", "").strip().lower()
            if sl not in YES | NO:
                errs.append(f"科级以上 must be 是/否 (yes/no): {sl!r}")
            roles = []
            for r in (
                x
                for x in row.get("roles", "").replace("、", ",").replace("，", ",").split(",")
                if x.strip()
            ):
                role = ROLE_NAMES.get(r.strip().lower())
                if role is None:
                    errs.append(f"unknown role 角色无效: {r.strip()!r}")
                else:
                    roles.append(role)
            tg_raw = row.get("telegram_id", "").strip()
            tg: int | None = None
            if tg_raw:
                if tg_raw.endswith(".0"):
                    tg_raw = tg_raw[:-2]  # spreadsheets turn ids into floats
                if not tg_raw.isdecimal() or len(tg_raw) > 15:
                    errs.append(f"Telegram ID must be a number: {tg_raw!r}")
                else:
                    tg = int(tg_raw)
                    if tg in seen_tg or await uow.people.by_telegram_id(tg):
                        errs.append(f"Telegram ID already used 已被使用: {tg}")
                    seen_tg.add(tg)
            # Only units that will be written (or exist) can hold people: a unit whose row
            # or parent chain is bad is left out, and so must its people be.
            if unit_code and unit_code not in placed:
                if unit_code in new_units or unit_code in bad_units:
                    errs.append(f"unit's row has a problem 所在单位行有误: {unit_code}")
                elif not await uow.units.by_code(unit_code):
                    errs.append(f"unit not found 单位不存在: {unit_code}")
            if (name, unit_code) in seen_people:
                errs.append(f"duplicate person in file 人员重复: {name}")
            seen_people.add((name, unit_code))
            for e in errs:
                report.errors.append(RowError(t.sheet, number, e))
            if not errs:
                people_rows.append((name, unit_code, post, sl in YES, roles or [Role.CADRE], tg))
    report.units = len(order)
    report.people = len(people_rows)
    if not apply or (report.errors and not skip_bad_rows):
        return report
    ids: dict[str, int] = {}
    for code in order:
        _sheet, _number, name, level, parent = new_units[code]
        parent_id = ids.get(parent) if parent else None
        if parent and parent_id is None:
            existing = await uow.units.by_code(parent)
            parent_id = existing.id if existing else None
        unit = await uow.units.add(code, name, level, parent_id)
        ids[code] = unit.id
    for name, unit_code, post, section, roles, tg in people_rows:
        unit_id = ids.get(unit_code)
        if unit_id is None:
            u = await uow.units.by_code(unit_code)
            assert u is not None
            unit_id = u.id
        person = await uow.people.add(name, unit_id, post, section, tg)
        for role in roles:
            await uow.people.grant(person.id, role, unit_id)
    report.applied = True
    return report


#: The audit action of an organisation import, whoever runs it (command line or chat).
IMPORT_AUDIT_ACTION = "org.imported"


def import_audit_entry(
    report: ImportReport,
    files: Iterable[str],
    at: datetime,
    actor_id: int | None = None,
    chat_id: int | None = None,
    via: str = "cli",
) -> AuditEntry:
    """The audit entry for an applied import: counts and file names, never row content.

    The command line has no person behind it, so its entries have no actor or chat (like
    ``lianzheng admin``) and say ``via: cli``.
    """
    return AuditEntry(
        action=IMPORT_AUDIT_ACTION,
        actor_id=actor_id,
        chat_id=chat_id,
        object_type="org",
        object_id="",
        unit_id=None,
        details={
            "units": report.units,
            "people": report.people,
            "skipped_rows": len(report.bad_rows),
            "files": [Path(f).name for f in files],
            "via": via,
        },
        at=at,
    )
