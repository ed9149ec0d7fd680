"""Making and editing the yearly integrity pledge: ``/pledge [YEAR]``.

A guided form: year (this or next), post type, 3–8 items (typed, or suggestions from the rule
base tapped in), how and when it is made public, then review and confirm. The publication
date lies in the pledge year and is not in the future, except a coming date up to the due
date (``pledge_due``, a pledge drafted before the January meeting); a publication after the
due date is marked late. The owner may edit until the publication date has passed (and
before any check-in was made on it); then a principal or inspector corrects it, keeping the
old text (:mod:`handlers.pledges.fix`). :mod:`handlers.pledges.form_checks` checks answers.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from handlers.core.context import Ctx, button
from handlers.core.domain import Role
from handlers.core.errors import UserError
from handlers.core.form_steps import step
from handlers.core.forms import Data, Parser, StepForm
from handlers.core.i18n import N_, Translator
from handlers.core.private import private_commands
from handlers.core.rerun import RERUN_PREFIX
from handlers.core.router import Router
from handlers.org.roles import CADRE_ROLES
from handlers.pledges.calendar import owner_may_edit
from handlers.pledges.domain import Pledge, PledgeContent, PostType, PublishVia
from handlers.pledges.form_checks import (
    MAX_ITEMS,
    MIN_ITEMS,
    TYPED_CHOICES,
    answered,
    check_publication_date,
    checked_in_text,
    clean_item,
    locked_text,
    not_section_level_text,
    own_only,
    parse_date_in_year,
    parse_year,
    pledge_due,
    today,
)
from handlers.pledges.ports import checkins_of, pledges_of
from handlers.pledges.status import must_pledge
from handlers.pledges.text import code_name
from knowledge.pledges import MAX_ITEM_CHARS, Suggestion, default_suggestions

router = Router()
command = private_commands(router, CADRE_ROLES)

SUGGESTION_MARK = "§"  # choice values "§2" stand for suggestion 2 of the chosen post type
LABEL_CHARS = 18  # suggestion buttons show the start of the text; the prompt shows it whole


def suggestions_for(data: Data) -> tuple[Suggestion, ...]:
    """Suggestions for the post type chosen in the form (none before it is chosen)."""
    post = data.get("post")
    return default_suggestions().get(post, ()) if post else ()


# -- form steps ----------------------------------------------------------------------------
async def _year(ctx: Ctx, text: str, data: Data) -> int:
    year = parse_year(ctx, text)
    other = await pledges_of(ctx.uow).of_person(ctx.me.id, year)
    if other is not None and other.id != data.get("pledge_id"):
        if owner_may_edit(other, await answered(ctx, other), today(ctx)):
            message = N_(
                "You already have a pledge for {year}. Send /mypledge {year} to see or edit it."
            )
        else:  # locked: /mypledge shows it, it cannot be edited there
            message = N_(
                "You already have a pledge for {year}, made public and locked. Send /mypledge {year} to see it."
            )
        raise UserError(ctx._(message, year=year))
    return year


def _year_choices(ctx: Ctx, data: Data) -> list[tuple[str, str]]:
    """This year and next; from November next year's comes first (what a pledge made then
    is mostly for), and this year's says when its due date has passed."""
    day = today(ctx)
    this = day.year
    this_label = (
        ctx._("{year} (this year, past its due date)", year=this)
        if day > pledge_due(this)
        else ctx._("{year} (this year)", year=this)
    )
    choices = [(this_label, str(this)), (ctx._("{year} (next year)", year=this + 1), str(this + 1))]
    return choices[::-1] if day.month >= 11 else choices


def guessed_post(ctx: Ctx) -> PostType:
    """A reasonable first choice from the person's roles."""
    if ctx.me.has_role(Role.UNIT_HEAD):
        return PostType.PRINCIPAL
    if ctx.me.has_role(Role.INSPECTOR):
        return PostType.DISCIPLINE
    return PostType.MEMBER


def _one_of(
    kind: type[PostType] | type[PublishVia],
    name: Callable[[Translator, Any], str],
    refusal: str,
) -> Parser:
    """The parser of a choice among the members of ``kind``: a button's value, or the
    member's translated name typed out."""

    async def parse(ctx: Ctx, text: str, data: Data) -> str:
        typed = text.strip()
        for value in kind:
            if typed in (value.value, name(ctx.t, value)):
                return value.value
        key = typed.rstrip("的。.!！").lower()  # Ordinary cadre. / ordinary cadres
        said = TYPED_CHOICES.get(key) or TYPED_CHOICES.get(key.removesuffix("s"))
        if said is not None and said in {v.value for v in kind}:
            return said
        raise UserError(ctx._(refusal))

    return parse


_post = _one_of(PostType, code_name, N_("Please tap one of the post types."))
_via = _one_of(PublishVia, code_name, N_("Please tap how the pledge is made public."))


def _post_choices(ctx: Ctx, data: Data) -> list[tuple[str, str]]:
    first = guessed_post(ctx)
    order = [first, *[p for p in PostType if p != first]]
    return [(code_name(ctx.t, p), p.value) for p in order]


async def _item(ctx: Ctx, text: str, data: Data) -> str:
    existing = list(data.get("items") or [])
    raw = text.strip()
    if raw.startswith(SUGGESTION_MARK) and raw[1:].isdecimal():
        options = suggestions_for(data)
        index = int(raw[1:]) - 1
        if 0 <= index < len(options):
            # Kept in Chinese whatever the reader's language: the pledge is made public in
            # the unit, and the principal and inspectors read it there.
            text = options[index].zh
    return clean_item(ctx, text, existing)


def _item_choices(ctx: Ctx, data: Data) -> list[tuple[str, str]]:
    existing = set(data.get("items") or [])
    out = []
    for i, suggestion in enumerate(suggestions_for(data), 1):
        text = suggestion.text(ctx.t.language)
        if suggestion.zh in existing:
            continue
        short = text if len(text) <= LABEL_CHARS else text[:LABEL_CHARS] + "…"
        out.append((f"➕ {i}. {short}", f"{SUGGESTION_MARK}{i}"))
    return out


def _items_prompt(ctx: Ctx, data: Data) -> str:
    text = ctx._(
        "Send the items of your pledge, one message each: {low} to {high} items, each at most {n} characters. You can also tap a suggestion to add it, then press Done.",
        low=MIN_ITEMS,
        high=MAX_ITEMS,
        n=MAX_ITEM_CHARS,
    )
    options = suggestions_for(data)
    if options:
        lines = [f"{i}. {s.text(ctx.t.language)}" for i, s in enumerate(options, 1)]
        post = code_name(ctx.t, PostType(data["post"]))
        text += "\n\n" + ctx._("Suggestions for {post}:", post=post) + "\n" + "\n".join(lines)
    return text


async def _date(ctx: Ctx, text: str, data: Data) -> str:
    year = int(data["year"])
    value = parse_date_in_year(ctx, text, year)
    check_publication_date(ctx, value, year)
    return value.isoformat()


def _date_choices(ctx: Ctx, data: Data) -> list[tuple[str, str]]:
    now = today(ctx)
    if data.get("year") == now.year:
        return [(ctx._("Today ({date})", date=now.isoformat()), now.isoformat())]
    return []


def _title(ctx: Ctx, data: Data) -> str:
    title = ctx._("Your integrity pledge for {year}", year=data.get("year", "—"))
    when = data.get("date")
    if when and date.fromisoformat(when) < today(ctx):
        title += "\n" + ctx._(
            "Note: the publication date has passed, so the pledge is locked as soon as you confirm."
        )
    due = pledge_due(int(data["year"])) if data.get("year") else None
    if when and due and date.fromisoformat(when).year != due.year:
        # The year changed on the review screen: the date no longer lies in it (the note
        # had said "made public late", and confirming then refused for another reason).
        return title + "\n⚠️ " + ctx._("The date must lie in {year}.", year=due.year)
    if when and due and date.fromisoformat(when) > due:
        title += "\n" + ctx._(
            "Note: made public after the due date ({due}); the pledge is marked late.",
            due=due.isoformat(),
        )
    return title


def _show_post(ctx: Ctx, value: Any) -> str:
    return code_name(ctx.t, PostType(value))


def _show_via(ctx: Ctx, value: Any) -> str:
    return code_name(ctx.t, PublishVia(value))


async def _finish(ctx: Ctx, data: Data) -> None:
    person = ctx.me
    if not must_pledge(person):
        raise UserError(not_section_level_text(ctx))
    year = int(data["year"])
    items = list(data["items"])
    if not MIN_ITEMS <= len(items) <= MAX_ITEMS:
        raise UserError(ctx._("Please enter at least {n} items.", n=MIN_ITEMS))
    when = date.fromisoformat(data["date"])
    # Checked again: the year may have been changed on the review screen since.
    check_publication_date(ctx, when, year)
    content = PledgeContent(PostType(data["post"]), tuple(items), PublishVia(data["via"]), when)
    pledges = pledges_of(ctx.uow)
    pledge_id = data.get("pledge_id")
    if pledge_id is not None:
        pledge = await pledges.get(int(pledge_id))
        if pledge is None or pledge.person_id != person.id:
            raise UserError(ctx._("That form is no longer open. Start again with its command."))
        if not owner_may_edit(pledge, await answered(ctx, pledge), today(ctx)):
            raise UserError(locked_text(ctx, pledge))
        other = await pledges.of_person(person.id, year)
        if other is not None and other.id != pledge.id:
            raise UserError(ctx._("You already have a pledge for {year}.", year=year))
        pledge = await pledges.update(pledge.id, content, ctx.now)
        await ctx.audit("pledge.updated", "pledge", pledge.id, person.unit_id, year=year)
    else:
        if await pledges.of_person(person.id, year) is not None:
            raise UserError(ctx._("You already have a pledge for {year}.", year=year))
        pledge = await pledges.add(person.id, person.unit_id, year, content, ctx.now)
        await ctx.audit("pledge.created", "pledge", pledge.id, person.unit_id, year=year)
    if pledge.is_public(today(ctx)):
        after = ctx._("It is public now and locked.")
    else:
        after = ctx._(
            "You can change it until {date} with /pledge {year}; then it is locked.",
            date=when.isoformat(),
            year=year,
        )
    if pledge.published_late(pledge_due(year)):
        after += "\n" + ctx._(
            "Made public after the due date ({due}): marked late.", due=pledge_due(year).isoformat()
        )
    ctx.reply(
        ctx._("✅ Your pledge for {year} is recorded ({n} items).", year=year, n=len(items))
        + "\n"
        + after
    )


PLEDGE_FORM = StepForm(
    name="pledge",
    title=_title,
    roles=CADRE_ROLES,
    finish=_finish,
    steps=[
        step(
            "year",
            N_("Year"),
            N_("Which year is the pledge for?"),
            _year,
            choices=_year_choices,
        ),
        step(
            "post",
            N_("Post type"),
            N_("Which kind of post is the pledge fitted to?"),
            _post,
            choices=_post_choices,
            show=_show_post,
        ),
        step(
            "items",
            N_("Items"),
            _items_prompt,
            _item,
            choices=_item_choices,
            multi=(MIN_ITEMS, MAX_ITEMS),
        ),
        step(
            "via",
            N_("Made public"),
            N_("How is the pledge made public?"),
            _via,
            choices=lambda ctx, d: [(code_name(ctx.t, v), v.value) for v in PublishVia],
            show=_show_via,
        ),
        step(
            "date",
            N_("Date made public"),
            lambda ctx, d: ctx._(
                "On which date is (or was) it made public? Type it like {example}.",
                example=f"{d.get('year', today(ctx).year)}-01-15",
            ),
            _date,
            choices=_date_choices,
        ),
    ],
)
router.add_form(PLEDGE_FORM)


async def open_for_edit(ctx: Ctx, pledge: Pledge) -> None:
    """Open the form on the review screen of an existing, still editable pledge."""
    data: Data = {
        "pledge_id": pledge.id,
        "year": pledge.year,
        "post": pledge.post_type.value,
        "items": list(pledge.items),
        "via": pledge.publish_via.value,
        "date": pledge.publish_date.isoformat(),
    }
    await PLEDGE_FORM.open_review(ctx, data)


async def _edit_or_explain(ctx: Ctx, pledge: Pledge, point_to_next: bool = False) -> None:
    """Open an editable pledge; else say why it is locked (and, with ``point_to_next``,
    how to make next year's: /pledge without a year means this year, and a cadre whose
    pledge is locked is most likely asking for the next one)."""
    if owner_may_edit(pledge, await answered(ctx, pledge), today(ctx)):
        await open_for_edit(ctx, pledge)
        return
    # Not yet public, it is locked by a check-in, or else by an appraisal made on its
    # publication day ("already has a check-in" had been said of one with none).
    if not pledge.is_public(today(ctx)) and await checkins_of(ctx.uow).for_pledge(pledge.id):
        text = checked_in_text(ctx, pledge)
    else:
        text = locked_text(ctx, pledge)
    if not point_to_next:
        ctx.reply(text)
        return
    year = pledge.year + 1
    if await pledges_of(ctx.uow).of_person(ctx.me.id, year) is not None:
        text += "\n" + ctx._("Your pledge for {year} is already made: /mypledge {year}", year=year)
        ctx.reply(text)
        return
    text += "\n" + ctx._("To make your pledge for {year}, send /pledge {year}.", year=year)
    # One tap rather than a command to retype on a phone.
    label = ctx._("Make my pledge for {year}", year=year)
    ctx.reply(text, ((button(label, f"{RERUN_PREFIX}:/pledge {year}"),),))


@command("pledge", N_("Make or edit your integrity pledge: /pledge [YEAR]"), order=20)
async def pledge_command(ctx: Ctx) -> None:
    """Start the pledge form, or open the existing pledge of that year for editing."""
    if not must_pledge(ctx.me):
        ctx.reply(not_section_level_text(ctx))
        return
    arg = ctx.req.args.strip()
    year = parse_year(ctx, await own_only(ctx, arg)) if arg else today(ctx).year
    existing = await pledges_of(ctx.uow).of_person(ctx.me.id, year)
    if existing is not None:
        await _edit_or_explain(ctx, existing, point_to_next=not arg)
        return
    if arg:
        await PLEDGE_FORM.start(ctx, {"year": year}, at="post")
    else:
        await PLEDGE_FORM.start(ctx)


@router.button("plg", roles=CADRE_ROLES, private_only=True)
async def pledge_button(ctx: Ctx, args: list[str]) -> None:
    """``plg:edit:<pledge id>`` from /mypledge."""
    if len(args) == 2 and args[0] == "edit" and args[1].isdecimal():
        pledge = await pledges_of(ctx.uow).get(int(args[1]))
        if pledge is not None and pledge.person_id == ctx.me.id:
            await _edit_or_explain(ctx, pledge)
            return
    ctx.reply(ctx._("That button is no longer valid."))
