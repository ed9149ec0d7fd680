"""Making, editing and locking pledges through the core (fakes); every bad input of the form."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from handlers.core.app import Assistant
from handlers.core.clock import ManualClock
from handlers.pledges.domain import PostType, PublishVia
from handlers.registry import all_routers
from knowledge.pledges import default_suggestions
from tests.conftest import make_services
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.core.helpers import button_data, buttons, forms_open, say, texts
from tests.handlers.pledges.helpers import (
    CHENG_YUAN,
    HE_JING,
    ITEMS,
    LIN_TAO,
    ZHANG_WEIDONG,
    confirm,
    has,
    item_too_long,
    make_pledge,
    pledge_next_year,
    pledged,
    start_pledge,
    zh,
)


def pledges_of(fake_uow: FakeUnitOfWorkFactory, person_tg: int) -> list:  # type: ignore[type-arg]
    person = next(p for p in fake_uow.db.people.values() if p.telegram_user_id == person_tg)
    return [p for p in fake_uow.db.pledge_tables.pledges.values() if p.person_id == person.id]


async def test_pledge_flow_with_review_and_confirm(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    review = await make_pledge(core, HE_JING)
    text = texts(review)
    assert zh("Your integrity pledge for {year}", year=2026) in text
    assert all(item in text for item in ITEMS) and "2026-03-10" in text
    assert zh("At a meeting") in text and zh("Leadership team member") in text
    assert pledges_of(fake_uow, HE_JING) == []  # nothing stored before confirming
    done = await confirm(core, HE_JING)
    assert has(done, "✅ Your pledge for {year} is recorded ({n} items).", year=2026, n=3)
    [pledge] = pledges_of(fake_uow, HE_JING)
    assert pledge.items == ITEMS and pledge.year == 2026
    assert pledge.post_type == PostType.MEMBER and pledge.publish_via == PublishVia.MEETING
    assert pledge.publish_date.isoformat() == "2026-03-10"
    assert forms_open(fake_uow) == set()  # the form is closed
    assert [e.action for e in fake_uow.db.audit][-1] == "pledge.created"
    assert "严格" not in str(fake_uow.db.audit[-1].details)  # no content in the audit log


async def test_suggestions_come_from_the_rule_base_and_can_be_tapped(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    prompt = await start_pledge(core, "2026", "principal")
    principal = default_suggestions()["principal"]
    assert principal[0].zh in texts(prompt)  # full text in the prompt
    first = button_data(prompt, "➕ 1.")
    added = await say(core, HE_JING, data=first)
    assert "➕ 1." not in str(buttons(added))  # a used suggestion is not offered again
    await say(core, HE_JING, data=button_data(added, "➕ 2."))
    await say(core, HE_JING, "本人自拟的一条承诺")
    await say(core, HE_JING, data="f:done")
    await say(core, HE_JING, data="f:c:media")
    await say(core, HE_JING, "2026年3月9日")
    await confirm(core, HE_JING)
    [pledge] = pledges_of(fake_uow, HE_JING)
    assert pledge.items == (principal[0].zh, principal[1].zh, "本人自拟的一条承诺")
    assert pledge.post_type == PostType.PRINCIPAL


async def test_english_interface_offers_english_suggestions(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    await say(core, HE_JING, "/lang en")
    prompt = await start_pledge(core, "2026", "section")
    first = default_suggestions()["section"][0]
    assert first.en in texts(prompt)
    # Tapped, it is kept in Chinese: the pledge is made public in the unit, read there.
    await say(core, HE_JING, data="f:c:§1")
    [state] = fake_uow.db.conversations.values()
    assert state.data["items"] == [first.zh]


async def test_year_defaults_to_this_year_and_next_year_is_offered(core: Assistant) -> None:
    start = await say(core, HE_JING, "/pledge")
    assert ("2026" in buttons(start)[0][0]) and buttons(start)[0][1] == "f:c:2026"
    assert (zh("{year} (next year)", year=2027), "f:c:2027") in buttons(start)
    typed = await say(core, HE_JING, "2025")
    assert has(typed, "A pledge can be made for {this} or {next}.", this=2026, next=2027)
    ok = await say(core, HE_JING, "2027年")
    assert has(ok, "Which kind of post is the pledge fitted to?")
    await say(core, HE_JING, data="f:cancel")
    await say(core, HE_JING, "/pledge")
    assert has(await say(core, HE_JING, "明年"), "Which kind of post is the pledge fitted to?")


async def test_in_december_next_year_comes_first_and_this_year_says_it_is_late(
    core: Assistant, clock: ManualClock
) -> None:
    clock.set(datetime(2026, 12, 7, 2, 0, tzinfo=UTC))
    start = buttons(await say(core, HE_JING, "/pledge"))
    assert start[0] == (zh("{year} (next year)", year=2027), "f:c:2027")
    assert start[1] == (zh("{year} (this year, past its due date)", year=2026), "f:c:2026")


async def test_pledge_with_year_argument_starts_at_post_type(core: Assistant) -> None:
    replies = await say(core, HE_JING, "/pledge 2027")
    assert has(replies, "Which kind of post is the pledge fitted to?")
    bad = await say(core, HE_JING, "/pledge 1999")
    assert has(bad, "A pledge can be made for {this} or {next}.", this=2026, next=2027)


async def test_item_validation(core: Assistant, fake_uow: FakeUnitOfWorkFactory) -> None:
    await start_pledge(core, "2026", "member")
    empty = await say(core, HE_JING, "   ")
    assert has(empty, "Please type an answer, or press Cancel.")
    long = await say(core, HE_JING, "廉" * 201)
    assert item_too_long(long)
    assert has(
        await say(core, HE_JING, "廉洁" * 100),
        "Item {n} noted. Send the next one, or press Done.",
        n=1,
    )
    dup = await say(core, HE_JING, "廉洁" * 100)
    assert has(dup, "That item is already in your pledge.")
    multi = await say(core, HE_JING, "第一条\n第二条")
    assert has(multi, "Please send one item per message.")
    few = await say(core, HE_JING, data="f:done")
    assert has(few, "Please enter at least {n} items.", n=3)
    state = fake_uow.db.conversations[(HE_JING, HE_JING)]
    assert state.step == "items" and len(state.data["items"]) == 1  # retry is possible


async def test_at_most_eight_items(core: Assistant, fake_uow: FakeUnitOfWorkFactory) -> None:
    await start_pledge(core, "2026", "member")
    for i in range(1, 8):
        await say(core, HE_JING, f"承诺事项第{i}条")
    eighth = await say(core, HE_JING, "承诺事项第8条")
    assert has(eighth, "How is the pledge made public?")  # the 8th item ends the list
    assert has(eighth, "Item {n} noted; that is the most there can be.", n=8)  # said kept
    state = fake_uow.db.conversations[(HE_JING, HE_JING)]
    assert len(state.data["items"]) == 8
    # A suggestion button pressed from an old screen cannot add a ninth item.
    await say(core, HE_JING, data="f:back")
    ninth = await say(core, HE_JING, "承诺事项第9条")
    assert has(ninth, "At most {n} items; press Done to continue.", n=8)


async def test_date_validation(core: Assistant) -> None:
    await make_pledge(core, HE_JING, when="not a date")
    outside = await say(core, HE_JING, "2025-12-31")
    assert has(outside, "The date must lie in {year}.", year=2026)
    invalid = await say(core, HE_JING, "2026-02-30")
    assert has(
        invalid,
        "There is no such day as “{text}”: please check the month and the day.",
        text="2026-02-30",
    )
    short = await say(core, HE_JING, "3月21日")
    assert "2026-03-21" in texts(short)


async def test_cancel_and_abandon_leave_nothing(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    await make_pledge(core, HE_JING)
    cancelled = await say(core, HE_JING, data="f:cancel")
    assert has(cancelled, "Cancelled. Nothing was saved.")
    assert pledges_of(fake_uow, HE_JING) == [] and forms_open(fake_uow) == set()
    # Abandoned half-way: a new command replaces the form; no pledge appears.
    await start_pledge(core, "2026")
    await say(core, HE_JING, "/me")
    assert pledges_of(fake_uow, HE_JING) == []
    stale = await say(core, HE_JING, data="f:ok")  # a stale confirm button: re-prompts
    assert has(stale, "Which kind of post is the pledge fitted to?")
    assert pledges_of(fake_uow, HE_JING) == []


async def test_back_and_edit_on_the_review_screen(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    await start_pledge(core, "2026")
    back = await say(core, HE_JING, data="f:back")
    assert has(back, "Which year is the pledge for?")
    await make_pledge(core, HE_JING)
    edit = await say(core, HE_JING, data="f:edit:via")
    assert has(edit, "How is the pledge made public?")
    review = await say(core, HE_JING, data="f:c:media")
    assert has(review, "Please check, then confirm.") and zh("In the news media") in texts(review)
    # Editing the items shows the ones there are; Done with nothing new keeps them (they
    # had been wiped unseen).
    shown = await say(core, HE_JING, data="f:edit:items")
    assert zh("Send them again (they replace these), or press Done to keep them:") in texts(shown)
    assert ITEMS[0] in texts(shown)
    kept = await say(core, HE_JING, data="f:done")
    assert has(kept, "Please check, then confirm.") and ITEMS[0] in texts(kept)
    await say(core, HE_JING, data="f:edit:items")
    for item in ("新的第一条承诺", "新的第二条承诺", "新的第三条承诺"):
        await say(core, HE_JING, item)
    await say(core, HE_JING, data="f:done")
    await confirm(core, HE_JING)
    [pledge] = pledges_of(fake_uow, HE_JING)
    assert pledge.items[0] == "新的第一条承诺" and pledge.publish_via == PublishVia.MEDIA


async def test_edit_until_public_then_locked(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    # Drafted in January for a meeting on 20 January (a coming date within the due date).
    clock.set(datetime(2026, 1, 10, 2, 0, tzinfo=UTC))
    await pledged(core, when="2026-01-20")
    reopened = await say(core, HE_JING, "/pledge")
    assert has(reopened, "Please check, then confirm.")  # the review of the existing pledge
    await say(core, HE_JING, data="f:edit:items")
    for item in ("修改后的第一条", "修改后的第二条", "修改后的第三条", "新增的第四条"):
        await say(core, HE_JING, item)
    await say(core, HE_JING, data="f:done")
    await confirm(core, HE_JING)
    [pledge] = pledges_of(fake_uow, HE_JING)
    assert len(pledge.items) == 4 and pledge.items[0] == "修改后的第一条"
    assert fake_uow.db.audit[-1].action == "pledge.updated"
    # Still editable on the publication day itself (Shanghai time) …
    clock.set(datetime(2026, 1, 20, 15, 0, tzinfo=UTC))  # 23:00 in Shanghai
    assert has(await say(core, HE_JING, "/pledge"), "Please check, then confirm.")
    await say(core, HE_JING, data="f:cancel")
    # … and locked from the next day on, in the command, the button and an open form.
    mine = await say(core, HE_JING, "/mypledge")
    edit_button = button_data(mine, zh("✏️ Edit pledge"))
    opened = await say(core, HE_JING, data=edit_button)  # form opened before midnight
    clock.advance(timedelta(hours=2))  # 01:00 on 21 January in Shanghai
    late = await confirm(core, HE_JING)
    locked = zh(
        "Your pledge for {year} was made public on {date} and is now locked. Corrections go through your unit principal and are kept as revisions.",
        year=2026,
        date="2026-01-20",
    )
    assert texts(late) == locked and has(opened, "Please check, then confirm.")
    # /pledge without a year also says how to make next year's pledge; with the year it does not.
    next_year = zh("To make your pledge for {year}, send /pledge {year}.", year=2027)
    # The refused form is still open (its review waits): each command says so after its reply.
    still_open = zh(
        "Your form is still open where you left it: your next message is taken as its answer. Type “cancel” to leave it."
    )
    bare_replies = await say(core, HE_JING, "/pledge")
    assert texts(bare_replies) == locked + "\n" + next_year + "\n" + still_open
    # … with a button that starts it (one tap, no command to retype on a phone).
    assert (
        button_data(bare_replies, zh("Make my pledge for {year}", year=2027)) == "rr:/pledge 2027"
    )
    assert texts(await say(core, HE_JING, "/pledge 2026")) == locked + "\n" + still_open
    assert texts(await say(core, HE_JING, data=edit_button)) == locked + "\n" + still_open
    assert zh("✏️ Edit pledge") not in str(buttons(await say(core, HE_JING, "/mypledge")))


async def test_past_publication_date_locks_at_once(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    review = await make_pledge(core, HE_JING, when="2026-01-15")
    assert has(
        review,
        "Note: the publication date has passed, so the pledge is locked as soon as you confirm.",
    )
    done = await confirm(core, HE_JING)
    assert has(done, "It is public now and locked.")


async def test_second_pledge_for_the_same_year_is_refused(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    await make_pledge(core, HE_JING, year=2027, when="2027-01-15")
    await confirm(core, HE_JING)
    again = await start_pledge(core, "2027")
    assert has(
        again,
        "You already have a pledge for {year}. Send /mypledge {year} to see or edit it.",
        year=2027,
    )
    assert len(pledges_of(fake_uow, HE_JING)) == 1


async def test_a_locked_pledges_year_chosen_again_says_it_is_locked(core: Assistant) -> None:
    """Back to the year step from next year's form, this year's (made public, locked) is
    refused as locked: /mypledge shows it but cannot edit it."""
    await make_pledge(core, HE_JING, year=2026, when="2026-03-01")
    await confirm(core, HE_JING)
    await say(core, HE_JING, "/pledge 2027")  # the form opens at the post; back to the year
    await say(core, HE_JING, data="f:back")
    locked = await say(core, HE_JING, data="f:c:2026")
    assert has(
        locked,
        "You already have a pledge for {year}, made public and locked. Send /mypledge {year} to see it.",
        year=2026,
    )


async def test_only_section_level_cadres_pledge(core: Assistant) -> None:
    polite = await say(core, CHENG_YUAN, "/pledge")
    assert has(
        polite,
        "Integrity pledges are made by serving leading cadres at section level and above. Your registration does not show you at that level, so you do not need to pledge. If this is wrong, please ask your administrator.",
    )
    assert texts(await say(core, CHENG_YUAN, "/checkin")) == texts(polite)
    refused = await say(core, ZHANG_WEIDONG, "/pledge")
    assert has(refused, "Sorry, your role does not allow this. Send /help to see what you can do.")
    group = await say(core, HE_JING, "/pledge", group=True)
    assert has(group, "Please use this in a private chat with me.")


async def test_form_survives_a_restart(fake_uow: FakeUnitOfWorkFactory, clock: ManualClock) -> None:
    first = Assistant(fake_uow, make_services(clock, None), all_routers())
    await start_pledge(first, "2026", "member")
    await say(first, HE_JING, ITEMS[0])
    # The process restarts: a new assistant on the same storage continues the form.
    second = Assistant(fake_uow, make_services(clock, None), all_routers())
    for item in ITEMS[1:]:
        await say(second, HE_JING, item)
    await say(second, HE_JING, data="f:done")
    await say(second, HE_JING, data="f:c:meeting")
    review = await say(second, HE_JING, "2026-03-10")
    assert all(item in texts(review) for item in ITEMS)
    await confirm(second, HE_JING)
    assert pledges_of(fake_uow, HE_JING)[0].items == ITEMS


async def test_all_buttons_fit_telegram(core: Assistant) -> None:
    await start_pledge(core, "2026")
    for post in ("principal", "member", "discipline", "section"):
        replies = await say(core, HE_JING, data=f"f:c:{post}")
        assert all(len(d.encode()) <= 64 for _, d in buttons(replies))
        await say(core, HE_JING, data="f:back")


FUTURE = "{date} is in the future. A coming publication date can be recorded only up to the due date ({due}); a pledge made public later is recorded once it has been made public (that date or earlier)."
LATE_NOTE = "Note: made public after the due date ({due}); the pledge is marked late."
LATE_DONE = "Made public after the due date ({due}): marked late."


async def test_future_publication_date_after_the_due_date_is_refused(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    # 10 March 2026: the due date, 31 January, has passed.
    tomorrow = await make_pledge(core, HE_JING, when="2026-03-11")
    assert has(tomorrow, FUTURE, date="2026-03-11", due="2026-01-31")
    year_end = await say(core, HE_JING, "12月31日")
    assert has(year_end, FUTURE, date="2026-12-31", due="2026-01-31")
    assert has(await say(core, HE_JING, "2027-01-10"), "The date must lie in {year}.", year=2026)
    assert has(await say(core, HE_JING, "2025-03-01"), "The date must lie in {year}.", year=2026)
    today_ = await say(core, HE_JING, "2026-03-10")
    assert has(today_, "Please check, then confirm.") and has(today_, LATE_NOTE, due="2026-01-31")
    done = await confirm(core, HE_JING)
    assert has(done, LATE_DONE, due="2026-01-31")
    [pledge] = pledges_of(fake_uow, HE_JING)
    assert pledge.publish_date.isoformat() == "2026-03-10"


async def test_a_coming_date_up_to_the_due_date_may_be_recorded(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    clock.set(datetime(2026, 1, 10, 2, 0, tzinfo=UTC))
    await make_pledge(core, HE_JING, when="2026-02-01")
    refused = await say(core, HE_JING, "2026-02-01")
    assert has(refused, FUTURE, date="2026-02-01", due="2026-01-31")
    review = await say(core, HE_JING, "2026-01-31")  # the meeting on the last day: on time
    assert has(review, "Please check, then confirm.") and not has(
        review, LATE_NOTE, due="2026-01-31"
    )
    done = await confirm(core, HE_JING)
    assert not has(done, LATE_DONE, due="2026-01-31")
    # In December a pledge for next year may be drafted for next January's meeting.
    clock.set(datetime(2026, 12, 20, 2, 0, tzinfo=UTC))
    late = await pledge_next_year(core, HE_JING, "member", "2027-02-10")
    assert has(late, FUTURE, date="2027-02-10", due="2027-01-31")
    assert has(await say(core, HE_JING, "2027-01-15"), "Please check, then confirm.")


async def test_changing_the_year_on_review_rechecks_the_date(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    await make_pledge(core, HE_JING, when="2026-03-10")
    await say(core, HE_JING, data="f:edit:year")
    review = await say(core, HE_JING, data="f:c:2027")
    # The review says so at once (it had said "made public after the due date").
    assert has(review, "The date must lie in {year}.", year=2027)
    refused = await confirm(core, HE_JING)
    assert has(refused, "The date must lie in {year}.", year=2027)
    assert pledges_of(fake_uow, HE_JING) == []


async def test_a_question_typed_in_the_form_is_not_stored_and_can_be_answered(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    """什么是诫勉? typed where an item is expected: the form stays, the text is not an item,
    and the person chooses to have it answered (or, deliberately, to use it)."""
    await start_pledge(core, "2026", "member")
    asked = await say(core, HE_JING, "什么是诫勉?")
    assert "这看起来是一个问题" in texts(asked)
    [state] = fake_uow.db.conversations.values()
    assert not state.data.get("items")
    answer = await say(core, HE_JING, data=button_data(asked, "先回答这个问题"))
    assert "诫勉" in texts(answer) + str(buttons(answer))  # the rule base answered
    assert fake_uow.db.conversations  # the form is still open
    used = await say(core, HE_JING, data=button_data(asked, "作为填写内容"))
    assert zh("Item {n} noted. Send the next one, or press Done.", n=1) in texts(used)


async def test_a_number_a_date_or_an_emoji_is_not_a_pledge_item(core: Assistant) -> None:
    await start_pledge(core, "2026", "member")
    for junk in (
        "7",
        "2026-03-10",
        "👍👍",
        "asdf",
        "test",
        "xxxx",
        "啊啊啊啊",
        "qwerty",
        "asdf asdf",
        "？？？",  # had been taken for a question and offered an answer
    ):
        reply = texts(await say(core, HE_JING, junk))
        assert "承诺事项应当是一句说明要做什么的话" in reply, junk


async def test_several_items_in_one_message_are_sent_back_to_split(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    """1.不收礼 2.不吃请 3.不打牌 kept as one item could not be checked in item by item."""
    await start_pledge(core, "2026", "member")
    several = "That looks like several items in one message. Please send them one at a time, each as its own message: each is checked in on its own."
    for typed in (
        "1.不收礼 2.不吃请 3.不打牌",
        "1.不收礼2.不吃请",
        "①不收礼②不吃请",
        "不收礼；不吃请；不打牌",
        "不收礼，不吃请，不打牌，不酒驾",
        "不收礼 不吃请 不打牌",
        "不收礼，不吃请",  # two short ones are two promises too
        "不收礼;不吃请",
    ):
        assert zh(several) in texts(await say(core, HE_JING, typed)), typed
    # Two clauses of one promise are one item.
    one = texts(await say(core, HE_JING, "坚决不收礼金；确实推不掉的，及时上交纪委"))
    assert zh("Item {n} noted. Send the next one, or press Done.", n=1) in one
    kept = texts(await say(core, HE_JING, "严格执行中央八项规定精神"))
    assert zh("Item {n} noted. Send the next one, or press Done.", n=2) in kept
    # A full stop more is the same item; a number typed before one is not kept in it.
    again = texts(await say(core, HE_JING, "严格执行中央八项规定精神。"))
    assert zh("That item is already in your pledge.") in again
    await say(core, HE_JING, "3、不违规兼职取酬")
    await say(core, HE_JING, "1.5万元以上的礼金一律上交")
    await say(core, HE_JING, "第五条：不参与赌博")
    [state] = fake_uow.db.conversations.values()
    assert state.data["items"][2:] == ["不违规兼职取酬", "1.5万元以上的礼金一律上交", "不参与赌博"]


async def test_a_principals_own_locked_pledge_is_corrected_by_the_inspectors(
    core: Assistant,
) -> None:
    """The unit principal is not told to go through the unit principal (himself)."""
    await make_pledge(core, LIN_TAO, year=2026, when="2026-03-01")
    await confirm(core, LIN_TAO)
    assert has(
        await say(core, LIN_TAO, "/pledge 2026"),
        "Your pledge for {year} was made public on {date} and is now locked. Corrections of a principal's own pledge go through the discipline inspectors and are kept as revisions.",
        year=2026,
        date="2026-03-01",
    )
