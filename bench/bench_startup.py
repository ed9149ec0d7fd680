"""Start-up and query time of the rule base, at the built-in size and with 5,000 extra entries.

Each start is timed in a fresh Python process (imports, YAML parsing, validation, index,
jieba dictionary, and with the meaning signal the encoder and the phrase vectors), first
without a cache (cold: no index cache, an empty vector store, so every phrase is encoded),
then with the index cache written by the first (warm). Query time is the mean of
``decide`` over the labelled questions (every one different), after a warm-up, in the warm
process. Both modes are measured: with the meaning signal (the default) and lexical-only
(``KB_SEMANTIC=false``).

Run:  .venv/bin/python -m bench.bench_startup
Prints a Markdown table for BENCHMARKS.md.
"""

from __future__ import annotations

import itertools
import json
import random
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from knowledge.loader import load_or_raise

ROOT = Path(__file__).resolve().parents[1]
EXTRA = 5000

_CHILD = r"""
import json, sys, time
t0 = time.perf_counter()
from pathlib import Path
from knowledge.startup import load_knowledge_base
from knowledge.evaluation import load_labelled
extra = [Path(p) for p in json.loads(sys.argv[1])]
cache = Path(sys.argv[2]) if sys.argv[2] else None
kb = load_knowledge_base(
    extra, cache_dir=cache, vector_dir=Path(sys.argv[4]), semantic=sys.argv[5] == "1"
)
kb.decide("预热")
start = time.perf_counter() - t0
labelled, off = load_labelled(Path(sys.argv[3]))
queries = [x.query for x in labelled] + off
for q in queries[:30]:
    kb.decide(q)
t = time.perf_counter()
for q in queries:
    kb.decide(q)
mean = (time.perf_counter() - t) / len(queries) * 1000
print(json.dumps({"start": start, "query_ms": mean, "entries": len(kb.entries)}))
"""


def write_extra(folder: Path, n: int, seed: int = 11) -> None:
    """``n`` entries recombined from the real ones' words, as rule files of 500 entries."""
    rng = random.Random(seed)
    entries = load_or_raise()
    questions = [q for e in entries for q in e.questions]
    keywords = [k for e in entries for k in e.keywords]
    answers = [e.answer for e in entries]
    batch: list[dict[str, object]] = []
    for i in range(n):
        base = rng.choice(entries)
        batch.append(
            {
                "id": f"synthetic.e{i}",
                "topic": base.topic,
                "status": "current",
                "title": f"{rng.choice(keywords)}{rng.choice(keywords)}问题{i}"[:60],
                "questions": [f"{q}{i}" for q in rng.sample(questions, 5)],
                "keywords": rng.sample(keywords, 4),
                "answer": rng.choice(answers),
                "basis": [{"doc": "assistant_manual"}],
            }
        )
        if len(batch) == 500:
            (folder / f"extra_{i // 500:02d}.yaml").write_text(
                yaml.safe_dump({"entries": batch}, allow_unicode=True), encoding="utf-8"
            )
            batch = []


def run(
    extra: list[Path], cache: Path | None, labelled: Path, vectors: Path, semantic: bool
) -> dict[str, float]:
    """One fresh process: its start-up seconds and mean query milliseconds."""
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            _CHILD,
            json.dumps([str(p) for p in extra]),
            str(cache or ""),
            str(labelled),
            str(vectors),
            "1" if semantic else "0",
        ],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    """Run the four starts and print the table."""
    labelled = ROOT / "tests" / "data" / "qa_eval.yaml"
    with tempfile.TemporaryDirectory() as tmp:
        rules = Path(tmp) / "rules"
        rules.mkdir()
        write_extra(rules, EXTRA)
        print(
            "| mode | rule base | entries | cold start (no cache) | warm start (cache) "
            "| query, mean |"
        )
        print("|---|---|---|---|---|---|")
        sizes = (("built-in", []), (f"built-in + {EXTRA} generated", [rules]))
        for semantic, (label, extra) in itertools.product((True, False), sizes):
            name = f"{'semantic' if semantic else 'lexical'}-{len(extra)}"
            cache, vectors = Path(tmp) / f"cache-{name}", Path(tmp) / f"vectors-{name}"
            # Cold: no index cache and an empty vector store (the run fills it).
            cold = run(extra, None, labelled, vectors, semantic)
            run(extra, cache, labelled, vectors, semantic)  # writes the index cache
            warm = run(extra, cache, labelled, vectors, semantic)
            print(
                f"| {'meaning + words' if semantic else 'words only'} | {label} "
                f"| {warm['entries']:.0f} | {cold['start']:.2f} s | "
                f"{warm['start']:.2f} s | {warm['query_ms']:.2f} ms |"
            )


if __name__ == "__main__":
    main()
