"""Warning talks on fakes: create, edit, follow-up (close), list, scope, history, deletion."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from handlers.core.app import Assistant
from handlers.core.clock import ManualClock
from handlers.core.i18n import translator
from handlers.records.domain import RecordType
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.core.helpers import button_data, buttons, forms_open, say, texts
from tests.handlers.records.support import (
    ADMIN,
    HL_CADRE,
    HL_INSPECTOR,
    QF_INSPECTOR,
    TALK_INPUTS,
    ZH,
    create_talk,
    created_id,
    not_found,
    run,
)

DENIED = ZH._("Sorry, your role does not allow this. Send /help to see what you can do.")


def data_of(replies: list) -> list[str]:
    """The data of every button in the replies."""
    return [d for _, d in buttons(replies)]


def talks(fake_uow: FakeUnitOfWorkFactory):  # type: ignore[no-untyped-def]
    return fake_uow.db.record_tables.talks


async def test_create_talk_stores_it_with_revision_and_audit(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    tid = await create_talk(core)
    talk = talks(fake_uow)[tid]
    person = fake_uow.db.people[talk.person_id]
    assert person.name == "马丽娟" and talk.unit_id == person.unit_id
    assert (talk.place, talk.talker, talk.note_taker) == ("区纪委谈话室", "徐芳", "李明")
    assert talk.reason == "integrity_breach" and talk.follow_up_date is None
    assert talk.talk_date.isoformat() == "2026-03-01"
    revisions = fake_uow.db.record_tables.revisions
    assert [(r.record_type, r.record_id, r.action) for r in revisions[-1:]] == [
        (RecordType.TALK, tid, "create")
    ]
    entry = fake_uow.db.audit[-1]
    assert (entry.action, entry.object_id, entry.unit_id) == (
        "talk.created",
        str(tid),
        talk.unit_id,
    )
    assert forms_open(fake_uow) == set()  # the form is closed


async def test_open_talk_shows_fields_and_effect_period(core: Assistant) -> None:
    tid = await create_talk(core)
    replies = await say(core, HL_INSPECTOR, data=f"tk:o:{tid}")
    text = texts(replies)
    assert "马丽娟" in text and "区纪委谈话室" in text and "廉洁自律方面存在问题" in text
    assert ZH._("Effect period: {start} to {end}", start="2026-03-01", end="2026-08-31") in text
    data = data_of(replies)
    assert {f"tk:e:{tid}", f"tk:f:{tid}", f"tk:h:{tid}"} <= set(data)
    assert f"tk:d:{tid}" not in data  # inspectors do not delete


async def test_bad_input_is_refused_and_nothing_stored(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    unknown = await say(core, HL_INSPECTOR, "/talk 不存在的人")
    assert texts(unknown) == ZH._("No person “{text}” found within your scope.", text="不存在的人")
    outside = await say(core, HL_INSPECTOR, "/talk 宋佳")  # 清丰县, not 华龙区
    assert texts(outside) == ZH._("No person “{text}” found within your scope.", text="宋佳")
    myself = await say(core, HL_INSPECTOR, "/talk 徐芳")
    assert texts(myself) == ZH._("You cannot record this about yourself.")
    await say(core, HL_INSPECTOR, "/talk 马丽娟")
    future = await say(core, HL_INSPECTOR, "2026-03-11")
    assert texts(future) == ZH._(
        "That date is in the future; please give the date on which it happened."
    )
    nonsense = await say(core, HL_INSPECTOR, "改天")
    # Today's date is the example (the fake clock's 10 March), never a fixed one.
    assert texts(nonsense) == ZH._(
        "Please give a date like {iso} or {md} (or “today”).", iso="2026-03-10", md="3/10"
    )
    await run(core, HL_INSPECTOR, *TALK_INPUTS[:-1])
    early = await say(core, HL_INSPECTOR, "2026-02-01")
    assert texts(early) == ZH._("The follow-up date cannot be before the talk.")
    typed_reason = await run(core, HL_INSPECTOR, "@f:cancel")
    assert texts(typed_reason) == ZH._("Cancelled. Nothing was saved.")
    names = {fake_uow.db.people[t.person_id].name for t in talks(fake_uow).values()}
    assert names == {"高峰", "谢东"}  # the demo talks only


async def test_confirmation_rechecks_the_date(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    await run(core, HL_INSPECTOR, "/talk 马丽娟", "今天", *TALK_INPUTS[1:])
    before = dict(talks(fake_uow))
    clock.set(clock.now() - timedelta(days=3))  # the clock moved back: "today" is now ahead
    replies = await say(core, HL_INSPECTOR, data="f:ok")
    assert texts(replies) == ZH._(
        "That date is in the future; please give the date on which it happened."
    )
    assert talks(fake_uow) == before


async def test_edit_creates_revision_with_old_and_new_values(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    tid = await create_talk(core)
    replies = await run(core, HL_INSPECTOR, f"@tk:e:{tid}", "@f:edit:place", "区委会议室", "@f:ok")
    assert texts(replies) == ZH._("Warning talk #{id} saved.", id=tid)
    talk = talks(fake_uow)[tid]
    assert talk.place == "区委会议室" and talk.version == 2
    rev = fake_uow.db.record_tables.revisions[-1]
    assert (rev.action, rev.changes) == ("edit", {"place": ["区纪委谈话室", "区委会议室"]})
    entry = fake_uow.db.audit[-1]
    assert entry.action == "talk.edited" and entry.details == {"fields": ["place"]}
    history = texts(await say(core, HL_INSPECTOR, data=f"tk:h:{tid}"))
    assert "区纪委谈话室 → 区委会议室" in history and "徐芳" in history
    assert ZH._("edited") in history and ZH._("created") in history


async def test_edit_without_changes_stores_nothing(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    tid = await create_talk(core)
    revisions = len(fake_uow.db.record_tables.revisions)
    replies = await run(core, HL_INSPECTOR, f"@tk:e:{tid}", "@f:ok")
    assert texts(replies) == ZH._("Nothing was changed.")
    assert len(fake_uow.db.record_tables.revisions) == revisions
    assert talks(fake_uow)[tid].version == 1


async def test_stale_edit_never_overwrites_a_newer_one(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    tid = await create_talk(core)
    # Two inspectors open the same talk; the second saves first.
    await run(core, HL_INSPECTOR, f"@tk:e:{tid}", "@f:edit:place", "甲地点")
    await run(core, ADMIN, f"@tk:e:{tid}", "@f:edit:talker", "王建国", "@f:ok")
    replies = await say(core, HL_INSPECTOR, data="f:ok")
    assert texts(replies) == ZH._(
        "This record was changed by someone else in the meantime, so nothing was saved. Please open it again."
    )
    talk = talks(fake_uow)[tid]
    assert (talk.place, talk.talker) == ("区纪委谈话室", "王建国")


async def test_follow_up_closes_the_talk(core: Assistant, fake_uow: FakeUnitOfWorkFactory) -> None:
    tid = await create_talk(core)
    future = await run(core, HL_INSPECTOR, f"@tk:f:{tid}", "2026-03-12")
    assert texts(future) == ZH._(DONE_IN_FUTURE, date="2026-03-12")
    replies = await run(core, HL_INSPECTOR, "@f:c:2026-03-10", "已退还费用，整改到位", "@f:ok")
    assert texts(replies) == ZH._("Follow-up of warning talk #{id} recorded.", id=tid)
    talk = talks(fake_uow)[tid]
    assert talk.followed_up and talk.follow_up_date.isoformat() == "2026-03-10"  # type: ignore[union-attr]
    assert fake_uow.db.record_tables.revisions[-1].action == "follow_up"
    assert fake_uow.db.audit[-1].action == "talk.followed_up"
    opened = await say(core, HL_INSPECTOR, data=f"tk:o:{tid}")
    assert f"tk:f:{tid}" not in data_of(opened)
    closed = texts(await say(core, HL_INSPECTOR, "/talks closed"))
    pending = texts(await say(core, HL_INSPECTOR, "/talks open"))
    assert f"#{tid} " in closed and f"#{tid} " not in pending


async def test_list_filters_by_unit_year_and_pages(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    ids = [await create_talk(core, day=f"2026-03-0{i}") for i in range(1, 10)]
    first = await say(core, HL_INSPECTOR, "/talks HL-ZF 2026")
    listed = [d for _, d in buttons(first) if d.startswith("tk:o:")]
    assert len(listed) == 8
    more = button_data(first, ZH._("More ▶"))
    second = await say(core, HL_INSPECTOR, data=more)
    rest = [d for _, d in buttons(second) if d.startswith("tk:o:")]
    assert sorted(listed + rest) == sorted(f"tk:o:{i}" for i in ids)
    assert texts(await say(core, HL_INSPECTOR, "/talks HL-ZF 2025")).endswith(ZH._("No records."))
    assert fake_uow.db.audit[-1].action == "talk.listed"
    # The demo talk in 岳村镇 is in the county list but not in 华龙区政府办公室's.
    county = texts(await say(core, HL_INSPECTOR, "/talks 2025"))
    assert "高峰" in county and "马丽娟" not in county
    assert "高峰" not in texts(first) + texts(second)


async def test_inspector_of_another_county_cannot_read(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    tid = await create_talk(core)
    missing = 999_999
    for action in ("o", "e", "f", "h", "d"):
        guessed = await say(core, QF_INSPECTOR, data=f"tk:{action}:{tid}")
        absent = await say(core, QF_INSPECTOR, data=f"tk:{action}:{missing}")
        assert texts(guessed) == not_found(tid)
        assert texts(absent) == not_found(missing)
    listed = texts(await say(core, QF_INSPECTOR, "/talks"))
    assert "马丽娟" not in listed
    for typed in ("HL-ZF", "马丽娟"):  # neither the unit nor the person is in his scope
        refused = await say(core, QF_INSPECTOR, f"/talks {typed}")
        assert texts(refused) == ZH._(
            "No unit or person “{text}” found within your scope.", text=typed
        )
    paged = await say(core, QF_INSPECTOR, data=f"tk:l:{talks(fake_uow)[tid].unit_id}:0:-:0")
    assert "马丽娟" not in texts(paged)
    subject = talks(fake_uow)[tid].person_id
    by_person = await say(core, QF_INSPECTOR, data=f"tk:l:p{subject}:0:-:0")
    assert "马丽娟" not in texts(by_person)
    assert not any(e.action == "talk.viewed" for e in fake_uow.db.audit if e.object_id == str(tid))


async def test_an_inspector_lists_the_talks_about_one_person(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    """/talks 马丽娟: her talks only, with the filter kept on the status buttons."""
    tid = await create_talk(core)
    other = await create_talk(core, person="高峰")
    listed = await say(core, HL_INSPECTOR, "/talks 马丽娟")
    assert f"tk:o:{tid}" in data_of(listed) and f"tk:o:{other}" not in data_of(listed)
    assert "马丽娟" in texts(listed).splitlines()[0]  # named in the header
    subject = talks(fake_uow)[tid].person_id
    assert any(d.startswith(f"tk:l:p{subject}:") for d in data_of(listed))
    everyone = await say(core, HL_INSPECTOR, "/talks")
    assert f"tk:o:{other}" in data_of(everyone)


async def test_cadre_reads_own_talk_read_only(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    tid = await create_talk(core)
    own = await say(core, HL_CADRE, "/talks")
    assert f"tk:o:{tid}" in data_of(own)
    assert "高峰" not in texts(own)  # only her own talks
    # Her own name (or 我) filters to her own talks; another's name is refused plainly,
    # not as "no such unit" (a cadre has no units to read).
    for typed in ("/talks 马丽娟", "/talks 我的", "/talks 马 丽娟"):
        assert f"tk:o:{tid}" in data_of(await say(core, HL_CADRE, typed)), typed
    someone = await say(core, HL_CADRE, "/talks 高峰")
    assert texts(someone) == ZH._(
        "You can only see the records about yourself here, not search by “{text}”.", text="高峰"
    )
    opened = await say(core, HL_CADRE, data=f"tk:o:{tid}")
    assert "区纪委谈话室" in texts(opened) and buttons(opened) == []
    edit = await say(core, HL_CADRE, data=f"tk:e:{tid}")
    assert texts(edit) == DENIED
    other = await say(core, 1109, data=f"tk:o:{tid}")  # another cadre
    assert texts(other) == not_found(tid)
    new = await say(core, HL_CADRE, "/talk 孙伟")
    assert texts(new) == DENIED


async def test_admin_deletes_with_reason_leaving_tombstone(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    tid = await create_talk(core)
    refused = await say(core, HL_INSPECTOR, data=f"tk:d:{tid}")
    assert texts(refused) == DENIED
    short = await run(core, ADMIN, f"@tk:d:{tid}", "错")
    assert texts(short) == ZH._("Please write at least {n} characters.", n=4)
    done = await run(core, ADMIN, "重复录入，删除", "@f:ok")
    assert ZH._(
        "{noun} #{id} was deleted. Its tombstone and history are kept.",
        noun=ZH._("Warning talk"),
        id=tid,
    ) in texts(done)
    talk = talks(fake_uow)[tid]
    assert talk.deleted is not None and talk.deleted.reason == "重复录入，删除"
    assert fake_uow.db.record_tables.revisions[-1].action == "delete"
    entry = fake_uow.db.audit[-1]
    assert entry.action == "talk.deleted" and entry.details == {}
    assert f"tk:o:{tid}" not in data_of(await say(core, HL_INSPECTOR, "/talks"))
    tomb = texts(await say(core, HL_INSPECTOR, data=f"tk:o:{tid}"))
    assert "重复录入，删除" in tomb and "王建国" in tomb
    assert texts(await say(core, HL_CADRE, data=f"tk:o:{tid}")) == not_found(tid)
    edit = await say(core, HL_INSPECTOR, data=f"tk:e:{tid}")
    assert texts(edit) == DENIED


async def test_audit_details_hold_no_record_content(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    tid = await create_talk(core)
    await run(
        core,
        HL_INSPECTOR,
        f"@tk:o:{tid}",
        f"@tk:e:{tid}",
        "@f:edit:summary",
        "新的内容",
        "@f:ok",
        f"@tk:h:{tid}",
        "/talks",
    )
    contents = ("马丽娟", "区纪委谈话室", "徐芳", "李明", "谈话内容", "新的内容", "integrity")
    for entry in fake_uow.db.audit:
        assert not any(c in str(entry.details) for c in contents), entry
    actions = {e.action for e in fake_uow.db.audit if e.object_type == "talk"}
    assert {
        "talk.created",
        "talk.viewed",
        "talk.edited",
        "talk.history_viewed",
        "talk.listed",
    } <= actions


async def test_malformed_payloads_are_not_found(core: Assistant) -> None:
    for data in ("tk:o:abc", "tk:o", "tk:o:-3", "tk:l:x:0:-:0", "tk:zz:1"):
        text = texts(await say(core, HL_INSPECTOR, data=data))
        assert text in (not_found("?"), not_found(-3), ZH._("That button is no longer valid."))


async def test_status_filter_buttons_relist(core: Assistant) -> None:
    tid = await create_talk(core)
    listed = await say(core, HL_INSPECTOR, "/talks 2026")
    pending = button_data(listed, ZH._("follow-up pending"))
    assert pending == "tk:l:0:2026:open:0"
    only_open = await say(core, HL_INSPECTOR, data=pending)
    assert f"tk:o:{tid}" in data_of(only_open)
    done = await say(core, HL_INSPECTOR, data=button_data(only_open, ZH._("followed up")))
    assert f"tk:o:{tid}" not in data_of(done)
    assert button_data(done, ZH._("All")) == "tk:l:0:2026:-:0"


async def test_admin_cannot_delete_a_record_about_himself(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    tid = await create_talk(core, user=1003, person="王建国")  # 1003 inspects the city
    opened = await say(core, ADMIN, data=f"tk:o:{tid}")
    assert f"tk:d:{tid}" not in data_of(opened)
    refused = await say(core, ADMIN, data=f"tk:d:{tid}")
    assert texts(refused) == DENIED
    assert talks(fake_uow)[tid].deleted is None


DONE_IN_FUTURE = "{date} is still to come, but a follow-up is recorded only once it has been done: please give the day it was done. To plan a follow-up, edit the talk and set its follow-up date instead."


async def test_a_follow_up_date_still_to_come_is_explained_at_confirmation(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    """Confirmed when "today" is earlier than when it was typed (another instance's clock)."""
    tid = await create_talk(core)
    await run(core, HL_INSPECTOR, f"@tk:f:{tid}", "2026-03-10", "已整改到位")
    clock.set(datetime(2026, 3, 9, 2, 0, tzinfo=UTC))
    refused = await say(core, HL_INSPECTOR, data="f:ok")
    assert texts(refused) == ZH._(DONE_IN_FUTURE, date="2026-03-10")
    assert ZH._("The follow-up date cannot be before the talk.") not in texts(refused)
    # Refused at confirmation, the review's own buttons come with the reason.
    assert "f:ok" in [d for _, d in buttons(refused)] and any(
        d.startswith("f:edit:") for _, d in buttons(refused)
    )
    assert not talks(fake_uow)[tid].followed_up
    # Before the talk is still its own message.
    early = await run(core, HL_INSPECTOR, "@f:cancel", f"@tk:f:{tid}", "2026-02-01")
    assert texts(early) == ZH._("The follow-up date cannot be before the talk.")


async def test_editing_a_followed_up_talk_keeps_its_date_in_the_past(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    tid = await create_talk(core)
    # Not followed up yet: the date is a plan and may lie ahead.
    await run(core, HL_INSPECTOR, f"@tk:e:{tid}", "@f:edit:follow_up_date")
    planned = await run(core, HL_INSPECTOR, "2026-04-01", "@f:ok")
    assert texts(planned).startswith(ZH._("Warning talk #{id} saved.", id=tid))
    await run(core, HL_INSPECTOR, f"@tk:f:{tid}", "2026-03-10", "已整改到位", "@f:ok")
    # Followed up: the date is the day it was done, so a day still to come is refused.
    prompt = await run(core, HL_INSPECTOR, f"@tk:e:{tid}", "@f:edit:follow_up_date")
    assert ZH._("On which day was the follow-up done?") in texts(prompt)
    future = await say(core, HL_INSPECTOR, "2026-04-01")
    # In the talk's own form: not "edit the talk", which is what is being done.
    editing = "{date} is still to come, but this talk's follow-up is recorded as done: its date is the day it was done."
    assert texts(future) == ZH._(editing, date="2026-04-01")
    assert talks(fake_uow)[tid].follow_up_date.isoformat() == "2026-03-10"  # type: ignore[union-attr]
    # Nor can it be emptied while the result stays (it had been saved with "—").
    emptied = await run(core, HL_INSPECTOR, "跳过", "@f:ok")
    assert ZH._("This talk's follow-up is recorded, so its date cannot be left empty.") in texts(
        emptied
    )
    assert talks(fake_uow)[tid].follow_up_date.isoformat() == "2026-03-10"  # type: ignore[union-attr]


async def test_the_follow_up_message_speaks_english_too(core: Assistant) -> None:
    tid = await create_talk(core)
    await say(core, HL_INSPECTOR, "/lang en")
    future = await run(core, HL_INSPECTOR, f"@tk:f:{tid}", "tomorrow")
    assert texts(future) == translator("en")._(DONE_IN_FUTURE, date="2026-03-11")
    assert texts(future) != ZH._(DONE_IN_FUTURE, date="2026-03-11")


async def test_free_text_fields_want_words(core: Assistant) -> None:
    """A lone number, date or emoji typed into a place, a name or a summary is refused."""
    from tests.handlers.records.support import HL_INSPECTOR, ZH, run

    await run(core, HL_INSPECTOR, "/talk 马丽娟", "@f:c:2026-03-10")
    for slip in ("7", "2026-03-09", "🙂", "1月10号", "昨天"):  # a date in characters too
        refused = await say(core, HL_INSPECTOR, slip)
        assert texts(refused) == ZH._(
            "Please write this in words; a number, a date or an emoji alone is not enough."
        ), slip
    assert "谈话人" in texts(await say(core, HL_INSPECTOR, "区纪委谈话室"))


async def test_hash_number_is_a_record_and_p_number_a_person(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    """One notation everywhere: /talk #13 opens talk #13, /talk P28 records a talk with
    person 28, and a record number where only a person fits says so."""
    from tests.handlers.records.support import HL_INSPECTOR, ZH

    talk_id = min(fake_uow.db.record_tables.talks)
    opened = texts(await say(core, HL_INSPECTOR, f"/talk #{talk_id}"))
    assert f"#{talk_id}" in opened and "诫勉谈话" in opened
    assert forms_open(fake_uow) == set()  # no form started
    ma = next(p for p in fake_uow.db.people.values() if p.name == "马丽娟")
    started = texts(await say(core, HL_INSPECTOR, f"/talk P{ma.id}"))
    assert "哪一天谈的话" in started
    await say(core, HL_INSPECTOR, "/cancel")
    refused = texts(await say(core, 1001, f"/deactivate #{ma.id}"))
    assert refused == ZH._(
        "“{text}” is a record number. For a person, type the name or the person number (such as P{n}).",
        text=f"#{ma.id}",
        n=str(ma.id),
    )
    assert ma.active


async def test_typing_a_confirm_word_on_the_review_saves_like_the_button(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    before = set(talks(fake_uow))
    unsure = await run(core, HL_INSPECTOR, "/talk 马丽娟", *TALK_INPUTS, "再看看")
    assert ZH._("Please use the buttons to confirm, edit or cancel.") in texts(unsure)
    assert set(talks(fake_uow)) == before
    saved = await run(core, HL_INSPECTOR, "确认！")
    tid = created_id(saved, "tk")
    assert talks(fake_uow)[tid].place == "区纪委谈话室"


async def test_me_as_who_held_the_talk_is_the_recorders_name(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    # "me" stored as typed would read, to the person talked to, as themselves.
    inputs = list(TALK_INPUTS)
    inputs[2:4] = ["我", "me"]
    replies = await run(core, HL_INSPECTOR, "/talk 马丽娟", *inputs, "@f:ok")
    talk = talks(fake_uow)[created_id(replies, "tk")]
    inspector = next(p for p in fake_uow.db.people.values() if p.telegram_user_id == HL_INSPECTOR)
    assert talk.talker.startswith(inspector.name) and talk.note_taker.startswith(inspector.name)
    assert talk.talker == " ".join(x for x in (inspector.name, inspector.post) if x)


async def test_a_planned_follow_up_without_its_year_is_the_coming_one(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    # A talk held on 7 December with a follow-up "1月10号": next January, as a notice's
    # deadline reads it (it had been refused as "before the talk").
    clock.set(datetime(2026, 12, 7, 2, 0, tzinfo=UTC))
    replies = await run(core, HL_INSPECTOR, "/talk 马丽娟", "今天", *TALK_INPUTS[1:-1], "1月10号")
    assert "2027-01-10" in texts(replies), texts(replies)
    await say(core, HL_INSPECTOR, data="f:ok")
    talks = fake_uow.db.record_tables.talks
    assert [t.follow_up_date for t in talks.values()][-1].isoformat() == "2027-01-10"


async def test_the_date_examples_are_todays(core: Assistant, clock: ManualClock) -> None:
    """In December the talk form's date hint shows December's date, not a fixed example."""
    clock.set(datetime(2026, 12, 7, 2, 0, tzinfo=UTC))
    asked = texts(await say(core, HL_INSPECTOR, "/talk 马丽娟"))
    assert "2026-03-10" not in asked
    refused = texts(await say(core, HL_INSPECTOR, "啊啊"))
    assert refused == ZH._(
        "Please give a date like {iso} or {md} (or “today”).", iso="2026-12-07", md="12/7"
    )


async def test_a_refusal_inside_the_form_brings_its_buttons(core: Assistant) -> None:
    """跳过 where the place is needed is refused with Back and Cancel to press (the refusal
    said "press Cancel" and showed no button)."""
    await run(core, HL_INSPECTOR, "/talk 马丽娟", "2026-03-01")
    refused = await say(core, HL_INSPECTOR, "跳过")
    assert texts(refused) == ZH._(
        "This one is needed and cannot be skipped; please type it, or press Cancel."
    )
    assert {"f:back", "f:cancel"} <= {d for _, d in buttons(refused)}
    await say(core, HL_INSPECTOR, "/cancel")


async def test_a_sound_alike_name_in_the_form_is_offered_with_a_button(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    """高锋 typed where the person is asked offers 高峰 with a button (it said "type the
    full name" with nothing to press); the button takes him as if his number were typed."""
    await say(core, HL_INSPECTOR, "/talk")
    offered = await say(core, HL_INSPECTOR, "高锋")
    [(label, data)] = [(lbl, d) for lbl, d in buttons(offered) if d.startswith("f:t:")]
    assert label.startswith("高峰") and "f:cancel" in {d for _, d in buttons(offered)}
    taken = await say(core, HL_INSPECTOR, data=data)
    state = fake_uow.db.conversations[(HL_INSPECTOR, HL_INSPECTOR)]
    assert state.data["person"]["name"] == "高峰" and "高峰" in texts(taken)
    await say(core, HL_INSPECTOR, "/cancel")


async def test_the_reason_other_asks_what_it_was(core: Assistant) -> None:
    """After 其他 the summary's question asks for the reason itself; a reason typed that is
    not on the list says so and points to 其他 (it had said only "use the buttons")."""
    await run(core, HL_INSPECTOR, "/talk 马丽娟", *TALK_INPUTS[:4])
    typed = texts(await say(core, HL_INSPECTOR, "收受管理服务对象礼金"))
    assert "收受管理服务对象礼金" in typed and "其他" in typed
    asked = texts(await say(core, HL_INSPECTOR, data="f:c:other"))
    assert (
        ZH._(
            "The reason is “Other”: first say what it was, then the problems pointed out and what was required."
        )
        in asked
    )
    await say(core, HL_INSPECTOR, data="f:back")
    plain = texts(await say(core, HL_INSPECTOR, data="f:c:integrity_breach"))
    assert ZH._("Summarise the talk: the problems pointed out and what was required.") in plain


async def test_a_day_typed_after_the_name_answers_the_date(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    """/talk 马丽娟 2026-03-01 and 给马丽娟记个诫勉谈话，昨天谈的: the day is read at its step
    and said back; the form goes on to the place (the day had been taken as the name)."""
    replies = texts(await say(core, HL_INSPECTOR, "/talk 马丽娟 2026-03-01"))
    assert "2026-03-01" in replies and ZH._("Where was the talk held?") in replies
    assert "马丽娟" in replies  # whom the form is about is said too
    state = fake_uow.db.conversations[(HL_INSPECTOR, HL_INSPECTOR)]
    assert state.step == "place" and state.data["talk_date"] == "2026-03-01"
    await say(core, HL_INSPECTOR, "取消")
    typed = texts(await say(core, HL_INSPECTOR, "给马丽娟记个诫勉谈话，昨天谈的"))
    assert "2026-03-09" in typed  # the tests' clock stands at 2026-03-10
    assert fake_uow.db.conversations[(HL_INSPECTOR, HL_INSPECTOR)].step == "place"


async def test_a_talk_asked_for_with_the_persons_name_before_it(core: Assistant) -> None:
    from handlers.core.typed_words import normalise
    from handlers.shortcuts.records_typed import records_request

    assert records_request(normalise("记一下高峰的诫勉谈话")) == "/talk 高峰"
    assert records_request(normalise("给高峰记个诫勉谈话 上周五")) == "/talk 高峰 上周五"
    assert records_request(normalise("记一下村干部的诫勉谈话")) is None  # a kind of people


async def test_english_status_words_filter_the_list(core: Assistant) -> None:
    """/talks pending had been read as a person's name."""
    await create_talk(core)
    assert texts(await say(core, HL_INSPECTOR, "/talks pending")) == texts(
        await say(core, HL_INSPECTOR, "/talks open")
    )


async def test_other_written_either_way_and_a_follow_up_half_a_year_after_the_talk(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    """其它 is 其他; 半年后 at the follow-up counts from the talk (2026-03-01), not from today."""
    await run(core, HL_INSPECTOR, "/talk 马丽娟", *TALK_INPUTS[:4])
    asked = texts(await say(core, HL_INSPECTOR, "其它"))
    assert (
        ZH._(
            "The reason is “Other”: first say what it was, then the problems pointed out and what was required."
        )
        in asked
    )
    await say(core, HL_INSPECTOR, "谈话内容：指出问题")
    await say(core, HL_INSPECTOR, "本人表态：深刻反省")
    review = texts(await say(core, HL_INSPECTOR, "半年后"))
    assert "2026-09-01" in review
