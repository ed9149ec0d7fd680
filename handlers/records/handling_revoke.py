"""A handling revoked on review or appeal (复核/申诉): kept as history, it bars nothing and
counts in no figure from that day on. A changed decision is edited instead."""

from __future__ import annotations

from handlers.core.context import Ctx
from handlers.core.errors import Conflict, UserError
from handlers.core.forms import Data
from handlers.core.i18n import N_
from handlers.records.common import add_revision, open_button
from handlers.records.domain import CasePerson, RecordType
from handlers.records.inputs import fmt_date, from_iso, read_past_date
from handlers.records.kind import KINDS, load_writable
from handlers.records.steps import action_form, past_date_step, text_step


async def start_revoke(ctx: Ctx, rid: int) -> None:
    """The handling's "Revoked on review" button (writers only, once)."""
    row: CasePerson = (await load_writable(ctx, KINDS[RecordType.CASE_PERSON], rid)).record
    if row.revoked_on is not None:
        raise UserError(
            ctx._("This handling was already revoked on {date}.", date=fmt_date(row.revoked_on))
        )
    await REVOKE_FORM.start(
        ctx,
        {"_edit": rid, "_version": row.version, "_effective": row.effective_on.isoformat()},
    )


async def _parse_revoked_on(ctx: Ctx, text: str, data: Data) -> str:
    day = read_past_date(ctx, text)
    effective = from_iso(data.get("_effective"))
    if effective is not None and day < effective:
        raise UserError(
            ctx._(
                "The revocation ({date}) cannot be before the decision took effect ({effective}).",
                date=fmt_date(day),
                effective=fmt_date(effective),
            )
        )
    return day.isoformat()


async def _finish(ctx: Ctx, data: Data) -> None:
    rid = int(data["_edit"])
    kind = KINDS[RecordType.CASE_PERSON]
    loaded = await load_writable(ctx, kind, rid)
    row: CasePerson = loaded.record
    day = from_iso(data["revoked_on"])
    assert day is not None
    reason = str(data["reason"])
    changes = {"revoked_on": day, "revoke_reason": reason}
    if not await kind.repo(ctx.uow).update(rid, int(data["_version"]), changes, ctx.now):
        raise Conflict()
    await add_revision(
        ctx,
        RecordType.CASE_PERSON,
        rid,
        "revoke",
        {"revoked_on": (None, day), "revoke_reason": (None, reason)},
    )
    await ctx.audit("case.handling_revoked", "case", row.case_id, loaded.unit_id, handling=rid)
    ctx.reply(
        ctx._(
            "Handling #{id} is recorded as revoked on review from {date}: it no longer bars promotion or rating and no longer counts in the figures.",
            id=rid,
            date=fmt_date(day),
        ),
        open_button(ctx, kind.prefix, rid),
    )


REVOKE_FORM = action_form(
    "rec_case_revoke",
    N_("Revoked on review: handling #{id}"),
    [
        past_date_step(
            "revoked_on",
            N_("Revoked on"),
            N_("On which day was it revoked (the review or appeal decision)?"),
            _parse_revoked_on,
        ),
        text_step(
            "reason",
            N_("Reason for revoking"),
            N_("Why was it revoked? (e.g. 复核认定事实不清，撤销原处分决定)"),
            500,
            4,
        ),
    ],
    _finish,
)
