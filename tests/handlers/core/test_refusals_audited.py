"""Every refusal of a protected command, button or record is audited (issue 19, item 9)."""

from __future__ import annotations

from handlers.core.app import Assistant
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.core.helpers import say
from tests.handlers.records.support import HL_CADRE, QF_INSPECTOR, create_talk


def refusals(fake_uow: FakeUnitOfWorkFactory) -> list[tuple[str, str, str]]:
    return [
        (e.object_type, e.object_id, str(e.details.get("reason")))
        for e in fake_uow.db.audit
        if e.action == "access.refused"
    ]


async def test_a_command_the_role_does_not_allow_is_audited(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    await say(core, HL_CADRE, "/talk")  # inspectors only
    assert ("feature", "/talk", "role") in refusals(fake_uow)


async def test_a_record_outside_ones_scope_is_audited_although_the_reply_says_not_found(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    await create_talk(core)
    await say(core, QF_INSPECTOR, "/eligible 马丽娟")
    found = refusals(fake_uow)
    assert ("record", "eligible", "not_found") in found
