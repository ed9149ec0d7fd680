"""Hostile updates through the webhook of both front ends (property-based, hypothesis).

Each framework runs the real bot in webhook mode on a SQLite database with the demo
organisation, in a background thread, against the fake Bot API. Generated updates — missing
fields, wrong types, huge texts, control characters, forged callback data, unknown update
kinds, out-of-range ids, bodies that are not JSON — are posted to the webhook one by one.

The contract (also in README):
- a body that is not a JSON object with an integer ``update_id`` in Telegram's range gets
  400 (it cannot be an update from Telegram, and nothing is done with it);
- anything else gets 200, whatever is inside, so Telegram never redelivers a poison update
  in a loop; an update that is malformed inside is dropped with a warning;
- nothing is ever logged as an error (no unhandled exception anywhere), every reply is a
  well-formed Bot API call to the chat the update came from, and rejected input changes
  nothing in the database (only the update-id log used to drop redeliveries).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import threading
import urllib.error
import urllib.request
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from bot.composition import App
from knowledge.retrieval import KnowledgeBase
from storage.core.models import Base, PersonRow
from tests.e2e.drivers import running_bot
from tests.e2e.fake_bot_api import FakeBotApi
from tests.e2e.test_telegram_frontends import free_port
from tests.error_log import ErrorLog

pytestmark = [
    pytest.mark.e2e,
    # aiogram warns about each unknown kind of update, which these tests send on purpose
    pytest.mark.filterwarnings("ignore:Detected unknown update type:RuntimeWarning"),
]


T = TypeVar("T")

REGISTERED = 1104  # 马丽娟, a cadre of the demo organisation
ADMIN = 1001  # 王建国, administrator of the demo organisation
STRANGER = 555
SECRET_HEADER = {"X-Telegram-Bot-Api-Secret-Token": "webhook-secret-for-tests-0123"}
UPDATE_IDS = itertools.count(100_000)
#: Tables that may change for an update that is otherwise rejected: the log of processed
#: update ids (so a redelivery is dropped) and the audit log (every refused command,
#: button or record is audited).
BOOKKEEPING = {"processed_updates", "audit_log"}


class Harness:
    """The bot in webhook mode, served from its own thread and event loop."""

    def __init__(self, framework: str, folder: Path, kb: KnowledgeBase) -> None:
        self.framework, self.folder, self.kb = framework, folder, kb
        self._ready = threading.Event()
        self._thread = threading.Thread(target=lambda: asyncio.run(self._main()), daemon=True)
        self.api: FakeBotApi
        self.app: App
        self.port = 0

    async def _main(self) -> None:
        # No reminder dispatcher: only the generated updates may cause Bot API calls.
        # No reminder dispatcher (running_bot stubs it): only the generated updates may
        # cause Bot API calls.
        port = free_port()
        async with running_bot(
            self.folder, self.framework, self.kb, mode="webhook", webhook_port=port
        ) as (api, app, _):
            self.api, self.app, self.port = api, app, port
            self.loop = asyncio.get_running_loop()
            self._stop = asyncio.Event()
            self._ready.set()
            await self._stop.wait()

    def start(self) -> Harness:
        self._thread.start()
        assert self._ready.wait(120), "the bot did not start"
        return self

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(60)

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        """Run a coroutine on the bot's loop and wait for its result."""
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(60)

    def post(self, body: bytes) -> int:
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/telegram/webhook",
            data=body,
            headers={"Content-Type": "application/json", **SECRET_HEADER},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return int(response.status)
        except urllib.error.HTTPError as exc:
            return int(exc.code)

    def wait_idle(self, timeout: float = 60) -> None:
        """Until no update is being processed (the webhook's /health counts them).

        Polled from the test's thread, so that the bot's loop is free to finish the work.
        """
        pause = threading.Event()
        for _ in range(int(timeout / 0.01)):
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=5) as r:
                if json.loads(r.read())["in_flight"] == 0:
                    return
            pause.wait(0.01)
        raise AssertionError("update still processing")

    def registered(self) -> set[int]:
        """Telegram ids of the people in the database."""

        async def ids() -> set[int]:
            async with self.app.engine.connect() as conn:
                rows = await conn.execute(select(PersonRow.telegram_user_id))
                return {r[0] for r in rows if r[0] is not None}

        return self.run(ids())

    def counts(self) -> dict[str, int]:
        """Rows per table."""

        async def count() -> dict[str, int]:
            out = {}
            async with self.app.engine.connect() as conn:
                for table in Base.metadata.sorted_tables:
                    out[table.name] = int(
                        (await conn.execute(select(func.count()).select_from(table))).scalar_one()
                    )
            return out

        return self.run(count())


@pytest.fixture(scope="module", params=["ptb", "aiogram"])
def harness(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory, kb: KnowledgeBase
) -> Iterator[Harness]:
    h = Harness(request.param, tmp_path_factory.mktemp(request.param), kb).start()
    yield h
    h.stop()


@pytest.fixture(scope="module")
def errors() -> Iterator[ErrorLog]:
    handler = ErrorLog()
    logging.getLogger().addHandler(handler)
    yield handler
    logging.getLogger().removeHandler(handler)


# -- strategies ------------------------------------------------------------------------------
BIG = 2**70
ints = st.one_of(st.integers(-(2**31), 2**31), st.integers(-BIG, BIG))
json_scalars = st.one_of(
    st.none(), st.booleans(), ints, st.floats(allow_nan=False), st.text(max_size=40)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
user_ids = st.one_of(st.sampled_from([REGISTERED, STRANGER, ADMIN]), ints)
texts = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(categories=["Cc", "Cf", "Zs", "So", "Cs"]), max_size=80),
    st.builds(lambda c, n: c * n, st.characters(), st.integers(4000, 60_000)),  # huge
    st.builds(lambda a, b: f"/{a} {b}", st.text(max_size=30), st.text(max_size=100)),
    st.sampled_from(["/start", "/start 123456", "/help", "/me", "/talk", "/notice x"]),
)
forged_data = st.one_of(
    st.text(max_size=80),
    st.builds(
        lambda p, a: f"{p}:{a}",
        st.sampled_from(["f", "qa", "tk", "nt", "as", "cs", "rm", "pl", "sum", "lang", "quiz"]),
        st.text(max_size=40),
    ),
    st.builds(lambda n: f"tk:o:{n}", ints),
)


def user(uid: Any, lang: Any = "zh-hans") -> dict[str, Any]:
    return {"id": uid, "is_bot": False, "first_name": "U", "language_code": lang}


@st.composite
def mangled(draw: st.DrawFn, obj: dict[str, Any]) -> dict[str, Any]:
    """Drop some fields and give others a value of the wrong type."""
    keys = sorted(obj)
    for key in draw(st.sets(st.sampled_from(keys), max_size=2)) if keys else ():
        obj.pop(key, None)
    for key in draw(st.sets(st.sampled_from(keys), max_size=2)) if keys else ():
        obj[key] = draw(json_values)
    return obj


@st.composite
def messages(draw: st.DrawFn) -> dict[str, Any]:
    uid = draw(user_ids)
    group = draw(st.booleans())
    chat = (
        {"id": -100500, "type": "group", "title": "G"} if group else {"id": uid, "type": "private"}
    )
    message: dict[str, Any] = {
        "message_id": draw(ints),
        "date": 1_773_000_000,
        "chat": chat,
        "from": user(uid, draw(st.sampled_from(["zh-hans", "en", None, "xx"]))),
        "text": draw(texts),
    }
    if draw(st.booleans()):
        message = draw(mangled(message))
    kind = draw(st.sampled_from(["message", "message", "edited_message", "channel_post"]))
    return {kind: message}


@st.composite
def button_presses(draw: st.DrawFn) -> dict[str, Any]:
    uid = draw(user_ids)
    query: dict[str, Any] = {
        "id": draw(st.text(min_size=1, max_size=20)),
        "from": user(uid),
        "chat_instance": "ci",
        "data": draw(forged_data),
        "message": {
            "message_id": draw(ints),
            "date": 1_773_000_000,
            "chat": {"id": uid, "type": "private"},
            "from": {"id": 777000, "is_bot": True, "first_name": "Bot"},
            "text": "…",
        },
    }
    if draw(st.booleans()):
        query = draw(mangled(query))
    return {"callback_query": query}


@st.composite
def poll_answers(draw: st.DrawFn) -> dict[str, Any]:
    answer: dict[str, Any] = {
        "poll_id": draw(st.text(max_size=20)),
        "user": user(draw(user_ids)),
        "option_ids": draw(st.lists(ints, max_size=4)),
    }
    if draw(st.booleans()):
        answer = draw(mangled(answer))
    return {"poll_answer": answer}


unknown_kinds = st.dictionaries(
    st.sampled_from(["my_chat_member", "inline_query", "chat_join_request", "frobnicate"])
    | st.text(max_size=12),
    json_values,
    min_size=1,
    max_size=2,
)
updates = st.one_of(messages(), button_presses(), poll_answers(), unknown_kinds)
garbage_bodies = st.one_of(
    st.binary(max_size=200),
    st.builds(lambda v: json.dumps(v).encode(), json_values),
    st.builds(
        lambda i: json.dumps({"update_id": i, "message": {}}).encode(),
        st.one_of(st.text(max_size=5), st.floats(allow_nan=False), st.none(), st.just(-1)),
    ),
    st.builds(lambda i: json.dumps({"update_id": i}).encode(), st.integers(2**63, BIG)),
)


# -- checks ----------------------------------------------------------------------------------
def chats_of(update: dict[str, Any]) -> set[Any]:
    """Every id a reply to this update may legitimately go to."""
    found: set[Any] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                if k == "id" and isinstance(v, int):
                    found.add(v)
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(update)
    return {str(i) for i in found}


def check_calls(calls: list[Any], update: dict[str, Any]) -> None:
    allowed = chats_of(update)
    for call in calls:
        p = call.params
        assert call.method in {"sendMessage", "answerCallbackQuery", "editMessageText"}, call
        if call.method == "answerCallbackQuery":
            assert str(p["callback_query_id"]) == str(update["callback_query"]["id"])
            continue
        assert str(p["chat_id"]) in allowed, (p["chat_id"], update)
        text = p["text"]
        assert isinstance(text, str) and 0 < len(text) <= 4096
        for row in (p.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                assert button["text"]
                assert 0 < len(button["callback_data"].encode()) <= 64


def expect_no_change(
    before: dict[str, int], after: dict[str, int], update: Any, registered: set[int]
) -> None:
    msg = update.get("message") if isinstance(update, dict) else None
    query = update.get("callback_query") if isinstance(update, dict) else None
    allowed = set(BOOKKEEPING)
    if (
        isinstance(query, dict)
        and isinstance(query.get("from"), dict)
        and query["from"].get("id") in registered
    ):
        # A reply with buttons keeps their labels, to be pressed by typing them.
        allowed |= {"conversations"}
    if (
        isinstance(msg, dict)
        and isinstance(msg.get("from"), dict)
        and msg["from"].get("id") in registered
    ):
        # A registered person's text may be a question (logged) or start a form (its
        # state is kept); neither touches a record.
        allowed |= {"questions", "conversations"}
    changed = {t for t in before if before[t] != after[t]}
    assert changed <= allowed, (changed, update)


SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def button(uid: int) -> dict[str, Any]:
    chat = {"id": uid, "type": "private"}
    message = {"message_id": 5, "date": 1, "chat": chat, "text": "…"}
    return {"id": "7", "from": user(uid), "chat_instance": "c", "data": "f:ok", "message": message}


def text_update(uid: int, text: str, chat_id: int | None = None) -> dict[str, Any]:
    chat = {"id": uid if chat_id is None else chat_id, "type": "private"}
    return {"message": {"message_id": 1, "date": 1, "chat": chat, "from": user(uid), "text": text}}


@given(update=updates)
@example(update=text_update(2**70, "/me"))  # an id no database column can hold
@example(update=text_update(REGISTERED, "/me", chat_id=-(2**70)))
@example(update=text_update(REGISTERED, "甲" * 60_000))  # far over Telegram's 4,096
@example(update=text_update(REGISTERED, "\x00\u202e/help\ufeff"))
# A lone surrogate: JSON allows it, UTF-8 does not.
@example(update=text_update(REGISTERED, "\udbb0 收礼怎么处理"))
@example(update={"message": {"message_id": 1, "text": "/me"}})  # no chat, no sender
@example(update={"message": "/me"})
@example(update={"callback_query": {"id": "1", "from": user(REGISTERED), "data": "tk:o:1"}})
@example(update={"callback_query": {"id": "1", "from": user(REGISTERED), "chat_instance": "c"}})
@example(update={"poll_answer": {"poll_id": "9", "user": user(REGISTERED), "option_ids": [2**70]}})
@example(update={"frobnicate": {"x": 1}})
@example(update={"message": {**text_update(REGISTERED, "")["message"], "text": 12345}})
@example(update={"message": {**text_update(REGISTERED, "")["message"], "text": ["/me"]}})
@example(update={"message": {**text_update(REGISTERED, "/me")["message"], "chat": {"id": "x"}}})
@example(update={"message": {**text_update(REGISTERED, "/me")["message"], "from": {"id": "1"}}})
@example(update={"callback_query": {**button(REGISTERED), "data": {"f": "ok"}}})
@example(update={"callback_query": {**button(REGISTERED), "from": user(True)}})
@SETTINGS
def test_malformed_updates_get_200_and_break_nothing(
    harness: Harness, errors: ErrorLog, update: dict[str, Any]
) -> None:
    update = {**update, "update_id": next(UPDATE_IDS)}
    before, seen = harness.counts(), len(harness.api.replies())
    errors.records.clear()
    assert harness.post(json.dumps(update).encode()) == 200
    harness.wait_idle()
    assert not errors.records, [r.getMessage() for r in errors.records]
    check_calls(harness.api.replies()[seen:], update)
    expect_no_change(before, harness.counts(), update, harness.registered())


@given(body=garbage_bodies)
@SETTINGS
def test_bodies_that_are_not_updates_get_400(
    harness: Harness, errors: ErrorLog, body: bytes
) -> None:
    try:
        data = json.loads(body)
    except ValueError:
        data = None
    if (
        isinstance(data, dict)
        and type(data.get("update_id")) is int
        and 0 <= data["update_id"] < 2**63
    ):
        return  # a real envelope: the other test's business
    before, seen = harness.counts(), len(harness.api.replies())
    errors.records.clear()
    assert harness.post(body) == 400
    harness.wait_idle()
    assert not errors.records, [r.getMessage() for r in errors.records]
    assert harness.api.replies()[seen:] == []
    assert harness.counts() == before


def test_still_serving_normally_afterwards(harness: Harness, errors: ErrorLog) -> None:
    seen = len(harness.api.replies())
    update = harness.api.text(REGISTERED, "/me", update_id=next(UPDATE_IDS))
    assert harness.post(json.dumps(update).encode()) == 200
    harness.wait_idle()
    replies = [c for c in harness.api.replies()[seen:] if c.method == "sendMessage"]
    assert len(replies) == 1 and "马丽娟" in replies[0].params["text"]
