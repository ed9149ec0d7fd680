"""Accountability cases on fakes: open, add people, bad kinds, edit, close, views, counts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from handlers.core.app import Assistant
from handlers.records.domain import CaseCircumstance, CaseStatus, HandlingCategory
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.core.helpers import buttons, say, texts
from tests.handlers.records.support import (
    ADMIN,
    HL_CADRE,
    HL_INSPECTOR,
    QF_INSPECTOR,
    ZH,
    add_person,
    create_case,
    not_found,
    run,
)


def tables(fake_uow: FakeUnitOfWorkFactory):  # type: ignore[no-untyped-def]
    return fake_uow.db.record_tables


async def case_with_handling(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, **person: str
) -> tuple[int, int]:
    """Open a case and add 马丽娟 to it (with add_person's defaults but for ``person``);
    returns the case id and the handling's id."""
    cid = await create_case(core)
    await add_person(core, cid, **person)
    return cid, next(p.id for p in tables(fake_uow).case_people.values() if p.case_id == cid)


async def test_open_case_and_add_people_of_both_categories(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    cid = await create_case(core, title="违规公款吃喝问题")
    case = tables(fake_uow).cases[cid]
    assert case.status == CaseStatus.OPEN and case.title == "违规公款吃喝问题"
    added = await add_person(core, cid)
    assert ZH._("{name} added to accountability case #{id}.", name="马丽娟", id=cid) in texts(added)
    await add_person(core, cid, "孙伟", "organisational", "warning_talk", "2026-03-10")
    rows = [p for p in tables(fake_uow).case_people.values() if p.case_id == cid]
    people = {fake_uow.db.people[p.person_id].name: p for p in rows}
    assert people["马丽娟"].category == HandlingCategory.DISCIPLINE
    assert people["马丽娟"].kind == "party_serious_warning"
    assert people["马丽娟"].effective_on == date(2026, 3, 5)
    assert people["孙伟"].category == HandlingCategory.ORGANISATIONAL
    assert all(p.unit_id == fake_uow.db.people[p.person_id].unit_id for p in rows)
    opened = await say(core, HL_INSPECTOR, data=f"cs:o:{cid}")
    text = texts(opened)
    assert "党内严重警告" in text and ZH._("warning talk") in text
    assert ZH._("People held accountable ({n}):", n=2) in text
    # Each person's button names the person, not the handling's number.
    labels = [label for label, _ in buttons(opened) if label.startswith("👤")]
    assert labels == ["👤 1. 马丽娟", "👤 2. 孙伟"], labels
    # In English the line is punctuated in English.
    await say(core, HL_INSPECTOR, "/lang en")
    english = texts(await say(core, HL_INSPECTOR, data=f"cs:o:{cid}"))
    assert "：" not in english.split("People held accountable")[1] and "，" not in english
    assert [e.action for e in fake_uow.db.audit].count("case.person_added") == 2


async def test_typed_sanction_kind_must_exist(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    cid = await create_case(core)
    await run(core, HL_INSPECTOR, f"@cs:p:{cid}", "马丽娟", "@f:c:discipline")
    unknown = await say(core, HL_INSPECTOR, "开除公职和党籍")
    assert texts(unknown) == ZH._(
        "Unknown sanction kind “{kind}”. Please choose with the buttons.", kind="开除公职和党籍"
    )
    typed = await say(core, HL_INSPECTOR, "严重警告")  # a unique part of a name is enough
    assert ZH._("From which day does the decision take effect?") in texts(typed)
    # Switching the category drops the kind, which must then be chosen again.
    await run(
        core, HL_INSPECTOR, "2026-03-01", "@f:skip", "@f:edit:category", "@f:c:organisational"
    )
    refused = await say(core, HL_INSPECTOR, data="f:ok")
    assert texts(refused) == ZH._("Please choose the kind again (Edit: Kind).")
    await run(core, HL_INSPECTOR, "@f:edit:kind")
    bad_org = await say(core, HL_INSPECTOR, "党内警告")
    assert texts(bad_org) == ZH._(
        "Unknown handling “{kind}”. Please choose with the buttons.", kind="党内警告"
    )
    assert not any(p.case_id == cid for p in tables(fake_uow).case_people.values())


async def test_one_party_and_one_government_sanction_per_person_and_case(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    cid = await create_case(core)
    await add_person(core, cid)  # a party serious warning
    # A second party sanction in the same case is refused (violations are merged) ...
    again = await add_person(core, cid, kind="party_warning")
    assert "党内严重警告" in texts(again) and "合并" in texts(again)
    await say(core, HL_INSPECTOR, "/cancel")
    # ... but a government sanction and organisational handling sit beside it.
    govt = await add_person(core, cid, kind="govt_demerit")
    assert "马丽娟" in texts(govt) and "#" in texts(govt)
    org = await add_person(core, cid, category="organisational", kind="job_adjustment")
    assert "马丽娟" in texts(org)
    mine = [p for p in tables(fake_uow).case_people.values() if p.case_id == cid]
    assert sorted(p.track for p in mine) == ["org:job_adjustment", "party", "public"]
    outside = await run(core, HL_INSPECTOR, f"@cs:p:{cid}", "宋佳")
    assert texts(outside) == ZH._("No person “{text}” found within your scope.", text="宋佳")
    # /eligible names both sanctions, each with its own period.
    text = texts(await say(core, HL_INSPECTOR, "/eligible 马丽娟"))
    assert "党内严重警告" in text and "记过" in text


async def test_edit_handling_and_close_case(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    cid, hid = await case_with_handling(core, fake_uow)
    await run(core, HL_INSPECTOR, f"@cp:e:{hid}", "@f:edit:kind", "@f:c:party_warning", "@f:ok")
    assert tables(fake_uow).case_people[hid].kind == "party_warning"
    history = texts(await say(core, HL_INSPECTOR, data=f"cp:h:{hid}"))
    assert "党内严重警告 → 党内警告" in history
    ask = await say(core, HL_INSPECTOR, data=f"cs:c:{cid}")
    assert ZH._("People held accountable: {n}.", n=1) in texts(ask)
    assert "不予或免予问责" not in texts(ask)  # the warning is for a case with nobody in it
    await say(core, HL_INSPECTOR, data=f"cs:cc:{cid}:1")
    case = tables(fake_uow).cases[cid]
    assert case.status == CaseStatus.CLOSED and case.closed_on == date(2026, 3, 10)
    assert tables(fake_uow).revisions[-1].action == "close"
    closed_again = await say(core, HL_INSPECTOR, data=f"cs:cc:{cid}:1")
    assert texts(closed_again) == ZH._("This case is already closed.")
    add = await say(core, HL_INSPECTOR, data=f"cs:p:{cid}")
    assert texts(add) == ZH._("This case is closed; people can no longer be added.")
    assert f"#{cid} " in texts(await say(core, HL_INSPECTOR, "/cases closed"))
    assert f"#{cid} " not in texts(await say(core, HL_INSPECTOR, "/cases open"))


async def test_closing_a_case_with_nobody_in_it_warns_first(core: Assistant) -> None:
    cid = await create_case(core)
    ask = texts(await say(core, HL_INSPECTOR, data=f"cs:c:{cid}"))
    assert ZH._("People held accountable: {n}.", n=0) in ask and "不予或免予问责" in ask
    # 确认 typed under the question closes it as the button would (it had been read as
    # confirming a reminder).
    closed = texts(await say(core, HL_INSPECTOR, "确认"))
    assert closed == ZH._("Accountability case #{id} is closed.", id=cid)


async def test_stale_close_button_changes_nothing(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    cid = await create_case(core)
    await run(
        core, HL_INSPECTOR, f"@cs:e:{cid}", "@f:edit:title", "违规公款吃喝问题（修订）", "@f:ok"
    )
    stale = await say(core, HL_INSPECTOR, data=f"cs:cc:{cid}:1")  # version 1 is gone
    assert texts(stale) == ZH._(
        "This record was changed by someone else in the meantime, so nothing was saved. Please open it again."
    )
    assert tables(fake_uow).cases[cid].status == CaseStatus.OPEN


async def test_involved_cadre_sees_only_own_handling(core: Assistant) -> None:
    cid = await create_case(core)
    await add_person(core, cid)
    await add_person(core, cid, "孙伟", "organisational", "circulated_criticism", "2026-03-10")
    listed = await say(core, HL_CADRE, "/cases")
    assert [d for _, d in buttons(listed) if d.startswith("cs:o:")] == [f"cs:o:{cid}"]
    view = texts(await say(core, HL_CADRE, data=f"cs:o:{cid}"))
    assert "党内严重警告" in view and "孙伟" not in view and "办公室人员违规公款吃喝" not in view
    assert buttons(await say(core, HL_CADRE, data=f"cs:o:{cid}")) == []
    row = texts(await say(core, 1109, data=f"cs:o:{cid}"))
    assert row == not_found(cid)


async def test_scope_and_deletion_of_a_handling(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    cid, hid = await case_with_handling(core, fake_uow)
    for data in (f"cs:o:{cid}", f"cs:p:{cid}", f"cs:h:{cid}", f"cp:o:{hid}", f"cp:e:{hid}"):
        rid = cid if data.startswith("cs") else hid
        assert texts(await say(core, QF_INSPECTOR, data=data)) == not_found(rid)
    await run(core, ADMIN, f"@cp:d:{hid}", "误加此人，删除", "@f:ok")
    assert tables(fake_uow).case_people[hid].deleted is not None
    view = texts(await say(core, HL_INSPECTOR, data=f"cs:o:{cid}"))
    assert "马丽娟" not in view
    readd = await add_person(core, cid)  # the person may be added again after deletion
    assert ZH._("{name} added to accountability case #{id}.", name="马丽娟", id=cid) in texts(readd)
    # Deleting the case hides it from lists; staff still see the tombstone.
    await run(core, ADMIN, f"@cs:d:{cid}", "重复立案，删除", "@f:ok")
    assert f"#{cid} " not in texts(await say(core, HL_INSPECTOR, "/cases"))
    assert "重复立案" in texts(await say(core, HL_INSPECTOR, data=f"cs:o:{cid}"))


async def test_counts_by_case_and_by_person(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    """The shape a summary needs: cases and person-rows split by category (live rows only)."""
    cid = await create_case(core)
    await add_person(core, cid)
    await add_person(core, cid, "孙伟", "organisational", "warning_talk", "2026-03-10")
    live_cases = {c.id for c in tables(fake_uow).cases.values() if c.deleted is None}
    rows = [
        p
        for p in tables(fake_uow).case_people.values()
        if p.deleted is None and p.case_id in live_cases
    ]
    by_category = {
        cat: (
            len({p.case_id for p in rows if p.category == cat}),
            len([p for p in rows if p.category == cat]),
        )
        for cat in HandlingCategory
    }
    # Demo: 5 cases (two of them the stacked sanctions of one person); ours adds one case
    # with one person in each category.
    assert by_category[HandlingCategory.ORGANISATIONAL] == (3, 3)
    assert by_category[HandlingCategory.DISCIPLINE] == (5, 5)
    assert len(live_cases) == 6


async def test_people_of_another_county_are_hidden_from_the_case_reader(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    """Cross-unit handling: a city inspector puts a 清丰县 cadre into a 华龙区 case."""
    cid = await create_case(core, user=ADMIN)  # case of 华龙区政府办公室
    await add_person(core, cid, user=ADMIN)  # 马丽娟, 华龙区
    await add_person(core, cid, "萧然", "discipline", "party_warning", "2026-03-06", user=ADMIN)
    outsider = next(
        p
        for p in tables(fake_uow).case_people.values()
        if p.case_id == cid and fake_uow.db.people[p.person_id].name == "萧然"
    )
    before = len(fake_uow.db.audit)
    replies = await say(core, HL_INSPECTOR, data=f"cs:o:{cid}")
    view = texts(replies)
    assert "马丽娟" in view and "萧然" not in view and "马庄桥镇" not in view
    assert ZH._("People held accountable ({n}):", n=2) in view
    assert ZH._("People outside your scope, not shown: {n}", n=1) in view
    assert f"cp:o:{outsider.id}" not in [d for _, d in buttons(replies)]
    # The case view is audited as before.
    assert [(e.action, e.object_id) for e in fake_uow.db.audit[before:]] == [
        ("case.viewed", str(cid))
    ]
    # Guessing the handling's buttons finds nothing; the case's history does not name it.
    for data in (f"cp:o:{outsider.id}", f"cp:h:{outsider.id}", f"cp:e:{outsider.id}"):
        assert texts(await say(core, HL_INSPECTOR, data=data)) == not_found(outsider.id)
    history = texts(await say(core, HL_INSPECTOR, data=f"cs:h:{cid}"))
    assert "马丽娟" in history and "萧然" not in history
    assert ZH._("(outside your scope)") in history
    # The city inspector sees both; the person concerned sees his own handling.
    full = texts(await say(core, ADMIN, data=f"cs:o:{cid}"))
    assert "马丽娟" in full and "萧然" in full
    assert ZH._("People outside your scope, not shown: {n}", n=1) not in full
    full_history = texts(await say(core, ADMIN, data=f"cs:h:{cid}"))
    assert "萧然" in full_history and ZH._("(outside your scope)") not in full_history
    assert "person_id" not in full_history  # the people's fields are labelled like the case's
    own = texts(await say(core, 1210, data=f"cs:o:{cid}"))
    assert "党内警告" in own and "马丽娟" not in own
    assert "萧然" in texts(await say(core, 1210, data=f"cp:o:{outsider.id}"))


async def test_a_sanction_revoked_on_review_bars_nothing_and_stays_as_history(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    cid, hid = await case_with_handling(core, fake_uow, kind="party_warning")
    assert "党内警告" in texts(await say(core, HL_INSPECTOR, "/eligible 马丽娟"))
    opened = await say(core, HL_INSPECTOR, data=f"cp:o:{hid}")
    assert f"cp:rv:{hid}" in [d for _, d in buttons(opened)]
    too_early = await run(core, HL_INSPECTOR, f"@cp:rv:{hid}", "2026-03-01")
    assert "不能早于" in texts(too_early)
    await run(core, HL_INSPECTOR, "2026-03-09", "复核认定事实不清，撤销原处分决定", "@f:ok")
    revoked = tables(fake_uow).case_people[hid]
    assert revoked.revoked_on is not None and revoked.deleted is None
    assert "党内警告" not in texts(await say(core, HL_INSPECTOR, "/eligible 马丽娟"))
    detail = texts(await say(core, HL_INSPECTOR, data=f"cp:o:{hid}"))
    assert "撤销" in detail and "事实不清" in detail
    # The case's own line marks it too (it had read as still in force).
    case_view = texts(await say(core, HL_INSPECTOR, data=f"cs:o:{cid}"))
    assert "⚠️ " + ZH._("revoked on review from {date}", date="2026-03-09") in case_view
    assert any(e.action == "case.handling_revoked" for e in fake_uow.db.audit)
    # The party track is free again for a new decision in the same case.
    again = await add_person(core, cid, kind="party_serious_warning")
    assert "合并" not in texts(again)


async def test_demerit_and_above_also_stop_pay_step_rises(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    """政务处分法 第十九条: in the period no promotion; for 记过 and above no pay-step rise."""
    cid = await create_case(core)
    await add_person(core, cid, kind="govt_demerit")  # 马丽娟 from 2026-03-05
    text = texts(await say(core, HL_INSPECTOR, "/eligible 马丽娟"))
    assert "不得晋升工资档次" in text and "2027-03-04" in text and "第十九条" in text
    other = await create_case(core)
    await add_person(core, other, person="孙伟", kind="govt_warning")
    assert "工资档次" not in texts(await say(core, HL_INSPECTOR, "/eligible 孙伟"))


async def test_the_office_is_told_its_lists_show_only_its_own_records(core: Assistant) -> None:
    """The responsibility-system office (1101) reads figures, not files: an empty list says
    where the figures are rather than suggesting that nothing exists."""
    for command in ("/talks", "/cases"):
        reply = texts(await say(core, 1101, command))
        assert ZH._("No records.") in reply and "/summary" in reply
    assert "/summary" not in texts(await say(core, HL_INSPECTOR, "/talks 2019"))


async def test_new_cases_take_the_2019_accountability_circumstances(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    """A new case is filed under one of 问责条例 (2019) 第七条's eleven circumstances; one
    recorded under the 1998/2010 list still reads with its old name."""
    asked = await run(core, HL_INSPECTOR, "/case", "政府办", "测试案件")
    offered = [label for label, _ in buttons(asked) if not label.startswith(("◀", "取消"))]
    assert len(offered) == 11 and offered[0].startswith("党的领导弱化")
    assert "领导不力，致使明令禁止的不正之风蔓延" not in texts(asked)
    # The old circumstance typed out is refused with the closest of today's offered first.
    refused = await say(core, HL_INSPECTOR, "领导不力，致使明令禁止的不正之风蔓延")
    assert "不是可选的追究情形" in texts(refused)
    assert buttons(refused)[0][0].startswith("党的领导弱化")
    cid = await create_case(core)
    case = tables(fake_uow).cases[cid]
    tables(fake_uow).cases[cid] = replace(case, circumstance=CaseCircumstance.WEAK_LEADERSHIP)
    shown = texts(await say(core, HL_INSPECTOR, data=f"cs:o:{cid}"))
    assert "领导不力，致使明令禁止的不正之风蔓延" in shown


async def test_a_kind_typed_that_fits_several_offers_them(core: Assistant) -> None:
    cid = await create_case(core)
    asked = await run(core, HL_INSPECTOR, f"@cs:p:{cid}", "马丽娟", "@f:c:discipline", "警告")
    offered = dict(buttons(asked))
    assert list(offered) == ["党内警告", "政务警告", "事业单位警告", "国企警告", "◀ 上一步", "取消"]
    chosen = texts(await say(core, HL_INSPECTOR, data=offered["政务警告"]))
    assert "有几种" not in chosen and "请用按钮" not in chosen


async def test_the_same_case_confirmed_twice_is_kept_once(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    """The same unit, title and opening day: the second is refused with the first's number
    (it had been opened twice, and the summaries counted both)."""
    first = await create_case(core, title="违规公款吃喝问题")
    cases = fake_uow.db.record_tables.cases
    count = len(cases)
    again = await run(
        core,
        HL_INSPECTOR,
        "/case HL-ZF",
        "违规公款吃喝问题",
        "@f:c:r19_management",
        "办公室人员违规公款吃喝",
        "2026-03-01",
        "@f:ok",
    )
    assert f"#{first}" in texts(again) and len(cases) == count


async def test_a_circumstance_in_ones_own_words_offers_the_closest(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    """没落实主体责任 had got a bare "please use the buttons" under eleven long labels."""
    await run(core, HL_INSPECTOR, "/case", "政府办", "主体责任案件")
    offered = await say(core, HL_INSPECTOR, "没落实主体责任")
    label, data = buttons(offered)[0]
    assert label == "全面从严治党主体责任、监督责任落实不到位"
    asked = texts(await say(core, HL_INSPECTOR, data=data))
    assert "不是可选的" not in asked
    # Words that match no circumstance still get the plain refusal.
    await say(core, HL_INSPECTOR, data="f:back")
    nothing = await say(core, HL_INSPECTOR, "天气不错")
    assert texts(nothing) == ZH._("Please choose with the buttons.")
