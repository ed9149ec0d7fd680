"""The core must not depend on Telegram libraries or SQLAlchemy (see docs/architecture.md)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FORBIDDEN = ("telegram", "aiogram", "sqlalchemy")
CORE_PACKAGES = ("handlers", "knowledge")


def imported_modules(path: Path) -> set[str]:
    """Top-level names of every module imported by a Python file."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", CORE_PACKAGES)
def test_core_never_imports_frameworks_or_sql(package: str) -> None:
    offenders = {
        str(p.relative_to(ROOT)): sorted(imported_modules(p) & set(FORBIDDEN))
        for p in (ROOT / package).rglob("*.py")
    }
    offenders = {k: v for k, v in offenders.items() if v}
    assert offenders == {}


def test_checker_detects_a_forbidden_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from aiogram import types\nimport sqlalchemy.orm\n", encoding="utf-8")
    assert imported_modules(bad) & set(FORBIDDEN) == {"aiogram", "sqlalchemy"}


def test_no_module_shadows_a_framework() -> None:
    names = {p.stem for p in ROOT.glob("*/*.py")} | {p.name for p in ROOT.iterdir() if p.is_dir()}
    assert not names & set(FORBIDDEN)
