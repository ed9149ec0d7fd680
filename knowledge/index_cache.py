"""An on-disk cache of the built knowledge base, keyed by the content it was built from.

Building the index means parsing and validating every rule file and segmenting every
question and answer with jieba: seconds for a large rule base. The cache holds the built
:class:`~knowledge.retrieval.KnowledgeBase` (entries, postings, the tokenizer's word
frequencies) in one file named by a SHA-256 over every input: the rule files, the data
files the analyzer and checks read, and the source of the modules that build the index. A
restart with nothing changed reads that one file; any change to a rule, a synonym or the
indexing code gives another key, so a stale index is never used.

The cache file is a pickle, so the cache folder must be as trusted as the code itself:
it is created private to the user (0700), files are written 0600 and replaced atomically.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, TypeVar

log = logging.getLogger(__name__)

_KNOWLEDGE = Path(__file__).parent
#: Modules whose code shapes the built index: a change in any of them changes the key.
_CODE = (
    "retrieval.py",
    "decision.py",
    "decision_models.py",
    "index_parts.py",
    "question_context.py",
    "semantic.py",
    "startup.py",
    "text.py",
    "case_reading.py",
    "word_lists.py",
    "english.py",
    "normalize.py",
    "schema.py",
    "checks.py",
    "loader.py",
    "documents.py",
    "sanctions.py",
    "index_cache.py",
)
_PREFIX = "kb-"
_KEEP = 3  # cache files kept per folder (the newest), so a folder never grows without end

T = TypeVar("T")


def content_key(files: Iterable[Path]) -> str:
    """SHA-256 over the names and bytes of ``files`` plus the indexing code."""
    digest = hashlib.sha256()
    paths = [*files, *(_KNOWLEDGE / name for name in _CODE)]
    for path in paths:
        digest.update(str(path.name).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes() if path.is_file() else b"<missing>")
        digest.update(b"\0")
    return digest.hexdigest()[:32]


def load(folder: Path, key: str, kind: type[T]) -> T | None:
    """The cached object for ``key``, or None when absent, unreadable or of another type."""
    path = folder / f"{_PREFIX}{key}.pickle"
    try:
        with path.open("rb") as fh:
            value = pickle.load(fh)
    except FileNotFoundError:
        return None
    except Exception as exc:  # a truncated or foreign file: rebuild, never fail start-up
        log.warning("ignoring unreadable index cache %s: %s", path, exc)
        return None
    return value if isinstance(value, kind) else None


def save(folder: Path, key: str, value: object) -> Path | None:
    """Write ``value`` for ``key`` atomically; returns the path, or None if not writable."""
    path = folder / f"{_PREFIX}{key}.pickle"
    try:
        write_atomically(path, lambda fh: pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL))
    except OSError as exc:  # a read-only folder only costs the next start its speed
        log.warning("cannot write the index cache in %s: %s", folder, exc)
        return None
    _prune(folder)
    return path


def write_atomically(path: Path, write: Callable[[IO[bytes]], object]) -> None:
    """Write a file private to the user (folder 0700, file 0600) through a temporary file
    in the same folder, so a reader never sees it half-written; raises OSError."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _prune(folder: Path) -> None:
    files = sorted(folder.glob(f"{_PREFIX}*.pickle"), key=lambda p: p.stat().st_mtime)
    for old in files[:-_KEEP]:
        old.unlink(missing_ok=True)
