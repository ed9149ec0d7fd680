"""The dependency rule between the capability packages of ``handlers/`` (docs/architecture.md).

Layers, lowest first: ``core``; ``calendar`` and ``org``; the features (``home``, ``qa``,
``records``, ``pledges``, ``reminders``, ``quiz``); ``eligibility`` (it judges the records),
``summary`` and ``shortcuts``; ``digest``; and ``registry``, which imports every capability. A package may import only from lower
layers; from a feature package it may import only what the package's ``__init__`` or its
``ports`` / ``domain`` modules offer (its public surface), never its other modules. Imports under
``TYPE_CHECKING`` count too. Package cycles fail however they arise.

``KNOWN`` lists imports allowed to break the rule, each with its reason; it is empty, and a
line may only be added with a reason in the change's note.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from itertools import pairwise
from pathlib import Path

import pytest

HANDLERS = Path(__file__).resolve().parents[1] / "handlers"

LAYERS: dict[str, int] = {
    "core": 0,
    "calendar": 1,
    "org": 1,
    "home": 2,
    "qa": 2,
    "records": 2,
    "pledges": 2,
    "reminders": 2,
    "quiz": 2,
    "eligibility": 3,
    "summary": 3,
    "shortcuts": 3,
    "digest": 4,
    "registry": 5,
}
PUBLIC = ("ports", "domain")
#: From this layer up, a package is a feature: others see only its public surface (the
#: shared base below it, ``core``, ``calendar`` and ``org``, is shared as a whole).
FEATURES = 2

#: Imports that break the rule today, each ``"importing module -> imported module"``.
#: Remove a line when its import is gone; never add one without a reason in the note.
KNOWN: dict[str, str] = {}


def handlers_imports(path: Path, root: Path) -> list[tuple[str, str]]:
    """``(importing module, imported module)`` for every ``handlers.`` import in ``path``,
    both relative to ``handlers`` (``records.talks``, ``eligibility.rules``)."""
    rel = path.relative_to(root).with_suffix("")
    parts = [p for p in rel.parts if p != "__init__"]
    me = ".".join(parts)
    found: list[tuple[str, str]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "handlers":
                found += [(me, a.name) for a in node.names]
            elif node.module.startswith("handlers."):
                target = node.module.removeprefix("handlers.")
                # ``from handlers.x import y``: y may be a module of package x.
                subs = [a.name for a in node.names if (root / target / f"{a.name}.py").exists()]
                found += [(me, f"{target}.{s}") for s in subs] or [(me, target)]
        elif isinstance(node, ast.Import):
            found += [
                (me, a.name.removeprefix("handlers."))
                for a in node.names
                if a.name.startswith("handlers.")
            ]
    return found


def violations(root: Path) -> list[str]:
    """Every import that breaks the rule, one line each (``a -> b: why``)."""
    out: list[str] = []
    for path in sorted(root.rglob("*.py")):
        for me, target in handlers_imports(path, root):
            src, dst = me.split(".")[0], target.split(".")[0]
            if src == dst or dst == "locales":
                continue
            if src not in LAYERS or dst not in LAYERS:
                out.append(f"{me} -> {target}: package not in the layer list")
                continue
            if LAYERS[dst] >= LAYERS[src]:
                out.append(f"{me} -> {target}: {dst} is not below {src}")
            elif (
                src != "registry"
                and LAYERS[dst] >= FEATURES
                and "." in target
                and target.split(".")[1] not in PUBLIC
            ):
                out.append(f"{me} -> {target}: not part of {dst}'s public surface")
    return out


def package_cycles(root: Path) -> list[str]:
    """Cycles between packages, as ``a -> b -> a``."""
    graph: dict[str, set[str]] = defaultdict(set)
    for path in root.rglob("*.py"):
        for me, target in handlers_imports(path, root):
            src, dst = me.split(".")[0], target.split(".")[0]
            if src != dst:
                graph[src].add(dst)
    cycles: list[str] = []
    for start in sorted(graph):
        stack = [(start, [start])]
        while stack:
            node, trail = stack.pop()
            for nxt in sorted(graph.get(node, ())):
                if nxt == start:
                    cycles.append(" -> ".join([*trail, start]))
                elif nxt not in trail and nxt > start:
                    stack.append((nxt, [*trail, nxt]))
    return cycles


def known(line: str) -> bool:
    """Whether a violation line is one of the listed exceptions."""
    return line.split(":")[0] in KNOWN


def test_every_import_follows_the_layers_and_public_surfaces() -> None:
    new = [v for v in violations(HANDLERS) if not known(v)]
    assert not new, "\n".join(new)


def test_the_known_exceptions_still_exist() -> None:
    """A fixed exception must leave the list, so the list only ever shrinks."""
    current = {v.split(":")[0] for v in violations(HANDLERS)}
    assert not set(KNOWN) - current, sorted(set(KNOWN) - current)


def test_no_package_cycles_beyond_the_known_exceptions() -> None:
    # Every cycle today runs through a KNOWN import; a cycle of other edges is new.
    new = [c for c in package_cycles(HANDLERS) if not _through_known(c)]
    assert not new, "\n".join(new)


def _through_known(cycle: str) -> bool:
    hops = cycle.split(" -> ")
    pairs = set(pairwise(hops))
    known_pairs = {
        (k.split(" -> ")[0].split(".")[0], k.split(" -> ")[1].split(".")[0]) for k in KNOWN
    }
    return bool(pairs & known_pairs)


@pytest.fixture
def fake_handlers(tmp_path: Path) -> Path:
    root = tmp_path / "handlers"
    for pkg in ("core", "records", "summary", "pledges"):
        (root / pkg).mkdir(parents=True)
        (root / pkg / "__init__.py").write_text("", encoding="utf-8")
    (root / "records" / "talks.py").write_text(
        "from handlers.core.context import Ctx\n", encoding="utf-8"
    )
    (root / "summary" / "figures.py").write_text(
        "from handlers.pledges.ports import PledgeRepo\n", encoding="utf-8"
    )
    return root


def test_a_clean_tree_passes(fake_handlers: Path) -> None:
    assert violations(fake_handlers) == []
    assert package_cycles(fake_handlers) == []


def test_a_bad_import_is_reported_in_one_line(fake_handlers: Path) -> None:
    """The test of the test: an upward import, an internal import and a cycle all fail."""
    (fake_handlers / "core" / "bad.py").write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from handlers.records.talks import render\n",
        encoding="utf-8",
    )
    (fake_handlers / "pledges" / "form.py").write_text("", encoding="utf-8")
    (fake_handlers / "summary" / "peek.py").write_text(
        "from handlers.pledges import form\n", encoding="utf-8"
    )
    found = violations(fake_handlers)
    assert "core.bad -> records.talks: records is not below core" in found
    assert "summary.peek -> pledges.form: not part of pledges's public surface" in found
    assert package_cycles(fake_handlers) == ["core -> records -> core"]
