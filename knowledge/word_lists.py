"""The word lists the query analyzer reads from ``knowledge/data``: aliases and shorthand
(``synonyms.yaml``), stopwords, everyday words jieba lacks (``plain_words.txt``) and
dictionary words that are two words as people type here (``split_words.txt``)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from knowledge import DATA_DIR
from knowledge.normalize import normalise


class AliasTable:
    """Rewrites variants (aliases, typos, English words) to canonical terms."""

    def __init__(self, mapping: dict[str, list[str]]) -> None:
        pairs: list[tuple[str, str]] = []
        for canonical, variants in mapping.items():
            for v in variants:
                key = normalise(v)
                if key and key != canonical:
                    # A variant that already contains its term (公车私用 of 公车, 处分决定 of
                    # 处分) says more than the term: it stays as typed, so its extra words
                    # (私用, 决定) still count; it is listed only to keep a shorter variant
                    # from rewriting part of it.
                    pairs.append((key, key if canonical in key else canonical))
        # Canonical terms map to themselves, so a variant that is a prefix of one (诫勉谈 of
        # 诫勉谈话) cannot rewrite the canonical term itself into 诫勉谈话话.
        rewritten = {k for k, _ in pairs}
        pairs += [(c, c) for c in mapping if c and c not in rewritten]
        # Longest variant first, so 诫勉谈话 wins over 诫勉.
        pairs.sort(key=lambda p: -len(p[0]))
        self.pairs = pairs
        self.canonical = sorted(mapping)
        self._pattern = re.compile("|".join(re.escape(k) for k, _ in pairs)) if pairs else None
        self._lookup = dict(pairs)

    @classmethod
    def load(cls, path: Path = DATA_DIR / "synonyms.yaml", section: str = "aliases") -> AliasTable:
        """Load one section of ``synonyms.yaml`` (``aliases`` or ``shorthand``)."""
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return cls({str(k): [str(v) for v in vs] for k, vs in (data.get(section) or {}).items()})

    def rewrite(self, text: str) -> str:
        """Replace every variant in already-normalised ``text`` with its canonical term."""
        if self._pattern is None:
            return text
        return self._pattern.sub(self._replacement, text)

    def _replacement(self, match: re.Match[str]) -> str:
        """The canonical term for a matched variant; a variant that begins or ends with a
        Latin letter stays as typed inside a longer Latin word: dy (抖音) must not rewrite
        study into stu抖音. (Checked here rather than by lookarounds in the pattern, which
        made every rewrite four times slower.)"""
        key, text = match.group(0), match.string
        start, end = match.span()
        if _latin(key[0]) and start > 0 and _latin(text[start - 1]):
            return key
        if _latin(key[-1]) and end < len(text) and _latin(text[end]):
            return key
        return self._lookup[key]


def _latin(ch: str) -> bool:
    """Whether ``ch`` is a Latin letter (a-z after normalising)."""
    return ch.isascii() and ch.isalpha()


def _word_list(path: Path) -> frozenset[str]:
    """The words of a list file, one per line; blank lines and ``#`` comments are skipped."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


def load_stopwords(path: Path = DATA_DIR / "stopwords.txt") -> frozenset[str]:
    """The stopword list, one word per line."""
    return _word_list(path)


def load_plain_words(path: Path = DATA_DIR / "plain_words.txt") -> frozenset[str]:
    """Everyday words jieba's dictionary lacks (年中, 住建局) or that a domain term would take
    characters from (科室 in 春节前科室), one per line: they segment whole, so typo repair
    never reads them as a sound-alike of a term."""
    return _word_list(path)


def load_split_words(path: Path = DATA_DIR / "split_words.txt") -> frozenset[str]:
    """Words jieba's dictionary holds whole that in questions typed here are two words
    (才干两年 is 才 干 两年, 能干副业吗 is 能 干 副业), one per line."""
    return _word_list(path)
