"""The follow-up of a warning talk (回访, the talk's "close" step): the day it was done and
what it found, recorded on the talk with a revision; and the talk form's follow-up date,
planned until the follow-up is recorded."""

from __future__ import annotations

from datetime import date
from typing import Any

from handlers.core.context import Ctx
from handlers.core.dates import span_from
from handlers.core.errors import UserError
from handlers.core.forms import Data, Step
from handlers.core.i18n import N_
from handlers.records.common import open_button
from handlers.records.domain import RecordType, WarningTalk
from handlers.records.inputs import (
    date_hint,
    fmt_date,
    from_iso,
    read_coming_date,
    read_date,
    show_date,
)
from handlers.records.kind import KINDS, audit, load_writable
from handlers.records.steps import action_form, date_value, past_date_step, step, text_step


def done_in_future_message(ctx: Ctx, value: date, editing_talk: bool = False) -> str:
    """Why a follow-up that was done cannot carry a date still to come. ``editing_talk``:
    said in the talk's own form, where "edit the talk" would send the person in a circle."""
    if editing_talk:
        return ctx._(
            "{date} is still to come, but this talk's follow-up is recorded as done: its date is the day it was done.",
            date=fmt_date(value),
        )
    return ctx._(
        "{date} is still to come, but a follow-up is recorded only once it has been done: please give the day it was done. To plan a follow-up, edit the talk and set its follow-up date instead.",
        date=fmt_date(value),
    )


async def _parse_follow_up(ctx: Ctx, text: str, data: Data) -> str:
    """The talk form's follow-up date: planned (any day from the talk on) until the follow-up
    is recorded, then the day it was done (not in the future)."""
    talk_date = from_iso(data.get("talk_date"))
    if data.get("_followed_up"):
        value = read_date(ctx, text)
    else:
        # Planned: 1月10号 typed in December is the coming January, as a notice's deadline;
        # 半年后 / 三个月后 count from the talk (its effect period runs from it), not from today.
        start = talk_date or ctx.local_now.date()
        value = span_from(text.strip(), start) or read_coming_date(ctx, text, start)
    if talk_date and value < talk_date:
        raise UserError(ctx._("The follow-up date cannot be before the talk."))
    if data.get("_followed_up") and value > ctx.local_now.date():
        raise UserError(done_in_future_message(ctx, value, editing_talk=True))
    return value.isoformat()


def _follow_up_prompt(ctx: Ctx, data: Data) -> str:
    if data.get("_followed_up"):
        return ctx._("On which day was the follow-up done?")
    return ctx._("When will the follow-up be? (a date; Skip if not yet decided)")


def date_step(field_label: str) -> Step:
    """The talk form's last step: the follow-up date, planned or (once recorded) done."""
    prompt, parse = _follow_up_prompt, _parse_follow_up
    return step("follow_up_date", field_label, prompt, parse, None, show_date, True, date_value)


def check_done(ctx: Ctx, talk: WarningTalk, values: dict[str, Any]) -> None:
    """At an edit's confirmation: a recorded follow-up keeps a date that has come."""
    day = values["follow_up_date"]
    if talk.followed_up and day and day > ctx.local_now.date():
        raise UserError(done_in_future_message(ctx, day, editing_talk=True))
    if talk.followed_up and not day:
        # The result stays: a follow-up on record has the day it was done (it had been
        # saved with "—" and still listed as followed up).
        raise UserError(
            ctx._("This talk's follow-up is recorded, so its date cannot be left empty.")
        )


async def _parse_done_date(ctx: Ctx, text: str, data: Data) -> str:
    value = read_date(ctx, text)
    _check_done_date(ctx, value, from_iso(data.get("talk_date")))
    return value.isoformat()


def _check_done_date(ctx: Ctx, value: date, talk_date: date | None) -> None:
    """A follow-up was done on a day from the talk up to today; each case says what is wrong."""
    if value > ctx.local_now.date():
        raise UserError(done_in_future_message(ctx, value))
    if talk_date and value < talk_date:
        raise UserError(ctx._("The follow-up date cannot be before the talk."))


async def _finish(ctx: Ctx, data: Data) -> None:
    rid = int(data["_edit"])
    kind = KINDS[RecordType.TALK]
    loaded = await load_writable(ctx, kind, rid)
    done = from_iso(data["follow_up_date"])
    if done is None:
        raise UserError(date_hint(ctx))
    # Checked again against the stored talk and today's date (another instance's clock).
    _check_done_date(ctx, done, loaded.record.talk_date)
    values: dict[str, Any] = {"follow_up_date": done, "follow_up_result": data["follow_up_result"]}
    changed = await kind.save(ctx, loaded, rid, int(data["_version"]), values, "follow_up")
    if changed is None:
        return
    await audit(ctx, kind, "followed_up", loaded, rid, loaded.unit_id, fields=changed)
    ctx.reply(
        ctx._("Follow-up of warning talk #{id} recorded.", id=rid),
        open_button(ctx, kind.prefix, rid),
    )


FORM = action_form(
    "rec_talk_fu",
    N_("Follow-up of warning talk #{id}"),
    [
        past_date_step(
            "follow_up_date",
            N_("Date of the follow-up"),
            N_("On which day was the follow-up done?"),
            _parse_done_date,
        ),
        text_step(
            "follow_up_result",
            N_("Follow-up result"),
            N_(
                "What did the follow-up find? Describe in a sentence how the problems were corrected (or what is still open)."
            ),
        ),
    ],
    _finish,
)


async def start(ctx: Ctx, rid: int) -> None:
    """The talk's "Record follow-up" button (writers only)."""
    talk: WarningTalk = (await load_writable(ctx, KINDS[RecordType.TALK], rid)).record
    data: Data = {"_edit": rid, "_version": talk.version, "talk_date": talk.talk_date.isoformat()}
    await FORM.start(ctx, data)
