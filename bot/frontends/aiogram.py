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

from bot.frontends.incoming import callback_request, message_request, poll_request
from bot.frontends.outgoing import ReplySender, classify_failure, keyboard_rows, poll_options
from bot.settings import Settings
from handlers.core.app import Assistant
from handlers.core.types import DocumentReply, Keyboard, PhotoReply, QuizReply, Request
from handlers.reminders.ports import DeliveryOutcome

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
        """sendPoll (see :func:`poll_options`)."""
        message = await self.bot.send_poll(
            chat_id, reply.question, list(reply.options), **poll_options(reply)
        )
        return message.poll.id if message.poll is not None else None

    def classify(self, exc: BaseException) -> DeliveryOutcome | None:
        """429, blocked / chat not found, network trouble or 5xx; anything else is unexpected."""
        return classify_failure(
            exc,
            (TelegramRetryAfter, TelegramForbiddenError, TelegramBadRequest),
            (TelegramNetworkError, TelegramServerError, ClientDecodeError),
            lambda e: float(e.retry_after),
        )


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

    async def reply_to(req: Request | None) -> None:
        if req is None:
            return
        for reply in await assistant.handle(req):
            await sender.send(
                req.chat_id, reply, req.message_id if req.callback_data is not None else None
            )

    @router.message()
    async def on_message(message: Message, event_update: object = None) -> None:
        await reply_to(message_request(message, getattr(event_update, "update_id", None)))

    @router.callback_query()
    async def on_callback(query: CallbackQuery, event_update: object = None) -> None:
        await query.answer()
        await reply_to(callback_request(query, getattr(event_update, "update_id", None)))

    @router.poll_answer()
    async def on_poll_answer(answer: TgPollAnswer, event_update: object = None) -> None:
        await reply_to(poll_request(answer, getattr(event_update, "update_id", None)))

    # The core keeps its own conversation state; aiogram's FSM would only add a middleware
    # (and a storage lookup) to every update.
    dp = Dispatcher(disable_fsm=True)
    dp.include_router(router)
    return dp
