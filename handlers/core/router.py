"""Routing tables: commands, button prefixes and forms, each with declared permissions.

Capability modules create a :class:`Router`, register their handlers with the decorators
and the assistant merges all routers at start-up (the aiogram pattern, framework-free).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from handlers.core.domain import Role

if TYPE_CHECKING:
    from handlers.core.context import Ctx
    from handlers.core.domain import FormState

Handler = Callable[["Ctx"], Awaitable[None]]
ButtonHandler = Callable[["Ctx", list[str]], Awaitable[None]]
#: Runs a command line (``/eligible 高峰``) as if typed; given to shortcut handlers.
RunCommand = Callable[[str], Awaitable[None]]
ShortcutHandler = Callable[["Ctx", RunCommand], Awaitable[bool]]
#: Whether a whole typed message is one a shortcut stands for (我的提醒, 收到 …), so that an
#: open form does not keep it as the answer to its question.
TypedNameTest = Callable[[str], bool]


@dataclass(frozen=True)
class Access:
    """Who may use a command or button.

    ``roles`` empty means every registered person; ``private_only`` refuses group chats with
    "please use a private chat" and nothing else.
    """

    roles: frozenset[Role] = frozenset()
    private_only: bool = False

    def allows(self, held: frozenset[Role]) -> bool:
        """True when the held roles satisfy this rule."""
        return not self.roles or bool(self.roles & held)


@dataclass(frozen=True)
class CommandSpec:
    """A slash command."""

    name: str
    handler: Handler
    access: Access
    help: str
    order: int = 100
    #: A command that opens a record number (``#8``) for people this one's roles leave out:
    #: a unit head typing /notice #8 about a notice sent to his unit reads it through
    #: /notices, which checks that he may (the create command is for inspectors).
    reads_with: str | None = None


@dataclass(frozen=True)
class ButtonSpec:
    """A family of inline buttons whose data starts with ``prefix:``."""

    prefix: str
    handler: ButtonHandler
    access: Access


class Form(Protocol):
    """A multi-step form: while it is active, text, files and ``f:`` buttons go to it."""

    name: str
    access: Access

    async def on_input(self, ctx: Ctx, state: FormState) -> None:
        """Handle free text or an attachment for the current step."""
        ...

    async def on_button(self, ctx: Ctx, state: FormState, args: list[str]) -> None:
        """Handle a form button (back, cancel, confirm, a choice …)."""
        ...


@dataclass
class Router:
    """Collects handlers of one capability module."""

    commands: dict[str, CommandSpec] = field(default_factory=dict)
    buttons: dict[str, ButtonSpec] = field(default_factory=dict)
    forms: dict[str, Form] = field(default_factory=dict)
    #: Handlers of typed shortcuts (收到, 日历, 我能提拔吗 …), tried in order on plain text in a
    #: private chat before it goes to the rule base; one returns True when it handled it.
    shortcuts: list[ShortcutHandler] = field(default_factory=list)
    #: Tests for the whole messages those shortcuts take (see :meth:`typed_names`).
    typed_name_tests: list[TypedNameTest] = field(default_factory=list)
    #: Tests for typed shortcuts that work even while a form is open (see :meth:`in_forms`).
    in_form_tests: list[TypedNameTest] = field(default_factory=list)
    #: Tests for typed requests that start a new record (see :meth:`typed_requests`).
    request_tests: list[TypedNameTest] = field(default_factory=list)
    #: What /cancel stops when no form is open (a quiz round); each returns True when it
    #: stopped something (see :meth:`canceller`).
    cancellers: list[Callable[[Ctx], Awaitable[bool]]] = field(default_factory=list)

    def command(
        self,
        name: str,
        help: str,
        roles: tuple[Role, ...] = (),
        private_only: bool = False,
        order: int = 100,
        reads_with: str | None = None,
    ) -> Callable[[Handler], Handler]:
        """Register a slash command; ``help`` is an untranslated message id."""

        def decorate(fn: Handler) -> Handler:
            self.commands[name] = CommandSpec(
                name, fn, Access(frozenset(roles), private_only), help, order, reads_with
            )
            return fn

        return decorate

    def button(
        self, prefix: str, roles: tuple[Role, ...] = (), private_only: bool = False
    ) -> Callable[[ButtonHandler], ButtonHandler]:
        """Register the handler for buttons whose data is ``prefix:arg:arg…``."""

        def decorate(fn: ButtonHandler) -> ButtonHandler:
            self.buttons[prefix] = ButtonSpec(prefix, fn, Access(frozenset(roles), private_only))
            return fn

        return decorate

    def shortcut(self, fn: ShortcutHandler) -> ShortcutHandler:
        """Register a typed-shortcut handler (``async (ctx, run_command) -> handled``)."""
        self.shortcuts.append(fn)
        return fn

    def typed_names(self, fn: TypedNameTest) -> TypedNameTest:
        """Register a test telling whether a typed message is a shortcut's name or word.

        A form open when such a message arrives refuses it as an answer (我的提醒 is not a
        pledge item, 收到 not an explanation) instead of storing it.
        """
        self.typed_name_tests.append(fn)
        return fn

    def canceller(self, fn: Callable[[Ctx], Awaitable[bool]]) -> Callable[[Ctx], Awaitable[bool]]:
        """Register something /cancel (取消) stops when no form is open."""
        self.cancellers.append(fn)
        return fn

    def in_forms(self, fn: TypedNameTest) -> TypedNameTest:
        """Register a test for typed shortcuts that are handled while a form is open, the
        form staying where it was (收到 answers a reminder; it is never a field's value)."""
        self.in_form_tests.append(fn)
        return fn

    def typed_requests(self, fn: TypedNameTest) -> TypedNameTest:
        """Register a test telling whether a typed message asks for a new record in words
        (给岳村镇发个整改通知 月底前). A form open when one arrives refuses it as an answer:
        typed at a notice's place step, it had been stored as the place."""
        self.request_tests.append(fn)
        return fn

    def names_a_request(self, text: str) -> bool:
        """True when ``text`` is a typed request for a new record."""
        return any(test(text) for test in self.request_tests)

    def works_in_forms(self, text: str) -> bool:
        """True when ``text`` is a shortcut handled even while a form is open."""
        return any(test(text) for test in self.in_form_tests)

    def names_a_shortcut(self, text: str) -> bool:
        """True when ``text`` is a whole message some typed shortcut stands for."""
        return any(test(text) for test in self.typed_name_tests)

    def add_form(self, form: Form) -> None:
        """Register a multi-step form under its name."""
        self.forms[form.name] = form

    def include(self, other: Router) -> None:
        """Merge another router into this one; duplicate names are a programming error."""
        for mine, theirs in (
            (self.commands.keys(), other.commands.keys()),
            (self.buttons.keys(), other.buttons.keys()),
            (self.forms.keys(), other.forms.keys()),
        ):
            clash = mine & theirs
            if clash:
                raise ValueError(f"duplicate handler names: {sorted(clash)}")
        self.commands.update(other.commands)
        self.buttons.update(other.buttons)
        self.forms.update(other.forms)
        self.shortcuts.extend(other.shortcuts)
        self.typed_name_tests.extend(other.typed_name_tests)
        self.in_form_tests.extend(other.in_form_tests)
        self.request_tests.extend(other.request_tests)
        self.cancellers.extend(other.cancellers)
