"""What the data files of coded items share: an item known by its code and named in both
interface languages (sanction kinds, talk reasons), the check that a file's codes are
unique (those files and the calendar's events), and the check that a field holds one of
a fixed set of codes (an entry's topic, a check-in window's period)."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from typing import Protocol, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, Field


class HasCode(Protocol):
    """An item of a data file with a code of its own."""

    @property
    def code(self) -> str:
        """The item's code, unique in its file."""
        ...


Item = TypeVar("Item", bound=HasCode)


def unique_codes(what: str) -> AfterValidator:
    """The validator of a file's list of items (``Annotated[list[X], unique_codes("kind")]``):
    it refuses two items with one code, naming the repeated codes (``what`` names the items
    in the message: ``duplicate kind codes: […]``)."""

    def check(items: Sequence[Item]) -> Sequence[Item]:
        codes = [item.code for item in items]
        dupes = sorted({c for c in codes if codes.count(c) > 1})
        if dupes:
            raise ValueError(f"duplicate {what} codes: {dupes}")
        return items

    return AfterValidator(check)


def one_of(codes: Collection[str], what: str) -> AfterValidator:
    """The validator of a field that must hold one of ``codes``
    (``Annotated[str, one_of(TOPICS, "topic")]``): anything else is an unknown ``what``."""

    def check(value: str) -> str:
        if value not in codes:
            raise ValueError(f"unknown {what} {value!r}")
        return value

    return AfterValidator(check)


class NamedCode(BaseModel):
    """An item known by a short code (what records store) and named in Chinese and English."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[a-z][a-z0-9_]{1,31}$")
    name_zh: str = Field(min_length=2)
    name_en: str = Field(min_length=2)

    def name(self, language: str) -> str:
        """The item's name in the interface language."""
        return self.name_en if language == "en" else self.name_zh
