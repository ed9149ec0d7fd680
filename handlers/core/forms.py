"""A small engine for guided multi-step forms with back, cancel, review, edit and confirm.

State lives in the database (:class:`handlers.core.ports.ConversationStore`), so a form
survives a restart; nothing is stored in the domain tables until the person confirms,
and an abandoned form leaves nothing behind but its own state row.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import Any

from handlers.core.context import Ctx, button, rows
from handlers.core.domain import FormState, Role
from handlers.core.errors import UserError
from handlers.core.form_items import (
    ITEM_AT,
    ITEM_IN_LIST,
    KEPT,
    back_from_item,
    change_item,
    item_replaced,
    item_request,
    kept_hint,
    looks_like_edit,
    refuse_edit_request,
    without_item,
)
from handlers.core.form_labels import choice_by_label, edit_target, pending_choice
from handlers.core.form_presets import answer_presets
from handlers.core.form_questions import (
    answers_step,
    ask_whether_answer,
    looks_like_question,
    offer_answer_on_review,
)
from handlers.core.form_review import ECHOED, prompt_text, review_buttons, review_text
from handlers.core.form_steps_check import refuse_other_steps_label
from handlers.core.non_answers import refuse_non_answer
from handlers.core.router import Access
from handlers.core.typed_words import (
    back_word,
    confirm_word,
    done_word,
    normalise,
)
from handlers.core.types import Button

Data = dict[str, Any]
Parser = Callable[[Ctx, str, Data], Awaitable[Any]]
Text = Callable[[Ctx, Data], str]
Choices = Callable[[Ctx, Data], Sequence[tuple[str, str]]]

REVIEW = "_review"
#: A form idle this long asks whether typed text is its answer before storing it.
STALE_FORM = timedelta(hours=2)
MAX_FIELD_TEXT = 2000
#: Text waiting for the person to say whether it is the field's value or a question.
PENDING = "_pending"
#: Typed words that mean "skip this field" (for a field that may be skipped).
SKIP_WORDS = frozenset(
    {"跳过", "略过", "无", "没有", "暂无", "不填", "skip", "none", "no", "n/a", "na", "nil", "-"}
)


@dataclass(frozen=True)
class Step:
    """One question of a form.

    ``parse`` turns the person's text into the stored value or raises :class:`UserError`;
    ``choices`` (label, value) become buttons whose value is passed to ``parse`` as text.
    ``multi`` steps collect a list of lines until the person presses "done".
    ``skippable`` may depend on what was entered before (a note required only when a
    report is returned, for example): then it is a function of the form's data.
    """

    key: str
    label: Text
    prompt: Text
    parse: Parser
    choices: Choices | None = None
    multi: tuple[int, int] | None = None
    show: Callable[[Ctx, Any], str] = lambda ctx, value: str(value)
    accepts_attachment: bool = False
    skippable: bool | Callable[[Data], bool] = False

    def may_skip(self, data: Data) -> bool:
        """Whether this step may be left empty, given what the form holds so far."""
        return self.skippable(data) if callable(self.skippable) else self.skippable


@dataclass
class StepForm:
    """A form made of steps, ending with a review screen and a confirm button."""

    name: str
    title: Text
    steps: list[Step]
    finish: Callable[[Ctx, Data], Awaitable[None]]
    roles: tuple[Role, ...] = ()
    access: Access = field(init=False)

    def __post_init__(self) -> None:
        self.access = Access(frozenset(self.roles), private_only=True)
        self._index = {s.key: i for i, s in enumerate(self.steps)}

    # -- entry points -----------------------------------------------------------------------
    async def start(self, ctx: Ctx, data: Data | None = None, at: str | None = None) -> None:
        """Begin the form (optionally pre-filled, optionally at a given step)."""
        # Through _go: a step answered ahead (a preset) is read, not asked.
        await self._go(ctx, self._index[at] if at else 0, dict(data or {}))

    async def open_review(self, ctx: Ctx, data: Data) -> None:
        """Open the form straight on its review screen, pre-filled (to edit a stored record)."""
        await self.show_review(ctx, data)

    async def on_input(self, ctx: Ctx, state: FormState) -> None:
        """Free text or a file for the current step."""
        data = dict(state.data)
        if state.step == REVIEW:
            if confirm_word(ctx.req.text):
                await self.on_button(ctx, state, ["ok"])
                return
            items = next((s for s in self.steps if s.multi), None)
            wanted = item_request(ctx.req.text) if items is not None else None
            if items is not None and wanted is not None:  # 改第2项 / 删掉第3条: one item
                await change_item(self, ctx, items, data, wanted)
                return
            fields = [(s.label(ctx, data), s.key) for s in self.steps]
            listed = items.key if items is not None else None
            key = edit_target(ctx.req.text, fields, numbered=items is None, items_key=listed)
            if key is not None:  # "修改日期" typed instead of pressing its Edit button
                await self.on_button(ctx, state, ["edit", key])
                return
            if looks_like_question(ctx.req.text):
                offer_answer_on_review(ctx, ctx.req.text, self.review_buttons(ctx))
                return
            ctx.reply(
                ctx._("Please use the buttons to confirm, edit or cancel."),
                self.review_buttons(ctx),
            )
            return
        step = self.steps[self._index[state.step]]
        try:
            if ctx.req.attachment is not None:
                if not step.accepts_attachment:
                    raise UserError(ctx._("A file is not expected here; please type your answer."))
                await self._accept(ctx, step, data, ctx.req.attachment.file_ref)
                return
            await self._on_text(ctx, state, step, data, ctx.req.text.strip())
        except UserError as refused:
            if any(b.data == "f:cancel" for row in refused.buttons for b in row):
                raise
            # The step's buttons come with the refusal, after any it offers (Cancel above
            # all: "跳过 is not possible here; press Cancel" had shown no Cancel to press).
            keyboard = (*refused.buttons, *self.step_buttons(ctx, step, data))
            raise UserError(refused.message, keyboard) from refused

    async def _on_text(self, ctx: Ctx, state: FormState, step: Step, data: Data, text: str) -> None:
        """Typed text for ``step``: a choice's label, a skip or done word, a question, or the
        value itself; what is not an answer is refused (see :func:`refuse_non_answer`)."""
        if not text:
            raise UserError(ctx._("Please type an answer, or press Cancel."))
        if back_word(text):  # "上一步" typed: the ◀ Back button, never the field's value
            await self.on_button(ctx, state, ["back"])
            return
        pending = data.get(PENDING)
        picked = pending_choice(ctx, text) if isinstance(pending, str) else None
        if isinstance(pending, str) and picked is not None:  # a button's label, typed
            if picked == "use":
                await self.on_button(ctx, state, ["use"])
            elif ctx.router is not None and "ask" in ctx.router.commands:
                ctx.req = replace(ctx.req, text=pending)  # the form stays where it was
                await ctx.router.commands["ask"].handler(ctx)
            return
        if len(text) > MAX_FIELD_TEXT:
            raise UserError(ctx._("That is too long (at most {n} characters).", n=MAX_FIELD_TEXT))
        if step.choices:  # a button's label typed (无 / None is a choice of some steps)
            chosen = choice_by_label(text, step.choices(ctx, data), partial=not step.multi)
            if chosen is not None:
                data.pop(PENDING, None)
                await self._accept(ctx, step, data, chosen)
                return
        if normalise(text) in SKIP_WORDS:
            if not step.may_skip(data):
                # Never store "跳过" as the answer of a step that needs one.
                raise UserError(
                    ctx._(
                        "This one is needed and cannot be skipped; please type it, or press Cancel."
                    )
                )
            data[step.key] = None
            await self._advance(ctx, step, data)
            return
        if step.multi and done_word(text):
            await self.on_button(ctx, state, ["done"])  # typed instead of pressing Done
            return
        if await self._edit_request(ctx, step, data, text):
            return
        refuse_non_answer(
            ctx, text, step.label(ctx, data), buttons=not step.multi and bool(step.choices)
        )
        await refuse_other_steps_label(ctx, self.steps, step, data, text)
        stale = ctx.now - state.updated_at > STALE_FORM
        if looks_like_question(text) or stale:
            data[PENDING] = text
            await ctx.save_form(self.name, step.key, data)
            # A question the step would refuse anyway (a choice step) is not offered as the
            # answer; the step's own buttons come instead.
            usable = await answers_step(ctx, step.parse, text, data)
            steps = () if usable else self.step_buttons(ctx, step, data)
            ask_whether_answer(ctx, step.label(ctx, data), text, stale, steps)
            return
        data.pop(PENDING, None)
        await self._accept(ctx, step, data, text)

    async def _edit_request(self, ctx: Ctx, step: Step, data: Data, text: str) -> bool:
        """Carry out 改第2项 typed at a list step (True); refuse a request to change anything
        typed where a form with a list waits for an answer (修改公开日期 as an item)."""
        if step.multi and (wanted := item_request(text)) is not None:  # never an item
            in_list = bool(data.get(ITEM_IN_LIST)) if ITEM_AT in data else True
            await change_item(self, ctx, step, data, wanted, in_list=in_list)
            return True
        if any(s.multi for s in self.steps) and looks_like_edit(text):
            refuse_edit_request(ctx, text, step.label(ctx, data))
        return False

    async def on_button(self, ctx: Ctx, state: FormState, args: list[str]) -> None:
        """Handle back / cancel / skip / done / choice / edit / confirm buttons."""
        data = dict(state.data)
        action = args[0] if args else ""
        if action == "cancel":
            await ctx.clear_form()
            ctx.reply(ctx._("Cancelled. Nothing was saved."), edit=True)
            return
        if state.step == REVIEW:
            await self._on_review_button(ctx, data, action, args)
            return
        step = self.steps[self._index[state.step]]
        if action == "again":  # back to the form after a question (its step's buttons)
            await self.prompt(ctx, state.step, data)
            return
        if action == "t" and len(args) > 1:
            # A suggestion's button (高峰 offered for 高锋): exactly as if its text were typed.
            ctx.req = replace(ctx.req, text=":".join(args[1:]), callback_data=None)
            await self.on_input(ctx, state)
            return
        if ITEM_AT in data and action in ("back", "done"):  # the item being changed stays
            await back_from_item(self, ctx, step, data)
            return
        if action == "back" and data.pop("_editing", False):  # an Edit left: the review as it was
            if KEPT in data:
                data[step.key] = data.pop(KEPT)
            await self.show_review(ctx, data)
            return
        if (
            step.multi
            and KEPT in data
            and (action == "back" or (action == "done" and not data.get(step.key)))
        ):
            data[step.key] = data.pop(KEPT)  # Back, or Done with nothing new: the list as it was
        if action == "back":
            await self._go(ctx, self._index[step.key] - 1, data)
        elif action == "use" and isinstance(data.get(PENDING), str):
            await self._accept(ctx, step, data, data.pop(PENDING))
        elif action == "skip" and step.may_skip(data):
            data[step.key] = None
            await self._advance(ctx, step, data)
        elif action == "done" and step.multi:
            items = data.get(step.key) or []
            low = step.multi[0]
            if len(items) < low:
                raise UserError(
                    ctx._("Please enter at least {n} items.", n=low) + kept_hint(ctx, data)
                )
            data.pop(KEPT, None)  # the new list replaces the old one
            await self._advance(ctx, step, data)
        elif action == "c" and len(args) > 1 and step.choices:
            values = {v for _, v in step.choices(ctx, data)}
            if args[1] not in values:
                raise UserError(ctx._("That choice is no longer available."))
            await self._accept(ctx, step, data, args[1])
        else:
            # A stale button from an earlier screen: show where the person is now.
            await self.prompt(ctx, step.key, data)

    async def _on_review_button(self, ctx: Ctx, data: Data, action: str, args: list[str]) -> None:
        """Confirm or edit a field on the review screen (anything else shows it again)."""
        if action == "ok":
            try:
                await self.finish(ctx, data)
            except UserError as refused:
                if refused.buttons:
                    raise
                # Refused at confirmation (a follow-up before the talk): the form is
                # still on its review, so its Edit buttons come with the reason.
                raise UserError(refused.message, self.review_buttons(ctx)) from None
            await ctx.clear_form()
            return
        if action == "edit" and len(args) > 1 and args[1] in self._index:
            data["_editing"] = True
            if self.steps[self._index[args[1]]].multi:
                # Re-entered from scratch, the old list kept aside: Done with nothing
                # new keeps it (the items had been wiped unseen).
                data[KEPT] = data.get(args[1]) or []
                data[args[1]] = []
            await ctx.save_form(self.name, args[1], data)
            await self.prompt(ctx, args[1], data)
            return
        await self.show_review(ctx, data)

    # -- internals --------------------------------------------------------------------------
    async def _accept(self, ctx: Ctx, step: Step, data: Data, text: str) -> None:
        try:
            value = await step.parse(ctx, text, without_item(step, data))
        except UserError as refused:
            if refused.buttons:
                raise
            # A refused value comes with the step's buttons (its choices, Back, Skip, Cancel):
            # "please choose with the buttons" came alone after a question kept as the
            # answer, and 85/10/10's question left no way back but typing.
            raise UserError(refused.message, self.step_buttons(ctx, step, data)) from None
        if step.multi and ITEM_AT in data:  # one item changed (改第2项)
            await item_replaced(self, ctx, step, data, value)
            return
        if step.multi:
            items = list(data.get(step.key) or [])
            high = step.multi[1]
            if len(items) >= high:
                raise UserError(ctx._("At most {n} items; press Done to continue.", n=high))
            items.append(value)
            data[step.key] = items
            await ctx.save_form(self.name, step.key, data)
            if len(items) >= high:  # the last one allowed: said kept before moving on
                ctx.reply(ctx._("Item {n} noted; that is the most there can be.", n=len(items)))
                await self._advance(ctx, step, data)
            else:
                ctx.reply(
                    ctx._("Item {n} noted. Send the next one, or press Done.", n=len(items)),
                    self.step_buttons(ctx, step, data),
                )
            return
        data[step.key] = value
        await self._advance(ctx, step, data)

    async def _advance(self, ctx: Ctx, step: Step, data: Data) -> None:
        if data.pop("_editing", False):
            await self.show_review(ctx, data)
            return
        await self._go(ctx, self._index[step.key] + 1, data)

    async def _go(self, ctx: Ctx, index: int, data: Data) -> None:
        index = await answer_presets(ctx, self.steps, max(index, 0), data, ECHOED)
        if index >= len(self.steps):
            await self.show_review(ctx, data)
            return
        key = self.steps[index].key
        await ctx.save_form(self.name, key, data)
        await self.prompt(ctx, key, data)

    async def prompt(self, ctx: Ctx, key: str, data: Data) -> None:
        """Ask ``key``'s question (with whom the form is about, and a list's items so far)."""
        index = self._index[key]
        before = self.steps[index - 1] if index else None
        text = prompt_text(ctx, self.steps[index], before, data)
        ctx.reply(text, self.step_buttons(ctx, self.steps[index], data))

    def step_buttons(self, ctx: Ctx, step: Step, data: Data) -> tuple[tuple[Button, ...], ...]:
        if step.multi and ITEM_AT in data:  # one item's new text awaited: keep it, or leave
            return rows([button(ctx._("◀ Back"), "f:back"), button(ctx._("Cancel"), "f:cancel")])
        choice_rows: list[list[Button]] = []
        if step.choices:
            for label, value in step.choices(ctx, data):
                choice_rows.append([button(label, f"f:c:{value}")])
        nav = []
        if self._index[step.key] > 0 or (step.multi and KEPT in data):
            nav.append(button(ctx._("◀ Back"), "f:back"))
        if step.multi:
            nav.append(button(ctx._("Done ✔"), "f:done"))
        if step.may_skip(data):
            nav.append(button(ctx._("Skip"), "f:skip"))
        nav.append(button(ctx._("Cancel"), "f:cancel"))
        return rows(*choice_rows, nav)

    async def show_review(self, ctx: Ctx, data: Data) -> None:
        """Show the review screen (every answer, Confirm and Edit buttons) and wait there."""
        await ctx.save_form(self.name, REVIEW, data)
        text = review_text(ctx, self.title(ctx, data), self.steps, data)
        ctx.reply(text, self.review_buttons(ctx))

    def review_buttons(self, ctx: Ctx) -> tuple[tuple[Button, ...], ...]:
        """The review's buttons: Confirm, Cancel and one Edit per field."""
        return review_buttons(ctx, self.steps)
