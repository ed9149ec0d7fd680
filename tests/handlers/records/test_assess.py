"""Assessment results on fakes: record, duplicates, commendations, edit, list, scope, delete."""

from __future__ import annotations

from handlers.core.app import Assistant
from handlers.core.domain import Grade
from handlers.records.domain import AssessmentMethod, Commendation
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.core.helpers import button_data, buttons, forms_open, say, texts
from tests.handlers.records.support import (
    ADMIN,
    HL_CADRE,
    HL_INSPECTOR,
    QF_INSPECTOR,
    ZH,
    create_assessment,
    not_found,
    run,
)


def results(fake_uow: FakeUnitOfWorkFactory):  # type: ignore[no-untyped-def]
    return fake_uow.db.record_tables.assessments


async def test_record_person_result(core: Assistant, fake_uow: FakeUnitOfWorkFactory) -> None:
    aid = await create_assessment(core)
    a = results(fake_uow)[aid]
    person = fake_uow.db.people[a.person_id]
    assert person.name == "马丽娟" and a.unit_id == person.unit_id
    assert (a.year, a.result, a.commendation) == (2026, Grade.FAILED, None)
    assert a.methods == (
        AssessmentMethod.SELF_CHECK,
        AssessmentMethod.EXAMINING_RECORDS,
        AssessmentMethod.DISCUSSION_MEETINGS,
    )
    assert fake_uow.db.audit[-1].action == "assessment.recorded"
    opened = texts(await say(core, HL_INSPECTOR, data=f"as:o:{aid}"))
    assert ZH._("failed") in opened and ZH._("examining records") in opened


async def test_record_unit_result_with_commendation(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    replies = await run(
        core,
        HL_INSPECTOR,
        "/assess",
        "@f:c:unit",
        "岳村镇",
        "@f:c:2026",
        "@f:c:excellent",
        "@f:c:12345",
        "@f:c:advanced_unit",
        "今天",
        "表现突出",
        "@f:ok",
    )
    aid = max(results(fake_uow))
    assert ZH._("Assessment result #{id} recorded.", id=aid) in texts(replies)
    a = results(fake_uow)[aid]
    assert a.person_id is None and fake_uow.db.units[a.unit_id].code == "HL-YC"
    assert a.commendation == Commendation.ADVANCED_UNIT and len(a.methods) == 5
    assert a.notes == "表现突出"


async def test_a_result_changed_to_failed_drops_its_commendation(core: Assistant) -> None:
    """优秀 with 先进单位, then the result changed to 不达标 on the review: the commendation
    had stayed beside it, and confirming was refused."""
    steps = ("/assess", "@f:c:unit", "岳村镇", "@f:c:2026", "@f:c:excellent", "1 3")
    await run(core, HL_INSPECTOR, *steps, "@f:c:advanced_unit", "今天", "@f:skip")
    review = texts(await run(core, HL_INSPECTOR, "@f:edit:result", "@f:c:failed"))
    assert f"{ZH._('Commendation')}: —" in review, review
    said = ZH._(
        "The commendation ({name}) is dropped: a failed assessment cannot go with one.",
        name="先进单位",
    )
    assert said in review
    done = texts(await say(core, HL_INSPECTOR, data="f:ok"))
    assert ZH._("A failed assessment cannot go with a commendation.") not in done


async def test_bad_input_is_refused(core: Assistant, fake_uow: FakeUnitOfWorkFactory) -> None:
    before = dict(results(fake_uow))
    await run(core, HL_INSPECTOR, "/assess", "@f:c:person", "马丽娟", "@f:c:2026")
    answered = texts(await run(core, HL_INSPECTOR, "@f:c:failed", "12"))
    # Failed: the commendation is answered "none" without being asked, and said.
    assert f"{ZH._('Commendation')}：—" in answered
    assert ZH._("On which day was the result decided?") in answered
    offered = await say(core, HL_INSPECTOR, data="f:back")
    # Gone back to: only "none" is offered; pressing a stale commendation button is refused.
    assert "f:c:advanced_worker" not in [d for _, d in buttons(offered)]
    assert "f:c:none" in [d for _, d in buttons(offered)]
    commend = await run(core, HL_INSPECTOR, "@f:c:advanced_worker")
    assert texts(commend) == ZH._("That choice is no longer available.")
    typed = await say(core, HL_INSPECTOR, "先进工作者")  # typed, it is refused with the reason
    assert texts(typed) == ZH._("A failed assessment cannot go with a commendation.")
    methods = await run(core, HL_INSPECTOR, "@f:back", "7")
    assert texts(methods) == ZH._("Please type numbers from 1 to 5.")
    await run(core, HL_INSPECTOR, "2 4", "@f:c:none")
    early = await say(core, HL_INSPECTOR, "2025-12-31")
    assert texts(early) == ZH._("The assessment date cannot be before the year assessed.")
    future_year = await run(
        core, HL_INSPECTOR, "@f:cancel", "/assess", "@f:c:unit", "HL-ZF", "2027"
    )
    assert texts(future_year) == ZH._(
        "{year} has not come yet: an assessment is recorded for a year under way or over, such as {now}.",
        year=2027,
        now=2026,
    )
    nonsense = await run(core, HL_INSPECTOR, "1899")
    assert texts(nonsense) == ZH._("Please give a year like {year}.", year=2026)
    outside = await run(core, HL_INSPECTOR, "@f:cancel", "/assess", "@f:c:unit", "QF-ZF")
    assert texts(outside) == ZH._("No unit “{text}” found within your scope.", text="QF-ZF")
    assert results(fake_uow) == before


async def test_second_result_for_same_subject_and_year_is_refused(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    aid = await create_assessment(core)
    again = await run(core, HL_INSPECTOR, "/assess", "@f:c:person", "马丽娟", "@f:c:2026")
    duplicate = ZH._(
        "A result for this subject and year is already recorded (#{id}). Open it and edit it instead.",
        id=aid,
    )
    assert texts(again) == duplicate
    # Changing the year at the review screen onto a taken year is refused at confirmation too.
    other = await create_assessment(core, year="2025", result="passed")
    refused = await run(core, HL_INSPECTOR, f"@as:e:{other}", "@f:edit:year", "2026")
    assert texts(refused) == duplicate
    assert results(fake_uow)[other].year == 2025


async def test_edit_records_revision(core: Assistant, fake_uow: FakeUnitOfWorkFactory) -> None:
    aid = await create_assessment(core)
    await run(
        core,
        HL_INSPECTOR,
        f"@as:e:{aid}",
        "@f:edit:result",
        "@f:c:passed",
        "@f:edit:commendation",
        "@f:c:advanced_worker",
        "@f:ok",
    )
    a = results(fake_uow)[aid]
    assert a.result == Grade.PASSED and a.commendation == Commendation.ADVANCED_WORKER
    rev = fake_uow.db.record_tables.revisions[-1]
    assert rev.changes == {
        "result": ["failed", "passed"],
        "commendation": [None, "advanced_worker"],
    }
    history = texts(await say(core, HL_INSPECTOR, data=f"as:h:{aid}"))
    assert f"{ZH._('failed')} → {ZH._('passed')}" in history


async def test_list_filters_and_scope(core: Assistant, fake_uow: FakeUnitOfWorkFactory) -> None:
    aid = await create_assessment(core)
    failed = texts(await say(core, HL_INSPECTOR, "/assessments 2026 不达标"))
    assert f"#{aid} " in failed
    assert f"#{aid} " not in texts(await say(core, HL_INSPECTOR, "/assessments 2026 优秀"))
    last_year = texts(await say(core, HL_INSPECTOR, "/assessments 2025"))
    assert "华龙区政府办公室" in last_year and "马庄桥镇" not in last_year  # QF is out of scope
    assert texts(await say(core, QF_INSPECTOR, data=f"as:o:{aid}")) == not_found(aid)
    assert texts(await say(core, QF_INSPECTOR, data=f"as:e:{aid}")) == not_found(aid)
    own = await say(core, HL_CADRE, "/assessments")
    assert [d for _, d in buttons(own) if d.startswith("as:o:")] == [f"as:o:{aid}"]
    opened = await say(core, HL_CADRE, data=f"as:o:{aid}")
    assert buttons(opened) == []


async def test_admin_deletes_and_the_subject_is_free_again(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    aid = await create_assessment(core)
    await run(core, ADMIN, f"@as:d:{aid}", "录错了对象", "@f:ok")
    assert results(fake_uow)[aid].deleted is not None
    again = await create_assessment(core)
    assert again != aid and results(fake_uow)[again].deleted is None


async def test_rating_excellent_inside_an_effect_period_needs_a_knowing_confirmation(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    from tests.handlers.records.support import add_person, create_case

    cid = await create_case(core)
    await add_person(core, cid, kind="party_warning")  # 马丽娟, from 2026-03-05
    before = len(fake_uow.db.record_tables.assessments)
    refused = await run(
        core, HL_INSPECTOR, "/assess", "@f:c:person", "马丽娟", "@f:c:2026", "@f:c:excellent",
        "1 3 5", "@f:c:none", "2026-03-06", "@f:skip", "@f:ok",
    )  # fmt: skip
    assert "影响期" in texts(refused) and "党内警告" in texts(refused)
    labels = [label for label, _ in buttons(refused)]
    assert "修改考核结果" in labels and "修改表彰" not in labels  # only what rated her up
    assert len(fake_uow.db.record_tables.assessments) == before  # nothing stored yet
    anyway = await say(core, HL_INSPECTOR, data=button_data(refused, "仍然录入"))
    assert "已录入" in texts(anyway) or "#" in texts(anyway)
    assert len(fake_uow.db.record_tables.assessments) == before + 1
    assert any(e.action == "assessment.rated_despite_bar" for e in fake_uow.db.audit)
    assert forms_open(fake_uow) == set()
    newest = max(fake_uow.db.record_tables.assessments.values(), key=lambda a: a.id)
    assert newest.rated_despite_bar


async def test_a_commendation_inside_an_effect_period_offers_to_change_it(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    from tests.handlers.records.support import add_person, create_case

    cid = await create_case(core)
    await add_person(core, cid, kind="party_warning")  # 马丽娟, from 2026-03-05
    refused = await run(
        core, HL_INSPECTOR, "/assess", "@f:c:person", "马丽娟", "@f:c:2026", "@f:c:passed",
        "1 3 5", "@f:c:advanced_worker", "2026-03-06", "@f:skip", "@f:ok",
    )  # fmt: skip
    labels = [label for label, _ in buttons(refused)]
    assert "修改表彰" in labels and "修改考核结果" not in labels


async def test_rating_excellent_without_a_bar_is_recorded_at_once(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    before = len(fake_uow.db.record_tables.assessments)
    await create_assessment(core, target="马丽娟", result="excellent")
    assert len(fake_uow.db.record_tables.assessments) == before + 1
    assert not any(e.action == "assessment.rated_despite_bar" for e in fake_uow.db.audit)


async def test_the_year_typed_as_officials_write_it(core: Assistant) -> None:
    for typed in ("今年", "26年", "2026年度"):
        asked = await run(core, HL_INSPECTOR, "/assess", "@f:c:person", "马丽娟", typed)
        assert "请输入年度" not in texts(asked) and ZH._(
            "Please give a year like {year}.", year=2026
        ) not in texts(asked), typed
        await say(core, HL_INSPECTOR, "取消")


async def test_the_unit_or_person_named_after_the_command_is_taken(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    """/assess 岳村镇 opens at the year with the unit chosen, /assess 马丽娟 with the person (the
    argument had been ignored); a name that is neither is said plainly."""
    unit = await say(core, HL_INSPECTOR, "/assess 岳村镇")
    assert "岳村镇" in texts(unit) and ZH._("A unit") not in str(buttons(unit))
    state = fake_uow.db.conversations[(HL_INSPECTOR, HL_INSPECTOR)]
    assert (state.step, state.data["subject"]) == ("year", "unit")
    await say(core, HL_INSPECTOR, "/cancel")
    await say(core, HL_INSPECTOR, "/assess 马丽娟")
    state = fake_uow.db.conversations[(HL_INSPECTOR, HL_INSPECTOR)]
    assert (state.step, state.data["subject"]) == ("year", "person")
    await say(core, HL_INSPECTOR, "/cancel")
    nobody = texts(await say(core, HL_INSPECTOR, "/assess 不存在的人"))
    assert nobody == ZH._("No unit or person “{text}” found within your scope.", text="不存在的人")
    await say(core, HL_INSPECTOR, "/cancel")
    # A year after the name answers the year too (/assess 岳村镇 2025 had found no unit).
    await say(core, HL_INSPECTOR, "/assess 岳村镇 2025")
    state = fake_uow.db.conversations[(HL_INSPECTOR, HL_INSPECTOR)]
    assert state.data["year"] == 2025 and state.step != "year"
    await say(core, HL_INSPECTOR, "/cancel")
    # A year alone is read when the form reaches the year (it had been looked up as a unit).
    await say(core, HL_INSPECTOR, "/assess 2025")
    await say(core, HL_INSPECTOR, data="f:c:unit")
    await say(core, HL_INSPECTOR, "岳村镇")
    state = fake_uow.db.conversations[(HL_INSPECTOR, HL_INSPECTOR)]
    assert state.data["year"] == 2025 and state.step != "year"
