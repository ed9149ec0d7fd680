"""People can leave: an administrator (or a unit head, for a cadre of their own unit)
deactivates a person, takes back a role, or cancels an unused invitation (issue 19)."""

from __future__ import annotations

from dataclasses import replace

from handlers.core.app import Assistant
from handlers.core.domain import Person, Role, RoleGrant
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.core.helpers import button_data, say, texts
from tests.handlers.records.support import ADMIN, HL_CADRE, HL_HEAD, ZH


def person(fake_uow: FakeUnitOfWorkFactory, name: str) -> Person:
    return next(p for p in fake_uow.db.people.values() if p.name == name)


async def deactivate(core: Assistant, actor: int, who: str) -> str:
    """Type /deactivate and confirm with the button; the replies as text."""
    asked = await say(core, actor, f"/deactivate {who}")
    return texts(await say(core, actor, data=button_data(asked, "确定停用")))


async def test_a_deactivated_person_is_refused_at_once_and_keeps_their_records(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    asked = await say(core, ADMIN, "/deactivate 马丽娟")
    assert "马丽娟" in texts(asked) and person(fake_uow, "马丽娟").active  # not before confirming
    reply = texts(await say(core, ADMIN, data=button_data(asked, "确定停用")))
    assert "马丽娟" in reply and not person(fake_uow, "马丽娟").active
    after = texts(await say(core, HL_CADRE, "/help"))
    assert "/mypledge" not in after  # answered as a stranger now
    assert any(e.action == "person.deactivated" for e in fake_uow.db.audit)


async def test_keep_changes_nothing(core: Assistant, fake_uow: FakeUnitOfWorkFactory) -> None:
    asked = await say(core, ADMIN, "/deactivate 马丽娟")
    reply = texts(await say(core, ADMIN, data=button_data(asked, "不停用")))
    assert "马丽娟" in reply and person(fake_uow, "马丽娟").active
    assert not any(e.action == "person.deactivated" for e in fake_uow.db.audit)


async def test_a_unit_head_deactivates_a_cadre_of_their_own_unit_only(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    assert "已停用" in await deactivate(core, HL_HEAD, "马丽娟")  # a cadre of HL-ZF
    assert not person(fake_uow, "马丽娟").active
    # Another unit's cadre is outside their scope altogether.
    other = texts(await say(core, HL_HEAD, "/deactivate 何静"))
    assert "找到" in other and person(fake_uow, "何静").active
    # Not themselves.
    assert texts(await say(core, HL_HEAD, "/deactivate 孙伟")) == ZH._(
        "You cannot deactivate yourself."
    )


async def test_a_unit_head_cannot_deactivate_someone_holding_another_role(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    cadre = person(fake_uow, "马丽娟")
    fake_uow.db.people[cadre.id] = replace(
        cadre, grants=(*cadre.grants, RoleGrant(Role.INSPECTOR, cadre.unit_id, "/x/"))
    )
    refused = texts(await say(core, HL_HEAD, "/deactivate 马丽娟"))
    assert "管理员" in refused and person(fake_uow, "马丽娟").active


async def test_a_stale_confirm_button_is_checked_again(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    asked = await say(core, HL_HEAD, "/deactivate 马丽娟")
    # Meanwhile the unit head loses the role: the button must not work any more.
    head = person(fake_uow, "孙伟")
    fake_uow.db.people[head.id] = replace(
        head, grants=tuple(g for g in head.grants if g.role != Role.UNIT_HEAD)
    )
    refused = texts(await say(core, HL_HEAD, data=button_data(asked, "确定停用")))
    assert person(fake_uow, "马丽娟").active
    assert refused == ZH._(
        "Sorry, your role does not allow this. Send /help to see what you can do."
    )
    assert any(e.action == "access.refused" for e in fake_uow.db.audit)


async def test_cadres_may_not_deactivate_and_admins_not_themselves(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    refused = texts(await say(core, HL_CADRE, "/deactivate 马丽娟"))
    assert refused == ZH._(
        "Sorry, your role does not allow this. Send /help to see what you can do."
    )
    assert person(fake_uow, "马丽娟").active
    me = person(fake_uow, "王建国")
    assert texts(await say(core, ADMIN, f"/deactivate P{me.id}")) == ZH._(
        "You cannot deactivate yourself."
    )


async def test_an_unused_invitation_can_be_listed_and_cancelled(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    await say(core, ADMIN, "/invite HL-ZF cadre 新同志")
    [code] = [c for c, inv in fake_uow.db.invitations.items() if inv.name == "新同志"]
    listed = await say(core, ADMIN, "/invites")
    assert code in texts(listed) and "新同志" in texts(listed)
    cancelled = texts(await say(core, ADMIN, data=button_data(listed, code)))
    assert "已撤销" in cancelled and code not in fake_uow.db.invitations
    assert any(e.action == "invitation.cancelled" for e in fake_uow.db.audit)
    # The code no longer registers anyone.
    await say(core, 555001, f"/start {code}")
    assert not any(p.telegram_user_id == 555001 for p in fake_uow.db.people.values())
    # Typed again, it is not found.
    assert "没有未使用的邀请码" in texts(await say(core, ADMIN, f"/uninvite {code}"))


async def test_a_used_invitation_cannot_be_cancelled(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    await say(core, ADMIN, "/invite HL-ZF cadre")
    [code] = [c for c, inv in fake_uow.db.invitations.items() if inv.used_at is None]
    await say(core, 555002, f"/start {code}")
    assert fake_uow.db.invitations[code].used_at is not None
    assert "已被使用" in texts(await say(core, ADMIN, f"/uninvite {code.lower()}"))
    assert code in fake_uow.db.invitations
    assert "没有未使用的邀请码" in texts(await say(core, ADMIN, "/invites"))


async def test_invitations_outside_the_admins_scope_are_neither_listed_nor_cancelled(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    await say(core, ADMIN, "/invite HL-ZF cadre")
    [code] = list(fake_uow.db.invitations)
    admin = person(fake_uow, "王建国")
    fake_uow.db.people[admin.id] = replace(
        admin,
        grants=(
            *(g for g in admin.grants if g.role != Role.ADMIN),
            RoleGrant(Role.ADMIN, admin.unit_id, "/nowhere/"),
        ),
    )
    assert code not in texts(await say(core, ADMIN, "/invites"))
    assert "没有未使用的邀请码" in texts(await say(core, ADMIN, f"/uninvite {code}"))
    assert code in fake_uow.db.invitations


async def test_a_role_is_taken_back_and_given_after_a_confirmation(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    head = person(fake_uow, "孙伟")
    assert Role.UNIT_HEAD in head.roles
    asked = await say(core, ADMIN, "/revoke 孙伟 unit_head HL-ZF")
    assert "孙伟" in texts(asked) and Role.UNIT_HEAD in person(fake_uow, "孙伟").roles
    kept = await say(core, ADMIN, data=button_data(asked, "保持不变"))
    assert texts(kept) == "未作任何更改。" and Role.UNIT_HEAD in person(fake_uow, "孙伟").roles
    asked = await say(core, ADMIN, "/revoke 孙伟 unit_head HL-ZF")
    await say(core, ADMIN, data=button_data(asked, "是，收回"))
    assert Role.UNIT_HEAD not in person(fake_uow, "孙伟").roles
    assert any(e.action == "role.revoked" for e in fake_uow.db.audit)
    again = texts(await say(core, ADMIN, "/revoke 孙伟 unit_head HL-ZF"))
    assert "没有" in again
    # Given back (or to a cadre made head) with /grant, confirmed the same way.
    offered = await say(core, ADMIN, "/grant 孙伟 一把手 HL-ZF")
    assert Role.UNIT_HEAD not in person(fake_uow, "孙伟").roles
    await say(core, ADMIN, data=button_data(offered, "是，增加"))
    assert Role.UNIT_HEAD in person(fake_uow, "孙伟").roles
    assert fake_uow.db.audit[-1].action == "role.granted"
    held = texts(await say(core, ADMIN, "/grant 孙伟 一把手 HL-ZF"))
    assert held == "孙伟已经有“华龙区政府办公室”的单位一把手角色。", held


async def test_taking_a_last_role_warns_and_a_stale_button_changes_nothing(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    cadre = person(fake_uow, "马丽娟")
    assert len(cadre.grants) == 1
    asked = await say(core, ADMIN, "/revoke 马丽娟 干部 HL-ZF")
    assert "唯一的角色" in texts(asked) and "/grant" in texts(asked)
    payload = button_data(asked, "是，收回")
    await say(core, ADMIN, data=payload)
    assert person(fake_uow, "马丽娟").grants == ()
    assert "无：请联系管理员为您增加角色" in texts(await say(core, HL_CADRE, "/me"))
    # Pressed again (or forged): the holding is checked again, nothing is revoked twice.
    assert "没有" in texts(await say(core, ADMIN, data=payload))
    assert "已失效" in texts(await say(core, ADMIN, data="rol:g:99999:cadre:1"))
    # Not for anyone but administrators.
    assert person(fake_uow, "马丽娟").grants == ()
    refused = texts(await say(core, 1103, "/grant 马丽娟 干部 HL-ZF"))
    assert Role.CADRE not in person(fake_uow, "马丽娟").roles and "马丽娟" not in refused


async def test_roles_are_typed_as_the_bot_shows_them(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    """/me and the invitations name roles as 单位一把手; /invite took only unit_head."""
    shown = texts(await say(core, ADMIN, "/invite HL-ZF 单位一把手 新主任"))
    assert "邀请码" in shown or "invitation" in shown.lower(), shown
    refused = texts(await say(core, ADMIN, "/invite HL-ZF 局长"))
    assert "单位一把手" in refused and "unit_head" not in refused


async def test_english_role_names_of_several_words(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    await say(core, ADMIN, "/lang en")
    made = texts(await say(core, ADMIN, "/invite HL-ZF unit principal John Smith"))
    assert "Invitation for" in made and "unit principal" in made and "John Smith" in made
    assert "Invitation for" in texts(await say(core, ADMIN, "/invite HL-ZF cadres"))
    asked = await say(core, ADMIN, "/revoke 孙伟 unit principal HL-ZF")
    taken = texts(await say(core, ADMIN, data=button_data(asked, "Yes, take it back")))
    assert "no longer holds" in taken
    assert Role.UNIT_HEAD not in person(fake_uow, "孙伟").roles
    unknown = texts(await say(core, ADMIN, "/revoke 孙伟 boss HL-ZF"))
    assert "Unknown role" in unknown


async def test_a_registered_person_is_told_the_code_was_not_used(core: Assistant) -> None:
    again = texts(await say(core, 1104, "/start ABCD2345EF"))
    assert "ABCD" not in again and "/help" in again and len(again.splitlines()) == 2


async def test_inviting_the_name_of_someone_listed_warns(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    """Re-inviting a deactivated person's name made a second person, whose /eligible did not
    see the first one's records: the invitation says so (it is still made: namesakes exist)."""
    await deactivate(core, ADMIN, "马丽娟")
    reply = texts(await say(core, ADMIN, "/invite HL-ZF 干部 马丽娟"))
    old = person(fake_uow, "马丽娟").id
    assert "已停用" in reply and f"P{old}" in reply
    assert "⚠️" not in texts(await say(core, ADMIN, "/invite HL-ZF 干部 新同志"))
