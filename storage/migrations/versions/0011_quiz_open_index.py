"""partial index for open timed quiz attempts

Revision ID: 0011
Revises: 0010

The reminder dispatcher looks for abandoned timed tests on every pass; without an index that
read every attempt ever made. The index holds only open attempts with a deadline, so it
stays as small as the number of tests in progress.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = "finished_at IS NULL AND deadline_at IS NOT NULL"


def upgrade() -> None:
    op.create_index(
        "ix_quiz_attempts_open_deadline",
        "quiz_attempts",
        ["deadline_at"],
        postgresql_where=sa.text(OPEN),
        sqlite_where=sa.text(OPEN),
    )


def downgrade() -> None:
    op.drop_index("ix_quiz_attempts_open_deadline", table_name="quiz_attempts")
