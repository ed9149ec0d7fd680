"""Checks of rule-base entries against the document registry and the sanctions data.

``problems`` are errors in any rule base (the assistant refuses to start on them);
``strict_problems`` are what ``lianzheng kb check --strict`` adds: entries whose facts
were not checked against a text, too few questions.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from knowledge.documents import Registry
from knowledge.sanctions import SanctionCatalogue
from knowledge.schema import ARTICLE_PATTERN, MIN_QUESTIONS, Entry

#: ``{period:CODE}`` in an answer is replaced by that kind's period from sanctions.yaml, so
#: the answers and the eligibility check can never quote different periods.
PERIOD_PLACEHOLDER = re.compile(r"\{period:([a-z0-9_]+)\}")


def months_text(months: int) -> str:
    """A period as people write it: 6个月, 1年, 18个月, 2年."""
    if months and months % 12 == 0:
        return f"{months // 12}年"
    return f"{months}个月"


def render_periods(entry: Entry, sanctions: SanctionCatalogue) -> Entry:
    """The entry with every ``{period:CODE}`` replaced (unknown codes are left for the check)."""

    def period(match: re.Match[str]) -> str:
        kind = sanctions.get(match.group(1))
        return months_text(kind.promotion_months) if kind else match.group(0)

    if "{period:" not in entry.answer:
        return entry
    return entry.model_copy(update={"answer": PERIOD_PLACEHOLDER.sub(period, entry.answer)})


def problems(
    entries: Sequence[Entry], registry: Registry, sanctions: SanctionCatalogue
) -> list[str]:
    """Errors: unknown documents, current entries resting on replaced texts, broken history
    links, unknown period codes."""
    out = list(registry.problems)
    by_id = {e.id: e for e in entries}
    for e in entries:
        for code in PERIOD_PLACEHOLDER.findall(e.answer):
            if sanctions.get(code) is None:
                out.append(f"{e.id}: {{period:{code}}} names no kind of sanctions.yaml")
        for b in e.basis:
            doc = registry.get(b.doc)
            if doc is None:
                out.append(f"{e.id}: cites {b.doc}, which is not in documents.yaml")
            elif e.status == "current" and not doc.in_force:
                now = registry.current_version(b.doc)
                hint = f"; today's text is {now.id}" if now and now.in_force else ""
                out.append(f"{e.id}: a current entry cites {b.doc} ({doc.status}){hint}")
        if e.status == "history":
            target = by_id.get(e.current or "")
            if target is None:
                out.append(f"{e.id}: history entry points to unknown entry {e.current}")
            elif target.status != "current":
                out.append(f"{e.id}: history entry points to {e.current}, which is not current")
    return out


def strict_problems(entries: Sequence[Entry]) -> list[str]:
    """What ``kb check --strict`` adds: unchecked facts and thin question lists."""
    out: list[str] = []
    for e in entries:
        if not e.checked:
            unchecked = ", ".join(b.doc for b in e.basis if not b.checked)
            out.append(f"{e.id}: unchecked against the text: {unchecked}")
            if ARTICLE_PATTERN.search(e.answer):
                out.append(f"{e.id}: states an article number but is not checked")
        if len(e.questions) < MIN_QUESTIONS:
            out.append(f"{e.id}: {len(e.questions)} questions (at least {MIN_QUESTIONS})")
    return out


def citation(entry: Entry, registry: Registry) -> str:
    """The 依据 line of an answer: every document of the basis with its article."""
    parts: list[str] = []
    for b in entry.basis:
        doc = registry.get(b.doc)
        cited = doc.cite(b.art) if doc is not None else None
        # One document read in two places is two basis lines but one citation.
        if cited is not None and cited not in parts:
            parts.append(cited)
    return "；".join(parts)
