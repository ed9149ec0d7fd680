"""``lianzheng kb …``: check, ask, gaps, stats and eval. Needs no database or token (but
gaps). The rule base is imported when a command runs, not when the command line starts."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli.common import Command

if TYPE_CHECKING:
    from handlers.core.domain import QuestionCount


def run(args: argparse.Namespace) -> int:
    """Dispatch a ``kb`` subcommand; returns the exit code."""
    if args.kb_cmd == "check":
        return _check(args)
    if args.kb_cmd == "stats":
        return _stats(args)
    if args.kb_cmd == "ask":
        return _ask(args)
    if args.kb_cmd == "eval":
        return _eval(args)
    if args.kb_cmd == "gaps":
        return asyncio.run(_gaps(args))
    return 2


def _check(args: argparse.Namespace) -> int:
    from knowledge.loader import load_rules
    from knowledge.quiz import load_quiz, validate_quiz
    from knowledge.schema import TOPICS

    result = load_rules(args.rules)
    topics = Counter(e.topic for e in result.entries)
    missing = [t for t in TOPICS if not topics[t]] if not args.rules else []
    # The quiz bank cites rule-base entries, so it is checked together with them.
    questions, quiz_problems = load_quiz()
    history = [e.id for e in result.entries if e.status == "history"]
    quiz_problems += validate_quiz(questions, [e.id for e in result.entries], history)
    problems = [*result.problems, *(f"topic {t} has no entry" for t in missing), *quiz_problems]
    if args.strict:
        from knowledge.checks import strict_problems

        problems += strict_problems(result.entries)
    for p in problems:
        print(p)
    status = "OK" if not problems else "PROBLEMS"
    print(
        f"{status}: {len(result.entries)} entries in {result.files} files, "
        f"{len(questions)} quiz questions, {len(problems)} problem(s)"
    )
    return 0 if status == "OK" else 1


def _stats(args: argparse.Namespace) -> int:
    from knowledge.documents import load_registry
    from knowledge.loader import load_rules
    from knowledge.schema import TOPICS

    result = load_rules(args.rules)
    entries = result.entries
    registry = load_registry()
    print("entries per topic (current / history):")
    for t in TOPICS:
        cur = sum(1 for e in entries if e.topic == t and e.status == "current")
        hist = sum(1 for e in entries if e.topic == t and e.status == "history")
        print(f"{cur + hist:4d}  {cur:4d} / {hist:<4d} {t}")
    print("entries per document cited:")
    per_doc = Counter(b.doc for e in entries for b in {b.doc: b for b in e.basis}.values())
    for doc_id, n in per_doc.most_common():
        doc = registry.get(doc_id)
        label = f"{doc.cite()} [{doc.status}]" if doc else "(not in the registry)"
        print(f"{n:4d}  {doc_id}  {label}")
    history = sum(1 for e in entries if e.status == "history")
    unchecked = sum(1 for e in entries if not e.checked)
    questions = sum(len(e.questions) for e in entries)
    print(
        f"{len(entries)} entries: {len(entries) - history} current, {history} history, "
        f"{unchecked} not checked against a text; {questions} questions; as of {registry.as_of}"
    )
    return 0


#: The figures ``kb eval --floors`` can guard, and whether a figure must stay above (min)
#: or below (max) its floor.
FLOOR_FIGURES = {
    "top1": "min",
    "found": "min",
    "uncovered_declined": "min",
    "offtopic_declined": "min",
    "wrong_share": "max",
}


def _eval(args: argparse.Namespace) -> int:
    import yaml

    from knowledge.evaluation import evaluate, kinds, load_labelled, unknown_labels
    from knowledge.loader import RuleBaseError
    from knowledge.startup import load_knowledge_base

    try:
        # The files are read first: a bad one is said before the rule base is indexed.
        floors = _read_floors(args.floors) if args.floors is not None else None
        labelled, offtopic = load_labelled(args.file)
    except (OSError, ValueError, KeyError, TypeError, yaml.YAMLError) as exc:
        print(f"cannot evaluate {args.file}: {exc}", file=sys.stderr)
        return 2
    if not labelled and not offtopic:
        print(f"cannot evaluate {args.file}: it holds no questions", file=sys.stderr)
        return 2
    try:
        kb = load_knowledge_base(args.rules, semantic=not args.lexical)
    except RuleBaseError as exc:
        print(f"cannot evaluate {args.file}: {exc}", file=sys.stderr)
        return 2
    stale = unknown_labels(kb, labelled)
    if stale:
        print(f"labels name unknown entries: {', '.join(stale)}", file=sys.stderr)
        return 2
    m = evaluate(kb, labelled, offtopic)
    print(f"{args.file}: {m.covered} covered, {m.uncovered} uncovered, {m.offtopic} off-topic")
    for name, value in m.as_rows():
        print(f"  {name:<42} {value}")
    print("per topic (covered questions, right first, found):")
    for topic, n, top1, found in m.topic_rows():
        print(f"  {topic:<30} {n:4d}  {top1:6.1%}  {found:6.1%}")
    failures = [x for x in m.misses if x[0] != "clarify-ok"]
    print(f"failures ({len(failures)}; {dict(kinds(m))}):")
    for kind, query, got in failures[: args.failures]:
        print(f"  [{kind}] {query} -> {got}")
    if floors is None:
        return 0
    values = {
        "top1": m.top1,
        "found": m.found,
        "uncovered_declined": m.uncovered_declined_rate,
        "offtopic_declined": m.offtopic_declined_rate,
        "wrong_share": m.wrong_share,
    }
    broken = []
    for name, floor in floors.items():
        low = FLOOR_FIGURES[name] == "min"
        if (values[name] < floor) if low else (values[name] > floor):
            broken.append(f"{name} {values[name]:.3f} {'<' if low else '>'} {floor}")
    for b in broken:
        print(f"BELOW FLOOR: {b}")
    return 1 if broken else 0


def _read_floors(path: Path) -> dict[str, float]:
    """The floors file: figure name to a number between 0 and 1; ValueError says what is
    wrong with it."""
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected `figure: number` lines")
    floors = {}
    for name, value in data.items():
        if name not in FLOOR_FIGURES:
            raise ValueError(f"{path}: unknown figure {name!r} ({', '.join(FLOOR_FIGURES)})")
        if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
            raise ValueError(f"{path}: {name} must be a number from 0 to 1, not {value!r}")
        floors[str(name)] = float(value)
    return floors


def _ask(args: argparse.Namespace) -> int:
    from knowledge.loader import RuleBaseError
    from knowledge.startup import load_knowledge_base

    try:
        kb = load_knowledge_base(args.rules, semantic=not args.lexical)
    except RuleBaseError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    if args.batch is not None:
        try:
            lines = args.batch.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            print(f"cannot read {args.batch}: {exc}", file=sys.stderr)
            return 2
        questions = lines
    elif args.question is not None:
        questions = [args.question]
    else:
        print("give a question or --batch FILE", file=sys.stderr)
        return 2
    for q in questions:
        decision = kb.decide(q)
        if args.json:
            print(json.dumps(decision.as_json(), ensure_ascii=False), flush=False)
        else:
            best = decision.best
            print(f"[{decision.status.value}] {q}")
            for c in decision.candidates:
                print(f"    {c.score:.3f}  {c.entry.id}  {c.entry.title}")
            if decision.status.value == "answer" and best:
                if best.entry.status == "history":
                    print(f"【历史】{best.entry.era}；现行规定见 {best.entry.current}")
                print(best.entry.answer.strip())
                print(f"依据：{kb.citation(best.entry)}")
    sys.stdout.flush()
    return 0


def print_gaps(
    gaps: list[tuple[str, int]], archived: list[QuestionCount], retention_days: int
) -> None:
    """The gap list: questions on file by text, then what is left of older ones (counts)."""
    print(f"declined or 👎 questions of the last {retention_days} days:")
    for query, n in gaps:
        print(f"{n:5d}  {query}")
    if not gaps:
        print("    (none)")
    if not archived:
        return
    print("older questions (text removed after the retention period), per month:")
    months: dict[str, list[QuestionCount]] = {}
    for c in archived:
        months.setdefault(c.month, []).append(c)
    for month, counts in months.items():
        asked = sum(c.asked for c in counts)
        declined = sum(c.asked for c in counts if c.status == "none")
        disliked = sorted((c for c in counts if c.unhelpful), key=lambda c: -c.unhelpful)
        worst = ", ".join(f"{c.entry_id} 👎{c.unhelpful}" for c in disliked[:5])
        print(f"  {month}: {asked} asked, {declined} declined" + (f"; {worst}" if worst else ""))


async def _gaps(args: argparse.Namespace) -> int:
    from bot.settings import load_settings
    from storage.db import create_engine, session_factory
    from storage.migrate import NotMigrated, ensure_migrated
    from storage.uow import SqlUnitOfWorkFactory

    settings = load_settings()
    engine = create_engine(settings.effective_database_url)
    try:
        try:
            await ensure_migrated(engine)
        except NotMigrated as exc:
            print(str(exc), file=sys.stderr)
            return 3
        async with SqlUnitOfWorkFactory(session_factory(engine))() as uow:
            gaps = await uow.questions.gaps(args.limit)
            archived = await uow.questions.archived()
        print_gaps(gaps, archived, settings.question_retention_days)
    finally:
        await engine.dispose()
    return 0


#: The ``kb`` sub-commands and their help.
_SUBCOMMANDS = (
    ("check", "validate the rule base"),
    ("ask", "ask a question"),
    ("gaps", "most frequent unanswered questions"),
    ("stats", "entries per topic and document, current vs history, unchecked"),
    ("eval", "measure the answers on a labelled question file"),
)


def _arguments(p: argparse.ArgumentParser) -> None:
    sub = p.add_subparsers(dest="kb_cmd", required=True)
    for name, helptext in _SUBCOMMANDS:
        k = sub.add_parser(name, help=helptext)
        k.add_argument("--rules", action="append", type=Path, default=[], help="extra rule folder")
        if name in ("ask", "eval"):
            k.add_argument(
                "--lexical",
                action="store_true",
                help="without the meaning signal (as KB_SEMANTIC=false runs the bot)",
            )
        if name == "ask":
            k.add_argument("question", nargs="?", default=None)
            k.add_argument("--json", action="store_true", help="print JSON")
            k.add_argument(
                "--batch", type=Path, default=None, help="file with one question per line"
            )
        if name == "gaps":
            k.add_argument("--limit", type=_positive, default=20)
        if name == "check":
            k.add_argument(
                "--strict", action="store_true", help="also list unchecked and thin entries"
            )
        if name == "eval":
            k.add_argument("file", type=Path, help="a labelled question file (YAML)")
            k.add_argument("--failures", type=int, default=40, help="how many failures to list")
            k.add_argument(
                "--floors", type=Path, default=None, help="fail when a figure is below its floor"
            )


def _positive(text: str) -> int:
    """A whole number of at least 1."""
    if not text.isdecimal() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"give a number of at least 1, not {text!r}")
    return int(text)


KB = Command("kb", "the rule base", _arguments, offline=run)
