"""The python-telegram-bot (v22) front end: updates in, core replies out.

Only translation happens here: a PTB ``Update`` becomes a core ``Request``; core replies
become Bot API calls. Everything the assistant does lives in the core.
"""

from __future__ import annotations

import io
import logging

from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Update,
)
from telegram.constants import ChatType as TgChatType
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    PollAnswerHandler,
    filters,
)

from bot.outgoing import keyboard_rows, split_text, with_retries
from bot.settings import Settings
from handlers.app import Assistant
from handlers.ports_reminders import DeliveryOutcome, Outcome
from handlers.types import (
    Attachment,
    AttachmentKind,
    ChatType,
    DocumentReply,
    Keyboard,
    PhotoReply,
    PollAnswer,
    QuizReply,
    Reply,
    Request,
    TextReply,
)

log = logging.getLogger("lianzheng.ptb")


def _markup(keyboard: Keyboard) -> InlineKeyboardMarkup | None:
    if not keyboard:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(t, callback_data=d) for t, d in row]
            for row in keyboard_rows(keyboard)
        ]
    )


def _retry_after(exc: BaseException) -> float | None:
    if isinstance(exc, RetryAfter):
        value = exc.retry_after
        return float(value.total_seconds() if hasattr(value, "total_seconds") else value)
    if isinstance(exc, (BadRequest, Forbidden)):
        return None
    return None


def to_request(update: Update) -> Request | None:
    """Translate a PTB update into a core request (None for updates we ignore)."""
    if update.poll_answer is not None:
        pa = update.poll_answer
        if pa.user is None:
            return None
        return Request(
            user_id=pa.user.id,
            chat_id=pa.user.id,
            poll_answer=PollAnswer(pa.poll_id, tuple(pa.option_ids)),
            user_language=pa.user.language_code,
            update_id=update.update_id,
        )
    query = update.callback_query
    if query is not None:
        msg = query.message
        chat = msg.chat if msg is not None else None
        return Request(
            user_id=query.from_user.id,
            chat_id=chat.id if chat else query.from_user.id,
            chat_type=ChatType.PRIVATE
            if chat is None or chat.type == TgChatType.PRIVATE
            else ChatType.GROUP,
            callback_data=query.data or "",
            user_language=query.from_user.language_code,
            display_name=query.from_user.full_name,
            message_id=msg.message_id if msg else None,
            update_id=update.update_id,
        )
    message = update.message
    if message is None or message.from_user is None:
        return None
    attachment = None
    if message.photo:
        attachment = Attachment(AttachmentKind.PHOTO, message.photo[-1].file_id)
    elif message.document is not None:
        attachment = Attachment(
            AttachmentKind.DOCUMENT, message.document.file_id, message.document.file_name or ""
        )
    return Request(
        user_id=message.from_user.id,
        chat_id=message.chat.id,
        chat_type=ChatType.PRIVATE if message.chat.type == TgChatType.PRIVATE else ChatType.GROUP,
        text=message.text or message.caption or "",
        user_language=message.from_user.language_code,
        display_name=message.from_user.full_name,
        attachment=attachment,
        message_id=message.message_id,
        update_id=update.update_id,
    )


class PtbSender:
    """Sends core replies through a PTB ``Bot``."""

    def __init__(self, application: Application, assistant: Assistant | None = None) -> None:
        self.app = application
        self.assistant = assistant

    async def deliver(self, chat_id: int, reply: Reply) -> DeliveryOutcome:
        """Send once for the reminder dispatcher and classify the result (no retries here)."""
        try:
            await self._send(chat_id, reply, None)
        except RetryAfter as exc:
            return DeliveryOutcome(Outcome.RETRY_AFTER, _retry_after(exc) or 1.0, "retry_after")
        except Forbidden as exc:
            return DeliveryOutcome(Outcome.PERMANENT, reason=f"forbidden: {exc.message}"[:200])
        except BadRequest as exc:
            if (
                "chat not found" in exc.message.lower()
                or "user is deactivated" in exc.message.lower()
            ):
                return DeliveryOutcome(Outcome.PERMANENT, reason=exc.message[:200])
            raise
        except NetworkError as exc:
            return DeliveryOutcome(Outcome.TRANSIENT, reason=type(exc).__name__)
        return DeliveryOutcome.ok()

    async def send(self, chat_id: int, reply: Reply, edit_message_id: int | None = None) -> None:
        """Deliver one reply, retrying network errors and 5xx answers with backoff."""
        await with_retries(
            lambda: self._send(chat_id, reply, edit_message_id),
            transient=(NetworkError,),
            retry_after=_retry_after,
        )

    async def _send(self, chat_id: int, reply: Reply, edit_message_id: int | None) -> None:
        bot = self.app.bot
        target = reply.chat_id if reply.chat_id is not None else chat_id
        if isinstance(reply, TextReply):
            chunks = split_text(reply.text)
            if reply.edit and edit_message_id is not None and len(chunks) == 1:
                await bot.edit_message_text(
                    chunks[0],
                    chat_id=target,
                    message_id=edit_message_id,
                    reply_markup=_markup(reply.buttons),
                )
                return
            for i, chunk in enumerate(chunks):
                last = i == len(chunks) - 1
                await bot.send_message(
                    target, chunk, reply_markup=_markup(reply.buttons) if last else None
                )
        elif isinstance(reply, DocumentReply):
            await bot.send_document(
                target,
                InputFile(io.BytesIO(reply.content), filename=reply.filename),
                caption=reply.caption or None,
            )
        elif isinstance(reply, PhotoReply):
            await bot.send_photo(
                target,
                InputFile(io.BytesIO(reply.content), filename=reply.filename),
                caption=reply.caption or None,
            )
        elif isinstance(reply, QuizReply):
            message = await bot.send_poll(
                target,
                reply.question,
                list(reply.options),
                type="quiz",
                correct_option_id=reply.correct_index,
                explanation=reply.explanation or None,
                open_period=reply.open_seconds,
                is_anonymous=False,
            )
            if message.poll is not None and reply.token:
                await self.on_poll_sent(message.poll.id, reply.token)

    async def on_poll_sent(self, poll_id: str, token: str) -> None:
        """Hook for the quiz feature: remember which poll carries which question token."""
        log.debug("poll %s sent for %s", poll_id, token)
        if self.assistant is not None:
            await self.assistant.remember_poll(poll_id, token)


def build_application(settings: Settings, assistant: Assistant) -> Application:
    """A PTB application wired to the core."""
    assert settings.bot_token is not None
    base = settings.telegram_api_url.rstrip("/")
    application = (
        ApplicationBuilder()
        .token(settings.bot_token.get_secret_value())
        .base_url(f"{base}/bot")
        .base_file_url(f"{base}/file/bot")
        .rate_limiter(AIORateLimiter(max_retries=3))
        .concurrent_updates(True)
        .build()
    )
    sender = PtbSender(application, assistant)

    async def on_update(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        req = to_request(update)
        if req is None:
            return
        if update.callback_query is not None:
            await update.callback_query.answer()
        replies = await assistant.handle(req)
        for reply in replies:
            await sender.send(
                req.chat_id, reply, req.message_id if req.callback_data is not None else None
            )

    application.add_handler(MessageHandler(filters.ALL, on_update))
    application.add_handler(CallbackQueryHandler(on_update))
    application.add_handler(PollAnswerHandler(on_update))
    application.bot_data["sender"] = sender
    return application
