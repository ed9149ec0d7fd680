"""Plain request and reply types exchanged between front ends and the core."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum

#: Telegram refuses message texts longer than this many characters.
MAX_MESSAGE_LENGTH = 4096
#: Telegram's limit on callback_data, in bytes.
MAX_CALLBACK_BYTES = 64
#: Longest payload a core button may carry; what does not fit Telegram's limit is stored
#: server-side behind a short token (handlers/core/button_tokens.py) before it leaves the core.
MAX_BUTTON_PAYLOAD = 2048


class ChatType(StrEnum):
    """Where a message came from; personal commands work only in private chats."""

    PRIVATE = "private"
    GROUP = "group"


class AttachmentKind(StrEnum):
    """Kinds of evidence a person may attach to a form step."""

    PHOTO = "photo"
    DOCUMENT = "document"


@dataclass(frozen=True)
class Attachment:
    """A file sent by the user; the core keeps only the front end's file reference."""

    kind: AttachmentKind
    file_ref: str
    file_name: str = ""


@dataclass(frozen=True)
class PollAnswer:
    """An answer to a poll (a quiz, or a regular one in the test) sent earlier by the bot."""

    poll_id: str
    option_ids: tuple[int, ...]


#: A command word: ASCII letters and underscores (what follows it is its argument).
_COMMAND_WORD = re.compile(r"[a-z_]+")


@dataclass(frozen=True)
class Request:
    """One incoming update, already stripped of everything framework-specific."""

    user_id: int
    chat_id: int
    chat_type: ChatType = ChatType.PRIVATE
    text: str = ""
    callback_data: str | None = None
    user_language: str | None = None
    display_name: str = ""
    attachment: Attachment | None = None
    poll_answer: PollAnswer | None = None
    message_id: int | None = None
    update_id: int | None = None

    @property
    def is_private(self) -> bool:
        """True when the update came from a one-to-one chat with the bot."""
        return self.chat_type == ChatType.PRIVATE

    @property
    def command(self) -> str | None:
        """The command name without slash or @botname, lower-cased; None for plain text."""
        text = self.text.lstrip()
        # A Chinese input method types the full-width slash (／talks); Telegram then sends it
        # as plain text, but the person meant the command.
        if not text.startswith(("/", "／")) or self.callback_data is not None:
            return None
        return self._split_head()[0] or None

    def _split_head(self) -> tuple[str, str]:
        """(command name, what is stuck to it): /pledge２０２７ is pledge with 2027, /talk＃1
        is talk with #1 (a phone keyboard often leaves out the space); /help@bot is help."""
        head = unicodedata.normalize("NFKC", self.text.strip().split(maxsplit=1)[0][1:])
        name = head.split("@", 1)[0].lower()
        m = _COMMAND_WORD.match(name)
        word = m.group(0) if m else name
        return word, ("" if "@" in head else head[len(word) :])

    @property
    def args(self) -> str:
        """Everything after the command word, stripped; the whole text for plain messages."""
        text = self.text.strip()
        if self.command is None:
            return text
        parts = text.split(maxsplit=1)
        stuck = self._split_head()[1]
        rest = parts[1].strip() if len(parts) > 1 else ""
        return f"{stuck} {rest}".strip() if stuck else rest


@dataclass(frozen=True)
class Button:
    """An inline button; ``data`` is opaque to the front end.

    Inside the core ``data`` may be longer than Telegram's 64 bytes; the assistant swaps such
    payloads for a short token before replies reach a front end, so front ends only ever see
    data that fits (:attr:`fits`).
    """

    text: str
    data: str

    def __post_init__(self) -> None:
        if len(self.data.encode()) > MAX_BUTTON_PAYLOAD:
            raise ValueError(f"button payload too long: {self.data[:80]!r}…")

    @property
    def fits(self) -> bool:
        """True when ``data`` fits Telegram's callback_data limit as it is."""
        return len(self.data.encode()) <= MAX_CALLBACK_BYTES


Keyboard = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True)
class TextReply:
    """A text message, optionally with inline buttons.

    ``edit`` asks the front end to replace the message the pressed button belonged to
    instead of sending a new one. ``chat_id`` overrides the destination (used by reminders
    and by notifications to staff); None means "the chat the request came from".
    """

    text: str
    buttons: Keyboard = ()
    edit: bool = False
    chat_id: int | None = None


def safe_filename(name: str) -> str:
    """``name`` as a plain file name: letters, digits, CJK, ``_ - .`` only, no leading dot,
    no folder part, at most 120 characters. A value that came from a user (a unit code, a
    period) can then never point outside the folder a file is written to."""
    plain = re.sub(r"[^\w.\-]", "_", name.replace("/", "_").replace("\\", "_"))
    plain = plain.lstrip(".") or "file"
    return plain[:120]


@dataclass(frozen=True)
class _FileReply:
    """A named file to send (its name is made safe on creation)."""

    filename: str
    content: bytes
    caption: str = ""
    chat_id: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "filename", safe_filename(self.filename))


@dataclass(frozen=True)
class DocumentReply(_FileReply):
    """A file to send, such as an XLSX export."""


@dataclass(frozen=True)
class PhotoReply(_FileReply):
    """A picture to send, such as a PNG chart."""


@dataclass(frozen=True)
class QuizReply:
    """A quiz poll: one question, several options, one correct answer.

    ``reveal`` False asks the front end to hide the answer: Telegram highlights a quiz
    poll's correct option the moment someone votes, which in the closed-book test would let
    the answer be passed on while colleagues still take it, so such a question goes out as
    a regular poll (no correct option, no explanation) and the core keeps the answer.
    """

    question: str
    options: tuple[str, ...]
    correct_index: int
    explanation: str = ""
    open_seconds: int | None = None
    token: str = ""
    chat_id: int | None = None
    reveal: bool = True


Reply = TextReply | DocumentReply | PhotoReply | QuizReply


@dataclass
class Response:
    """What the core returns for one request: the replies, in order."""

    replies: list[Reply] = field(default_factory=list)

    def add(self, reply: Reply) -> None:
        """Append one reply."""
        self.replies.append(reply)
