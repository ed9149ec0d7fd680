"""Correcting a locked pledge (by a unit principal or discipline inspector), kept as a revision.

Once a pledge is public its owner can no longer change it. A correction replaces the items
and keeps the old ones, the reason, who and when in ``pledge_revisions``; the owner is told.
"""

from __future__ import annotations

from handlers.core.context import Ctx
from handlers.core.domain import Person
from handlers.core.errors import UserError
from handlers.core.form_steps import step
from handlers.core.forms import KEPT, Data, StepForm
from handlers.core.i18n import N_
from handlers.core.notify import tell
from handlers.core.router import Router
from handlers.core.typed_words import says_nothing
from handlers.pledges.calendar import owner_may_edit
from handlers.pledges.domain import Pledge, PledgeContent
from handlers.pledges.form_checks import MAX_ITEMS, MIN_ITEMS, clean_item, today
from handlers.pledges.form_checks import answered as made_on
from handlers.pledges.ports import checkins_of, pledges_of
from handlers.pledges.scope import ACT_ROLES, person_in_scope, refuse_self

router = Router()

MAX_REASON_CHARS = 300


async def _item(ctx: Ctx, text: str, data: Data) -> str:
    items = list(data.get("items") or [])
    keep = data.get("keep_count")
    if keep and len(items) >= int(keep):
        # Refused as it is typed, not only at the confirmation (see _finish).
        raise UserError(
            ctx._(
                "Check-ins answer this pledge's {n} items, so the correction has {n} items too; press Done.",
                n=keep,
            )
        )
    return clean_item(ctx, text, items)


async def _reason(ctx: Ctx, text: str, data: Data) -> str:
    reason = " ".join(text.split())
    if len(reason) > MAX_REASON_CHARS:
        raise UserError(ctx._("That is too long (at most {n} characters).", n=MAX_REASON_CHARS))
    if sum(ch.isalnum() for ch in reason) < 2 or says_nothing(reason):
        raise UserError(ctx._("Please say briefly why the pledge is corrected, e.g. 笔误更正."))
    return reason


def _items_prompt(ctx: Ctx, data: Data) -> str:
    keep = data.get("keep_count")
    ask = (
        ctx._(
            "Check-ins already answer this pledge item by item, so keep its {n} items in their order: send each item corrected, one message each, then press Done.",
            n=keep,
        )
        if keep
        else ctx._(
            "Send the corrected items, one message each ({low} to {high}), then press Done.",
            low=MIN_ITEMS,
            high=MAX_ITEMS,
        )
    )
    # The items themselves follow, shown by the form (kept until new ones are sent).
    one = ctx._("To change one item only, type for example: change item 2 to …")
    return ask + "\n" + one


def _title(ctx: Ctx, data: Data) -> str:
    return ctx._(
        "Correction of {name}'s pledge for {year}. The current text is kept as a revision.",
        name=data.get("name", ""),
        year=data.get("year", ""),
    )


async def _finish(ctx: Ctx, data: Data) -> None:
    person, unit = await person_in_scope(ctx, int(data["person_id"]), *ACT_ROLES)
    refuse_self(ctx, person)
    pledge = await pledges_of(ctx.uow).get(int(data["pledge_id"]))
    answered = bool(pledge and await checkins_of(ctx.uow).for_pledge(pledge.id))
    if (
        pledge is None
        or pledge.person_id != person.id
        or owner_may_edit_now(ctx, pledge, await made_on(ctx, pledge))
    ):
        raise UserError(ctx._("That form is no longer open. Start again with its command."))
    items = list(data["items"])
    if not MIN_ITEMS <= len(items) <= MAX_ITEMS:
        raise UserError(ctx._("Please enter at least {n} items.", n=MIN_ITEMS))
    if tuple(items) == pledge.items:
        raise UserError(ctx._("The items are unchanged, so there is nothing to correct."))
    if answered and len(items) != len(pledge.items):
        # Each check-in entry answers the item in its place: another count would attach the
        # reports to items they were never about.
        raise UserError(
            ctx._(
                "Check-ins already answer this pledge item by item, so the correction must keep its {n} items (it has {m}). Please edit the items again.",
                n=len(pledge.items),
                m=len(items),
            )
        )
    pledges = pledges_of(ctx.uow)
    revision = await pledges.add_revision(
        pledge.id, pledge.items, data["reason"], ctx.me.id, ctx.now
    )
    content = PledgeContent(pledge.post_type, tuple(items), pledge.publish_via, pledge.publish_date)
    await pledges.update(pledge.id, content, ctx.now)
    await ctx.audit(
        "pledge.revised", "pledge", pledge.id, unit.id, year=pledge.year, revision=revision.number
    )
    ctx.reply(
        ctx._(
            "✅ {name}'s pledge for {year} is corrected (revision {n}).",
            name=person.name,
            year=pledge.year,
            n=revision.number,
        )
    )
    tell(
        ctx,
        person,
        N_("Your pledge for {year} was corrected by {name}. Send /mypledge {year} to see it."),
        year=pledge.year,
        name=ctx.me.name,
    )


FIX_FORM = StepForm(
    name="pledge_fix",
    title=_title,
    roles=ACT_ROLES,
    finish=_finish,
    steps=[
        step(
            "items",
            N_("Items"),
            _items_prompt,
            _item,
            multi=(MIN_ITEMS, MAX_ITEMS),
        ),
        step(
            "reason",
            N_("Reason"),
            N_("Why is the pledge corrected? (kept with the revision)"),
            _reason,
        ),
    ],
)
router.add_form(FIX_FORM)


def owner_may_edit_now(ctx: Ctx, pledge: Pledge, answered: bool) -> bool:
    """True while the owner may change the pledge (``answered``: a check-in exists), so no
    correction is needed."""
    return owner_may_edit(pledge, answered, today(ctx))


async def start_fix(ctx: Ctx, person: Person, pledge: Pledge) -> None:
    """Open the correction form for a locked pledge; the owner still edits an unlocked one."""
    refuse_self(ctx, person)
    answered = bool(await checkins_of(ctx.uow).for_pledge(pledge.id))
    if owner_may_edit_now(ctx, pledge, await made_on(ctx, pledge)):
        raise UserError(
            ctx._("This pledge is not public yet, so its owner can still edit it with /pledge.")
        )
    data: Data = {
        "pledge_id": pledge.id,
        "person_id": person.id,
        "name": person.name,
        "year": pledge.year,
        "old": list(pledge.items),
    }
    if answered:
        data["keep_count"] = len(pledge.items)
    # The items as they are: Done keeps them, 改第2项 changes one, new ones replace them all
    # (a correction of one word had meant typing every item again).
    data[KEPT] = list(pledge.items)
    await FIX_FORM.start(ctx, data)
