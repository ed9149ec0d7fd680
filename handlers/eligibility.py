"""/eligible [PERSON]: may this person be rated advanced this year, may he or she be promoted now?

Collects the person's warning talks, handlings in accountability cases and own assessment
results, lets :mod:`handlers.eligibility_rules` compute the bars, and shows each reason with
its dates and the rule-base entry behind it. Without an argument a person checks himself
or herself; staff check people in their scope.
"""

from __future__ import annotations

from handlers.context import Ctx, button, rows
from handlers.domain import Person
from handlers.domain_records import HandlingCategory
from handlers.eligibility_rules import (
    AssessmentFact,
    Bar,
    Effect,
    Eligibility,
    OpenEnd,
    Source,
    evaluate,
)
from handlers.errors import NotFound
from handlers.i18n import N_
from handlers.ports import UnitOfWork
from handlers.records_common import READ_ROLES, fmt_date, person_label, record_id
from handlers.router import Router
from knowledge.sanctions import SanctionCatalogue, load_sanctions

router = Router()
PREFIX = "el"


async def person_facts(
    uow: UnitOfWork, person_id: int, catalogue: SanctionCatalogue
) -> tuple[list[Effect], list[AssessmentFact]]:
    """A person's effects and assessment results, read from the records (live ones only).

    Organisational handlings count only when the catalogue has a kind with the same code
    (today: ``warning_talk``); discipline kinds always count, and unknown ones are flagged.
    """
    effects = [
        Effect(catalogue.warning_talk.code, Source.TALK, t.id, t.talk_date)
        for t in await uow.records.talks.for_person(person_id)
    ]
    for h in await uow.records.cases.handlings_of(person_id):
        if h.category == HandlingCategory.DISCIPLINE or catalogue.get(h.kind) is not None:
            effects.append(Effect(h.kind, Source.CASE, h.case_id, h.effective_on))
    facts = [
        AssessmentFact(a.id, a.year, a.assessed_on, a.result.value == "failed")
        for a in await uow.records.assessments.for_person(person_id)
    ]
    return effects, facts


@router.command(
    "eligible",
    N_("May a person be rated advanced this year or promoted now? /eligible [PERSON]"),
    private_only=True,
    order=48,
)
async def eligible(ctx: Ctx) -> None:
    """Check oneself (no argument) or a person in the staff scope."""
    text = ctx.req.args.strip().lstrip("#＃").strip()
    if not text:
        await show_eligibility(ctx, ctx.me)
        return
    paths = ctx.me.scope_paths(*READ_ROLES)
    people = await ctx.uow.people.find(text, paths) if paths else []
    exact = [p for p in people if p.name == text or str(p.id) == text]
    chosen = exact if len(exact) == 1 else people
    if not chosen:
        raise NotFound(ctx._("No person “{text}” found within your scope.", text=text[:40]))
    if len(chosen) == 1:
        await show_eligibility(ctx, chosen[0])
        return
    keyboard = [[button(await person_label(ctx, p.id), f"{PREFIX}:{p.id}")] for p in chosen[:8]]
    ctx.reply(ctx._("Several people match. Whom do you mean?"), rows(*keyboard))


@router.button(PREFIX, private_only=True)
async def eligible_button(ctx: Ctx, args: list[str]) -> None:
    """``el:PERSON_ID`` from the choice above; the id is re-checked against the scope."""
    pid = record_id(ctx, args, 0)
    person = await ctx.uow.people.get(pid)
    unit = await ctx.uow.units.get(person.unit_id) if person else None
    if person is None or unit is None or not person.active:
        raise NotFound(ctx._("No person “{text}” found within your scope.", text=f"#{pid}"))
    if person.id != ctx.me.id and not ctx.me.can_see(unit, *READ_ROLES):
        raise NotFound(ctx._("No person “{text}” found within your scope.", text=f"#{pid}"))
    await show_eligibility(ctx, person)


async def show_eligibility(ctx: Ctx, person: Person) -> None:
    """Compute and show the answer for ``person`` today (in the configured time zone)."""
    catalogue = load_sanctions()
    effects, facts = await person_facts(ctx.uow, person.id, catalogue)
    today = ctx.local_now.date()
    result = evaluate(today, effects, facts, catalogue)
    await ctx.audit("eligibility.viewed", "person", person.id, person.unit_id)
    ctx.reply(await render(ctx, person, result, catalogue))


async def render(
    ctx: Ctx, person: Person, result: Eligibility, catalogue: SanctionCatalogue
) -> str:
    """The answer as text: both questions, every reason with dates and its rule."""
    lines = [
        ctx._(
            "{person} — as of {date}",
            person=await person_label(ctx, person.id),
            date=fmt_date(result.as_of),
        ),
        "",
    ]
    verdicts = (
        (ctx._("Rated advanced in {year}:", year=result.as_of.year), result.advanced),
        (ctx._("Promotion now:"), result.promotion),
    )
    for title, bars in verdicts:
        verdict = ctx._("❌ not possible") if bars else ctx._("✅ nothing on record prevents it")
        lines.append(f"{title} {verdict}")
        for bar in bars:
            lines += _bar_lines(ctx, bar, catalogue)
        lines.append("")
    for code in result.unknown_kinds:
        lines.append(
            ctx._(
                "⚠️ The kind “{kind}” is not in the rule base; please check it by hand.", kind=code
            )
        )
    lines.append(
        ctx._(
            "Only records kept in this assistant are considered; the decision of the organisation department prevails."
        )
    )
    return "\n".join(lines).strip()


def _bar_lines(ctx: Ctx, bar: Bar, catalogue: SanctionCatalogue) -> list[str]:
    kind = catalogue.get(bar.kind)
    name = kind.name(ctx.t.language) if kind else bar.kind
    source = {
        Source.TALK: ctx._("warning talk #{id}", id=bar.record_id),
        Source.CASE: ctx._("accountability case #{id}", id=bar.record_id),
        Source.ASSESSMENT: ctx._("assessment result #{id}", id=bar.record_id),
    }[bar.source]
    if bar.end is not None:
        span = ctx._("from {start} to {end}", start=fmt_date(bar.start), end=fmt_date(bar.end))
    elif bar.open_end == OpenEnd.PERMANENT:
        span = ctx._("from {start}, with no end", start=fmt_date(bar.start))
    else:
        span = ctx._("from {start} until a later assessment is passed", start=fmt_date(bar.start))
    # A talk's source already names the kind ("warning talk #3").
    what = source if bar.source == Source.TALK else f"{name}（{source}）"
    out = [f"  • {what} {span}"]
    entry = ctx.services.kb.entries.get(bar.entry) if ctx.services.kb else None
    if entry is not None:
        out.append(
            "    " + ctx._("Rule: 【{title}】 {source}", title=entry.title, source=entry.source)
        )
    else:
        out.append("    " + ctx._("Rule: {entry}", entry=bar.entry))
    return out
