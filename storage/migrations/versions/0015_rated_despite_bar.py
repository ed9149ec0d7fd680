"""ratings recorded although an effect period barred them

A person rated 优秀/先进 for a year an effect period bars is recorded only on a knowing
confirmation; the result carries that fact so the summaries can count such ratings.
"""

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"


def upgrade() -> None:
    with op.batch_alter_table("assessments") as batch:
        batch.add_column(
            sa.Column(
                "rated_despite_bar", sa.Boolean(), nullable=False, server_default=sa.false()
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("assessments") as batch:
        batch.drop_column("rated_despite_bar")
