"""Reasons for warning talks (``data/talk_reasons.yaml``), validated with pydantic."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field

from knowledge import DATA_DIR
from knowledge.coded import NamedCode, unique_codes

TALK_REASONS_FILE = DATA_DIR / "talk_reasons.yaml"


class TalkReason(NamedCode):
    """One reason category; ``code`` is what a stored talk keeps."""

    entry: str | None = None


class TalkReasonsFile(BaseModel):
    """The whole file: reasons with unique codes."""

    model_config = ConfigDict(extra="forbid")

    reasons: Annotated[list[TalkReason], Field(min_length=1), unique_codes("reason")]


class TalkReasons:
    """Reasons by code, in file order, with lookup by what people type."""

    def __init__(self, reasons: list[TalkReason]) -> None:
        self.by_code = {r.code: r for r in reasons}

    def all(self) -> list[TalkReason]:
        """Every reason in file order."""
        return list(self.by_code.values())

    def find(self, text: str) -> TalkReason | None:
        """A reason by code or by its Chinese or English name (case-insensitive)."""
        key = text.strip().lower()
        return next(
            (r for r in self.by_code.values() if key in (r.code, r.name_zh, r.name_en.lower())),
            None,
        )


@cache
def load_talk_reasons(path: Path = TALK_REASONS_FILE) -> TalkReasons:
    """The reasons from ``path`` (the built-in file by default), read once per process."""
    data = TalkReasonsFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
    return TalkReasons(data.reasons)
