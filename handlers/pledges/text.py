"""Human text for the pledge system: translated names, a person's record, long-message splitting."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from handlers.calendar.domain import Period
from handlers.calendar.windows import PledgeCalendar, Window
from handlers.core.context import Ctx
from handlers.core.domain import GRADE_NAMES
from handlers.core.i18n import N_, Translator
from handlers.core.types import MAX_MESSAGE_LENGTH, Keyboard
from handlers.pledges.domain import (
    Appraisal,
    Checkin,
    Evidence,
    EvidenceKind,
    Fulfilment,
    Pledge,
    PledgeRevision,
    PostType,
    PublishVia,
)
from handlers.pledges.status import PersonYear, must_pledge

#: Room left in a message for Telegram's own formatting.
CHUNK = MAX_MESSAGE_LENGTH - 96


#: The names of the pledge's codes as message ids, translated when shown (no two codes of
#: these enumerations share a value, so one table holds them all).
_NAMES: dict[str, str] = {
    PostType.PRINCIPAL: N_("Unit principal"),
    PostType.MEMBER: N_("Leadership team member"),
    PostType.DISCIPLINE: N_("Discipline secretary"),
    PostType.SECTION: N_("Section-level cadre"),
    PublishVia.MEDIA: N_("In the news media"),
    PublishVia.MEETING: N_("At a meeting"),
    Period.MIDYEAR: N_("mid-year"),
    Period.YEAREND: N_("year-end"),
    Fulfilment.KEPT: N_("kept"),
    Fulfilment.PARTLY: N_("partly kept"),
    Fulfilment.NOT_KEPT: N_("not kept"),
    **GRADE_NAMES,
}


def code_name(t: Translator, value: StrEnum) -> str:
    """The translated name of a post type, a way of making a pledge public, a check-in
    period, a fulfilment status or an appraisal grade."""
    return t._(_NAMES[value])


def evidence_text(t: Translator, evidence: Evidence | None) -> str:
    """One line describing attached evidence ("" when there is none)."""
    if evidence is None:
        return ""
    if evidence.kind == EvidenceKind.NOTE:
        return t._("📝 Note: {text}", text=evidence.ref)
    kind = t._("photo") if evidence.kind == EvidenceKind.PHOTO else t._("document")
    name = f" {evidence.name}" if evidence.name else ""
    return t._("📎 Evidence: {kind}{name}", kind=kind, name=name)


def day(value: date) -> str:
    """A date as YYYY-MM-DD."""
    return value.isoformat()


def local_day(moment: datetime, tz: ZoneInfo) -> str:
    """The local calendar day of a moment, as YYYY-MM-DD."""
    return moment.astimezone(tz).date().isoformat()


def shares_text(t: Translator, appraisal: Appraisal) -> str:
    """The mass appraisal as shares or as a score."""
    if appraisal.has_shares:
        return t._(
            "good {good}% · fair {fair}% · poor {poor}%",
            good=f"{appraisal.good:g}",
            fair=f"{appraisal.fair:g}",
            poor=f"{appraisal.poor:g}",
        )
    return t._("score {score}", score=f"{appraisal.score:g}")


def pledge_lines(
    t: Translator,
    pledge: Pledge,
    today: date,
    due: date | None = None,
    tz: ZoneInfo | None = None,
    answered: bool = False,
) -> list[str]:
    """The pledge itself: header, publication (late after ``due``), lock state and items.

    A pledge entered after the due date with an earlier publication date typed (made public
    at the January meeting, entered in March) says when it was entered: the publication
    date is the cadre's word, the entry date the assistant's own record.
    """
    made_public = t._(
        "Made public: {via}, {date}",
        via=code_name(t, pledge.publish_via),
        date=day(pledge.publish_date),
    )
    if due is not None and pledge.published_late(due):
        made_public += t._(" ⏰ late (due {due})", due=day(due))
    elif due is not None and tz is not None and pledge.created_at.astimezone(tz).date() > due:
        made_public += t._(
            " (entered in the assistant on {date}, after the due date {due})",
            date=local_day(pledge.created_at, tz),
            due=day(due),
        )
    lines = [
        t._(
            "📜 Integrity pledge {year} — {post}",
            year=pledge.year,
            post=code_name(t, pledge.post_type),
        ),
        made_public,
    ]
    # Reported on or appraised, it is locked too, even before its publication day has passed.
    if pledge.is_public(today) or answered:
        lines.append(
            t._(
                "🔒 Public and locked; corrections go through the unit principal or the discipline inspectors."
            )
        )
    else:
        lines.append(t._("✏️ Editable until {date}.", date=day(pledge.publish_date)))
    lines += [f"{i}. {item}" for i, item in enumerate(pledge.items, 1)]
    return lines


def revision_lines(t: Translator, revisions: list[PledgeRevision], tz: ZoneInfo) -> list[str]:
    """One line per correction."""
    return [
        t._(
            "Correction {n} on {date}: {reason}",
            n=r.number,
            date=local_day(r.at, tz),
            reason=r.reason,
        )
        for r in revisions
    ]


def checkin_lines(
    t: Translator,
    pledge: Pledge,
    checkin: Checkin | None,
    window: Window,
    today: date,
    tz: ZoneInfo,
) -> list[str]:
    """A check-in (or its absence) for one window."""
    period = code_name(t, window.period)
    span = t.span(day(window.start), day(window.end))
    if checkin is None:
        if not pledge.expects_checkin(window.end):
            # Made public after this window closed: nothing was owed (as /unitpledges says).
            return [
                t._(
                    "— {period} check-in ({span}): not owed, the pledge was made public after it",
                    period=period,
                    span=span,
                )
            ]
        if today > window.end:
            return [t._("❗ {period} check-in ({span}): missing", period=period, span=span)]
        if today >= window.start:
            return [t._("⏳ {period} check-in ({span}): open now", period=period, span=span)]
        return [t._("○ {period} check-in ({span}): not open yet", period=period, span=span)]
    mark = "⏰" if checkin.late else "✅"
    late = t._(" (late)") if checkin.late else ""
    lines = [
        t._(
            "{mark} {period} check-in, submitted {date}{late}:",
            mark=mark,
            period=period,
            date=local_day(checkin.submitted_at, tz),
            late=late,
        )
    ]
    for i, entry in enumerate(checkin.entries, 1):
        lines.append(f"  {i}. {code_name(t, entry.status)} — {entry.explanation}")
        ev = evidence_text(t, entry.evidence)
        if ev:
            lines.append(f"     {ev}")
    return lines


def appraisal_lines(
    t: Translator, appraisal: Appraisal | None, by_name: str, tz: ZoneInfo
) -> list[str]:
    """Mass appraisal and assessment, or a note that they are still to come."""
    if appraisal is None:
        return [t._("Appraisal: not entered yet.")]
    return [
        t._("Mass appraisal: {shares}", shares=shares_text(t, appraisal)),
        t._("Organisational assessment: {grade}", grade=code_name(t, appraisal.grade)),
        t._("Entered by {name} on {date}.", name=by_name, date=local_day(appraisal.at, tz)),
    ]


def no_pledge_line(t: Translator, record: PersonYear, due: date, today: date) -> str:
    """ "No pledge", with its due date for someone who must pledge: overdue once it passed
    (何静交承诺了吗 had been answered "no pledge for 2026" alone, on 7 December)."""
    if not must_pledge(record.person):
        return t._("No pledge for {year}.", year=record.year)
    if today > due:
        return t._(
            "No pledge for {year}: it was due by {date} and is overdue.",
            year=record.year,
            date=due.isoformat(),
        )
    return t._(
        "No pledge for {year} yet: it is due by {date}.", year=record.year, date=due.isoformat()
    )


def record_text(
    t: Translator,
    record: PersonYear,
    revisions: list[PledgeRevision],
    calendar: PledgeCalendar,
    today: date,
    tz: ZoneInfo,
    appraiser_name: str = "",
    heading: str = "",
) -> str:
    """A person's whole pledge year as one text."""
    lines = [heading] if heading else []
    pledge = record.pledge
    if pledge is None:
        lines.append(no_pledge_line(t, record, calendar.pledge_due_date(record.year), today))
        return "\n".join(lines)
    due = calendar.pledge_due_date(pledge.year)
    lines += pledge_lines(t, pledge, today, due, tz, record.answered)
    lines += revision_lines(t, revisions, tz)
    lines.append("")
    for window in calendar.windows_for(pledge.year):
        lines += checkin_lines(t, pledge, record.checkins.get(window.period), window, today, tz)
    permitted = [p for p in record.permits if p.period not in record.checkins]
    lines += [
        t._("Early check-in allowed for the {period}.", period=code_name(t, p.period))
        for p in permitted
    ]
    lines.append("")
    lines += appraisal_lines(t, record.appraisal, appraiser_name, tz)
    return "\n".join(lines)


def split_text(text: str, limit: int = CHUNK) -> list[str]:
    """Split a long text at line breaks into messages Telegram accepts."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:  # a single enormous line: cut it hard
            if current:
                chunks.append(current)
                current = ""
            chunks.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            chunks.append(current)
            current = line
        else:
            current = candidate
    if current or not chunks:
        chunks.append(current)
    return chunks


def send_long(ctx: Ctx, text: str, buttons: Keyboard = ()) -> None:
    """Reply with ``text`` in as many messages as needed; the buttons go with the last one."""
    parts = split_text(text)
    for part in parts[:-1]:
        ctx.reply(part)
    ctx.reply(parts[-1], buttons)
