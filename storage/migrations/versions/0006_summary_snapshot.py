"""pre-aggregated summary figures (snapshot) for wide scopes; units path prefix index."""

import sqlalchemy as sa
from alembic import op

from storage.migrations import columns as c

revision: str = "0006"
down_revision: str | None = "0005"


#: The figures' key: generation, scope, period, bucket, section, year and period key.
KEY = ("generation", "scope_id", "period", "bucket", "sec", "k_year", "k_period")


def upgrade() -> None:
    op.create_table(
        "summary_snapshot",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        *c.cols(sa.Integer, "generation"), *c.stamps("taken_at", nullable=True),
        *c.cols(sa.Date, "day", nullable=True), *c.strings(64, "timezone"),
        *c.cols(sa.Integer, "first_year", "last_year"), *c.stamps("lease_until", nullable=True),
        c.primary("summary_snapshot"),
    )
    op.create_table(
        "summary_snapshot_rows",
        *c.cols(sa.Integer, "generation"), *c.cols(sa.BigInteger, "scope_id"),
        *c.strings(8, "period"), *c.strings(512, "bucket"), *c.cols(sa.Integer, "sec", "k_year"),
        *c.strings(32, "k_period"), *c.cols(sa.BigInteger, *(f"v{i}" for i in range(6))),
        c.primary("summary_snapshot_rows", *KEY),
    )
    # Subtree filters by path prefix as index ranges on PostgreSQL (see models_summary).
    op.create_index(
        op.f("ix_summary_units_path"),
        "units",
        ["path"],
        unique=False,
        postgresql_ops={"path": "varchar_pattern_ops"},
    )
    # The single state row: no figures yet (summaries are computed live until a refresh).
    op.bulk_insert(
        sa.table(
            "summary_snapshot",
            sa.column("id", sa.Integer()),
            sa.column("generation", sa.Integer()),
            sa.column("timezone", sa.String()),
            sa.column("first_year", sa.Integer()),
            sa.column("last_year", sa.Integer()),
        ),
        [{"id": 1, "generation": 0, "timezone": "", "first_year": 0, "last_year": -1}],
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_summary_units_path"), table_name="units")
    op.drop_table("summary_snapshot_rows")
    op.drop_table("summary_snapshot")
