"""question counts kept after the retention period

Revision ID: 0012
Revises: 0011

Chat questions are now written encrypted (the column type stays TEXT; existing plain rows
keep reading as they are and are encrypted by ``lianzheng keys rotate``) and are deleted
after QUESTION_RETENTION_DAYS. What the curators' gap list keeps of them is a count per
month, decision and entry, without the text.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "question_counts",
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("entry_id", sa.String(length=100), nullable=False),
        sa.Column("asked", sa.Integer(), nullable=False),
        sa.Column("unhelpful", sa.Integer(), nullable=False),
        sa.Column("escalated", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint(
            "month", "status", "entry_id", name=op.f("pk_question_counts")
        ),
    )


def downgrade() -> None:
    op.drop_table("question_counts")
