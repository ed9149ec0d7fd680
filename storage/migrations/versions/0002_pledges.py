"""pledges tables

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "pledges",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("person_id", BIG_ID, nullable=False),
        sa.Column("unit_id", BIG_ID, nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("post_type", sa.String(length=16), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("publish_via", sa.String(length=16), nullable=False),
        sa.Column("publish_date", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_pledges_person_id_people")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_pledges_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pledges")),
        sa.UniqueConstraint("person_id", "year", name="uq_pledges_person_year"),
    )
    op.create_index(op.f("ix_pledges_year"), "pledges", ["year"], unique=False)

    op.create_table(
        "pledge_revisions",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("pledge_id", BIG_ID, nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("items", sa.JSON(), nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("by_id", BIG_ID, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["by_id"], ["people.id"], name=op.f("fk_pledge_revisions_by_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["pledge_id"], ["pledges.id"], name=op.f("fk_pledge_revisions_pledge_id_pledges")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pledge_revisions")),
        sa.UniqueConstraint("pledge_id", "number", name="uq_pledge_revisions_pledge_number"),
    )
    op.create_index(
        op.f("ix_pledge_revisions_pledge_id"), "pledge_revisions", ["pledge_id"], unique=False
    )

    op.create_table(
        "pledge_checkins",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("pledge_id", BIG_ID, nullable=False),
        sa.Column("person_id", BIG_ID, nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("entries", sa.JSON(), nullable=False),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_pledge_checkins_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["pledge_id"], ["pledges.id"], name=op.f("fk_pledge_checkins_pledge_id_pledges")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pledge_checkins")),
        sa.UniqueConstraint("pledge_id", "period", name="uq_pledge_checkins_pledge_period"),
    )
    op.create_index(
        op.f("ix_pledge_checkins_person_id"), "pledge_checkins", ["person_id"], unique=False
    )

    op.create_table(
        "checkin_permits",
        sa.Column("id", BIG_ID, autoincrement=True, nullable=False),
        sa.Column("person_id", BIG_ID, nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("period", sa.String(length=16), nullable=False),
        sa.Column("by_id", BIG_ID, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["by_id"], ["people.id"], name=op.f("fk_checkin_permits_by_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_checkin_permits_person_id_people")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checkin_permits")),
        sa.UniqueConstraint(
            "person_id", "year", "period", name="uq_checkin_permits_person_year_period"
        ),
    )

    op.create_table(
        "pledge_appraisals",
        sa.Column("pledge_id", BIG_ID, nullable=False),
        sa.Column("person_id", BIG_ID, nullable=False),
        sa.Column("good", sa.Double(), nullable=True),
        sa.Column("fair", sa.Double(), nullable=True),
        sa.Column("poor", sa.Double(), nullable=True),
        sa.Column("score", sa.Double(), nullable=True),
        sa.Column("grade", sa.String(length=16), nullable=False),
        sa.Column("by_id", BIG_ID, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["by_id"], ["people.id"], name=op.f("fk_pledge_appraisals_by_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=op.f("fk_pledge_appraisals_person_id_people")
        ),
        sa.ForeignKeyConstraint(
            ["pledge_id"], ["pledges.id"], name=op.f("fk_pledge_appraisals_pledge_id_pledges")
        ),
        sa.PrimaryKeyConstraint("pledge_id", name=op.f("pk_pledge_appraisals")),
    )
    op.create_index(
        op.f("ix_pledge_appraisals_person_id"), "pledge_appraisals", ["person_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_pledge_appraisals_person_id"), table_name="pledge_appraisals")
    op.drop_table("pledge_appraisals")
    op.drop_table("checkin_permits")
    op.drop_index(op.f("ix_pledge_checkins_person_id"), table_name="pledge_checkins")
    op.drop_table("pledge_checkins")
    op.drop_index(op.f("ix_pledge_revisions_pledge_id"), table_name="pledge_revisions")
    op.drop_table("pledge_revisions")
    op.drop_index(op.f("ix_pledges_year"), table_name="pledges")
    op.drop_table("pledges")
