"""A small organisation with hand-counted records for the summary tests.

Tree: C (city) → A (county: A1 department, A2 township), B (county: B1 township).
Records are inserted as rows (the summary reads tables, whatever wrote them); every count
the tests expect is written next to the rows that make it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from handlers.core.domain import NewPerson, Person, Role, Unit, UnitLevel
from storage.pledges.models import AppraisalRow, CheckinRow, PledgeRow
from storage.records.models import (
    AccountabilityCaseRow,
    AssessmentRow,
    CasePersonRow,
    RectificationNoticeRow,
    WarningTalkRow,
)
from storage.reminders.models import QuizAttemptRow, ReminderDeliveryRow, ReminderOccurrenceRow

T = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)
#: The moment the tests look at the figures: the mid-year check-in window has closed.
NOW = datetime(2026, 8, 1, 2, 0, tzinfo=UTC)


@dataclass
class Org:
    """Units and people of the fixture."""

    c: Unit
    a: Unit
    a1: Unit
    a2: Unit
    b: Unit
    b1: Unit
    people: dict[str, Person]


def _tracked(by: int) -> dict[str, Any]:
    return {"created_by": by, "created_at": T, "updated_at": T}


def talk_row(
    person: Person, unit: Unit, day: date, by: int = 1, deleted: bool = False
) -> WarningTalkRow:
    """A warning talk with placeholder texts (the figures count talks, not their words)."""
    return WarningTalkRow(
        person_id=person.id,
        unit_id=unit.id,
        talk_date=day,
        place="会议室",
        talker="谈话人",
        note_taker="记录人",
        reason="other",
        summary="…",
        response="…",
        deleted_at=T if deleted else None,
        **_tracked(by),
    )


async def add_case(
    s: Any,
    unit: Unit,
    title: str,
    opened: date,
    by: int,
    status: str = "open",
    deleted: bool = False,
) -> AccountabilityCaseRow:
    """An accountability case, flushed so that handlings can refer to its id."""
    row = AccountabilityCaseRow(
        unit_id=unit.id,
        title=title,
        circumstance="other",
        facts="…",
        opened_on=opened,
        status=status,
        deleted_at=T if deleted else None,
        **_tracked(by),
    )
    s.add(row)
    await s.flush()
    return row


def handling(
    case: AccountabilityCaseRow,
    person: Person,
    unit: Unit,
    category: str,
    kind: str,
    on: date,
    by: int,
    deleted: bool = False,
) -> CasePersonRow:
    """One person's handling in a case, effective on ``on``."""
    return CasePersonRow(
        case_id=case.id,
        person_id=person.id,
        unit_id=unit.id,
        category=category,
        kind=kind,
        effective_on=on,
        note="",
        deleted_at=T if deleted else None,
        **_tracked(by),
    )


async def stored_org(sql_uow: Any, seed_cases: bool = True) -> Org:
    """The fixture's organisation and records (and the seed report's cases) committed."""
    async with sql_uow() as uow:
        org = await build_org(uow)
        await add_records(uow, org)
        if seed_cases:
            await add_seed_shape_cases(uow, org)
        await uow.commit()
    return org


async def build_org(uow: Any) -> Org:
    """Units, people (section-level unless noted) and two supervisors with Telegram ids."""
    c = await uow.units.add("C", "城市", UnitLevel.CITY, None)
    a = await uow.units.add("A", "甲县", UnitLevel.COUNTY, c.id)
    b = await uow.units.add("B", "乙县", UnitLevel.COUNTY, c.id)
    a1 = await uow.units.add("A1", "甲县教育局", UnitLevel.DEPARTMENT, a.id)
    a2 = await uow.units.add("A2", "=甲镇", UnitLevel.TOWNSHIP, a.id)  # formula-looking name
    b1 = await uow.units.add("B1", "乙镇", UnitLevel.TOWNSHIP, b.id)
    people: dict[str, Person] = {}
    for key, name, unit, section, tg in [
        ("sup_c", "市督查", c, True, 500),
        ("sup_a", "甲督查", a, True, 501),
        ("sup_b", "乙督查", b, True, 502),
        ("head_c", "市一把手", c, True, None),
        ("a1x", "甲一", a1, True, None),
        ("a1y", "甲二", a1, True, None),
        ("a2x", "甲三", a2, True, None),
        ("a2z", "甲四", a2, False, None),  # not section level: not expected to take the test
        ("b1x", "乙一", b1, True, None),
        ("b1y", "@乙二", b1, True, None),  # formula-looking name
    ]:
        people[key] = await uow.people.add(NewPerson(name, unit.id, "", section, tg))
    # Two people with dates: one listed in May 2026, one gone in April 2026 (deactivated).
    listed = datetime(2026, 5, 10, 2, 0, tzinfo=UTC)
    people["b1new"] = await uow.people.add(
        NewPerson("乙新", b1.id, "", True, None, listed_at=listed)
    )
    people["a1gone"] = await uow.people.add(NewPerson("甲走", a1.id, "", True, None))
    await uow.people.set_active(people["a1gone"].id, False, datetime(2026, 4, 1, 2, 0, tzinfo=UTC))
    await uow.people.grant(people["sup_c"].id, Role.SUPERVISOR, c.id)
    await uow.people.grant(people["sup_a"].id, Role.SUPERVISOR, a.id)
    await uow.people.grant(people["sup_b"].id, Role.SUPERVISOR, b.id)
    # Supervisors may not take the test, so they are not expected to; a unit principal is.
    await uow.people.grant(people["head_c"].id, Role.UNIT_HEAD, c.id)
    return Org(c, a, a1, a2, b, b1, people)


async def add_records(uow: Any, org: Org) -> None:
    """The hand-counted records (see the expectations in test_summary_figures.py)."""
    p = org.people
    by = p["sup_c"].id
    s = uow.session
    rows: list[Any] = []

    # Assessments. 2026 whole: excellent 2 (A1, A), passed 1 (A2), failed 1 (B1),
    # advanced units 1 (A1), advanced workers 3 (a1x, a1y, b1x). Subtree A: 2/1/0, 1, 2.
    def assess(unit: Unit, person: str | None, year: int, result: str, comm: str | None,
               deleted: bool = False) -> AssessmentRow:  # fmt: skip
        return AssessmentRow(
            unit_id=unit.id,
            person_id=p[person].id if person else None,
            year=year,
            result=result,
            methods=[],
            commendation=comm,
            notes="",
            assessed_on=date(year, 12, 20),
            deleted_at=T if deleted else None,
            **_tracked(by),
        )

    rows += [
        assess(org.a1, None, 2026, "excellent", "advanced_unit"),
        assess(org.a, None, 2026, "excellent", None),
        assess(org.a2, None, 2026, "passed", None),
        assess(org.b1, None, 2026, "failed", None),
        assess(org.a1, "a1x", 2026, "excellent", "advanced_worker"),
        assess(org.a1, "a1y", 2026, "passed", "advanced_worker"),
        assess(org.b1, "b1x", 2026, "excellent", "advanced_worker"),
        assess(org.a2, "a2x", 2026, "passed", None),
        assess(org.b, None, 2026, "excellent", "advanced_unit", deleted=True),
        assess(org.a1, None, 2025, "failed", None),
    ]

    # Warning talks: Q1 has 2 (31 March in A1, 2 January in B1), Q2 has 1 (1 April in A2);
    # a deleted talk and a 2025 talk never count.
    def talk(unit: Unit, person: str, day: date, deleted: bool = False) -> WarningTalkRow:
        return talk_row(p[person], unit, day, by, deleted)

    rows += [
        talk(org.a1, "a1x", date(2026, 3, 31)),
        talk(org.b1, "b1x", date(2026, 1, 2)),
        talk(org.a2, "a2x", date(2026, 4, 1)),
        talk(org.a2, "a2x", date(2026, 4, 2), deleted=True),
        talk(org.a1, "a1y", date(2025, 12, 31)),
    ]

    # Rectification notices issued in 2026, as of 1 August 2026: open 1 (A1 not yet due),
    # overdue 2 (A2; B1 past its deadline with a report awaiting review — overdue means not
    # accepted by the deadline), closed on time 1 (A1), late 1 (B1).
    def notice(unit: Unit, issued: date, deadline: date, status: str,
               closed: date | None = None) -> RectificationNoticeRow:  # fmt: skip
        return RectificationNoticeRow(
            unit_id=unit.id,
            recipient_id=None,
            issued_on=issued,
            deadline=deadline,
            problems="…",
            status=status,
            closed_on=closed,
            **_tracked(by),
        )

    rows += [
        notice(org.a1, date(2026, 7, 1), date(2026, 9, 1), "open"),
        notice(org.b1, date(2026, 5, 1), date(2026, 6, 1), "submitted"),
        notice(org.a2, date(2026, 5, 1), date(2026, 6, 1), "open"),
        notice(org.a1, date(2026, 3, 1), date(2026, 5, 10), "closed", date(2026, 5, 1)),
        notice(org.b1, date(2026, 3, 1), date(2026, 5, 10), "closed", date(2026, 5, 20)),
        notice(org.b1, date(2025, 12, 20), date(2026, 1, 20), "open"),
    ]
    s.add_all(rows)
    await s.flush()

    # Pledges 2026: a1x, a1y (A1), a2x (A2), b1x (B1); one 2025 pledge (b1y).
    # Check-ins: a1x mid-year on time, a1y mid-year late, b1x year-end on time (early),
    # a2x none. 2026: on time 2, late 1, missing 2 (mid-year: a2x and b1x).
    # Appraisals: a1x excellent, a1y passed, b1x failed.
    pledges = {}
    for key, unit, year in [
        ("a1x", org.a1, 2026),
        ("a1y", org.a1, 2026),
        ("a2x", org.a2, 2026),
        ("b1x", org.b1, 2026),
        ("b1y", org.b1, 2025),
    ]:
        row = PledgeRow(
            person_id=p[key].id,
            unit_id=unit.id,
            year=year,
            post_type="member",
            items=["一", "二", "三"],
            publish_via="meeting",
            publish_date=date(year, 1, 20),
            created_at=T,
            updated_at=T,
        )
        s.add(row)
        pledges[key] = row
    await s.flush()
    for key, period, late in [
        ("a1x", "midyear", False),
        ("a1y", "midyear", True),
        ("b1x", "yearend", False),
        ("b1y", "midyear", False),
    ]:
        s.add(
            CheckinRow(
                pledge_id=pledges[key].id,
                person_id=p[key].id,
                period=period,
                entries=[],
                late=late,
                submitted_at=T,
                updated_at=T,
            )
        )
    for key, grade in [("a1x", "excellent"), ("a1y", "passed"), ("b1x", "failed")]:
        s.add(
            AppraisalRow(
                pledge_id=pledges[key].id,
                person_id=p[key].id,
                grade=grade,
                score=80.0,
                by_id=by,
                at=T,
            )
        )

    # Reminders sent in 2026 (local time) to people of A: 3, acknowledged 2; one pending
    # (never sent) and one sent on 31 December 2025 local time do not count. People of B:
    # 2 sent (one on 1 January local, still 31 December in UTC), 1 acknowledged (a snooze
    # is not an acknowledgement).
    occ = ReminderOccurrenceRow(
        key="k1", kind="event", topic="t", due_at=T, params={}, created_at=T
    )
    s.add(occ)
    await s.flush()
    for key, sent, ack in [
        ("a1x", datetime(2026, 2, 1, tzinfo=UTC), "done"),
        ("a1y", datetime(2026, 2, 1, tzinfo=UTC), "received"),
        ("a2x", datetime(2026, 2, 1, tzinfo=UTC), "none"),
        ("a2z", None, "none"),
        ("sup_a", datetime(2025, 12, 31, 15, 0, tzinfo=UTC), "done"),  # 2025-12-31 23:00 local
        ("b1x", datetime(2026, 3, 1, tzinfo=UTC), "snoozed"),
        ("b1y", datetime(2025, 12, 31, 17, 0, tzinfo=UTC), "done"),  # 2026-01-01 01:00 local
    ]:
        s.add(
            ReminderDeliveryRow(
                occurrence_id=occ.id,
                person_id=p[key].id,
                due_at=T,
                status="sent" if sent else "pending",
                sent_at=sent,
                ack_status=ack,
            )
        )

    # Education-month test 2026: a1x best 90 (also 80), b1x 70; practice and unfinished
    # attempts do not count. Eligible: active section-level people (8 of 9).
    aug = datetime(2026, 8, 1, 1, 0, tzinfo=UTC)
    for key, practice, score in [
        ("a1x", False, 80),
        ("a1x", False, 90),
        ("b1x", False, 70),
        ("a1y", True, 100),
        ("a2x", False, None),
    ]:
        s.add(
            QuizAttemptRow(
                person_id=p[key].id,
                year=2026,
                practice=practice,
                question_ids=[],
                answers=[],
                started_at=aug,
                finished_at=aug if score is not None else None,
                score=score,
            )
        )
    await s.flush()


async def add_seed_shape_cases(uow: Any, org: Org) -> None:
    """The seed report's two-year shape: 172 cases / 239 people; organisational 125 / 177,
    discipline 47 / 62 — spread over A1 (even cases) and B1 (odd cases) in 2025–2026.

    Organisational: 52 cases with 2 people + 73 with 1 = 125 cases, 177 people.
    Discipline: 15 cases with 2 people + 32 with 1 = 47 cases, 62 people.
    Not counted: a deleted case, a deleted person in a counted case, a 2024 case.
    """
    p = org.people
    by = p["sup_c"].id
    s = uow.session
    plan = (
        [("organisational", "circulated_criticism", 2)] * 52
        + [("organisational", "warning_talk", 1)] * 73
        + [("discipline", "party_warning", 2)] * 15
        + [("discipline", "govt_demerit", 1)] * 32
    )
    who = [["a1x", "a1y"], ["b1x", "b1y"]]
    for i, (category, kind, n) in enumerate(plan):
        unit = org.a1 if i % 2 == 0 else org.b1
        opened = date(2025 + i % 2, 1 + i % 12, 1 + i % 28)
        case_row = await add_case(s, unit, f"案件{i}", opened, by, status="closed")
        for j in range(n):
            key = who[i % 2][j]
            s.add(handling(case_row, p[key], unit, category, kind, opened, by))
        if i == 0:  # a deleted person row in a counted case
            s.add(
                handling(
                    case_row, p["a2x"], org.a2, "discipline", "party_warning", opened, by, True
                )
            )
    for opened, deleted in [(date(2026, 5, 1), True), (date(2024, 12, 31), False)]:
        case_row = await add_case(s, org.a1, "不计", opened, by, deleted=deleted)
        s.add(handling(case_row, p["a1x"], org.a1, "organisational", "removal", opened, by))
    await s.flush()


async def forged_summaries_reveal_nothing(core: Any, org: Org) -> None:
    """County A's supervisor (501) asks for county B by forged button data and by typed code:
    each answer is the one an unknown unit gets, and names nothing of B."""
    from tests.handlers.core.helpers import say, texts

    for prefix in ("sum", "sumc", "sumx"):
        forged = await say(core, 501, data=f"{prefix}:{org.b.id}:2026")
        missing = await say(core, 501, data=f"{prefix}:99999:2026")
        assert len(forged) == 1 and len(missing) == 1
        assert texts(forged).replace(str(org.b.id), "N") == texts(missing).replace("99999", "N")
        assert "乙" not in texts(forged)
    # Typed unit codes outside the scope get the same answer as unknown codes.
    typed = await say(core, 501, "/summary B 2026")
    unknown = await say(core, 501, "/summary ZZ 2026")
    assert texts(typed).replace("B", "N") == texts(unknown).replace("ZZ", "N")
