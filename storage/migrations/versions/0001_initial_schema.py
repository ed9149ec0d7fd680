"""initial schema: audit log, conversations, processed updates, questions, units, people,
invitations and role grants."""

import sqlalchemy as sa
from alembic import op

from storage.migrations import columns as c

revision: str = "0001"
down_revision: str | None = None


def upgrade() -> None:
    op.create_table(
        "audit_log", c.serial_id(), *c.stamps("at"),
        *c.cols(sa.BigInteger, "actor_id", "chat_id", nullable=True),
        *c.strings(64, "action"), *c.strings(32, "object_type"), *c.strings(64, "object_id"),
        *c.cols(sa.BigInteger, "unit_id", nullable=True), *c.cols(sa.JSON, "details"),
        c.primary("audit_log"),
    )
    c.index("audit_log", "at")
    c.index("audit_log", "unit_id")

    op.create_table(
        "conversations", *c.cols(sa.BigInteger, "chat_id", "user_id"),
        *c.strings(32, "form", "step"),
        *c.cols(sa.Text, "data"), *c.stamps("updated_at"),
        c.primary("conversations", "chat_id", "user_id"),
    )
    op.create_table(
        "processed_updates", *c.cols(sa.BigInteger, "update_id"), *c.strings(32, "bot_key"),
        *c.stamps("at"),
        c.primary("processed_updates", "update_id", "bot_key"),
    )
    c.index("processed_updates", "at")

    op.create_table(
        "questions", c.serial_id(), *c.stamps("at"),
        *c.cols(sa.BigInteger, "person_id", nullable=True),
        *c.cols(sa.Text, "query"), *c.strings(16, "status"),
        *c.strings(100, "entry_id", nullable=True), *c.cols(sa.Double, "score"),
        *c.cols(sa.Boolean, "helpful", nullable=True), *c.cols(sa.Boolean, "escalated"),
        c.primary("questions"),
    )
    c.index("questions", "at")

    op.create_table(
        "units", c.serial_id(), *c.strings(64, "code"), *c.strings(200, "name"),
        *c.strings(16, "level"),
        *c.ids("parent_id", nullable=True), *c.strings(512, "path"),
        *c.refs("units", ("parent_id", "units")), c.primary("units"),
        sa.UniqueConstraint("code", name=op.f("uq_units_code")),
    )
    c.index("units", "parent_id")
    op.create_index("ix_units_path", "units", ["path"], unique=False)

    op.create_table(
        "people", c.serial_id(), *c.strings(100, "name"), *c.ids("unit_id"),
        *c.strings(200, "post"),
        *c.cols(sa.Boolean, "section_level"),
        *c.cols(sa.BigInteger, "telegram_user_id", nullable=True),
        *c.strings(8, "language"), *c.cols(sa.Boolean, "active", "chat_blocked"),
        *c.refs("people", ("unit_id", "units")), c.primary("people"),
        sa.UniqueConstraint("telegram_user_id", name=op.f("uq_people_telegram_user_id")),
    )
    c.index("people", "unit_id")

    op.create_table(
        "invitations", *c.strings(32, "code"), *c.ids("unit_id"), *c.strings(16, "role"),
        *c.strings(100, "name"), *c.ids("person_id", nullable=True), *c.stamps("expires_at"),
        *c.stamps("used_at", nullable=True), *c.ids("used_by", nullable=True),
        *c.refs("invitations",
                ("person_id", "people"), ("unit_id", "units"), ("used_by", "people")),
        c.primary("invitations", "code"),
    )
    op.create_table(
        "role_grants", c.serial_id(), *c.ids("person_id"), *c.strings(16, "role"),
        *c.ids("unit_id"),
        *c.refs("role_grants", ("person_id", "people"), ("unit_id", "units")),
        c.primary("role_grants"),
        sa.UniqueConstraint("person_id", "role", "unit_id", name="uq_role_grants_pru"),
    )
    c.index("role_grants", "person_id")


def downgrade() -> None:
    # Each table with the columns c.index gave it, in the order they are dropped.
    for table, columns in (
        ("role_grants", ("person_id",)), ("invitations", ()), ("people", ("unit_id",)),
        ("units", ("parent_id",)), ("questions", ("at",)), ("processed_updates", ("at",)),
        ("conversations", ()), ("audit_log", ("unit_id", "at")),
    ):
        if table == "units":
            op.drop_index("ix_units_path", table_name="units")
        for column in columns:
            c.drop_index(table, column)
        op.drop_table(table)
