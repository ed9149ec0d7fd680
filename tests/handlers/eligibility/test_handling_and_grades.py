"""Worked cases for organisational handling and for annual assessment grades, each written
from the article it cites (issue 17).

Organisational handling (《中国共产党组织处理规定（试行）》2021, 第三条: 停职检查、调整职务、
责令辞职、免职、降职): the article setting each kind's effect period could not be read, so the
data gives none and the check must never clear nor bar on a guessed period: it names the
record and asks for a check by hand, while other records on file still give their own dates
(选拔任用条例 第二十四条: not a candidate while any effect period runs).

Grades (《公务员考核规定》2020 第二十九条 for civil servants; 《事业单位工作人员处分规定》2023 for
public-institution staff): the effect counts from the calendar year of the decision, so a
sanction of November reaches the next year's assessment when the rule gives two years.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from handlers.eligibility.rules import evaluate
from knowledge.retrieval import KnowledgeBase
from knowledge.sanctions import load_sanctions
from tests.handlers.eligibility.support import day, effects, maybe_day

CAT = load_sanctions()
HANDLING_KINDS = ("suspension", "job_adjustment", "ordered_resignation", "removal", "demotion")


@dataclass(frozen=True)
class HandlingCase:
    """Effects (kind, start) on the day asked about: the promotion answer's last day (None:
    nothing with a checked period bars it) and the records to check by hand."""

    cite: str
    effects: str  # ``kind@start`` in decision order (``support.effects``)
    as_of: str
    until: str | None
    to_check: tuple[str, ...]


HANDLING_CASES = [
    *(
        HandlingCase(
            f"组织处理规定第三条 {CAT.kinds[code].name_zh}：影响期条文未核对，请人工核实",
            f"{code}@2026-03-02",
            "2026-06-01",
            None,
            (code,),
        )
        for code in HANDLING_KINDS
    ),
    HandlingCase(
        "选拔任用条例第二十四条+条例第十条 免职并给严重警告：严重警告一年半，免职另请人工核实",
        "removal@2026-03-02 party_serious_warning@2026-03-02",
        "2026-06-01",
        "2027-09-01",
        ("removal",),
    ),
    HandlingCase(
        "选拔任用条例第二十四条 诫勉并调整职务：诫勉六个月，调整职务另请人工核实",
        "warning_talk@2026-03-10 job_adjustment@2026-03-10",
        "2026-06-01",
        "2026-09-09",
        ("job_adjustment",),
    ),
    HandlingCase(
        "政务处分法第八条+组织处理规定第三条 降职并记过：记过十二个月，降职另请人工核实",
        "demotion@2026-04-01 govt_demerit@2026-04-01",
        "2026-06-01",
        "2027-03-31",
        ("demotion",),
    ),
    HandlingCase(
        "组织处理规定第三条 尚未生效的免职不列出", "removal@2026-07-01", "2026-06-01", None, ()
    ),
]


@pytest.mark.parametrize("case", HANDLING_CASES, ids=[c.cite for c in HANDLING_CASES])
def test_handling_case(case: HandlingCase) -> None:
    result = evaluate(day(case.as_of), effects(case.effects), [], CAT)
    assert result.promotion_until == maybe_day(case.until), result.promotion
    assert result.promotion_ok == (case.until is None)
    assert tuple(b.kind for b in result.to_check) == case.to_check
    # No handling kind is turned into a bar on rating or promotion by a guessed period.
    assert not {b.kind for b in (*result.promotion, *result.advanced)} & set(HANDLING_KINDS)


def test_every_handling_kind_is_recordable_and_cites_the_2021_rules() -> None:
    from handlers.records.domain import OrgHandling

    for code in HANDLING_KINDS:
        kind = CAT.kinds[code]
        assert code in {k.value for k in OrgHandling}, code
        assert kind.period_unverified and kind.promotion_months == 0, code
        assert ("org_handling_reg_2021", "第三条") in {(b.doc, b.art) for b in kind.basis}


@dataclass(frozen=True)
class GradeCase:
    """A sanction (``kind@decided``), asked about on ``asked_on`` for the rating year that
    /eligible judges that day: the grade effect (None: none) and the years it reaches."""

    cite: str
    sanction: str  # ``kind@decided``
    asked_on: str
    year: int  # the year /eligible judges on ``asked_on`` (commendation meeting 10 February)
    effect: str | None
    reach: tuple[int, int] | None = None
    law: str = "《公务员考核规定》"


GRADE_CASES = [
    GradeCase(
        "公务员考核规定第二十九条 十一月记过：当年只写评语",
        "govt_demerit@2026-11-20",
        "2026-12-15",
        2026,
        "no_grade",
        (2026, 2026),
    ),
    GradeCase(
        "公务员考核规定第二十九条 十一月记过：年初表彰前判的仍是当年",
        "govt_demerit@2026-11-20",
        "2027-01-10",
        2026,
        "no_grade",
        (2026, 2026),
    ),
    GradeCase(
        "公务员考核规定第二十九条 十一月记过：不延及次年",
        "govt_demerit@2026-11-20",
        "2027-12-15",
        2027,
        None,
    ),
    GradeCase(
        "公务员考核规定第二十九条 十一月记大过：当年及第二年",
        "govt_major_demerit@2026-11-20",
        "2026-12-15",
        2026,
        "no_grade",
        (2026, 2027),
    ),
    GradeCase(
        "公务员考核规定第二十九条 十一月记大过：第二年仍只写评语",
        "govt_major_demerit@2026-11-20",
        "2027-12-15",
        2027,
        "no_grade",
        (2026, 2027),
    ),
    GradeCase(
        "公务员考核规定第二十九条 十一月记大过：第三年不受影响",
        "govt_major_demerit@2026-11-20",
        "2028-12-15",
        2028,
        None,
    ),
    GradeCase(
        "公务员考核规定第二十九条 十二月警告：当年不得评为优秀",
        "govt_warning@2026-12-01",
        "2026-12-15",
        2026,
        "no_excellent",
        (2026, 2026),
    ),
    GradeCase(
        "公务员考核规定第二十九条 一月作出的记过不影响上一年度",
        "govt_demerit@2027-01-05",
        "2027-01-10",
        2026,
        None,
    ),
    GradeCase(
        "公务员考核规定第二十九条 撤职：当年及第二年",
        "govt_dismissal_from_post@2026-02-01",
        "2027-06-01",
        2027,
        "no_grade",
        (2026, 2027),
    ),
    GradeCase(
        "事业单位工作人员处分规定 十一月降低岗位等级：当年及第二年",
        "inst_grade_reduction@2026-11-20",
        "2027-12-15",
        2027,
        "no_grade",
        (2026, 2027),
        "《事业单位工作人员处分规定》",
    ),
]


@pytest.mark.parametrize("case", GRADE_CASES, ids=[c.cite for c in GRADE_CASES])
def test_grade_case(case: GradeCase) -> None:
    result = evaluate(day(case.asked_on), effects(case.sanction), [], CAT, rating_year=case.year)
    if case.effect is None:
        assert result.grade == ()
        return
    [grade] = result.grade
    assert (grade.year, grade.effect) == (case.year, case.effect)
    assert (grade.first_year, grade.last_year) == case.reach


def test_grade_effects_cite_the_entry_that_states_them(kb: KnowledgeBase) -> None:
    """Each grade effect names an entry whose basis is the text the case cites."""
    for case in GRADE_CASES:
        kind = CAT.kinds[case.sanction.split("@")[0]]
        assert kind.grade is not None and kind.grade.entry is not None
        entry = kb.entries[kind.grade.entry]
        assert case.law in kb.citation(entry), (case.sanction, kb.citation(entry))
