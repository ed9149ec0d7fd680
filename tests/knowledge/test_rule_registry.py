"""The document registry, current vs history entries, checks and citations."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from pydantic import ValidationError

from handlers.core.app import Assistant
from handlers.core.clock import ManualClock
from handlers.registry import all_routers
from knowledge.checks import months_text, strict_problems
from knowledge.documents import load_registry, parse_registry
from knowledge.loader import BUILTIN_RULES, load_rules, rule_files
from knowledge.retrieval import KnowledgeBase
from knowledge.sanctions import load_sanctions
from knowledge.schema import Basis, Entry
from tests.conftest import make_services
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.core.helpers import buttons, say, texts

CURRENT = """
entries:
  - id: local.today
    topic: integrity.rules
    title: 今天的规定
    questions: [今天的规定是什么, 现行规定, 现在怎么规定, 新规定内容, 目前的规定]
    keywords: [现行规定]
    answer: 这是现行的规定，用于测试。
    basis:
      - doc: integrity_code_2015
"""

OLD = """
  - id: local.old
    topic: integrity.rules
    status: history
    era: 2010—2015年间的旧准则
    current: local.today
    title: 旧准则怎么说
    questions: [旧准则怎么说, 以前的准则, 老准则内容, 原来的廉洁准则, 过去的规定]
    keywords: [旧准则]
    answer: 这是以前的规定，用于测试。
    basis:
      - doc: clean_conduct_code_2010
"""


def _load(tmp_path: Path, text: str) -> list[str]:
    (tmp_path / "local.yaml").write_text(text, encoding="utf-8")
    return load_rules([tmp_path]).problems


def test_builtin_registry_is_consistent() -> None:
    registry = load_registry()
    assert not registry.problems
    for doc in registry.documents.values():
        if doc.replaced_by:
            now = registry.current_version(doc.id)
            assert now is not None and now.status in ("in_force", "repealed"), doc.id


def test_no_current_entry_cites_a_revised_or_repealed_document() -> None:
    registry = load_registry()
    for entry in load_rules().entries:
        if entry.status != "current":
            continue
        for basis in entry.basis:
            doc = registry.get(basis.doc)
            assert doc is not None, f"{entry.id} cites unknown {basis.doc}"
            assert doc.in_force, f"{entry.id} cites {doc.id}, which is {doc.status}"


def test_a_current_entry_citing_a_repealed_text_is_a_problem(tmp_path: Path) -> None:
    bad = CURRENT.replace("integrity_code_2015", "clean_conduct_code_2010")
    problems = _load(tmp_path, bad)
    assert any(
        "local.today: a current entry cites clean_conduct_code_2010" in p
        and "integrity_code_2015" in p
        for p in problems
    ), problems


def test_history_entries_need_an_era_and_todays_entry(tmp_path: Path) -> None:
    assert not [p for p in _load(tmp_path, CURRENT + OLD) if "local." in p]
    no_era = (CURRENT + OLD).replace("    era: 2010—2015年间的旧准则\n", "")
    assert any("needs `era` and `current`" in p for p in _load(tmp_path, no_era))
    dangling = (CURRENT + OLD).replace("current: local.today", "current: local.nowhere")
    assert any("unknown entry local.nowhere" in p for p in _load(tmp_path, dangling))


def test_unknown_document_is_a_problem(tmp_path: Path) -> None:
    problems = _load(tmp_path, CURRENT.replace("integrity_code_2015", "no_such_doc"))
    assert any("cites no_such_doc, which is not in documents.yaml" in p for p in problems)


def test_an_article_number_needs_a_checked_copy() -> None:
    with pytest.raises(ValidationError, match="needs `checked`"):
        Basis(doc="discipline_reg_2023", art="第十条")
    with pytest.raises(ValidationError, match="not an article reference"):
        Basis(doc="discipline_reg_2023", art="10", checked="somewhere")
    assert Basis(doc="discipline_reg_2023", art="第二十一条第二款", checked="x").art


def test_strict_lists_unchecked_entries_and_uncheckable_article_numbers() -> None:
    base = yaml.safe_load(CURRENT)["entries"][0]
    unchecked = Entry.model_validate({**base, "answer": "依照第十条，影响期一年。"})
    checked = Entry.model_validate(
        {**base, "id": "local.checked", "basis": [{"doc": "xx", "art": "第十条", "checked": "y"}]}
    )
    problems = strict_problems([unchecked, checked])
    assert "local.today: unchecked against the text: integrity_code_2015" in problems
    assert "local.today: states an article number but is not checked" in problems
    assert not [p for p in problems if p.startswith("local.checked")]


def test_citation_is_rendered_from_the_registry(kb: KnowledgeBase) -> None:
    entry = Entry.model_validate(
        {
            **yaml.safe_load(CURRENT)["entries"][0],
            "basis": [
                {"doc": "discipline_reg_2023", "art": "第十条", "checked": "copy"},
                {"doc": "cadre_selection_reg_2019"},
            ],
        }
    )
    assert kb.citation(entry) == (
        "《中国共产党纪律处分条例》（2023年修订）第十条；《党政领导干部选拔任用工作条例》（2019年修订）"
    )


def test_a_document_read_in_two_places_is_cited_once(kb: KnowledgeBase) -> None:
    entry = Entry.model_validate(
        {
            **yaml.safe_load(CURRENT)["entries"][0],
            "basis": [
                {"doc": "cadre_selection_reg_2019", "checked": "one copy"},
                {"doc": "cadre_selection_reg_2019", "checked": "another copy"},
                {"doc": "discipline_reg_2023", "art": "第十条", "checked": "copy"},
            ],
        }
    )
    assert kb.citation(entry) == (
        "《党政领导干部选拔任用工作条例》（2019年修订）；《中国共产党纪律处分条例》（2023年修订）第十条"
    )


def test_registry_rejects_a_repealed_document_without_replacement() -> None:
    text = """
as_of: 2026-12-01
documents:
  - {id: old_rule, title: 旧规定, issuer: 某机关, adopted: 2001-01-01, effective: 2001-01-01, status: repealed}
"""
    with pytest.raises(ValidationError, match="needs replaced_by"):
        parse_registry(text)


def test_one_text_recorded_under_two_ids_is_a_problem() -> None:
    # The twentieth session added a second record of the 2024 retirement decision; nothing
    # caught it. A revision (another version or adoption date) is not a duplicate.
    text = """
as_of: 2026-12-01
documents:
  - {id: rule_a, title: 某规定, issuer: 某机关, version: 2024年修订, adopted: 2024-09-13, effective: 2025-01-01, status: in_force}
  - {id: rule_b, title: 某规定, issuer: 某机关, version: 2024年修订, adopted: 2024-09-13, effective: 2025-01-01, status: in_force}
  - {id: rule_old, title: 某规定, issuer: 某机关, version: 2019年修订, adopted: 2019-01-01, effective: 2019-01-01, status: revised, replaced_by: rule_a}
"""
    problems = parse_registry(text).problems
    assert problems == [
        "documents.yaml: rule_b records the same text as rule_a "
        "(《某规定》, 2024年修订, adopted 2024-09-13)"
    ]


def test_period_placeholders_come_from_the_sanctions_data(tmp_path: Path) -> None:
    text = CURRENT.replace(
        "这是现行的规定，用于测试。", "警告的影响期是{period:party_serious_warning}。"
    )
    (tmp_path / "local.yaml").write_text(text, encoding="utf-8")
    result = load_rules([tmp_path])
    entry = next(e for e in result.entries if e.id == "local.today")
    months = load_sanctions().kinds["party_serious_warning"].promotion_months
    assert entry.answer == f"警告的影响期是{months_text(months)}。"
    bad = CURRENT.replace("这是现行的规定，用于测试。", "影响期{period:no_such_kind}。")
    assert any("{period:no_such_kind}" in p for p in _load(tmp_path, bad))


def test_months_are_written_as_people_write_them() -> None:
    assert [months_text(m) for m in (6, 12, 18, 24, 36)] == ["6个月", "1年", "18个月", "2年", "3年"]


def test_every_entry_explaining_a_kind_quotes_its_period_from_the_data() -> None:
    """Answers and /eligible can never disagree: the entry a sanction kind cites writes its
    period as a placeholder, never as a literal number."""
    raw = _raw_answers()
    for kind in load_sanctions().kinds.values():
        if (
            kind.promotion_months
            and kind.family in ("party", "govt", "institution", "talk")
            and "probation" not in kind.code
        ):
            answer = raw[kind.entry]
            assert f"{{period:{kind.code}}}" in answer, (kind.code, kind.entry)
            # ...and no other literal figure for the same period contradicts it.
            literal = re.findall(r"(\d+)个月", answer)
            assert all(int(n) == kind.promotion_months for n in literal), (kind.entry, literal)


def _raw_answers() -> dict[str, str]:
    """Every built-in entry's answer as written (placeholders not yet filled in)."""
    raw: dict[str, str] = {}
    for path in rule_files([BUILTIN_RULES]):
        for item in yaml.safe_load(path.read_text(encoding="utf-8"))["entries"]:
            raw[item["id"]] = item["answer"]
    return raw


#: A period written out: 1年内, 两年内, 6个月内, 半年后 ...
LITERAL_PERIOD = re.compile(r"(\d+|[一二两三四五六半])(个月|年)(内|以内|后)")
#: The 2019 selection regulation's own rules on cadres who resigned or were removed, read in the
#: 共产党员网 Q&A on that regulation (see the header of rules/current/accountability_main_duty.yaml).
#: They hang on why the cadre left (问责 or 不适宜担任现职), not on the kind of handling, so
#: sanctions.yaml still leaves the handling kinds unverified; answers may quote these clauses.
SELECTION_REG_CLAUSES = (
    "一年内不安排领导职务",
    "两年内不得担任高于原任职务层次的领导职务",
    "调离岗位、免职的，一年内不得提拔",
)


def test_no_answer_quotes_a_period_the_data_does_not_have() -> None:
    """Organisational handling (停职检查, 调整职务, 责令辞职, 免职, 降职): sanctions.yaml gives no
    period (the 2021 rules' article on it was not read), so /eligible asks for a check by
    hand. The answers must agree: the entries these kinds cite say the text was not checked,
    no answer fills in a period for them, and no sentence naming one of them states a figure
    other than the selection regulation's own clauses (SELECTION_REG_CLAUSES)."""
    raw = _raw_answers()
    unverified = [k for k in load_sanctions().kinds.values() if k.period_unverified]
    assert {k.code for k in unverified} >= {
        "suspension",
        "job_adjustment",
        "ordered_resignation",
        "removal",
        "demotion",
    }
    names = "|".join(k.name_zh for k in unverified)
    for kind in unverified:
        assert "未核对" in raw[kind.entry], kind.entry
    for entry_id, answer in raw.items():
        for kind in unverified:
            # An unverified kind has promotion_months 0: its placeholder would print "0个月".
            assert f"{{period:{kind.code}}}" not in answer, entry_id
        for sentence in re.split(r"[。；\n]", answer):
            if re.search(names, sentence):
                rest = sentence
                for clause in SELECTION_REG_CLAUSES:
                    rest = rest.replace(clause, "")
                assert not LITERAL_PERIOD.search(rest), (entry_id, sentence)


async def test_a_history_answer_says_so_first_and_offers_todays_rule(
    tmp_path: Path, clock: ManualClock, fake_uow: FakeUnitOfWorkFactory
) -> None:
    (tmp_path / "local.yaml").write_text(CURRENT + OLD, encoding="utf-8")
    result = load_rules([tmp_path])
    kb = KnowledgeBase(result.entries)
    core = Assistant(fake_uow, make_services(clock, kb), all_routers())
    replies = await say(core, 1104, "/ask 旧准则怎么说")
    text = texts(replies)
    lines = text.splitlines()
    assert lines[0] == "【旧准则怎么说】"
    assert lines[1] == "⚠️ 以下是历史做法，不是现行规定：2010—2015年间的旧准则。"
    assert "现行规定见【今天的规定】" in lines[2]
    assert "📖 依据：《中国共产党党员领导干部廉洁从政若干准则》" in text
    first_related = next(label for label, data in buttons(replies) if data.startswith("qa:e:"))
    assert "今天的规定" in first_related


async def test_about_and_help_show_the_as_of_date(core: Assistant, kb: KnowledgeBase) -> None:
    about = texts(await say(core, 1104, "/about"))
    assert f"规则库更新至 {kb.as_of}" in about and "历史做法" in about
    assert f"{kb.as_of}" in texts(await say(core, 1104, "/help"))


def test_registry_dates_are_dates() -> None:
    """A date is as precise as what was read: a year alone when no copy gave the month."""
    for doc in load_registry().documents.values():
        for value in (doc.adopted, doc.effective):
            assert re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", value), (doc.id, value)
            datetime.strptime(value[:7], "%Y-%m" if len(value) > 4 else "%Y").replace(tzinfo=UTC)


def test_a_local_folder_brings_its_own_documents(tmp_path: Path) -> None:
    (tmp_path / "documents.yaml").write_text(
        """
as_of: 2026-11-01
documents:
  - {id: county_rule_2024, title: 某县党员干部操办婚丧喜庆事宜规定, issuer: 某县纪委, adopted: 2024-03-01, effective: 2024-03-01, status: in_force}
""",
        encoding="utf-8",
    )
    (tmp_path / "local.yaml").write_text(
        CURRENT.replace("integrity_code_2015", "county_rule_2024"), encoding="utf-8"
    )
    result = load_rules([tmp_path])
    assert result.ok, result.problems
    assert result.registry is not None
    kb = KnowledgeBase(result.entries, registry=result.registry)
    assert kb.citation(kb.entries["local.today"]) == "《某县党员干部操办婚丧喜庆事宜规定》"
    # The built-in registry is unchanged: another folder cannot cite the local document.
    assert load_registry().get("county_rule_2024") is None
