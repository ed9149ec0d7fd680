"""Summary figures against hand-counted fixtures, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from handlers.summary.domain import Figures, KindCount, Summary
from handlers.summary.figures import build_summary
from handlers.summary.period import parse_period, quarter_period, year_period
from tests.storage.summary.fixture import (
    NOW,
    T,
    add_case,
    handling,
    stored_org,
)

pytestmark = pytest.mark.storage
TZ = ZoneInfo("Asia/Shanghai")


async def summary_2026(sql_uow: Any, unit: str) -> Summary:
    """The 2026 summary of one of the fixture's units (without the seed report's cases)."""
    org = await stored_org(sql_uow, seed_cases=False)
    async with sql_uow() as uow:
        return await build_summary(uow, getattr(org, unit), year_period(2026), NOW, TZ)


# The 2026 figures counted by hand from the fixture, compared in one assertion per unit so
# that a failure names every figure that differs.
COUNTED = [
    "units_excellent",
    "units_passed",
    "units_failed",
    "advanced_units",
    "advanced_workers",
    "talks",
    "notices_open",
    "notices_overdue",
    "notices_closed_on_time",
    "notices_closed_late",
    "pledges",
    "checkins_on_time",
    "checkins_late",
    "checkins_missing",
    "reminders_sent",
    "reminders_acked",
    "quiz_eligible",
    "quiz_takers",
    "quiz_score_total",
]


@pytest.mark.parametrize(
    ("unit", "counted"),
    [
        # quiz_eligible: section-level people but the supervisors (who may not take the test),
        # with the one listed in May and the one gone in April (both there part of 2026)
        ("c", (2, 1, 1, 1, 3, 3, 1, 2, 1, 1, 4, 2, 1, 2, 5, 3, 8, 2, 160)),  # the whole city
        ("a", (2, 1, 0, 1, 2, 2, 1, 1, 1, 0, 3, 1, 1, 1, 3, 2, 4, 1, 90)),  # county A only
    ],
)
async def test_hand_counted_figures_for_2026(
    sql_uow: Any, unit: str, counted: tuple[int, ...]
) -> None:
    f = (await summary_2026(sql_uow, unit)).total
    assert {name: getattr(f, name) for name in COUNTED} == dict(zip(COUNTED, counted, strict=True))


async def test_the_city_total_is_the_sum_of_its_parts(sql_uow: Any) -> None:
    s = await summary_2026(sql_uow, "c")
    f = s.total
    assert (f.appraisal_excellent, f.appraisal_passed, f.appraisal_failed) == (1, 1, 1)
    assert f.quiz_average == 80.0
    assert f.cases == 0 and f.people == 0
    # The parts: the city's own rows (its unit principal is expected to take the test), A and B.
    assert [(p.unit.code, p.own) for p in s.parts] == [("C", True), ("A", False), ("B", False)]
    assert sum((p.figures for p in s.parts), Figures()) == f


async def test_a_county_sees_only_its_subtree(sql_uow: Any) -> None:
    s = await summary_2026(sql_uow, "a")
    assert [p.unit.code for p in s.parts] == ["A", "A1", "A2"]
    a1 = next(p.figures for p in s.parts if p.unit.code == "A1")
    assert (a1.units_excellent, a1.advanced_workers, a1.talks, a1.pledges) == (1, 2, 1, 2)


async def test_period_boundaries_quarters_and_local_midnight(sql_uow: Any) -> None:
    org = await stored_org(sql_uow, seed_cases=False)
    async with sql_uow() as uow:
        q1 = await build_summary(uow, org.c, quarter_period(2026, 1), NOW, TZ)
        q2 = await build_summary(uow, org.c, quarter_period(2026, 2), NOW, TZ)
        march = await build_summary(uow, org.c, parse_period("2026年3月") or q1.period, NOW, TZ)
        y2025 = await build_summary(uow, org.c, year_period(2025), NOW, TZ)
    assert q1.total.talks == 2  # 2 January and 31 March
    assert q2.total.talks == 1  # 1 April
    assert march.total.talks == 1
    assert y2025.total.talks == 1
    # The reminder sent at 01:00 on 1 January local time (still 2025 in UTC) is 2026's.
    assert (q1.total.reminders_sent, q1.total.reminders_acked) == (5, 3)
    assert (y2025.total.reminders_sent, y2025.total.reminders_acked) == (1, 1)
    # Check-ins count in the period where their window closes: mid-year (15 July) in Q3.
    assert q2.total.checkins_expected == 0
    async with sql_uow() as uow:
        q3 = await build_summary(uow, org.c, quarter_period(2026, 3), NOW, TZ)
    assert (q3.total.checkins_on_time, q3.total.checkins_late, q3.total.checkins_missing) == (
        1,
        1,
        2,
    )


async def test_missing_checkins_only_after_the_window_closes(sql_uow: Any) -> None:
    org = await stored_org(sql_uow, seed_cases=False)
    before_close = datetime(2026, 7, 10, 2, 0, tzinfo=UTC)
    async with sql_uow() as uow:
        s = await build_summary(uow, org.c, year_period(2026), before_close, TZ)
    assert s.total.checkins_missing == 0
    assert (s.total.checkins_on_time, s.total.checkins_late) == (2, 1)


async def test_seed_shape_cases_and_people_by_handling(sql_uow: Any) -> None:
    org = await stored_org(sql_uow)
    two_years = parse_period("2025-01-01..2026-12-31")
    assert two_years is not None
    async with sql_uow() as uow:
        s = await build_summary(uow, org.c, two_years, NOW, TZ)
        a = await build_summary(uow, org.a, two_years, NOW, TZ)
        b = await build_summary(uow, org.b, two_years, NOW, TZ)
    f = s.total
    assert (f.cases, f.people) == (172, 239)
    assert (f.org_cases, f.org_people) == (125, 177)
    assert (f.disc_cases, f.disc_people) == (47, 62)
    assert set(s.kinds) == {
        KindCount("organisational", "circulated_criticism", 104, 52),
        KindCount("organisational", "warning_talk", 73, 73),
        KindCount("discipline", "party_warning", 30, 15),
        KindCount("discipline", "govt_demerit", 32, 32),
    }
    # Even-numbered cases are A1's, odd ones B1's: 86 cases each.
    assert a.total.cases == 86 and b.total.cases == 86
    assert a.total.people + b.total.people == 239
    assert a.total.org_cases + b.total.org_cases == 125


async def test_a_case_with_both_handlings_counts_once_in_total(sql_uow: Any) -> None:
    org = await stored_org(sql_uow, seed_cases=False)
    async with sql_uow() as uow:
        s = uow.session
        by = org.people["sup_c"].id
        case_row = await add_case(s, org.b1, "混合", date(2026, 6, 1), by)
        for key, category, kind in [
            ("b1x", "organisational", "job_adjustment"),
            ("b1y", "discipline", "govt_warning"),
            # A third person: one person has one handling per case (a unique index).
            ("sup_b", "organisational", "job_adjustment"),
        ]:
            s.add(handling(case_row, org.people[key], org.b1, category, kind, date(2026, 6, 1), by))
        await add_case(s, org.b1, "尚无人员", date(2026, 6, 2), by)
        await uow.commit()
    async with sql_uow() as uow:
        summary = await build_summary(uow, org.c, year_period(2026), NOW, TZ)
    f = summary.total
    # Two cases (one still without people); 3 person-times; the mixed case counts under
    # both handlings, the empty one under neither.
    assert (f.cases, f.people) == (2, 3)
    assert (f.org_cases, f.org_people, f.disc_cases, f.disc_people) == (1, 2, 1, 1)
    assert KindCount("organisational", "job_adjustment", 2, 1) in summary.kinds


async def test_export_row_queries(sql_uow: Any) -> None:
    org = await stored_org(sql_uow)
    from handlers.summary.figures import make_query

    async with sql_uow() as uow:
        q2025 = make_query(org.a, year_period(2025), NOW, TZ)
        people = await uow.summary.accountable_people(q2025, 1000)
        q = make_query(org.a, year_period(2026), NOW, TZ)
        results = await uow.summary.assessments(q, 1000)
    # A1 has the even-numbered seed cases, all opened in 2025: 86 cases.
    assert len({p.case_id for p in people}) == 86
    assert all(p.unit_code == "A1" and p.opened_on.year == 2025 for p in people)
    assert {p.person_name for p in people} == {"甲一", "甲二"}
    # Unit results first within a unit, then people's; B's never appear.
    assert [(r.unit_code, r.person_name, r.result) for r in results] == [
        ("A", "", "excellent"),
        ("A1", "", "excellent"),
        ("A1", "甲一", "excellent"),
        ("A1", "甲二", "passed"),
        ("A2", "", "passed"),
        ("A2", "甲三", "passed"),
    ]


@pytest.mark.parametrize("wide_scope", [0.0, 1.0])
async def test_narrow_and_wide_scans_agree(
    sql_uow: Any, wide_scope: float, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Pre-filtering by the subtree's unit ids (narrow) or not (wide) gives equal figures."""
    import storage.summary.repository as repo

    org = await stored_org(sql_uow)
    two_years = parse_period("2025-01-01..2026-12-31")
    assert two_years is not None
    async with sql_uow() as uow:
        expected = {
            u.code: await build_summary(uow, u, two_years, NOW, TZ) for u in (org.c, org.a, org.b1)
        }
    monkeypatch.setattr(repo, "WIDE_SCOPE", wide_scope)
    async with sql_uow() as uow:
        for u in (org.c, org.a, org.b1):
            got = await build_summary(uow, u, two_years, NOW, TZ)
            assert got.total == expected[u.code].total
            assert got.parts == expected[u.code].parts
    assert expected["A"].total.cases == 86 and expected["B1"].total.cases == 86


async def test_a_pledge_made_after_a_window_closed_owes_no_check_in_for_it(sql_uow: Any) -> None:
    """a2z pledges for 2026 on 25 July, after the mid-year window closed (14 July): one more
    pledge, no more missing check-ins. The same pledge made public in June would owe one."""
    from storage.pledges.models import PledgeRow

    org = await stored_org(sql_uow, seed_cases=False)
    async with sql_uow() as uow:
        before = (await build_summary(uow, org.c, year_period(2026), NOW, TZ)).total
    # Made public after the January due date, each also counts as late; on 15 January not.
    for day, extra_missing, late in (
        (date(2026, 7, 25), 0, 1), (date(2026, 6, 10), 1, 1), (date(2026, 1, 15), 1, 0)
    ):  # fmt: skip
        async with sql_uow() as uow:
            uow.session.add(
                PledgeRow(
                    person_id=org.people["a2z"].id, unit_id=org.a2.id, year=2026,
                    post_type="member", items=["一", "二", "三"], publish_via="meeting",
                    publish_date=day, created_at=T, updated_at=T,
                )
            )  # fmt: skip
            f = (await build_summary(uow, org.c, year_period(2026), NOW, TZ)).total
            await uow.rollback()
        assert f.pledges == before.pledges + 1
        assert f.checkins_missing == before.checkins_missing + extra_missing, day
        assert f.pledges_late == before.pledges_late + late, day


async def test_a_past_periods_test_counts_who_was_there_then(sql_uow: Any) -> None:
    # 乙新 was listed on 10 May 2026, 甲走 left on 1 April 2026: the first quarter expected the
    # test of 甲走 but not of 乙新, the third quarter the reverse; 2025 only 甲走's (listed
    # before the dates were kept). Six undated people are expected in every period.
    org = await stored_org(sql_uow, seed_cases=False)
    async with sql_uow() as uow:
        counts = [
            (await build_summary(uow, org.c, period, NOW, TZ)).total.quiz_eligible
            for period in (quarter_period(2026, 1), quarter_period(2026, 3), year_period(2025))
        ]
        county_a_q3 = (await build_summary(uow, org.a, quarter_period(2026, 3), NOW, TZ)).total
    assert counts == [7, 7, 7]
    assert county_a_q3.quiz_eligible == 3  # 甲走 is gone, 乙新 is in county B
