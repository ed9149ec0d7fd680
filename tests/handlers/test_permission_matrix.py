"""Permission matrix: every command and button family × role × chat type × person state.

Table-driven over whatever the assistant registers, so a new command is covered the day it
is added. Strangers and deactivated people learn nothing; group chats never get personal
or sensitive content; roles without access are refused; forged button payloads are
rejected without revealing whether a record exists.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest

from bot.demo.organisation import seed_demo
from handlers.core.app import Assistant
from handlers.core.clock import ManualClock
from handlers.core.domain import Role
from handlers.core.i18n import translator
from handlers.core.router import Router
from handlers.core.types import ChatType, Request, TextReply
from handlers.registry import all_routers
from knowledge.retrieval import KnowledgeBase
from tests.conftest import make_services
from tests.handlers.core.fakes import FakeUnitOfWorkFactory

ZH = translator("zh_CN")
REFUSAL = ZH._(
    "Sorry, this assistant is available to invited users only. Please contact your unit's administrator for an invitation."
)
PRIVATE_ONLY = ZH._("Please use this in a private chat with me.")
FORBIDDEN = ZH._("Sorry, your role does not allow this. Send /help to see what you can do.")

#: One demo person per role (Telegram ids from README's demo table).
BY_ROLE = {
    Role.CADRE: 1104,
    Role.UNIT_HEAD: 1103,
    Role.INSPECTOR: 1102,
    Role.SUPERVISOR: 1101,
    Role.ADMIN: 1001,
}
DEACTIVATED_TOLD = ZH._(
    "Your account in this assistant has been deactivated. If that is a mistake, ask your unit's administrator to reactivate it."
)
STRANGER = 5555
DEACTIVATED = 1106

ROUTER = Router()
for _r in all_routers():
    ROUTER.include(_r)
COMMANDS = sorted(ROUTER.commands)
BUTTON_PREFIXES = sorted(ROUTER.buttons)


@pytest.fixture
async def matrix_core(kb: KnowledgeBase) -> tuple[Assistant, FakeUnitOfWorkFactory]:
    factory = FakeUnitOfWorkFactory()
    async with factory() as uow:
        await seed_demo(uow, datetime(2026, 1, 1, tzinfo=UTC))
        person = await uow.people.by_telegram_id(DEACTIVATED)
        assert person is not None
        await uow.people.set_active(person.id, False)
        await uow.commit()
    clock = ManualClock(datetime(2026, 6, 10, 2, 0, tzinfo=UTC))
    return Assistant(factory, make_services(clock, kb), all_routers()), factory


def _texts(replies: list[object]) -> str:
    return "\n".join(r.text for r in replies if isinstance(r, TextReply))


async def _send(
    core: Assistant, user: int, group: bool, text: str = "", data: str | None = None
) -> list[object]:
    return await core.handle(  # type: ignore[return-value]
        Request(
            user_id=user,
            chat_id=-77 if group else user,
            chat_type=ChatType.GROUP if group else ChatType.PRIVATE,
            text=text,
            callback_data=data,
        )
    )


@pytest.mark.parametrize("command", COMMANDS)
async def test_strangers_and_deactivated_learn_nothing(
    matrix_core: tuple[Assistant, FakeUnitOfWorkFactory], command: str
) -> None:
    core, factory = matrix_core
    for user, group in itertools.product((STRANGER, DEACTIVATED), (False, True)):
        audit_before = len(factory.db.audit)
        replies = await _send(core, user, group, f"/{command} 1")
        if command == "start":
            assert "欢迎" not in _texts(replies)
        else:
            # A deactivated person is told so in private (they were invited once), never in
            # a group; neither learns anything else.
            told = DEACTIVATED_TOLD if user == DEACTIVATED and not group else REFUSAL
            assert _texts(replies) in (told, ""), (command, user, group, _texts(replies))
        assert len(factory.db.audit) == audit_before


@pytest.mark.parametrize(("command", "role"), list(itertools.product(COMMANDS, BY_ROLE)))
async def test_role_and_chat_type_rules(
    matrix_core: tuple[Assistant, FakeUnitOfWorkFactory], command: str, role: Role
) -> None:
    core, _ = matrix_core
    spec = ROUTER.commands[command]
    user = BY_ROLE[role]
    person_roles = {
        Role.CADRE: {Role.CADRE},
        Role.UNIT_HEAD: {Role.UNIT_HEAD, Role.CADRE},
        Role.INSPECTOR: {Role.INSPECTOR},
        Role.SUPERVISOR: {Role.SUPERVISOR},
        Role.ADMIN: {Role.ADMIN, Role.SUPERVISOR, Role.INSPECTOR, Role.CADRE},
    }[role]
    allowed = spec.access.allows(frozenset(person_roles))
    private = _texts(await _send(core, user, False, f"/{command}"))
    group = _texts(await _send(core, user, True, f"/{command}"))
    await _send(core, user, False, "/cancel")
    if spec.access.private_only:
        assert group == PRIVATE_ONLY, (command, role, group)
    if not allowed:
        assert private == FORBIDDEN, (command, role, private)
    else:
        # Handlers may refine access further (a cadre-only step, a scope check): no crash.
        assert "错误编号" not in private, (command, role, private)


FORGED = ["", "x", "999999", "-1", "1:2:3:4:5", "../../etc", "%s%s", "0" * 40, "a:b", "9" * 18]


@pytest.mark.parametrize("prefix", BUTTON_PREFIXES)
async def test_forged_button_payloads_are_rejected_quietly(
    matrix_core: tuple[Assistant, FakeUnitOfWorkFactory], prefix: str
) -> None:
    core, factory = matrix_core
    for role, payload in itertools.product(BY_ROLE, FORGED):
        before = (len(factory.db.people), len(factory.db.invitations))
        replies = await _send(core, BY_ROLE[role], False, data=f"{prefix}:{payload}"[:64])
        text = _texts(replies)
        assert "错误编号" not in text, (prefix, payload, text)
        assert (len(factory.db.people), len(factory.db.invitations)) == before
        await _send(core, BY_ROLE[role], False, "/cancel")
    for payload in FORGED:
        assert (
            _texts(await _send(core, STRANGER, False, data=f"{prefix}:{payload}"[:64])) == REFUSAL
        )
