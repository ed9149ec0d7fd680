"""Warning talks (诫勉谈话): /talk records one, /talks lists them; open, edit, follow up.

The effect period shown with a talk comes from the sanction catalogue (kind
``warning_talk`` in knowledge/data/sanctions.yaml), counted from the day of the talk.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from handlers.core.context import Ctx, button, rows
from handlers.core.errors import UserError
from handlers.core.forms import Data, Parser, Step, StepForm
from handlers.core.i18n import N_
from handlers.core.router import Router
from handlers.eligibility.rules import period_last_day
from handlers.org.people import person_in_scope, record_number
from handlers.records.common import (
    WRITE_ROLES,
    Access,
    add_revision,
    label,
    live_person_in_scope,
    person_label,
    person_ref,
    record_buttons,
    require,
    save_changes,
    show_ref,
)
from handlers.records.domain import RecordType, WarningTalk
from handlers.records.engine import list_command, on_record, open_record, press
from handlers.records.inputs import (
    fmt_date,
    from_iso,
    read_date,
    read_past_date,
    read_text,
    show_date,
    today_choice,
)
from handlers.records.kind import (
    Detail,
    Listing,
    RecordKind,
    load_readable,
    register,
)
from knowledge.sanctions import load_sanctions
from knowledge.talk_reasons import load_talk_reasons

router = Router()
PREFIX = "tk"
STATUSES = ("open", "closed")

FIELDS = {
    "person_id": N_("Person talked to"),
    "unit_id": N_("Unit"),
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


def _label(ctx: Ctx, key: str) -> str:
    """The translated label of a field (keeps message extraction to the N_() above)."""
    return ctx._(FIELDS[key])


async def _own(ctx: Ctx, talk: WarningTalk) -> bool:
    return talk.person_id == ctx.me.id


def reason_name(ctx: Ctx, code: str) -> str:
    """The reason's name in the person's language (the code if the file no longer has it)."""
    reason = load_talk_reasons().by_code.get(code)
    return reason.name(ctx.t.language) if reason else code


def status_names(ctx: Ctx) -> dict[str, str]:
    """Names of the talk list filters."""
    return {"open": ctx._("follow-up pending"), "closed": ctx._("followed up")}


# -- the form ------------------------------------------------------------------------------------
async def _parse_person(ctx: Ctx, text: str, data: Data) -> dict[str, Any]:
    person = await person_in_scope(ctx, text, *WRITE_ROLES)
    if person.id == ctx.me.id:
        raise UserError(ctx._("You cannot record this about yourself."))
    return await person_ref(ctx, person)


async def _parse_talk_date(ctx: Ctx, text: str, data: Data) -> str:
    return read_past_date(ctx, text).isoformat()


async def _parse_reason(ctx: Ctx, text: str, data: Data) -> str:
    reason = load_talk_reasons().find(text)
    if reason is None:
        raise UserError(ctx._("Please choose one of the reasons with the buttons."))
    return reason.code


async def _parse_follow_up(ctx: Ctx, text: str, data: Data) -> str:
    """The talk form's follow-up date: planned (any day from the talk on) until the follow-up
    is recorded, then the day it was done (not in the future)."""
    value = read_date(ctx, text)
    talk_date = from_iso(data.get("talk_date"))
    if talk_date and value < talk_date:
        raise UserError(ctx._("The follow-up date cannot be before the talk."))
    if data.get("_followed_up") and value > ctx.local_now.date():
        raise UserError(done_in_future_message(ctx, value))
    return value.isoformat()


def done_in_future_message(ctx: Ctx, value: date) -> str:
    """Why a follow-up that was done cannot carry a date still to come."""
    return ctx._(
        "{date} is still to come, but a follow-up is recorded only once it has been done: please give the day it was done. To plan a follow-up, edit the talk and set its follow-up date instead.",
        date=fmt_date(value),
    )


def _follow_up_prompt(ctx: Ctx, data: Data) -> str:
    if data.get("_followed_up"):
        return ctx._("On which day was the follow-up done?")
    return ctx._("When will the follow-up be? (a date; Skip if not yet decided)")


def _text_parser(max_len: int) -> Parser:
    """A step parser for free text of at most ``max_len`` characters."""

    async def parse(ctx: Ctx, text: str, data: Data) -> str:
        return read_text(ctx, text, max_len=max_len)

    return parse


def _reason_choices(ctx: Ctx, data: Data) -> list[tuple[str, str]]:
    return [(r.name(ctx.t.language), r.code) for r in load_talk_reasons().all()]


TALK_STEPS = [
    Step(
        "person",
        label(FIELDS["person_id"]),
        label(N_("Who was talked to? Type the person's name (or the person number, such as P28).")),
        _parse_person,
        show=show_ref,
    ),
    Step(
        "talk_date",
        label(FIELDS["talk_date"]),
        label(N_("On which day was the talk held? (e.g. 2026-03-10)")),
        _parse_talk_date,
        choices=today_choice,
        show=show_date,
    ),
    Step("place", label(FIELDS["place"]), label(N_("Where was the talk held?")), _text_parser(200)),
    Step(
        "talker",
        label(FIELDS["talker"]),
        label(N_("Who held the talk? (name and post)")),
        _text_parser(100),
    ),
    Step(
        "note_taker",
        label(FIELDS["note_taker"]),
        label(N_("Who took the notes?")),
        _text_parser(100),
    ),
    Step(
        "reason",
        label(FIELDS["reason"]),
        label(N_("What was the reason for the talk?")),
        _parse_reason,
        choices=_reason_choices,
        show=lambda ctx, v: reason_name(ctx, v),
    ),
    Step(
        "summary",
        label(FIELDS["summary"]),
        label(N_("Summarise the talk: the problems pointed out and what was required.")),
        _text_parser(2000),
    ),
    Step(
        "response",
        label(FIELDS["response"]),
        label(N_("How did the person respond? (explanation, commitments)")),
        _text_parser(2000),
    ),
    Step(
        "follow_up_date",
        label(FIELDS["follow_up_date"]),
        _follow_up_prompt,
        _parse_follow_up,
        show=show_date,
        skippable=True,
    ),
]


def _values(data: Data, person_unit: int) -> dict[str, Any]:
    return {
        "person_id": int(data["person"]["id"]),
        "unit_id": person_unit,
        "talk_date": from_iso(data["talk_date"]),
        "place": data["place"],
        "talker": data["talker"],
        "note_taker": data["note_taker"],
        "reason": data["reason"],
        "summary": data["summary"],
        "response": data["response"],
        "follow_up_date": from_iso(data.get("follow_up_date")),
    }


async def _validate(ctx: Ctx, data: Data) -> dict[str, Any]:
    """Re-check everything at confirmation (edits can make earlier answers inconsistent)."""
    person = await live_person_in_scope(ctx, int(data["person"]["id"]), *WRITE_ROLES)
    if person.id == ctx.me.id:
        raise UserError(ctx._("You cannot record this about yourself."))
    values = _values(data, person.unit_id)
    if values["talk_date"] > ctx.local_now.date():
        raise UserError(
            ctx._("That date is in the future; please give the date on which it happened.")
        )
    if values["follow_up_date"] and values["follow_up_date"] < values["talk_date"]:
        raise UserError(ctx._("The follow-up date cannot be before the talk."))
    if values["reason"] not in load_talk_reasons().by_code:
        raise UserError(ctx._("Please choose one of the reasons with the buttons."))
    return values


async def _finish(ctx: Ctx, data: Data) -> None:
    values = await _validate(ctx, data)
    if data.get("_edit"):
        await _finish_edit(ctx, data, values)
        return
    talk = await ctx.uow.records.talks.add(
        WarningTalk(id=0, created_by=ctx.me.id, created_at=ctx.now, **values)
    )
    await add_revision(ctx, RecordType.TALK, talk.id, "create")
    await ctx.audit("talk.created", "talk", talk.id, talk.unit_id)
    ctx.reply(
        ctx._("Warning talk #{id} recorded.", id=talk.id),
        rows([button(ctx._("Open"), f"{PREFIX}:o:{talk.id}")]),
    )


async def _finish_edit(ctx: Ctx, data: Data, values: dict[str, Any]) -> None:
    rid = int(data["_edit"])
    loaded, access = await load_readable(ctx, KIND, rid)
    require(ctx, access.write)
    old = _current(loaded.record)
    done = values["follow_up_date"]
    if loaded.record.followed_up and done and done > ctx.local_now.date():
        raise UserError(done_in_future_message(ctx, done))
    if values["person_id"] == old["person_id"]:
        # Same person: the talk stays with the unit it was held in, even after a transfer.
        values["unit_id"] = old["unit_id"]
    changed = await save_changes(
        ctx, RecordType.TALK, rid, int(data["_version"]), old, values, ctx.uow.records.talks.update
    )
    if changed is None:
        return
    await ctx.audit("talk.edited", "talk", rid, values["unit_id"], fields=changed)
    ctx.reply(
        ctx._("Warning talk #{id} saved.", id=rid) if changed else ctx._("Nothing was changed."),
        rows([button(ctx._("Open"), f"{PREFIX}:o:{rid}")]),
    )


def _current(talk: WarningTalk) -> dict[str, Any]:
    return {k: getattr(talk, k) for k in FIELDS}


def _title(ctx: Ctx, data: Data) -> str:
    if data.get("_edit"):
        return ctx._("Edit warning talk #{id}", id=data["_edit"])
    return ctx._("New warning talk")


TALK_FORM = StepForm("rec_talk", _title, TALK_STEPS, _finish, roles=WRITE_ROLES)
router.add_form(TALK_FORM)


# -- follow-up (the talk's "close" step) ---------------------------------------------------------
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


async def _finish_follow_up(ctx: Ctx, data: Data) -> None:
    rid = int(data["_edit"])
    loaded, access = await load_readable(ctx, KIND, rid)
    require(ctx, access.write)
    talk: WarningTalk = loaded.record
    done = from_iso(data["follow_up_date"])
    if done is None:
        raise UserError(ctx._("Please give a date like 2026-03-10 (or “today”)."))
    # Checked again against the stored talk and today's date (another instance's clock).
    _check_done_date(ctx, done, talk.talk_date)
    values = {"follow_up_date": done, "follow_up_result": data["follow_up_result"]}
    changed = await save_changes(
        ctx,
        RecordType.TALK,
        rid,
        int(data["_version"]),
        _current(talk),
        values,
        ctx.uow.records.talks.update,
        action="follow_up",
    )
    if changed is None:
        return
    await ctx.audit("talk.followed_up", "talk", rid, talk.unit_id, fields=changed)
    ctx.reply(
        ctx._("Follow-up of warning talk #{id} recorded.", id=rid),
        rows([button(ctx._("Open"), f"{PREFIX}:o:{rid}")]),
    )


FOLLOW_UP_FORM = StepForm(
    "rec_talk_fu",
    lambda ctx, d: ctx._("Follow-up of warning talk #{id}", id=d.get("_edit", "")),
    [
        Step(
            "follow_up_date",
            label(N_("Date of the follow-up")),
            label(N_("On which day was the follow-up done?")),
            _parse_done_date,
            choices=today_choice,
            show=show_date,
        ),
        Step(
            "follow_up_result",
            label(FIELDS["follow_up_result"]),
            label(N_("What did the follow-up find? Has the person corrected the problems?")),
            _text_parser(2000),
        ),
    ],
    _finish_follow_up,
    roles=WRITE_ROLES,
)
router.add_form(FOLLOW_UP_FORM)


# -- commands ------------------------------------------------------------------------------------
@router.command(
    "talk", N_("Record a warning talk (诫勉谈话)"), roles=WRITE_ROLES, private_only=True, order=40
)
async def talk_command(ctx: Ctx) -> None:
    """Start the warning-talk form, pre-filling the person when a name is given."""
    number = record_number(ctx.req.args)
    if number is not None:  # "#13" is a record number everywhere: open that record
        await open_record(ctx, KIND, number)
        return
    if ctx.req.args:
        person = await _parse_person(ctx, ctx.req.args, {})
        await TALK_FORM.start(ctx, {"person": person}, at="talk_date")
        return
    await TALK_FORM.start(ctx)


@router.command(
    "talks",
    N_("Warning talks: /talks [UNIT] [YEAR] [open|closed]"),
    private_only=True,
    order=41,
)
async def talks_command(ctx: Ctx) -> None:
    """List talks in the scope (staff) or one's own talks (everyone else)."""
    await list_command(ctx, KIND)


async def _line(ctx: Ctx, t: WarningTalk) -> tuple[str, str]:
    who = await person_label(ctx, t.person_id)
    mark = "✅" if t.followed_up else "⏳"
    return f"#{t.id} {fmt_date(t.talk_date)} {who} {mark}", f"#{t.id} {fmt_date(t.talk_date)} {who}"


@router.button(PREFIX, private_only=True)
async def talk_button(ctx: Ctx, args: list[str]) -> None:
    """o: open, e: edit, f: follow-up, h: history, d: delete, l: list page, n: new."""
    await press(ctx, KIND, args)


async def _new(ctx: Ctx, args: list[str]) -> None:
    require(ctx, ctx.me.has_role(*WRITE_ROLES))
    await TALK_FORM.start(ctx)


async def _detail(ctx: Ctx, talk: WarningTalk, access: Access) -> Detail:
    """A talk with its effect period; a follow-up button until it is recorded."""
    rid = talk.id
    kind = load_sanctions().warning_talk
    end = period_last_day(talk.talk_date, kind.promotion_months) if kind.promotion_months else None
    entry = ctx.services.kb.entries.get(kind.entry) if ctx.services.kb else None
    lines = [
        ctx._("Warning talk #{id}", id=rid),
        f"{_label(ctx, 'person_id')}: {await person_label(ctx, talk.person_id)}",
        f"{_label(ctx, 'talk_date')}: {fmt_date(talk.talk_date)}",
        f"{_label(ctx, 'place')}: {talk.place}",
        f"{_label(ctx, 'talker')}: {talk.talker}",
        f"{_label(ctx, 'note_taker')}: {talk.note_taker}",
        f"{_label(ctx, 'reason')}: {reason_name(ctx, talk.reason)}",
        f"{_label(ctx, 'summary')}: {talk.summary}",
        f"{_label(ctx, 'response')}: {talk.response}",
        f"{_label(ctx, 'follow_up_date')}: {fmt_date(talk.follow_up_date)}",
        f"{_label(ctx, 'follow_up_result')}: {talk.follow_up_result or '—'}",
        ctx._("Effect period: {start} to {end}", start=fmt_date(talk.talk_date), end=fmt_date(end))
        + (f"（{entry.title}）" if entry else ""),
    ]
    keyboard = []
    if access.write and not talk.followed_up:
        keyboard.append([button(ctx._("📝 Record follow-up"), f"{PREFIX}:f:{rid}")])
    keyboard += record_buttons(ctx, PREFIX, rid, access)
    return lines, keyboard


async def _start_edit(ctx: Ctx, rid: int) -> None:
    loaded, access = await load_readable(ctx, KIND, rid)
    require(ctx, access.write)
    talk: WarningTalk = loaded.record
    person = await ctx.uow.people.get(talk.person_id)
    data: Data = {
        "person": await person_ref(ctx, person) if person else {"id": talk.person_id},
        "talk_date": talk.talk_date.isoformat(),
        "place": talk.place,
        "talker": talk.talker,
        "note_taker": talk.note_taker,
        "reason": talk.reason,
        "summary": talk.summary,
        "response": talk.response,
        "follow_up_date": talk.follow_up_date.isoformat() if talk.follow_up_date else None,
        "_followed_up": talk.followed_up,  # the date is then the day it was done
        "_edit": rid,
        "_version": talk.version,
    }
    await ctx.audit("talk.viewed", "talk", rid, talk.unit_id, purpose="edit")
    await TALK_FORM.open_review(ctx, data)


async def _start_follow_up(ctx: Ctx, rid: int) -> None:
    loaded, access = await load_readable(ctx, KIND, rid)
    require(ctx, access.write)
    talk: WarningTalk = loaded.record
    data: Data = {"_edit": rid, "_version": talk.version, "talk_date": talk.talk_date.isoformat()}
    await FOLLOW_UP_FORM.start(ctx, data)


KIND = register(
    RecordKind(
        RecordType.TALK,
        PREFIX,
        N_("Warning talk"),
        FIELDS,
        lambda uow: uow.records.talks,
        own=_own,
        display=lambda ctx, field, value: reason_name(ctx, value) if field == "reason" else None,
        listing=Listing(
            "talks",
            N_("Warning talks: /talks [UNIT] [YEAR] [open|closed]"),
            41,
            N_("Warning talks"),
            N_("➕ New talk"),
            STATUSES,
            status_names,
            _line,
        ),
        detail=_detail,
        actions={
            "n": _new,
            "e": on_record(_start_edit),
            "f": on_record(_start_follow_up),
        },
    )
)


__all__ = ["TALK_FORM", "router"]
