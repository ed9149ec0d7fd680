"""Tables written as spreadsheets: an XLSX workbook (a sheet per table) and the same sheets
as CSV files in a zip. Every text cell a spreadsheet could take for a formula is neutralised
(CSV/formula injection), whoever typed it. Used by the summary export and the organisation
export alike."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

Cell = str | int | float | None

#: Characters that make a spreadsheet treat a cell as a formula (CSV/formula injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Sheet:
    """One section: a title, the header row and the data rows."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]


def safe(value: Cell) -> Cell:
    """The cell value with formula-looking text prefixed by ``'``; numbers unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _sheet_title(title: str, used: set[str]) -> str:
    # Excel: at most 31 characters, none of []:*?/\ , unique.
    clean = "".join("_" if ch in "[]:*?/\\" else ch for ch in title)[:31] or "Sheet"
    name, n = clean, 2
    while name in used:
        name = f"{clean[:28]}_{n}"
        n += 1
    used.add(name)
    return name


def to_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """The sheets as an XLSX workbook."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    used: set[str] = set()
    for sheet in sheets:
        ws = wb.create_sheet(_sheet_title(sheet.title, used))
        ws.append([safe(h) for h in sheet.headers])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            ws.append([safe(v) for v in row])
        ws.freeze_panes = "A2"
        for i, header in enumerate(sheet.headers, start=1):
            width = max([len(str(header))] + [len(str(r[i - 1] or "")) for r in sheet.rows[:200]])
            ws.column_dimensions[ws.cell(1, i).column_letter].width = min(4 + 1.8 * width, 60)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def to_csv_zip(sheets: Sequence[Sheet], stem: str) -> bytes:
    """The sheets as CSV files (UTF-8 with BOM, so Excel opens Chinese correctly) in a zip."""
    buffer = io.BytesIO()
    used: set[str] = set()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for i, sheet in enumerate(sheets, start=1):
            text = io.StringIO()
            writer = csv.writer(text)
            writer.writerow([safe(h) for h in sheet.headers])
            writer.writerows([safe(v) for v in row] for row in sheet.rows)
            name = _sheet_title(sheet.title, used)
            zf.writestr(f"{stem}/{i:02d}_{name}.csv", "\ufeff" + text.getvalue())
    return buffer.getvalue()
