"""/help and the Telegram menu: each role sees its own commands, grouped, with examples,
and the menu is the same list as /help (issue 18)."""

from __future__ import annotations

import re

from handlers.core.app import Assistant
from handlers.core.domain import Role
from handlers.core.i18n import translator
from handlers.home.help import GROUPS, help_lines, menu_commands
from handlers.registry import all_routers
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.core.helpers import say, texts

ZH = translator("zh_CN")


def listed(text: str) -> list[str]:
    return re.findall(r"^/(\w+) — ", text, flags=re.MULTILINE)


def test_every_command_is_in_exactly_one_group() -> None:
    registered = {name for r in all_routers() for name in r.commands}
    in_groups = [item.command for _, items in GROUPS for item in items]
    assert sorted(in_groups) == sorted(registered)


async def test_a_cadre_sees_only_what_a_cadre_can_use(core: Assistant) -> None:
    text = texts(await say(core, 1104, "/help"))
    shown = listed(text)
    assert "test" in shown and "scores" not in text  # no "/test scores" for a cadre
    assert "notices" not in shown and "invite" not in shown and "summary" not in shown
    assert ZH._("My warning talks") in text and "/eligible 我" in text
    for cmd in shown:  # each listed command answers the cadre instead of refusing
        reply = texts(await say(core, 1104, f"/{cmd}"))
        assert (
            ZH._("Sorry, your role does not allow this. Send /help to see what you can do.")
            != reply
        ), cmd
        await say(core, 1104, "/cancel")


async def test_help_is_grouped_with_one_example_each(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    text = texts(await say(core, 1001, "/help"))
    for title in ("Rules and questions", "Records", "Summaries", "Administration"):
        assert f"【{ZH._(title)}】" in text
    admin = next(p for p in fake_uow.db.people.values() if p.telegram_user_id == 1001)
    own = fake_uow.db.units[admin.grants[0].unit_id].code
    assert "例：/eligible " in text and f"例：/invite {own} 干部 张三" in text
    # Groups appear in order, administration after records.
    assert text.index(ZH._("Records")) < text.index(ZH._("Administration"))


async def test_the_examples_name_the_askers_own_unit_and_people(core: Assistant) -> None:
    """林涛 heads 岳村镇 (HL-YC): the examples name it and someone in it, not the demo's
    HL-ZF and 马丽娟, whom he cannot look up."""
    text = texts(await say(core, 1108, "/help"))
    assert "例：/unitpledges HL-YC 2026" in text
    assert "HL-ZF" not in text and "马丽娟" not in text
    example = text.split("例：/eligible ")[1].split()[0]
    assert "没有找到" not in texts(await say(core, 1108, f"/eligible {example}"))


async def test_the_menu_is_the_same_list_as_help(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    router = core.router
    for user in (1104, 1103, 1102, 1101, 1001):  # cadre, unit head, inspector, supervisor, admin
        person = next(p for p in fake_uow.db.people.values() if p.telegram_user_id == user)
        menu = [name for name, _ in menu_commands(router, person.roles, ZH)]
        in_help = [
            c for c in listed("\n".join(help_lines(router, person.roles, ZH))) if c != "start"
        ]
        assert menu == in_help, user
    cadre = [name for name, _ in menu_commands(router, frozenset({Role.CADRE}), ZH)]
    assert "pledge" in cadre and "summary" not in cadre and "start" not in cadre


async def test_a_supervisor_reads_figures_not_records(core: Assistant) -> None:
    shown = listed(texts(await say(core, 1101, "/help")))
    assert "summary" in shown and "export" in shown
    assert not {"talks", "cases", "assessments", "eligible", "notices"} & set(shown)


async def test_principals_see_test_scores_not_the_administrators_allow(core: Assistant) -> None:
    text = texts(await say(core, 1103, "/help"))
    assert "/test scores" in text and "allow" not in text
    assert "例：/eligible 马丽娟" in text  # a principal checks the people of his unit
