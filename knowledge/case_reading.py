"""Reading a case told in a sentence: the conduct it describes, named in the rules' terms.

People rarely ask "收受礼品怎么处理"; they tell what happened: 包工头往我家门口放了两箱酒,
找辖区KTV老板周转了10万, 开单位皮卡拉装修材料. Listing every such phrase as an alias never
ends (两箱酒, 三瓶酒, 一箱茅台 …). A concept here is named by parts that combine: a giving
verb followed closely by a gift, a sum followed by borrowing, a unit's car with a verb of
driving it. When a question holds such a combination, the concept's term (the word the
rules are indexed under) is added to what the index reads (``Deciding.in_rule_terms``), and
the case's own words stay: they still tell the rules apart (酒 also belongs to the rule on
drinking at lunch).

The patterns live in ``data/case_patterns.yaml``; :class:`CaseReading` compiles them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from knowledge import DATA_DIR
from knowledge.normalize import normalise

#: Written in a pattern's parts, this stands for any amount or count (两, 10, 几, 三千).
NUMBER = "{数}"
_NUMBER_PATTERN = r"[\d.一二两三四五六七八九十几百千万]+"
#: In a pattern's word, what comes after this may not follow it (酒!店: a drink, not a hotel).
NOT_FOLLOWED_BY = "!"
#: How far apart (in characters) two parts of a pattern may be, unless the file says.
DEFAULT_GAP = 8


def _word_pattern(word: str) -> str:
    """A word of a pattern as a regular expression: :data:`NUMBER` reads as any amount,
    and characters after a ``!`` may not follow the word (酒!店吧 is 酒 but not 酒店)."""
    word, _, not_followed = word.partition(NOT_FOLLOWED_BY)
    body = _NUMBER_PATTERN.join(re.escape(normalise(p)) for p in word.split(NUMBER))
    return f"{body}(?![{re.escape(not_followed)}])" if not_followed else body


def _alternatives(words: Sequence[str]) -> str:
    """One regular-expression group matching any of ``words`` (longest first)."""
    ordered = sorted(set(words), key=len, reverse=True)
    return "(?:" + "|".join(_word_pattern(w) for w in ordered) + ")"


class _UniqueKeyLoader(yaml.SafeLoader):
    """A YAML reader that refuses a key written twice in one mapping: a concept listed
    twice would silently lose its first patterns."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[object, object]:
        keys = [self.construct_object(k, deep=deep) for k, _ in node.value]
        twice = sorted({str(k) for k in keys if keys.count(k) > 1})
        if twice:
            raise ValueError(f"written twice in {node.start_mark.name}: {', '.join(twice)}")
        return super().construct_mapping(node, deep=deep)


@dataclass(frozen=True)
class CasePattern:
    """Word groups that must appear in this order, each at most ``gap`` characters after
    the one before (a group matches any of its words)."""

    parts: tuple[tuple[str, ...], ...]
    gap: int = DEFAULT_GAP

    def __post_init__(self) -> None:
        # One part alone would be a phrase list: that is what the aliases are for.
        if len(self.parts) < 2 or not all(self.parts):
            raise ValueError(f"a case pattern needs two word groups or more, not {self.parts!r}")

    @classmethod
    def read(cls, raw: object, gap: int) -> CasePattern:
        """A pattern as the file writes it: a list of word lists, or a mapping with
        ``parts`` and its own ``gap`` (0 for words that must touch: 两箱酒)."""
        if isinstance(raw, dict):
            gap = int(raw.get("gap", gap))
            raw = raw.get("parts")
        if not isinstance(raw, list) or not all(isinstance(p, list) for p in raw):
            raise ValueError(f"a case pattern is a list of word lists, not {raw!r}")
        return cls(tuple(tuple(str(w) for w in part) for part in raw), gap)


class CaseReading:
    """Concept terms and the patterns that tell a question describes them."""

    def __init__(self, concepts: Mapping[str, Sequence[CasePattern]]) -> None:
        self._patterns: list[tuple[str, re.Pattern[str]]] = []
        for term, patterns in concepts.items():
            for pattern in patterns:
                joint = f".{{0,{pattern.gap}}}?"
                body = joint.join(_alternatives(p) for p in pattern.parts)
                self._patterns.append((term, re.compile(body)))

    @classmethod
    def load(cls, path: Path = DATA_DIR / "case_patterns.yaml") -> CaseReading:
        """The patterns of ``case_patterns.yaml``."""
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader) or {}
        gap = int(data.get("gap", DEFAULT_GAP))
        return cls(
            {
                str(term): [CasePattern.read(p, gap) for p in patterns]
                for term, patterns in (data.get("concepts") or {}).items()
            }
        )

    @property
    def terms(self) -> list[str]:
        """Every concept term, in file order."""
        return list(dict.fromkeys(term for term, _ in self._patterns))

    def concepts(self, text: str) -> list[str]:
        """The concept terms ``text`` describes and does not already name, in file order."""
        plain = normalise(text)
        found: list[str] = []
        for term, pattern in self._patterns:
            if term not in found and term not in plain and pattern.search(plain):
                found.append(term)
        return found
