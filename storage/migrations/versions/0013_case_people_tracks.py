"""one party and one government sanction per person and case

Revision ID: 0013
Revises: 0012

A case may give one person a party sanction *and* a government (or public-institution)
sanction *and* organisational handling. Rows get a ``track`` (party, public, or org:KIND;
see handlers.records.domain.handling_track) and the uniqueness moves from (case, person)
to (case, person, track).
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LIVE = sa.text("deleted_at IS NULL")


def upgrade() -> None:
    with op.batch_alter_table("accountability_people") as batch:
        batch.add_column(sa.Column("track", sa.String(length=40), nullable=True))
    # The same rule as handling_track, frozen here: discipline kinds are named party_* or
    # govt_*/inst_*; organisational handling is tracked per kind.
    op.execute(
        "UPDATE accountability_people SET track = CASE "
        "WHEN category = 'organisational' THEN 'org:' || kind "
        "WHEN kind LIKE 'party%' THEN 'party' ELSE 'public' END"
    )
    op.drop_index("uq_accountability_people_case_person_live", table_name="accountability_people")
    with op.batch_alter_table("accountability_people") as batch:
        batch.alter_column("track", existing_type=sa.String(length=40), nullable=False)
    op.create_index(
        "uq_accountability_people_case_person_track_live",
        "accountability_people",
        ["case_id", "person_id", "track"],
        unique=True,
        sqlite_where=LIVE,
        postgresql_where=LIVE,
    )


def downgrade() -> None:
    op.drop_index(
        "uq_accountability_people_case_person_track_live", table_name="accountability_people"
    )
    with op.batch_alter_table("accountability_people") as batch:
        batch.drop_column("track")
    op.create_index(
        "uq_accountability_people_case_person_live",
        "accountability_people",
        ["case_id", "person_id"],
        unique=True,
        sqlite_where=LIVE,
        postgresql_where=LIVE,
    )
