"""Fulfilment check-ins through the core (fakes): windows, evidence, lateness, early permits."""

from __future__ import annotations

from datetime import UTC, datetime

from handlers.core.app import Assistant
from handlers.core.clock import ManualClock
from handlers.core.i18n import translator
from handlers.core.types import AttachmentKind, Reply, TextReply
from handlers.pledges.checkin_answers import parse_status
from handlers.pledges.domain import EvidenceKind, Fulfilment
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.core.helpers import button_data, buttons, forms_open, say, texts
from tests.handlers.pledges.helpers import (
    HE_JING,
    LIN_TAO,
    XIE_DONG,
    answer_checkin,
    checkins_of,
    confirm,
    has,
    make_pledge,
    not_open_yet,
    pid,
    pledged,
    pledged_record,
    send_file,
    zh,
)

JUNE_10 = datetime(2026, 6, 10, 2, 0, tzinfo=UTC)
JULY_20 = datetime(2026, 7, 20, 2, 0, tzinfo=UTC)


async def checkin_opened(
    core: Assistant, clock: ManualClock, when: datetime = JUNE_10
) -> list[Reply]:
    """He Jing, pledged, opens /checkin on ``when`` (10 June: inside the mid-year window)."""
    await pledged(core)
    clock.set(when)
    return await say(core, HE_JING, "/checkin")


async def checked_in_without_evidence(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock, notes: list[str | None]
) -> list[Reply]:
    """Every item kept, with ``notes`` typed at the evidence steps, and confirmed: no evidence
    is kept. Returns the review shown before confirming."""
    await checkin_opened(core, clock)
    review = await answer_checkin(core, HE_JING, [("kept", "做到了", note) for note in notes])
    await confirm(core, HE_JING)
    assert all(e.evidence is None for e in checkins_of(fake_uow, HE_JING)[0].entries)
    return review


async def test_before_the_window_is_refused_with_dates(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    none_yet = await say(core, HE_JING, "/checkin")
    assert has(
        none_yet, "You have no pledge to report on yet. Make your pledge first with /pledge."
    )
    await pledged(core)
    early = await say(core, HE_JING, "/checkin")
    # The demo sets the democratic life meeting on 16 July: the window closes the day
    # before and opens six weeks before it (knowledge/data/checkin_windows.yaml).
    assert not_open_yet(early, "mid-year", "2026-06-04", "2026-07-15")
    assert forms_open(fake_uow) == set()


async def test_check_in_with_photo_document_and_note(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    first = await checkin_opened(core, clock)
    assert has(first, "How was it kept?") and "严格执行中央八项规定精神" in texts(first)
    await say(core, HE_JING, data="f:c:kept")
    await say(core, HE_JING, "全年未接受任何宴请")
    await send_file(core, HE_JING, "photo-file-id-1", AttachmentKind.PHOTO)
    await say(core, HE_JING, data="f:c:partly")
    await say(core, HE_JING, "亲属经商情况已报告")
    await send_file(core, HE_JING, "doc-file-id-2", AttachmentKind.DOCUMENT, "报告.pdf")
    await say(core, HE_JING, data="f:c:not_kept")
    await say(core, HE_JING, "分管领域检查尚未完成")
    review = await say(core, HE_JING, "计划九月完成")
    text = texts(review)
    assert zh("📎 Evidence: {kind}{name}", kind=zh("photo"), name="") in text
    assert zh("📎 Evidence: {kind}{name}", kind=zh("document"), name=" 报告.pdf") in text
    assert zh("📝 Note: {text}", text="计划九月完成") in text
    assert checkins_of(fake_uow, HE_JING) == []  # nothing before confirming
    done = await confirm(core, HE_JING)
    assert has(done, "You can change it until {date}.", date="2026-07-15")
    [checkin] = checkins_of(fake_uow, HE_JING)
    assert not checkin.late
    assert [e.status for e in checkin.entries] == [
        Fulfilment.KEPT,
        Fulfilment.PARTLY,
        Fulfilment.NOT_KEPT,
    ]
    evidence = [e.evidence for e in checkin.entries]
    assert evidence[0] is not None and evidence[0].kind == EvidenceKind.PHOTO
    assert evidence[0].ref == "photo-file-id-1"
    assert evidence[1] is not None and evidence[1].name == "报告.pdf"
    assert evidence[2] is not None and evidence[2].kind == EvidenceKind.NOTE
    audit = fake_uow.db.audit[-1]
    assert audit.action == "checkin.submitted" and audit.details["evidence"] == 3
    assert "宴请" not in str(audit.details)


async def test_typing_skip_at_the_evidence_step_skips_it(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    """跳过 typed (not pressed) at the optional evidence step is not kept as a note."""
    review = await checked_in_without_evidence(core, fake_uow, clock, ["跳过", "无", None])
    assert "📝" not in texts(review) and "跳过" not in texts(review)


async def test_check_in_without_evidence_then_edit_until_the_window_closes(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    review = await checked_in_without_evidence(core, fake_uow, clock, [None, None, None])
    assert "📎" not in texts(review) and "📝" not in texts(review)
    # Still inside the window: /checkin opens the existing report for changes.
    again = await say(core, HE_JING, "/checkin")
    assert has(again, "Please check, then confirm.")
    await say(core, HE_JING, data="f:edit:1")
    await say(core, HE_JING, data="f:c:partly")
    await say(core, HE_JING, "只做到一部分")
    changed = await say(core, HE_JING, data="f:skip")
    assert "只做到一部分" in texts(changed)  # back on the review screen after the item
    await confirm(core, HE_JING)
    [checkin] = checkins_of(fake_uow, HE_JING)
    assert checkin.entries[1].status == Fulfilment.PARTLY
    assert fake_uow.db.audit[-1].action == "checkin.updated"
    # The window closes at the end of 15 July (the day before the demo's meeting on 16
    # July), Shanghai time.
    clock.set(datetime(2026, 7, 15, 15, 30, tzinfo=UTC))  # 23:30 in Shanghai
    assert has(await say(core, HE_JING, "/checkin"), "Please check, then confirm.")
    await say(core, HE_JING, data="f:cancel")
    clock.set(datetime(2026, 7, 15, 16, 30, tzinfo=UTC))  # 00:30 on 16 July
    closed = await say(core, HE_JING, "/checkin")
    assert not_open_yet(closed, "year-end", "2026-12-01", "2026-12-14")


async def test_form_open_when_the_window_closes_cannot_change_the_report(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    await checkin_opened(core, clock)
    await answer_checkin(core, HE_JING, [("kept", "按要求做到了", None)] * 3)
    await confirm(core, HE_JING)
    await say(core, HE_JING, "/checkin")
    await say(core, HE_JING, data="f:edit:0")
    await say(core, HE_JING, data="f:c:not_kept")
    await say(core, HE_JING, "改了")
    await say(core, HE_JING, data="f:skip")
    clock.set(JULY_20)
    refused = await confirm(core, HE_JING)
    assert has(
        refused,
        "The {period} check-in window for {year} closed on {date}; the check-in can no longer be changed.",
        period=zh("mid-year"),
        year=2026,
        date="2026-07-15",
    )
    assert checkins_of(fake_uow, HE_JING)[0].entries[0].status == Fulfilment.KEPT


async def test_late_check_in_is_accepted_and_marked(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    first = await checkin_opened(core, clock, JULY_20)
    assert has(first, "How was it kept?")
    review = await answer_checkin(core, HE_JING, [("kept", "做到了", None)] * 3)
    assert has(
        review,
        "Your {period} check-in for {year} (late: the window has closed):",
        period=zh("mid-year"),
        year=2026,
    )
    done = await confirm(core, HE_JING)
    assert has(done, "It is marked late: the window closed on {date}.", date="2026-07-15")
    [checkin] = checkins_of(fake_uow, HE_JING)
    assert checkin.late and fake_uow.db.audit[-1].details["late"] is True
    mine = await say(core, HE_JING, "/mypledge")
    assert "⏰" in texts(mine) and zh(" (late)") in texts(mine)
    # A late report is final: the next thing is the year-end window.
    final = await say(core, HE_JING, "/checkin")
    assert zh("year-end") in texts(final) and "2026-12-01" in texts(final)


async def test_several_possible_check_ins_offer_a_choice(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    await pledged(core)
    clock.set(datetime(2026, 12, 5, 2, 0, tzinfo=UTC))
    choice = await say(core, HE_JING, "/checkin")
    assert has(choice, "Which check-in do you want to make?")
    late = zh("{year} {period} (late)", year=2026, period=zh("mid-year"))
    new = zh("{year} {period}", year=2026, period=zh("year-end"))
    assert [label for label, _ in buttons(choice)] == [late, new]
    started = await say(core, HE_JING, data=button_data(choice, new))
    assert has(started, "How was it kept?")
    await answer_checkin(core, HE_JING, [("kept", "按要求做到了", None)] * 3)
    await confirm(core, HE_JING)
    [checkin] = checkins_of(fake_uow, HE_JING)
    assert checkin.period.value == "yearend" and not checkin.late
    # Someone else's pledge id in the button payload is refused.
    other = next(iter(fake_uow.db.pledge_tables.pledges.values()))
    forged = await say(core, HE_JING, data=f"plc:go:{other.id}:midyear")
    assert has(forged, "That button is no longer valid.")


async def test_the_check_in_is_named_by_typing(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    # Both are possible on 5 December; the one named (typed, or after /checkin) starts.
    await pledged(core)
    clock.set(datetime(2026, 12, 5, 2, 0, tzinfo=UTC))
    await say(core, HE_JING, "/checkin")
    assert has(await say(core, HE_JING, "年终践诺"), "How was it kept?")
    await say(core, HE_JING, "/cancel")
    for typed in ("年终", "年终的"):  # the period alone, typed after the choice is shown
        await say(core, HE_JING, "/checkin")
        assert has(await say(core, HE_JING, typed), "How was it kept?"), typed
        await say(core, HE_JING, "/cancel")
    assert "年中" in texts(await say(core, HE_JING, "/checkin 年中"))
    await say(core, HE_JING, "/cancel")
    await say(core, HE_JING, "/lang en")
    assert "year-end check-in" in texts(await say(core, HE_JING, "year end"))
    await say(core, HE_JING, "/cancel")
    refused = texts(await say(core, HE_JING, "/checkin soon"))
    assert refused == "Please name the check-in: mid-year or year-end (年中 or 年终)."
    # A year instead of a period: this year's are offered, another year is said plainly.
    assert "Which check-in" in texts(await say(core, HE_JING, "/checkin this year"))
    assert texts(await say(core, HE_JING, "/checkin 2027")) == (
        "There is no check-in to make now for your pledge of 2027. Send /mypledge 2027 to see that year's pledge and reports."
    )


async def test_check_in_bad_input(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    await checkin_opened(core, clock)
    file_at_status = await send_file(core, HE_JING, "x", AttachmentKind.PHOTO)
    assert has(file_at_status, "A file is not expected here; please type your answer.")
    typed = await say(core, HE_JING, "差不多吧")
    assert has(typed, "Please tap one of the buttons: kept, partly kept or not kept.")
    ok = await say(core, HE_JING, zh("partly kept"))  # typing the name works too
    assert has(ok, "Briefly explain (at most {n} characters).", n=500)
    too_long = await say(core, HE_JING, "说" * 501)
    assert has(too_long, "That is too long (at most {n} characters).", n=500)
    blank = await say(core, HE_JING, "  ")
    assert has(blank, "Please type an answer, or press Cancel.")
    await say(core, HE_JING, "说明")
    long_note = await say(core, HE_JING, "注" * 501)
    assert has(long_note, "That is too long (at most {n} characters).", n=500)
    back = await say(core, HE_JING, data="f:back")
    assert has(back, "Briefly explain (at most {n} characters).", n=500)
    state = fake_uow.db.conversations[(HE_JING, HE_JING)]
    assert state.step == "x0" and state.data["entries"][0]["explanation"] == "说明"
    cancelled = await say(core, HE_JING, data="f:cancel")
    assert has(cancelled, "Cancelled. Nothing was saved.")
    assert checkins_of(fake_uow, HE_JING) == [] and forms_open(fake_uow) == set()


async def test_unit_head_allows_an_early_check_in(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    record = await pledged_record(core, fake_uow)
    allow = button_data(record, zh("Allow early {period} check-in", period=zh("mid-year")))
    granted = await say(core, LIN_TAO, data=allow)
    assert has(
        granted,
        "{name} may now make the {period} check-in for {year} before the window opens.",
        name="何静",
        period=zh("mid-year"),
        year=2026,
    )
    told = [r for r in granted if isinstance(r, TextReply) and r.chat_id == HE_JING]
    assert told and "/checkin" in told[0].text
    assert fake_uow.db.audit[-1].action == "checkin.permitted"
    await say(core, HE_JING, "/checkin")
    await answer_checkin(core, HE_JING, [("kept", "提前报告", None)] * 3)
    done = await confirm(core, HE_JING)
    assert has(done, "You can change it until {date}.", date="2026-07-15")
    assert not checkins_of(fake_uow, HE_JING)[0].late


async def test_permits_are_scoped_and_never_for_oneself(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    await pledged(core)
    he, lin = pid(fake_uow, HE_JING), pid(fake_uow, LIN_TAO)
    outside = await say(core, XIE_DONG, data=f"plu:al:{he}:2026:midyear")
    missing = await say(core, XIE_DONG, data="plu:al:999999:2026:midyear")
    assert texts(outside) == texts(missing) == zh("No such person within your scope.")
    own = await say(core, LIN_TAO, data=f"plu:al:{lin}:2026:midyear")
    assert has(
        own, "You cannot do this for your own pledge; it has to be done by someone above you."
    )
    cadre = await say(core, HE_JING, data=f"plu:al:{he}:2026:midyear")
    assert has(cadre, "Sorry, your role does not allow this. Send /help to see what you can do.")
    assert fake_uow.db.pledge_tables.permits == []


async def test_checkin_after_a_correction_must_restart(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    await make_pledge(core, HE_JING, when="2026-03-10")
    await confirm(core, HE_JING)
    clock.set(JUNE_10)
    await say(core, HE_JING, "/checkin")
    await answer_checkin(core, HE_JING, [("kept", "按要求做到了", None)] * 3)
    # Meanwhile the unit principal corrects the (locked) pledge.
    he = pid(fake_uow, HE_JING)
    await say(core, LIN_TAO, data=f"plu:fx:{he}:2026")
    for item in ("更正后一", "更正后二", "更正后三"):
        await say(core, LIN_TAO, item)
    await say(core, LIN_TAO, data="f:done")
    await say(core, LIN_TAO, "错别字")
    await confirm(core, LIN_TAO)
    stale = await confirm(core, HE_JING)
    assert has(stale, "Your pledge was corrected meanwhile. Please start again with /checkin.")
    assert checkins_of(fake_uow, HE_JING) == []


async def test_a_correction_keeps_the_items_check_ins_answer(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    """Check-in entries answer items by their place: a correction after a check-in keeps the
    count (three new items replacing four had shown one item's report under another); an
    item beyond it is refused as it is typed."""
    await make_pledge(core, HE_JING, when="2026-03-10")
    await confirm(core, HE_JING)
    clock.set(JUNE_10)
    await say(core, HE_JING, "/checkin")
    await answer_checkin(core, HE_JING, [("kept", "按要求做到了", None)] * 3)
    await confirm(core, HE_JING)
    [before] = checkins_of(fake_uow, HE_JING)
    he = pid(fake_uow, HE_JING)
    start = await say(core, LIN_TAO, data=f"plu:fx:{he}:2026")
    assert "3 条" in texts(start)
    for item in ("更正后一", "更正后二", "更正后三"):
        await say(core, LIN_TAO, item)
    assert "只能是 3 条" in texts(await say(core, LIN_TAO, "新加的第四条"))
    await say(core, LIN_TAO, data="f:done")
    await say(core, LIN_TAO, "错别字")
    await confirm(core, LIN_TAO)
    [revision] = fake_uow.db.pledge_tables.revisions
    pledge = fake_uow.db.pledge_tables.pledges[revision.pledge_id]
    assert pledge.items == ("更正后一", "更正后二", "更正后三")
    assert checkins_of(fake_uow, HE_JING) == [before]


async def test_typing_a_confirm_word_on_the_review_submits_the_check_in(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    await checked_in_without_evidence(core, fake_uow, clock, [None, None, None])
    await say(core, HE_JING, "/checkin")
    edit = await say(core, HE_JING, "修改第2条")  # the item's Edit button, typed
    assert has(edit, "How was it kept?")
    await say(core, HE_JING, data="f:c:partly")
    await say(core, HE_JING, "只做到一部分")
    await say(core, HE_JING, data="f:skip")
    await say(core, HE_JING, "好的。")
    [checkin] = checkins_of(fake_uow, HE_JING)
    assert checkin.entries[1].status == Fulfilment.PARTLY


async def test_back_from_an_item_opened_on_the_review_returns_to_it_unchanged(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    """修改第2条 then 上一步 had gone to item 1's evidence step, and on to its explanation."""
    await checked_in_without_evidence(core, fake_uow, clock, [None, None, None])
    await say(core, HE_JING, "/checkin")
    await say(core, HE_JING, "修改第2条")
    await say(core, HE_JING, data="f:c:partly")  # changed, then left with Back
    await say(core, HE_JING, "只做到一部分")
    await say(core, HE_JING, "上一步")  # from its evidence to its explanation
    await say(core, HE_JING, "上一步")  # to its status
    back = await say(core, HE_JING, "上一步")  # and from there to the review, as it was
    assert has(back, "Please check, then confirm.")
    await say(core, HE_JING, "好的。")
    [checkin] = checkins_of(fake_uow, HE_JING)
    assert checkin.entries[1].status == Fulfilment.KEPT


async def test_a_question_or_a_slip_at_the_status_step_brings_the_choices_back(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    """部分践诺要扣分吗 typed where the status is chosen is offered an answer, with the status
    buttons again; a slip (随便) is refused with them too; nothing is stored either way."""
    await checkin_opened(core, clock)
    asked = await say(core, HE_JING, "部分践诺要扣分吗")
    assert button_data(asked, zh("Answer the question")).endswith("/ask 部分践诺要扣分吗")
    assert {"f:c:kept", "f:c:partly", "f:c:not_kept"} <= {d for _, d in buttons(asked)}
    slip = await say(core, HE_JING, "随便")
    assert has(slip, "Please tap one of the buttons: kept, partly kept or not kept.")
    assert {"f:c:kept", "f:c:partly", "f:c:not_kept", "f:cancel"} <= {d for _, d in buttons(slip)}
    # As people say it rather than the buttons' words: 做到了 is 已践诺.
    said = await say(core, HE_JING, "做到了")
    assert has(said, "Briefly explain (at most {n} characters).", n=500)
    await say(core, HE_JING, "上一步")  # back to the status step
    await say(core, HE_JING, data="f:c:kept")  # the buttons still work afterwards
    evidence = await say(core, HE_JING, "做到了")
    assert has(
        evidence,
        "Send a photo or a document as evidence, or type a short note. Press Skip if there is none.",
    )
    assert checkins_of(fake_uow, HE_JING) == []


def test_statuses_are_read_as_people_say_them() -> None:
    class _Ctx:  # parse_status reads only the translator, for the button labels
        t = translator("zh_CN")
        _ = t._

    for typed, status in (
        ("做到了", Fulfilment.KEPT),
        ("Done", Fulfilment.KEPT),
        ("部分做到", Fulfilment.PARTLY),
        ("partially", Fulfilment.PARTLY),
        ("没做到。", Fulfilment.NOT_KEPT),
        ("已践诺", Fulfilment.KEPT),
        ("没做", Fulfilment.NOT_KEPT),
        ("完全没做", Fulfilment.NOT_KEPT),
        ("已完成", Fulfilment.KEPT),
        ("全部完成", Fulfilment.KEPT),
        ("基本完成", Fulfilment.PARTLY),
        ("大部分做到", Fulfilment.PARTLY),
        ("yes", Fulfilment.KEPT),  # an English reader's answer to "kept?"
        ("no", Fulfilment.NOT_KEPT),
    ):
        assert parse_status(_Ctx(), typed) == status, typed  # type: ignore[arg-type]

    class _English:  # reading in English, typing the Chinese button's word
        t = translator("en")
        _ = t._

    assert parse_status(_English(), "已践诺") == Fulfilment.KEPT  # type: ignore[arg-type]
    assert parse_status(_English(), "not kept") == Fulfilment.NOT_KEPT  # type: ignore[arg-type]


async def test_a_question_typed_as_the_explanation_or_evidence_is_not_kept_unasked(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    """收了个红包咋办 typed where the explanation is asked is set aside and the cadre asked
    whether to answer it or use it; a number alone is no evidence note; the "use it" label
    typed out keeps the question as the answer, as its button does."""
    await checkin_opened(core, clock)
    await say(core, HE_JING, "没做")  # a status as people say it
    asked = await say(core, HE_JING, "收了个红包咋办")
    assert button_data(asked, zh("Answer the question")).endswith("/ask 收了个红包咋办")
    state = fake_uow.db.conversations[(HE_JING, HE_JING)]
    assert state.step == "x0" and "explanation" not in state.data["entries"][0]
    assert state.data["entries"][0]["status"] == "not_kept"
    used = await say(core, HE_JING, data="f:use")
    assert has(
        used,
        "Send a photo or a document as evidence, or type a short note. Press Skip if there is none.",
    )
    number = await say(core, HE_JING, "123")
    assert has(
        number, "Please write this in words; a number, a date or an emoji alone is not enough."
    )
    await say(core, HE_JING, "周末开公车去钓鱼行不")  # a question again, at the evidence step
    await say(core, HE_JING, zh("Use it as my answer"))
    state = fake_uow.db.conversations[(HE_JING, HE_JING)]
    entry = state.data["entries"][0]
    assert entry["explanation"] == "收了个红包咋办" and state.step == "s1"
    assert entry["evidence"] == {"kind": "note", "ref": "周末开公车去钓鱼行不", "name": ""}
    assert "_pending" not in state.data
    assert checkins_of(fake_uow, HE_JING) == []


async def test_junk_and_stand_ins_are_not_kept_as_explanation_or_evidence(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    """asdf / idk are no explanation; at the evidence step 见附件 without a file is refused,
    同上 repeats the evidence above (refused when there is none) and 略 skips it."""
    await checkin_opened(core, clock)
    await say(core, HE_JING, data="f:c:kept")
    for junk in ("asdf", "idk", "xxxx"):
        replies = await say(core, HE_JING, junk)
        assert "f:cancel" in [d for _, d in buttons(replies)]  # a way out comes with it
        refused = texts(replies)
        assert "看不出践诺情况" in refused, junk
    await say(core, HE_JING, "严格遵守规定，没有违规")
    no_file = texts(await say(core, HE_JING, "见附件"))
    assert (
        zh("Please send the file itself (a photo or a document), or type what it shows.") in no_file
    )
    nothing_above = texts(await say(core, HE_JING, "同上"))
    assert (
        zh("The item above has no evidence to repeat; send a file, a note, or Skip.")
        in nothing_above
    )
    await say(core, HE_JING, "支部会议记录第3页")
    await say(core, HE_JING, data="f:c:kept")
    await say(core, HE_JING, "同上")
    await say(core, HE_JING, "同上")  # the evidence note of item 1, repeated
    await say(core, HE_JING, data="f:c:kept")
    await say(core, HE_JING, "按要求落实到位")
    await say(core, HE_JING, "略")  # the evidence is optional: 略 leaves it out
    await confirm(core, HE_JING)
    [checkin] = checkins_of(fake_uow, HE_JING)
    notes = [e.evidence.ref if e.evidence else None for e in checkin.entries]
    assert notes == ["支部会议记录第3页", "支部会议记录第3页", None]
    assert checkin.entries[1].explanation == "严格遵守规定，没有违规"


async def test_an_appraised_pledges_check_ins_are_locked(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    """Once the head has appraised the pledge, its check-in cannot be rewritten (未践诺 had
    silently become 已践诺 under the appraisal); the cadre is told who corrects it."""
    await checked_in_without_evidence(core, fake_uow, clock, [None, None, None])
    await say(core, LIN_TAO, "/appraise 何静")
    await say(core, LIN_TAO, "85/10/5")
    await say(core, LIN_TAO, data="f:c:passed")
    await confirm(core, LIN_TAO)
    locked = await say(core, HE_JING, "/checkin")
    assert has(
        locked,
        "Your pledge for {year} was appraised on {date}, so its check-ins can no longer be changed. Corrections go through your unit principal.",
        year=2026,
        date="2026-06-10",
    )
    mine = await say(core, HE_JING, "/mypledge")
    assert not [d for _, d in buttons(mine) if d.startswith("plc:go:")]  # no check-in button
    # A report not made yet may still be made: the appraisal locks what it was made on.
    clock.set(datetime(2026, 12, 3, 2, 0, tzinfo=UTC))
    year_end = await say(core, HE_JING, "/mypledge")
    assert [d for _, d in buttons(year_end) if d.startswith("plc:go:")] == [
        f"plc:go:{checkins_of(fake_uow, HE_JING)[0].pledge_id}:yearend"
    ]
    opened = texts(await say(core, HE_JING, "/checkin"))
    assert "can no longer be changed" not in opened and "不能再修改" not in opened
    # Made after the appraisal, the year-end report may be changed in its window as any.
    await answer_checkin(core, HE_JING, [("kept", "全年没有收受礼品礼金", None)] * 3)
    await confirm(core, HE_JING)
    again = texts(await say(core, HE_JING, "/checkin 年终"))
    assert "不能再修改" not in again and zh("Please check, then confirm.") in again, again


async def test_same_as_above_and_see_attachment_as_people_type_them(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    """跟上面一样 copies the item above and 同1 item 1 (both had been kept literally as the
    report's words); 请见附件 / 附件已发 / 见附件1 without a file are refused like 见附件."""
    await checkin_opened(core, clock)
    await say(core, HE_JING, data="f:c:kept")
    await say(core, HE_JING, "严格遵守规定，没有违规")
    for typed in ("请见附件", "附件已发", "见附件1", "See attached", "照片稍后补交", "内容见附件"):
        refused = texts(await say(core, HE_JING, typed))
        assert (
            zh("Please send the file itself (a photo or a document), or type what it shows.")
            in refused
        ), typed
    await say(core, HE_JING, "支部会议记录第3页")
    await say(core, HE_JING, data="f:c:kept")
    await say(core, HE_JING, "按要求落实到位")
    evidence = texts(await say(core, HE_JING, "跟上面一样"))  # the evidence of item 1
    # What was copied is said, and from which item, so a copy onto the wrong one is seen.
    assert zh("Repeated from item {n}: “{text}”", n=1, text="支部会议记录第3页") in evidence
    await say(core, HE_JING, data="f:c:kept")
    repeated = texts(await say(core, HE_JING, "同1"))  # the explanation of item 1
    assert zh("Repeated from item {n}: “{text}”", n=1, text="严格遵守规定，没有违规") in repeated
    nothing = texts(await say(core, HE_JING, "同第5条"))  # no item 5 above
    assert zh("The item above has no evidence to repeat; send a file, a note, or Skip.") in nothing
    await say(core, HE_JING, "略")
    await confirm(core, HE_JING)
    [checkin] = checkins_of(fake_uow, HE_JING)
    assert [e.explanation for e in checkin.entries] == [
        "严格遵守规定，没有违规",
        "按要求落实到位",
        "严格遵守规定，没有违规",
    ]
    notes = [e.evidence.ref if e.evidence else None for e in checkin.entries]
    assert notes == ["支部会议记录第3页", "支部会议记录第3页", None]


async def test_vague_explanations_are_not_kept_as_the_report(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    """差不多 / 还行 / 基本做到了 / so-so / 忘了 had been kept as the report's explanation, and
    见附件 there (the file comes at the next step) too."""
    await checkin_opened(core, clock)
    await say(core, HE_JING, data="f:c:kept")
    for vague in (
        "差不多",
        "还行",
        "基本做到了",
        "so-so",
        "忘了",
        "chabuduo",
        "hai xing",
        "一切正常",
        "basically done",
    ):
        assert "看不出践诺情况" in texts(await say(core, HE_JING, vague)), vague
    attached = texts(await say(core, HE_JING, "见附件"))
    assert (
        zh("Please write what was done in words; a file goes at the evidence step, after this one.")
        in attached
    )
    await say(core, HE_JING, "完成了年度学习任务，没有违规")  # an explanation after all
    state = fake_uow.db.conversations[(HE_JING, HE_JING)]
    assert state.data["entries"][0]["explanation"] == "完成了年度学习任务，没有违规"


async def test_a_form_opened_over_another_says_the_first_was_left(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    """/pledge 2027 sent during a check-in replaced the check-in without a word."""
    await checkin_opened(core, clock)
    replaced = await say(core, HE_JING, "/pledge 2027")
    # Said first, before the new form's question.
    assert texts(replaced[:1]) == zh(
        "The form you had open before was left unfinished; nothing of it was saved."
    )


async def test_the_chooser_leaves_out_a_report_the_appraisal_locked(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    """Year-end reported, then appraised: /checkin had offered "年终（修改）" beside the late
    mid-year report, and refused it when chosen."""
    await checkin_opened(core, clock, datetime(2026, 12, 3, 2, 0, tzinfo=UTC))
    await say(core, HE_JING, "取消")
    await say(core, HE_JING, "/checkin 年终")
    await answer_checkin(core, HE_JING, [("kept", "全年没有收受礼品礼金", None)] * 3)
    await confirm(core, HE_JING)
    await say(core, LIN_TAO, "/appraise 何静")
    await say(core, LIN_TAO, "85/10/5")
    await say(core, LIN_TAO, data="f:c:passed")
    await confirm(core, LIN_TAO)
    offered = await say(core, HE_JING, "/checkin")
    assert not [d for _, d in buttons(offered) if d.endswith(":yearend")], buttons(offered)
    assert "不能再修改" not in texts(offered)
