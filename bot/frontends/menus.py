"""Telegram command menus: one per language for everyone, one per staff member's chat.

Plain data here; each front end turns a :class:`Menu` into its setMyCommands call.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.composition import App
from handlers.core.domain import Role
from handlers.core.i18n import translator

STAFF_ROLES = frozenset({Role.UNIT_HEAD, Role.INSPECTOR, Role.SUPERVISOR, Role.ADMIN})
#: Telegram language codes for the default menus (None is the fallback menu, in Chinese).
MENU_LANGUAGES: tuple[tuple[str, str | None], ...] = (("zh_CN", None), ("en", "en"))


@dataclass(frozen=True)
class Menu:
    """Commands for one scope: ``chat_id`` None means every private chat."""

    chat_id: int | None
    language_code: str | None
    commands: tuple[tuple[str, str], ...]


def _commands(app: App, roles: frozenset[Role], language: str) -> tuple[tuple[str, str], ...]:
    t = translator(language)
    specs = sorted(app.assistant.router.commands.values(), key=lambda s: (s.order, s.name))
    return tuple(
        (s.name, t._(s.help)[:256])
        for s in specs
        if s.name != "start" and (not s.access.roles or s.access.roles & roles)
    )


async def plan_menus(app: App) -> list[Menu]:
    """The default menus plus a chat-scoped menu for every registered staff member."""
    menus = [Menu(None, code, _commands(app, frozenset(), lang)) for lang, code in MENU_LANGUAGES]
    async with app.uow_factory() as uow:
        people = await uow.people.in_units(["/"])
    for p in people:
        if p.telegram_user_id and p.roles & STAFF_ROLES:
            menus.append(Menu(p.telegram_user_id, None, _commands(app, p.roles, p.language)))
    return menus
