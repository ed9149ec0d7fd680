"""What officials type instead of pressing a button or sending a command.

People answer a notice the way they answer any work message: they type 收到 or 已完成
rather than press the button under it; and they ask for a feature by its name (日历,
我的提醒, 我要做承诺) rather than remember a command. Without this, such a message went to
the rule base, which answered 收到 with a clarification about rectification notices.

Only whole short messages count (after trimming spaces and closing punctuation): 收到 is a
shortcut, 收到红包怎么办 stays a question. A named feature runs exactly as its command
would, with the same permission checks; an acknowledgement works exactly like the
button on the person's most recent reminder that still waits for one; 我能提拔吗 or
高峰能评先吗 (a person the asker may look up) is ``/eligible``. A request for figures in
words (统计一下今年的情况) is the summary capability's own shortcut
(:mod:`handlers.summary.typed`).
"""

from __future__ import annotations

import re
from datetime import timedelta

from handlers.core.context import Ctx
from handlers.core.domain import Role
from handlers.core.router import Router, RunCommand
from handlers.core.typed_words import normalise
from handlers.qa import pass_latest_question
from handlers.reminders import ack_button
from handlers.reminders.domain import ACKNOWLEDGEABLE_KINDS, AckStatus, DeliveryStatus
from handlers.reminders.ports import DeliveryView, reminders_of
from handlers.shortcuts.command_words import COMMAND_WORDS
from handlers.shortcuts.eligibility_typed import eligibility_question
from handlers.shortcuts.own_typed import own_records_request
from handlers.shortcuts.records_typed import new_record_request, records_request

#: Typed acknowledgements: 收到 (received) and 已完成 (done), with common variants.
RECEIVED_WORDS = frozenset(
    {
        "收到",
        "已收到",
        "收到了",
        "好的收到",
        "收到收到",
        "收悉",
        "已收悉",
        "知道了",
        "已阅",
        "已读",
        "好的",
        "明白",
        "明白了",
        "ok",
        "okay",
        "got it",
        "received",
    }
)
DONE_WORDS = frozenset({"已完成", "完成了", "已办完", "办完了", "已办结", "已落实", "done"})
#: 明天提醒我 typed: the button's "remind me tomorrow".
SNOOZE_WORDS = frozenset({"明天提醒我", "明天再提醒我", "明天再提醒", "remind me tomorrow"})

#: The same said with courtesies around it (好的，收到 / 收到啦 / 收到了谢谢 / 已经完成了 /
#: 好的已完成 / 已整改完毕): whole short messages only, so 收到红包怎么办 stays a question.
_COURTESY = r"(?:好的|好|嗯嗯|嗯|ok|okay)?[，,、\s]*"
_THANKS = r"[，,!！。~～\s]*(?:谢谢|多谢|感谢|谢了|thanks|thank you)?(?:您|你|领导)?[!！。~～]*"
_RECEIVED = re.compile(
    rf"^{_COURTESY}(?:已经?)?(?:收到|收悉|已阅|知道了|明白)(?:了|啦|哈|啊|的)?{_THANKS}$"
)
_DONE = re.compile(
    rf"^{_COURTESY}(?:已经?|都)?(?:完成|办完|弄完|做完|搞定|办结|落实|整改完毕|整改完成|整改好|处理完"
    r"|弄好|做好|办好|搞好)"
    rf"(?:了|啦|啊)?{_THANKS}$"
)


#: Courtesies that answer a reminder only when one is waiting (好的谢谢, ok thanks, noted):
#: otherwise they are thanks, answered as small talk.
_COURTESY_RECEIPT = re.compile(
    r"^(?:好的|好嘞|好滴|好|行|ok|okay|got it|noted|roger)[，,!！。\s]*"
    r"(?:谢谢|多谢|感谢|谢了|thanks|thank you|thx)(?:您|你|领导)?[!！。~～]*$"
    r"|^(?:noted|got it|will do|on it)[!！。.]*$"
)


def ack_code(key: str) -> str | None:
    """The button a typed acknowledgement stands for (r: received, d: done, t: tomorrow),
    with or without courtesies around it; None for anything else."""
    code = ACK_WORDS.get(key)
    if code is not None or len(key) > 16:
        return code
    if _DONE.match(key):
        return "d"
    return "r" if _RECEIVED.match(key) else None


#: Each typed answer as the code of the button it stands for (handlers.reminders.text).
ACK_WORDS: dict[str, str] = (
    dict.fromkeys(RECEIVED_WORDS, "r")
    | dict.fromkeys(DONE_WORDS, "d")
    | dict.fromkeys(SNOOZE_WORDS, "t")
)
#: Which earlier answers each typed answer may replace: 已完成 may follow 收到, and
#: 明天提醒我 postpones one acknowledged only as seen (not one already postponed).
OPEN_ANSWERS: dict[str, frozenset[AckStatus]] = {
    "r": frozenset({AckStatus.NONE, AckStatus.SNOOZED}),
    "d": frozenset({AckStatus.NONE, AckStatus.SNOOZED, AckStatus.RECEIVED}),
    "t": frozenset({AckStatus.NONE, AckStatus.RECEIVED}),
}

#: 修改 / 删除 typed alone, with no form open: a button's word typed under a record's view
#: (the buttons are not typed); said how to change a record rather than sent to the rules.
EDIT_WORDS = frozenset(
    {
        "修改",
        "改",
        "改一下",
        "改下",
        "编辑",
        "更改",
        "删除",
        "删掉",
        "删了",
        "撤回",
        "edit",
        "delete",
    }
)

#: Of those, the words that ask to delete (only administrators can).
DELETE_WORDS = frozenset({"删除", "删掉", "删了", "撤回", "delete"})

#: 转给纪检监察干部 typed (the decline's button) or asked for in other words: the latest
#: question goes to staff, as the button would.
PASS_WORDS = frozenset(
    {"人工", "人工服务", "找人工", "pass to staff", "talk to a human", "human"}
)  # the 转… forms are _PASS_REQUEST's

#: The same in a few more words (刚才那个问题转人工吧, 帮我转纪检干部): whole messages only, so a
#: question about transfers (转给纪委处理的案件…) stays a question.
_PASS_REQUEST = re.compile(
    r"^(?:请|麻烦)?(?:把|帮我把|帮我)?(?:刚才|上面|前面)?(?:的|那个|这个)?(?:问题)?(?:帮我)?"
    r"转(?:给|交|交给)?(?:人工|纪检监察干部|纪检监察|纪检干部|纪检|纪委的同志|纪委|工作人员)"
    r"(?:吧|一下|下|处理吧)?$"
)


#: 谁还没做承诺 / 还有谁没交践诺报告？ / 年终报告谁没交: who in the unit has not pledged or
#: reported (/unitpledges, whose own role check applies).
_WHO_HAS_NOT = re.compile(
    r"^(?:(?:还有)?谁(?:还)?没(?:有)?(?:做|签|交|报)?"
    r"(?:承诺书?|践诺(?:报告)?|年终报告|年中报告|年终践诺|年中践诺)"
    r"|(?:承诺|践诺报告|年终报告|年中报告)谁(?:还)?没(?:做|交|签)?)(?:呢)?[？?]?$"
    # who hasn't pledged / who has not checked in yet / who still hasn't reported
    r"|^who(?: still)? (?:hasn'?t|has not|haven'?t|have not|didn'?t|did not) (?:yet )?"
    r"(?:pledged|made (?:a |the |their )?pledges?|checked in|reported|handed in (?:a |the )?reports?)"
    r"(?: yet)?\s*\??$"
)


#: 我要写承诺 / 写个承诺 / 交一份廉洁承诺书: asking to make one's pledge (/pledge).
_MAKE_PLEDGE = re.compile(
    r"^(?:我要|我想|我来|帮我|要)?(?:写|做|作|填|填写|交|提交|签|报)(?:个|一个|一下|一份|下)?"
    r"(?:年度)?(?:廉洁|廉政)?承诺(?:书)?(?:吧|了)?$"
)
#: 交个践诺报告 / 我要交年终践诺报告 / 报一下践诺情况: asking to report (/checkin, with the
#: period when it is named).
_MAKE_CHECKIN = re.compile(
    r"^(?:我要|我想|我来|帮我|要)?(?:写|填|填写|交|提交|报|报告)(?:个|一个|一下|一份|下)?"
    r"(?P<period>年中|年终)?(?:的)?践诺(?:报告|情况)?(?:吧)?$"
)


def _command_for(key: str) -> str | None:
    """The command a whole typed message names, if any (a record request in words too)."""
    return _named_feature(key) or records_request(key) or own_records_request(key)


def _named_feature(key: str) -> str | None:
    """The command a feature's name (or a request to make a pledge or report) stands for."""
    if key in COMMAND_WORDS:
        return COMMAND_WORDS[key]
    if _WHO_HAS_NOT.match(key):
        return "/unitpledges"
    if _MAKE_PLEDGE.match(key):
        return "/pledge"
    checkin = _MAKE_CHECKIN.match(key)
    if checkin is not None:
        return f"/checkin {checkin['period']}" if checkin["period"] else "/checkin"
    return None


#: How far back a typed 收到 looks for the reminder it answers.
ACK_LOOKBACK = timedelta(days=30)


router = Router()


@router.typed_names
def is_typed_shortcut(text: str) -> bool:
    """Whether the whole message is an acknowledgement or a feature's name (not a question),
    which a form refuses as a field's value. Only the exact words: the looser readings
    (已整改完毕 as "done", 王某违规收受礼金的案件 as a list) are ordinary field values there."""
    key = normalise(text)
    return (
        key in ACK_WORDS
        or key in EDIT_WORDS
        or _named_feature(key) is not None
        or _asks_to_pass(key)
    )


@router.typed_requests
def is_new_record_request(text: str) -> bool:
    """Whether the whole message asks for a new record in words (给岳村镇发个整改通知 月底前,
    记一下高峰的诫勉谈话), which a form refuses as a field's value."""
    return new_record_request(normalise(text)) is not None


@router.in_forms
def is_typed_acknowledgement(text: str) -> bool:
    """收到 answers the latest reminder even while a form is open. Not 好的 or 完成, which
    confirm a form's review or end a list: only words that can be nothing but receipt."""
    key = normalise(text)
    return ack_code(key) == "r" and any(w in key for w in ("收到", "received"))


def _asks_to_pass(key: str) -> bool:
    """转人工 and its variants: pass the latest question to staff."""
    return key in PASS_WORDS or _PASS_REQUEST.match(key) is not None


@router.shortcut
async def try_shortcut(ctx: Ctx, run_command: RunCommand) -> bool:
    """Handle ``ctx.req.text`` as a shortcut if it is one; True when it was."""
    key = normalise(ctx.req.text)
    if _asks_to_pass(key):
        await pass_latest_question(ctx)
        return True
    if key in EDIT_WORDS:
        if key in DELETE_WORDS and Role.ADMIN not in ctx.me.roles:
            # Only administrators delete: "press its button" had pointed at no button.
            ctx.reply(
                ctx._(
                    "Only an administrator can delete a record: ask yours, giving the record's number. To change a record, open it (from /talks, /notices, /cases, /assessments or /mypledge) and press its button."
                )
            )
            return True
        ctx.reply(
            ctx._(
                "To change or delete a record, open it (from /talks, /notices, /cases, /assessments or /mypledge) and press its button; typed words do not choose a record."
            )
        )
        return True
    code = ack_code(key)
    if code is not None:
        await acknowledge_latest(ctx, code)
        return True
    if _COURTESY_RECEIPT.match(key):
        waiting = await _waiting(ctx, "r")
        if waiting:  # thanks with nothing waiting are small talk
            await acknowledge_latest(ctx, "r", waiting)
            return True
    command = _command_for(key) or await eligibility_question(ctx, key)
    if command is not None:
        await run_command(command)
        return True
    return False


async def acknowledge_latest(
    ctx: Ctx, code: str, waiting: list[DeliveryView] | None = None
) -> None:
    """Answer the person's most recent reminder still waiting for an acknowledgement, as
    its button would; say so when nothing waits. ``waiting`` is :func:`_waiting`'s list when
    the caller has read it already."""
    waiting = await _waiting(ctx, code) if waiting is None else waiting
    if not waiting:
        ctx.reply(
            ctx._(
                "You have no reminder waiting for an acknowledgement. Send /reminders to see your reminders."
            )
        )
        return
    # Not yet answered at all comes first (a postponed one was answered once already).
    latest = max(waiting, key=lambda v: (v.ack == AckStatus.NONE, v.sent_at, v.id))
    await ack_button(ctx, [code, str(latest.id)])  # the button's own rules and wording
    # Only reminders not answered at all are still waiting: one acknowledged as seen is
    # open to 已完成 but waits for nothing (it had been counted as waiting).
    others = sum(1 for v in waiting if v is not latest and v.ack == AckStatus.NONE)
    if others:
        ctx.reply(
            ctx._(
                "{n} more reminders are waiting for an acknowledgement: send /reminders to answer them.",
                n=others,
            )
        )


async def _waiting(ctx: Ctx, code: str) -> list[DeliveryView]:
    """The person's reminders open to the answer ``code``: sent at least once (one due to
    repeat is pending again) and not yet answered in a way ``code`` may not replace."""
    open_answers = OPEN_ANSWERS[code]
    return [
        v
        for v in await reminders_of(ctx.uow).for_person(ctx.me.id, ctx.now - ACK_LOOKBACK)
        if v.occurrence.kind in ACKNOWLEDGEABLE_KINDS
        and v.status in (DeliveryStatus.SENT, DeliveryStatus.PENDING)
        and v.sends > 0
        and v.sent_at is not None
        and v.ack in open_answers
    ]
