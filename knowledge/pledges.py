"""Rule-base data for integrity pledges: suggested items by post type, and the check-in calendar.

Both live in ``knowledge/data`` as YAML and are validated here with pydantic, so a bad edit
fails loudly at start-up instead of showing a broken form. This module deliberately returns
plain data (strings, tuples, month-day pairs): the core maps them onto its own types.
"""

from __future__ import annotations

import itertools
from datetime import date
from functools import cache
from pathlib import Path
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from knowledge.coded import one_of

DATA_DIR = Path(__file__).parent / "data"
SUGGESTIONS_FILE = DATA_DIR / "pledge_suggestions.yaml"
WINDOWS_FILE = DATA_DIR / "checkin_windows.yaml"

#: Post types a pledge is fitted to (一把手, 班子成员, 纪委书记/纪检组长, 一般科级干部).
POST_TYPES = ("principal", "member", "discipline", "section")
#: Check-in periods, in calendar order.
PERIODS = ("midyear", "yearend")
#: Longest pledge item, in characters (the issue's limit; also applies to suggestions).
MAX_ITEM_CHARS = 200

MonthDay = tuple[int, int]


class Suggestion(BaseModel):
    """One suggested pledge item, in both interface languages."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    zh: str = Field(min_length=1, max_length=MAX_ITEM_CHARS)
    en: str = Field(min_length=1, max_length=MAX_ITEM_CHARS)

    def text(self, language: str) -> str:
        """The suggestion in ``language`` (Chinese unless English was asked for)."""
        return self.en if language == "en" else self.zh


class SuggestionFile(BaseModel):
    """Schema of ``pledge_suggestions.yaml``."""

    model_config = ConfigDict(extra="forbid")

    post_types: dict[str, list[Suggestion]]

    @field_validator("post_types")
    @classmethod
    def _every_known_type(cls, value: dict[str, list[Suggestion]]) -> dict[str, list[Suggestion]]:
        unknown = set(value) - set(POST_TYPES)
        missing = set(POST_TYPES) - set(value)
        if unknown or missing:
            raise ValueError(f"post types must be exactly {POST_TYPES}")
        for name, items in value.items():
            if not items:
                raise ValueError(f"{name}: at least one suggestion is needed")
        return value


def _month_day(text: str) -> MonthDay:
    """Parse ``MM-DD``; checked against a non-leap year so every year has the day."""
    try:
        month, day = (int(x) for x in text.split("-"))
        date(2001, month, day)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"not a valid MM-DD day: {text!r}") from exc
    return month, day


class WindowSpec(BaseModel):
    """One check-in window, as month-day pairs (inclusive)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    period: Annotated[str, one_of(PERIODS, "period")]
    start: MonthDay
    end: MonthDay
    #: A calendar event (knowledge/data/calendar.yaml) the window leads up to: when an
    #: administrator has set the event's date for a year, the window closes the day before
    #: it and opens ``weeks_before`` weeks before it; otherwise start and end apply.
    before_event: str | None = None
    weeks_before: int = Field(default=6, ge=1, le=26)
    #: The calendar event that *is* this window (shown by /calendar, reminded of); it takes
    #: the derived dates unless an administrator set its own.
    shown_as: str | None = None

    @field_validator("before_event", "shown_as")
    @classmethod
    def _known_event(cls, value: str | None) -> str | None:
        from knowledge.calendar import event_by_code

        if value is not None and event_by_code(value) is None:
            raise ValueError(f"unknown calendar event: {value!r}")
        return value

    @field_validator("start", "end", mode="before")
    @classmethod
    def _parse_day(cls, value: object) -> object:
        return _month_day(value) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _ordered(self) -> WindowSpec:
        if self.end < self.start:
            raise ValueError(f"{self.period}: the window ends before it starts")
        return self


class CalendarSpec(BaseModel):
    """Schema of ``checkin_windows.yaml``: the pledge deadline and the check-in windows."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    pledge_due: MonthDay
    windows: tuple[WindowSpec, ...]

    @field_validator("pledge_due", mode="before")
    @classmethod
    def _parse_due(cls, value: object) -> object:
        return _month_day(value) if isinstance(value, str) else value

    @model_validator(mode="after")
    def _one_window_per_period_no_overlap(self) -> CalendarSpec:
        periods = [w.period for w in self.windows]
        if sorted(periods) != sorted(set(periods)) or not periods:
            raise ValueError("each period needs exactly one window")
        ordered = sorted(self.windows, key=lambda w: w.start)
        if [w.period for w in ordered] != [p for p in PERIODS if p in periods]:
            raise ValueError("windows must follow the order of the periods")
        for a, b in itertools.pairwise(ordered):
            if b.start <= a.end:
                raise ValueError(f"windows {a.period} and {b.period} overlap")
        return self


def _read_yaml(path: Path) -> object:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_suggestions(path: Path = SUGGESTIONS_FILE) -> dict[str, tuple[Suggestion, ...]]:
    """Suggested items per post type; raises ``ValueError`` on a malformed file."""
    parsed = SuggestionFile.model_validate(_read_yaml(path))
    return {name: tuple(items) for name, items in parsed.post_types.items()}


def load_calendar(path: Path = WINDOWS_FILE) -> CalendarSpec:
    """The pledge deadline and check-in windows; raises ``ValueError`` on a malformed file."""
    return CalendarSpec.model_validate(_read_yaml(path))


@cache
def default_suggestions() -> dict[str, tuple[Suggestion, ...]]:
    """The built-in suggestions, loaded once per process."""
    return load_suggestions()


@cache
def default_calendar() -> CalendarSpec:
    """The built-in calendar, loaded once per process."""
    return load_calendar()
