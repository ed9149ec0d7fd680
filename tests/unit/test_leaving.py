"""People can leave: an administrator deactivates a person or takes back a role (issue 19)."""

from __future__ import annotations

from handlers.core.app import Assistant
from handlers.core.domain import Person, Role
from tests.fakes import FakeUnitOfWorkFactory
from tests.helpers import say, texts
from tests.records_support import ADMIN, HL_CADRE, HL_HEAD, ZH


def person(fake_uow: FakeUnitOfWorkFactory, name: str) -> Person:
    return next(p for p in fake_uow.db.people.values() if p.name == name)


async def test_a_deactivated_person_is_refused_at_once_and_keeps_their_records(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    reply = texts(await say(core, ADMIN, "/deactivate 马丽娟"))
    assert "马丽娟" in reply and not person(fake_uow, "马丽娟").active
    after = texts(await say(core, HL_CADRE, "/help"))
    assert "/mypledge" not in after  # answered as a stranger now
    assert any(e.action == "person.deactivated" for e in fake_uow.db.audit)


async def test_only_administrators_may_deactivate_and_not_themselves(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    refused = texts(await say(core, HL_HEAD, "/deactivate 马丽娟"))
    assert refused == ZH._(
        "Sorry, your role does not allow this. Send /help to see what you can do."
    )
    assert person(fake_uow, "马丽娟").active
    me = person(fake_uow, "王建国")
    assert texts(await say(core, ADMIN, f"/deactivate #{me.id}")) == ZH._(
        "You cannot deactivate yourself."
    )


async def test_a_role_can_be_taken_back(core: Assistant, fake_uow: FakeUnitOfWorkFactory) -> None:
    head = person(fake_uow, "孙伟")
    assert Role.UNIT_HEAD in head.roles
    reply = texts(await say(core, ADMIN, "/revoke 孙伟 unit_head HL-ZF"))
    assert "孙伟" in reply
    assert Role.UNIT_HEAD not in person(fake_uow, "孙伟").roles
    again = texts(await say(core, ADMIN, "/revoke 孙伟 unit_head HL-ZF"))
    assert "没有" in again
    assert any(e.action == "role.revoked" for e in fake_uow.db.audit)
