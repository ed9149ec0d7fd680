"""Loading and validating rule-base folders."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from knowledge.normalize import normalise
from knowledge.schema import Entry, RuleFile

BUILTIN_RULES = Path(__file__).parent / "rules"


@dataclass
class LoadResult:
    """Entries that loaded, and every problem found (empty when the base is valid)."""

    entries: list[Entry] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    files: int = 0

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
            out.extend(sorted(p for p in d.rglob("*") if p.suffix in (".yaml", ".yml")))
    return out


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
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
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
    return problems


def load_or_raise(extra_dirs: Sequence[Path] = ()) -> list[Entry]:
    """Entries of a valid rule base; raises :class:`RuleBaseError` listing all problems."""
    result = load_rules(extra_dirs)
    if not result.ok:
        raise RuleBaseError("rule base has problems:\n" + "\n".join(result.problems))
    return result.entries
