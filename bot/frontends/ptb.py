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
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    PollAnswerHandler,
    filters,
)

from bot.frontends.outgoing import ReplySender, keyboard_rows
from bot.frontends.ptb_request import AiohttpRequest
from bot.settings import Settings
from handlers.core.app import Assistant
from handlers.core.types import (
    Attachment,
    AttachmentKind,
    ChatType,
    DocumentReply,
    Keyboard,
    PhotoReply,
    PollAnswer,
    QuizReply,
    Request,
)
from handlers.reminders.ports import DeliveryOutcome, Outcome

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


class PtbSender(ReplySender):
    """The five Bot API primitives through a PTB ``Bot``."""

    transient = (NetworkError, RetryAfter)  # 5xx answers are NetworkErrors

    def __init__(self, application: Application, assistant: Assistant | None = None) -> None:
        super().__init__(assistant)
        self.app = application

    async def send_text(self, chat_id: int, text: str, keyboard: Keyboard) -> None:
        """sendMessage."""
        await self.app.bot.send_message(chat_id, text, reply_markup=_markup(keyboard))

    async def edit_text(self, chat_id: int, message_id: int, text: str, keyboard: Keyboard) -> None:
        """editMessageText."""
        await self.app.bot.edit_message_text(
            text, chat_id=chat_id, message_id=message_id, reply_markup=_markup(keyboard)
        )

    async def send_file(self, chat_id: int, reply: DocumentReply | PhotoReply) -> None:
        """sendDocument or sendPhoto."""
        file = InputFile(io.BytesIO(reply.content), filename=reply.filename)
        if isinstance(reply, PhotoReply):
            await self.app.bot.send_photo(chat_id, file, caption=reply.caption or None)
        else:
            await self.app.bot.send_document(chat_id, file, caption=reply.caption or None)

    async def send_quiz(self, chat_id: int, reply: QuizReply) -> str | None:
        """sendPoll: a quiz, or a regular poll when ``reply.reveal`` is False (the closed-book
        test, whose answers must not show on voting). Never anonymous: the answer has to come
        back as a poll_answer update, which Telegram sends for both kinds alike."""
        reveal = reply.reveal
        message = await self.app.bot.send_poll(
            chat_id,
            reply.question,
            list(reply.options),
            type="quiz" if reveal else "regular",
            correct_option_id=reply.correct_index if reveal else None,
            explanation=(reply.explanation or None) if reveal else None,
            open_period=reply.open_seconds,
            is_anonymous=False,
        )
        return message.poll.id if message.poll is not None else None

    def classify(self, exc: BaseException) -> DeliveryOutcome | None:
        """429, blocked / chat not found, network trouble; anything else is unexpected."""
        if isinstance(exc, RetryAfter):
            return DeliveryOutcome(Outcome.RETRY_AFTER, _retry_after(exc) or 1.0, "retry_after")
        if isinstance(exc, Forbidden):
            return DeliveryOutcome(Outcome.PERMANENT, reason=f"forbidden: {exc.message}"[:200])
        if isinstance(exc, BadRequest):
            text = exc.message.lower()
            if "chat not found" in text or "user is deactivated" in text:
                return DeliveryOutcome(Outcome.PERMANENT, reason=exc.message[:200])
            return None
        if isinstance(exc, NetworkError):
            return DeliveryOutcome(Outcome.TRANSIENT, reason=type(exc).__name__)
        return None


def build_application(settings: Settings, assistant: Assistant) -> Application:
    """A PTB application wired to the core."""
    assert settings.bot_token is not None
    base = settings.telegram_api_url.rstrip("/")
    application = (
        ApplicationBuilder()
        .token(settings.bot_token.get_secret_value())
        .base_url(f"{base}/bot")
        .base_file_url(f"{base}/file/bot")
        .concurrent_updates(True)
        # Replies over aiohttp (bot/frontends/ptb_request.py); long polling keeps the default client.
        .request(AiohttpRequest())
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
