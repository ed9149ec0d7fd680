"""Finding a person by name or ``#id`` inside the asker's scope (shared by every capability
that acts on a person: records, administration)."""

from __future__ import annotations

from handlers.core.context import Ctx
from handlers.core.domain import Person, Role
from handlers.core.errors import NotFound, UserError
from handlers.core.rerun import rerun_buttons


async def person_in_scope(ctx: Ctx, text: str, *roles: Role) -> Person:
    """Resolve a name (or ``#id``) to one active person inside the scope for ``roles``."""
    text = text.strip().lstrip("#＃").strip()
    paths = ctx.me.scope_paths(*roles)
    people = await ctx.uow.people.find(text, paths) if paths and text else []
    exact = [p for p in people if p.name == text or str(p.id) == text]
    if len(exact) == 1:
        return exact[0]
    if len(people) == 1:
        return people[0]
    if not people:
        raise NotFound(ctx._("No person “{text}” found within your scope.", text=text[:40]))
    choices = []
    for p in (exact or people)[:8]:
        unit = await ctx.uow.units.get(p.unit_id)
        choices.append((f"{p.name}（{unit.name if unit else '—'}，#{p.id}）", f"#{p.id}"))
    names = "、".join(label for label, _ in choices)
    keyboard = rerun_buttons(ctx, text, choices)
    if keyboard:
        raise UserError(
            ctx._(
                "Several people match: {names}. Choose one below, or type the number after #.",
                names=names,
            ),
            keyboard,
        )
    raise UserError(
        ctx._(
            "Several people match: {names}. Please type the number after # to choose.",
            names=names,
        )
    )
