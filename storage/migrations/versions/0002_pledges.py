"""pledges tables: pledges, their revisions, check-ins, check-in permits and appraisals."""

import sqlalchemy as sa
from alembic import op

from storage.migrations import columns as c

revision: str = "0002"
down_revision: str | None = "0001"


def upgrade() -> None:
    op.create_table(
        "pledges", c.serial_id(), *c.ids("person_id", "unit_id"), *c.cols(sa.Integer, "year"),
        *c.strings(16, "post_type"), *c.cols(sa.JSON, "items"), *c.strings(16, "publish_via"),
        *c.cols(sa.Date, "publish_date"), *c.stamps("created_at", "updated_at"),
        *c.cols(sa.Integer, "revision"),
        *c.refs("pledges", ("person_id", "people"), ("unit_id", "units")), c.primary("pledges"),
        sa.UniqueConstraint("person_id", "year", name="uq_pledges_person_year"),
    )
    c.index("pledges", "year")

    op.create_table(
        "pledge_revisions", c.serial_id(), *c.ids("pledge_id"), *c.cols(sa.Integer, "number"),
        *c.cols(sa.JSON, "items"), *c.strings(500, "reason"), *c.ids("by_id"), *c.stamps("at"),
        *c.refs("pledge_revisions", ("by_id", "people"), ("pledge_id", "pledges")),
        c.primary("pledge_revisions"),
        sa.UniqueConstraint("pledge_id", "number", name="uq_pledge_revisions_pledge_number"),
    )
    c.index("pledge_revisions", "pledge_id")

    op.create_table(
        "pledge_checkins", c.serial_id(), *c.ids("pledge_id", "person_id"),
        *c.strings(16, "period"),
        *c.cols(sa.JSON, "entries"), *c.cols(sa.Boolean, "late"),
        *c.stamps("submitted_at", "updated_at"),
        *c.refs("pledge_checkins", ("person_id", "people"), ("pledge_id", "pledges")),
        c.primary("pledge_checkins"),
        sa.UniqueConstraint("pledge_id", "period", name="uq_pledge_checkins_pledge_period"),
    )
    c.index("pledge_checkins", "person_id")

    op.create_table(
        "checkin_permits", c.serial_id(), *c.ids("person_id"), *c.cols(sa.Integer, "year"),
        *c.strings(16, "period"), *c.ids("by_id"), *c.stamps("at"),
        *c.refs("checkin_permits", ("by_id", "people"), ("person_id", "people")),
        c.primary("checkin_permits"),
        sa.UniqueConstraint(
            "person_id", "year", "period", name="uq_checkin_permits_person_year_period"
        ),
    )

    op.create_table(
        "pledge_appraisals", *c.ids("pledge_id", "person_id"),
        *c.cols(sa.Double, "good", "fair", "poor", "score", nullable=True),
        *c.strings(16, "grade"), *c.ids("by_id"), *c.stamps("at"),
        *c.refs("pledge_appraisals",
                ("by_id", "people"), ("person_id", "people"), ("pledge_id", "pledges")),
        c.primary("pledge_appraisals", "pledge_id"),
    )
    c.index("pledge_appraisals", "person_id")


def downgrade() -> None:
    for table, indexed in (
        ("pledge_appraisals", "person_id"), ("checkin_permits", ""),
        ("pledge_checkins", "person_id"), ("pledge_revisions", "pledge_id"), ("pledges", "year"),
    ):
        if indexed:
            c.drop_index(table, indexed)
        op.drop_table(table)
