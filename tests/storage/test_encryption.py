"""Encryption at rest of sensitive free text, the start-up key check and key rotation."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import text

from handlers.core.domain import AskedQuestion, FormState
from storage import crypto
from storage.crypto import EncryptionKeyError
from storage.keys import check_keys, rotate_keys
from storage.records.models import RectificationNoticeRow

pytestmark = pytest.mark.storage
T0 = datetime(2026, 3, 1, tzinfo=UTC)
SECRET = "某局长收受购物卡三万元"


@pytest.fixture
def keys() -> Iterator[tuple[str, str]]:
    old, new = crypto.new_key(), crypto.new_key()
    crypto.configure([old])
    yield old, new
    crypto.configure([])


async def _store(sql_uow: object) -> int:
    from bot.demo.organisation import seed_demo

    async with sql_uow() as uow:  # type: ignore[operator]
        await seed_demo(uow, T0)
        unit = await uow.units.by_code("HL-ZF")
        head = await uow.people.by_telegram_id(1103)
        row = RectificationNoticeRow(
            unit_id=unit.id,
            recipient_id=head.id,
            issued_on=date(2026, 3, 1),
            deadline=date(2026, 4, 1),
            problems=SECRET,
            status="open",
            created_by=head.id,
            created_at=T0,
            updated_at=T0,
            version=1,
        )
        uow.session.add(row)
        await uow.conversations.save(1, 2, FormState("talk", "summary", {"summary": SECRET}, T0))
        await uow.commit()
        return row.id


async def test_sensitive_text_is_encrypted_at_rest(
    sql_uow: object, engine: object, keys: tuple[str, str]
) -> None:
    notice_id = await _store(sql_uow)
    async with engine.connect() as conn:  # type: ignore[attr-defined]
        raw = await conn.scalar(
            text("SELECT problems FROM rectification_notices WHERE id = :i"), {"i": notice_id}
        )
        draft = await conn.scalar(text("SELECT data FROM conversations"))
    assert raw.startswith("enc1:") and SECRET not in raw
    assert draft.startswith("enc1:") and SECRET not in draft
    async with sql_uow() as uow:  # type: ignore[operator]
        row = await uow.session.get(RectificationNoticeRow, notice_id)
        assert row.problems == SECRET
        state = await uow.conversations.load(1, 2)
        assert state.data == {"summary": SECRET}


async def test_start_up_refuses_missing_or_wrong_key(
    sql_uow: object, engine: object, keys: tuple[str, str]
) -> None:
    await _store(sql_uow)
    await check_keys(engine)  # the right key
    crypto.configure([])
    with pytest.raises(EncryptionKeyError, match="ENCRYPTION_KEYS"):
        await check_keys(engine)
    crypto.configure([crypto.new_key()])
    with pytest.raises(EncryptionKeyError, match="wrong key"):
        await check_keys(engine)


async def test_key_rotation(sql_uow: object, engine: object, keys: tuple[str, str]) -> None:
    old, new = keys
    notice_id = await _store(sql_uow)
    crypto.configure([new, old])
    assert await rotate_keys(engine) >= 2
    crypto.configure([new])  # the old key is gone
    await check_keys(engine)
    async with sql_uow() as uow:  # type: ignore[operator]
        row = await uow.session.get(RectificationNoticeRow, notice_id)
        assert row.problems == SECRET


async def test_chat_questions_are_encrypted_and_grouped_after_decryption(
    sql_uow: object, engine: object, keys: tuple[str, str]
) -> None:
    question = f"{SECRET}，该怎么处理"
    async with sql_uow() as uow:  # type: ignore[operator]
        await uow.questions.record(AskedQuestion(7, question, "none", None, 0.1), T0)
        await uow.questions.record(AskedQuestion(8, f"  {question} ", "none", None, 0.1), T0)
        await uow.commit()
    async with engine.connect() as conn:  # type: ignore[attr-defined]
        raw = (await conn.execute(text("SELECT query FROM questions"))).scalars().all()
    assert len(raw) == 2 and all(r.startswith("enc1:") and SECRET not in r for r in raw)
    assert raw[0] != raw[1]  # a random nonce: SQL cannot group equal texts
    async with sql_uow() as uow:  # type: ignore[operator]
        assert await uow.questions.gaps(10) == [(question, 2)]
