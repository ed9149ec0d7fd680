"""Shared by the eligibility worked-case tables: effects written compactly, one case a row."""

from __future__ import annotations

from datetime import date

from handlers.eligibility.rules import Effect, Source


def day(text: str) -> date:
    """An ISO date (``2026-03-10``): the tables read as the articles' dates do."""
    return date.fromisoformat(text)


def maybe_day(text: str | None) -> date | None:
    """An ISO date, or None where a case expects no date."""
    return None if text is None else day(text)


def effects(spec: str) -> list[Effect]:
    """``kind@YYYY-MM-DD`` items separated by spaces, in decision order, as case records 1, 2…"""
    items = [item.split("@") for item in spec.split()]
    return [Effect(kind, Source.CASE, n, day(start)) for n, (kind, start) in enumerate(items, 1)]
