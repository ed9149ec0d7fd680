"""one party and one government sanction per person and case

A case may give one person a party sanction *and* a government (or public-institution)
sanction *and* organisational handling. Rows get a ``track`` (party, public, or org:KIND;
see handlers.records.domain.handling_track) and the uniqueness moves from (case, person)
to (case, person, track).
"""

import sqlalchemy as sa
from alembic import op

from storage.migrations import columns as c

revision: str = "0013"
down_revision: str | None = "0012"

LIVE = "deleted_at IS NULL"


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
    c.partial_index(
        "uq_accountability_people_case_person_track_live",
        "accountability_people",
        ["case_id", "person_id", "track"],
        LIVE,
        unique=True,
    )


def downgrade() -> None:
    op.drop_index(
        "uq_accountability_people_case_person_track_live", table_name="accountability_people"
    )
    with op.batch_alter_table("accountability_people") as batch:
        batch.drop_column("track")
    c.partial_index(
        "uq_accountability_people_case_person_live",
        "accountability_people",
        ["case_id", "person_id"],
        LIVE,
        unique=True,
    )
