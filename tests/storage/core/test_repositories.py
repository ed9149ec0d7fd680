"""Every repository on SQLite and PostgreSQL, through the SQL unit of work."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from handlers.core.domain import AskedQuestion, AuditEntry, FormState, Invitation, NewPerson, Role
from tests.storage.support import unit_tree

pytestmark = pytest.mark.storage
T0 = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


async def test_units_tree_paths_and_scope(sql_uow) -> None:  # type: ignore[no-untyped-def]
    async with sql_uow() as uow:
        city, a, b, a1 = await unit_tree(uow)
        await uow.commit()
    async with sql_uow() as uow:
        got = await uow.units.get(a1.id)
        assert got is not None and got.path == f"/{city.id}/{a.id}/{a1.id}/"
        assert a.contains(got) and not b.contains(got)
        assert (await uow.units.by_code("a1")) == got
        assert [u.code for u in await uow.units.children(city.id)] == ["A", "B"]
        assert [u.code for u in await uow.units.find("教育", [a.path])] == ["A1"]
        assert await uow.units.find("教育", [b.path]) == []
        assert await uow.units.find("A1", []) == []
        assert [u.code for u in await uow.units.within([a.path], 10)] == ["A", "A1"]
        assert len(await uow.units.within([city.path], 3)) == 3
        assert await uow.units.within([], 10) == []
        assert await uow.units.count() == 4


async def test_unit_find_treats_like_wildcards_literally(sql_uow) -> None:  # type: ignore[no-untyped-def]
    async with sql_uow() as uow:
        city, *_ = await unit_tree(uow)
        assert await uow.units.find("%", [city.path]) == []
        assert await uow.units.find("_", [city.path]) == []


async def test_people_roles_and_lookups(sql_uow) -> None:  # type: ignore[no-untyped-def]
    async with sql_uow() as uow:
        city, a, b, a1 = await unit_tree(uow)
        p = await uow.people.add(NewPerson("张三", a1.id, "局长", True, 42))
        listed = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)
        q = await uow.people.add(NewPerson("李四", b.id, "", False, None, listed_at=listed))
        assert q.listed_at == listed and p.listed_at is None  # read back with the person
        assert await uow.people.grant(p.id, Role.UNIT_HEAD, a1.id)
        assert not await uow.people.grant(p.id, Role.UNIT_HEAD, a1.id)
        await uow.people.grant(q.id, Role.INSPECTOR, a.id)
        await uow.commit()
    async with sql_uow() as uow:
        got = await uow.people.by_telegram_id(42)
        assert got is not None and got.roles == {Role.UNIT_HEAD} and got.post == "局长"
        assert got.can_see(a1, Role.UNIT_HEAD) and not got.can_see(a, Role.UNIT_HEAD)
        assert [x.name for x in await uow.people.find("张", [a.path])] == ["张三"]
        assert await uow.people.find("张", [b.path]) == []
        over = await uow.people.holders_over(a1.path, Role.INSPECTOR)
        assert [x.name for x in over] == ["李四"]
        assert await uow.people.holders_over(b.path, Role.INSPECTOR) == []
        assert [x.name for x in await uow.people.in_units([city.path], Role.UNIT_HEAD)] == ["张三"]
        await uow.people.set_language(got.id, "en")
        await uow.people.bind_telegram(q.id, 43)
        assert await uow.people.revoke(got.id, Role.UNIT_HEAD, a1.id)
        assert not await uow.people.revoke(got.id, Role.UNIT_HEAD, a1.id)
        await uow.people.set_active(got.id, False)
        await uow.commit()
    async with sql_uow() as uow:
        got = await uow.people.get(p.id)
        assert got is not None and got.language == "en" and not got.active and got.roles == set()
        assert (await uow.people.by_telegram_id(43)) is not None
        assert await uow.people.find("张", [city.path]) == []  # inactive people are not found
        assert await uow.people.count() == 2
        # ... but the exact name in its unit is, deactivated too (an invitation warns of it).
        assert [x.id for x in await uow.people.named_in_unit("张三", a1.id)] == [p.id]
        assert await uow.people.named_in_unit("张", a1.id) == []
        assert await uow.people.named_in_unit("张三", b.id) == []
        # Deactivated people are found apart, to reactivate one (by name or number).
        assert [x.id for x in await uow.people.find_deactivated("张", [city.path])] == [p.id]
        assert [x.id for x in await uow.people.find_deactivated(str(p.id), [a1.path])] == [p.id]
        assert await uow.people.find_deactivated("张", [b.path]) == []
        assert await uow.people.find_deactivated("李", [city.path]) == []
        await uow.people.set_active(p.id, True)
        await uow.commit()
    async with sql_uow() as uow:
        back = await uow.people.get(p.id)
        assert back is not None and back.active
        assert await uow.people.find_deactivated("张", [city.path]) == []


async def test_invitation_single_use(sql_uow) -> None:  # type: ignore[no-untyped-def]
    async with sql_uow() as uow:
        city, a, *_ = await unit_tree(uow)
        p = await uow.people.add(NewPerson("王五", a.id))
        await uow.invitations.add(
            Invitation("ABC", a.id, Role.CADRE, T0 + timedelta(days=1), "王五")
        )
        await uow.commit()
    async with sql_uow() as uow:
        inv = await uow.invitations.get_for_update("ABC")
        assert (
            inv is not None and inv.role == Role.CADRE and inv.expires_at == T0 + timedelta(days=1)
        )
        assert await uow.invitations.mark_used("ABC", p.id, T0)
        assert not await uow.invitations.mark_used("ABC", p.id, T0)
        await uow.commit()
    async with sql_uow() as uow:
        inv = await uow.invitations.get_for_update("ABC")
        assert inv is not None and inv.used_by == p.id and inv.used_at == T0


async def test_open_invitations_by_subtree_and_cancel(sql_uow) -> None:  # type: ignore[no-untyped-def]
    day = timedelta(days=1)
    async with sql_uow() as uow:
        city, a, b, a1 = await unit_tree(uow)
        p = await uow.people.add(NewPerson("王五", a.id))
        for code, unit, expires in (
            ("LATE", a1.id, T0 + 3 * day),
            ("SOON", a.id, T0 + day),
            ("GONE", a.id, T0 - day),  # expired
            ("USED", a.id, T0 + day),
            ("OTHER", b.id, T0 + day),
        ):
            await uow.invitations.add(Invitation(code, unit, Role.CADRE, expires))
        assert await uow.invitations.mark_used("USED", p.id, T0)
        await uow.commit()
    async with sql_uow() as uow:
        found = await uow.invitations.open_in([a.path], T0)
        assert [i.code for i in found] == ["SOON", "LATE"]
        assert not await uow.invitations.cancel("USED")  # a used code stays on record
        assert not await uow.invitations.cancel("NOPE")
        assert await uow.invitations.cancel("SOON")
        await uow.commit()
    async with sql_uow() as uow:
        assert await uow.invitations.get_for_update("SOON") is None
        assert await uow.invitations.get_for_update("USED") is not None
        assert [i.code for i in await uow.invitations.open_in([city.path], T0)] == [
            "OTHER",
            "LATE",
        ]


async def test_audit_is_append_only_and_filtered_by_subtree(sql_uow) -> None:  # type: ignore[no-untyped-def]
    async with sql_uow() as uow:
        city, a, b, a1 = await unit_tree(uow)
        await uow.audit.append(AuditEntry("x.view", 1, 10, "talk", "5", a1.id, {"k": 1}, T0))
        await uow.audit.append(
            AuditEntry("y.view", 1, 10, "talk", "6", b.id, {}, T0 + timedelta(hours=1))
        )
        await uow.commit()
    async with sql_uow() as uow:
        everything = await uow.audit.since(T0)
        assert [e.action for e in everything] == ["x.view", "y.view"]
        assert everything[0].details == {"k": 1} and everything[0].at == T0
        assert [e.action for e in await uow.audit.since(T0, [a.path])] == ["x.view"]
        assert [e.action for e in await uow.audit.since(T0 + timedelta(minutes=1))] == ["y.view"]
        assert not hasattr(uow.audit, "update") and not hasattr(uow.audit, "delete")


async def test_conversation_state_roundtrip(sql_uow) -> None:  # type: ignore[no-untyped-def]
    async with sql_uow() as uow:
        await uow.conversations.save(
            1, 2, FormState("pledge", "items", {"items": ["甲", "乙"]}, T0)
        )
        await uow.commit()
    async with sql_uow() as uow:
        state = await uow.conversations.load(1, 2)
        assert state == FormState("pledge", "items", {"items": ["甲", "乙"]}, T0)
        await uow.conversations.save(1, 2, FormState("pledge", "review", {}, T0))
        await uow.conversations.clear(1, 2)
        await uow.commit()
    async with sql_uow() as uow:
        assert await uow.conversations.load(1, 2) is None


async def test_question_log_feedback_escalation_and_gaps(sql_uow) -> None:  # type: ignore[no-untyped-def]
    async with sql_uow() as uow:
        q1 = await uow.questions.record(AskedQuestion(7, "天气如何", "none", None, 0.1), T0)
        q2 = await uow.questions.record(AskedQuestion(7, "天气如何", "none", None, 0.1), T0)
        q3 = await uow.questions.record(AskedQuestion(7, "诫勉多久", "answer", "x.y", 0.9), T0)
        assert await uow.questions.feedback(q3, 7, False)
        assert not await uow.questions.feedback(q3, 8, True)  # not the asker
        assert await uow.questions.escalate(q1, 7) == "天气如何"
        assert await uow.questions.escalate(q2, 8) is None
        await uow.commit()
    async with sql_uow() as uow:
        assert await uow.questions.gaps(10) == [("天气如何", 2), ("诫勉多久", 1)]
        # The latest question not passed on yet (a typed 转人工 passes it): q3, the newest.
        assert await uow.questions.latest_open(7, T0) == (q3, "诫勉多久")
        assert await uow.questions.latest_open(7, T0 + timedelta(seconds=1)) is None
        assert await uow.questions.latest_open(9, T0) is None
        later = await uow.questions.record(
            AskedQuestion(7, "再问", "none", None, 0.1), T0 + timedelta(minutes=1)
        )
        assert await uow.questions.latest_open(7, T0) == (later, "再问")
        assert await uow.questions.escalate(later, 7) == "再问"
        # Only the very latest counts: once it is passed on, an older one is not offered.
        assert await uow.questions.latest_open(7, T0) is None


async def test_question_purge_keeps_only_counts(sql_uow) -> None:  # type: ignore[no-untyped-def]
    day = timedelta(days=1)
    async with sql_uow() as uow:
        old1 = await uow.questions.record(AskedQuestion(7, "张三收礼怎么办", "none", None, 0.1), T0)
        await uow.questions.record(AskedQuestion(7, "诫勉多久", "answer", "x.y", 0.9), T0 + day)
        old3 = await uow.questions.record(
            AskedQuestion(8, "诫勉多久", "answer", "x.y", 0.9), T0 + 31 * day
        )
        await uow.questions.record(AskedQuestion(8, "天气", "none", None, 0.1), T0 + 200 * day)
        assert await uow.questions.feedback(old3, 8, False)
        assert await uow.questions.escalate(old1, 7) == "张三收礼怎么办"
        await uow.commit()
    async with sql_uow() as uow:
        assert await uow.questions.purge(T0 + 100 * day) == 3
        await uow.commit()
    async with sql_uow() as uow:
        # A second run finds nothing more and adds nothing.
        assert await uow.questions.purge(T0 + 100 * day) == 0
        await uow.commit()
    async with sql_uow() as uow:
        assert await uow.questions.gaps(10) == [("天气", 1)]  # the old texts are gone
        counts = [
            (c.month, c.status, c.entry_id, c.asked, c.unhelpful, c.escalated)
            for c in await uow.questions.archived()
        ]
    assert counts == [
        ("2026-04", "answer", "x.y", 1, 1, 0),
        ("2026-03", "answer", "x.y", 1, 0, 0),
        ("2026-03", "none", "", 1, 0, 1),
    ]
    # Purging later months adds to the counts already kept.
    async with sql_uow() as uow:
        await uow.questions.record(AskedQuestion(9, "诫勉多久", "answer", "x.y", 0.9), T0 + 2 * day)
        assert await uow.questions.purge(T0 + 100 * day) == 1
        await uow.commit()
    async with sql_uow() as uow:
        march = [c for c in await uow.questions.archived() if c.month == "2026-03"]
    assert [(c.status, c.asked) for c in march] == [("answer", 2), ("none", 1)]


async def test_rollback_discards_everything(sql_uow) -> None:  # type: ignore[no-untyped-def]
    async with sql_uow() as uow:
        await unit_tree(uow)
        await uow.rollback()
    async with sql_uow() as uow:
        assert await uow.units.count() == 0
    async with sql_uow() as uow:
        await unit_tree(uow)  # no commit: leaving the block discards it
    async with sql_uow() as uow:
        assert await uow.units.count() == 0
