"""The aiogram (v3) front end: updates in, core replies out, nothing else."""

from __future__ import annotations

import logging

from aiogram import Bot, Dispatcher, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import (
    BufferedInputFile,
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Message,
)
from aiogram.types import (
    PollAnswer as TgPollAnswer,
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

log = logging.getLogger("lianzheng.aiogram")


def _markup(keyboard: Keyboard) -> InlineKeyboardMarkup | None:
    if not keyboard:
        return None
    return InlineKeyboardMarkup(
        inline_keyboard=[
            [InlineKeyboardButton(text=t, callback_data=d) for t, d in row]
            for row in keyboard_rows(keyboard)
        ]
    )


def message_request(message: Message, update_id: int | None) -> Request | None:
    """Translate an aiogram message into a core request."""
    user = message.from_user
    if user is None:
        return None
    attachment = None
    if message.photo:
        attachment = Attachment(AttachmentKind.PHOTO, message.photo[-1].file_id)
    elif message.document is not None:
        attachment = Attachment(
            AttachmentKind.DOCUMENT, message.document.file_id, message.document.file_name or ""
        )
    return Request(
        user_id=user.id,
        chat_id=message.chat.id,
        chat_type=ChatType.PRIVATE if message.chat.type == "private" else ChatType.GROUP,
        text=message.text or message.caption or "",
        user_language=user.language_code,
        display_name=user.full_name,
        attachment=attachment,
        message_id=message.message_id,
        update_id=update_id,
    )


def callback_request(query: CallbackQuery, update_id: int | None) -> Request:
    """Translate a button press into a core request."""
    msg = query.message
    chat = msg.chat if msg is not None else None
    return Request(
        user_id=query.from_user.id,
        chat_id=chat.id if chat else query.from_user.id,
        chat_type=ChatType.PRIVATE if chat is None or chat.type == "private" else ChatType.GROUP,
        callback_data=query.data or "",
        user_language=query.from_user.language_code,
        display_name=query.from_user.full_name,
        message_id=msg.message_id if msg is not None else None,
        update_id=update_id,
    )


def poll_request(answer: TgPollAnswer, update_id: int | None) -> Request | None:
    """Translate a quiz answer into a core request."""
    if answer.user is None:
        return None
    return Request(
        user_id=answer.user.id,
        chat_id=answer.user.id,
        poll_answer=PollAnswer(answer.poll_id, tuple(answer.option_ids)),
        user_language=answer.user.language_code,
        update_id=update_id,
    )


class AiogramSender:
    """Sends core replies through an aiogram ``Bot``."""

    def __init__(self, bot: Bot, assistant: Assistant | None = None) -> None:
        self.bot = bot
        self.assistant = assistant

    async def deliver(self, chat_id: int, reply: Reply) -> DeliveryOutcome:
        """Send once for the reminder dispatcher and classify the result (no retries here)."""
        try:
            await self._send(chat_id, reply, None)
        except TelegramRetryAfter as exc:
            return DeliveryOutcome(Outcome.RETRY_AFTER, float(exc.retry_after), "retry_after")
        except TelegramForbiddenError as exc:
            return DeliveryOutcome(Outcome.PERMANENT, reason=f"forbidden: {exc.message}"[:200])
        except TelegramBadRequest as exc:
            text = exc.message.lower()
            if "chat not found" in text or "user is deactivated" in text:
                return DeliveryOutcome(Outcome.PERMANENT, reason=exc.message[:200])
            raise
        except (TelegramNetworkError, TelegramServerError) as exc:
            return DeliveryOutcome(Outcome.TRANSIENT, reason=type(exc).__name__)
        return DeliveryOutcome.ok()

    async def send(self, chat_id: int, reply: Reply, edit_message_id: int | None = None) -> None:
        """Deliver one reply, honouring 429 retry_after and retrying network errors and 5xx."""
        await with_retries(
            lambda: self._send(chat_id, reply, edit_message_id),
            transient=(TelegramRetryAfter, TelegramNetworkError, TelegramServerError),
            retry_after=lambda exc: (
                float(exc.retry_after) if isinstance(exc, TelegramRetryAfter) else None
            ),
        )

    async def _send(self, chat_id: int, reply: Reply, edit_message_id: int | None) -> None:
        bot = self.bot
        target = reply.chat_id if reply.chat_id is not None else chat_id
        if isinstance(reply, TextReply):
            chunks = split_text(reply.text)
            if reply.edit and edit_message_id is not None and len(chunks) == 1:
                await bot.edit_message_text(
                    text=chunks[0],
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
                BufferedInputFile(reply.content, filename=reply.filename),
                caption=reply.caption or None,
            )
        elif isinstance(reply, PhotoReply):
            await bot.send_photo(
                target,
                BufferedInputFile(reply.content, filename=reply.filename),
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


def build_bot(settings: Settings) -> Bot:
    """An aiogram bot pointed at ``TELEGRAM_API_URL``."""
    assert settings.bot_token is not None
    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_url.rstrip("/")))
    return Bot(settings.bot_token.get_secret_value(), session=session)


def build_dispatcher(assistant: Assistant, sender: AiogramSender) -> Dispatcher:
    """A dispatcher whose handlers hand every update to the core."""
    router = Router(name="lianzheng")

    async def deliver(req: Request, replies: list[Reply]) -> None:
        for reply in replies:
            await sender.send(
                req.chat_id, reply, req.message_id if req.callback_data is not None else None
            )

    @router.message()
    async def on_message(message: Message, event_update: object = None) -> None:
        update_id = getattr(event_update, "update_id", None)
        req = message_request(message, update_id)
        if req is not None:
            await deliver(req, await assistant.handle(req))

    @router.callback_query()
    async def on_callback(query: CallbackQuery, event_update: object = None) -> None:
        update_id = getattr(event_update, "update_id", None)
        await query.answer()
        req = callback_request(query, update_id)
        await deliver(req, await assistant.handle(req))

    @router.poll_answer()
    async def on_poll_answer(answer: TgPollAnswer, event_update: object = None) -> None:
        update_id = getattr(event_update, "update_id", None)
        req = poll_request(answer, update_id)
        if req is not None:
            await deliver(req, await assistant.handle(req))

    dp = Dispatcher()
    dp.include_router(router)
    return dp
