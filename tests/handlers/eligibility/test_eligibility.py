"""The pure eligibility rules, at the edges of every period, and the catalogue they read."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from handlers.eligibility.dates import default_rating_year, rating_judging_day
from handlers.eligibility.rules import AssessmentFact, Effect, OpenEnd, Source, evaluate
from knowledge.periods import first_free_day, period_last_day
from knowledge.retrieval import KnowledgeBase
from knowledge.sanctions import SanctionCatalogue, load_sanctions, parse_sanctions
from knowledge.talk_reasons import load_talk_reasons

CAT = load_sanctions()
D = date


def talk(start: date, rid: int = 1) -> Effect:
    return Effect("warning_talk", Source.TALK, rid, start)


def sanction(kind: str, start: date, rid: int = 7) -> Effect:
    return Effect(kind, Source.CASE, rid, start)


def check(as_of: date, *effects: Effect, assessments: tuple[AssessmentFact, ...] = ()):  # type: ignore[no-untyped-def]
    return evaluate(as_of, effects, assessments, CAT)


# -- period arithmetic ---------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("start", "months", "last"),
    [
        (D(2026, 3, 10), 6, D(2026, 9, 9)),
        (D(2025, 8, 31), 6, D(2026, 2, 28)),  # no 31 Feb: runs to the end of February
        (D(2025, 8, 30), 6, D(2026, 2, 28)),
        (D(2025, 8, 28), 6, D(2026, 2, 27)),
        (D(2027, 8, 31), 6, D(2028, 2, 29)),  # leap year
        (D(2027, 8, 29), 6, D(2028, 2, 28)),  # 29 Feb 2028 exists
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2026, 12, 31), 12, D(2027, 12, 30)),
        (D(2026, 5, 31), 18, D(2027, 11, 30)),
        (D(2026, 7, 1), 24, D(2028, 6, 30)),
    ],
)
def test_period_last_day(start: date, months: int, last: date) -> None:
    assert period_last_day(start, months) == last
    assert first_free_day(start, months) == last + timedelta(days=1)


@given(
    st.dates(min_value=D(1990, 1, 1), max_value=D(2090, 12, 31)),
    st.dates(min_value=D(1990, 1, 1), max_value=D(2090, 12, 31)),
    st.integers(min_value=1, max_value=120),
)
def test_periods_are_monotonic_and_about_n_months(a: date, b: date, months: int) -> None:
    first, second = sorted((a, b))
    assert period_last_day(first, months) <= period_last_day(second, months)
    last = period_last_day(first, months)
    assert last >= first
    # N months are between 28·N-ish and 31·N days; the period never overshoots a month.
    assert 28 * months - 3 <= (last - first).days + 1 <= 31 * months


# -- warning talks -------------------------------------------------------------------------------
def test_talk_bars_promotion_through_the_last_day_only() -> None:
    start = D(2026, 3, 10)
    last = D(2026, 9, 9)
    for day in (start, last - timedelta(days=1), last):
        bars = check(day, talk(start)).promotion
        assert [(b.start, b.end) for b in bars] == [(start, last)], day
    assert check(last + timedelta(days=1), talk(start)).promotion_ok
    assert check(last + timedelta(days=2), talk(start)).promotion_ok


def test_talk_on_31_august_ends_with_february() -> None:
    start = D(2025, 8, 31)
    assert not check(D(2026, 2, 27), talk(start)).promotion_ok
    assert not check(D(2026, 2, 28), talk(start)).promotion_ok
    assert check(D(2026, 3, 1), talk(start)).promotion_ok


def test_talk_bars_advanced_rating_for_the_rest_of_its_year() -> None:
    start = D(2026, 3, 10)
    bars = check(D(2026, 12, 31), talk(start)).advanced
    assert [(b.kind, b.start, b.end) for b in bars] == [("warning_talk", start, D(2026, 12, 31))]
    assert check(D(2027, 1, 1), talk(start)).advanced_ok
    # A talk in December still bars promotion in January, but not the new year's rating.
    late = check(D(2027, 1, 5), talk(D(2026, 12, 20)))
    assert late.advanced_ok and not late.promotion_ok


def test_effect_not_yet_in_force_is_ignored() -> None:
    result = check(D(2026, 3, 9), talk(D(2026, 3, 10)))
    assert result.advanced_ok and result.promotion_ok


def test_bars_cite_the_rule_base_entry_of_their_kind() -> None:
    result = check(D(2026, 3, 10), talk(D(2026, 3, 1)), sanction("party_warning", D(2026, 1, 5)))
    assert {b.entry for b in result.promotion} == {
        CAT.warning_talk.entry,
        CAT.kinds["party_warning"].entry,
    }
    assert [b.kind for b in result.promotion] == ["party_warning", "warning_talk"]  # by start


# -- sanctions -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("kind", "last"),
    [
        ("party_warning", D(2027, 3, 9)),  # 12 months
        ("party_serious_warning", D(2027, 9, 9)),  # 18 months
        ("party_removal_from_posts", D(2028, 3, 9)),  # 2 years
        ("party_probation_1y", D(2029, 3, 9)),  # 1 year + 2 years after
        ("govt_warning", D(2026, 9, 9)),  # 6 months
        ("govt_demerit", D(2027, 3, 9)),
        ("govt_major_demerit", D(2027, 9, 9)),
        ("govt_demotion", D(2028, 3, 9)),
        ("govt_dismissal_from_post", D(2028, 3, 9)),
    ],
)
def test_sanction_periods_come_from_the_catalogue(kind: str, last: date) -> None:
    start = D(2026, 3, 10)
    assert period_last_day(start, CAT.kinds[kind].promotion_months) == last
    effect = sanction(kind, start)
    assert [b.end for b in check(last - timedelta(days=1), effect).promotion] == [last]
    assert [b.end for b in check(last, effect).promotion] == [last]
    assert check(last + timedelta(days=1), effect).promotion_ok


def test_period_rating_bar_crosses_into_the_next_year() -> None:
    effect = sanction("party_warning", D(2026, 3, 10))
    result = check(D(2027, 2, 1), effect)
    assert [b.end for b in result.advanced] == [D(2027, 3, 9)]
    assert check(D(2027, 3, 10), effect).advanced_ok


def test_government_warning_bars_rating_for_its_year_only() -> None:
    effect = sanction("govt_warning", D(2026, 10, 1))
    assert [b.end for b in check(D(2026, 12, 31), effect).advanced] == [D(2026, 12, 31)]
    next_year = check(D(2027, 1, 2), effect)
    assert next_year.advanced_ok and not next_year.promotion_ok  # 6 months run to 31 March


def test_permanent_kind_has_no_end() -> None:
    result = check(D(2040, 1, 1), sanction("govt_expulsion", D(2026, 3, 10)))
    for bars in (result.advanced, result.promotion):
        assert [(b.end, b.open_end) for b in bars] == [(None, OpenEnd.PERMANENT)]


def test_unknown_kind_is_reported_not_guessed() -> None:
    result = check(D(2026, 3, 10), sanction("party_reprimand", D(2026, 3, 1)))
    assert result.unknown_kinds == ("party_reprimand",)
    assert result.advanced_ok and result.promotion_ok


# -- the rating year ------------------------------------------------------------------------------
def test_rating_year_is_the_year_just_ended_until_the_commendation_meeting() -> None:
    meeting = D(2027, 2, 10)
    assert default_rating_year(D(2027, 1, 1), meeting) == 2026
    assert default_rating_year(meeting, meeting) == 2026
    assert default_rating_year(D(2027, 2, 11), meeting) == 2027
    assert default_rating_year(D(2027, 12, 31), meeting) == 2027
    assert default_rating_year(D(2027, 1, 1), None) == 2027  # no such meeting in the calendar


def test_a_past_rating_is_judged_on_its_commendation_day() -> None:
    assert rating_judging_day(2026, D(2027, 1, 20), D(2027, 2, 10)) == D(2027, 1, 20)
    assert rating_judging_day(2026, D(2027, 6, 1), D(2027, 2, 10)) == D(2027, 2, 10)
    assert rating_judging_day(2027, D(2027, 6, 1), D(2028, 2, 10)) == D(2027, 6, 1)
    assert rating_judging_day(2020, D(2027, 6, 1), None) == D(2020, 12, 31)


def test_year_kind_bars_the_year_it_took_hold_in_whenever_judged() -> None:
    effect = talk(D(2026, 12, 20))
    previous = evaluate(D(2027, 1, 5), [effect], [], CAT, rating_year=2026)
    assert [b.end for b in previous.advanced] == [D(2026, 12, 31)]
    assert evaluate(D(2027, 1, 5), [effect], [], CAT, rating_year=2027).advanced_ok
    # A talk in January (before the commendation) bars the new year, not the year just ended.
    january = talk(D(2027, 1, 3))
    assert evaluate(D(2027, 1, 5), [january], [], CAT, rating_year=2026).advanced_ok
    assert not evaluate(D(2027, 1, 5), [january], [], CAT, rating_year=2027).advanced_ok


def test_period_kind_bars_its_own_year_even_when_it_ran_out_before_judging() -> None:
    effect = sanction("party_warning", D(2026, 1, 5))  # runs to 2027-01-04
    result = evaluate(D(2027, 1, 20), [effect], [], CAT, rating_year=2026)
    assert [b.end for b in result.advanced] == [D(2027, 1, 4)]
    assert evaluate(D(2027, 1, 20), [effect], [], CAT, rating_year=2027).advanced_ok


def test_period_kind_in_force_on_the_judging_day_bars_the_rating() -> None:
    january = sanction("party_warning", D(2027, 1, 15))
    assert not evaluate(D(2027, 1, 20), [january], [], CAT, rating_year=2026).advanced_ok
    later = sanction("party_warning", D(2027, 3, 1))
    judged = evaluate(D(2027, 6, 1), [later], [], CAT, 2026, D(2027, 2, 10))
    assert judged.advanced_ok and not judged.promotion_ok


# -- assessments ---------------------------------------------------------------------------------
def failed(year: int, on: date, rid: int = 3) -> AssessmentFact:
    return AssessmentFact(rid, year, on, failed=True)


def passed(year: int, on: date, rid: int = 4) -> AssessmentFact:
    return AssessmentFact(rid, year, on, failed=False)


def seed_check(as_of: date, *facts: AssessmentFact):  # type: ignore[no-untyped-def]
    return evaluate(as_of, [], facts, SEED_RULE)


def test_today_a_failed_assessment_is_named_for_a_check_by_hand_not_decided() -> None:
    """Today's central rules fix no bar for a failed clean-government assessment: /eligible
    names it and asks for a check by hand, deciding neither question on the 2000 practice."""
    fact = failed(2026, D(2026, 6, 30))
    result = check(D(2026, 12, 31), assessments=(fact,))
    assert result.advanced_ok and result.promotion_ok
    assert [(b.kind, b.source, b.record_id, b.entry) for b in result.to_check] == [
        ("failed_assessment", Source.ASSESSMENT, 3, "resp.main_duty.report")
    ]
    # A failure of an earlier year, since passed, is no longer named.
    later = passed(2027, D(2027, 12, 20))
    assert check(D(2028, 3, 1), assessments=(fact, later)).to_check == ()
    # Judged for its own year before the later result, it is named.
    assert check(D(2027, 12, 21), assessments=(fact, later)).to_check == ()
    judged = evaluate(D(2027, 1, 20), [], [fact, later], CAT, rating_year=2026)
    assert [b.record_id for b in judged.to_check] == [3]


def test_failed_assessment_bars_rating_in_its_year() -> None:
    fact = failed(2026, D(2026, 6, 30))
    result = seed_check(D(2026, 12, 31), fact)
    assert [(b.kind, b.start, b.end) for b in result.advanced] == [
        ("failed_assessment", D(2026, 1, 1), D(2026, 12, 31))  # the whole assessed year
    ]
    assert seed_check(D(2027, 1, 1), fact).advanced_ok


def test_failure_recorded_next_january_bars_the_assessed_year() -> None:
    fact = failed(2026, D(2027, 1, 15))
    result = evaluate(D(2027, 1, 20), [], [fact], SEED_RULE, rating_year=2026)
    assert [(b.start, b.end) for b in result.advanced] == [(D(2026, 1, 1), D(2026, 12, 31))]
    assert result.rating_year == 2026 and result.judged_on == D(2027, 1, 20)
    assert evaluate(D(2027, 1, 20), [], [fact], SEED_RULE, rating_year=2027).advanced_ok


def test_failed_assessment_bars_promotion_until_a_later_pass() -> None:
    fact = failed(2025, D(2025, 12, 20))
    bars = seed_check(D(2026, 3, 10), fact).promotion
    assert [(b.start, b.end, b.open_end) for b in bars] == [
        (D(2025, 12, 20), None, OpenEnd.UNTIL_PASSED)
    ]
    later = passed(2026, D(2026, 12, 20))
    assert not seed_check(D(2026, 12, 19), fact, later).promotion_ok
    assert seed_check(D(2026, 12, 20), fact, later).promotion_ok


def test_assessment_decided_after_the_day_asked_about_is_ignored() -> None:
    assert seed_check(D(2026, 6, 1), failed(2026, D(2026, 6, 2))).promotion_ok
    assert check(D(2026, 6, 1), assessments=(failed(2026, D(2026, 6, 2)),)).to_check == ()


# -- the catalogue is data ---------------------------------------------------------------------
SMALL = """
kinds:
  - {code: warning_talk, family: talk, name_zh: 诫勉谈话, name_en: Talk, promotion_months: 3,
     advanced_rating: none, entry: check.warning_talk.effects}
  - {code: failed_assessment, family: assessment, name_zh: 考核不达标, name_en: Failed,
     promotion_months: 12, advanced_rating: year, entry: assess.consequences.no_advanced,
     promotion_entry: assess.consequences.no_promotion}
"""
# The seed-era county's rule as data (a deployment whose own rules fix a bar may set it so):
# a failure bars rating that year and promotion until a later pass.
SEED_RULE = parse_sanctions(SMALL.replace("promotion_months: 12,", "promotion_months: 0,"))


def test_changing_the_data_file_changes_the_answer() -> None:
    small = parse_sanctions(SMALL)
    start = D(2026, 3, 10)
    result = evaluate(D(2026, 6, 9), [talk(start)], [], small)
    assert [b.end for b in result.promotion] == [D(2026, 6, 9)] and result.advanced_ok
    assert evaluate(D(2026, 6, 10), [talk(start)], [], small).promotion_ok
    # A failed assessment with a period in the data is counted by period, citing promotion_entry.
    fact = failed(2025, D(2025, 12, 20))
    bars = evaluate(D(2026, 3, 10), [], [fact], small).promotion
    assert [(b.end, b.entry) for b in bars] == [
        (D(2026, 12, 19), "assess.consequences.no_promotion")
    ]


@pytest.mark.parametrize(
    "bad",
    [
        SMALL.replace("failed_assessment", "warning_talk"),  # duplicate code, one missing
        SMALL.replace("advanced_rating: none", "advanced_rating: sometimes"),
        SMALL.replace("promotion_months: 3", "promotion_months: -1"),
        "kinds: []",
    ],
)
def test_invalid_catalogues_are_rejected(bad: str) -> None:
    with pytest.raises(ValidationError):
        parse_sanctions(bad)


def test_builtin_catalogue_cites_existing_entries(kb: KnowledgeBase) -> None:
    assert isinstance(CAT, SanctionCatalogue)
    assert CAT.dangling_entries(kb.entries) == []
    assert CAT.dangling_entries(["x.y"]) != []
    assert {k.family for k in CAT.discipline_kinds()} == {
        "party",
        "govt",
        "institution",
        "enterprise",
    }


def test_discipline_kinds_are_found_by_name_or_code() -> None:
    assert CAT.find_discipline("党内严重警告").code == "party_serious_warning"  # type: ignore[union-attr]
    assert CAT.find_discipline("严重警告").code == "party_serious_warning"  # type: ignore[union-attr]
    assert CAT.find_discipline("Demerit").code == "govt_demerit"  # type: ignore[union-attr]
    assert CAT.find_discipline("警告") is None  # ambiguous
    assert CAT.find_discipline("warning_talk") is None  # not a discipline kind
    assert CAT.find_discipline("") is None


def test_talk_reasons_load_and_cite_existing_entries(kb: KnowledgeBase) -> None:
    reasons = load_talk_reasons()
    codes = [r.code for r in reasons.all()]
    assert {"unit_violation", "lagging_work", "integrity_breach", "other"} <= set(codes)
    assert len(codes) == 9
    assert all(r.entry in kb.entries for r in reasons.all() if r.entry)
    assert reasons.find("选人用人不当").code == "improper_appointments"  # type: ignore[union-attr]
    assert reasons.find("Vanity projects or waste").code == "vanity_waste"  # type: ignore[union-attr]
    assert reasons.find("nonsense") is None
