"""Start-up measures that keep latency flat under load (see BENCHMARKS.md, Reliability)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from bot.heap import freeze_startup_heap


@pytest.fixture
def unfrozen() -> Iterator[None]:
    yield
    gc.unfreeze()


def test_start_up_objects_are_exempt_from_later_collections(unfrozen: None) -> None:
    survivor = [object() for _ in range(100)]
    frozen = freeze_startup_heap()
    assert frozen >= 100
    assert gc.get_freeze_count() == frozen
    # A full collection now walks only what was created after start-up.
    assert not any(o is survivor for o in gc.get_objects())


def test_aiogram_response_models_are_built_once() -> None:
    """aiogram parses every answer as Response[T]; pydantic caches that class only weakly,
    so unless pinned it was rebuilt on each Bot API call."""
    from aiogram.methods import SendMessage
    from aiogram.methods.base import Response

    from bot.frontends.aiogram import _PINNED_RESPONSE_MODELS, _pin_response_models

    _pin_response_models()
    model = Response[SendMessage.__returning__]  # type: ignore[name-defined]
    gc.collect()
    assert Response[SendMessage.__returning__] is model  # type: ignore[name-defined]
    assert model in _PINNED_RESPONSE_MODELS


def test_httpcore_finds_sniffio() -> None:
    """Without sniffio httpcore retries a failing import on every request."""
    import sniffio  # noqa: F401
