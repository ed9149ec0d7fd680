"""Encryption at rest for the free text of sensitive records (talks, notices, cases).

Columns declared with :class:`EncryptedText` hold ``enc1:<Fernet token>`` once keys are
configured. Keys come from settings (``ENCRYPTION_KEYS``: comma-separated Fernet keys, the
first one encrypts, all of them decrypt), which makes rotation a two-step affair: put the
new key first, run ``lianzheng keys rotate`` to re-encrypt every value, then drop the old key.

The cipher is process-wide because SQLAlchemy type decorators have no per-session context;
the composition root configures it once at start-up.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import Text
from sqlalchemy.types import TypeDecorator

PREFIX = "enc1:"


class EncryptionKeyError(RuntimeError):
    """Encrypted data cannot be read: the key is missing or wrong."""


class _Cipher:
    def __init__(self) -> None:
        self.fernet: MultiFernet | None = None

    def configure(self, keys: Sequence[str]) -> None:
        keys = [k.strip() for k in keys if k.strip()]
        try:
            self.fernet = MultiFernet([Fernet(k.encode()) for k in keys]) if keys else None
        except ValueError:
            # Fernet's own message would print the key's shape, not which setting is wrong.
            raise EncryptionKeyError(
                "ENCRYPTION_KEYS holds a value that is not a key (make one with `lianzheng keys new`)"
            ) from None


CIPHER = _Cipher()


def configure(keys: Sequence[str]) -> None:
    """Set the keys (first encrypts); an empty list turns encryption off for new writes."""
    CIPHER.configure(keys)


def new_key() -> str:
    """A fresh random key, for ``lianzheng keys new``."""
    return Fernet.generate_key().decode()


def encrypt(value: str) -> str:
    """Encrypt with the primary key, or return the plain text when no key is configured."""
    if CIPHER.fernet is None:
        return value
    return PREFIX + CIPHER.fernet.encrypt(value.encode()).decode()


def decrypt(value: str) -> str:
    """Decrypt an ``enc1:`` value (plain values pass through)."""
    if not value.startswith(PREFIX):
        return value
    if CIPHER.fernet is None:
        raise EncryptionKeyError("encrypted records exist but no ENCRYPTION_KEYS is configured")
    try:
        return CIPHER.fernet.decrypt(value[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        raise EncryptionKeyError(
            "ENCRYPTION_KEYS cannot decrypt the stored records (wrong key?)"
        ) from None


def rotate(value: str) -> str:
    """Re-encrypt a stored value with the primary key (plain values get encrypted)."""
    if CIPHER.fernet is None:
        raise EncryptionKeyError("configure ENCRYPTION_KEYS before rotating")
    if not value.startswith(PREFIX):
        return encrypt(value)
    try:
        return PREFIX + CIPHER.fernet.rotate(value[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        raise EncryptionKeyError(
            "no key in ENCRYPTION_KEYS decrypts the stored records: keep the old key after the new one"
        ) from None


class EncryptedJSON(TypeDecorator[Any]):
    """A JSON value serialised to text and stored like :class:`EncryptedText`."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Any) -> str | None:
        return None if value is None else encrypt(json.dumps(value, ensure_ascii=False))

    def process_result_value(self, value: str | None, dialect: Any) -> Any:
        return None if value is None else json.loads(decrypt(value))


class EncryptedText(TypeDecorator[str]):
    """Text stored encrypted when keys are configured; transparent to the code above."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Any) -> str | None:
        return None if value is None else encrypt(value)

    def process_result_value(self, value: str | None, dialect: Any) -> str | None:
        return None if value is None else decrypt(value)
