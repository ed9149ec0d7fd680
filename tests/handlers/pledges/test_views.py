"""Views and core queries (fakes): /mypledge, /unitpledges and its scope, corrections, pending_*."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from handlers.core.app import Assistant
from handlers.core.clock import ManualClock
from handlers.pledges.status import pending_checkins, pending_pledges
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.core.helpers import button_data, buttons, say, texts
from tests.handlers.pledges.helpers import (
    HE_JING,
    ITEMS,
    LIN_TAO,
    WU_GANG,
    XIE_DONG,
    XU_FANG,
    ZHANG_WEIDONG,
    answer_checkin,
    confirm,
    has,
    make_pledge,
    pid,
    pledge_next_year,
    pledged,
    zh,
)


def unit_id(fake_uow: FakeUnitOfWorkFactory, code: str) -> int:
    return next(u.id for u in fake_uow.db.units.values() if u.code == code)


def path(fake_uow: FakeUnitOfWorkFactory, code: str) -> str:
    return next(u.path for u in fake_uow.db.units.values() if u.code == code)


async def test_my_pledge_without_and_with_pledges(core: Assistant) -> None:
    nothing = await say(core, HE_JING, "/mypledge")
    # Chinese sentences follow one another without a space.
    assert texts(nothing) == zh("You have not made any pledge yet.") + zh(
        "Send /pledge to make this year's pledge."
    )
    # 林涛 has a complete demo record for 2025; he now pledges for 2026 too.
    await make_pledge(core, LIN_TAO, post="principal")
    await confirm(core, LIN_TAO)
    mine = await say(core, LIN_TAO, "/mypledge")
    text = texts(mine)
    assert zh("📜 Integrity pledge {year} — {post}", year=2026, post=zh("Unit principal")) in text
    assert zh("✏️ Editable until {date}.", date="2026-03-10") in text
    assert zh("Appraisal: not entered yet.") in text
    old = await say(core, LIN_TAO, data=button_data(mine, "2025"))
    old_text = texts(old)
    assert (
        zh(
            "🔒 Public and locked; corrections go through the unit principal or the discipline inspectors."
        )
        in old_text
    )
    assert old_text.count("✅") == 2  # both 2025 check-ins on time
    assert zh("Mass appraisal: {shares}", shares="")[:4] in old_text
    assert texts(await say(core, LIN_TAO, "/mypledge 2025")) == old_text


async def test_unit_head_sees_only_his_subtree(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    await pledged(core)
    listing = await say(core, LIN_TAO, "/unitpledges")
    text = texts(listing)
    assert zh("Pledges {year} — {unit}", year=2026, unit="岳村镇") in text
    assert "何静" in text and "高峰" in text and "林涛" in text
    assert "孙伟" not in text and "马丽娟" not in text and "谢东" not in text
    assert (
        zh(
            "Must pledge: {must} · pledged: {pledged} (late {late}) · not yet: {missing}",
            must=3,
            pledged=1,
            late=1,
            missing=2,
        )
        in text
    )
    people = [label for label, data in buttons(listing) if data.startswith("plu:p:")]
    assert len(people) == 3
    other = await say(core, LIN_TAO, "/unitpledges HL-ZF")
    missing = await say(core, LIN_TAO, "/unitpledges NOPE")
    # A person may be named too (/unitpledges 何静): both were looked for.
    assert texts(other) == zh("No person or unit “{text}” found within your scope.", text="HL-ZF")
    assert texts(missing) == zh("No person or unit “{text}” found within your scope.", text="NOPE")
    # Guessed ids in button payloads: same message for out-of-scope and non-existent.
    sun_wei = pid(fake_uow, 1103)
    assert texts(await say(core, LIN_TAO, data=f"plu:p:{sun_wei}:2026")) == zh(
        "No such person within your scope."
    )
    assert texts(await say(core, LIN_TAO, data="plu:p:987654:2026")) == zh(
        "No such person within your scope."
    )
    hl_zf = unit_id(fake_uow, "HL-ZF")
    assert texts(await say(core, LIN_TAO, data=f"plu:l:{hl_zf}:2026:0")) == texts(
        await say(core, LIN_TAO, data="plu:l:987654:2026:0")
    )
    assert has(await say(core, LIN_TAO, data="plu:zz:1:2"), "That button is no longer valid.")
    actions = [e.action for e in fake_uow.db.audit]
    assert "pledge.unit_viewed" in actions


async def test_person_record_and_actions_depend_on_role(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    await pledged(core, when="2026-03-01")  # already public
    he = pid(fake_uow, HE_JING)
    record = await say(core, LIN_TAO, data=f"plu:p:{he}:2026")
    text = texts(record)
    assert "何静" in text and all(item in text for item in ITEMS)
    labels = [label for label, _ in buttons(record)]
    assert zh("Enter appraisal") in labels and zh("Correct pledge") in labels
    assert zh("Allow early {period} check-in", period=zh("mid-year")) in labels
    assert fake_uow.db.audit[-1].action == "pledge.record_viewed"
    # A supervisor may look at the same record but not act on it.
    await say(core, WU_GANG, "/unitpledges")
    watched = await say(core, WU_GANG, data=f"plu:p:{he}:2026")
    assert "何静" in texts(watched)
    assert [label for label, _ in buttons(watched)] == [zh("◀ Back to list")]
    refused = await say(core, WU_GANG, data=f"plu:ap:{he}:2026")
    assert texts(refused) == zh("No such person within your scope.")
    # His own record shows no actions for the unit principal.
    own = await say(core, LIN_TAO, data=f"plu:p:{pid(fake_uow, LIN_TAO)}:2025")
    assert [label for label, _ in buttons(own)] == [zh("◀ Back to list")]
    # Cadres have no access to /unitpledges at all.
    assert has(
        await say(core, HE_JING, "/unitpledges"),
        "Sorry, your role does not allow this. Send /help to see what you can do.",
    )


def midyear_counts(done: int, late: int, missing: int) -> str:
    """The mid-year check-in counts line of /unitpledges."""
    line = "{period}: reported {done} (late {late}) · not reported {missing}"
    return zh(line, period=zh("mid-year"), done=done, late=late, missing=missing)


async def test_status_marks_and_counts(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    await pledged(core)
    # While the window is open, those owing are still to report, not "not reported".
    clock.set(datetime(2026, 6, 10, 2, 0, tzinfo=UTC))
    still_open = texts(await say(core, XU_FANG, "/unitpledges 岳村镇"))
    line = "{period}: reported {done} (late {late}) · still to report {missing}, open until {end}"
    counts = {"period": zh("mid-year"), "done": 0, "late": 0, "missing": 1}
    assert zh(line, **counts, end="2026-07-15") in still_open, still_open
    clock.set(datetime(2026, 7, 20, 2, 0, tzinfo=UTC))
    listing = texts(await say(core, XU_FANG, "/unitpledges 岳村镇"))
    assert midyear_counts(done=0, late=0, missing=1) in listing
    assert "❗" in listing
    await say(core, HE_JING, "/checkin")
    await answer_checkin(core, HE_JING, [("kept", "按要求做到了", None)] * 3)
    await confirm(core, HE_JING)
    after = texts(await say(core, XU_FANG, "/unitpledges 岳村镇 2026"))
    assert midyear_counts(done=1, late=1, missing=0) in after
    assert "⏰" in after


async def test_city_list_is_paged(core: Assistant, fake_uow: FakeUnitOfWorkFactory) -> None:
    first = await say(core, ZHANG_WEIDONG, "/unitpledges")
    assert zh("Page {page} of {pages}", page=1, pages=3) in texts(first)
    assert sum(1 for _, d in buttons(first) if d.startswith("plu:p:")) == 10
    second = await say(core, ZHANG_WEIDONG, data=button_data(first, "▶"))
    assert zh("Page {page} of {pages}", page=2, pages=3) in texts(second)
    assert texts(first).split("\n")[-3] not in texts(second)
    assert all(len(d.encode()) <= 64 for _, d in buttons(first) + buttons(second))


async def test_correction_of_a_locked_pledge_is_kept_as_revision(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    await pledged(core)  # public today, 10 March: not locked yet
    he = pid(fake_uow, HE_JING)
    early = await say(core, LIN_TAO, data=f"plu:fx:{he}:2026")
    assert has(early, "This pledge is not public yet, so its owner can still edit it with /pledge.")
    pledge = next(p for p in fake_uow.db.pledge_tables.pledges.values() if p.person_id == he)
    # Made public on 1 March instead: now locked for its owner.
    fake_uow.db.pledge_tables.pledges[pledge.id] = replace(
        pledge, publish_date=pledge.publish_date.replace(day=1)
    )
    start = await say(core, LIN_TAO, data=f"plu:fx:{he}:2026")
    # The items as they are come with the form: Done keeps them, 改第2项 changes one.
    kept = "Send them again (they replace these), or press Done to keep them:"
    assert has(start, kept) and ITEMS[0] in texts(start) and "改第2项" in texts(start)
    for item in ITEMS:
        await say(core, LIN_TAO, item)
    await say(core, LIN_TAO, data="f:done")
    await say(core, LIN_TAO, "没有变化")
    same = await confirm(core, LIN_TAO)
    assert has(same, "The items are unchanged, so there is nothing to correct.")
    await say(core, LIN_TAO, data="f:edit:items")
    for item in ("更正后的第一条", *ITEMS[1:]):
        await say(core, LIN_TAO, item)
    await say(core, LIN_TAO, data="f:done")
    long_reason = await say(core, LIN_TAO, data="f:edit:reason")
    assert has(long_reason, "Why is the pledge corrected? (kept with the revision)")
    too_long = await say(core, LIN_TAO, "因" * 301)
    assert has(too_long, "That is too long (at most {n} characters).", n=300)
    for junk in ("。", "好的", "错"):  # no reason at all, a confirmation, one character
        refused = texts(await say(core, LIN_TAO, junk))
        assert zh("Please check, then confirm.") not in refused, junk
    await say(core, LIN_TAO, "第一条有错别字")
    done = await confirm(core, LIN_TAO)
    assert has(
        done,
        "✅ {name}'s pledge for {year} is corrected (revision {n}).",
        name="何静",
        year=2026,
        n=1,
    )
    [revision] = fake_uow.db.pledge_tables.revisions
    assert revision.items == ITEMS and revision.reason == "第一条有错别字"
    assert revision.by_id == pid(fake_uow, LIN_TAO)
    assert fake_uow.db.pledge_tables.pledges[pledge.id].items[0] == "更正后的第一条"
    assert fake_uow.db.pledge_tables.pledges[pledge.id].revision == 1
    assert fake_uow.db.audit[-1].action == "pledge.revised"
    mine = texts(await say(core, HE_JING, "/mypledge"))
    assert "更正后的第一条" in mine and "第一条有错别字" in mine
    # Nobody corrects their own pledge, and nobody outside the scope.
    lin = pid(fake_uow, LIN_TAO)
    assert has(
        await say(core, LIN_TAO, data=f"plu:fx:{lin}:2025"),
        "You cannot do this for your own pledge; it has to be done by someone above you.",
    )
    assert texts(await say(core, XIE_DONG, data=f"plu:fx:{he}:2026")) == zh(
        "No such person within your scope."
    )


async def test_pending_pledges_and_checkins(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    yc = [path(fake_uow, "HL-YC")]
    async with fake_uow() as uow:
        january = await pending_pledges(uow, yc, 2026, datetime(2026, 1, 20, tzinfo=UTC))
        march = await pending_pledges(uow, yc, 2026, clock.now())
        last_year = await pending_pledges(uow, yc, 2025, clock.now())
    assert sorted(p.person.name for p in january) == ["何静", "林涛", "高峰"]
    assert not any(p.overdue for p in january) and all(p.overdue for p in march)
    assert [p.person.name for p in last_year] == ["何静"]  # the others pledged in 2025
    await pledged(core)
    async with fake_uow() as uow:
        pending = await pending_pledges(uow, yc, 2026, clock.now())
        assert sorted(p.person.name for p in pending) == ["林涛", "高峰"]
        assert await pending_checkins(uow, yc, 2026, clock.now()) == []  # no window open
        june = await pending_checkins(uow, yc, 2026, datetime(2026, 6, 10, tzinfo=UTC))
        july = await pending_checkins(uow, yc, 2026, datetime(2026, 7, 20, tzinfo=UTC))
        elsewhere = await pending_checkins(
            uow, [path(fake_uow, "QF")], 2026, datetime(2026, 7, 20, tzinfo=UTC)
        )
    assert [(p.person.name, p.window.period.value, p.overdue) for p in june] == [
        ("何静", "midyear", False)
    ]
    assert [(p.person.name, p.overdue) for p in july] == [("何静", True)]
    assert elsewhere == []
    clock.set(datetime(2026, 6, 10, tzinfo=UTC))
    await say(core, HE_JING, "/checkin")
    await answer_checkin(core, HE_JING, [("kept", "按要求做到了", None)] * 3)
    await confirm(core, HE_JING)
    async with fake_uow() as uow:
        assert await pending_checkins(uow, yc, 2026, datetime(2026, 7, 20, tzinfo=UTC)) == []
        december = await pending_checkins(uow, yc, 2026, datetime(2026, 12, 2, tzinfo=UTC))
    assert [p.window.period.value for p in december] == ["yearend"]


async def test_demo_data_has_pledges_checkins_and_appraisals(
    fake_uow: FakeUnitOfWorkFactory,
) -> None:
    from bot.demo.organisation import seed_demo
    from tests.handlers.core.fakes import FakeUnitOfWorkFactory as Factory

    tables = fake_uow.db.pledge_tables  # seeded on 1 January 2026: last year only
    assert {p.year for p in tables.pledges.values()} == {2025}
    assert len(tables.appraisals) == len(tables.pledges) > 10
    autumn = Factory()
    async with autumn() as uow:
        await seed_demo(uow, datetime(2026, 11, 25, tzinfo=UTC))
        await uow.commit()
    t = autumn.db.pledge_tables
    this_year = [p for p in t.pledges.values() if p.year == 2026]
    assert this_year and all(p.publish_date.isoformat() == "2026-01-15" for p in this_year)
    late = [c for c in t.checkins.values() if c.late]
    assert late and all(t.pledges[c.pledge_id].year in (2025, 2026) for c in late)
    async with autumn() as uow:
        root = [path(autumn, "PY")]
        missing = await pending_checkins(uow, root, 2026, datetime(2026, 11, 25, tzinfo=UTC))
        unpledged = await pending_pledges(uow, root, 2026, datetime(2026, 11, 25, tzinfo=UTC))
    assert {p.person.name for p in missing} == {"高峰", "董建"}
    assert {p.person.name for p in unpledged} == {"何静", "萧然"}


async def test_late_publication_is_shown_and_counted(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    # 高峰 pledges on time (public 20 January); 何静 makes hers public on 10 March: late.
    clock.set(datetime(2026, 1, 10, 2, 0, tzinfo=UTC))
    await make_pledge(core, 1110, when="2026-01-20")
    await confirm(core, 1110)
    clock.set(datetime(2026, 3, 10, 2, 0, tzinfo=UTC))
    await pledged(core, when="2026-03-10")
    late_line = zh(" ⏰ late (due {due})", due="2026-01-31")
    mine = texts(await say(core, HE_JING, "/mypledge"))
    assert late_line in mine
    assert late_line not in texts(await say(core, 1110, "/mypledge"))
    listing = texts(await say(core, LIN_TAO, "/unitpledges"))
    assert (
        zh(
            "Must pledge: {must} · pledged: {pledged} (late {late}) · not yet: {missing}",
            must=3,
            pledged=2,
            late=1,
            missing=1,
        )
        in listing
    )
    lines = listing.splitlines()
    he = next(line for line in lines if "何静" in line)
    gao = next(line for line in lines if "高峰" in line)
    assert "— ⏰ ·" in he and "— ✅ ·" in gao
    record = texts(await say(core, LIN_TAO, data=f"plu:p:{pid(fake_uow, HE_JING)}:2026"))
    assert late_line in record


async def test_a_pledge_made_in_december_owes_no_mid_year_check_in(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    clock.set(datetime(2026, 12, 3, 2, 0, tzinfo=UTC))
    await pledged(core, when="2026-12-03")
    yc = [path(fake_uow, "HL-YC")]
    async with fake_uow() as uow:
        pending = await pending_checkins(uow, yc, 2026, clock.now())
    # Only the year-end window (open now) is owed; the mid-year one closed before the pledge.
    assert [(p.person.name, p.window.period.value) for p in pending] == [("何静", "yearend")]
    offered = texts(await say(core, HE_JING, "/checkin"))
    assert "年中" not in offered
    await say(core, HE_JING, "/cancel")
    unit = texts(await say(core, LIN_TAO, "/unitpledges HL-YC 2026"))
    line = next(x for x in unit.splitlines() if "何静" in x)
    assert "年中 —" in line and "❗" not in line


async def test_my_pledge_shows_this_year_before_a_draft_for_next_year(
    core: Assistant, clock: ManualClock
) -> None:
    # In December a cadre drafts next year's pledge while this year's year-end check-in is due:
    # /mypledge without a year still opens this year's record, next year is one tap away.
    clock.set(datetime(2026, 12, 3, 2, 0, tzinfo=UTC))
    await make_pledge(core, LIN_TAO, post="principal", when="2026-12-03")
    await confirm(core, LIN_TAO)
    await pledge_next_year(core, LIN_TAO, "principal", "2027-01-05")
    recorded = zh("✅ Your pledge for {year} is recorded ({n} items).", year=2027, n=len(ITEMS))
    assert recorded in texts(await confirm(core, LIN_TAO))
    mine = await say(core, LIN_TAO, "/mypledge")
    header = zh("📜 Integrity pledge {year} — {post}", year=2026, post=zh("Unit principal"))
    assert header in texts(mine)
    later = await say(core, LIN_TAO, data=button_data(mine, "2027"))
    assert zh("📜 Integrity pledge {year} — {post}", year=2027, post=zh("Unit principal")) in texts(
        later
    )


async def test_a_pledge_entered_after_the_due_date_says_when_it_was_entered(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    # Made public at the January meeting (the cadre's word), entered on 10 March: on time,
    # and the record says when it was entered.
    clock.set(datetime(2026, 3, 10, 2, 0, tzinfo=UTC))
    await pledged(core, when="2026-01-20")
    entered = zh(
        " (entered in the assistant on {date}, after the due date {due})",
        date="2026-03-10",
        due="2026-01-31",
    )
    record = texts(await say(core, LIN_TAO, data=f"plu:p:{pid(fake_uow, HE_JING)}:2026"))
    assert entered in record and "⏰" not in record
    assert entered in texts(await say(core, HE_JING, "/mypledge"))
    # Entered before the due date: nothing to say.
    clock.set(datetime(2026, 1, 10, 2, 0, tzinfo=UTC))
    await make_pledge(core, 1110, when="2026-01-20")
    await confirm(core, 1110)
    assert "录入本助手" not in texts(await say(core, 1110, "/mypledge"))


async def test_my_pledge_for_a_year_not_yet_pledged_says_how_to_make_it(
    core: Assistant, clock: ManualClock
) -> None:
    clock.set(datetime(2026, 12, 3, 2, 0, tzinfo=UTC))
    await pledged(core, when="2026-12-03")
    text = texts(await say(core, HE_JING, "/mypledge 2027"))
    due = zh("No pledge for {year} yet: it is due by {date}.", year=2027, date="2027-01-31")
    assert due in text and "/pledge 2027" in text
    assert "/pledge 2026" not in texts(await say(core, HE_JING, "/mypledge 2026"))
    # Someone with no pledge at all is pointed to the year asked for too.
    assert "/pledge 2027" in texts(await say(core, 1110, "/mypledge 2027"))


async def test_someone_listed_after_the_due_date_is_shown_so(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    """A cadre who joined in March has no pledge yet: the list says when they were listed,
    after the 31 January due date, so the head does not read it as a cadre who let it slip."""
    await say(core, 1001, "/invite HL-YC cadre 新同志")
    [code] = [c for c, inv in fake_uow.db.invitations.items() if inv.name == "新同志"]
    await say(core, 555002, f"/start {code}")
    text = texts(await say(core, LIN_TAO, "/unitpledges"))
    newcomer = next(line for line in text.splitlines() if "新同志" in line)
    assert newcomer.endswith(zh(" (listed on {date}, after the due date)", date="2026-03-10"))
    gao = next(line for line in text.splitlines() if "高峰" in line and "—" in line)
    assert "2026-03-10" not in gao  # listed long before: no such note


async def test_a_colleagues_name_after_an_own_pledge_command_says_why(core: Assistant) -> None:
    """/mypledge 高峰 2026, /pledge 高峰 and /checkin 高峰 had said "give a year" or "name the
    check-in"; they are about one's own pledge, and say so."""
    own_only = zh(
        "This is about your own pledge only. A unit principal or a discipline inspector sees a colleague's with /unitpledges."
    )
    for typed in ("/mypledge 高峰 2026", "/pledge 高峰", "/checkin 高峰"):
        assert texts(await say(core, HE_JING, typed)) == own_only, typed
    assert texts(await say(core, HE_JING, "/mypledge 我 2026")) == texts(
        await say(core, HE_JING, "/mypledge 2026")
    )


async def test_words_after_checkin_that_name_no_colleague_are_periods_or_refused_as_such(
    core: Assistant,
) -> None:
    """年末 / 下半年 / 上半年 after /checkin had been refused as a colleague's name."""
    own_only = zh(
        "This is about your own pledge only. A unit principal or a discipline inspector sees a colleague's with /unitpledges."
    )
    for typed in ("/checkin 年末", "/checkin 上半年", "/checkin 下半年", "/checkin end year"):
        assert texts(await say(core, HE_JING, typed)) != own_only, typed


async def test_a_missing_pledge_is_said_overdue_to_the_principal(core: Assistant) -> None:
    # 何静交承诺了吗 on 10 March: "no pledge for 2026" had not said it was due in January.
    for typed in ("何静交承诺了吗", "/unitpledges 何静"):
        text = texts(await say(core, LIN_TAO, typed))
        overdue = zh(
            "No pledge for {year}: it was due by {date} and is overdue.",
            year=2026,
            date="2026-01-31",
        )
        assert overdue in text, typed


async def test_a_year_not_begun_has_no_pledge_list(core: Assistant) -> None:
    """/unitpledges 2030 had listed everyone as not pledged."""
    assert texts(await say(core, LIN_TAO, "/unitpledges 2030")) == zh(
        "There can be no pledges for {year} yet.", year=2030
    )
    assert zh("There can be no pledges") not in texts(await say(core, LIN_TAO, "/unitpledges 2027"))
