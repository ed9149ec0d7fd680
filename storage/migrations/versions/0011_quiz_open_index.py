"""partial index for open timed quiz attempts

The reminder dispatcher looks for abandoned timed tests on every pass; without an index that
read every attempt ever made. The index holds only open attempts with a deadline, so it
stays as small as the number of tests in progress.
"""

from alembic import op

from storage.migrations import columns as c

revision: str = "0011"
down_revision: str | None = "0010"

OPEN = "finished_at IS NULL AND deadline_at IS NOT NULL"


def upgrade() -> None:
    c.partial_index(
        "ix_quiz_attempts_open_deadline", "quiz_attempts", ["deadline_at"], OPEN, unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_quiz_attempts_open_deadline", table_name="quiz_attempts")
