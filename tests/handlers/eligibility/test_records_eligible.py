"""/eligible on fakes: reasons with dates and rules, date edges through the clock, scope."""

from __future__ import annotations

from datetime import UTC, datetime

from handlers.core.app import Assistant
from handlers.core.clock import ManualClock
from knowledge.retrieval import KnowledgeBase
from knowledge.sanctions import load_sanctions
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.core.helpers import buttons, say, texts
from tests.handlers.records.support import (
    ADMIN,
    HL_CADRE,
    HL_HEAD,
    HL_INSPECTOR,
    QF_INSPECTOR,
    ZH,
    add_person,
    create_assessment,
    create_case,
    create_talk,
    run,
)

NOTHING = ZH._("✅ nothing on record prevents it")
BARRED = ZH._("❌ not possible")


def shanghai_noon(y: int, m: int, d: int) -> datetime:
    return datetime(y, m, d, 4, 0, tzinfo=UTC)  # 12:00 in Shanghai


def verdicts(text: str) -> tuple[bool, bool]:
    """(may be rated advanced, may be promoted) read from the reply's two verdict lines."""
    lines = [line for line in text.splitlines() if NOTHING in line or BARRED in line]
    assert len(lines) == 2, text
    assert ZH._("Promotion now:") in lines[1]
    return NOTHING in lines[0], NOTHING in lines[1]


async def test_clean_record_is_eligible(core: Assistant) -> None:
    text = texts(await say(core, HL_CADRE, "/eligible"))
    assert "马丽娟" in text and verdicts(text) == (True, True)


async def test_talk_gives_dated_reasons_citing_the_rule(
    core: Assistant, clock: ManualClock, kb: KnowledgeBase
) -> None:
    tid = await create_talk(core)  # held 2026-03-01
    text = texts(await say(core, HL_INSPECTOR, "/eligible 马丽娟"))
    assert verdicts(text) == (False, False)
    entry = kb.entries[load_sanctions().warning_talk.entry]
    cited = kb.citation(entry)
    assert cited and ZH._("Rule: 【{title}】 {source}", title=entry.title, source=cited) in text
    assert ZH._("warning talk #{id}", id=tid) in text
    assert ZH._("from {start} to {end}", start="2026-03-01", end="2026-08-31") in text
    assert ZH._("from {start} to {end}", start="2026-03-01", end="2026-12-31") in text
    clock.set(shanghai_noon(2026, 8, 31))
    assert verdicts(texts(await say(core, HL_INSPECTOR, "/eligible 马丽娟"))) == (False, False)
    clock.set(shanghai_noon(2026, 9, 1))
    assert verdicts(texts(await say(core, HL_INSPECTOR, "/eligible 马丽娟"))) == (False, True)
    # Until the commendation meeting (default 10 February) the rating judged is 2026's.
    clock.set(shanghai_noon(2027, 1, 1))
    assert verdicts(texts(await say(core, HL_INSPECTOR, "/eligible 马丽娟"))) == (False, True)
    clock.set(shanghai_noon(2027, 2, 11))
    assert verdicts(texts(await say(core, HL_INSPECTOR, "/eligible 马丽娟"))) == (True, True)


async def test_local_date_decides_the_edge(core: Assistant, clock: ManualClock) -> None:
    await create_talk(core)
    # 31 August 17:00 UTC is already 1 September in Shanghai: promotion is open again.
    clock.set(datetime(2026, 8, 31, 17, 0, tzinfo=UTC))
    assert verdicts(texts(await say(core, HL_INSPECTOR, "/eligible 马丽娟")))[1] is True
    clock.set(datetime(2026, 8, 31, 15, 59, tzinfo=UTC))
    assert verdicts(texts(await say(core, HL_INSPECTOR, "/eligible 马丽娟")))[1] is False


async def test_sanction_and_failed_assessment(core: Assistant, clock: ManualClock) -> None:
    cid = await create_case(core)
    await add_person(core, cid, kind="govt_demerit", effective="2026-03-05")
    text = texts(await say(core, HL_CADRE, "/eligible"))
    assert ZH._("accountability case #{id}", id=cid) in text and "记过" in text
    assert ZH._("from {start} to {end}", start="2026-03-05", end="2027-03-04") in text
    aid = await create_assessment(core, year="2026", result="failed")
    text = texts(await say(core, HL_CADRE, "/eligible"))
    # Today's rules fix no bar for a failure: it is named, with a request to check by hand.
    assert f"（考核结果 #{aid}，" in text and "人工核实" in text
    assert "濮阳" not in text
    clock.set(shanghai_noon(2027, 3, 5))
    later = texts(await say(core, HL_CADRE, "/eligible"))
    # The demerit has run out; the 2026 failure is still the latest result: check by hand.
    assert "记过" not in later and f"（考核结果 #{aid}，" in later
    assert ZH._("⚠️ check by hand (see below)") in later


async def test_organisational_handling_counts_only_with_a_catalogue_period(
    core: Assistant,
) -> None:
    cid = await create_case(core)
    await add_person(core, cid, "马丽娟", "organisational", "circulated_criticism", "2026-03-05")
    assert verdicts(texts(await say(core, HL_CADRE, "/eligible"))) == (True, True)
    other = await create_case(core)
    await add_person(core, other, "马丽娟", "organisational", "warning_talk", "2026-03-05")
    assert verdicts(texts(await say(core, HL_CADRE, "/eligible"))) == (False, False)


async def test_deleted_records_no_longer_count(core: Assistant) -> None:
    tid = await create_talk(core)
    await run(core, ADMIN, f"@tk:d:{tid}", "录错对象，删除", "@f:ok")
    assert verdicts(texts(await say(core, HL_CADRE, "/eligible"))) == (True, True)


async def test_scope_by_name_and_by_button(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    await create_talk(core)
    ma = next(p for p in fake_uow.db.people.values() if p.name == "马丽娟")
    refused = texts(await say(core, QF_INSPECTOR, "/eligible 马丽娟"))
    assert refused == ZH._("No person or unit “{text}” found within your scope.", text="马丽娟")
    unknown = texts(await say(core, QF_INSPECTOR, "/eligible 查无此人"))
    assert unknown == ZH._("No person or unit “{text}” found within your scope.", text="查无此人")
    guessed = texts(await say(core, QF_INSPECTOR, data=f"el:{ma.id}"))
    assert guessed == ZH._("No person “{text}” found within your scope.", text=f"P{ma.id}")
    missing = texts(await say(core, QF_INSPECTOR, data="el:999999"))
    assert missing == ZH._("No person “{text}” found within your scope.", text="P999999")
    cadre = texts(await say(core, 1109, "/eligible 马丽娟"))
    assert cadre == ZH._("No person “{text}” found within your scope.", text="马丽娟")
    assert not any(
        e.action == "eligibility.viewed"
        and e.object_id == str(ma.id)
        and e.actor_id != _id(fake_uow, HL_INSPECTOR)
        for e in fake_uow.db.audit
    )


def _id(fake_uow: FakeUnitOfWorkFactory, telegram_id: int) -> int:
    return next(p.id for p in fake_uow.db.people.values() if p.telegram_user_id == telegram_id)


async def test_several_matches_offer_buttons(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    single = await say(core, HL_INSPECTOR, "/eligible 高")  # only 高峰 in 华龙区
    # One character is a family name: confirmed from a button, never taken as the person.
    assert [label for label, d in buttons(single) if d.startswith("el:")] == [
        "高峰（岳村镇）",
        ZH._("No, someone else"),
    ]
    city = await say(core, ADMIN, "/eligible 静")  # 陈静 (city) and 何静 (华龙区)
    data = [d for _, d in buttons(city) if d.startswith("el:")]
    assert len(data) == 2
    chosen = texts(await say(core, ADMIN, data=data[0]))
    assert ZH._("Promotion now:") in chosen
    entry = fake_uow.db.audit[-1]
    assert entry.action == "eligibility.viewed" and entry.details == {}


# -- which year's rating ------------------------------------------------------------------------
def rated(year: int) -> str:
    return ZH._("Rated advanced for {year}:", year=year)


async def test_january_judges_the_year_just_ended(core: Assistant, clock: ManualClock) -> None:
    await create_talk(core)  # 2026-03-01: no advanced rating for 2026
    clock.set(shanghai_noon(2027, 1, 20))
    text = texts(await say(core, HL_INSPECTOR, "/eligible 马丽娟"))
    assert rated(2026) in text and verdicts(text) == (False, True)
    assert "年初总结表彰暨工作部署会" in text and "2027-02-10" in text  # says why 2026
    clock.set(shanghai_noon(2027, 2, 10))  # the meeting day itself still commends 2026
    assert rated(2026) in texts(await say(core, HL_INSPECTOR, "/eligible 马丽娟"))
    clock.set(shanghai_noon(2027, 2, 11))
    text = texts(await say(core, HL_INSPECTOR, "/eligible 马丽娟"))
    assert rated(2027) in text and verdicts(text) == (True, True)
    assert "2027-02-10" not in text


async def test_the_commendation_date_set_by_administrators_decides(
    core: Assistant, clock: ManualClock
) -> None:
    await create_talk(core)
    await say(core, ADMIN, "/calendar set deployment_meeting 2027-01-25")
    clock.set(shanghai_noon(2027, 1, 25))
    assert rated(2026) in texts(await say(core, HL_INSPECTOR, "/eligible 马丽娟"))
    clock.set(shanghai_noon(2027, 1, 26))
    text = texts(await say(core, HL_INSPECTOR, "/eligible 马丽娟"))
    assert rated(2027) in text and verdicts(text) == (True, True)


async def test_an_explicit_year_is_judged_as_it_stood_at_its_commendation(
    core: Assistant, clock: ManualClock, fake_uow: FakeUnitOfWorkFactory
) -> None:
    cid = await create_case(core)
    clock.set(shanghai_noon(2027, 3, 10))
    # In force from 1 March 2027, after the 2027 commendation meeting: bars 2027, not 2026.
    await add_person(core, cid, kind="party_warning", effective="2027-03-01")
    now = texts(await say(core, HL_INSPECTOR, "/eligible 马丽娟"))
    assert rated(2027) in now and verdicts(now) == (False, False)
    past = texts(await say(core, HL_INSPECTOR, "/eligible 马丽娟 2026"))
    assert rated(2026) in past and verdicts(past) == (True, False)
    assert "2027-02-10" in past  # judged on the records as they stood at that meeting
    own = texts(await say(core, HL_CADRE, "/eligible 2026年"))
    assert rated(2026) in own and verdicts(own) == (True, False)
    entry = fake_uow.db.audit[-1]
    assert entry.action == "eligibility.viewed" and entry.details == {"year": 2026}


async def test_next_year_is_foreseen_on_its_deciding_day(
    core: Assistant, clock: ManualClock
) -> None:
    """明年: a party warning of 2026 (six months) no longer bars the 2027 rating, decided at the
    2028 commendation meeting; the reply says the year is foreseen from today's records."""
    cid = await create_case(core)
    await add_person(core, cid, kind="party_warning", effective="2026-03-01")
    this_year = texts(await say(core, HL_INSPECTOR, "/eligible 马丽娟"))
    assert rated(2026) in this_year and verdicts(this_year)[0] is False
    for asked in ("/eligible 马丽娟 2027", "/eligible 马丽娟 明年"):
        text = texts(await say(core, HL_INSPECTOR, asked))
        assert rated(2027) in text and verdicts(text)[0] is True, asked
        assert "2027 年度尚未开始" in text and "2028-02-10" in text


async def test_bad_years_are_refused_clearly(core: Assistant, clock: ManualClock) -> None:
    for args in ("马丽娟 2028", "马丽娟 1999", "马丽娟 20261", "马丽娟 26", "2031", "1999年"):
        text = texts(await say(core, HL_INSPECTOR, f"/eligible {args}"))
        words = args.split()
        assert text == ZH._(
            "“{text}” is not a year I can judge: please give a year from {first} to {last}, e.g. /eligible {example}.",
            text=words[-1],
            first=2000,
            last=2027,
            example="马丽娟 2025" if len(words) > 1 else "2025",
        ), text
    # A person's number is written P2026: it is not read as a year.
    text = texts(await say(core, HL_INSPECTOR, "/eligible P2026"))
    assert text == ZH._("No person “{text}” found within your scope.", text="P2026")
    # "#2026" is a record's number: said so, never taken for a person or a year.
    record = texts(await say(core, HL_INSPECTOR, "/eligible #2026"))
    assert record == ZH._(
        "“{text}” is a record number. For a person, type the name or the person number (such as P{n}).",
        text="#2026",
        n="2026",
    )


async def test_the_year_travels_with_the_choice_buttons(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    city = await say(core, ADMIN, "/eligible 静 2025")
    data = [d for _, d in buttons(city) if d.startswith("el:")]
    assert len(data) == 2 and all(d.endswith(":2025") for d in data)
    assert rated(2025) in texts(await say(core, ADMIN, data=data[0]))
    assert fake_uow.db.audit[-1].details == {"year": 2025}


async def test_oneself_by_name_and_a_unit_head_for_their_own_unit(core: Assistant) -> None:
    """/eligible with one's own name (or 我) checks oneself; a unit head may check the
    people of the unit they head, not of other units."""
    own = texts(await say(core, HL_CADRE, "/eligible 马丽娟"))
    also = texts(await say(core, HL_CADRE, "/eligible 我"))
    assert "马丽娟" in own and verdicts(own) == verdicts(also) == (True, True)
    head = texts(await say(core, HL_HEAD, "/eligible 马丽娟"))  # 孙伟 heads HL-ZF
    assert "马丽娟" in head and verdicts(head) == (True, True)
    other = texts(await say(core, HL_HEAD, "/eligible 何静"))  # 何静 is in HL-YC
    assert other == ZH._("No person or unit “{text}” found within your scope.", text="何静")


async def test_a_party_sanction_inside_an_earlier_ones_period_carries_its_rest(
    core: Assistant, clock: ManualClock
) -> None:
    """2023 条例 第二十一条 through /eligible: a warning effective 10 March 2026 (one year,
    to 9 March 2027), then a serious warning effective 10 September 2026 inside it: six
    months left + eighteen = 24 months from 10 September 2026, through 9 September 2028."""
    first, second = await create_case(core), await create_case(core)
    await add_person(core, first, kind="party_warning", effective="2026-03-10")
    clock.set(shanghai_noon(2026, 9, 15))
    await add_person(core, second, kind="party_serious_warning", effective="2026-09-10")
    clock.set(shanghai_noon(2026, 10, 1))
    text = texts(await say(core, HL_INSPECTOR, "/eligible 马丽娟"))
    assert ZH._("❌ not possible until {date}", date="2028-09-09") in text, text
    assert (
        ZH._(
            "Includes the unexpired rest of the earlier party sanction's period (2023 regulations, article 21)."
        )
        in text
    )


async def test_an_organisational_handling_without_a_checked_period_asks_for_a_check(
    core: Assistant,
) -> None:
    """调整职务: the 2021 rules' period article was not read, so /eligible neither clears
    nor bars the person on it; it names the record and asks for a check by hand."""
    case = await create_case(core)
    await add_person(core, case, category="organisational", kind="job_adjustment")
    text = texts(await say(core, HL_INSPECTOR, "/eligible 马丽娟"))
    assert ZH._("⚠️ check by hand (see below)") in text
    assert "调整职务" in text and f"#{case}" in text


async def test_a_suspension_is_recorded_and_both_answers_ask_for_a_check(
    core: Assistant,
) -> None:
    """停职检查 (组织处理规定 第三条) is one of the five kinds: it can be recorded, and with
    nothing else on file neither answer is given as clear."""
    case = await create_case(core)
    await add_person(core, case, category="organisational", kind="suspension")
    text = texts(await say(core, HL_INSPECTOR, "/eligible 马丽娟"))
    check = ZH._("⚠️ check by hand (see below)")
    answers = [line for line in text.splitlines() if check in line]
    assert len(answers) == 2 and ZH._("Promotion now:") in answers[1], text
    assert "停职检查（责任追究案件 #" in text and "《中国共产党组织处理规定（试行）》第三条" in text


async def party_warning(core: Assistant, case: int, effective: str, *more: str) -> list:
    """Types a party warning for 马丽娟 into the case, effective on the date, then ``more``."""
    steps = ("马丽娟", "@f:c:discipline", "@f:c:party_warning", effective, *more)
    return await run(core, HL_INSPECTOR, f"@cs:p:{case}", *steps)


async def test_typing_a_skip_word_skips_an_optional_field(core: Assistant) -> None:
    """跳过 typed in an optional field skips it instead of being stored as its text."""
    case = await create_case(core)
    replies = await party_warning(core, case, "2026-03-05", "跳过")
    assert "跳过" not in texts(replies[-1:])  # the review does not show it as a value
    await run(core, HL_INSPECTOR, "@f:ok")
    text = texts(await say(core, HL_INSPECTOR, "/eligible 马丽娟"))
    assert "党内警告" in text


async def test_a_handling_cannot_take_effect_before_its_case_was_opened(core: Assistant) -> None:
    """The case was opened (立案) on 2026-03-01: a decision effective 2026-02-20 contradicts
    it and is refused with both dates, the form staying on the date."""
    case = await create_case(core)
    replies = await party_warning(core, case, "2026-02-20")
    assert ZH._(
        "The decision cannot take effect ({date}) before the case was opened ({opened}); please check the date.",
        date="2026-02-20",
        opened="2026-03-01",
    ) in texts(replies[-1:])


async def test_the_office_is_told_it_reads_figures_not_people(core: Assistant) -> None:
    """The responsibility-system office (1101) sees no individual records: /eligible about a
    person or unit, typed or asked in words, says so instead of "no such person"."""
    told = ZH._(
        "Your role sees figures, not people's records: whether someone may be rated advanced or promoted is checked by discipline inspectors and unit heads. For figures, send /summary."
    )
    for typed in ("/eligible 何静", "/eligible 岳村镇", "何静今年能评优吗"):
        assert texts(await say(core, 1101, typed)) == told, typed


async def test_a_name_found_only_by_its_sound_is_asked_about_first(core: Assistant) -> None:
    """/eligible 何晶 (何静 mistyped) asks "do you mean" with her button: it had shown her
    clearance as if she were the one named."""
    asked = await say(core, 1102, "/eligible 何晶")
    assert "您是指这位吗？" in texts(asked)
    assert any("何静" in b.text for row in asked[0].buttons for b in row)
