"""handlings revoked on review

Revision ID: 0014
Revises: 0013

A sanction or handling revoked on review (复核/申诉) stays as history with the day and the
reason; it bars nothing and counts in no figure, and its track is free for a new decision,
so the unique index now covers live, unrevoked rows only.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "uq_accountability_people_case_person_track_live"
COLUMNS = ["case_id", "person_id", "track"]


def upgrade() -> None:
    with op.batch_alter_table("accountability_people") as batch:
        batch.add_column(sa.Column("revoked_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("revoke_reason", sa.Text(), nullable=True))
    op.drop_index(INDEX, table_name="accountability_people")
    where = sa.text("deleted_at IS NULL AND revoked_on IS NULL")
    op.create_index(
        INDEX, "accountability_people", COLUMNS, unique=True,
        sqlite_where=where, postgresql_where=where,
    )  # fmt: skip


def downgrade() -> None:
    op.drop_index(INDEX, table_name="accountability_people")
    where = sa.text("deleted_at IS NULL")
    op.create_index(
        INDEX, "accountability_people", COLUMNS, unique=True,
        sqlite_where=where, postgresql_where=where,
    )  # fmt: skip
    with op.batch_alter_table("accountability_people") as batch:
        batch.drop_column("revoke_reason")
        batch.drop_column("revoked_on")
