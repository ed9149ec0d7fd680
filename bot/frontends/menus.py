"""Telegram command menus: one per language for everyone, one per staff member's chat.

Plain data here; each front end turns a :class:`Menu` into its setMyCommands call.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.composition import App
from handlers.core.domain import Role
from handlers.core.i18n import translator
from handlers.home.help import menu_commands

STAFF_ROLES = frozenset({Role.UNIT_HEAD, Role.INSPECTOR, Role.SUPERVISOR, Role.ADMIN})
#: Telegram language codes for the default menus (None is the fallback menu, in Chinese).
MENU_LANGUAGES: tuple[tuple[str, str | None], ...] = (("zh_CN", None), ("en", "en"))


@dataclass(frozen=True)
class Menu:
    """Commands for one scope: ``chat_id`` None means every private chat."""

    chat_id: int | None
    language_code: str | None
    commands: tuple[tuple[str, str], ...]


#: The default menu is a cadre's: most people are cadres, staff get their own menus.
DEFAULT_ROLES = frozenset({Role.CADRE})


def _commands(app: App, roles: frozenset[Role], language: str) -> tuple[tuple[str, str], ...]:
    # The same table and order as /help (handlers.home.help), so the two never disagree.
    return menu_commands(app.assistant.router, roles, translator(language))


async def plan_menus(app: App) -> list[Menu]:
    """The default menus (a cadre's) plus a chat-scoped menu for every staff member."""
    menus = [Menu(None, code, _commands(app, DEFAULT_ROLES, lang)) for lang, code in MENU_LANGUAGES]
    async with app.uow_factory() as uow:
        people = await uow.people.in_units(["/"])
    for p in people:
        if p.telegram_user_id and p.roles & STAFF_ROLES:
            menus.append(Menu(p.telegram_user_id, None, _commands(app, p.roles, p.language)))
    return menus
