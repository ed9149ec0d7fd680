"""Bulk import of units and people from CSV or XLSX, validated row by row, all or nothing.

Offices keep two lists: units (code, name, parent code, level) and people (name, unit
code, post, section level, roles, optional Telegram id). Headers may be Chinese or
English. A CSV file holds one list (recognised by its headers); an XLSX workbook may hold
both, one per sheet. Every problem is reported with its row (line) number. Nothing is
written unless every row is valid, or the caller explicitly asks to skip the bad rows
(``skip_bad_rows``): then the good rows are written and the bad ones reported as skipped.

This module reads the files and writes the audit entry; checking and writing the rows is
:mod:`handlers.org.import_check`, the shared types are :mod:`handlers.org.import_types`.
Callers import all of it from here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from handlers.core.domain import AuditEntry
from handlers.core.parsing import decode_text
from handlers.org.import_check import import_tables as import_tables
from handlers.org.import_types import ImportFileError as ImportFileError
from handlers.org.import_types import ImportReport as ImportReport
from handlers.org.import_types import RowError as RowError
from handlers.org.import_types import Table as Table

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
    "other_roles": {"other_roles", "其他单位的角色"},
}


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
        tables: list[Table] = []
        unread: list[ImportFileError] = []
        for ws in wb.worksheets:
            rows = [list(r) for r in ws.iter_rows(values_only=True, max_row=MAX_IMPORT_ROWS + 2)]
            if not rows:
                continue
            try:
                tables.append(_table(ws.title, rows))
            except ImportFileError as exc:
                unread.append(exc)
        # A template's notes sheet (说明) beside the lists is not an error; a workbook none of
        # whose sheets is a list is.
        if unread and not tables:
            raise unread[0]
        if not tables:
            raise ImportFileError(f"{path.name}: the workbook has no data")
        return tables
    text = decode_text(data)
    if text is None:
        raise ImportFileError(f"{path.name}: unknown text encoding (use UTF-8 or GBK)")
    return [_table(path.name, [list(r) for r in csv.reader(io.StringIO(text))], complete_rows=True)]


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
