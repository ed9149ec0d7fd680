"""The aiogram (v3) front end: updates in, core replies out, nothing else."""

from __future__ import annotations

import logging

from aiogram import Bot, Dispatcher, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    ClientDecodeError,
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

from bot.frontends.outgoing import ReplySender, keyboard_rows
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
    Reply,
    Request,
)
from handlers.reminders.ports import DeliveryOutcome, Outcome

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


class AiogramSender(ReplySender):
    """The five Bot API primitives through an aiogram ``Bot``."""

    # ClientDecodeError: an answer that is not Bot API JSON, such as the HTML error page of
    # a gateway in front of Telegram (502/504): as transient as the 5xx it stands for.
    transient = (TelegramRetryAfter, TelegramNetworkError, TelegramServerError, ClientDecodeError)

    def __init__(self, bot: Bot, assistant: Assistant | None = None) -> None:
        super().__init__(assistant)
        self.bot = bot

    async def send_text(self, chat_id: int, text: str, keyboard: Keyboard) -> None:
        """sendMessage."""
        await self.bot.send_message(chat_id, text, reply_markup=_markup(keyboard))

    async def edit_text(self, chat_id: int, message_id: int, text: str, keyboard: Keyboard) -> None:
        """editMessageText."""
        await self.bot.edit_message_text(
            text=text, chat_id=chat_id, message_id=message_id, reply_markup=_markup(keyboard)
        )

    async def send_file(self, chat_id: int, reply: DocumentReply | PhotoReply) -> None:
        """sendDocument or sendPhoto."""
        file = BufferedInputFile(reply.content, filename=reply.filename)
        if isinstance(reply, PhotoReply):
            await self.bot.send_photo(chat_id, file, caption=reply.caption or None)
        else:
            await self.bot.send_document(chat_id, file, caption=reply.caption or None)

    async def send_quiz(self, chat_id: int, reply: QuizReply) -> str | None:
        """sendPoll: a quiz, or a regular poll when ``reply.reveal`` is False (the closed-book
        test, whose answers must not show on voting). Never anonymous: the answer has to come
        back as a poll_answer update, which Telegram sends for both kinds alike."""
        reveal = reply.reveal
        message = await self.bot.send_poll(
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
        """429, blocked / chat not found, network trouble or 5xx; anything else is unexpected."""
        if isinstance(exc, TelegramRetryAfter):
            return DeliveryOutcome(Outcome.RETRY_AFTER, float(exc.retry_after), "retry_after")
        if isinstance(exc, TelegramForbiddenError):
            return DeliveryOutcome(Outcome.PERMANENT, reason=f"forbidden: {exc.message}"[:200])
        if isinstance(exc, TelegramBadRequest):
            text = exc.message.lower()
            if "chat not found" in text or "user is deactivated" in text:
                return DeliveryOutcome(Outcome.PERMANENT, reason=exc.message[:200])
            return None
        if isinstance(exc, (TelegramNetworkError, TelegramServerError, ClientDecodeError)):
            return DeliveryOutcome(Outcome.TRANSIENT, reason=type(exc).__name__)
        return None


# aiogram parses every Bot API answer as ``Response[<result type>]``. Pydantic caches such
# parametrised models only weakly, so unless something holds them each call rebuilt the
# model class (a third of the cost of a reply in the load profile). Holding one per result
# type for the process's life makes the lookup a dictionary hit.
_PINNED_RESPONSE_MODELS: list[type] = []


def _pin_response_models() -> None:
    """Build and keep ``Response[T]`` for every result type a Bot API method can return."""
    if _PINNED_RESPONSE_MODELS:
        return
    import aiogram.methods as methods
    from aiogram.methods.base import Response, TelegramMethod

    returning = set()
    for name in methods.__all__:
        method = getattr(methods, name)
        if (
            isinstance(method, type)
            and issubclass(method, TelegramMethod)
            and method is not TelegramMethod  # its __returning__ is an abstract property
        ):
            result = getattr(method, "__returning__", None)
            if result is not None:
                returning.add(result)
    _PINNED_RESPONSE_MODELS.extend(Response[r] for r in returning)  # type: ignore[valid-type]


def build_bot(settings: Settings) -> Bot:
    """An aiogram bot pointed at ``TELEGRAM_API_URL``."""
    assert settings.bot_token is not None
    _pin_response_models()
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

    # The core keeps its own conversation state; aiogram's FSM would only add a middleware
    # (and a storage lookup) to every update.
    dp = Dispatcher(disable_fsm=True)
    dp.include_router(router)
    return dp
