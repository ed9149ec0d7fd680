"""Typed text at the check-in's explanation and evidence steps.

What a cadre types there becomes part of a report the unit head and the mass appraisal
read, so it is checked before it is kept: 跳过 is never an explanation, a status typed
again explains nothing, a number or an emoji alone is no answer, and a question (收了个
红包咋办, typed while the form waits) is set aside and the cadre asked whether to answer
it or use it, as the other forms do (:func:`handlers.core.form_questions.ask_whether_answer`).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from handlers.core.context import Ctx
from handlers.core.errors import UserError
from handlers.core.form_labels import pending_choice, refuse_other_steps_answer, types_a_label
from handlers.core.form_questions import ask_whether_answer, looks_like_question
from handlers.core.forms import PENDING, SKIP_WORDS
from handlers.core.non_answers import refuse_non_answer
from handlers.core.typed_words import normalise, says_nothing
from handlers.pledges.checkin_answers import clean_text, status_choices
from handlers.pledges.domain import EvidenceKind

Data = dict[str, Any]


def step_label(ctx: Ctx, kind: str) -> str:
    """The name of a text step, as refusals and the question prompt quote it."""
    return ctx._("explanation") if kind == "x" else ctx._("evidence")


async def question_aside(ctx: Ctx, form: str, step: str, data: Data, text: str) -> bool:
    """Handle ``text`` when it is about a question rather than the step's answer; True when
    it was (nothing is stored in the report then).

    A question is kept in the form's data and the cadre asked what it is; the labels of
    that prompt's buttons typed out work as the buttons do: 先回答这个问题 answers it, and
    the "use it" label puts the kept question in ``ctx.req`` for the caller to store."""
    pending = data.get(PENDING)
    if not isinstance(pending, str):
        pending = None
    picked = pending_choice(ctx, text) if pending is not None else None
    if picked == "use" and pending is not None:
        ctx.req = replace(ctx.req, text=pending)  # the question kept aside is the answer
        return False
    if picked == "ask" and pending is not None:
        if ctx.router is not None and "ask" in ctx.router.commands:
            ctx.req = replace(ctx.req, text=pending)  # the form stays where it was
            await ctx.router.commands["ask"].handler(ctx)
        return True
    if not looks_like_question(text):
        return False
    data[PENDING] = text
    await ctx.save_form(form, step, data)
    ask_whether_answer(ctx, step_label(ctx, step[0]), text, False)
    return True


#: "The same as above": the previous item's explanation, written out in this one.
SAME_AS_ABOVE = frozenset({"同上", "同上一条", "同前", "同上条", "same as above", "ditto"})
#: Words that leave the explanation out (略 = omitted): refused like 跳过.
OMITTED = frozenset({"略", "省略", "不说了", "无可说明", "nothing to add", "n/a"})
#: "See the attachment" typed where the attachment itself is expected.
ATTACHMENT_WORDS = frozenset(
    {"见附件", "详见附件", "附件", "见附图", "见图片", "see attachment", "attached", "see attached"}
)


def store_text(ctx: Ctx, kind: str, entry: Data, text: str, previous: Data | None = None) -> None:
    """Keep ``text`` as the explanation (``kind`` x) or the evidence note (v) of ``entry``,
    or raise the refusal that says why it is not one. 同上 at an explanation copies the
    previous item's (``previous``); there is none above the first item."""
    key = normalise(text)
    if key in SAME_AS_ABOVE:
        field = "explanation" if kind == "x" else "evidence"
        above = (previous or {}).get(field)
        if not above:
            raise UserError(
                ctx._("There is no explanation above this one to repeat; please write it.")
                if kind == "x"
                else ctx._(
                    "The item above has no evidence to repeat; send a file, a note, or Skip."
                )
            )
        entry[field] = above
        return
    if kind == "v" and key in ATTACHMENT_WORDS:
        # 见附件 with no file: the note would point at nothing.
        raise UserError(
            ctx._("Please send the file itself (a photo or a document), or type what it shows.")
        )
    if kind == "x" and key in OMITTED:
        raise UserError(
            ctx._("This one is needed and cannot be skipped; please type it, or press Cancel.")
        )
    skip = key in SKIP_WORDS or (kind == "v" and key in OMITTED)
    if kind == "v" and skip:
        # Typed 跳过 / 无 at the (optional) evidence step: skip it, as the button does.
        entry["evidence"] = None
        return
    if skip:
        # The explanation is what the report is for: never store 跳过 as one.
        raise UserError(
            ctx._("This one is needed and cannot be skipped; please type it, or press Cancel.")
        )
    value = clean_text(ctx, text)
    label = step_label(ctx, kind)
    refuse_non_answer(ctx, value, label, words=True)
    if says_nothing(value) or (value.isascii() and sum(ch.isalpha() for ch in value) < 3):
        # 好的谢谢, or hh / ok typed on a phone: nothing the head could read as a report.
        raise UserError(
            ctx._(
                "“{text}” says nothing the head could read as your report; please write what was done.",
                text=value,
            )
        )
    if types_a_label(value, status_choices(ctx)):
        # "kept" typed again after choosing Kept explains nothing.
        refuse_other_steps_answer(ctx, value, ctx._("status"), label)
    if kind == "x":
        entry["explanation"] = value
    else:
        entry["evidence"] = {"kind": EvidenceKind.NOTE.value, "ref": value, "name": ""}
