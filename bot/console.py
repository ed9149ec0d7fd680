"""The local console chat: the same core on stdin/stdout, for trying and scripting.

Buttons are shown numbered and chosen by typing the number; files (exports, charts) are
written to the outbox folder and their paths printed.
"""

from __future__ import annotations

import asyncio
import itertools
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from handlers.core.app import Assistant
from handlers.core.types import (
    Button,
    ChatType,
    DocumentReply,
    PhotoReply,
    PollAnswer,
    QuizReply,
    Reply,
    Request,
    TextReply,
)
from handlers.reminders.ports import DeliveryOutcome


@dataclass(eq=False)
class ConsoleChat:
    """One person chatting with the assistant in a terminal or through a pipe."""

    assistant: Assistant
    user_id: int
    out: TextIO = sys.stdout
    outbox: Path = Path("data/outbox")
    language: str | None = None
    display_name: str = ""
    # What the last replies offered: buttons and a quiz are chosen by typing their number.
    _buttons: list[Button] = field(default_factory=list, init=False)
    _quiz: QuizReply | None = field(default=None, init=False)
    _message_ids: Iterator[int] = field(default_factory=lambda: itertools.count(1), init=False)

    async def send_line(self, line: str) -> list[Reply]:
        """Turn one typed line into a request, print and return the replies."""
        line = line.rstrip("\r\n")
        req = self._request_for(line)
        if req is None:
            return []
        replies = await self.assistant.handle(req)
        self.render(replies)
        return replies

    def _request_for(self, line: str) -> Request | None:
        base = dict(
            user_id=self.user_id,
            chat_id=self.user_id,
            chat_type=ChatType.PRIVATE,
            user_language=self.language,
            display_name=self.display_name,
        )
        stripped = line.strip()
        if not stripped:
            return None
        if stripped.isdecimal():
            n = int(stripped)
            if self._quiz is not None and 1 <= n <= len(self._quiz.options):
                quiz, self._quiz = self._quiz, None
                return Request(**base, poll_answer=PollAnswer(quiz.token, (n - 1,)))  # type: ignore[arg-type]
            if 1 <= n <= len(self._buttons):
                data = self._buttons[n - 1].data
                return Request(**base, callback_data=data, message_id=1)  # type: ignore[arg-type]
        return Request(**base, text=line, message_id=next(self._message_ids))  # type: ignore[arg-type]

    def render(self, replies: list[Reply]) -> None:
        """Print replies; remember the buttons of the last reply that had any."""
        for reply in replies:
            if isinstance(reply, TextReply):
                target = "" if reply.chat_id in (None, self.user_id) else f"[→ {reply.chat_id}] "
                self._print(target + reply.text)
                if reply.buttons and target == "":
                    self._buttons = [b for row in reply.buttons for b in row]
                    self._quiz = None
                    n = itertools.count(1)
                    for row in reply.buttons:
                        self._print("  " + "   ".join(f"[{next(n)}] {b.text}" for b in row))
            elif isinstance(reply, (DocumentReply, PhotoReply)):
                self.outbox.mkdir(parents=True, exist_ok=True)
                # The name is already made safe by the reply; keep only its last part anyway.
                path = self.outbox / Path(reply.filename).name
                path.write_bytes(reply.content)
                self._print(f"📎 {reply.caption} → {path}".strip())
            elif isinstance(reply, QuizReply):
                self._quiz = reply
                self._buttons = []
                self._print(reply.question)
                for i, option in enumerate(reply.options, 1):
                    self._print(f"  [{i}] {option}")
            self._print("")

    def _print(self, text: str) -> None:
        self.out.write(text + "\n")
        self.out.flush()

    async def run(self, stdin: TextIO = sys.stdin) -> None:
        """Read lines until end of input (Ctrl-D) and answer each."""
        interactive = stdin.isatty()
        if interactive:
            self._print("廉政助手 console — /help for commands, Ctrl-D to quit.\n")
        while True:
            if interactive:
                self.out.write("> ")
                self.out.flush()
            line = await asyncio.to_thread(stdin.readline)
            if not line:
                break
            await self.send_line(line)


class ConsoleSender:
    """The console's reminder sender: prints what falls due (buttons work for the chat's user)."""

    def __init__(self, chat: ConsoleChat | None = None, out: TextIO = sys.stdout) -> None:
        self.chat = chat
        self.out = out

    async def deliver(self, chat_id: int, reply: Reply) -> DeliveryOutcome:
        """Print the reminder; always delivered."""
        if self.chat is not None and chat_id == self.chat.user_id:
            self.chat.render([reply])
        else:
            text = reply.text if isinstance(reply, TextReply) else type(reply).__name__
            self.out.write(f"[→ {chat_id}] {text}\n")
            self.out.flush()
        return DeliveryOutcome.ok()
