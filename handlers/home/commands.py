"""Basic commands: /help, /me, /lang, /cancel."""

from __future__ import annotations

from handlers.core.context import Ctx, button, rows
from handlers.core.i18n import N_, SUPPORTED_LANGUAGES, translator
from handlers.core.router import Router
from handlers.home.help import help_lines
from handlers.home.help_examples import own_examples
from handlers.org.roles import level_name, role_name

router = Router()


@router.command("help", N_("Show the commands you can use"), order=1)
async def help_command(ctx: Ctx) -> None:
    """The person's own commands, grouped by task, one example each (see
    :mod:`handlers.home.help`)."""
    assert ctx.router is not None
    roles = ctx.person.roles if ctx.person is not None else frozenset()
    lines = await own_examples(ctx, help_lines(ctx.router, roles, ctx.t))
    header = ctx._("Commands available to you:")
    footer = ctx._("In a private chat you can also just type a question about the rules.")
    typed = ctx._(
        "Answer a reminder by typing 收到 or 已完成; ask for a feature by name, such as 日历 or 我的提醒."
    )
    extra = [footer, typed]
    if ctx.services.kb is not None:
        extra.append(
            ctx._(
                "Rule base checked against the texts in force as of {date} (/about).",
                date=ctx.services.kb.as_of,
            )
        )
    ctx.reply("\n".join([header, *lines, *extra]))


@router.command("about", N_("About the rule base: as-of date, what it covers"), order=4)
async def about(ctx: Ctx) -> None:
    """Say how current the rule base is and how answers are sourced."""
    kb = ctx.services.kb
    if kb is None:
        ctx.reply(ctx._("The rule base is not available right now. Please try again later."))
        return
    entries = list(kb.entries.values())
    history = sum(1 for e in entries if e.status == "history")
    docs = {b.doc for e in entries for b in e.basis}
    ctx.reply(
        "\n".join(
            [
                ctx._(
                    "Rule base as of {date}: {n} entries citing {d} documents.",
                    date=kb.as_of,
                    n=len(entries),
                    d=len(docs),
                ),
                ctx._(
                    "Answers follow the rules in force on that date and name the document and article they rest on."
                ),
                ctx._(
                    "{h} entries describe earlier practice (such as the 1998 responsibility system and the 2000-era county practice); they say so and point to today's rule.",
                    h=history,
                ),
                ctx._(
                    "When the rule base does not cover a question, I say so instead of guessing. Binding decisions rest with your discipline-inspection organ."
                ),
            ]
        )
    )


@router.command("me", N_("Who am I: name, unit and roles"), order=2, private_only=True)
async def me(ctx: Ctx) -> None:
    """Show the person's own registration."""
    person = ctx.me
    unit = await ctx.uow.units.get(person.unit_id)
    lines = [
        ctx._("Name: {name}", name=person.name),
        ctx._("Unit: {unit}", unit=ctx.t.aside(unit.name, unit.code) if unit else "—"),
    ]
    if person.post:
        lines.append(ctx._("Post: {post}", post=person.post))
    lines.append(ctx._("Roles:"))
    for grant in person.grants:
        scope = await ctx.uow.units.get(grant.unit_id)
        scope_text = ctx.t.aside(scope.name, level_name(ctx.t, scope.level)) if scope else "—"
        lines.append(f"  • {role_name(ctx.t, grant.role)} — {scope_text}")
    if not person.grants:
        # Every role taken back: said, with who can give one, not an empty list.
        lines.append("  " + ctx._("none: ask an administrator to give you a role (/grant)."))
    ctx.reply("\n".join(lines))


#: Languages named as people name them (/lang 英文, /lang chinese, /lang 汉语).
LANGUAGE_WORDS = {
    **dict.fromkeys(("英文", "英语", "english", "eng", "英"), "en"),
    **dict.fromkeys(("中文", "汉语", "简体中文", "chinese", "cn", "zh-cn", "普通话"), "zh_CN"),
}


@router.command("lang", N_("Switch language: 中文 / English"), order=3)
async def lang(ctx: Ctx) -> None:
    """``/lang en`` or ``/lang zh`` switches directly; without argument, offer buttons."""
    arg = ctx.req.args.strip().lower()
    if arg:
        choice = LANGUAGE_WORDS.get(arg, "")
        if not choice:
            choice = (
                "en" if arg.startswith("en") else "zh_CN" if arg.startswith(("zh", "中")) else ""
            )
        if not choice:
            ctx.reply(ctx._("Unknown language. Use /lang zh or /lang en."))
            return
        await _switch(ctx, choice)
        return
    ctx.reply(
        ctx._("Choose your language:"),
        rows([button("中文", "lang:zh_CN"), button("English", "lang:en")]),
    )


@router.button("lang")
async def lang_button(ctx: Ctx, args: list[str]) -> None:
    """Language button."""
    if not args or args[0] not in SUPPORTED_LANGUAGES:
        ctx.reply(ctx._("That button is no longer valid."))
        return
    await _switch(ctx, args[0], edit=True)


async def _switch(ctx: Ctx, language: str, edit: bool = False) -> None:
    await ctx.uow.people.set_language(ctx.me.id, language)
    ctx.t = translator(language)
    ctx.reply(ctx._("Language set to English."), edit=edit)


@router.command("cancel", N_("Abandon the form in progress"), order=4)
async def cancel(ctx: Ctx) -> None:
    """Drop the open form, if any."""
    state = await ctx.uow.conversations.load(ctx.req.chat_id, ctx.req.user_id)
    await ctx.clear_form()
    if state is None:
        for stop in ctx.router.cancellers if ctx.router else ():
            if await stop(ctx):  # a practice round, say, that 取消 means to leave
                return
        ctx.reply(ctx._("There is nothing to cancel."))
    else:
        ctx.reply(ctx._("Cancelled. Nothing was saved."))
