"""Loading the rule base at start: validated rule files, the index cache, the vector store.

:func:`load_knowledge_base` is what the bot, the command line and the tests call: it reads
a cached index built from the same files when there is one (:mod:`knowledge.index_cache`),
else validates the rule files, builds the index and caches it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import yaml

from knowledge import DATA_DIR, index_cache
from knowledge.decision import Thresholds
from knowledge.loader import BUILTIN_RULES, LOCAL_DOCUMENTS, load_valid, rule_files
from knowledge.retrieval import KnowledgeBase
from knowledge.schema import OutOfScopeFile
from knowledge.semantic import VectorStore, user_cache_dir


def load_out_of_scope(path: Path = DATA_DIR / "out_of_scope.yaml") -> list[str]:
    """Examples of questions to decline."""
    if not path.exists():
        return []
    data = OutOfScopeFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    return data.examples


def index_inputs(extra_dirs: Sequence[Path] = ()) -> list[Path]:
    """Every file the built index depends on (the cache key is taken over these)."""
    data = [DATA_DIR / n for n in _DATA_FILES]
    local = [d / LOCAL_DOCUMENTS for d in extra_dirs]
    return [*rule_files([BUILTIN_RULES, *extra_dirs]), *data, *local]


_DATA_FILES = (
    "synonyms.yaml",
    "stopwords.txt",
    "plain_words.txt",
    "split_words.txt",
    "case_patterns.yaml",
    "out_of_scope.yaml",
    "documents.yaml",
    "sanctions.yaml",
    "decision_model.yaml",
    "decision_model_lexical.yaml",
    "twins.yaml",
    "english.yaml",
)


def load_knowledge_base(
    extra_dirs: Sequence[Path] = (),
    thresholds: Thresholds | None = None,
    cache_dir: Path | None = None,
    vector_dir: Path | None = None,
    semantic: bool = True,
) -> KnowledgeBase:
    """Load, validate and index the built-in rule base plus extra folders.

    With ``cache_dir``, a base built before from the same files is read back instead of
    rebuilt (see :mod:`knowledge.index_cache`); a new build is written there. Phrase
    vectors are kept in ``vector_dir`` (default: the user's cache folder). Without
    ``semantic`` the index has no meaning signal (the lexical-only mode).
    """
    key = index_cache.content_key(index_inputs(extra_dirs)) if cache_dir else ""
    key += "" if semantic else "-lexical"
    if cache_dir is not None:
        cached = index_cache.load(cache_dir, key, KnowledgeBase)
        if cached is not None:
            if thresholds is not None:
                cached.thresholds = thresholds
            cached.analyzer.words("预热")  # load jieba now, not on the first question
            return cached
    result = load_valid(extra_dirs)
    kb = KnowledgeBase(
        result.entries,
        load_out_of_scope(),
        thresholds,
        registry=result.registry,
        # Phrase vectors are a function of the text alone: kept apart from the index so a
        # rule edit re-encodes only the phrases it changed. A store of its own, dropped
        # after the build: the index keeps its matrix, the process need not keep both.
        vectors=VectorStore(vector_dir or user_cache_dir()),
        semantic=semantic,
    )
    if cache_dir is not None:
        index_cache.save(cache_dir, key, kb)
    return kb
