"""``lianzheng kb …``: check, ask, gaps and stats. Needs no database or token (but gaps)."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections import Counter

from knowledge.loader import load_rules
from knowledge.schema import TOPICS


def run(args: argparse.Namespace) -> int:
    """Dispatch a ``kb`` subcommand; returns the exit code."""
    if args.kb_cmd == "check":
        return _check(args)
    if args.kb_cmd == "stats":
        return _stats(args)
    if args.kb_cmd == "ask":
        return _ask(args)
    if args.kb_cmd == "gaps":
        return asyncio.run(_gaps(args))
    return 2


def _check(args: argparse.Namespace) -> int:
    from knowledge.quiz import load_quiz, validate_quiz

    result = load_rules(args.rules)
    topics = Counter(e.topic for e in result.entries)
    missing = [t for t in TOPICS if not topics[t]] if not args.rules else []
    # The quiz bank cites rule-base entries, so it is checked together with them.
    questions, quiz_problems = load_quiz()
    quiz_problems += validate_quiz(questions, [e.id for e in result.entries])
    problems = [*result.problems, *(f"topic {t} has no entry" for t in missing), *quiz_problems]
    for p in problems:
        print(p)
    status = "OK" if not problems else "PROBLEMS"
    print(
        f"{status}: {len(result.entries)} entries in {result.files} files, "
        f"{len(questions)} quiz questions, {len(problems)} problem(s)"
    )
    return 0 if status == "OK" else 1


def _stats(args: argparse.Namespace) -> int:
    result = load_rules(args.rules)
    topics = Counter(e.topic for e in result.entries)
    for t in TOPICS:
        print(f"{topics[t]:4d}  {t}")
    print(f"{len(result.entries):4d}  total")
    return 0


def _ask(args: argparse.Namespace) -> int:
    from knowledge.loader import RuleBaseError
    from knowledge.retrieval import load_knowledge_base

    try:
        kb = load_knowledge_base(args.rules)
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
                print(best.entry.answer.strip())
                print(f"来源：{best.entry.source}")
    sys.stdout.flush()
    return 0


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
            for query, n in await uow.questions.gaps(args.limit):
                print(f"{n:5d}  {query}")
    finally:
        await engine.dispose()
    return 0
