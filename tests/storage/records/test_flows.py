"""Whole record flows through the assistant on SQLite and PostgreSQL (``sql_core``)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from handlers.core.app import Assistant
from handlers.records.domain import CaseStatus, NoticeStatus, RecordQuery, RecordType
from tests.handlers.core.helpers import buttons, say, texts
from tests.handlers.records.support import (
    ADMIN,
    HL_CADRE,
    HL_HEAD,
    HL_INSPECTOR,
    QF_INSPECTOR,
    TALK_INPUTS,
    ZH,
    add_person,
    create_assessment,
    create_case,
    create_notice,
    create_talk,
    issue_notice,
    not_found,
    run,
)

pytestmark = pytest.mark.storage


async def _audit_actions(sql_uow, object_id: int) -> list[str]:  # type: ignore[no-untyped-def]
    async with sql_uow() as uow:
        entries = await uow.audit.since(datetime(2000, 1, 1, tzinfo=UTC))
    return [e.action for e in entries if e.object_id == str(object_id)]


async def test_talk_flow(sql_core: Assistant, sql_uow) -> None:  # type: ignore[no-untyped-def]
    tid = await create_talk(sql_core)
    await run(sql_core, HL_INSPECTOR, f"@tk:e:{tid}", "@f:edit:place", "区委会议室", "@f:ok")
    await run(sql_core, HL_INSPECTOR, f"@tk:f:{tid}", "今天", "已整改到位", "@f:ok")
    opened = texts(await say(sql_core, HL_INSPECTOR, data=f"tk:o:{tid}"))
    assert "区委会议室" in opened and "已整改到位" in opened
    assert texts(await say(sql_core, QF_INSPECTOR, data=f"tk:o:{tid}")) == not_found(tid)
    assert f"tk:o:{tid}" in [d for _, d in buttons(await say(sql_core, HL_CADRE, "/talks"))]
    async with sql_uow() as uow:
        talk = await uow.records.talks.get(tid)
        assert talk.version == 3 and talk.follow_up_result == "已整改到位"
        revs = await uow.records.revisions.of(RecordType.TALK, tid)
        assert [r.action for r in revs] == ["create", "edit", "follow_up"]
        assert revs[1].changes == {"place": ["区纪委谈话室", "区委会议室"]}
    await run(sql_core, ADMIN, f"@tk:d:{tid}", "重复录入，删除", "@f:ok")
    async with sql_uow() as uow:
        assert (await uow.records.talks.get(tid)).deleted.reason == "重复录入，删除"
        assert await uow.records.talks.for_person(talk.person_id) == []
    actions = await _audit_actions(sql_uow, tid)
    assert actions[:1] == ["talk.created"] and "talk.deleted" in actions


async def test_notice_flow(sql_core: Assistant, sql_uow) -> None:  # type: ignore[no-untyped-def]
    nid = await create_notice(sql_core)
    await run(sql_core, HL_HEAD, f"@nt:r:{nid}", "已建立台账制度，逐项整改完毕", "@f:ok")
    await run(sql_core, HL_INSPECTOR, f"@nt:x:{nid}", "措施不具体", "@f:ok")
    await run(sql_core, HL_HEAD, f"@nt:r:{nid}", "补充：已建立台账并逐项销号", "@f:ok")
    await run(sql_core, HL_INSPECTOR, f"@nt:a:{nid}", "@f:skip", "@f:ok")
    async with sql_uow() as uow:
        notice = await uow.records.notices.get(nid)
        assert notice.status == NoticeStatus.CLOSED and notice.closed_on == date(2026, 3, 10)
        reports = await uow.records.notices.reports(nid)
        assert [r.decision.value for r in reports] == ["returned", "accepted"]  # type: ignore[union-attr]
        revs = await uow.records.revisions.of(RecordType.NOTICE, nid)
        assert [r.action for r in revs] == ["create", "report", "return", "report", "accept"]
    overdue = texts(await say(sql_core, QF_INSPECTOR, "/notices overdue"))
    assert "马庄桥镇" in overdue  # the demo's overdue notice, seeded relative to the clock
    assert texts(await say(sql_core, QF_INSPECTOR, data=f"nt:o:{nid}")) == not_found(nid)


async def test_assessment_flow(sql_core: Assistant, sql_uow) -> None:  # type: ignore[no-untyped-def]
    aid = await create_assessment(sql_core)
    duplicate = await run(sql_core, HL_INSPECTOR, "/assess", "@f:c:person", "马丽娟", "@f:c:2026")
    assert f"#{aid}" in texts(duplicate)
    await run(
        sql_core,
        HL_INSPECTOR,
        "@f:cancel",
        f"@as:e:{aid}",
        "@f:edit:methods",
        "@f:c:12345",
        "@f:ok",
    )
    async with sql_uow() as uow:
        a = await uow.records.assessments.get(aid)
        assert len(a.methods) == 5 and a.version == 2
        q = RecordQuery(unit_paths=None, person_id=a.person_id, status="failed")
        assert [x.id for x in await uow.records.assessments.search(q)] == [aid]
    eligible = texts(await say(sql_core, HL_CADRE, "/eligible"))
    assert ZH._("assessment result #{id}", id=aid) in eligible


async def test_case_flow_and_eligibility(sql_core: Assistant, sql_uow) -> None:  # type: ignore[no-untyped-def]
    cid = await create_case(sql_core)
    await add_person(sql_core, cid)
    await add_person(sql_core, cid, "孙伟", "organisational", "warning_talk", "2026-03-10")
    unknown = await run(
        sql_core, HL_INSPECTOR, f"@cs:p:{cid}", "何静", "@f:c:discipline", "不存在的处分"
    )
    assert texts(unknown) == ZH._(
        "Unknown sanction kind “{kind}”. Please choose with the buttons.", kind="不存在的处分"
    )
    await run(sql_core, HL_INSPECTOR, "@f:cancel", f"@cs:c:{cid}")
    async with sql_uow() as uow:
        version = (await uow.records.cases.get(cid)).version
    await say(sql_core, HL_INSPECTOR, data=f"cs:cc:{cid}:{version}")
    async with sql_uow() as uow:
        case = await uow.records.cases.get(cid)
        assert case.status == CaseStatus.CLOSED
        people = await uow.records.cases.people(cid)
        assert sorted(p.category.value for p in people) == ["discipline", "organisational"]
    own = texts(await say(sql_core, HL_CADRE, data=f"cs:o:{cid}"))
    assert "党内严重警告" in own and "孙伟" not in own
    eligible = texts(await say(sql_core, HL_INSPECTOR, "/eligible 孙伟"))
    assert ZH._("accountability case #{id}", id=cid) in eligible
    assert ZH._("from {start} to {end}", start="2026-03-10", end="2026-09-09") in eligible


async def test_group_chat_refusal_on_sql(sql_core: Assistant, sql_uow) -> None:  # type: ignore[no-untyped-def]
    for text in ("/talks", "/eligible"):
        replies = await say(sql_core, HL_INSPECTOR, text, group=True)
        assert texts(replies) == ZH._("Please use this in a private chat with me.")


async def test_demo_data_has_some_of_each(sql_core: Assistant, sql_uow) -> None:  # type: ignore[no-untyped-def]
    async with sql_uow() as uow:
        city = await uow.units.by_code("PY")
        everything = RecordQuery(unit_paths=(city.path,), limit=100)
        assert len(await uow.records.talks.search(everything)) == 2
        notices = await uow.records.notices.search(everything)
        assert {n.status for n in notices} == {
            NoticeStatus.OPEN,
            NoticeStatus.SUBMITTED,
            NoticeStatus.CLOSED,
        }
        assert any(n.is_overdue(date(2026, 3, 10)) for n in notices)
        results = await uow.records.assessments.search(everything)
        assert {a.result.value for a in results} == {"excellent", "passed", "failed"}
        cases = await uow.records.cases.search(everything)
        assert len(cases) == 5 and {c.status for c in cases} == {CaseStatus.OPEN, CaseStatus.CLOSED}


async def test_the_database_holds_one_sanction_per_track_and_case(
    sql_core: Assistant,
    sql_uow,  # type: ignore[no-untyped-def]
) -> None:
    """Party and government sanctions of one person in one case are both stored; a second
    party sanction is refused by the unique index even past the form's own check."""
    from dataclasses import replace

    from handlers.core.errors import Conflict

    cid = await create_case(sql_core)
    await add_person(sql_core, cid)  # party serious warning
    await add_person(sql_core, cid, kind="govt_warning")
    async with sql_uow() as uow:
        people = await uow.records.cases.people(cid)
        assert sorted(p.track for p in people) == ["party", "public"]
        party = next(p for p in people if p.track == "party")
        with pytest.raises(Conflict):
            await uow.records.cases.add_person(replace(party, id=0, kind="party_warning"))
        await uow.rollback()
    # Changing the government sanction's kind keeps its track in step.
    async with sql_uow() as uow:
        govt = next(p for p in await uow.records.cases.people(cid) if p.track == "public")
        assert await uow.records.cases.update_person(
            govt.id, govt.version, {"kind": "govt_demerit"}, datetime(2026, 3, 11, tzinfo=UTC)
        )
        await uow.commit()
    async with sql_uow() as uow:
        kinds = sorted((p.track, p.kind) for p in await uow.records.cases.people(cid))
    assert kinds == [("party", "party_serious_warning"), ("public", "govt_demerit")]


async def case_with_a_party_warning(core: Assistant) -> int:
    """Open a case and record a party warning for 马丽娟 in it; returns the case id."""
    cid = await create_case(core)
    await add_person(core, cid, kind="party_warning")
    return cid


async def test_a_revoked_sanction_frees_its_track_in_the_database(
    sql_core: Assistant,
    sql_uow,  # type: ignore[no-untyped-def]
) -> None:
    from dataclasses import replace

    cid = await case_with_a_party_warning(sql_core)
    async with sql_uow() as uow:
        [party] = await uow.records.cases.people(cid)
        assert await uow.records.cases.update_person(
            party.id,
            party.version,
            {"revoked_on": date(2026, 3, 9), "revoke_reason": "复核撤销"},
            datetime(2026, 3, 9, tzinfo=UTC),
        )
        # A new party sanction in the same case is allowed once the old one is revoked.
        await uow.records.cases.add_person(replace(party, id=0, kind="party_serious_warning"))
        await uow.commit()
    async with sql_uow() as uow:
        rows = sorted((p.kind, p.revoked_on) for p in await uow.records.cases.people(cid))
        handled = await uow.records.cases.handlings_of(party.person_id)
    assert rows == [("party_serious_warning", None), ("party_warning", date(2026, 3, 9))]
    assert {h.revoke_reason for h in handled} >= {"复核撤销"}


async def test_the_summary_counts_ratings_given_despite_a_bar(
    sql_core: Assistant,
    sql_uow,  # type: ignore[no-untyped-def]
) -> None:
    from zoneinfo import ZoneInfo

    from handlers.summary.figures import build_summary
    from handlers.summary.period import year_period
    from tests.handlers.core.helpers import button_data

    await case_with_a_party_warning(sql_core)
    refused = await run(
        sql_core, HL_INSPECTOR, "/assess", "@f:c:person", "马丽娟", "@f:c:2026",
        "@f:c:excellent", "1 3 5", "@f:c:none", "2026-03-06", "@f:skip", "@f:ok",
    )  # fmt: skip
    await say(sql_core, HL_INSPECTOR, data=button_data(refused, "仍然录入"))
    async with sql_uow() as uow:
        unit = await uow.units.by_code("HL")
        s = await build_summary(
            uow,
            unit,
            year_period(2026),
            datetime(2026, 3, 10, tzinfo=UTC),
            ZoneInfo("Asia/Shanghai"),
        )
    assert s.total.ratings_despite_bar == 1


async def test_a_talk_or_notice_confirmed_twice_is_stored_once(
    sql_core: Assistant,
    sql_uow,  # type: ignore[no-untyped-def]
) -> None:
    tid = await create_talk(sql_core)
    again = await run(sql_core, HL_INSPECTOR, "/talk 马丽娟", *TALK_INPUTS, "@f:ok")
    assert f"#{tid}" in texts(again)
    nid = await create_notice(sql_core)
    twice = await issue_notice(sql_core)
    assert f"#{nid}" in texts(twice)
    async with sql_uow() as uow:
        city = await uow.units.by_code("PY")
        everything = RecordQuery(unit_paths=(city.path,), year=2026, limit=100)
        talks = await uow.records.talks.search(everything)
        notices = await uow.records.notices.search(everything)
    assert [t.id for t in talks if t.talk_date == date(2026, 3, 1)] == [tid]
    assert [n.id for n in notices if n.issued_on == date(2026, 3, 10)] == [nid]
