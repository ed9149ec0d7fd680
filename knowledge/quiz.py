"""Education-month quiz questions: loading and validation (``knowledge/quiz/*.yaml``).

Every question has four options, one correct answer and an explanation citing a rule-base
entry; :func:`validate_quiz` checks that the cited entries exist and state today's rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

QUIZ_DIR = Path(__file__).parent / "quiz"
#: Telegram limits for quiz polls (question, option and explanation lengths).
MAX_QUESTION, MAX_OPTION, MAX_EXPLANATION = 300, 100, 200


class QuizQuestion(BaseModel):
    """One multiple-choice question."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^[a-z0-9_.-]{3,40}$")
    question: str = Field(min_length=4, max_length=MAX_QUESTION)
    options: tuple[str, str, str, str]
    correct: int = Field(ge=0, le=3)
    explanation: str = Field(min_length=4, max_length=MAX_EXPLANATION)
    entry: str

    @model_validator(mode="after")
    def _options(self) -> QuizQuestion:
        if len(set(self.options)) != 4:
            raise ValueError("options must be distinct")
        if any(not o.strip() or len(o) > MAX_OPTION for o in self.options):
            raise ValueError(f"options must be 1..{MAX_OPTION} characters")
        return self


class QuizFile(BaseModel):
    """One quiz data file."""

    model_config = ConfigDict(extra="forbid")

    questions: list[QuizQuestion]


def load_quiz(dirs: Iterable[Path] = (QUIZ_DIR,)) -> tuple[list[QuizQuestion], list[str]]:
    """Questions from every YAML file under ``dirs`` and the problems found."""
    questions: list[QuizQuestion] = []
    problems: list[str] = []
    for d in dirs:
        for path in sorted(d.glob("*.yaml")):
            try:
                raw = yaml.safe_load(path.read_text(encoding="utf-8"))
                questions.extend(QuizFile.model_validate(raw).questions)
            except (yaml.YAMLError, ValidationError) as exc:
                problems.append(f"{path.name}: {exc}")
    seen: set[str] = set()
    for q in questions:
        if q.id in seen:
            problems.append(f"{q.id}: duplicate question id")
        seen.add(q.id)
    return questions, problems


def validate_quiz(
    questions: Iterable[QuizQuestion],
    entry_ids: Iterable[str],
    history_ids: Iterable[str] = (),
) -> list[str]:
    """Problems: questions citing entries that are not in the rule base, questions citing
    an entry about earlier practice (``history_ids``: the test checks today's rules, not the
    1998 responsibility system or one county's practice of 2000), and the same question
    asked twice (a test could draw it twice, and its answers would be confused)."""
    known, history = set(entry_ids), set(history_ids)
    questions = list(questions)
    problems = [
        f"{q.id}: unknown rule-base entry {q.entry!r}" for q in questions if q.entry not in known
    ]
    problems += [
        f"{q.id}: cites {q.entry!r}, which describes earlier practice, not today's rule"
        for q in questions
        if q.entry in history
    ]
    seen: dict[str, str] = {}
    for q in questions:
        text = "".join(q.question.split())
        if text in seen:
            problems.append(f"{q.id}: the same question as {seen[text]}")
        seen.setdefault(text, q.id)
    return problems


@lru_cache(maxsize=1)
def quiz_bank() -> dict[str, QuizQuestion]:
    """The built-in questions by id; raises when the files are invalid."""
    questions, problems = load_quiz()
    if problems:
        raise ValueError("quiz questions have problems:\n" + "\n".join(problems))
    return {q.id: q for q in questions}
