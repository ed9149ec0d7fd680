"""Regulation Q&A: answer from the rule base with its source, clarify, or decline honestly."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import timedelta
from typing import Any

from handlers.core.context import Ctx, button, rows
from handlers.core.domain import AskedQuestion, FormState, Person, Role
from handlers.core.errors import UserError
from handlers.core.i18n import N_
from handlers.core.router import Router
from handlers.core.yes_no import ask_yes_no
from knowledge.decision import names_nothing
from knowledge.retrieval import Decision, Status
from knowledge.schema import Entry
from knowledge.small_talk import SmallTalk

router = Router()

MAX_QUESTION_CHARS = 500
#: How far back a typed 转人工 looks for the question it passes on.
PASS_LOOKBACK = timedelta(minutes=30)
# Deciding a question runs the sentence encoder (about 11 ms of C code that releases the
# GIL): on a thread of its own the event loop serves other updates meanwhile. One thread,
# because the encoder is not known to be safe to call from two at once.
_DECIDING = ThreadPoolExecutor(max_workers=1, thread_name_prefix="qa-decide")


async def rule_base_declines(ctx: Ctx, text: str) -> bool:
    """Whether the rule base has nothing for ``text`` (no answer, no options), decided on
    the one thread that runs every decision (the index is not shared across threads)."""
    kb = ctx.services.kb
    if kb is None:
        return False
    loop = asyncio.get_running_loop()
    return (await loop.run_in_executor(_DECIDING, kb.decide, text)).status == Status.NONE


@router.command("ask", N_("Ask a question about the rules: /ask QUESTION"), order=10)
async def ask(ctx: Ctx) -> None:
    """Answer ``/ask …`` (or plain text in a private chat)."""
    query = ctx.req.args.strip()
    if not query:
        ctx.reply(
            ctx._("Please put your question after /ask, for example: /ask 诫勉谈话后多久不能提拔")
        )
        return
    if len(query) > MAX_QUESTION_CHARS:
        raise UserError(ctx._("Please keep a question under {n} characters.", n=MAX_QUESTION_CHARS))
    if names_nothing(query):
        # A stray number or emoji (a quiz option typed after the quiz ended, a thumbs-up) is
        # not a question: no decline, no gap for curators, nothing to pass to staff.
        ctx.reply(ctx._("Please type your question in words, for example: 收到红包怎么办"))
        return
    kb = ctx.services.kb
    if kb is None:
        raise UserError(ctx._("The rule base is not available right now. Please try again later."))
    decision = await asyncio.get_running_loop().run_in_executor(_DECIDING, kb.decide, query)
    # A form left open: its subject helps read a terse question, and the reply says it waits.
    state = await ctx.uow.conversations.load(ctx.req.chat_id, ctx.req.user_id)
    form_open = state is not None and not state.form.startswith("_")
    if decision.status == Status.NONE and decision.small_talk is None and state and form_open:
        decision = await _within_the_form(ctx, kb, query, decision, state)
    if decision.small_talk is not None:
        # Said to the assistant, not asked of the rule base: answered in kind, and neither
        # stored nor counted as a gap (nothing is missing from the rule base).
        ctx.reply(_small_talk_reply(ctx, decision.small_talk))
        return
    best = decision.best
    asked = AskedQuestion(
        ctx.me.id,
        query,
        decision.status.value,
        best.entry.id if best and decision.status == Status.ANSWER else None,
        best.score if best else 0.0,
    )
    qid = await ctx.uow.questions.record(asked, ctx.now)
    if decision.status == Status.ANSWER and best is not None:
        _send_answer(ctx, best.entry, qid, runners_up(decision, kb.thresholds.band))
    elif decision.status == Status.CLARIFY:
        _send_clarify(ctx, decision, qid)
    elif decision.off_topic:
        _send_off_topic(ctx)
    else:
        _send_decline(ctx, qid, [c.entry for c in decision.candidates[:2]])
    if form_open:
        # Said after the answer, or the next message typed would be read as the form's
        # answer unawares (先回答这个问题).
        ctx.reply(
            ctx._(
                "📝 Your form is still open where you left it: type the answer to continue, or send “cancel” to cancel it."
            ),
            rows([button(ctx._("Continue the form"), "f:again")]),
        )


async def _within_the_form(
    ctx: Ctx, kb: Any, query: str, declined: Decision, state: FormState
) -> Decision:
    """A question asked from inside a form says little on its own (要写几条啊 in the pledge
    form): declined as it is, it is asked again with the form's title as its subject; the
    first reading stands when the second declines too."""
    form = ctx.router.forms.get(state.form) if ctx.router else None
    title = getattr(form, "title", None)
    if not callable(title):
        return declined
    try:
        # The first line names the form (您2027年的廉洁承诺); notes below it are not subjects.
        subject = str(title(ctx, state.data)).splitlines()[0]
    except (KeyError, ValueError, TypeError, IndexError):
        return declined  # a title that needs a step not answered yet: no subject to add
    again = await asyncio.get_running_loop().run_in_executor(
        _DECIDING, kb.decide, f"{subject} {query}"
    )
    return replace(again, query=query) if again.status != Status.NONE else declined


def _small_talk_reply(ctx: Ctx, talk: SmallTalk) -> str:
    if talk == SmallTalk.THANKS:
        return ctx._("You are welcome. Ask me again whenever you need.")
    if talk == SmallTalk.FAREWELL:
        return ctx._("Goodbye. I am here whenever you have a question.")
    if talk == SmallTalk.ACKNOWLEDGEMENT:
        return ctx._("All right. Ask me whenever you have a question.")
    if talk == SmallTalk.COMMAND:
        return ctx._("That looks like a command. Send /help to see the commands you can use.")
    if talk == SmallTalk.CAPABILITY:
        return ctx._(
            "I am the clean-government assistant. I answer questions on discipline and integrity rules and cite the source, keep your integrity pledge and check-ins, and remind you of the year's events and your deadlines. Just type a question, for example: 诫勉谈话后多久不能提拔. Send /help to see everything you can do."
        )
    return ctx._(
        "Hello! I am the clean-government assistant. Type a question about the rules, for example: 收到礼金怎么处理, or send /help to see what I can do."
    )


#: Shown above a rule answer in any language but Chinese (only the English text exists).
TEXT_IN_CHINESE = N_(
    "(The rule base is written in Chinese; the answer below is quoted as written.)"
)


def runners_up(decision: Decision, band: float) -> list[Entry]:
    """Other candidates of an answered question that scored close to the answer.

    The answer is given outright, but a sibling entry that nearly tied is offered as a
    related button, so a question that sat between two rules still reaches the other one.
    """
    best = decision.best
    if best is None:
        return []
    return [c.entry for c in decision.candidates[1:] if c.score >= best.score - band / 2]


def _send_answer(
    ctx: Ctx, entry: Entry, qid: int, also: list[Entry] | None = None, edit: bool = False
) -> None:
    kb = ctx.services.kb
    today = kb.current_for(entry) if kb else None
    lines = [f"【{entry.title}】"]
    if not ctx.t.chinese:
        # The rules are curated in Chinese only: said, so the reader knows why and that the
        # text is the rule base's own, not a translation that could drift from it.
        lines.append(ctx._(TEXT_IN_CHINESE))
    if entry.status == "history":
        # Said first, before the old rule, so nobody acts on it as today's.
        lines.append(ctx._("⚠️ History, not today's rule: {era}.", era=entry.era or ""))
        if today is not None:
            lines.append(ctx._("Today's rule: 【{title}】 (button below).", title=today.title))
    lines += ["", entry.answer.strip(), ""]
    if kb is not None:
        lines.append(ctx._("📖 Basis: {source}", source=kb.citation(entry)))
    text = "\n".join(lines)
    keyboard = [[button("👍", f"qa:up:{qid}"), button("👎", f"qa:down:{qid}")]]
    see_also = [e for e in (kb.entries.get(i) for i in entry.see_also) if e] if kb else []
    # Today's rule first for a history entry, then close runners-up, then the entry's own
    # cross-references; at most three.
    related: list[Entry] = []
    for e in [*([today] if today else []), *(also or []), *see_also]:
        if e.id != entry.id and all(e.id != r.id for r in related):
            related.append(e)
    related = related[: 3 if also else 2]
    keyboard += [
        [button(ctx._("Related: {title}", title=e.title), f"qa:e:{e.id}:{qid}")] for e in related
    ]
    ctx.reply(text, rows(*keyboard), edit=edit)


def _send_clarify(ctx: Ctx, decision: Decision, qid: int) -> None:
    keyboard = [[button(c.entry.title, f"qa:e:{c.entry.id}:{qid}")] for c in decision.candidates]
    keyboard.append([button(ctx._("None of these"), f"qa:no:{qid}")])
    ctx.reply(
        ctx._("I am not sure which rule you mean. Did you mean one of these?"), rows(*keyboard)
    )


def _send_decline(ctx: Ctx, qid: int, nearby: list[Entry] | None = None) -> None:
    """Decline honestly; the question stays recorded as a gap for curators (/gaps).

    ``nearby`` are covered entries that share the question's own subject words (the
    decision never passes unrelated ones): they tell the user what the rule base does
    answer close by, without pretending to answer this question.
    """
    text = ctx._(
        "Sorry, my rule base does not cover this question, so I will not guess. You could rephrase it with the key terms (for example 诫勉谈话, 承诺, 问责), or pass it to discipline-inspection staff."
    )
    keyboard = []
    if nearby:
        text += "\n" + ctx._("Nearby, I can answer:")
        keyboard += [[button(e.title, f"qa:e:{e.id}:{qid}")] for e in nearby]
    keyboard.append([button(ctx._("Pass to staff"), f"qa:esc:{qid}")])
    ctx.reply(text, rows(*keyboard))


def _send_off_topic(ctx: Ctx) -> None:
    """A message about something else altogether (天气, 帮我写个总结): say what the assistant
    is for, without rules "nearby" or an offer to pass it to staff (still logged as a gap)."""
    ctx.reply(
        ctx._(
            "That does not seem to be about the rules I know. I answer questions on discipline, integrity and accountability rules (for example 收红包怎么办, 诫勉谈话影响提拔吗), and help with pledges, records and reminders: send /help. If it is about the rules after all, rephrase it with the key terms, or type 转人工 to pass it to discipline-inspection staff."
        )
    )


@router.button("qa")
async def qa_button(ctx: Ctx, args: list[str]) -> None:
    """Feedback, clarification choices and escalation."""
    action = args[0] if args else ""
    try:
        qid = int(args[-1])
    except (ValueError, IndexError):
        ctx.reply(ctx._("That button is no longer valid."))
        return
    if action in ("up", "down"):
        ok = await ctx.uow.questions.feedback(qid, ctx.me.id, action == "up")
        ctx.reply(
            ctx._("Thank you for the feedback.") if ok else ctx._("That button is no longer valid.")
        )
    elif action == "e" and len(args) == 3:
        kb = ctx.services.kb
        entry = kb.entries.get(args[1]) if kb else None
        if entry is None:
            ctx.reply(ctx._("That button is no longer valid."))
            return
        _send_answer(ctx, entry, qid)
    elif action == "no":
        _send_decline(ctx, qid)
    elif action == "esc":
        await _ask_to_pass(ctx, qid)
    elif action == "escok":
        await _escalate(ctx, qid)
    elif action == "escno":
        ctx.reply(ctx._("Not passed on."), edit=True)
    else:
        ctx.reply(ctx._("That button is no longer valid."))


async def _ask_to_pass(ctx: Ctx, qid: int, question: str = "") -> None:
    """Say first what is passed on and to whom (the name goes with the question), and ask.
    Typed (转人工), the question is quoted: it may not be the one the person has in mind."""
    text = ctx._(
        "Your question will be passed, with your name and unit, to the discipline inspectors over your unit, who may contact you. Pass it on?"
    )
    if question:
        text = ctx._("Your question: “{question}”", question=question[:200]) + "\n" + text
    await ask_yes_no(
        ctx,
        text,
        (ctx._("Yes, pass it on"), f"qa:escok:{qid}"),
        (ctx._("No"), f"qa:escno:{qid}"),
    )


async def pass_latest_question(ctx: Ctx) -> None:
    """转给纪检监察干部 / 转人工 typed instead of pressing the button: the person's latest
    question of the last half hour is offered to staff, as the button would; without one,
    say how to do it."""
    latest = await ctx.uow.questions.latest_open(ctx.me.id, ctx.now - PASS_LOOKBACK)
    if latest is None:
        ctx.reply(
            ctx._(
                "There is no recent question of yours to pass on. Type your question first; if I cannot answer it, the reply has a button to pass it to discipline-inspection staff."
            )
        )
        return
    await _ask_to_pass(ctx, *latest)


def _nearest(staff: list[Person], unit_path: str) -> list[Person]:
    """The inspectors whose grant is on the closest unit over ``unit_path`` (a town's own
    inspectors, not the city's too): "the inspectors over your unit" are the nearest ones."""

    def depth(p: Person) -> int:
        return max(
            (len(g.unit_path) for g in p.grants
             if g.role == Role.INSPECTOR and unit_path.startswith(g.unit_path)),
            default=0,
        )  # fmt: skip

    closest = max((depth(p) for p in staff), default=0)
    return [p for p in staff if depth(p) == closest]


async def _escalate(ctx: Ctx, qid: int) -> None:
    text = await ctx.uow.questions.escalate(qid, ctx.me.id)
    if text is None:
        ctx.reply(ctx._("That button is no longer valid."))
        return
    unit = await ctx.uow.units.get(ctx.me.unit_id)
    staff = await ctx.uow.people.holders_over(unit.path, Role.INSPECTOR) if unit else []
    recipients = _nearest(
        [p for p in staff if p.telegram_user_id and p.id != ctx.me.id], unit.path if unit else ""
    )
    await ctx.audit(
        "question.escalated", "question", qid, ctx.me.unit_id, recipients=len(recipients)
    )
    for p in recipients[:5]:
        ctx.send_to(
            p.telegram_user_id,  # type: ignore[arg-type]
            ctx.t_for(p.language)._(
                "A question was passed to you by {name} ({unit}):\n{question}",
                name=ctx.me.name,
                unit=unit.name if unit else "",
                question=text,
            ),
        )
    if recipients:
        ctx.reply(ctx._("Your question has been passed to discipline-inspection staff."))
    else:
        ctx.reply(ctx._("Your question has been recorded for the rule-base curators."))
