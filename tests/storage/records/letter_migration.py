"""The migration a product kind like tests/handlers/records/letter_kind.py comes with (as
it would stand in storage/migrations/versions/), run by the tests on their database to
show that it creates exactly the table the declaration derives."""

import sqlalchemy as sa
from alembic import op

from storage.migrations import columns as c

TABLE = "test_letter_inquiries"


def upgrade() -> None:
    op.create_table(
        TABLE,
        c.serial_id(),
        *c.ids("person_id", "unit_id"),
        *c.cols(sa.Date, "sent_on"),
        *c.cols(sa.Text, "matter"),
        *c.cols(sa.Text, "reply", nullable=True),
        *c.tracked(TABLE),
        *c.refs(TABLE, ("person_id", "people"), ("unit_id", "units")),
    )
    for column in ("person_id", "unit_id", "sent_on"):
        c.index(TABLE, column)


def downgrade() -> None:
    for column in ("person_id", "unit_id", "sent_on"):
        c.drop_index(TABLE, column)
    op.drop_table(TABLE)
