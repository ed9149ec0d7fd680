"""The education-month closed-book test (/test) and practice at any time (/quiz).

Questions go out one at a time as polls (quiz polls in practice; regular polls in the
test, where a quiz poll would show the right option on voting); answers come back as poll
answers routed to the ``quizans`` button prefix (handlers/core/app.py). A poll carries a token ``qzATTEMPT-INDEX``:
Telegram front ends store poll id → token when the poll is sent (Assistant.remember_poll);
the console sends the token itself as the poll id. Both are accepted. A test nobody
finishes is closed at its deadline by the dispatcher loop (handlers/quiz/close.py).

Practice says right or wrong, why, and the rule after every answer; the test stays silent
about answers until it is over, then reviews them with the score (handlers/quiz/feedback.py).
"""

from __future__ import annotations

import random
import re
from dataclasses import replace
from datetime import date, datetime, timedelta

from handlers.calendar.events import year_events
from handlers.core.context import Ctx
from handlers.core.domain import Role
from handlers.core.errors import NotFound, UserError
from handlers.core.i18n import N_
from handlers.core.router import Router
from handlers.core.types import QuizReply
from handlers.org.people import find_people
from handlers.org.roles import CADRE_ROLES
from handlers.quiz.domain import QuizAttempt
from handlers.quiz.feedback import answer_feedback, reading, review
from handlers.quiz.ports import quiz_of
from knowledge.quiz import MAX_EXPLANATION, QuizQuestion, quiz_bank

router = Router()

TEST_QUESTIONS = 10
TEST_MINUTES = 20
PRACTICE_QUESTIONS = 5
#: An unfinished practice round younger than this is resumed by /quiz.
PRACTICE_RESUME = timedelta(hours=1)
#: Telegram lets a poll stay open at most this long.
MAX_OPEN_SECONDS = 600
QUIZ_EVENT = "education_month"
#: The day the closed-book test closes (knowledge/data/calendar.yaml).
TEST_DEADLINE_EVENT = "education_test"
TOKEN = re.compile(r"^qz(\d{1,12})-(\d{1,3})$")

_rng = random.SystemRandom()


def token(attempt_id: int, index: int) -> str:
    """The token a quiz poll carries."""
    return f"qz{attempt_id}-{index}"


async def test_window(ctx: Ctx) -> tuple[date, date]:
    """When the closed-book test may be started this year: from the education month's first
    day to the test deadline (the education_test event, which the plan keeps inside the
    month), or to the month's last day when there is no deadline event. Dates are the
    administrators' where set, else the defaults."""
    events = {e.spec.code: e for e in await year_events(ctx.uow, ctx.local_now.year)}
    month = events.get(QUIZ_EVENT)
    if month is None:
        raise AssertionError("calendar has no education_month event")
    deadline = events.get(TEST_DEADLINE_EVENT)
    last = min(deadline.starts_on, month.last_day) if deadline else month.last_day
    return month.starts_on, last


def score_of(attempt: QuizAttempt) -> int:
    """Correct answers so far."""
    bank = quiz_bank()
    return sum(
        1
        for qid, a in zip(attempt.question_ids, attempt.answers, strict=True)
        if a is not None and qid in bank and bank[qid].correct == a
    )


def _question_reply(ctx: Ctx, attempt: QuizAttempt, index: int) -> QuizReply:
    q: QuizQuestion = quiz_bank()[attempt.question_ids[index]]
    # Telegram shows a quiz poll's explanation as soon as it is answered: in the test that
    # would give the reasoning away to be passed on, so it waits for the end-of-test review.
    explanation = ""
    if attempt.practice:
        kb = ctx.services.kb
        entry = kb.entries.get(q.entry) if kb else None
        cite = ctx._("Source: {title}", title=entry.title) if entry else ""
        explanation = q.explanation
        if cite and len(explanation) + len(cite) + 1 <= MAX_EXPLANATION:
            explanation = f"{explanation}\n{cite}"
    open_seconds = None
    if attempt.deadline_at is not None:
        left = int((attempt.deadline_at - ctx.now).total_seconds())
        open_seconds = max(5, min(MAX_OPEN_SECONDS, left))
    return QuizReply(
        question=f"({index + 1}/{len(attempt.question_ids)}) {q.question}",
        options=q.options,
        correct_index=q.correct,
        explanation=explanation[:MAX_EXPLANATION],
        open_seconds=open_seconds,
        token=token(attempt.id, index),
        # The test shows no right answer until it is over (see QuizReply.reveal).
        reveal=attempt.practice,
    )


def summary(head: str, *sections: list[str]) -> str:
    """The end-of-quiz message: the score line, then each non-empty section after a blank
    line (blank lines keep the review and the reading list apart on a phone screen)."""
    return "\n\n".join([head, *("\n".join(lines) for lines in sections if lines)])


def finished(attempt: QuizAttempt, at: datetime) -> QuizAttempt:
    """The attempt closed at ``at``, scored (practice is never scored)."""
    return replace(attempt, finished_at=at, score=None if attempt.practice else score_of(attempt))


async def _finish(ctx: Ctx, attempt: QuizAttempt, timed_out: bool = False) -> QuizAttempt:
    # A test that ran out of time ends at its deadline, however late the next answer came.
    at = attempt.deadline_at if timed_out and attempt.deadline_at is not None else ctx.now
    done = finished(attempt, at)
    if not await quiz_of(ctx.uow).finish(done):
        ctx.reply(ctx._("This test is already finished."))  # the dispatcher closed it
        return attempt
    score = score_of(attempt)
    total = len(attempt.question_ids)
    kb = ctx.services.kb
    if attempt.practice:
        head = ctx._(
            "Practice finished: {score} of {total} correct (not recorded). /quiz to practise again.",
            score=score,
            total=total,
        )
        # Each answer was already explained as it came: only the reading list is new.
        ctx.reply(summary(head, reading(ctx.t, kb, attempt)))
        return done
    await ctx.audit("quiz.test_finished", "quiz_attempt", attempt.id, ctx.me.unit_id, score=score)
    if timed_out:
        head = ctx._("Time is up. Your score: {score} of {total}.", score=score, total=total)
    else:
        head = ctx._("Test finished. Your score: {score} of {total}.", score=score, total=total)
    ctx.reply(summary(head, review(ctx.t, attempt), reading(ctx.t, kb, attempt)))
    return done


async def _expired(ctx: Ctx, attempt: QuizAttempt) -> bool:
    return attempt.deadline_at is not None and ctx.now > attempt.deadline_at


async def _start(ctx: Ctx, practice: bool) -> None:
    bank = quiz_bank()
    n = PRACTICE_QUESTIONS if practice else TEST_QUESTIONS
    ids = tuple(_rng.sample(sorted(bank), min(n, len(bank))))
    attempt = await quiz_of(ctx.uow).start(
        QuizAttempt(
            id=0,
            person_id=ctx.me.id,
            year=ctx.local_now.year,
            practice=practice,
            question_ids=ids,
            answers=(None,) * len(ids),
            started_at=ctx.now,
            deadline_at=None if practice else ctx.now + timedelta(minutes=TEST_MINUTES),
        )
    )
    if practice:
        ctx.reply(ctx._("Practice: {n} questions, no time limit, nothing recorded.", n=len(ids)))
    else:
        await ctx.audit("quiz.test_started", "quiz_attempt", attempt.id, ctx.me.unit_id)
        ctx.reply(
            ctx._(
                "Closed-book test: {n} questions, {minutes} minutes from now. Good luck!",
                n=len(ids),
                minutes=TEST_MINUTES,
            )
            + "\n"
            + ctx._("Right answers and explanations are shown only after the test is over.")
        )
    ctx.send(_question_reply(ctx, attempt, 0))


@router.command("quiz", N_("Practise with quiz questions (no score recorded)"), private_only=True)
async def quiz_command(ctx: Ctx) -> None:
    """Start a practice round at any time; a round begun in the last hour and not finished
    goes on where it stopped (a poll lost in the chat should not cost the round)."""
    recent = [
        a
        for a in await quiz_of(ctx.uow).attempts(ctx.me.id, ctx.local_now.year, practice=True)
        if a.finished_at is None
        and a.next_index is not None
        and ctx.now - a.started_at < PRACTICE_RESUME
    ]
    if recent:
        attempt = max(recent, key=lambda a: a.started_at)
        index = attempt.next_index
        assert index is not None
        ctx.reply(
            ctx._(
                "Your practice round is still open: question {n} of {total}. (/quiz again after it for a new round.)",
                n=index + 1,
                total=len(attempt.question_ids),
            )
        )
        ctx.send(_question_reply(ctx, attempt, index))
        return
    await _start(ctx, practice=True)


@router.command(
    "test",
    N_(
        "The education-month closed-book test: /test (scores: /test scores; admins: /test allow PERSON)"
    ),
    roles=(*CADRE_ROLES, Role.SUPERVISOR, Role.ADMIN),
    private_only=True,
)
async def test_command(ctx: Ctx) -> None:
    """Take (or resume) the timed test; sub-commands for scores and extra attempts."""
    args = ctx.req.args.split(maxsplit=1)
    if args and args[0].lower() == "allow":
        await _allow(ctx, args[1] if len(args) > 1 else "")
        return
    if args and args[0].lower() == "scores":
        await _scores(ctx)
        return
    if not ctx.me.has_role(*CADRE_ROLES):
        raise UserError(
            ctx._(
                "The test is taken by cadres and unit principals. You can see the scores with /test scores, or practise with /quiz."
            )
        )
    year = ctx.local_now.year
    attempts = await quiz_of(ctx.uow).attempts(ctx.me.id, year, practice=False)
    for a in attempts:
        if a.finished_at is None:
            if await _expired(ctx, a):
                await _finish(ctx, a, timed_out=True)
                return
            index = a.next_index
            if index is not None:
                ctx.reply(ctx._("Your test is still running; here is the next question."))
                ctx.send(_question_reply(ctx, a, index))
                return
    start, end = await test_window(ctx)
    today = ctx.local_now.date()
    if not start <= today <= end:
        text = ctx._(
            "The closed-book test is open during the education month ({start} to {end}). You can practise any time with /quiz.",
            start=start.isoformat(),
            end=end.isoformat(),
        )
        own = await own_score_line(ctx, year)  # after the month: what one scored
        ctx.reply(f"{own}\n{text}" if own else text)
        return
    allowed = 1 + await quiz_of(ctx.uow).allowance(ctx.me.id, year)
    if len(attempts) >= allowed:
        best = max((a.score or 0 for a in attempts), default=0)
        ctx.reply(
            ctx._(
                "You have already taken this year's test (score {score} of {total}). An administrator can allow another attempt.",
                score=best,
                total=TEST_QUESTIONS,
            )
        )
        return
    await _start(ctx, practice=False)


async def _allow(ctx: Ctx, text: str) -> None:
    if not ctx.me.has_role(Role.ADMIN):
        raise UserError(
            ctx._("Sorry, your role does not allow this. Send /help to see what you can do.")
        )
    text = text.strip()
    if not text:
        raise UserError(ctx._("Usage: /test allow PERSON (name or id)"))
    found = await find_people(ctx, text, ctx.me.scope_paths(Role.ADMIN))
    exact = [p for p in found if p.name == text or str(p.id) == text]
    matches = exact or found
    if len(matches) != 1:
        raise NotFound(ctx._("No such person in your units (or the name is ambiguous)."))
    person = matches[0]
    year = ctx.local_now.year
    _, end = await test_window(ctx)
    if ctx.local_now.date() > end:
        # An extra attempt after the test has closed could never be used.
        raise UserError(
            ctx._(
                "This year's test closed on {end}, so another attempt could not be used. Nothing was changed.",
                end=end.isoformat(),
            )
        )
    extra = await quiz_of(ctx.uow).allow_more(person.id, year, ctx.me.id)
    await ctx.audit("quiz.attempt_allowed", "person", person.id, person.unit_id, extra=extra)
    ctx.reply(
        ctx.t.n_(
            "{name} may take the test {n} more time this year.",
            "{name} may take the test {n} more times this year.",
            extra,
            name=person.name,
        )
    )


async def own_score_line(ctx: Ctx, year: int) -> str | None:
    """The person's own best score of ``year``'s test, or None when they took none."""
    done = [
        a
        for a in await quiz_of(ctx.uow).attempts(ctx.me.id, year, practice=False)
        if a.finished_at is not None
    ]
    if not done:
        return None
    return ctx.t.n_(
        "Your closed-book test {year}: best score {score}/{total} ({n} attempt).",
        "Your closed-book test {year}: best score {score}/{total} ({n} attempts).",
        len(done),
        year=year,
        score=max(a.score or 0 for a in done),
        total=TEST_QUESTIONS,
    )


async def _scores(ctx: Ctx) -> None:
    roles = (Role.UNIT_HEAD, Role.SUPERVISOR, Role.ADMIN)
    if not ctx.me.has_role(*roles):
        # A cadre sees their own score (the unit's list is for those who oversee it).
        year = ctx.local_now.year
        own = await own_score_line(ctx, year)
        ctx.reply(own or ctx._("You have not taken the closed-book test of {year}.", year=year))
        return
    year = ctx.local_now.year
    rows = await quiz_of(ctx.uow).scores(ctx.me.scope_paths(*roles), year)
    await ctx.audit("quiz.scores_viewed", "quiz", year, None, rows=len(rows))
    lines = [ctx._("Closed-book test {year}: best score per person", year=year)]
    lines.extend(
        ctx.t.n_(
            "· {name}: {score}/{total} ({n} attempt)",
            "· {name}: {score}/{total} ({n} attempts)",
            n,
            name=name,
            score=s,
            total=TEST_QUESTIONS,
        )
        for _, name, s, n in rows
    )
    if not rows:
        lines.append(ctx._("Nobody in your units has taken the test yet."))
    ctx.reply("\n".join(lines))


@router.button("quizans")
async def quiz_answer(ctx: Ctx, args: list[str]) -> None:
    """A poll answer: ``[poll id or token, "i,j"]``."""
    if len(args) != 2:
        return
    poll = args[0]
    tok = await quiz_of(ctx.uow).token_for(poll) or poll
    m = TOKEN.match(tok)
    if m is None:
        return  # a poll that is not ours: nothing to say
    attempt = await quiz_of(ctx.uow).get(int(m.group(1)))
    index = int(m.group(2))
    if attempt is None or attempt.person_id != ctx.me.id:
        return
    if attempt.finished_at is not None:
        ctx.reply(ctx._("This test is already finished."))
        return
    if await _expired(ctx, attempt):
        await _finish(ctx, attempt, timed_out=True)
        return
    if attempt.next_index != index:
        return  # an answer to an earlier poll, sent twice
    options = [int(x) for x in args[1].split(",") if x.strip().isdecimal()]
    if not options:
        return  # a retracted vote
    answers = list(attempt.answers)
    answers[index] = options[0]
    attempt = replace(attempt, answers=tuple(answers))
    await quiz_of(ctx.uow).save(attempt)
    if attempt.practice:
        question = quiz_bank().get(attempt.question_ids[index])
        if question is not None:
            ctx.reply(answer_feedback(ctx.t, ctx.services.kb, question, options[0]))
    following = attempt.next_index
    if following is None:
        await _finish(ctx, attempt)
    else:
        ctx.send(_question_reply(ctx, attempt, following))
