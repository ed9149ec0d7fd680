"""The assistant: one entry point, ``handle(request) -> replies``, shared by all front ends.

Each request runs in exactly one unit of work: everything it changes is committed together
at the end, or rolled back on bad input, an internal error or a lost database connection.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Sequence
from contextvars import ContextVar
from dataclasses import replace

from handlers.core.button_tokens import TOKEN_PREFIX, resolve, shorten
from handlers.core.context import Ctx, Services
from handlers.core.errors import Conflict, NotFound, Unavailable, UserError
from handlers.core.flood import FloodGuard
from handlers.core.i18n import N_, normalise_language, translator
from handlers.core.open_form import run_noting_open_form
from handlers.core.parsing import encodable_request, fits_int64, has_overlong_number
from handlers.core.ports import UnitOfWork, UnitOfWorkFactory
from handlers.core.rerun import RERUN_PREFIX
from handlers.core.router import Access, Router
from handlers.core.typed_buttons import after_failure, remember_buttons, take_typed_button
from handlers.core.typed_words import cancel_word, confirm_word
from handlers.core.types import MAX_MESSAGE_LENGTH, Reply, Request, Response, TextReply
from handlers.core.unknown_command import reply_unknown_command
from handlers.core.yes_no import YES_NO_FORM, typed_answer

log = logging.getLogger("lianzheng.core")

#: The id of the request being handled, added to every log line (see bot/logs.py).
request_id: ContextVar[str] = ContextVar("request_id", default="-")

#: Button prefixes the assistant handles itself: forms, stored payloads, command choices.
RESERVED_PREFIXES = frozenset({"f", TOKEN_PREFIX, RERUN_PREFIX})

#: Commands a person who is not registered may use.
STRANGER_COMMANDS = frozenset({"start"})


def _looks_like_code(text: str) -> bool:
    """Whether a stranger's message is one code-like token (8 to 16 letters and digits,
    perhaps typed with spaces or dashes): an invitation code sent without /start."""
    token = "".join(ch for ch in text.strip() if ch not in " -")
    return 8 <= len(token) <= 16 and token.isascii() and token.isalnum()


#: Command names people try from other bots, and the command that does it here (not listed
#: in /help: one name per command there).
COMMAND_ALIASES = {"whoami": "me", "profile": "me", "menu": "help", "commands": "help"}


class Assistant:
    """Routes requests to capability handlers inside one transaction each."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        services: Services,
        routers: Iterable[Router],
        flood: FloodGuard | None = None,
    ) -> None:
        self.uow_factory = uow_factory
        self.services = services
        self.flood = flood
        self.router = Router()
        for r in routers:
            self.router.include(r)
        reserved = self.router.buttons.keys() & RESERVED_PREFIXES
        if reserved:
            raise ValueError(f"button prefixes reserved by the assistant: {sorted(reserved)}")

    async def handle(self, req: Request) -> list[Reply]:
        """Process one request and return the replies to render, in order."""
        lang = normalise_language(req.user_language)
        request_id.set(uuid.uuid4().hex[:12])
        if not fits_int64(req.user_id, req.chat_id, req.update_id, req.message_id):
            # No Telegram update carries such ids: a forged one, answered with silence.
            log.warning("update %s with out-of-range ids ignored", req.update_id)
            return []
        req = encodable_request(req)
        refusal = self._refuse_before_storage(req, lang)
        if refusal is not None:
            return refusal
        return await self._in_one_unit_of_work(req, lang)

    def _refuse_before_storage(self, req: Request, lang: str) -> list[Reply] | None:
        """The answer to a request refused before the database is touched (flooding, an
        over-long message), or None when it may go on."""
        verdict = self.flood.check(req.user_id, self.services.clock.now()) if self.flood else "ok"
        if verdict != "ok":
            if verdict == "drop":
                return []
            t = translator(lang)
            return [
                TextReply(
                    t._("You are sending messages too quickly. Please wait a minute and try again.")
                )
            ]
        if len(req.text) > MAX_MESSAGE_LENGTH:
            t = translator(lang)
            return [
                TextReply(
                    t._(
                        "That message is too long (over {n} characters). Please shorten it.",
                        n=MAX_MESSAGE_LENGTH,
                    )
                )
            ]
        return None

    async def _in_one_unit_of_work(self, req: Request, lang: str) -> list[Reply]:
        """Claim the update, find the person and route the request inside one unit of work;
        a lost database or an internal error is answered in ``lang`` (the person's
        language once they are known)."""
        try:
            async with self.uow_factory() as uow:
                if req.update_id is not None and not await uow.updates.claim(
                    req.update_id, self.services.clock.now()
                ):
                    log.info("duplicate update %s ignored", req.update_id)
                    return []
                person = await uow.people.by_telegram_id(req.user_id)
                if person is not None:
                    lang = person.language
                    if person.chat_blocked:
                        # They wrote to us, so the chat works again: reminders may resume.
                        await uow.people.unblock_chat(person.id)
                ctx = Ctx(
                    req=req,
                    uow=uow,
                    services=self.services,
                    t=translator(lang),
                    person=person,
                    router=self.router,
                )
                return await self._answer(ctx, uow)
        except Unavailable as exc:
            # The database went away (restart, network, lock): nothing of this request was
            # committed, and the next request gets a fresh connection.
            log.warning("database unavailable (%s); update %s not processed", exc, req.update_id)
            return [
                TextReply(
                    translator(lang)._(
                        "The service is temporarily unavailable. Please try again in a moment."
                    )
                )
            ]
        except Exception:
            error_id = request_id.get()[:8]
            log.exception("unhandled error %s (update %s)", error_id, req.update_id)
            t = translator(lang)
            return [
                TextReply(
                    t._(
                        "Sorry, something went wrong on our side. Please try again later. (error id {id})",
                        id=error_id,
                    )
                )
            ]

    async def _answer(self, ctx: Ctx, uow: UnitOfWork) -> list[Reply]:
        """Route the request and commit its changes; on bad input or a conflict roll them
        back and answer with the reason instead."""
        req, person = ctx.req, ctx.person  # as they came in: routing may replace them
        try:
            await self._route(ctx)
            await remember_buttons(ctx)
        except Conflict:
            await uow.rollback()
            return [
                TextReply(
                    ctx._(
                        "Someone else just recorded the same thing. Please look again before retrying."
                    )
                )
            ]
        except UserError as exc:
            # Discard the request's changes but keep the update claimed.
            await uow.rollback()
            if req.update_id is not None:
                await uow.updates.claim(req.update_id, self.services.clock.now())
            await after_failure(ctx, exc.buttons)
            if isinstance(exc, NotFound) and person is not None:
                # A record asked for outside one's scope (or missing: the reply
                # does not tell them apart, the audit keeps the attempt).
                what = req.command or (req.callback_data or "").split(":")[0]
                await ctx.audit("access.refused", "record", what[:40], reason="not_found")
            replies = await self._shorten(uow, req, [TextReply(exc.message, exc.buttons)])
            await uow.commit()
            return replies
        replies = await self._shorten(uow, req, ctx.response.replies)
        await uow.commit()
        return replies

    async def _shorten(
        self, uow: UnitOfWork, req: Request, replies: Sequence[Reply]
    ) -> list[Reply]:
        """Store over-long button payloads behind tokens, in the request's transaction."""
        return await shorten(
            uow,
            replies,
            req.user_id,
            req.chat_id,
            self.services.clock.now(),
            self.services.config.button_ttl,
        )

    async def remember_poll(self, poll_id: str, token: str) -> None:
        """Store which Telegram poll carries which quiz token (senders call this after
        sending a quiz poll, so the answer can be matched to its question)."""
        async with self.uow_factory() as uow:
            await uow.polls.remember_poll(poll_id, token, self.services.clock.now())
            await uow.commit()

    # -- routing ------------------------------------------------------------------------------
    async def _route(self, ctx: Ctx) -> None:
        req = ctx.req
        person = ctx.person
        registered = person is not None and person.active
        if not registered:
            if req.command is None and req.chat_type == "private" and _looks_like_code(req.text):
                # The invitation code pasted alone, without /start: register with it.
                ctx.req = replace(req, text=f"/start {req.text.strip()}")
                await self.router.commands["start"].handler(ctx)
            elif req.command in STRANGER_COMMANDS:
                await self.router.commands[req.command].handler(ctx)
            elif req.chat_type == "private" or req.command is not None:
                # A deactivated person was invited once: "invited users only" misled them.
                message = (
                    N_(
                        "Your account in this assistant has been deactivated. If that is a mistake, ask your unit's administrator to reactivate it."
                    )
                    if person is not None and req.chat_type == "private"  # never told in groups
                    else N_(
                        "Sorry, this assistant is available to invited users only. Please contact your unit's administrator for an invitation."
                    )
                )
                ctx.reply(ctx._(message))
            return
        # Also moves on from a pending yes/no question; "": a shared label, answered.
        typed = await take_typed_button(ctx)
        if typed is not None:
            if typed:  # the label of a button just sent, typed instead of tapped
                await self._route_button(ctx, typed)
        elif req.callback_data is not None:
            await self._route_button(ctx)
        elif req.poll_answer is not None:
            await self._route_button(
                ctx,
                f"quizans:{req.poll_answer.poll_id}:"
                + ",".join(map(str, req.poll_answer.option_ids)),
            )
        elif req.command is not None:
            await self._route_command(ctx)
        else:
            await self._route_text(ctx)

    async def _allowed(self, ctx: Ctx, access: Access, what: str) -> bool:
        """Whether the person may use ``what`` (a command, button prefix or form) here; a
        refusal is answered and audited (who tried what, never the message text)."""
        assert ctx.person is not None
        if access.private_only and not ctx.req.is_private:
            ctx.reply(ctx._("Please use this in a private chat with me."))
            await ctx.audit("access.refused", "feature", what, reason="group_chat")
            return False
        if not access.allows(ctx.person.roles):
            ctx.reply(
                ctx._("Sorry, your role does not allow this. Send /help to see what you can do.")
            )
            await ctx.audit("access.refused", "feature", what, reason="role")
            return False
        return True

    async def _route_command(self, ctx: Ctx) -> None:
        name = ctx.req.command or ""
        spec = self.router.commands.get(name) or self.router.commands.get(
            COMMAND_ALIASES.get(name, "")
        )
        if spec is None:
            if ctx.req.is_private:
                reply_unknown_command(ctx, name, self.router.commands)
            return
        reader = self.router.commands.get(spec.reads_with or "")
        if (
            reader is not None
            and (ctx.req.args.strip().startswith(("#", "＃")) or ctx.req.args.strip().isdecimal())
            and not spec.access.allows(ctx.me.roles)
        ):
            spec = reader  # /notice #8 (or 8) typed by someone who may only read it
        if await self._allowed(ctx, spec.access, f"/{name}"):
            await run_noting_open_form(ctx, spec.handler)

    async def _route_button(self, ctx: Ctx, data: str | None = None) -> None:
        # Data given here is the assistant's own (a quiz poll's answer, whose Telegram ids are
        # long digit runs; a yes/no payload it stored itself): not forged, never a token.
        internal = data is not None
        data = data if data is not None else (ctx.req.callback_data or "")
        if not internal and has_overlong_number(data):
            ctx.reply(ctx._("That button is no longer valid."))
            return
        prefix, _, rest = data.partition(":")
        if prefix == TOKEN_PREFIX and not internal:
            payload = await resolve(ctx.uow, data, ctx.req.user_id, ctx.req.chat_id, ctx.now)
            if payload is None:
                ctx.reply(ctx._("This button has expired. Please run the command again."))
                return
            prefix, _, rest = payload.partition(":")
        if prefix == RERUN_PREFIX:  # typed, or a name typed under a yes/no question
            await self._rerun(ctx, rest)
            return
        args = rest.split(":") if rest else []
        if prefix == "f":
            state = await ctx.uow.conversations.load(ctx.req.chat_id, ctx.req.user_id)
            form = self.router.forms.get(state.form) if state else None
            if state is None or form is None:
                ctx.reply(ctx._("That form is no longer open. Start again with its command."))
                return
            if await self._allowed(ctx, form.access, f"form:{state.form}"):
                await form.on_button(ctx, state, args)
            return
        spec = self.router.buttons.get(prefix)
        if spec is None:
            ctx.reply(ctx._("That button is no longer valid."))
            return
        if await self._allowed(ctx, spec.access, f"button:{prefix}"):
            await run_noting_open_form(ctx, lambda c: spec.handler(c, args))

    async def _try_shortcuts(self, ctx: Ctx) -> bool:
        """Handle the text as a typed shortcut if it is one; True when it was."""
        for shortcut in self.router.shortcuts:
            if await shortcut(ctx, lambda command: self._run_as_command(ctx, command)):
                return True
        return False

    async def _shortcuts_only(self, ctx: Ctx) -> None:
        await self._try_shortcuts(ctx)

    async def _run_as_command(self, ctx: Ctx, command_text: str) -> None:
        """Handle a typed shortcut exactly as the command it stands for."""
        ctx.req = replace(ctx.req, text=command_text)
        await self._route_command(ctx)

    async def _rerun(self, ctx: Ctx, command_text: str) -> None:
        """A choice button that repeats a command: run it as if it had been typed."""
        ctx.req = replace(ctx.req, text=command_text, callback_data=None)
        if ctx.req.command is None:
            ctx.reply(ctx._("That button is no longer valid."))
            return
        await self._route_command(ctx)

    async def _route_text(self, ctx: Ctx) -> None:
        state = await ctx.uow.conversations.load(ctx.req.chat_id, ctx.req.user_id)
        if state is not None and state.form == YES_NO_FORM:
            # A typed answer to the yes/no question just asked: handled as its button.
            await ctx.clear_form()
            payload = typed_answer(state, ctx.req.text, ctx)
            if payload is not None:
                await self._route_button(ctx, payload)
                return
            state = None
        if cancel_word(ctx.req.text) and (state is not None or ctx.req.is_private):
            # With no form open too: 取消 then says there is nothing to cancel, rather
            # than reaching the rule base (which offered 取消预备党员资格).
            await self._run_as_command(ctx, "/cancel")
            return
        if state is not None and ctx.req.is_private and self.router.works_in_forms(ctx.req.text):
            # 收到 while a form waits: the reminder is answered, the form stays as it was.
            await run_noting_open_form(ctx, self._shortcuts_only)
            return
        if state is not None:
            form = self.router.forms.get(state.form)
            if form is not None and await self._allowed(ctx, form.access, f"form:{state.form}"):
                await form.on_input(ctx, state)
                return
            if form is None:
                await ctx.clear_form()
        if ctx.req.attachment is not None and not ctx.req.text:
            if ctx.req.is_private:
                ctx.reply(ctx._("I can only use files inside a form, such as a check-in."))
            return
        if not ctx.req.is_private:
            return  # in groups only commands are for the bot
        if await self._try_shortcuts(ctx):
            return
        if confirm_word(ctx.req.text):
            # 确认 after the form was already saved (or never opened) is not a question.
            ctx.reply(
                ctx._("There is nothing to confirm right now. Send /help to see what you can do.")
            )
            return
        ask = self.router.commands.get("ask")
        if ask is not None and ctx.req.text.strip():
            await ask.handler(ctx)


__all__ = ["Assistant", "Response"]
