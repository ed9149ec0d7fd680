"""Retrieval benchmark of the words-only index: build time, query latency p50/p99, peak
memory, quality. (The meaning signal's costs are measured by ``bench.bench_startup``; here
it would only add the encoder's time to every figure and put thousands of generated
phrases into the user's vector store.)

Run on one core:  taskset -c 0 .venv/bin/python -m bench.bench_retrieval
Prints Markdown tables for BENCHMARKS.md.
"""

from __future__ import annotations

import random
import resource
import statistics
import time
from pathlib import Path

from knowledge.evaluation import evaluate, load_labelled
from knowledge.loader import load_or_raise
from knowledge.retrieval import KnowledgeBase
from knowledge.schema import Basis, Entry
from knowledge.startup import load_out_of_scope

EVAL = Path(__file__).resolve().parents[1] / "tests" / "data" / "qa_eval.yaml"


def synthetic(entries: list[Entry], n: int, seed: int = 7) -> list[Entry]:
    """``n`` entries made by recombining sentences of the real ones (realistic vocabulary)."""
    rng = random.Random(seed)
    questions = [q for e in entries for q in e.questions]
    keywords = [k for e in entries for k in e.keywords]
    answers = [e.answer for e in entries]
    out = []
    for i in range(n):
        qs = rng.sample(questions, 4)
        out.append(
            Entry(
                id=f"synthetic.e{i}",
                topic=rng.choice(entries).topic,
                title=f"{rng.choice(keywords)}{rng.choice(keywords)}问题{i}",
                questions=[f"{q}{i}" for q in qs],
                keywords=rng.sample(keywords, 4),
                answer=rng.choice(answers),
                basis=[Basis(doc="assistant_manual")],
            )
        )
    return out


def latency(kb: KnowledgeBase, queries: list[str]) -> tuple[float, float]:
    """p50 and p99 of ``kb.decide`` in milliseconds."""
    for q in queries[:20]:
        kb.decide(q)  # warm caches
    times = []
    for q in queries:
        t = time.perf_counter()
        kb.decide(q)
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[int(len(times) * 0.99) - 1]


def main() -> None:
    """Run and print the tables."""
    entries = load_or_raise()
    t0 = time.perf_counter()
    analyzer = KnowledgeBase.analyzer_for(entries)
    analyzer.words("预热")  # jieba dictionary load, once per process
    t_dict = time.perf_counter() - t0
    oos = load_out_of_scope()
    labelled, out_of_scope = load_labelled(EVAL)
    queries = [x.query for x in labelled] + out_of_scope

    t = time.perf_counter()
    kb = KnowledgeBase(entries, oos, analyzer=analyzer, semantic=False)
    t_build = time.perf_counter() - t
    p50, p99 = latency(kb, queries)

    big_entries = entries + synthetic(entries, 5000 - len(entries))
    t = time.perf_counter()
    big = KnowledgeBase(big_entries, oos, analyzer=analyzer, semantic=False)
    t_build_big = time.perf_counter() - t
    bp50, bp99 = latency(big, queries)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    print("| rule base | entries | index build | query p50 | query p99 |")
    print("|---|---|---|---|---|")
    print(f"| built-in | {len(entries)} | {t_build * 1000:.0f} ms | {p50:.2f} ms | {p99:.2f} ms |")
    print(
        f"| generated | {len(big_entries)} | {t_build_big:.1f} s | {bp50:.2f} ms | {bp99:.2f} ms |"
    )
    print()
    print(
        f"jieba dictionary load (once per process, before any index): {t_dict * 1000:.0f} ms; "
        f"peak RSS {peak:.0f} MiB; {len(queries)} queries per run"
    )
    print()
    m = evaluate(kb, labelled, out_of_scope)
    print("| measure | value |")
    print("|---|---|")
    for name, value in m.as_rows():
        print(f"| {name} | {value} |")


if __name__ == "__main__":
    main()
