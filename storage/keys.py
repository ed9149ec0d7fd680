"""Start-up key check and key rotation for the encrypted columns."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import Column, Table, select, type_coerce, update
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.types import Text

from storage.crypto import PREFIX, EncryptedJSON, EncryptedText, EncryptionKeyError, decrypt, rotate
from storage.schema import metadata


def encrypted_columns() -> Iterator[tuple[Table, Column[object]]]:
    """Every (table, column) declared with an encrypted type."""
    for table in metadata.sorted_tables:
        for column in table.columns:
            if isinstance(column.type, (EncryptedText, EncryptedJSON)):
                yield table, column


async def check_keys(engine: AsyncEngine) -> None:
    """Refuse to start when encrypted values exist that the configured keys cannot read."""
    async with engine.connect() as conn:
        for table, column in encrypted_columns():
            raw = type_coerce(column, Text)
            value = await conn.scalar(select(raw).where(raw.startswith(PREFIX)).limit(1))
            if value is not None:
                try:
                    decrypt(value)
                except EncryptionKeyError as exc:
                    raise EncryptionKeyError(
                        f"{exc} (table {table.name}). Set ENCRYPTION_KEYS to the key(s) the data "
                        "was written with; see README, 'Encryption at rest'."
                    ) from None


async def rotate_keys(engine: AsyncEngine) -> int:
    """Re-encrypt every stored value with the primary key; returns how many were rewritten."""
    count = 0
    async with engine.begin() as conn:
        for table, column in encrypted_columns():
            raw = type_coerce(column, Text)
            pk = list(table.primary_key.columns)
            rows = (await conn.execute(select(*pk, raw).where(column.is_not(None)))).all()
            for row in rows:
                *keys, value = row
                new = rotate(value)
                if new != value:
                    cond = [c == k for c, k in zip(pk, keys, strict=True)]
                    await conn.execute(
                        update(table).where(*cond).values({column.name: type_coerce(new, Text)})
                    )
                    count += 1
    return count
