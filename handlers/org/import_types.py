"""What an organisation import reads and reports: tables of rows, bad rows, the report.

Shared by reading the files (:mod:`handlers.org.importing`) and checking and writing their
rows (:mod:`handlers.org.import_check`).
"""

from __future__ import annotations

from dataclasses import dataclass, field


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
