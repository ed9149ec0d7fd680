"""Size limits of docs/architecture.md: no module over 400 lines and no function over 60 in
``handlers/``, ``storage/``, ``bot/`` and ``knowledge/`` (Alembic revisions excepted: they are
written once and never read as code). A function may run longer only with a comment on its
``def`` line that starts with ``# long:`` and says why."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("handlers", "storage", "bot", "knowledge")
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


def oversized(root: Path, packages: tuple[str, ...] = PACKAGES) -> list[str]:
    """Every module and function over its limit, one line each."""
    found: list[str] = []
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            if "migrations/versions" in path.as_posix():
                continue
            source = path.read_text(encoding="utf-8")
            lines = source.splitlines()
            name = path.relative_to(root).as_posix()
            if len(lines) > MAX_MODULE_LINES:
                found.append(f"{name}: {len(lines)} lines (at most {MAX_MODULE_LINES})")
            for node in ast.walk(ast.parse(source, filename=name)):
                if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > MAX_FUNCTION_LINES and "# long:" not in lines[node.lineno - 1]:
                    found.append(f"{name}:{node.lineno} {node.name}: {length} lines")
    return found


def test_no_module_or_function_is_over_its_limit() -> None:
    offenders = oversized(ROOT)
    assert not offenders, "\n".join(offenders)


def test_the_check_finds_a_long_function_and_honours_a_reason(tmp_path: Path) -> None:
    body = "".join(f"    x{i} = {i}\n" for i in range(MAX_FUNCTION_LINES))
    (tmp_path / "handlers").mkdir()
    (tmp_path / "handlers" / "long.py").write_text(f"def f() -> None:\n{body}", encoding="utf-8")
    assert oversized(tmp_path, ("handlers",)) == ["handlers/long.py:1 f: 61 lines"]
    (tmp_path / "handlers" / "long.py").write_text(
        f"def f() -> None:  # long: one table, read top to bottom\n{body}", encoding="utf-8"
    )
    assert oversized(tmp_path, ("handlers",)) == []
