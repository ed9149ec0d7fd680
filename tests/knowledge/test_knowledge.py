"""Rule-base validation, normalisation and retrieval robustness."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from knowledge.loader import load_rules
from knowledge.normalize import normalise
from knowledge.retrieval import KnowledgeBase, Status
from knowledge.schema import TOPICS

GOOD = """
entries:
  - id: local.rule.one
    topic: integrity.rules
    title: 本地规定一
    questions: [本地规定一是什么, 本地一号规定, 一号规定内容]
    keywords: [本地规定]
    answer: 这是本地的第一条规定，用于测试。
    basis:
      - doc: integrity_code_2015
"""


def test_builtin_rule_base_is_valid_and_covers_every_topic() -> None:
    result = load_rules()
    assert result.ok, result.problems
    assert len(result.entries) >= 120
    assert {e.topic for e in result.entries} == set(TOPICS)


def test_extra_folder_is_loaded_and_validated(tmp_path: Path) -> None:
    (tmp_path / "local.yaml").write_text(GOOD, encoding="utf-8")
    result = load_rules([tmp_path])
    assert result.ok and any(e.id == "local.rule.one" for e in result.entries)


def test_problems_are_reported(tmp_path: Path) -> None:
    bad = GOOD.replace("integrity.rules", "no.such_topic")
    unknown_doc = GOOD.replace("local.rule.one", "local.rule.three").replace(
        "      - doc: integrity_code_2015\n", "      - doc: no_such_document\n"
    )
    (tmp_path / "bad.yaml").write_text(bad, encoding="utf-8")
    (tmp_path / "unknown_doc.yaml").write_text(unknown_doc, encoding="utf-8")
    (tmp_path / "good.yaml").write_text(GOOD, encoding="utf-8")
    (tmp_path / "dup.yaml").write_text(
        GOOD.replace("local.rule.one", "local.rule.two"), encoding="utf-8"
    )
    (tmp_path / "broken.yaml").write_text("entries: [\n", encoding="utf-8")
    problems = "\n".join(load_rules([tmp_path]).problems)
    assert "unknown topic" in problems
    assert "cites no_such_document, which is not in documents.yaml" in problems
    assert "duplicate question" in problems
    assert "not valid YAML" in problems


def test_duplicate_ids_and_dangling_see_also(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text(GOOD, encoding="utf-8")
    other = GOOD.replace("本地规定一是什么, 本地一号规定, 一号规定内容", "甲, 乙, 丙").replace(
        "    basis:", "    see_also: [nope.nope]\n    basis:"
    )
    (tmp_path / "b.yaml").write_text(other, encoding="utf-8")
    problems = "\n".join(load_rules([tmp_path]).problems)
    assert "duplicate id local.rule.one" in problems
    assert "unknown entry nope.nope" in problems


def test_kb_check_cli_exit_codes(tmp_path: Path) -> None:
    from bot.cli.main import main

    assert main(["kb", "check"]) == 0
    (tmp_path / "bad.yaml").write_text(GOOD.replace("integrity.rules", "x.y"), encoding="utf-8")
    assert main(["kb", "check", "--rules", str(tmp_path)]) == 1


def test_kb_ask_batch_json(tmp_path: Path, capsys: object) -> None:
    from bot.cli.main import main

    batch = tmp_path / "q.txt"
    batch.write_text("诫勉谈话后多久不能提拔\n今天天气怎么样\n", encoding="utf-8")
    assert main(["kb", "ask", "--json", "--batch", str(batch)]) == 0
    lines = capsys.readouterr().out.strip().splitlines()  # type: ignore[attr-defined]
    objs = [json.loads(line) for line in lines]
    assert [o["query"] for o in objs] == ["诫勉谈话后多久不能提拔", "今天天气怎么样"]
    assert objs[0]["status"] == "answer" and objs[0]["entry"] == "check.warning_talk.effects"
    assert objs[0]["source"] and objs[0]["candidates"][0]["entry"] == "check.warning_talk.effects"
    assert objs[1]["status"] == "none" and objs[1]["entry"] is None
    assert set(objs[0]) == {
        "query",
        "status",
        "entry",
        "topic",
        "score",
        "candidates",
        "source",
        "small_talk",
    }


def test_normalisation_handles_how_people_type() -> None:
    assert normalise("誡勉談話？") == "诫勉谈话"
    assert normalise("ＡＢＣ　１２３！") == "abc 123"
    assert normalise("  一把手\t\n责任 ") == "一把手 责任"


@given(st.text(max_size=200))
@settings(max_examples=200, deadline=None)
def test_normalise_is_idempotent(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once


def test_typos_traditional_and_english_find_the_same_rule(kb: KnowledgeBase) -> None:
    for variant in [
        "戒勉谈话后多久不能提拔",
        "誡勉談話後多久不能提拔",
        "warning talk 后多久不能提拔",
    ]:
        d = kb.decide(variant)
        assert d.status == Status.ANSWER and d.best is not None
        assert d.best.entry.id == "check.warning_talk.effects", variant


def test_out_of_scope_sharing_words_is_declined(kb: KnowledgeBase) -> None:
    for q in ["怎么审讯行贿人", "今天天气怎么样", "学生考试作弊给什么处分"]:
        assert kb.decide(q).status == Status.NONE, q


@given(st.text(max_size=300))
# SUMMARY: its runner-ups trailed only in meaning and scored below zero (found by hypothesis).
@example("SUMMARY")
@settings(max_examples=150, deadline=None)
def test_decide_never_crashes(text: str) -> None:
    from tests.conftest import load_knowledge_base

    kb = _shared_kb()
    d = kb.decide(text)
    assert d.status in set(Status)
    assert all(0 <= c.score <= 1.5 for c in d.candidates)
    assert load_knowledge_base is not None


_KB: list[KnowledgeBase] = []


def _shared_kb() -> KnowledgeBase:
    from knowledge.startup import load_knowledge_base

    if not _KB:
        _KB.append(load_knowledge_base())
    return _KB[0]


def test_a_lone_number_or_emoji_is_declined_without_options(kb: KnowledgeBase) -> None:
    for q in ["1", "7", "2026-03-10", "👍", "？？"]:
        d = kb.decide(q)
        assert d.status == Status.NONE and not d.candidates, q


@pytest.mark.parametrize(
    ("files", "message"),
    [
        ({"q.csv": "问题,条目\n诫勉,check.x\n"}, "not a labelled question file"),
        ({"q.yaml": "questions: [\n"}, "cannot evaluate"),
        ({"q.yaml": "questions:\n  - entries: [a.b]\n"}, "question 1 has no `q:`"),
        ({"q.yaml": "questions: []\n"}, "holds no questions"),
        (
            {"q.yaml": "questions:\n  - q: 诫勉\n", "f.yaml": "top1: high\n"},
            "top1 must be a number",
        ),
        ({"q.yaml": "questions:\n  - q: 诫勉\n", "f.yaml": "speed: 0.5\n"}, "unknown figure"),
    ],
)
def test_kb_eval_says_what_is_wrong_with_its_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], files: dict[str, str], message: str
) -> None:
    from bot.cli.main import main

    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    first = next(iter(files))
    argv = ["kb", "eval", str(tmp_path / first), "--rules", str(tmp_path / "none")]
    if "f.yaml" in files:
        argv += ["--floors", str(tmp_path / "f.yaml")]
    assert main(argv) == 2
    assert message in capsys.readouterr().err
