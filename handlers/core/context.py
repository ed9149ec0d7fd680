"""The per-request context handed to every core handler."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from handlers.core.domain import AuditEntry, FormState, Person, Role, Unit
from handlers.core.errors import NotFound
from handlers.core.i18n import Translator
from handlers.core.ports import Clock, UnitOfWork
from handlers.core.rerun import rerun_buttons, typed_in_form_buttons
from handlers.core.settings import ReminderConfig, SnapshotConfig
from handlers.core.types import Button, Keyboard, Reply, Request, Response, TextReply
from handlers.core.unit_words import find_units, sounding_like

if TYPE_CHECKING:
    from handlers.core.router import Router
    from knowledge.retrieval import KnowledgeBase


@dataclass(frozen=True)
class CoreConfig:
    """Behaviour settings the core needs (the bot's settings object is mapped onto this)."""

    timezone: ZoneInfo = field(default_factory=lambda: ZoneInfo("Asia/Shanghai"))
    invite_ttl_days: int = 14
    bot_username: str = ""
    reminders: ReminderConfig = field(default_factory=ReminderConfig)
    #: How long a button whose payload is stored server-side keeps working.
    button_ttl: timedelta = timedelta(days=7)
    summary: SnapshotConfig = field(default_factory=SnapshotConfig)


@dataclass(frozen=True)
class Services:
    """Long-lived collaborators shared by all requests."""

    clock: Clock
    config: CoreConfig
    kb: KnowledgeBase | None = None


@dataclass
class Ctx:
    """Everything a handler needs for one request."""

    req: Request
    uow: UnitOfWork
    services: Services
    t: Translator
    person: Person | None
    response: Response = field(default_factory=Response)
    router: Router | None = None

    # -- convenience ------------------------------------------------------------------------
    def _(self, message: str, **values: Any) -> str:
        """Translate for the person's language."""
        return self.t._(message, **values)

    @property
    def now(self) -> datetime:
        """The current moment (UTC) from the injected clock."""
        return self.services.clock.now()

    @property
    def local_now(self) -> datetime:
        """The current moment in the configured time zone."""
        return self.now.astimezone(self.services.config.timezone)

    @property
    def me(self) -> Person:
        """The registered person making the request (handlers run only for them)."""
        assert self.person is not None, "handler reached without a registered person"
        return self.person

    def reply(self, text: str, buttons: Keyboard = (), edit: bool = False) -> None:
        """Send a text reply to the chat the request came from."""
        self.response.add(TextReply(text=text, buttons=buttons, edit=edit))

    def send(self, reply: Reply) -> None:
        """Send any kind of reply."""
        self.response.add(reply)

    def send_to(self, chat_id: int, text: str, buttons: Keyboard = ()) -> None:
        """Send a text message to another chat (a notification to staff, say)."""
        self.response.add(TextReply(text=text, buttons=buttons, chat_id=chat_id))

    @staticmethod
    def t_for(language: str) -> Translator:
        """A translator for someone else's language (for notifications)."""
        from handlers.core.i18n import translator

        return translator(language)

    # -- forms ------------------------------------------------------------------------------
    async def save_form(self, form: str, step: str, data: dict[str, Any]) -> None:
        """Remember where the person is in a multi-step form."""
        await self.uow.conversations.save(
            self.req.chat_id, self.req.user_id, FormState(form, step, data, self.now)
        )

    async def clear_form(self) -> None:
        """Forget the form in progress."""
        await self.uow.conversations.clear(self.req.chat_id, self.req.user_id)

    # -- audit and scope --------------------------------------------------------------------
    async def audit(
        self,
        action: str,
        object_type: str = "",
        object_id: str | int = "",
        unit_id: int | None = None,
        **details: Any,
    ) -> None:
        """Append an audit entry for this request (never put record content in details)."""
        await self.uow.audit.append(
            AuditEntry(
                action=action,
                actor_id=self.person.id if self.person else None,
                chat_id=self.req.chat_id,
                object_type=object_type,
                object_id=str(object_id),
                unit_id=unit_id,
                details=details,
                at=self.now,
            )
        )

    async def units_sounding_like(self, text: str, paths: Sequence[str]) -> NotFound | None:
        """The refusal offering units that sound like ``text`` (越村镇 or yuecun for 岳村镇)
        with a tap, never taken on a guess; None when none does."""
        alike = await sounding_like(self.uow, text, paths)
        named = [(u.name, u.code) for u in alike]
        choices = rerun_buttons(self, text, named) or typed_in_form_buttons(self, named)
        if not choices:
            return None
        return NotFound(
            self._(
                "No unit “{text}” found within your scope. Did you mean one of these?",
                text=text.strip()[:40],
            ),
            choices,
        )

    async def unit_in_scope(self, text: str, *roles: Role) -> Unit:
        """Resolve a unit code or name inside the person's scope for ``roles``.

        Raises :class:`NotFound` with the same message whether the unit does not exist or
        lies outside the scope, so a probe learns nothing.
        """
        paths = self.me.scope_paths(*roles)
        units = await find_units(self.uow, self.me, text, paths)
        exact = [
            u for u in units if u.code.lower() == text.strip().lower() or u.name == text.strip()
        ]
        if len(exact) == 1:
            return exact[0]
        if len(units) == 1:
            return units[0]
        if not units:
            offered = await self.units_sounding_like(text, paths)
            if offered is not None:
                raise offered
            raise NotFound(self._("No unit “{text}” found within your scope.", text=text.strip()))
        names = self.t.join(self.t.aside(u.name, u.code) for u in units[:8])
        named = [(self.t.aside(u.name, u.code), u.code) for u in units]
        choices = rerun_buttons(self, text, named) or typed_in_form_buttons(self, named)
        if choices:
            raise NotFound(
                self._(
                    "Several units match: {names}. Choose one below, or give the unit code.",
                    names=names,
                ),
                choices,
            )
        raise NotFound(
            self._("Several units match: {names}. Please give the unit code.", names=names)
        )


def button(text: str, data: str) -> Button:
    """Shorthand for an inline button."""
    return Button(text=text, data=data)


def rows(*rows_: list[Button] | tuple[Button, ...]) -> Keyboard:
    """Build a keyboard from rows of buttons."""
    return tuple(tuple(r) for r in rows_ if r)
