"""Which records a personal deadline reminder is about: notices #4 and #9, both due on 9
December, for the principal who must report on them.

Deadline reminders are planned per kind, day and phase, shared by everyone with such a
deadline (see :func:`handlers.reminders.plan.plan_deadlines`), so their text named no
record: a principal with two open notices got two reminders that differed only by date.
The reminders cannot read the records (a sibling capability), so the registry plugs the
lookup into :data:`DEADLINE_ITEMS` when the assistant is assembled.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Protocol

from handlers.core.i18n import Translator
from handlers.core.ports import UnitOfWork
from handlers.reminders.domain import Occurrence, OccurrenceKind


class DeadlineItems(Protocol):
    """The numbers of the records each person's deadline of ``kind`` on ``due`` is about."""

    async def __call__(self, uow: UnitOfWork, kind: str, due: date) -> dict[int, list[int]]:
        """Person id -> record numbers, smallest first (empty when the kind names none)."""
        ...


@dataclass
class DeadlineItemsHook:
    """The lookup the registry plugs in (none: reminders name no records)."""

    lookup: DeadlineItems | None = None

    async def by_person(self, uow: UnitOfWork, occ: Occurrence) -> dict[int, list[int]]:
        """Person id -> the records ``occ`` (a deadline occurrence) is about for them."""
        if self.lookup is None or occ.kind != OccurrenceKind.DEADLINE:
            return {}
        try:
            due = date.fromisoformat(str(occ.params.get("due", "")))
        except ValueError:
            return {}
        return await self.lookup(uow, occ.topic, due)

    async def numbers(self, uow: UnitOfWork, person_id: int, occ: Occurrence) -> list[int]:
        """The records ``occ`` is about for ``person_id``."""
        return (await self.by_person(uow, occ)).get(person_id, [])


#: Plugged in by handlers/registry.py.
DEADLINE_ITEMS = DeadlineItemsHook()


def titled_with_items(t: Translator, title: str, numbers: list[int]) -> str:
    """A list line's title with the records after it: "Deadline: …, 2026-12-09 (#4, #9)"."""
    return t.aside(title, t.join(f"#{n}" for n in numbers)) if numbers else title


def body_with_items(t: Translator, text: str, numbers: list[int]) -> str:
    """A reminder's text with a line naming the records it is about."""
    if not numbers:
        return text
    return text + "\n" + t._("About: {items}", items=t.join(f"#{n}" for n in numbers))
