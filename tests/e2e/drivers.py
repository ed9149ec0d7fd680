"""Drivers that play a scenario (tests/e2e/scenario.py) through a real front end.

* :class:`TelegramDriver` runs the bot exactly as ``lianzheng run`` does (``serve`` with
  python-telegram-bot or aiogram, polling) against the local fake Bot API server over HTTP:
  updates go in through getUpdates, replies are the Bot API calls the framework makes.
  Reminders go out through the sender the front end hands the dispatcher.
* :class:`ConsoleDriver` drives the console front end in-process: each typed line goes to
  :meth:`bot.console.ConsoleChat.send_line` (what its stdin loop calls for every line) and the
  driver reads only what the console prints; buttons and quiz options are chosen by typing
  their number, files are read from the outbox paths it prints. Reminders go out through
  :class:`bot.console.ConsoleSender`, as in ``lianzheng run`` without a token. (Argument
  parsing and the stdin loop itself are covered by the subprocess tests in test_console*.py.)

Both report what they saw as :class:`Seen` items, so one set of checks serves all.
"""

from __future__ import annotations

import asyncio
import contextlib
import io
import re
from collections import defaultdict
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.composition import App, build_app
from bot.console import ConsoleChat, ConsoleSender
from bot.demo.organisation import seed_demo
from bot.frontends.outgoing import split_text
from bot.scheduler.dispatcher import build_dispatcher
from bot.settings import Settings
from handlers.core.clock import ManualClock
from handlers.core.types import DocumentReply, PhotoReply, QuizReply, Reply, Request, TextReply
from handlers.org.registration import create_invitation
from handlers.reminders.domain import OccurrenceKind, OccurrenceSpec
from handlers.reminders.ports import Sender
from knowledge.retrieval import KnowledgeBase
from tests.e2e import scenario as sc
from tests.e2e.fake_bot_api import Call, FakeBotApi

#: The scenario's moment: Tuesday 10 March 2026, 10:00 in Shanghai (inside waking hours).
START = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)
#: Bot API methods that answer people (the rest is the frameworks' housekeeping).
REPLY_METHODS = frozenset(
    {
        "sendMessage",
        "editMessageText",
        "sendPhoto",
        "sendDocument",
        "sendPoll",
        "answerCallbackQuery",
    }
)
PNG = b"\x89PNG\r\n\x1a\n"
TOO_MANY_REQUESTS = {
    "ok": False,
    "error_code": 429,
    "description": "Too Many Requests: retry after 1",
    "parameters": {"retry_after": 1},
}


#: The practice quiz's feedback after an answer (its text depends on the random question).
QUIZ_FEEDBACK = re.compile(r"^(✅ 答对了|❌ 答错了)")


@dataclass
class Seen:
    """One thing a front end put out: a message, an edit, a file or a quiz poll.

    ``buttons`` are (label, what pressing sends): callback data on Telegram, the number to
    type on the console; for a poll, its options. ``ref`` is the Telegram message id (poll id
    for polls), which a press or an answer refers to.
    """

    kind: str  # "text" | "edit" | "photo" | "document" | "poll"
    chat_id: int
    text: str
    buttons: list[tuple[str, str]] = field(default_factory=list)
    content: bytes = b""
    filename: str = ""
    ref: str = ""


class Driver:
    """Plays steps; subclasses supply the front-end specific actions."""

    kind = ""

    def __init__(self, app: App) -> None:
        self.app = app
        self.vars: dict[str, str] = {}
        self.keyboards: dict[int, Seen] = {}  # latest message with buttons, per user
        self.polls: dict[int, Seen] = {}  # latest quiz poll, per user
        self.last_text: dict[int, Seen] = {}  # latest text message, per chat
        self.pressed: Seen | None = None

    # -- playing ------------------------------------------------------------------------------
    async def play(self, steps: list[sc.Step]) -> int:
        """Run every step meant for this front end; returns how many ran."""
        ran = 0
        for i, step in enumerate(steps):
            if self.kind not in step.only:
                continue
            self.pressed = None
            seen = await self.act(step.action)
            self._remember(seen)
            for expectation in step.expect:
                try:
                    await self.check(expectation, seen)
                except AssertionError as exc:
                    raise AssertionError(
                        f"{self.kind}, step {i} {step.action}: {exc}\n"
                        f"seen: {[(s.kind, s.chat_id, s.text[:80], s.buttons[:6]) for s in seen]}"
                    ) from None
            ran += 1
        return ran

    def _remember(self, seen: list[Seen]) -> None:
        for s in seen:
            if s.kind == "poll":
                self.polls[s.chat_id] = s
            elif s.kind in ("text", "edit"):
                self.last_text[s.chat_id] = s
                if s.buttons and s.chat_id > 0:
                    self.keyboards[s.chat_id] = s

    async def act(self, action: sc.Action) -> list[Seen]:
        """Carry out one action; what the front end put out in answer."""
        if isinstance(action, sc.Invite):
            await self.invite(action)
            return []
        if isinstance(action, sc.Send):
            return await self.send(action, action.text.format(**self.vars))
        if isinstance(action, sc.Press):
            keyboard = self.keyboards.get(action.user)
            assert keyboard is not None, f"no buttons for {action.user} to press"
            self.pressed = keyboard
            return await self.press(action.user, keyboard, pick(keyboard, action))
        if isinstance(action, sc.AnswerPoll):
            poll = self.polls.get(action.user)
            assert poll is not None, f"no poll for {action.user} to answer"
            return await self.answer(action.user, poll, action.option)
        if isinstance(action, sc.FollowDeepLink):
            code = self.invitation_code(self.last_text[action.inviter].text)
            self.vars[f"link{action.user}"] = code
            return await self.send(sc.Send(action.user, ""), f"/start {code}")
        if isinstance(action, sc.ReminderDue):
            await reminder_due(self.app, action.user)
            return await self.dispatch(action.user)
        raise AssertionError(f"unknown action {action}")

    async def invite(self, action: sc.Invite) -> None:
        """An invitation created as ``lianzheng invite create`` does."""
        async with self.app.uow_factory() as uow:
            unit = await uow.units.by_code(action.unit)
            assert unit is not None
            inv = await create_invitation(
                uow, unit, action.role, self.app.services.clock.now(), 14, action.name
            )
            await uow.commit()
        self.vars[action.var] = inv.code

    # -- front-end specific -------------------------------------------------------------------
    async def send(self, action: sc.Send, text: str) -> list[Seen]:
        raise NotImplementedError

    async def press(self, user: int, keyboard: Seen, button: tuple[str, str]) -> list[Seen]:
        raise NotImplementedError

    async def answer(self, user: int, poll: Seen, option: int) -> list[Seen]:
        raise NotImplementedError

    async def dispatch(self, user: int) -> list[Seen]:
        raise NotImplementedError

    def invitation_code(self, text: str) -> str:
        raise NotImplementedError

    # -- checks -------------------------------------------------------------------------------
    async def check(self, exp: sc.Expectation, seen: list[Seen]) -> None:
        """Assert one expectation on what the last action produced."""
        texts = [s for s in seen if s.kind in ("text", "edit")]
        joined = "\n".join(s.text for s in texts)
        if isinstance(exp, sc.Reply):
            for part in exp.contains:
                assert part in joined, f"{part!r} not in replies"
            if exp.buttons:
                most = max((len(s.buttons) for s in texts), default=0)
                assert most >= exp.buttons, f"{most} buttons, wanted {exp.buttons}"
            if exp.messages is not None:
                assert len(texts) == exp.messages, f"{len(texts)} messages"
            if exp.to is not None:
                assert any(s.chat_id == exp.to for s in texts), f"nothing to chat {exp.to}"
            if exp.edited:
                self.check_edited(seen)
        elif isinstance(exp, sc.Nothing):
            assert seen == [], "expected no reply"
        elif isinstance(exp, sc.Picture):
            photos = [s for s in seen if s.kind == "photo"]
            assert photos and photos[0].content.startswith(PNG), "no PNG picture"
        elif isinstance(exp, sc.Document):
            docs = [s for s in seen if s.kind == "document" and s.filename.endswith(exp.suffix)]
            assert docs, f"no {exp.suffix} document"
            assert docs[0].content.startswith(exp.magic), f"{exp.suffix} content"
        elif isinstance(exp, sc.Poll):
            polls = [s for s in seen if s.kind == "poll"]
            assert polls and len(polls[-1].buttons) == 4, "no quiz poll with four options"
        elif isinstance(exp, sc.Stored):
            async with self.app.uow_factory() as uow:
                problem = await exp.check(uow)
            assert problem is None, f"{exp.what}: {problem}"

    def check_edited(self, seen: list[Seen]) -> None:
        """The reply replaced the pressed message."""
        raise NotImplementedError


def pick(keyboard: Seen, press: sc.Press) -> tuple[str, str]:
    """The button a press means: by label, else by position."""
    if press.label is None:
        return keyboard.buttons[press.position]
    for label, data in keyboard.buttons:
        if press.label in label:
            return label, data
    raise AssertionError(f"no button {press.label!r} in {[b[0] for b in keyboard.buttons]}")


async def reminder_due(app: App, telegram_id: int) -> None:
    """A reminder row due now for one person: the democratic life meeting in 14 days."""
    now = app.services.clock.now()
    async with app.uow_factory() as uow:
        person = await uow.people.by_telegram_id(telegram_id)
        assert person is not None
        params = {"year": now.year, "lead": 14, "starts_on": "2026-03-24"}
        key = f"scenario:life_meeting:{telegram_id}"
        spec = OccurrenceSpec(key, OccurrenceKind.EVENT, "life_meeting", now, params=params)
        occ = await uow.reminders.ensure_occurrence(spec, now)
        assert await uow.reminders.add_deliveries(occ.id, [person.id], now) == 1
        await uow.commit()


async def run_dispatcher(app: App, sender: Sender) -> None:
    """The real dispatcher, once, sending through ``sender``: exactly one reminder goes."""
    report = await build_dispatcher(app, sender).dispatch_once()
    assert (report.sent, report.failed, report.quiet) == (1, 0, False), report


# -- Telegram -------------------------------------------------------------------------------------
@contextlib.asynccontextmanager
async def running_bot(
    tmp_path: Path,
    framework: str,
    kb: KnowledgeBase,
    monkeypatch: pytest.MonkeyPatch | None = None,
    mode: str = "polling",
    webhook_port: int = 8080,
) -> AsyncIterator[tuple[FakeBotApi, App, list[Sender]]]:
    """The bot served as ``lianzheng run`` serves it, on a fresh SQLite database with the
    demo organisation, against a fake Bot API; also yields the senders the front end handed
    to the reminder dispatcher (whose loop is not started: tests run it when they want).
    Without ``monkeypatch`` (outside a test function) the stub is undone on exit."""
    import bot.frontends.run as telegram_run

    own_patch = monkeypatch is None
    patch = pytest.MonkeyPatch() if monkeypatch is None else monkeypatch

    senders: list[Sender] = []

    def capture(app: App, sender: Sender) -> None:
        senders.append(sender)

    patch.setattr(telegram_run, "start_reminders", capture)
    api = FakeBotApi()
    await api.start()
    settings = Settings(
        bot_token="123456:TEST",  # type: ignore[arg-type]
        bot_framework=framework,  # type: ignore[arg-type]
        database_url=f"sqlite+aiosqlite:///{tmp_path / f'{framework}.db'}",
        telegram_api_url=api.url,
        webhook_secret="webhook-secret-for-tests-0123",  # type: ignore[arg-type]
        webhook_port=webhook_port,
        data_dir=tmp_path,
    )
    app = await build_app(settings, migrate=True, kb=kb, clock=ManualClock(START))
    async with app.uow_factory() as uow:
        await seed_demo(uow, app.services.clock.now())
        await uow.commit()
    stop = asyncio.Event()
    task = asyncio.create_task(telegram_run.serve(app, mode, stop))
    try:
        if mode == "webhook":
            for _ in range(200):
                with contextlib.suppress(OSError):
                    _, w = await asyncio.open_connection("127.0.0.1", webhook_port)
                    w.close()
                    break
                await asyncio.sleep(0.05)
        yield api, app, senders
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)
        await app.close()
        await api.stop()
        if own_patch:
            patch.undo()


def expected_calls(replies: list[Reply], pressed: bool) -> int:
    """How many Bot API calls a front end makes for these replies (ReplySender's rules)."""
    n = 0
    for r in replies:
        if isinstance(r, TextReply):
            chunks = len(split_text(r.text))
            n += 1 if r.edit and pressed and chunks == 1 else chunks
        elif isinstance(r, (DocumentReply, PhotoReply, QuizReply)):
            n += 1
    return n


class TelegramDriver(Driver):
    """Plays the scenario through python-telegram-bot or aiogram and the fake Bot API."""

    def __init__(self, kind: str, api: FakeBotApi, app: App, senders: list[Sender]) -> None:
        super().__init__(app)
        self.kind = kind
        self.api = api
        self.senders = senders
        self.handled: dict[int, list[list[Reply]]] = defaultdict(list)
        self._changed = asyncio.Event()
        self.codes: set[str] = set()
        original = app.assistant.handle

        async def handle(req: Request) -> list[Reply]:
            # Record what the core answered each update, so the driver knows how many
            # Bot API calls to wait for (no guessing with sleeps).
            replies = await original(req)
            if req.update_id is not None:
                self.handled[req.update_id].append(replies)
                self._changed.set()
            return replies

        app.assistant.handle = handle  # type: ignore[method-assign]

    async def handled_replies(self, update_id: int, times: int) -> list[Reply]:
        """Wait until the core has handled ``update_id`` ``times`` times; all its replies."""
        async with asyncio.timeout(60):
            while len(self.handled[update_id]) < times:
                self._changed.clear()
                await self._changed.wait()
        return [r for replies in self.handled[update_id] for r in replies]

    async def _calls(self, start: int, count: int) -> list[Call]:
        async with asyncio.timeout(60):
            while True:
                calls = [c for c in self.api.calls[start:] if c.method in REPLY_METHODS]
                if len(calls) >= count:
                    return calls
                await asyncio.sleep(0.01)

    async def _deliver(
        self, update: dict[str, Any], duplicate: bool = False, extra: int = 0, pressed: bool = False
    ) -> list[Call]:
        start = len(self.api.calls)
        update_id = self.api.push_twice(update) if duplicate else self.api.push(update)
        replies = await self.handled_replies(update_id, 2 if duplicate else 1)
        count = expected_calls(replies, pressed) + extra + (1 if pressed else 0)
        return await self._calls(start, count)

    async def send(self, action: sc.Send, text: str) -> list[Seen]:
        if action.throttled:
            self.api.script("sendMessage", 429, TOO_MANY_REQUESTS)
        update = self.api.text(action.user, text, group=action.group)
        calls = await self._deliver(update, action.duplicate, extra=1 if action.throttled else 0)
        if action.throttled:
            refused, retried = [c for c in calls if c.method == "sendMessage"][:2]
            assert refused.status == 429 and retried.status == 200
            assert refused.params["text"] == retried.params["text"]
            # A lower bound only (it cannot flake): the retry waited out retry_after.
            assert retried.at - refused.at >= 0.9, retried.at - refused.at
        return self.seen(calls)

    async def press(self, user: int, keyboard: Seen, button: tuple[str, str]) -> list[Seen]:
        update = self.api.press(user, button[1], message_id=int(keyboard.ref))
        calls = await self._deliver(update, pressed=True)
        answers = [c for c in calls if c.method == "answerCallbackQuery"]
        assert len(answers) == 1, "the button press was not answered"
        return self.seen(calls)

    async def answer(self, user: int, poll: Seen, option: int) -> list[Seen]:
        return self.seen(await self._deliver(self.api.poll_answer(user, poll.ref, option)))

    async def dispatch(self, user: int) -> list[Seen]:
        assert len(self.senders) == 1, "the front end did not hand a sender to the dispatcher"
        start = len(self.api.calls)
        await run_dispatcher(self.app, self.senders[0])
        return self.seen([c for c in self.api.calls[start:] if c.method in REPLY_METHODS])

    def invitation_code(self, text: str) -> str:
        m = re.search(r"https://t\.me/lianzheng_test_bot\?start=([A-Z0-9]+)", text)
        assert m is not None, f"no deep link in {text!r}"
        self.codes.add(m.group(1))
        return m.group(1)

    def check_edited(self, seen: list[Seen]) -> None:
        edits = [s for s in seen if s.kind == "edit"]
        assert edits, "no editMessageText"
        assert self.pressed is not None and edits[0].ref == self.pressed.ref, (
            "edited another message"
        )

    def seen(self, calls: list[Call]) -> list[Seen]:
        """The calls as :class:`Seen` (refused calls and callback answers left out)."""
        out = []
        for c in calls:
            if c.status != 200 or c.method == "answerCallbackQuery":
                continue
            p = c.params
            chat = int(p.get("chat_id", 0))
            if c.method in ("sendMessage", "editMessageText"):
                markup = p.get("reply_markup") or {}
                buttons = [
                    (b["text"], b["callback_data"])
                    for row in markup.get("inline_keyboard", [])
                    for b in row
                ]
                kind = "edit" if c.method == "editMessageText" else "text"
                ref = str(p.get("message_id") if kind == "edit" else c.result["message_id"])
                out.append(Seen(kind, chat, p["text"], buttons, ref=ref))
            elif c.method in ("sendPhoto", "sendDocument"):
                [(key, content)] = c.files.items()
                kind = "photo" if c.method == "sendPhoto" else "document"
                name = c.filenames.get(key, "")
                out.append(Seen(kind, chat, p.get("caption", ""), [], content, name))
            elif c.method == "sendPoll":
                options = [
                    (o["text"] if isinstance(o, dict) else str(o), str(i))
                    for i, o in enumerate(p["options"])
                ]
                out.append(Seen("poll", chat, p["question"], options, ref=c.result["poll"]["id"]))
        return out

    def essential(self) -> list[tuple[Any, ...]]:
        """Method, chat, text, button data (and edited message id) of every reply call.

        Random parts are masked: invitation codes, button tokens, quiz questions and the
        feedback on them (drawn at random; only the fact of a poll or a feedback is compared).
        """
        codes = self.codes | set(self.vars.values())
        out = []
        for c in self.api.calls:
            if c.method not in REPLY_METHODS:
                continue
            p = c.params
            markup = p.get("reply_markup") or {}
            data = tuple(
                re.sub(r"^~:.{16}$", "~:<token>", b.get("callback_data", ""))
                for row in markup.get("inline_keyboard", [])
                for b in row
            )
            text = None if c.method == "sendPoll" else p.get("text") or p.get("caption")
            if text and QUIZ_FEEDBACK.match(text):
                text = "<quiz feedback>"  # on a question drawn at random, right or wrong
            for code in codes:
                text = text.replace(code, "<code>") if text else text
            edited = p.get("message_id") if c.method == "editMessageText" else None
            out.append((c.method, c.status, str(p.get("chat_id", "")), text, data, edited))
        return out


# -- the console ----------------------------------------------------------------------------------
_BUTTON_LINE = re.compile(r"^  \[\d+\] ")
_BUTTON = re.compile(r"\[(\d+)\] (.*?)(?=   \[\d+\] |$)")
_POLL = re.compile(r"^\(\d+/\d+\) ")


def parse_console(printed: str, chat_id: int) -> list[Seen]:
    """What the console printed, as :class:`Seen` items.

    Each reply is printed followed by an empty line; buttons (and quiz options) follow
    their text as ``  [n] label`` lines; files as ``📎 caption → path``.
    """
    out: list[Seen] = []
    current: Seen | None = None
    for line in printed.split("\n"):
        if _BUTTON_LINE.match(line) and current is not None:
            current.buttons += [(label, n) for n, label in _BUTTON.findall(line.strip())]
        elif line.startswith("📎 "):
            caption, _, path = line[2:].rpartition(" → ")
            file = Path(path)
            kind = "photo" if file.suffix == ".png" else "document"
            out.append(Seen(kind, chat_id, caption.strip(), [], file.read_bytes(), file.name))
            current = None
        elif line == "":
            current = None
        elif current is None:
            current = Seen("text", chat_id, line)
            out.append(current)
        else:
            current.text += "\n" + line
    for s in out:
        if s.kind == "text" and _POLL.match(s.text) and s.buttons:
            s.kind = "poll"
    return out


class ConsoleDriver(Driver):
    """Plays the scenario through the console front end, one console per person."""

    kind = "console"

    def __init__(self, app: App, outbox: Path) -> None:
        super().__init__(app)
        self.outbox = outbox
        self.chats: dict[int, tuple[ConsoleChat, io.StringIO]] = {}

    def chat(self, user: int) -> tuple[ConsoleChat, io.StringIO]:
        """The console of ``user`` (as ``lianzheng console --as USER``)."""
        if user not in self.chats:
            out = io.StringIO()
            chat = ConsoleChat(self.app.assistant, user, out=out, outbox=self.outbox / str(user))
            self.chats[user] = (chat, out)
        return self.chats[user]

    async def _type(self, user: int, line: str) -> list[Seen]:
        chat, out = self.chat(user)
        start = len(out.getvalue())
        await chat.send_line(line + "\n")
        return parse_console(out.getvalue()[start:], user)

    async def send(self, action: sc.Send, text: str) -> list[Seen]:
        assert not (action.group or action.duplicate or action.throttled)
        return await self._type(action.user, text)

    async def press(self, user: int, keyboard: Seen, button: tuple[str, str]) -> list[Seen]:
        return await self._type(user, button[1])  # the number printed next to the label

    async def answer(self, user: int, poll: Seen, option: int) -> list[Seen]:
        return await self._type(user, poll.buttons[option][1])

    async def dispatch(self, user: int) -> list[Seen]:
        chat, out = self.chat(user)
        start = len(out.getvalue())
        await run_dispatcher(self.app, ConsoleSender(chat, out=out))
        return parse_console(out.getvalue()[start:], user)

    def invitation_code(self, text: str) -> str:
        # No deep links in a console: the code stands on a line of its own.
        m = re.search(r"^([A-Z0-9]{8,})$", text, re.MULTILINE)
        assert m is not None, f"no invitation code in {text!r}"
        return m.group(1)

    def check_edited(self, seen: list[Seen]) -> None:
        """A console cannot change printed lines: the new text is printed instead."""
        assert any(s.kind == "text" for s in seen)


@contextlib.asynccontextmanager
async def console_app(tmp_path: Path, kb: KnowledgeBase) -> AsyncIterator[App]:
    """The app as the console builds it (no token), on a fresh SQLite database with the demo
    organisation and the scenario's clock."""
    settings = Settings(
        bot_token=None,
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'console.db'}",
        data_dir=tmp_path,
    )
    app = await build_app(settings, migrate=True, kb=kb, clock=ManualClock(START))
    try:
        async with app.uow_factory() as uow:
            await seed_demo(uow, app.services.clock.now())
            await uow.commit()
        yield app
    finally:
        await app.close()


__all__ = ["ConsoleDriver", "TelegramDriver", "console_app", "running_bot"]
