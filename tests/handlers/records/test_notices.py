"""Rectification notices on fakes: issue, report, return, accept (close), overdue, deadlines."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from handlers.core.app import Assistant
from handlers.core.clock import ManualClock
from handlers.core.types import TextReply
from handlers.records.domain import NoticeStatus, ReportDecision
from handlers.records.notice_deadlines import DuePhase, due_phase, notices_due
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.core.helpers import button_data, buttons, say, texts
from tests.handlers.records.support import (
    ADMIN,
    HL_CADRE,
    HL_HEAD,
    HL_INSPECTOR,
    QF_INSPECTOR,
    ZH,
    create_notice,
    created_id,
    not_found,
    run,
)

REPORT = "已建立台账制度，逐项整改完毕并报告结果"


def notices(fake_uow: FakeUnitOfWorkFactory):  # type: ignore[no-untyped-def]
    return fake_uow.db.record_tables.notices


async def test_issue_notifies_the_principal(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    replies = await run(
        core, HL_INSPECTOR, "/notice HL-ZF", "制度不健全，台账缺失", "@f:c:2026-03-10", "2026-04-01"
    )
    assert "2026-04-01" in texts(replies)
    replies = await say(core, HL_INSPECTOR, data="f:ok")
    nid = max(notices(fake_uow))
    notice = notices(fake_uow)[nid]
    head = next(p for p in fake_uow.db.people.values() if p.telegram_user_id == HL_HEAD)
    assert notice.recipient_id == head.id and notice.status == NoticeStatus.OPEN
    sent = [r for r in replies if isinstance(r, TextReply) and r.chat_id == HL_HEAD]
    assert len(sent) == 1 and sent[0].buttons[0][0].data == f"nt:o:{nid}"
    assert "制度不健全" not in sent[0].text  # notifications carry no content
    assert ZH._(
        "Rectification notice #{id} issued to {unit}; {name} has been notified.",
        id=nid,
        unit="华龙区政府办公室",
        name="孙伟",
    ) in texts(replies)
    assert fake_uow.db.audit[-1].action == "notice.issued"


async def test_unit_without_principal_gets_paper_hint(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    replies = await run(
        core,
        HL_INSPECTOR,
        "/notice HL-JW",
        "案件台账不完整",
        "@f:c:2026-03-10",
        "2026-04-01",
        "@f:ok",
    )
    nid = max(notices(fake_uow))
    assert notices(fake_uow)[nid].recipient_id is None
    assert texts(replies) == ZH._(
        "Rectification notice #{id} issued to {unit}. The unit has no registered principal: please deliver the notice on paper.",
        id=nid,
        unit="华龙区纪委监委",
    )
    assert all(r.chat_id is None for r in replies if isinstance(r, TextReply))


async def test_deadline_before_issue_date_is_refused(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    before = dict(notices(fake_uow))
    replies = await run(core, HL_INSPECTOR, "/notice HL-ZF", "问题描述", "2026-03-05", "2026-03-04")
    assert texts(replies) == ZH._("The deadline cannot be before the issue date.")
    future_issue = await run(core, HL_INSPECTOR, "@f:back", "2026-03-20")
    assert texts(future_issue) == ZH._(
        "That date is in the future; please give the date on which it happened."
    )
    # Editing the issue date after the deadline was set is checked too.
    await run(core, HL_INSPECTOR, "2026-03-05", "2026-03-06 补录")  # an old notice, said so
    late = await run(core, HL_INSPECTOR, "@f:edit:issued_on", "2026-03-08")
    assert texts(late) == ZH._("The deadline cannot be before the issue date.")
    assert notices(fake_uow) == before
    outside = await say(core, HL_INSPECTOR, "/notice QF-ZF")
    assert texts(outside) == ZH._("No unit “{text}” found within your scope.", text="QF-ZF")


async def test_a_past_deadline_needs_to_be_marked_as_a_back_entry(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    """Today is 2026-03-10: a deadline of 2026-03-09 is refused with how to enter an old
    notice on purpose; with 补录 it is accepted."""
    refused = await run(core, HL_INSPECTOR, "/notice HL-ZF", "问题描述", "2026-03-01", "2026-03-09")
    assert texts(refused) == ZH._(
        "The deadline {date} has already passed. If you are entering an old notice after the fact, add “back-entry” after the date, e.g. {date} back-entry.",
        date="2026-03-09",
    )
    accepted = await run(core, HL_INSPECTOR, "2026-03-09 补录")
    assert "2026-03-09" in texts(accepted) and "补录" not in texts(accepted)
    await say(core, HL_INSPECTOR, "/cancel")
    # Issued long ago: a button whose deadline has passed says it is a back entry, and
    # pressing it is accepted as one (it had offered 15 天 and then refused it as past).
    offered = await run(core, HL_INSPECTOR, "/notice HL-ZF", "问题描述", "2026-01-10")
    labels = dict((d, label) for label, d in buttons(offered))
    assert labels["f:c:2026-01-25 补录"] == "15 天（2026-01-25，补录）"
    assert labels["f:c:2026-03-11"] == "60 天（2026-03-11）"
    pressed = await run(core, HL_INSPECTOR, "@f:c:2026-01-25 补录")
    assert "2026-01-25" in texts(pressed) and ZH._("Please check, then confirm.") in texts(pressed)
    # The principal is told the notice was entered late and its deadline has passed.
    issued = await run(core, HL_INSPECTOR, "@f:ok")
    [told] = [r for r in issued if isinstance(r, TextReply) and r.chat_id == HL_HEAD]
    assert told.text == ZH._(
        "Rectification notice #{id} to your unit {unit} was entered after the fact; its deadline, {deadline}, has passed.",
        id=created_id(issued, "nt"),
        unit="华龙区政府办公室",
        deadline="2026-01-25",
    )


async def test_a_deadline_typed_without_its_year_is_the_next_such_day(
    core: Assistant, clock: ManualClock
) -> None:
    """In December, 1月31日 or jan 31 as a deadline means next January, not the one past."""
    clock.set(datetime(2026, 12, 6, 2, 0, tzinfo=UTC))
    for typed in ("1月31日", "jan 31", "1-31"):
        review = await run(core, HL_INSPECTOR, "/notice HL-ZF", "问题描述", "2026-12-05", typed)
        assert "2027-01-31" in texts(review), typed
        await say(core, HL_INSPECTOR, "/cancel")
    # With its year, a day before the issue is still refused, and 12月20日 stays this December.
    refused = await run(core, HL_INSPECTOR, "/notice HL-ZF", "问题描述", "2026-12-05", "2026-01-31")
    assert texts(refused) == ZH._("The deadline cannot be before the issue date.")
    await say(core, HL_INSPECTOR, "/cancel")
    soon = await run(core, HL_INSPECTOR, "/notice HL-ZF", "问题描述", "2026-12-05", "12月20日")
    assert "2026-12-20" in texts(soon)


async def test_today_typed_as_the_deadline_is_that_steps_date(core: Assistant) -> None:
    """今天 is also the issue-date step's button; typed at the deadline step it is today's
    date there, not refused as "an answer to the issue date"."""
    review = await run(core, HL_INSPECTOR, "/notice HL-ZF", "问题描述", "今天", "今天")
    assert "整改期限: 2026-03-10" in texts(review)


async def test_a_deadline_not_read_as_a_date_is_shown_days_ahead(core: Assistant) -> None:
    """The hint at a deadline step gives examples from today on, not 昨天 or 上周五."""
    refused = await run(core, HL_INSPECTOR, "/notice HL-ZF", "问题描述", "今天", "过几天吧")
    assert texts(refused) == ZH._(
        "Please give a date from today on, such as {iso}, {md}, next friday or the 15th.",
        iso="2026-03-24",
        md="3/24",
    )
    assert "昨天" not in texts(refused)


async def test_report_return_resubmit_accept(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    nid = await create_notice(core)
    head_list = await say(core, HL_HEAD, "/notices")
    assert f"nt:o:{nid}" in [d for _, d in buttons(head_list)]
    # His own unit named (as staff name theirs) is the same list, not "records about yourself".
    for named in ("/notices 华龙区政府办公室", "/notices HL-ZF"):
        assert texts(await say(core, HL_HEAD, named)) == texts(head_list), named
    opened = await say(core, HL_HEAD, data=f"nt:o:{nid}")
    assert [d for _, d in buttons(opened)] == [f"nt:r:{nid}"]  # read-only apart from the report
    # The number typed after the create command opens it too, read-only (/notice is for
    # inspectors; the head reads his unit's notice through /notices' own check).
    for typed in (f"/notice #{nid}", f"/notices #{nid}"):
        assert texts(await say(core, HL_HEAD, typed)) == texts(opened), typed
    short = await run(core, HL_HEAD, f"@nt:r:{nid}", "已整改")
    assert texts(short) == ZH._("Please write at least {n} characters.", n=10)
    submitted = await run(core, HL_HEAD, REPORT, "@f:ok")
    assert any(isinstance(r, TextReply) and r.chat_id == HL_INSPECTOR for r in submitted)
    assert notices(fake_uow)[nid].status == NoticeStatus.SUBMITTED
    again = await say(core, HL_HEAD, data=f"nt:r:{nid}")
    assert texts(again) == ZH._("A report can be submitted only while the notice is open.")

    # Returning asks for the reason at once: no Skip button, a typed 跳过 is refused,
    # and the reason is simply typed (no loop through the review screen).
    asked = await say(core, HL_INSPECTOR, data=f"nt:x:{nid}")
    assert ZH._("Why is the report returned? Tell the unit what is missing.") in texts(asked)
    assert "f:skip" not in [d for _, d in buttons(asked)]
    assert "f:cancel" in [d for _, d in buttons(asked)]
    refused = await say(core, HL_INSPECTOR, "跳过")
    assert texts(refused) == ZH._(
        "This one is needed and cannot be skipped; please type it, or press Cancel."
    )
    # A reason the unit can act on: 不行 tells it nothing.
    too_short = await say(core, HL_INSPECTOR, "不行")
    assert texts(too_short) == ZH._("Please write at least {n} characters.", n=4)
    returned = await run(core, HL_INSPECTOR, "整改措施不具体", "@f:ok")
    assert ZH._("The report on notice #{id} was returned to the unit.", id=nid) in texts(returned)
    assert any(isinstance(r, TextReply) and r.chat_id == HL_HEAD for r in returned)
    assert notices(fake_uow)[nid].status == NoticeStatus.OPEN
    # Open again, the list says its report came back (it read as never answered).
    listed = texts(await say(core, HL_HEAD, "/notices"))
    line = next(x for x in listed.splitlines() if x.startswith(f"#{nid} "))
    assert line.endswith(ZH._(" (report returned)")), line

    await run(core, HL_HEAD, f"@nt:r:{nid}", REPORT + "（补充）", "@f:ok")
    accepted = await run(core, HL_INSPECTOR, f"@nt:a:{nid}", "@f:skip", "@f:ok")
    assert ZH._("Notice #{id} is closed.", id=nid) in texts(accepted)
    notice = notices(fake_uow)[nid]
    assert notice.status == NoticeStatus.CLOSED and notice.closed_on == date(2026, 3, 10)
    reports = [r for r in fake_uow.db.record_tables.reports.values() if r.notice_id == nid]
    assert [r.decision for r in reports] == [ReportDecision.RETURNED, ReportDecision.ACCEPTED]
    assert reports[0].decision_note == "整改措施不具体"
    actions = [r.action for r in fake_uow.db.record_tables.revisions if r.record_id == nid]
    assert actions == ["create", "report", "return", "report", "accept"]
    audit = [e.action for e in fake_uow.db.audit if e.object_id == str(nid)]
    assert {"notice.report_submitted", "notice.report_returned", "notice.report_accepted"} <= set(
        audit
    )
    closed = await say(core, HL_INSPECTOR, data=f"nt:o:{nid}")
    assert ZH._("rectified and closed") in texts(closed) and REPORT in texts(closed)
    assert f"nt:e:{nid}" not in [d for _, d in buttons(closed)]
    edit = await say(core, HL_INSPECTOR, data=f"nt:e:{nid}")
    assert texts(edit) == ZH._("This notice is closed and can no longer be changed.")


async def test_decision_on_already_decided_report_is_stale(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    nid = await create_notice(core)
    await run(core, HL_HEAD, f"@nt:r:{nid}", REPORT, "@f:ok")
    await run(core, HL_INSPECTOR, f"@nt:a:{nid}", "@f:skip")  # left at the review screen
    await run(core, ADMIN, f"@nt:a:{nid}", "@f:skip", "@f:ok")  # someone else accepts first
    replies = await say(core, HL_INSPECTOR, data="f:ok")
    assert texts(replies) == ZH._(
        "This record was changed by someone else in the meantime, so nothing was saved. Please open it again."
    )
    reports = [r for r in fake_uow.db.record_tables.reports.values() if r.notice_id == nid]
    admin = next(p for p in fake_uow.db.people.values() if p.telegram_user_id == ADMIN)
    assert len(reports) == 1 and reports[0].decided_by == admin.id  # decided once, by the first
    assert notices(fake_uow)[nid].version == 3


async def test_other_people_cannot_see_or_answer(core: Assistant) -> None:
    nid = await create_notice(core)
    for user in (QF_INSPECTOR, 1105, 1104):  # other county, other unit's head, a cadre
        for data in (f"nt:o:{nid}", f"nt:r:{nid}", f"nt:a:{nid}", f"nt:h:{nid}"):
            assert texts(await say(core, user, data=data)) == not_found(nid), (user, data)
    for user in (1105, 1104):  # typed by number: the same "not found", not a role refusal
        assert texts(await say(core, user, f"/notice #{nid}")) == not_found(nid), user
    other_head = texts(await say(core, 1105, "/notices"))
    assert "华龙区政府办公室" not in other_head


async def test_edit_deadline_and_overdue_listing(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    nid = await create_notice(core, deadline="2026-03-20")
    replies = await run(core, HL_INSPECTOR, f"@nt:e:{nid}", "@f:edit:deadline", "2026-03-09")
    assert texts(replies) == ZH._("The deadline cannot be before the issue date.")
    await run(core, HL_INSPECTOR, "2026-03-31", "@f:ok")
    assert notices(fake_uow)[nid].deadline == date(2026, 3, 31)
    rev = fake_uow.db.record_tables.revisions[-1]
    assert rev.changes == {"deadline": ["2026-03-20", "2026-03-31"]}
    overdue = texts(await say(core, HL_INSPECTOR, "/notices overdue"))
    assert "岳村镇" in overdue and f"#{nid} " not in overdue  # the demo notice is overdue
    assert ZH._("overdue") in overdue
    # As typed: the status word with 的 (it had been looked up as a unit).
    assert texts(await say(core, HL_INSPECTOR, "/notices 逾期的")) == overdue
    assert texts(await say(core, HL_INSPECTOR, "/notices 过期了的")) == overdue
    still_open = texts(await say(core, HL_INSPECTOR, "/notices 2026 open"))
    assert texts(await say(core, HL_INSPECTOR, "/notices 2026 没整改完的")) == still_open
    assert f"#{nid} " in texts(await say(core, HL_INSPECTOR, "/notices 2026 open"))


async def test_a_report_awaiting_review_after_the_deadline_is_still_overdue(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    nid = await create_notice(core, deadline="2026-03-20")
    await run(core, HL_HEAD, f"@nt:r:{nid}", REPORT, "@f:ok")
    assert notices(fake_uow)[nid].status == NoticeStatus.SUBMITTED
    assert f"#{nid} " not in texts(await say(core, HL_INSPECTOR, "/notices overdue"))
    clock.advance(timedelta(days=15))  # past the deadline, the report still not reviewed
    overdue = texts(await say(core, HL_INSPECTOR, "/notices overdue"))
    assert f"#{nid} " in overdue and ZH._("overdue, report awaiting review") in overdue
    # Accepted, it leaves the overdue list (closed late).
    await run(core, HL_INSPECTOR, f"@nt:a:{nid}", "@f:skip", "@f:ok")
    assert f"#{nid} " not in texts(await say(core, HL_INSPECTOR, "/notices overdue"))


async def test_notices_due_for_reminders(core: Assistant, fake_uow: FakeUnitOfWorkFactory) -> None:
    soon = await create_notice(core, deadline="2026-03-12")
    today = await create_notice(core, deadline="2026-03-10")
    later = await create_notice(core, deadline="2026-04-30")
    async with fake_uow() as uow:
        due = await notices_due(uow, date(2026, 3, 10), within_days=3)
    phases = {d.notice.id: (d.phase, d.days_left) for d in due}
    assert phases[soon] == (DuePhase.UPCOMING, 2)
    assert phases[today] == (DuePhase.DUE_TODAY, 0)
    assert later not in phases
    overdue = [d for d in due if d.phase == DuePhase.OVERDUE]
    assert overdue and all(d.days_left < 0 for d in overdue)
    assert all(d.notice.status != NoticeStatus.CLOSED for d in due)
    assert [d.notice.deadline for d in due] == sorted(d.notice.deadline for d in due)
    assert due_phase(date(2026, 3, 10), date(2026, 3, 9)) == DuePhase.UPCOMING
    assert due_phase(date(2026, 3, 10), date(2026, 3, 11)) == DuePhase.OVERDUE


async def test_editing_the_issue_date_keeps_every_other_field_in_order(core: Assistant) -> None:
    """Editing a field from the review screen comes back to the review with the other
    fields unchanged and in the form's order."""
    await run(core, HL_INSPECTOR, "/notice", "HL-ZF", "会议纪律松散，学习流于形式，需要整改")
    await run(core, HL_INSPECTOR, "2026-03-09", "2026-04-30")
    edited = texts(await run(core, HL_INSPECTOR, "@f:edit:issued_on", "2026-03-05"))
    order = ["华龙区政府办公室", "会议纪律松散", "2026-03-05", "2026-04-30"]
    positions = [edited.index(part) for part in order]
    assert positions == sorted(positions), edited
    assert "2026-03-09" not in edited


async def test_a_report_returned_after_the_deadline_asks_for_it_as_soon_as_possible(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    nid = await create_notice(core, deadline="2026-03-20")
    await run(core, HL_HEAD, f"@nt:r:{nid}", REPORT, "@f:ok")
    clock.advance(timedelta(days=15))
    returned = await run(core, HL_INSPECTOR, f"@nt:x:{nid}", "整改措施不具体，缺少台账", "@f:ok")
    to_head = [r for r in returned if isinstance(r, TextReply) and r.chat_id == HL_HEAD]
    assert to_head and "已过" in to_head[0].text and "前重新提交" not in to_head[0].text


async def test_a_typed_span_counts_from_the_issue_date_like_the_buttons(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    # Issued on 1 March, entered on 10 March: "15天" is 16 March, as the 15-day button says.
    for typed, due in (("15天", date(2026, 3, 16)), ("两周", date(2026, 3, 15)),
                       ("一个月内", date(2026, 4, 1)), ("年底前", date(2026, 12, 31)),
                       ("月底前", date(2026, 3, 31)), ("半个月", date(2026, 3, 16)),
                       ("元旦前", date(2026, 12, 31)), ("15号", date(2026, 3, 15)),
                       # Sunday 1 March + 10 working days: Friday 13 March.
                       ("10个工作日", date(2026, 3, 13))):  # fmt: skip
        before = set(notices(fake_uow))
        problems = (
            f"制度不健全，台账缺失（{typed}）"  # the same problems twice would be asked about
        )
        replies = await run(
            core, HL_INSPECTOR, "/notice HL-ZF", problems, "2026-03-01", typed, "@f:ok"
        )
        assert len(set(notices(fake_uow)) - before) == 1, texts(replies)
        [nid] = set(notices(fake_uow)) - before
        assert notices(fake_uow)[nid].deadline == due, typed


async def test_a_yearless_deadline_that_just_passed_is_asked_about_not_moved_a_year(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    # Typed on 10 March: 2月20日 has passed; next year's is almost a year away, so the year
    # is asked for instead of silently saving 2027-02-20.
    before = set(notices(fake_uow))
    replies = await run(
        core, HL_INSPECTOR, "/notice HL-ZF", "台账缺失，制度不全", "2026-03-01", "2月20日"
    )
    said = texts(replies)
    assert "2027-02-20" in said and "补录" in said, said
    assert set(notices(fake_uow)) == before
    # A month or so ahead is still read as next year's without asking (1月5日 in December).
    ok = await run(core, HL_INSPECTOR, "2027-02-20", "@f:ok")
    [nid] = set(notices(fake_uow)) - before
    assert notices(fake_uow)[nid].deadline == date(2027, 2, 20), texts(ok)


async def test_the_principals_are_told_of_a_new_deadline_or_unit(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    """A deadline moved tells the unit's principal the new date; a notice moved to another
    unit tells the new principal it was received and the old one it is no longer his. The
    inspector's reply says who was told."""
    nid = await create_notice(core, deadline="2026-03-20")
    moved = await run(core, HL_INSPECTOR, f"@nt:e:{nid}", "@f:edit:deadline", "2026-03-31", "@f:ok")
    [told] = [r for r in moved if isinstance(r, TextReply) and r.chat_id == HL_HEAD]
    assert told.text == ZH._(
        "The deadline of rectification notice #{id} for your unit {unit} is now {deadline}.",
        id=nid,
        unit="华龙区政府办公室",
        deadline="2026-03-31",
    )
    own = [r.text for r in moved if isinstance(r, TextReply) and r.chat_id is None]
    assert own[-1].endswith(ZH._("Told: {names}.", names="孙伟")), own
    sent = await run(core, HL_INSPECTOR, f"@nt:e:{nid}", "@f:edit:unit", "HL-YC", "@f:ok")
    by_chat = {r.chat_id: r.text for r in sent if isinstance(r, TextReply) and r.chat_id}
    assert by_chat[1108] == ZH._(
        "Your unit {unit} has received rectification notice #{id}, deadline {deadline}.",
        unit="岳村镇",
        id=nid,
        deadline="2026-03-31",
    )
    assert by_chat[HL_HEAD] == ZH._(
        "Rectification notice #{id} is no longer addressed to your unit {unit}.",
        id=nid,
        unit="华龙区政府办公室",
    )
    # A change of the problems' wording alone tells nobody.
    quiet = await run(
        core,
        HL_INSPECTOR,
        f"@nt:e:{nid}",
        "@f:edit:problems",
        "制度不健全，台账缺失，已补充",
        "@f:ok",
    )
    assert not [r for r in quiet if isinstance(r, TextReply) and r.chat_id]


async def test_a_former_principal_reads_the_notice_but_reports_no_more(core: Assistant) -> None:
    """The addressee whose principal's role was taken back sees no report button, and the
    button's data is refused before any form opens (he had typed a report, then been
    refused by the form, which stayed open)."""
    from tests.handlers.core.helpers import button_data

    nid = await create_notice(core)
    asked = await say(core, ADMIN, "/revoke 孙伟 unit_head HL-ZF")
    await say(core, ADMIN, data=button_data(asked, "是，收回"))
    opened = await say(core, HL_HEAD, data=f"nt:o:{nid}")
    assert "华龙区政府办公室" in texts(opened) and f"nt:r:{nid}" not in str(buttons(opened))
    refused = await say(core, HL_HEAD, data=f"nt:r:{nid}")
    assert texts(refused) == ZH._(
        "Sorry, your role does not allow this. Send /help to see what you can do."
    )


async def test_a_deadline_typed_with_the_request_answers_its_step(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    """给华龙区政府办公室发个整改通知 月底前: the deadline is read when the form reaches it,
    counted from the issue date, and not asked again (it had been dropped)."""
    replies = await run(
        core, HL_INSPECTOR, "给华龙区政府办公室发个整改通知 月底前", "制度不健全，台账缺失"
    )
    replies = await say(core, HL_INSPECTOR, data="f:c:2026-03-10")
    assert "2026-03-31" in texts(replies)  # the review, with the month's last day
    await say(core, HL_INSPECTOR, data="f:ok")
    notice = notices(fake_uow)[max(notices(fake_uow))]
    assert notice.deadline == date(2026, 3, 31) and notice.issued_on == date(2026, 3, 10)


async def test_a_typed_ahead_deadline_the_step_refuses_is_asked_again(core: Assistant) -> None:
    """A typed-ahead deadline already past is refused once, with the reason, and the step is
    asked as usual."""
    await run(core, HL_INSPECTOR, "/notice HL-ZF 3月1日", "制度不健全，台账缺失")
    replies = await say(core, HL_INSPECTOR, data="f:c:2026-03-10")
    said = texts(replies)
    assert "2026-03-01" in said and "补录" in said
    assert ZH._("By which date must the rectification be done?") in said


async def test_a_number_alone_after_the_create_command_opens_that_record(
    core: Assistant,
) -> None:
    nid = await create_notice(core)
    assert texts(await say(core, HL_INSPECTOR, f"/notice {nid}")) == texts(
        await say(core, HL_INSPECTOR, f"/notice #{nid}")
    )


async def test_a_new_principal_is_told_of_the_units_open_notices(core: Assistant) -> None:
    """Made principal with /grant, a cadre hears of the unit's open notices (his to answer
    now), with a button for each."""
    first = await create_notice(core, deadline="2026-04-01")
    second = await create_notice(core, deadline="2026-05-01")
    offered = await say(core, ADMIN, "/grant 马丽娟 一把手 HL-ZF")
    # The unit's principal so far is named: a second one is seldom meant.
    assert "⚠️ 孙伟" in texts(offered), texts(offered)
    replies = await say(core, ADMIN, data=button_data(offered, "是，增加"))
    told = [r for r in replies if isinstance(r, TextReply) and r.chat_id == HL_CADRE]
    assert len(told) == 1
    assert f"#{first}（2026-04-01）" in told[0].text and f"#{second}" in told[0].text
    pressed = [b.data for row in told[0].buttons for b in row]
    assert {f"nt:o:{first}", f"nt:o:{second}"} <= set(pressed)
    # A role other than principal, or a unit without open notices: nothing is sent.
    offered = await say(core, ADMIN, "/grant 马丽娟 纪检 HL-ZF")
    assert "⚠️" not in texts(offered)
    replies = await say(core, ADMIN, data=button_data(offered, "是，增加"))
    assert not [r for r in replies if isinstance(r, TextReply) and r.chat_id == HL_CADRE]


async def test_the_issuer_hears_when_someone_else_decides_the_report(core: Assistant) -> None:
    """Another inspector (here the administrator) closing the notice tells its issuer, who
    had not been told; the issuer deciding it himself gets no such message."""
    nid = await create_notice(core)
    await run(core, HL_HEAD, f"@nt:r:{nid}", REPORT, "@f:ok")
    accepted = await run(core, ADMIN, f"@nt:a:{nid}", "@f:skip", "@f:ok")
    told = [r for r in accepted if isinstance(r, TextReply) and r.chat_id == HL_INSPECTOR]
    assert len(told) == 1 and f"#{nid}" in told[0].text and "通过" in told[0].text


async def test_a_bare_number_opens_the_record_for_a_reader_too(core: Assistant) -> None:
    """/notice 7 by the unit head (who may read, not issue) opens it as /notice #7 does; it
    had been refused as a command he may not use."""
    nid = await create_notice(core)
    assert texts(await say(core, HL_HEAD, f"/notice {nid}")) == texts(
        await say(core, HL_HEAD, f"/notice #{nid}")
    )


async def test_words_after_the_unit_that_are_no_date_stay_the_units(core: Assistant) -> None:
    """/notice 华龙区 政府办公室 had opened the form for 华龙区, reading 政府办公室 as the deadline."""
    replies = texts(await say(core, HL_INSPECTOR, "/notice 华龙区 政府办公室"))
    assert "华龙区 政府办公室" in replies and "整改" not in replies


async def test_a_part_of_a_year_is_no_list_filter(core: Assistant) -> None:
    # 上半年 had been looked up as a unit ("no unit or person 上半年 found").
    for typed, word in (
        ("/notices 上半年", "上半年"),
        ("/notices 岳村镇 三季度", "三季度"),
        ("/talks 下半年的", "下半年"),
    ):
        said = texts(await say(core, HL_INSPECTOR, typed))
        assert said == ZH._(
            "Record lists are filtered by year, not by “{text}”: type a year (for example 2026 or 今年).",
            text=word,
        ), typed
    # The summary is offered only to those who may read it, for the unit named.
    offered = texts(await say(core, ADMIN, "/notices 岳村镇 三季度"))
    assert offered.endswith(
        ZH._(
            "For the figures of a half-year, quarter or month, use /summary {text}.",
            text="岳村镇 三季度",
        )
    )
    # A year still filters, and a unit is still a unit.
    assert "限期整改通知书" in texts(await say(core, HL_INSPECTOR, "/notices 今年"))
