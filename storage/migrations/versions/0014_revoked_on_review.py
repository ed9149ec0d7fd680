"""handlings revoked on review

A sanction or handling revoked on review (复核/申诉) stays as history with the day and the
reason; it bars nothing and counts in no figure, and its track is free for a new decision,
so the unique index now covers live, unrevoked rows only.
"""

import sqlalchemy as sa
from alembic import op

from storage.migrations import columns as c

revision: str = "0014"
down_revision: str | None = "0013"

INDEX = "uq_accountability_people_case_person_track_live"
COLUMNS = ["case_id", "person_id", "track"]


def _replace_index(where: str) -> None:
    """The unique index again, over the rows ``where`` holds for."""
    op.drop_index(INDEX, table_name="accountability_people")
    c.partial_index(INDEX, "accountability_people", COLUMNS, where, unique=True)


def upgrade() -> None:
    with op.batch_alter_table("accountability_people") as batch:
        batch.add_column(sa.Column("revoked_on", sa.Date(), nullable=True))
        batch.add_column(sa.Column("revoke_reason", sa.Text(), nullable=True))
    _replace_index("deleted_at IS NULL AND revoked_on IS NULL")


def downgrade() -> None:
    _replace_index("deleted_at IS NULL")
    with op.batch_alter_table("accountability_people") as batch:
        batch.drop_column("revoke_reason")
        batch.drop_column("revoked_on")
