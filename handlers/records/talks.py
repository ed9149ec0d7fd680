"""Warning talks (诫勉谈话): /talk records one, /talks lists them; open, edit, follow up
(talk_follow_up.py), history and deletion.

The effect period shown with a talk comes from the sanction catalogue (kind
``warning_talk`` in knowledge/data/sanctions.yaml), counted from the day of the talk.
"""

from __future__ import annotations

from typing import Any

from handlers.core.context import Ctx, button
from handlers.core.errors import UserError
from handlers.core.forms import Data
from handlers.core.i18n import N_
from handlers.org.people import person_label
from handlers.records import talk_follow_up as follow_up
from handlers.records.common import Access, effect_period, record_buttons
from handlers.records.domain import RecordType, WarningTalk
from handlers.records.engine import form_data, mount, on_record
from handlers.records.inputs import fmt_date
from handlers.records.kind import Detail, Listing, RecordForm, RecordKind, about_me, stamped
from handlers.records.ports import records_of
from handlers.records.steps import (
    name_then_date,
    past_date_step,
    person_step,
    person_text_step,
    step,
    text_step,
)
from knowledge.sanctions import load_sanctions
from knowledge.talk_reasons import load_talk_reasons

FIELDS = {
    "person_id": N_("Person talked to"),
    "talk_date": N_("Date of the talk"),
    "place": N_("Place"),
    "talker": N_("Held by"),
    "note_taker": N_("Notes taken by"),
    "reason": N_("Reason for the talk"),
    "summary": N_("Summary of the talk"),
    "response": N_("The person's response"),
    "follow_up_date": N_("Follow-up date"),
    "follow_up_result": N_("Follow-up result"),
}


def reason_name(ctx: Ctx, code: str) -> str:
    """The reason's name in the person's language (the code if the file no longer has it)."""
    reason = load_talk_reasons().by_code.get(code)
    return reason.name(ctx.t.language) if reason else code


# -- the form ------------------------------------------------------------------------------------
async def _parse_reason(ctx: Ctx, text: str, data: Data) -> str:
    reason = load_talk_reasons().find(text.replace("其它", "其他"))  # both are written
    if reason is None:
        raise UserError(
            ctx._(
                "“{text}” is not one of the listed reasons. Choose the closest, or “Other” and say what it was in the summary.",
                text=text,
            )
        )
    return reason.code


def _summary_prompt(ctx: Ctx, data: Data) -> str:
    """The summary's question; after the reason "other" it asks what the reason was, which
    no button said (the record would not tell why the talk was held)."""
    if data.get("reason") == OTHER_REASON:
        return ctx._(
            "The reason is “Other”: first say what it was, then the problems pointed out and what was required."
        )
    return ctx._("Summarise the talk: the problems pointed out and what was required.")


async def _start_with(ctx: Ctx, text: str) -> tuple[Data, str]:
    """``/talk 高峰 [昨天]``: the person, and the talk's day read when the form reaches it
    (it had been taken as part of the name)."""
    return await name_then_date(ctx, text, STEPS, "talk_date")


#: The reason code that names no reason of its own.
OTHER_REASON = "other"

STEPS = [
    person_step(
        FIELDS["person_id"],
        N_("Who was talked to? Type the person's name (or the person number, such as P28)."),
    ),
    past_date_step(
        "talk_date",
        FIELDS["talk_date"],
        N_("On which day was the talk held? (a date, or today, yesterday, last friday)"),
    ),
    text_step("place", FIELDS["place"], N_("Where was the talk held?"), 200),
    person_text_step("talker", FIELDS["talker"], N_("Who held the talk? (name and post)")),
    person_text_step("note_taker", FIELDS["note_taker"], N_("Who took the notes?")),
    step(
        "reason",
        FIELDS["reason"],
        N_("What was the reason for the talk?"),
        _parse_reason,
        lambda ctx, d: [(r.name(ctx.t.language), r.code) for r in load_talk_reasons().all()],
        reason_name,
    ),
    text_step("summary", FIELDS["summary"], _summary_prompt),
    text_step(
        "response", FIELDS["response"], N_("How did the person respond? (explanation, commitments)")
    ),
    follow_up.date_step(FIELDS["follow_up_date"]),
]


async def _check(ctx: Ctx, data: Data, values: dict[str, Any]) -> None:
    """Checks across the answers, at confirmation (edits can make them inconsistent)."""
    if values["follow_up_date"] and values["follow_up_date"] < values["talk_date"]:
        raise UserError(ctx._("The follow-up date cannot be before the talk."))
    if values["reason"] not in load_talk_reasons().by_code:
        raise UserError(ctx._("Please choose one of the reasons with the buttons."))
    if not data.get("_edit"):
        # The same form confirmed twice (a second tap, a retried message) must not record
        # the talk twice: the summaries would count it twice.
        for talk in await records_of(ctx.uow).talks.for_person(values["person_id"]):
            if talk.talk_date == values["talk_date"] and talk.reason == values["reason"]:
                raise UserError(
                    ctx._(
                        "This warning talk is already recorded as #{id} (the same person, day and reason), so nothing was saved. Open #{id} to change it.",
                        id=talk.id,
                    )
                )


# -- list and detail -----------------------------------------------------------------------------
async def _line(ctx: Ctx, t: WarningTalk) -> tuple[str, str]:
    who = await person_label(ctx, t.person_id)
    mark = "✅" if t.followed_up else "⏳"
    return f"#{t.id} {fmt_date(t.talk_date)} {who} {mark}", f"#{t.id} {fmt_date(t.talk_date)} {who}"


async def _detail(ctx: Ctx, talk: WarningTalk, access: Access) -> Detail:
    """A talk with its effect period; a follow-up button until it is recorded."""
    lines = [ctx._("Warning talk #{id}", id=talk.id)]
    lines += await KIND.lines(ctx, talk, list(FIELDS))
    lines.append(effect_period(ctx, load_sanctions().warning_talk, talk.talk_date))
    follow = [[button(ctx._("📝 Record follow-up"), f"{KIND.prefix}:f:{talk.id}")]]
    keyboard = follow if access.write and not talk.followed_up else []
    return lines, keyboard + record_buttons(ctx, KIND.prefix, talk.id, access)


KIND = RecordKind(
    RecordType.TALK,
    "tk",
    N_("Warning talk"),
    FIELDS,
    lambda uow: records_of(uow).talks,
    own=about_me,
    display={"reason": reason_name},
    listing=Listing(
        "talks",
        N_("Warning talks: /talks [UNIT] [YEAR] [open|closed]"),
        41,
        N_("Warning talks"),
        N_("➕ New talk"),
        {"open": N_("follow-up pending"), "closed": N_("followed up")},
        _line,
    ),
    detail=_detail,
    form=RecordForm(
        "rec_talk",
        (N_("New warning talk"), N_("Edit warning talk #{id}")),
        STEPS,
        stamped(WarningTalk),
        N_("Warning talk #{id} saved."),
        check=_check,
        command=("talk", N_("Record a warning talk (诫勉谈话)"), 40),
        start_with=_start_with,
        created=N_("Warning talk #{id} recorded."),
        # Once followed up, the form's follow-up date is the day it was done.
        edit_data=lambda ctx, talk: form_data(ctx, talk, STEPS, _followed_up=talk.followed_up),
        keeps_unit=True,
        before_save=follow_up.check_done,
    ),
    actions={"f": on_record(follow_up.start)},
    forms=[follow_up.FORM],
)
router = mount(KIND)
