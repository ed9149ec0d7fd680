"""Loading and validating rule-base folders."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from knowledge import checks
from knowledge.checks import render_periods
from knowledge.documents import Registry, load_registry, parse_registry
from knowledge.normalize import normalise
from knowledge.sanctions import load_sanctions
from knowledge.schema import Entry, RuleFile

BUILTIN_RULES = Path(__file__).parent / "rules"
#: An extra rule folder may hold its own registry of the (local) documents it cites.
LOCAL_DOCUMENTS = "documents.yaml"
# libyaml's safe loader when PyYAML was built with it (the wheels are): ten times faster on
# a large rule base; the pure-Python one otherwise.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class LoadResult:
    """Entries that loaded, and every problem found (empty when the base is valid)."""

    entries: list[Entry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    files: int = 0
    registry: Registry | None = None

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return not self.problems


class RuleBaseError(RuntimeError):
    """The rule base has problems; the message lists them."""


def rule_files(dirs: Iterable[Path]) -> list[Path]:
    """All YAML files under the folders, in a stable order."""
    out: list[Path] = []
    for d in dirs:
        if d.is_file():
            out.append(d)
        elif d.is_dir():
            out.extend(
                sorted(
                    p
                    for p in d.rglob("*")
                    if p.suffix in (".yaml", ".yml") and p.name != LOCAL_DOCUMENTS
                )
            )
    return out


def registry_for(extra_dirs: Sequence[Path], problems: list[str]) -> Registry:
    """The built-in registry plus each extra folder's own ``documents.yaml`` (local rules
    cite local documents); a clash of ids is a problem."""
    base = load_registry()
    docs = list(base.documents.values())
    for d in extra_dirs:
        path = d / LOCAL_DOCUMENTS
        if not path.is_file():
            continue
        try:
            docs += parse_registry(path.read_text(encoding="utf-8")).documents.values()
        except (yaml.YAMLError, ValidationError, UnicodeDecodeError) as exc:
            problems.append(f"{path}: not a valid document registry: {exc}")
    return Registry(docs, base.as_of)


def load_rules(extra_dirs: Sequence[Path] = (), include_builtin: bool = True) -> LoadResult:
    """Load and validate the built-in rule base plus ``extra_dirs``."""
    dirs = ([BUILTIN_RULES] if include_builtin else []) + list(extra_dirs)
    result = LoadResult()
    for d in extra_dirs:
        if not d.exists():
            result.problems.append(f"{d}: folder does not exist")
    for path in rule_files(dirs):
        result.files += 1
        try:
            raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_SafeLoader)
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            result.problems.append(f"{path}: not valid YAML/UTF-8: {exc}")
            continue
        try:
            parsed = RuleFile.model_validate(raw)
        except ValidationError as exc:
            for err in exc.errors():
                where = ".".join(str(p) for p in err["loc"])
                entry_id = _entry_id(raw, err["loc"])
                result.problems.append(f"{path}: {where}{entry_id}: {err['msg']}")
            continue
        result.entries.extend(parsed.entries)
    result.problems.extend(cross_check(result.entries))
    sanctions = load_sanctions()
    result.entries = [render_periods(e, sanctions) for e in result.entries]
    result.registry = registry_for(extra_dirs, result.problems)
    result.problems.extend(checks.problems(result.entries, result.registry, sanctions))
    return result


def _entry_id(raw: object, loc: tuple[int | str, ...]) -> str:
    try:
        if loc[0] == "entries" and isinstance(raw, dict):
            return f" (id {raw['entries'][int(loc[1])].get('id')})"
    except (KeyError, IndexError, TypeError, ValueError, AttributeError):
        pass
    return ""


def cross_check(entries: Sequence[Entry]) -> list[str]:
    """Problems that span entries: duplicate ids and questions, dangling ``see_also``."""
    problems: list[str] = []
    ids: dict[str, int] = {}
    for e in entries:
        ids[e.id] = ids.get(e.id, 0) + 1
    problems += [f"duplicate id {i} ({n} entries)" for i, n in ids.items() if n > 1]
    owner: dict[str, str] = {}
    for e in entries:
        for q in e.questions:
            key = normalise(q)
            if key in owner and owner[key] != e.id:
                problems.append(f"duplicate question {q!r} in {owner[key]} and {e.id}")
            owner.setdefault(key, e.id)
        for ref in e.see_also:
            if ref not in ids:
                problems.append(f"{e.id}: see_also refers to unknown entry {ref}")
    for group in load_twins():
        problems += [f"twins.yaml: unknown entry {ref}" for ref in group if ref not in ids]
    return problems


TWINS = Path(__file__).parent / "data" / "twins.yaml"


def load_twins() -> list[list[str]]:
    """Groups of entries that answer the same question from two texts (``twins.yaml``)."""
    return _read_twins(TWINS)


def _read_twins(path: Path) -> list[list[str]]:
    if not path.is_file():
        return []
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return [[str(i) for i in group] for group in data.get("groups") or []]


def load_valid(extra_dirs: Sequence[Path] = ()) -> LoadResult:
    """A valid rule base; raises :class:`RuleBaseError` listing all problems."""
    result = load_rules(extra_dirs)
    if not result.ok:
        raise RuleBaseError("rule base has problems:\n" + "\n".join(result.problems))
    return result


def load_or_raise(extra_dirs: Sequence[Path] = ()) -> list[Entry]:
    """Entries of a valid rule base; raises :class:`RuleBaseError` listing all problems."""
    return load_valid(extra_dirs).entries
