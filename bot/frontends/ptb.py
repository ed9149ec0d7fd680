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

from bot.frontends.incoming import callback_request, message_request, poll_request
from bot.frontends.outgoing import ReplySender, classify_failure, keyboard_rows, poll_options
from bot.frontends.ptb_request import AiohttpRequest
from bot.settings import Settings
from handlers.core.app import Assistant
from handlers.core.types import DocumentReply, Keyboard, PhotoReply, QuizReply, Request
from handlers.reminders.ports import DeliveryOutcome

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


def _retry_after(exc: RetryAfter) -> float:
    # A timedelta in newer PTB, seconds in older; 0 would mean "retry at once": wait 1 s.
    value = exc.retry_after
    return float(value.total_seconds() if hasattr(value, "total_seconds") else value) or 1.0


def to_request(update: Update) -> Request | None:
    """Translate a PTB update into a core request (None for updates we ignore)."""
    if update.poll_answer is not None:
        return poll_request(update.poll_answer, update.update_id)
    if update.callback_query is not None:
        return callback_request(update.callback_query, update.update_id)
    if update.message is None:
        return None
    return message_request(update.message, update.update_id)


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
        """sendPoll (see :func:`poll_options`)."""
        message = await self.app.bot.send_poll(
            chat_id, reply.question, list(reply.options), **poll_options(reply)
        )
        return message.poll.id if message.poll is not None else None

    def classify(self, exc: BaseException) -> DeliveryOutcome | None:
        """429, blocked / chat not found, network trouble; anything else is unexpected."""
        # BadRequest is a NetworkError in PTB: classify_failure checks it first.
        return classify_failure(
            exc, (RetryAfter, Forbidden, BadRequest), (NetworkError,), _retry_after
        )


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
