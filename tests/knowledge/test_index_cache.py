"""The on-disk index cache: used when nothing changed, rebuilt when anything did."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from knowledge import index_cache, startup
from knowledge.startup import load_knowledge_base

EXTRA = """
entries:
  - id: local.cache.one
    topic: integrity.rules
    title: 缓存测试规定
    questions: [缓存测试规定是什么, 缓存规定, 测试缓存的规定, 缓存条目内容, 本地缓存规定]
    keywords: [缓存测试规定]
    answer: 这是用于测试索引缓存的规定。
    basis:
      - doc: integrity_code_2015
"""


def _cache_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("kb-*.pickle"))


def test_a_restart_reads_the_cache_instead_of_rebuilding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    first = load_knowledge_base(cache_dir=cache)
    (written,) = _cache_files(cache)
    assert stat.S_IMODE(written.stat().st_mode) == 0o600

    def no_rebuild(*_: object) -> None:
        raise AssertionError("rebuilt although nothing changed")

    monkeypatch.setattr(startup, "load_valid", no_rebuild)
    second = load_knowledge_base(cache_dir=cache)
    for q in ("诫勉谈话后多久不能提拔", "收了礼金怎么办", "今天天气怎么样"):
        a, b = first.decide(q), second.decide(q)
        assert (a.status, [c.entry.id for c in a.candidates]) == (
            b.status,
            [c.entry.id for c in b.candidates],
        )


def test_a_changed_rule_file_gives_a_new_index(tmp_path: Path) -> None:
    cache, rules = tmp_path / "cache", tmp_path / "rules"
    rules.mkdir()
    (rules / "local.yaml").write_text(EXTRA, encoding="utf-8")
    kb = load_knowledge_base([rules], cache_dir=cache)
    assert "local.cache.one" in kb.entries
    (rules / "local.yaml").write_text(EXTRA.replace("local.cache.one", "local.cache.two"), "utf-8")
    kb = load_knowledge_base([rules], cache_dir=cache)
    assert "local.cache.two" in kb.entries and "local.cache.one" not in kb.entries
    assert len(_cache_files(cache)) == 2


def test_a_damaged_cache_file_is_rebuilt_not_fatal(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_knowledge_base(cache_dir=cache)
    (written,) = _cache_files(cache)
    written.write_bytes(b"not a pickle")
    kb = load_knowledge_base(cache_dir=cache)
    assert kb.decide("诫勉谈话后多久不能提拔").best is not None
    assert written.read_bytes() != b"not a pickle"


def test_the_key_covers_the_indexing_code_and_data(tmp_path: Path) -> None:
    f = tmp_path / "a.yaml"
    f.write_text("x", encoding="utf-8")
    key = index_cache.content_key([f])
    f.write_text("y", encoding="utf-8")
    assert index_cache.content_key([f]) != key
    inputs = {p.name for p in startup.index_inputs()}
    assert {"synonyms.yaml", "stopwords.txt", "documents.yaml", "sanctions.yaml"} <= inputs


def test_old_cache_files_are_pruned(tmp_path: Path) -> None:
    for i in range(5):
        index_cache.save(tmp_path, f"k{i}", {"i": i})
    assert len(_cache_files(tmp_path)) == 3


def test_a_cached_index_scores_exactly_as_the_one_it_was_built_from(tmp_path: Path) -> None:
    # The cached index keeps only what a query reads (packed postings, slimmed documents):
    # every score must survive the round trip unchanged, not just the first answer.
    cache = tmp_path / "cache"
    built = load_knowledge_base(cache_dir=cache, semantic=False)
    cached = index_cache.load(cache, _cache_files(cache)[0].stem[3:], type(built))
    assert cached is not None and cached is not built
    for q in ("诫勉谈话后多久不能提拔", "儿子结婚能摆几桌", "公车私用怎么处分", "今天天气怎么样"):
        assert built.score(q, limit=20) == cached.score(q, limit=20)
        assert built.rank(q).out_of_scope == cached.rank(q).out_of_scope
