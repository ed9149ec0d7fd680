"""button payloads behind short tokens."""

import sqlalchemy as sa
from alembic import op

from storage.migrations import columns as c

revision: str = "0008"
down_revision: str | None = "0007"


def upgrade() -> None:
    op.create_table(
        "button_tokens",
        *c.strings(32, "token"), *c.cols(sa.Text, "payload"),
        *c.cols(sa.BigInteger, "user_id", "chat_id"), *c.stamps("created_at", "expires_at"),
        c.primary("button_tokens", "token"),
    )
    c.index("button_tokens", "expires_at")
    c.index("button_tokens", "user_id", "expires_at", name="ix_button_tokens_user_expires")


def downgrade() -> None:
    op.drop_index(op.f("ix_button_tokens_user_expires"), table_name="button_tokens")
    op.drop_index(op.f("ix_button_tokens_expires_at"), table_name="button_tokens")
    op.drop_table("button_tokens")
