"""What /help and the Telegram command menu show each person: their own commands, grouped
by task, each with one example, worded for the role (a cadre reads his or her own records,
an inspector a subtree's; a supervisor reads figures, not records).

One table (:data:`GROUPS`) drives both, so the menu and /help never disagree. Every
registered command must appear in it (a test checks), and a command is listed only when the
person's roles allow it.
"""

from __future__ import annotations

from dataclasses import dataclass

from handlers.core.domain import Role
from handlers.core.i18n import N_, Translator
from handlers.core.router import Router

INSP, ADM, HEAD, SUP, CADRE = (
    Role.INSPECTOR, Role.ADMIN, Role.UNIT_HEAD, Role.SUPERVISOR, Role.CADRE
)  # fmt: skip
#: Who reads other people's records (an inspector's or administrator's subtree).
RECORD_READERS = frozenset({INSP, ADM})


@dataclass(frozen=True)
class View:
    """How a command is shown to holders of ``roles``: a description (a message id; empty:
    the command's own help) and an example (none when empty)."""

    roles: frozenset[Role]
    description: str = ""
    example: str = ""


@dataclass(frozen=True)
class HelpItem:
    """One command in /help with one example. With ``views``, the first view whose roles
    the person holds decides the wording and example, and a person matching none does not
    see the command (a supervisor reads figures, not other people's records)."""

    command: str
    example: str = ""
    views: tuple[View, ...] = ()


def own(description: str, example: str = "") -> View:
    """The view of a cadre, who reads only his or her own records."""
    return View(frozenset({CADRE}), description, example)


def records_item(
    command: str,
    example: str,
    mine: str,
    mine_example: str = "",
    readers: frozenset[Role] = RECORD_READERS,
) -> HelpItem:
    """A command reading records: ``readers`` read a subtree's (``example``), a cadre only
    his or her own (described as ``mine``)."""
    return HelpItem(command, views=(View(readers, "", example), own(mine, mine_example)))


GROUPS: tuple[tuple[str, tuple[HelpItem, ...]], ...] = (
    (
        N_("Rules and questions"),
        (
            HelpItem("ask", N_("/ask can I accept a red envelope")),
            HelpItem("about"),
            HelpItem("quiz"),
            HelpItem(
                "test",
                views=(
                    View(frozenset({ADM}), "", "/test allow 马丽娟"),
                    View(
                        frozenset({HEAD, SUP}),
                        N_("The closed-book test (August); its scores: /test scores"),
                        "/test scores",
                    ),
                    own(N_("The education-month closed-book test (August)")),
                ),
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
            records_item("talks", "/talks HL-ZF 2026", N_("My warning talks"), "/talks"),
            HelpItem("notice"),
            HelpItem("notices", views=(View(RECORD_READERS | {HEAD}, "", N_("/notices overdue")),)),
            HelpItem("assess"),
            records_item(
                "assessments", "/assessments 2025", N_("My assessment results"), "/assessments 2025"
            ),
            HelpItem("case"),
            records_item("cases", N_("/cases open"), N_("Accountability cases concerning me")),
            records_item(
                "eligible",
                "/eligible 马丽娟",
                N_("May I be rated advanced or promoted now?"),
                N_("/eligible me"),
                readers=RECORD_READERS | {HEAD},
            ),
        ),
    ),
    (
        N_("Calendar and reminders"),
        (
            HelpItem("calendar", "/calendar 2027"),
            HelpItem(
                "reminders",
                views=(
                    View(frozenset({HEAD}), ""),
                    View(frozenset(Role) - {HEAD}, N_("My reminders")),
                ),
            ),
        ),
    ),
    (
        N_("Summaries"),
        (
            HelpItem("summary", "/summary HL 2026Q2"),
            HelpItem("export", "/export HL 2026"),
            HelpItem("chart", "/chart HL 2026Q2"),
            HelpItem("digest", N_("/digest weekly")),
        ),
    ),
    (
        N_("Administration"),
        (
            HelpItem("invite", N_("/invite HL-ZF cadre Zhang San")),
            HelpItem("invites"),
            HelpItem("uninvite", "/uninvite ABCD2345EF"),
            HelpItem("deactivate", N_("/deactivate Zhang San")),
            HelpItem("reactivate", N_("/reactivate Zhang San")),
            HelpItem("grant", N_("/grant Zhang San unit principal HL-ZF")),
            HelpItem("revoke", N_("/revoke Zhang San unit principal HL-ZF")),
            HelpItem("orgexport"),
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
    out: list[tuple[str, list[Shown]]] = []
    for title, items in GROUPS:
        shown: list[Shown] = []
        for item in items:
            spec = router.commands.get(item.command)
            if spec is None or not spec.access.allows(roles):
                continue
            if item.command == "start" and roles:
                continue  # registered people do not need the invitation command
            if not roles and spec.access.roles == frozenset() and item.command not in _BASICS:
                continue  # a stranger can only register and read the basics
            if item.views:
                view = next((v for v in item.views if v.roles & roles), None)
                if view is None:
                    continue
                description = t._(view.description) if view.description else t._(spec.help)
                shown.append(Shown(item.command, description, _example(t, view.example)))
            else:
                shown.append(Shown(item.command, t._(spec.help), _example(t, item.example)))
        if shown:
            out.append((t._(title), shown))
    return out


def _example(t: Translator, example: str) -> str:
    """An example in the reader's language: those with words in them are message ids
    (/cases open, 办理中 in Chinese); a code or a name is shown as written."""
    return t._(example) if example else ""


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
