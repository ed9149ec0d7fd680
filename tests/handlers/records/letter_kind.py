"""A record kind added the way docs/architecture.md's recipe says: this one module (plus, in
the product, a migration creating its table). Letter inquiries (函询): the commission asks a
cadre in writing to explain a matter and records the reply.

The tests mount it beside the built-in kinds (test_declared_kind.py) and store it on the
fakes, SQLite and PostgreSQL with no storage code of its own, its table made by the migration
in tests/storage/records/letter_migration.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from handlers.core.context import Ctx
from handlers.core.i18n import N_
from handlers.org.people import person_label
from handlers.records.common import Access, record_buttons
from handlers.records.domain import Tombstone
from handlers.records.engine import mount
from handlers.records.inputs import fmt_date
from handlers.records.kind import Detail, Listing, RecordForm, RecordKind, about_me, stamped
from handlers.records.ports import records_of
from handlers.records.steps import past_date_step, person_step, text_step
from handlers.records.stored import Empty, Filled, Stored


@dataclass(frozen=True)
class LetterInquiry:
    """A letter inquiry sent to a cadre, and the reply once it comes."""

    id: int
    person_id: int
    unit_id: int
    sent_on: date
    matter: str
    created_by: int
    created_at: datetime
    reply: str | None = None
    version: int = 1
    deleted: Tombstone | None = None


# A product kind registers its declaration, ``STORED = stored(Stored(...))``, so that the
# schema has its table; the tests' kind stays unregistered, out of the product's schema.
STORED: Stored[LetterInquiry] = Stored(
    "test_letter_inquiries",
    LetterInquiry,
    day="sent_on",
    refs={"person_id": "people", "unit_id": "units"},
    statuses={"open": Empty("reply"), "replied": Filled("reply")},
)

FIELDS = {
    "person_id": N_("Person asked"),
    "sent_on": N_("Sent on"),
    "matter": N_("Matter to explain"),
    "reply": N_("Reply"),
}

STEPS = [
    person_step(FIELDS["person_id"], N_("Who is asked? Type the person's name.")),
    past_date_step("sent_on", FIELDS["sent_on"], N_("On which day was the letter sent?")),
    text_step("matter", FIELDS["matter"], N_("What is the person asked to explain?")),
]


async def _line(ctx: Ctx, letter: LetterInquiry) -> tuple[str, str]:
    who = await person_label(ctx, letter.person_id)
    mark = "✅" if letter.reply else "⏳"
    return f"#{letter.id} {fmt_date(letter.sent_on)} {who} {mark}", f"#{letter.id} {who}"


async def _detail(ctx: Ctx, letter: LetterInquiry, access: Access) -> Detail:
    lines = [f"Letter inquiry #{letter.id}", *await KIND.lines(ctx, letter, list(FIELDS))]
    return lines, record_buttons(ctx, KIND.prefix, letter.id, access)


KIND = RecordKind(
    "letter",
    "lt",
    N_("Letter inquiry"),
    FIELDS,
    lambda uow: records_of(uow).kind(STORED),
    own=about_me,
    listing=Listing(
        "letters",
        N_("Letter inquiries: /letters [UNIT] [YEAR] [open|replied]"),
        49,
        N_("Letter inquiries"),
        N_("➕ New letter inquiry"),
        {"open": N_("awaiting reply"), "replied": N_("replied")},
        _line,
    ),
    detail=_detail,
    form=RecordForm(
        "rec_letter",
        (N_("New letter inquiry"), N_("Edit letter inquiry #{id}")),
        STEPS,
        stamped(LetterInquiry),
        N_("Letter inquiry #{id} saved."),
        command=("letter", N_("Record a letter inquiry (函询)"), 48),
        prefill=True,
        created=N_("Letter inquiry #{id} recorded."),
        keeps_unit=True,
    ),
)
router = mount(KIND)
