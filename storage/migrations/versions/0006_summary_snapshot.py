"""pre-aggregated summary figures (snapshot) for wide scopes; units path prefix index

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "summary_snapshot",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("taken_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("day", sa.Date(), nullable=True),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("first_year", sa.Integer(), nullable=False),
        sa.Column("last_year", sa.Integer(), nullable=False),
        sa.Column("lease_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_summary_snapshot")),
    )
    op.create_table(
        "summary_snapshot_rows",
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("scope_id", sa.BigInteger(), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("bucket", sa.String(length=512), nullable=False),
        sa.Column("sec", sa.Integer(), nullable=False),
        sa.Column("k_year", sa.Integer(), nullable=False),
        sa.Column("k_period", sa.String(length=32), nullable=False),
        *[sa.Column(f"v{i}", sa.BigInteger(), nullable=False) for i in range(6)],
        sa.PrimaryKeyConstraint(
            "generation",
            "scope_id",
            "period",
            "bucket",
            "sec",
            "k_year",
            "k_period",
            name=op.f("pk_summary_snapshot_rows"),
        ),
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
