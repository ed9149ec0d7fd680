"""What officials type instead of pressing a button or sending a command.

People answer a notice the way they answer any work message: they type 收到 or 已完成
rather than press the button under it; and they ask for a feature by its name (日历,
我的提醒, 我要做承诺) rather than remember a command. Without this, such a message went to
the rule base, which answered 收到 with a clarification about rectification notices.

Only whole short messages count (after trimming spaces and closing punctuation): 收到 is a
shortcut, 收到红包怎么办 stays a question. A named feature runs exactly as its command
would, with the same permission checks; an acknowledgement works exactly like the
button on the person's most recent reminder that still waits for one.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta

from handlers.context import Ctx
from handlers.domain_reminders import ACKNOWLEDGEABLE_KINDS, AckStatus, DeliveryStatus

#: Typed acknowledgements: 收到 (received) and 已完成 (done), with common variants.
RECEIVED_WORDS = frozenset(
    {
        "收到",
        "已收到",
        "收到了",
        "好的收到",
        "收到收到",
        "知道了",
        "已阅",
        "ok",
        "okay",
        "got it",
        "received",
    }
)
DONE_WORDS = frozenset({"已完成", "完成了", "已办完", "办完了", "已办结", "已落实", "done"})

#: Leaving an open form by saying so.
CANCEL_WORDS = frozenset({"取消", "不填了", "退出", "cancel"})

#: Features asked for by name, and the command that shows them.
COMMAND_WORDS: dict[str, str] = {
    "日历": "/calendar",
    "日程": "/calendar",
    "年度日程": "/calendar",
    "日程安排": "/calendar",
    "今年的日程": "/calendar",
    "我的提醒": "/reminders",
    "查看提醒": "/reminders",
    "提醒列表": "/reminders",
    "帮助": "/help",
    "菜单": "/help",
    "功能": "/help",
    "命令": "/help",
    "help": "/help",
    "我是谁": "/me",
    "我的信息": "/me",
    "个人信息": "/me",
    "我的承诺": "/mypledge",
    "查看我的承诺": "/mypledge",
    "我要做承诺": "/pledge",
    "做承诺": "/pledge",
    "写承诺": "/pledge",
    "填承诺": "/pledge",
    "填写承诺": "/pledge",
    "提交承诺": "/pledge",
    "我要报告践诺情况": "/checkin",
    "我要报告践诺": "/checkin",
    "报告践诺情况": "/checkin",
    "提交践诺报告": "/checkin",
    "填写践诺报告": "/checkin",
    "写践诺报告": "/checkin",
}

#: How far back a typed 收到 looks for the reminder it answers.
ACK_LOOKBACK = timedelta(days=30)

_CLOSING = " \t\r\n。！!.,，~～…"


def normalise(text: str) -> str:
    """The message as a shortcut key: trimmed, closing punctuation dropped, ASCII lowered."""
    return text.strip().strip(_CLOSING).strip().lower()


def cancel_word(text: str) -> bool:
    """True when the whole message asks to leave the open form."""
    return normalise(text) in CANCEL_WORDS


async def try_shortcut(ctx: Ctx, run_command: Callable[[str], Awaitable[None]]) -> bool:
    """Handle ``ctx.req.text`` as a shortcut if it is one; True when it was."""
    key = normalise(ctx.req.text)
    if key in RECEIVED_WORDS or key in DONE_WORDS:
        await acknowledge_latest(ctx, "d" if key in DONE_WORDS else "r")
        return True
    command = COMMAND_WORDS.get(key)
    if command is not None:
        await run_command(command)
        return True
    return False


async def acknowledge_latest(ctx: Ctx, code: str) -> None:
    """Answer the person's most recent reminder still waiting for an acknowledgement, as
    its button would; say so when nothing waits."""
    from handlers.reminders import ack_button  # the button's own rules and wording

    # Sent at least once (a reminder due to repeat is pending again) and not yet answered
    # this way; 已完成 may also follow an earlier 收到.
    open_answers = {AckStatus.NONE, AckStatus.SNOOZED}
    if code == "d":
        open_answers.add(AckStatus.RECEIVED)
    waiting = [
        v
        for v in await ctx.uow.reminders.for_person(ctx.me.id, ctx.now - ACK_LOOKBACK)
        if v.occurrence.kind in ACKNOWLEDGEABLE_KINDS
        and v.status in (DeliveryStatus.SENT, DeliveryStatus.PENDING)
        and v.sends > 0
        and v.sent_at is not None
        and v.ack in open_answers
    ]
    if not waiting:
        ctx.reply(
            ctx._(
                "You have no reminder waiting for an acknowledgement. Send /reminders to see your reminders."
            )
        )
        return
    latest = max(waiting, key=lambda v: (v.sent_at, v.id))
    await ack_button(ctx, [code, str(latest.id)])
    others = len(waiting) - 1
    if others:
        ctx.reply(
            ctx._(
                "{n} more reminders are waiting for an acknowledgement: send /reminders to answer them.",
                n=others,
            )
        )
