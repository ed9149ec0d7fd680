"""The check asked before rating a person 优秀 or 先进, and the refusal that names why.

Two forms rate people up: the clean-government assessment record (records) and the
organisational grade of a pledge's fulfilment (pledges). Eligibility judges what bars it,
and eligibility reads the records, so neither form can import it: handlers/registry.py plugs
the check into :data:`RATING_BARS` when the assistant is assembled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from handlers.core.context import Ctx
from handlers.core.ports import UnitOfWork
from knowledge.sanctions import load_sanctions


class RatingBar(Protocol):
    """A running effect period that bars rating a person excellent or advanced."""

    @property
    def kind(self) -> str:
        """The sanction or handling kind (a key of knowledge/data/sanctions.yaml)."""
        ...

    @property
    def start(self) -> date:
        """The first day of the period."""
        ...

    @property
    def end(self) -> date | None:
        """The last day of the period (inclusive), or None when it has no fixed end."""
        ...


class RatingBarCheck(Protocol):
    """What bars rating ``person_id`` excellent or advanced for ``year``, as /eligible judges
    it on ``today``; ``replacing`` is the assessment result being edited (it bars nothing)."""

    async def __call__(
        self, uow: UnitOfWork, person_id: int, year: int, today: date, replacing: int | None
    ) -> Sequence[RatingBar]: ...


@dataclass
class RatingBars:
    """The plugged-in rating check (see the module's docstring)."""

    check: RatingBarCheck | None = None

    async def __call__(
        self, uow: UnitOfWork, person_id: int, year: int, today: date, replacing: int | None
    ) -> Sequence[RatingBar]:
        """The bars, from the plugged-in check; a missing check is a wiring error, never
        "nothing bars it"."""
        if self.check is None:
            raise RuntimeError("no rating check: handlers.registry wires eligibility's")
        return await self.check(uow, person_id, year, today, replacing)


#: The one rating check of the process (wired by handlers/registry.py).
RATING_BARS = RatingBars()


def barred_lines(ctx: Ctx, name: str, year: int, bars: Sequence[RatingBar]) -> list[str]:
    """The refusal's text: who may not be rated up for which year, each running period with
    its dates, and when to record it all the same."""
    catalogue = load_sanctions()
    lines = [
        ctx._(
            "⚠️ {name} may not be rated excellent or advanced for {year}: an effect period is running.",
            name=name,
            year=year,
        )
    ]
    for b in bars:
        kind = catalogue.get(b.kind)
        label = kind.name(ctx.t.language) if kind else b.kind
        end = b.end.isoformat() if b.end else "—"
        lines.append("  • " + ctx.t.aside(label, ctx.t.span(b.start.isoformat(), end)))
    lines.append(
        ctx._(
            "Record it only if the rating was decided knowing this (for example on review); it will be noted in the audit log."
        )
    )
    return lines
