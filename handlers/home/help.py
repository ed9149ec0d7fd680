"""What /help and the Telegram command menu show each person: their own commands, grouped
by task, each with one example; people without a staff role see their own-record wording.

One table (:data:`GROUPS`) drives both, so the menu and /help never disagree. Every
registered command must appear in it (a test checks), and a command is listed only when the
person's roles allow it.
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers.core.domain import Role
from handlers.core.i18n import N_, Translator
from handlers.core.router import Router

#: Roles that work on other people's records; someone holding none of them is a cadre
#: (or a stranger) and reads only their own records.
STAFF_ROLES = frozenset({Role.UNIT_HEAD, Role.INSPECTOR, Role.SUPERVISOR, Role.ADMIN})


@dataclass(frozen=True)
class HelpItem:
    """One command in /help: an example to type, and optionally the wording and visibility
    for people without a staff role (``own``: shown to them with this description;
    ``own_example``: their example, none when empty; ``staff_only``: not shown to them even
    where the command would answer)."""

    command: str
    example: str = ""
    own: str = ""
    own_example: str = ""
    staff_only: bool = False


GROUPS: tuple[tuple[str, tuple[HelpItem, ...]], ...] = (
    (
        N_("Rules and questions"),
        (
            HelpItem("ask", "/ask 收到红包怎么办"),
            HelpItem("about"),
            HelpItem("quiz"),
            HelpItem(
                "test", "/test scores", own=N_("The education-month closed-book test (August)")
            ),
        ),
    ),
    (
        N_("Integrity pledge"),
        (
            HelpItem("pledge", "/pledge 2026"),
            HelpItem("checkin"),
            HelpItem("mypledge", "/mypledge 2025"),
            HelpItem("unitpledges", "/unitpledges HL-ZF 2026"),
            HelpItem("appraise", "/appraise 马丽娟"),
        ),
    ),
    (
        N_("Records"),
        (
            HelpItem("talk", "/talk 马丽娟"),
            HelpItem(
                "talks", "/talks HL-ZF 2026", own=N_("My warning talks"), own_example="/talks"
            ),
            HelpItem("notice"),
            HelpItem("notices", "/notices 逾期", staff_only=True),
            HelpItem("assess"),
            HelpItem(
                "assessments",
                "/assessments 2025",
                own=N_("My assessment results"),
                own_example="/assessments 2025",
            ),
            HelpItem("case"),
            HelpItem("cases", "/cases 办理中", own=N_("Accountability cases concerning me")),
            HelpItem(
                "eligible",
                "/eligible 马丽娟",
                own=N_("May I be rated advanced or promoted now?"),
                own_example="/eligible 我",
            ),
        ),
    ),
    (
        N_("Calendar and reminders"),
        (
            HelpItem("calendar", "/calendar 2027"),
            HelpItem("reminders", own=N_("My reminders")),
        ),
    ),
    (
        N_("Summaries"),
        (
            HelpItem("summary", "/summary HL 2026Q2"),
            HelpItem("export", "/export HL 2026"),
            HelpItem("digest", "/digest 每周"),
        ),
    ),
    (
        N_("Administration"),
        (
            HelpItem("invite", "/invite HL-ZF cadre 张三"),
            HelpItem("invites"),
            HelpItem("uninvite", "/uninvite ABCD2345EF"),
            HelpItem("deactivate", "/deactivate 张三"),
            HelpItem("revoke", "/revoke 张三 unit_head HL-ZF"),
        ),
    ),
    (
        N_("You"),
        (
            HelpItem("start"),
            HelpItem("me"),
            HelpItem("lang", "/lang en"),
            HelpItem("cancel"),
            HelpItem("help"),
        ),
    ),
)


@dataclass(frozen=True)
class Shown:
    """A command as one person sees it: name, description and example."""

    name: str
    description: str
    example: str


def visible(router: Router, roles: frozenset[Role], t: Translator) -> list[tuple[str, list[Shown]]]:
    """The groups (translated title, commands) the holder of ``roles`` sees, in order;
    empty groups are left out. Strangers (no roles) see only /start and the basics."""
    staff = bool(roles & STAFF_ROLES)
    out: list[tuple[str, list[Shown]]] = []
    for title, items in GROUPS:
        shown: list[Shown] = []
        for item in items:
            spec = router.commands.get(item.command)
            if spec is None or not spec.access.allows(roles):
                continue
            if item.command == "start" and roles:
                continue  # registered people do not need the invitation command
            if not staff and item.staff_only:
                continue
            if not roles and spec.access.roles == frozenset() and item.command not in _BASICS:
                continue  # a stranger can only register and read the basics
            if item.own and not staff:
                description, example = t._(item.own), item.own_example
            else:
                description, example = t._(spec.help), item.example
            shown.append(Shown(item.command, description, example))
        if shown:
            out.append((t._(title), shown))
    return out


#: What an unregistered person is offered.
_BASICS = frozenset({"start", "help", "lang", "about"})


def help_lines(router: Router, roles: frozenset[Role], t: Translator) -> list[str]:
    """/help's body: a heading per group, a line per command, its example after 例：."""
    lines: list[str] = []
    for title, shown in visible(router, roles, t):
        lines.append(f"【{title}】" if t.language.startswith("zh") else f"[{title}]")
        for s in shown:
            example = t._("  e.g. {example}", example=s.example) if s.example else ""
            lines.append(f"/{s.name} — {s.description}{example}")
        lines.append("")
    return lines


def menu_commands(
    router: Router, roles: frozenset[Role], t: Translator
) -> tuple[tuple[str, str], ...]:
    """The Telegram menu of the holder of ``roles``: the same commands as /help, in the same
    order, without /start (Telegram offers it itself)."""
    return tuple(
        (s.name, s.description[:256])
        for _, shown in visible(router, roles, t)
        for s in shown
        if s.name != "start"
    )
