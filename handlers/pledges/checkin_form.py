"""The check-in form: item by item status, explanation and evidence, then review and confirm.

Item by item the cadre chooses kept / partly kept / not kept, explains briefly and may add
evidence: a photo or document (Telegram; the front end's file reference is kept) or a typed
note (any front end, including the console). Nothing is stored until the cadre confirms; at
that moment :func:`handlers.pledges.calendar.checkin_mode` decides again whether the report is
accepted (on time, late, early with a permit, or a change while the window is open).

The number of steps depends on the number of pledge items, so this is a small form of its
own rather than a :class:`handlers.core.forms.StepForm`; it keeps the same buttons (``f:back``,
``f:cancel``, ``f:skip``, ``f:c:…``, ``f:edit:…``, ``f:ok``) and stores its state the same way.
"""

from __future__ import annotations

import copy
from typing import Any

from handlers.calendar.domain import Period
from handlers.calendar.windows import Window, pledge_calendar
from handlers.core.context import Ctx, button, rows
from handlers.core.domain import FormState
from handlers.core.errors import UserError
from handlers.core.form_labels import edit_target
from handlers.core.form_questions import (
    ask_whether_answer,
    looks_like_question,
    offer_answer_on_review,
)
from handlers.core.forms import PENDING, REVIEW
from handlers.core.router import Access
from handlers.core.typed_words import back_word, confirm_word
from handlers.core.types import AttachmentKind, Keyboard
from handlers.org.roles import CADRE_ROLES
from handlers.pledges.calendar import CheckinMode, checkin_mode
from handlers.pledges.checkin_answers import (
    MAX_TEXT_CHARS,
    entries_from_data,
    entry_data,
    parse_status,
    step_keyboard,
    step_keys,
)
from handlers.pledges.checkin_text import question_aside, store_text
from handlers.pledges.domain import (
    Checkin,
    CheckinEntry,
    EvidenceKind,
    NewCheckin,
    Pledge,
)
from handlers.pledges.form_checks import refuse_after_appraisal, today
from handlers.pledges.ports import checkins_of, pledges_of
from handlers.pledges.status import CheckinChance
from handlers.pledges.text import code_name, evidence_text, send_long

FORM_NAME = "pledge_checkin"
Data = dict[str, Any]


class CheckinForm:
    """The check-in form; see the module docstring."""

    name = FORM_NAME
    access = Access(frozenset(CADRE_ROLES), private_only=True)

    # -- entry points ---------------------------------------------------------------------
    async def start(self, ctx: Ctx, chance: CheckinChance) -> None:
        """Begin a new check-in, or open an existing one on its review screen."""
        pledge = chance.pledge
        await refuse_after_appraisal(ctx, pledge, chance.checkin)
        data: Data = {
            "pledge_id": pledge.id,
            "year": pledge.year,
            "period": chance.window.period.value,
            "items": list(pledge.items),
            "entries": [{} for _ in pledge.items],
            "late": chance.mode == CheckinMode.LATE,
        }
        if chance.checkin is not None:
            data["checkin_id"] = chance.checkin.id
            data["checkin_version"] = chance.checkin.version  # refused if changed meanwhile
            if len(chance.checkin.entries) == len(pledge.items):
                data["entries"] = [entry_data(e) for e in chance.checkin.entries]
                await self._review(ctx, data)
                return
            # The pledge was corrected since (items added or removed): report afresh.
            ctx.reply(
                ctx._(
                    "Your pledge was corrected after you reported; please report on each item again."
                )
            )
        await self._go(ctx, "s0", data)

    async def _on_review_text(self, ctx: Ctx, state: FormState, data: dict[str, Any]) -> None:
        """Text typed on the review screen: 确认 confirms, a question is offered an answer,
        anything else is pointed to the buttons."""
        if confirm_word(ctx.req.text):
            await self.on_button(ctx, state, ["ok"])
            return
        # 修改第1条 / 改第2项 / edit item 2: the item's Edit button, typed.
        items = [(ctx._("Edit item {n}", n=i + 1), str(i)) for i in range(len(data["items"]))]
        item = edit_target(ctx.req.text, items, numbered=True)
        if item is not None:
            await self.on_button(ctx, state, ["edit", item])
            return
        if looks_like_question(ctx.req.text):
            offer_answer_on_review(ctx, ctx.req.text, self._review_buttons(ctx, data))
            return
        ctx.reply(
            ctx._("Please use the buttons to confirm, edit or cancel."),
            self._review_buttons(ctx, data),
        )

    async def on_input(self, ctx: Ctx, state: FormState) -> None:
        """Typed text or a file for the current step."""
        data = copy.deepcopy(state.data)
        step = state.step
        if step == REVIEW:
            await self._on_review_text(ctx, state, data)
            return
        if back_word(ctx.req.text):  # "上一步" typed: the ◀ Back button, never an answer
            await self.on_button(ctx, state, ["back"])
            return
        kind, index = step[0], int(step[1:])
        entry = data["entries"][index]
        attachment = ctx.req.attachment
        if attachment is not None and kind != "v":
            raise UserError(ctx._("A file is not expected here; please type your answer."))
        if kind == "s":
            status = _typed_status(ctx, step)
            if status is None:
                return
            entry["status"] = status
        elif attachment is not None:
            kind_ = (
                EvidenceKind.PHOTO
                if attachment.kind == AttachmentKind.PHOTO
                else EvidenceKind.DOCUMENT
            )
            entry["evidence"] = {
                "kind": kind_.value,
                "ref": attachment.file_ref,
                "name": attachment.file_name[:100],
            }
        elif await question_aside(ctx, self.name, step, data, ctx.req.text.strip()):
            return
        else:
            try:
                store_text(ctx, kind, entry, ctx.req.text, data["entries"][:index])
            except UserError as refused:  # with Back / Skip / Cancel, as the forms do
                raise UserError(refused.message, step_keyboard(ctx, step)) from None
        data.pop(PENDING, None)
        await self._next(ctx, step, data)

    async def on_button(self, ctx: Ctx, state: FormState, args: list[str]) -> None:
        """Back, cancel, skip, a status choice, edit and confirm."""
        data = copy.deepcopy(state.data)
        step = state.step
        action = args[0] if args else ""
        if action == "cancel":
            await ctx.clear_form()
            ctx.reply(ctx._("Cancelled. Nothing was saved."), edit=True)
            return
        if step == REVIEW:
            if action == "ok":
                await self._finish(ctx, data)
                await ctx.clear_form()
            elif action == "edit" and len(args) > 1 and args[1].isdecimal():
                index = int(args[1])
                if index >= len(data["items"]):
                    raise UserError(ctx._("That button is no longer valid."))
                data["_editing"] = True
                data["_edit_before"] = copy.deepcopy(data["entries"][index])
                await self._go(ctx, f"s{index}", data)
            else:
                await self._review(ctx, data)
            return
        kind, index = step[0], int(step[1:])
        if action == "back" and kind == "s" and data.pop("_editing", False):
            # Back from an item opened with 修改第N条: the review, the item as it was (it
            # had gone to the item before's evidence).
            data["entries"][index] = data.pop("_edit_before", data["entries"][index])
            await self._review(ctx, data)
        elif action == "back":
            order = step_keys(len(data["items"]))
            await self._go(ctx, order[max(order.index(step) - 1, 0)], data)
        elif action == "c" and kind == "s" and len(args) > 1:
            data["entries"][index]["status"] = parse_status(ctx, args[1]).value
            await self._next(ctx, step, data)
        elif action == "use" and isinstance(data.get(PENDING), str):
            # The text set aside as a question is the answer after all.
            earlier = data["entries"][:index]
            store_text(ctx, kind, data["entries"][index], data.pop(PENDING), earlier)
            await self._next(ctx, step, data)
        elif action == "skip" and kind == "v":
            data["entries"][index]["evidence"] = None
            await self._next(ctx, step, data)
        else:
            await self._prompt(ctx, step, data)  # a stale button: show where the person is

    # -- navigation -----------------------------------------------------------------------
    async def _next(self, ctx: Ctx, step: str, data: Data) -> None:
        order = step_keys(len(data["items"]))
        position = order.index(step) + 1
        editing_done = step.startswith("v") and data.pop("_editing", False)
        if editing_done:
            data.pop("_edit_before", None)
        if editing_done or position >= len(order):
            await self._review(ctx, data)
        else:
            await self._go(ctx, order[position], data)

    async def _go(self, ctx: Ctx, step: str, data: Data) -> None:
        await ctx.save_form(self.name, step, data)
        await self._prompt(ctx, step, data)

    async def _prompt(self, ctx: Ctx, step: str, data: Data) -> None:
        kind, index = step[0], int(step[1:])
        total = len(data["items"])
        head = ctx._(
            "{year} {period} check-in — item {n} of {total}:",
            period=code_name(ctx.t, Period(data["period"])),
            year=data["year"],
            n=index + 1,
            total=total,
        )
        text = f"{head}\n«{data['items'][index]}»\n\n"
        if kind == "s":
            text += ctx._("How was it kept?")
        elif kind == "x":
            text += ctx._("Briefly explain (at most {n} characters).", n=MAX_TEXT_CHARS)
        else:
            text += ctx._(
                "Send a photo or a document as evidence, or type a short note. Press Skip if there is none."
            )
        ctx.reply(text, step_keyboard(ctx, step))

    async def _review(self, ctx: Ctx, data: Data) -> None:
        await ctx.save_form(self.name, REVIEW, data)
        period = code_name(ctx.t, Period(data["period"]))
        if data.get("late"):
            title = ctx._(
                "Your {period} check-in for {year} (late: the window has closed):",
                period=period,
                year=data["year"],
            )
        else:
            title = ctx._("Your {period} check-in for {year}:", period=period, year=data["year"])
        lines = [title, ""]
        for i, (item, entry) in enumerate(
            zip(data["items"], entries_from_data(data), strict=True), 1
        ):
            lines.append(f"{i}. {item}")
            lines.append(f"   → {code_name(ctx.t, entry.status)}: {entry.explanation}")
            ev = evidence_text(ctx.t, entry.evidence)
            if ev:
                lines.append(f"   {ev}")
        lines += ["", ctx._("Please check, then confirm.")]
        send_long(ctx, "\n".join(lines), self._review_buttons(ctx, data))

    def _review_buttons(self, ctx: Ctx, data: Data) -> Keyboard:
        edits = [
            button(ctx._("Edit item {n}", n=i + 1), f"f:edit:{i}")
            for i in range(len(data["items"]))
        ]
        return rows(
            [button(ctx._("✅ Confirm"), "f:ok"), button(ctx._("Cancel"), "f:cancel")],
            *[edits[i : i + 3] for i in range(0, len(edits), 3)],
        )

    # -- storing --------------------------------------------------------------------------
    async def _finish(self, ctx: Ctx, data: Data) -> None:
        """Store the check-in if it is (still) allowed today."""
        pledge = await pledges_of(ctx.uow).get(int(data["pledge_id"]))
        if pledge is None or pledge.person_id != ctx.me.id:
            raise UserError(ctx._("That form is no longer open. Start again with its command."))
        if list(pledge.items) != data["items"]:
            await ctx.clear_form()
            ctx.reply(
                ctx._("Your pledge was corrected meanwhile. Please start again with /checkin.")
            )
            return
        period = Period(data["period"])
        window, existing, mode = await self._allowed_today(ctx, pledge, period)
        entries = entries_from_data(data)
        if existing is not None:
            if not await self._update(ctx, existing, entries, data.get("checkin_version")):
                await ctx.clear_form()
                ctx.reply(
                    ctx._(
                        "Your {period} check-in for {year} was changed meanwhile (by someone else or on another device), so nothing was saved. Please open it again with /checkin.",
                        period=code_name(ctx.t, period),
                        year=pledge.year,
                    )
                )
                return
            late = existing.late
        else:
            late = mode == CheckinMode.LATE
            await self._add(ctx, pledge, period, entries, late)
        if late:
            after = ctx._(
                "It is marked late: the window closed on {date}.", date=window.end.isoformat()
            )
        else:
            after = ctx._("You can change it until {date}.", date=window.end.isoformat())
        ctx.reply(
            ctx._(
                "✅ Your {period} check-in for {year} is recorded.",
                period=code_name(ctx.t, period),
                year=pledge.year,
            )
            + "\n"
            + after
        )

    async def _allowed_today(
        self, ctx: Ctx, pledge: Pledge, period: Period
    ) -> tuple[Window, Checkin | None, CheckinMode]:
        """The window, the check-in already made for it and what may be done today;
        refused once nothing may be done any more."""
        calendar = await pledge_calendar(ctx.uow)
        window = calendar.window(pledge.year, period)
        day = today(ctx)
        existing = next(
            (c for c in await checkins_of(ctx.uow).for_pledge(pledge.id) if c.period == period),
            None,
        )
        await refuse_after_appraisal(ctx, pledge, existing)
        permits = await checkins_of(ctx.uow).permits(pledge.person_id, pledge.year)
        mode = checkin_mode(window, existing, any(p.period == period for p in permits), day)
        if mode is None:
            raise UserError(
                ctx._(
                    "The {period} check-in window for {year} closed on {date}; the check-in can no longer be changed.",
                    period=code_name(ctx.t, period),
                    year=pledge.year,
                    date=window.end.isoformat(),
                )
            )
        return window, existing, mode

    async def _update(
        self, ctx: Ctx, existing: Checkin, entries: list[CheckinEntry], seen: Any
    ) -> bool:
        """Change a check-in made before; False when it was changed meanwhile.

        Only the version this form was opened on (``seen``) may be changed: a check-in made
        or changed meanwhile (another device) is never overwritten.
        """
        if seen is None or not await checkins_of(ctx.uow).update(
            existing.id, entries, ctx.now, int(seen)
        ):
            return False
        evidence = sum(1 for e in entries if e.evidence is not None)
        await ctx.audit(
            "checkin.updated", "checkin", existing.id, ctx.me.unit_id, evidence=evidence
        )
        return True

    async def _add(
        self, ctx: Ctx, pledge: Pledge, period: Period, entries: list[CheckinEntry], late: bool
    ) -> None:
        """Record a new check-in."""
        new = NewCheckin(pledge.id, ctx.me.id, period, tuple(entries), late)
        checkin = await checkins_of(ctx.uow).add(new, ctx.now)
        await ctx.audit(
            "checkin.submitted",
            "checkin",
            checkin.id,
            ctx.me.unit_id,
            year=pledge.year,
            period=period.value,
            late=late,
            evidence=sum(1 for e in entries if e.evidence is not None),
        )


CHECKIN_FORM = CheckinForm()


def _typed_status(ctx: Ctx, step: str) -> str | None:
    """The status typed at a status step, or None when it is none: a question typed there
    gets an answer offered, a slip the refusal; either way the choices come again, the same
    as the other forms' choice steps."""
    try:
        return parse_status(ctx, ctx.req.text).value
    except UserError as refusal:
        keyboard = step_keyboard(ctx, step)
        if looks_like_question(ctx.req.text):
            ask_whether_answer(ctx, ctx._("status"), ctx.req.text.strip(), False, keyboard)
        else:
            ctx.reply(str(refusal), keyboard)
        return None
