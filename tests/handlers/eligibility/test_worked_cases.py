"""Worked cases for /eligible, each written from the article it cites.

Periods come from ``knowledge/data/sanctions.yaml`` (the same data the rule base quotes);
a case states the expected last barred day as the article gives it, so a wrong period in the
data, or a wrong counting rule, fails here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from handlers.eligibility.rules import Effect, Source, evaluate
from knowledge.periods import stacked_last_day
from knowledge.sanctions import load_sanctions
from tests.handlers.eligibility.support import day, effects

CAT = load_sanctions()


@dataclass(frozen=True)
class Case:
    """The article cited, the effects (``kind@start`` in decision order, see
    ``support.effects``), the day asked about and the expected promotion answer."""

    cite: str
    effects: str
    as_of: str
    until: str | None  # last day promotion is barred; None: not barred on as_of


CASES = [
    # -- single party sanctions: 2023 条例 第十条、第十一条、第十二条
    Case("条例第十条 警告一年", "party_warning@2026-03-10", "2026-06-01", "2027-03-09"),
    Case("条例第十条 警告期满", "party_warning@2025-03-10", "2026-03-10", None),
    Case(
        "条例第十条 严重警告一年半", "party_serious_warning@2026-01-15", "2026-02-01", "2027-07-14"
    ),
    Case(
        "条例第十一条 撤销党内职务二年",
        "party_removal_from_posts@2026-05-01",
        "2027-01-01",
        "2028-04-30",
    ),
    Case(
        "条例第十二条 留党察看一年（察看期+二年）",
        "party_probation_1y@2026-01-01",
        "2027-06-01",
        "2028-12-31",
    ),
    Case(
        "条例第十一条 无党内职务改给严重警告：按撤销党内职务二年",
        "party_serious_warning_substitute@2026-05-01",
        "2027-12-01",
        "2028-04-30",
    ),
    # -- stacking: 2023 条例 第二十一条 and its official reading's example
    Case(
        "条例第二十一条 警告期内又受严重警告：剩余6个月+18个月",
        "party_warning@2025-03-01 party_serious_warning@2025-09-01",
        "2026-06-01",
        "2027-08-31",
    ),
    Case(
        "条例第二十一条 叠加后仍在影响期",
        "party_warning@2025-03-01 party_serious_warning@2025-09-01",
        "2027-08-31",
        "2027-08-31",
    ),
    Case(
        "条例第二十一条 叠加期满",
        "party_warning@2025-03-01 party_serious_warning@2025-09-01",
        "2027-09-01",
        None,
    ),
    Case(
        "条例第二十一条 前一处分期满后再受处分：不叠加",
        "party_warning@2024-01-01 party_warning@2025-06-01",
        "2026-01-01",
        "2026-05-31",
    ),
    Case(
        "条例第二十一条 两次警告：剩余3个月+12个月",
        "party_warning@2025-01-01 party_warning@2025-10-01",
        "2026-06-01",
        "2026-12-31",
    ),
    Case(
        "条例第二十一条 三次处分连续叠加",
        "party_warning@2025-01-01 party_warning@2025-07-01 party_serious_warning@2026-01-01",
        "2026-06-01",
        # 2nd: 6 left + 12 = 18 months from 2025-07-01 -> 2026-12-31;
        # 3rd: 12 left + 18 = 30 months from 2026-01-01 -> 2028-06-30
        "2028-06-30",
    ),
    # -- government sanctions: 政务处分法 第八条 (each period from its own decision, no stacking rule)
    Case("政务处分法第八条 警告六个月", "govt_warning@2026-03-01", "2026-04-01", "2026-08-31"),
    Case("政务处分法第八条 记过十二个月", "govt_demerit@2026-03-01", "2026-04-01", "2027-02-28"),
    Case(
        "政务处分法第八条 记大过十八个月",
        "govt_major_demerit@2026-03-01",
        "2026-04-01",
        "2027-08-31",
    ),
    Case("政务处分法第八条 降级二十四个月", "govt_demotion@2026-03-01", "2026-04-01", "2028-02-29"),
    Case(
        "政务处分法第八条 撤职二十四个月",
        "govt_dismissal_from_post@2026-03-01",
        "2026-04-01",
        "2028-02-29",
    ),
    Case(
        "政务处分法第八条 处分期内又受政务处分：各自计算，取最晚",
        "govt_warning@2026-01-01 govt_demerit@2026-03-01",
        "2026-04-01",
        "2027-02-28",
    ),
    # -- party and government sanction for one act: both bars apply, the later end decides
    Case(
        "条例第十条+政务处分法第八条 同一行为党纪政务双处分",
        "party_serious_warning@2026-03-01 govt_major_demerit@2026-03-05",
        "2026-04-01",
        "2027-09-04",
    ),
    # -- 诫勉: 选拔任用条例 第二十四条 (六个月内不得提拔)
    Case(
        "选拔任用条例第二十四条 诫勉六个月", "warning_talk@2026-03-10", "2026-09-09", "2026-09-09"
    ),
    Case("选拔任用条例第二十四条 诫勉期满", "warning_talk@2026-03-10", "2026-09-10", None),
    Case(
        "条例第十二条 留党察看二年（察看期+二年）",
        "party_probation_2y@2026-01-01",
        "2027-06-01",
        "2029-12-31",
    ),
    Case(
        "条例第二十一条 严重警告期内又受撤销党内职务：剩余12个月+24个月",
        "party_serious_warning@2026-01-01 party_removal_from_posts@2026-07-01",
        "2026-08-01",
        "2029-06-30",
    ),
    Case(
        "条例第二十一条 党纪叠加不影响并行的政务处分期",
        "party_warning@2026-01-01 govt_demerit@2026-02-01 party_warning@2026-07-01",
        "2026-08-01",
        "2027-12-31",  # party: 6 left + 12 = 18 months from 2026-07-01
    ),
    Case(
        "选拔任用条例第二十四条+条例第十条 诫勉与警告并存，取最晚",
        "warning_talk@2026-06-01 party_warning@2026-03-01",
        "2026-07-01",
        "2027-02-28",
    ),
    Case(
        "政务处分法第八条 撤职期满次日可提拔",
        "govt_dismissal_from_post@2024-03-01",
        "2026-03-01",
        None,
    ),
    Case(
        "条例第十一条 代替撤销党内职务的严重警告期内又受警告：叠加",
        "party_serious_warning_substitute@2026-01-01 party_warning@2027-01-01",
        "2027-02-01",
        "2028-12-31",  # 12 left + 12 = 24 months from 2027-01-01
    ),
    # -- month ends: period_last_day counts a short month to its end
    Case("政务处分法第八条 8月31日起六个月", "govt_warning@2025-08-31", "2026-01-01", "2026-02-28"),
]


@pytest.mark.parametrize("case", CASES, ids=[c.cite for c in CASES])
def test_worked_case(case: Case) -> None:
    result = evaluate(day(case.as_of), effects(case.effects), [], CAT)
    if case.until is None:
        assert result.promotion_ok, result.promotion
    else:
        assert not result.promotion_ok
        assert result.promotion_until == day(case.until), result.promotion


def test_the_stacked_bar_says_so() -> None:
    effects = [
        Effect("party_warning", Source.CASE, 1, date(2025, 3, 1)),
        Effect("party_serious_warning", Source.CASE, 2, date(2025, 9, 1)),
    ]
    bars = evaluate(date(2026, 6, 1), effects, [], CAT).promotion
    assert [(b.record_id, b.stacked) for b in bars] == [(2, True)]


def test_leftover_days_are_carried_when_the_rest_is_not_whole_months() -> None:
    # Earlier period runs to 2026-01-15; from 2025-10-01 that is 3 months and 15 days.
    assert stacked_last_day(date(2025, 10, 1), 12, date(2026, 1, 15)) == date(2027, 1, 15)


@pytest.mark.parametrize(
    ("kind", "start", "year", "effect"),
    [
        # 《公务员考核规定》(2020) 第二十九条
        ("govt_warning", date(2026, 5, 1), 2026, "no_excellent"),
        ("govt_warning", date(2026, 5, 1), 2027, None),
        ("govt_demerit", date(2026, 5, 1), 2026, "no_grade"),
        ("govt_demerit", date(2026, 5, 1), 2027, None),
        ("govt_major_demerit", date(2026, 11, 1), 2026, "no_grade"),
        ("govt_major_demerit", date(2026, 11, 1), 2027, "no_grade"),
        ("govt_major_demerit", date(2026, 11, 1), 2028, None),
        ("govt_demotion", date(2026, 2, 1), 2027, "no_grade"),
        ("govt_dismissal_from_post", date(2026, 2, 1), 2027, "no_grade"),
        ("govt_dismissal_from_post", date(2026, 2, 1), 2025, None),
    ],
)
def test_assessment_grade_follows_article_29(
    kind: str, start: date, year: int, effect: str | None
) -> None:
    result = evaluate(
        date(year, 12, 31), [Effect(kind, Source.CASE, 1, start)], [], CAT, rating_year=year
    )
    assert [g.effect for g in result.grade] == ([effect] if effect else [])


def test_every_kind_cites_documents_of_the_registry() -> None:
    from knowledge.documents import load_registry

    registry = load_registry()
    for kind in CAT.kinds.values():
        assert kind.basis, kind.code
        for b in kind.basis:
            assert registry.get(b.doc) is not None, (kind.code, b.doc)


@pytest.mark.parametrize(
    ("kind", "start", "until", "grade_2027"),
    [
        # 《事业单位工作人员处分规定》(2023): 警告 6, 记过 12, 降低岗位等级 24 months; grade
        # effects as in the checked entries discipline.institution.*
        ("inst_warning", date(2026, 11, 2), date(2027, 5, 1), None),
        ("inst_demerit", date(2026, 11, 2), date(2027, 11, 1), None),
        ("inst_grade_reduction", date(2026, 11, 2), date(2028, 11, 1), "no_grade"),
    ],
)
def test_public_institution_staff_sanctions(
    kind: str, start: date, until: date, grade_2027: str | None
) -> None:
    effects = [Effect(kind, Source.CASE, 1, start)]
    result = evaluate(date(2026, 12, 1), effects, [], CAT)
    assert result.promotion_until == until
    grades = evaluate(date(2027, 12, 31), effects, [], CAT, rating_year=2027).grade
    assert [g.effect for g in grades] == ([grade_2027] if grade_2027 else [])


def test_state_owned_enterprise_sanctions_bar_promotion_for_their_periods() -> None:
    """《国有企业管理人员处分条例》(2024) 第八条: warning 6, demerit 12, major demerit 18,
    demotion and removal 24 months; 第十四条: no promotion in the period."""
    for code, months, last in (
        ("soe_warning", 6, date(2026, 9, 30)),
        ("soe_demerit", 12, date(2027, 3, 31)),
        ("soe_major_demerit", 18, date(2027, 9, 30)),
        ("soe_demotion", 24, date(2028, 3, 31)),
        ("soe_dismissal_from_post", 24, date(2028, 3, 31)),
    ):
        kind = CAT.get(code)
        assert kind is not None and kind.promotion_months == months and kind.is_discipline
        result = evaluate(
            date(2026, 4, 1), [Effect(code, Source.CASE, 1, date(2026, 4, 1))], [], CAT
        )
        assert [b.end for b in result.promotion] == [last], code
    # Expulsion has no period to wait out: barred for good.
    expelled = evaluate(
        date(2026, 4, 1), [Effect("soe_expulsion", Source.CASE, 1, date(2026, 4, 1))], [], CAT
    )
    assert expelled.promotion and expelled.promotion[0].end is None
