"""The text of an /eligible reply: both answers first, then every reason with its dates and
the rule behind it.

The reply reads on a phone: each question's first line is the answer (可以 / 不可以，至
2027-06-30 / 请人工核实), the reasons follow, each with a 依据 line naming the rule-base entry
and its document and article. Records whose period no checked text gives (organisational
handling) are listed with their rule and a request to check by hand; the annual assessment
grade effects (《公务员考核规定》, 《事业单位工作人员处分规定》) come last, each with the years
it reaches and its own rule.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from handlers.core.context import Ctx
from handlers.core.i18n import N_
from handlers.eligibility.judging import RatingYear
from handlers.eligibility.rules import Bar, Eligibility, GradeBar, OpenEnd, Source
from knowledge.sanctions import SanctionCatalogue


def iso_date(value: date) -> str:
    """Dates are shown as ISO (unambiguous in both languages)."""
    return value.isoformat()


def rating_unchecked(result: Eligibility) -> bool:
    """Whether a record with no checked period, dated by the judging day, leaves the rating
    answer to be checked by hand."""
    return any(result.judged_on is None or b.start <= result.judged_on for b in result.to_check)


def render(
    ctx: Ctx,
    label: str,
    result: Eligibility,
    catalogue: SanctionCatalogue,
    notes: list[str] | None = None,
) -> str:
    """The answer for the person shown as ``label``: both questions, every reason with dates
    and its rule."""
    lines = [ctx._("{person} — as of {date}", person=label, date=iso_date(result.as_of)), ""]
    # A record with no checked period (organisational handling) neither clears nor bars: when
    # nothing else decides, both answers say to check by hand, for the text read gives
    # neither its bar on promotion nor its effect on rating.
    unchecked_by_judging_day = rating_unchecked(result)
    verdicts = (
        (
            ctx._("Rated advanced for {year}:", year=result.rating_year),
            result.advanced,
            notes,
            unchecked_by_judging_day,
            None,
        ),
        (ctx._("Promotion now:"), result.promotion, None, bool(result.to_check), result.promotion),
    )
    for title, bars, extra, unchecked, promotion in verdicts:
        verdict = ctx._("❌ not possible") if bars else ctx._("✅ nothing on record prevents it")
        if not bars and unchecked:
            verdict = ctx._("⚠️ check by hand (see below)")
        if promotion and result.promotion_until is not None:
            # The answer first: not possible, and until when.
            verdict = ctx._("❌ not possible until {date}", date=iso_date(result.promotion_until))
        lines.append(f"{title} {verdict}")
        for bar in bars:
            lines += _bar_lines(ctx, bar, catalogue)
        lines += extra or []
        if promotion:
            lines += _pay_step_lines(ctx, promotion, catalogue)
        lines.append("")
    lines += _to_check_lines(ctx, result.to_check, catalogue)
    lines += _grade_lines(ctx, result.rating_year, result.grade, catalogue)
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


def _name(ctx: Ctx, code: str, catalogue: SanctionCatalogue) -> str:
    kind = catalogue.get(code)
    return kind.name(ctx.t.language) if kind else code


def _rule_line(ctx: Ctx, entry_id: str) -> str:
    """``依据：【title】《document》article`` for a rule-base entry (its id when not loaded)."""
    kb = ctx.services.kb
    entry = kb.entries.get(entry_id) if kb else None
    if kb is None or entry is None:
        return ctx._("Rule: {entry}", entry=entry_id)
    return ctx._("Rule: 【{title}】 {source}", title=entry.title, source=kb.citation(entry))


def _bar_lines(ctx: Ctx, bar: Bar, catalogue: SanctionCatalogue) -> list[str]:
    source = {
        Source.TALK: ctx._("warning talk #{id}", id=bar.record_id),
        Source.CASE: ctx._("accountability case #{id}", id=bar.record_id),
        Source.ASSESSMENT: ctx._("assessment result #{id}", id=bar.record_id),
    }[bar.source]
    if bar.end is not None:
        span = ctx._("from {start} to {end}", start=iso_date(bar.start), end=iso_date(bar.end))
    elif bar.open_end == OpenEnd.PERMANENT:
        span = ctx._("from {start}, with no end", start=iso_date(bar.start))
    else:
        span = ctx._("from {start} until a later assessment is passed", start=iso_date(bar.start))
    # A talk's source already names the kind ("warning talk #3").
    what = (
        source
        if bar.source == Source.TALK
        else ctx.t.aside(_name(ctx, bar.kind, catalogue), source)
    )
    out = [f"  • {what} {span}"]
    if bar.stacked:
        out.append(
            "    "
            + ctx._(
                "Includes the unexpired rest of the earlier party sanction's period (2023 regulations, article 21)."
            )
        )
    out.append("    " + _rule_line(ctx, bar.entry))
    return out


def _pay_step_lines(ctx: Ctx, bars: Sequence[Bar], catalogue: SanctionCatalogue) -> list[str]:
    """Sanctions that also stop pay-step rises in their period, with the last day."""
    lines = []
    for bar in bars:
        kind = catalogue.get(bar.kind)
        if kind is None or not kind.pay_step or bar.end is None:
            continue
        law = (
            "《国有企业管理人员处分条例》第十四条"
            if kind.family == "enterprise"
            else "《中华人民共和国公职人员政务处分法》第十九条"
        )
        lines.append(
            "  💰 "
            + ctx._(
                "{kind}: no pay-step rise (工资档次/薪酬待遇等级) until {date} ({law}).",
                kind=kind.name(ctx.t.language),
                date=iso_date(bar.end),
                law=law,
            )
        )
    return lines


def _to_check_lines(ctx: Ctx, bars: Sequence[Bar], catalogue: SanctionCatalogue) -> list[str]:
    """Records with no checked period: named, with their rule, and a request to check."""
    lines = []
    for bar in bars:
        message = (
            N_(
                "{kind} (assessment result #{id}, {date}): today's central rules set no fixed bar for it; how it weighs on rating and promotion is for the party committee and organisation department to decide, so please check by hand."
            )
            if bar.source == Source.ASSESSMENT
            else N_(
                "{kind} (accountability case #{id}, {date}): its effect period is set by the organisation department; the assistant has no checked text for it, so please check by hand."
            )
        )
        lines.append(
            "⚠️ "
            + ctx._(
                message,
                kind=_name(ctx, bar.kind, catalogue),
                id=bar.record_id,
                date=iso_date(bar.start),
            )
        )
        lines.append("    " + _rule_line(ctx, bar.entry))
    return [*lines, ""] if lines else []


def _grade_lines(
    ctx: Ctx, year: int, grades: Sequence[GradeBar], catalogue: SanctionCatalogue
) -> list[str]:
    """The effects on the annual assessment of ``year``: each with the years it reaches
    (a sanction of November reaches into the next year's assessment when its rule says so)
    and the rule it comes from."""
    if not grades:
        return []
    lines = [ctx._("Annual assessment {year}:", year=year)]
    for g in grades:
        effect = (
            ctx._("cannot be graded excellent (优秀)")
            if g.effect == "no_excellent"
            else ctx._("comments only, no grade (不确定等次)")
        )
        reach = (
            ctx._("the {first} assessment only", first=g.first_year)
            if g.last_year <= g.first_year
            else ctx._("the assessments of {first} to {last}", first=g.first_year, last=g.last_year)
        )
        name = _name(ctx, g.kind, catalogue)
        t = ctx.t
        lines.append(f"  • {t.aside(name, iso_date(g.start))}{t.colon}{t.aside(effect, reach)}")
        lines.append("    " + _rule_line(ctx, g.entry))
    return [*lines, ""]


def year_notes(ctx: Ctx, result: Eligibility, asked: int | None, year: RatingYear) -> list[str]:
    """Lines saying which year is judged and why (so nobody mistakes the year)."""
    notes = []
    language = ctx.t.language
    this_meeting, next_meeting, pending = year.this_meeting, year.next_meeting, year.pending
    if asked is None and this_meeting is not None and pending < result.as_of.year:
        notes.append(
            ctx._(
                "ℹ️ Until the {meeting} ({date}) commendations are for the year just ended, so {year} is judged. Another year: /eligible [PERSON] YEAR",
                meeting=this_meeting.spec.label(language),
                date=iso_date(this_meeting.starts_on),
                year=pending,
            )
        )
    judged = result.judged_on
    if judged is not None and judged < result.as_of and next_meeting is not None:
        notes.append(
            ctx._(
                "ℹ️ Judged on the records as they stood at the {meeting} of {date}.",
                meeting=next_meeting.spec.label(language),
                date=iso_date(judged),
            )
        )
    if judged is not None and judged.year > result.as_of.year:
        notes.append(
            ctx._(
                "ℹ️ {year} has not begun: this is foreseen from today's records for its rating on {date}; anything recorded later can change it.",
                year=result.rating_year,
                date=iso_date(judged),
            )
        )
    return notes
