"""A record kind declared in one module (letter_kind.py) works through the generic engine on
the fakes: form, list with its declared statuses, open, edit with a revision, deletion; and
the storage declaration refuses what no table can hold."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pytest

from handlers.core.app import Assistant
from handlers.core.clock import ManualClock
from handlers.records.domain import TALKS, Tombstone
from handlers.records.lists import parse_filters
from handlers.records.stored import Column, Empty, Stored, stored
from handlers.registry import all_routers
from knowledge.retrieval import KnowledgeBase
from tests.conftest import make_services
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.core.helpers import say, texts
from tests.handlers.records import letter_kind
from tests.handlers.records.support import ADMIN, HL_CADRE, HL_INSPECTOR, ZH, created_id, run


@pytest.fixture
def assistant(fake_uow: FakeUnitOfWorkFactory, clock: ManualClock, kb: KnowledgeBase) -> Assistant:
    """The assistant with the letter kind mounted beside the built-in ones."""
    return Assistant(fake_uow, make_services(clock, kb), [*all_routers(), letter_kind.router])


def letters(fake_uow: FakeUnitOfWorkFactory) -> dict[int, letter_kind.LetterInquiry]:
    return fake_uow.db.record_tables.declared[letter_kind.STORED.table]


async def create_letter(assistant: Assistant, day: str = "2026-03-02") -> int:
    replies = await run(
        assistant, HL_INSPECTOR, "/letter 马丽娟", day, "反映其违规收受礼金问题", "@f:ok"
    )
    return created_id(replies, "lt")


async def test_a_declared_kind_is_created_listed_opened_edited_and_deleted(
    assistant: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    lid = await create_letter(assistant)
    letter = letters(fake_uow)[lid]
    assert (letter.sent_on, letter.matter, letter.reply) == (
        date(2026, 3, 2),
        "反映其违规收受礼金问题",
        None,
    )
    assert fake_uow.db.audit[-1].action == "letter.created"
    assert fake_uow.db.record_tables.revisions[-1].record_type == "letter"
    listed = texts(await say(assistant, HL_INSPECTOR, "/letters open"))
    assert f"#{lid}" in listed and "马丽娟" in listed
    assert f"#{lid}" not in texts(await say(assistant, HL_INSPECTOR, "/letters replied"))
    # The person asked reads it as his or her own; a stranger's view is refused elsewhere.
    assert "反映其违规收受礼金问题" in texts(await say(assistant, HL_CADRE, data=f"lt:o:{lid}"))
    await run(
        assistant, HL_INSPECTOR, f"@lt:e:{lid}", "@f:edit:matter", "反映其违规操办婚宴问题", "@f:ok"
    )
    assert letters(fake_uow)[lid].matter == "反映其违规操办婚宴问题"
    assert letters(fake_uow)[lid].version == 2
    history = texts(await say(assistant, HL_INSPECTOR, data=f"lt:h:{lid}"))
    assert "反映其违规操办婚宴问题" in history
    done = await run(assistant, ADMIN, f"@lt:d:{lid}", "重复录入，删除", "@f:ok")
    assert ZH._(
        "{noun} #{id} was deleted. Its tombstone and history are kept.",
        noun=ZH._("Letter inquiry"),
        id=lid,
    ) in texts(done)
    assert isinstance(letters(fake_uow)[lid].deleted, Tombstone)
    assert f"#{lid}" not in texts(await say(assistant, HL_INSPECTOR, "/letters"))


async def test_a_declared_status_filters_on_its_field(
    assistant: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    first = await create_letter(assistant, "2026-03-02")
    second = await create_letter(assistant, "2026-03-05")
    async with fake_uow() as uow:
        repo = uow.records.kind(letter_kind.STORED)
        assert await repo.update(first, 1, {"reply": "已如实说明"}, clock.now())
        await uow.commit()
    replied = texts(await say(assistant, HL_INSPECTOR, "/letters replied"))
    waiting = texts(await say(assistant, HL_INSPECTOR, "/letters open"))
    assert f"#{first}" in replied and f"#{second}" not in replied
    assert f"#{second}" in waiting and f"#{first}" not in waiting
    # Latest day first in the list, earliest first for a person.
    everything = texts(await say(assistant, HL_INSPECTOR, "/letters"))
    assert everything.index(f"#{second}") < everything.index(f"#{first}")
    async with fake_uow() as uow:
        person = letters(fake_uow)[first].person_id
        mine = await uow.records.kind(letter_kind.STORED).for_person(person)
    assert [r.id for r in mine] == [first, second]


def test_the_talk_declaration_derives_the_columns_of_its_table() -> None:
    columns = {c.name: c for c in TALKS.columns()}
    assert columns["person_id"] == Column("person_id", "ref", False, target="people", indexed=True)
    assert columns["talk_date"] == Column("talk_date", "date", False, indexed=True)
    assert columns["reason"] == Column("reason", "code", False, length=32)
    assert columns["summary"] == Column("summary", "text", False)
    assert columns["follow_up_result"] == Column("follow_up_result", "text", True)
    assert "created_by" not in columns and "version" not in columns and "id" not in columns


@dataclass(frozen=True)
class _Odd:
    id: int
    unit_id: int
    day: date
    created_by: int
    created_at: datetime
    payload: dict[str, int]
    version: int = 1
    deleted: Tombstone | None = None


def test_a_declaration_refuses_what_no_table_can_hold() -> None:
    with pytest.raises(TypeError, match="no column holds"):
        Stored("test_odd", _Odd, day="day", person="")
    with pytest.raises(TypeError, match="no field when"):
        Stored("test_odd", _Odd, day="when", person="")
    with pytest.raises(TypeError, match="no field person_id"):
        Stored("test_odd", _Odd, day="day")
    with pytest.raises(TypeError, match="no field closed"):
        Stored("test_odd", _Odd, day="day", person="", statuses={"x": Empty("closed")})


def test_a_table_is_declared_once() -> None:
    with pytest.raises(ValueError, match="declared twice"):
        stored(Stored("warning_talks", letter_kind.LetterInquiry, day="sent_on"))
    assert stored(TALKS) is TALKS  # the same declaration again is harmless


async def test_a_list_status_is_typed_as_its_code_or_its_shown_name() -> None:
    names = {"open": "待回复", "replied": "已回复"}
    # No unit among the words, so the reader's context is not needed.
    by_name = await parse_filters(None, "2025 已回复", names)  # type: ignore[arg-type]
    assert (by_name.year, by_name.status) == (2025, "replied")
    by_code = await parse_filters(None, "open", names)  # type: ignore[arg-type]
    assert by_code.status == "open"
    assert (await parse_filters(None, "2024", names)).status is None  # type: ignore[arg-type]
