"""The closed-book test's questions reach Telegram as regular polls, practice's as quiz polls.

A quiz poll highlights the right option the moment someone votes, so during the timed test
it would show (and let people pass on) the answers. Both front ends are served as
``lianzheng run`` serves them against the fake Bot API; the checks read the sendPoll calls
they make and answer the polls with poll_answer updates, as Telegram would.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.composition import App
from handlers.core.clock import ManualClock
from knowledge.quiz import quiz_bank
from knowledge.retrieval import KnowledgeBase
from tests.e2e import scenario as sc
from tests.e2e.drivers import Seen, TelegramDriver, running_bot
from tests.e2e.fake_bot_api import Call, FakeBotApi

pytestmark = pytest.mark.e2e
FRAMEWORKS = ["ptb", "aiogram"]
CADRE = 1104  # 马丽娟, a registered cadre of the demo organisation
#: 10 August 2026, 10:00 in Shanghai: inside the education month, when /test is open.
IN_TEST_MONTH = datetime(2026, 8, 10, 2, 0, tzinfo=UTC)


def falsy(value: Any) -> bool:
    """A boolean Bot API parameter that is false, however the framework encoded it
    (JSON ``false`` or the form field ``"false"``/``"False"``)."""
    return value is False or str(value).lower() == "false"


def correct_options(params: dict[str, Any]) -> list[int] | None:
    """The right option(s) a sendPoll call gave away, whichever way it was named (newer
    python-telegram-bot sends Bot API 9.6's ``correct_option_ids`` list, aiogram the single
    ``correct_option_id``); None if the call named none."""
    if "correct_option_ids" in params:
        value = params["correct_option_ids"]
        return [int(i) for i in (json.loads(value) if isinstance(value, str) else value)]
    if "correct_option_id" in params:
        return [int(params["correct_option_id"])]
    return None


def last_poll(api: FakeBotApi) -> Call:
    """The latest sendPoll call."""
    polls = api.replies("sendPoll")
    assert polls, "no sendPoll"
    return polls[-1]


def in_test_month(app: App) -> None:
    """Move the bot's clock into the education month."""
    clock = app.services.clock
    assert isinstance(clock, ManualClock)
    clock.set(IN_TEST_MONTH)


@asynccontextmanager
async def first_poll(
    tmp_path: Path, kb: KnowledgeBase, framework: str, monkeypatch: pytest.MonkeyPatch, command: str
) -> AsyncIterator[tuple[FakeBotApi, App, TelegramDriver, Seen]]:
    """The bot running with its clock in the education month after the cadre sent
    ``command``: yields the fake Bot API, the app, the driver and the first poll."""
    async with running_bot(tmp_path, framework, kb, monkeypatch) as (api, app, senders):
        driver = TelegramDriver(framework, api, app, senders)
        in_test_month(app)
        seen = await driver.send(sc.Send(CADRE, command), command)
        [poll] = [s for s in seen if s.kind == "poll"]
        yield api, app, driver, poll


async def recorded_answers(app: App) -> tuple[int | None, ...]:
    """The cadre's one test attempt's answers so far, as the core recorded them."""
    async with app.uow_factory() as uow:
        person = await uow.people.by_telegram_id(CADRE)
        assert person is not None
        [attempt] = await uow.quiz.attempts(person.id, IN_TEST_MONTH.year, practice=False)
        return attempt.answers


@pytest.mark.parametrize("framework", FRAMEWORKS)
async def test_timed_test_polls_are_regular_and_still_answered(
    tmp_path: Path, kb: KnowledgeBase, framework: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot = first_poll(tmp_path, kb, framework, monkeypatch, "/test")
    async with bot as (api, app, driver, poll):
        assert poll.text.startswith("(1/10) ")
        params = last_poll(api).params
        assert params.get("type") == "regular", params
        # No right option under any name, and no explanation (it would give the reason away).
        assert not [k for k in params if "correct" in k] and "explanation" not in params, params
        # Non-anonymous, or Telegram would not send the poll_answer the test runs on.
        assert falsy(params.get("is_anonymous")), params
        assert len(params["options"]) == 4

        # The answer comes back as a poll_answer update: recorded, and the next question
        # (hidden as well) follows with nothing said about the first answer.
        seen = await driver.answer(CADRE, poll, 0)
        assert [s.kind for s in seen] == ["poll"], seen
        assert seen[0].text.startswith("(2/10) ")
        assert (await recorded_answers(app))[:2] == (0, None)
        params = last_poll(api).params
        assert params.get("type") == "regular" and correct_options(params) is None, params


@pytest.mark.parametrize("framework", FRAMEWORKS)
async def test_practice_polls_stay_quiz_polls(
    tmp_path: Path, kb: KnowledgeBase, framework: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Practice during the test month is still practice.
    async with first_poll(tmp_path, kb, framework, monkeypatch, "/quiz") as (api, _, _, poll):
        params = last_poll(api).params
        assert params.get("type") == "quiz", params
        question = poll.text.split(") ", 1)[1]
        options = tuple(label for label, _ in poll.buttons)
        # Options too: the bank holds one question twice, with the options in another order.
        [asked] = [
            q for q in quiz_bank().values() if q.question == question and q.options == options
        ]
        assert correct_options(params) == [asked.correct], params
        assert params.get("explanation")
        assert falsy(params.get("is_anonymous")), params
