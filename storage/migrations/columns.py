"""Column and constraint builders shared by the revisions in ``versions/``.

A released revision must emit the same DDL for ever, so what each builder here returns is
frozen: never change one; a new shape gets a new builder. The names follow the naming
convention of ``storage.core.models`` (``pk_<table>``, ``fk_<table>_<column>_<target>``,
``ix_<table>_<column>``), marked final with ``op.f`` as autogenerate writes them.

The revisions (outside ruff) are formatted by hand: related columns share a line, so that a
table reads as its list of columns rather than one constructor call per line.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa
from alembic import op


def big_id() -> sa.types.TypeEngine:
    """BIGINT, but INTEGER on SQLite (only INTEGER keys autoincrement there); the same as
    ``storage.core.models.BigId``."""
    return sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def stamp() -> sa.types.TypeEngine:
    """A timezone-aware timestamp."""
    return sa.DateTime(timezone=True)


def serial_id() -> sa.Column:
    """The autoincrement ``id`` column of most tables."""
    return sa.Column("id", big_id(), autoincrement=True, nullable=False)


def cols(
    kind: Callable[[], sa.types.TypeEngine], *names: str, nullable: bool = False
) -> list[sa.Column]:
    """Columns of one type (``kind`` makes a fresh instance for each), in order."""
    return [sa.Column(name, kind(), nullable=nullable) for name in names]


def ids(*names: str, nullable: bool = False) -> list[sa.Column]:
    """Columns holding the id of another table's row (:func:`big_id`)."""
    return cols(big_id, *names, nullable=nullable)


def stamps(*names: str, nullable: bool = False) -> list[sa.Column]:
    """Timezone-aware timestamp columns."""
    return cols(stamp, *names, nullable=nullable)


def strings(length: int, *names: str, nullable: bool = False) -> list[sa.Column]:
    """VARCHAR(``length``) columns."""
    return [sa.Column(name, sa.String(length=length), nullable=nullable) for name in names]


def refs(table: str, *pairs: tuple[str, str]) -> list[sa.ForeignKeyConstraint]:
    """Foreign keys of ``table``: each (column, target table) points at the target's ``id``."""
    return [
        sa.ForeignKeyConstraint(
            [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
        )
        for column, target in pairs
    ]


def primary(table: str, *columns: str) -> sa.PrimaryKeyConstraint:
    """The primary key of ``table`` (``id`` unless columns are given)."""
    return sa.PrimaryKeyConstraint(*(columns or ("id",)), name=op.f(f"pk_{table}"))


def index(table: str, *columns: str, name: str = "") -> None:
    """A plain index, named after the table and its first column unless ``name`` is given."""
    op.create_index(op.f(name or f"ix_{table}_{columns[0]}"), table, list(columns), unique=False)


def drop_index(table: str, column: str) -> None:
    """Drop the index :func:`index` made on ``column``."""
    op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)


def partial_index(name: str, table: str, columns: list[str], where: str, unique: bool) -> None:
    """An index over the rows ``where`` holds for (a partial index on both databases)."""
    clause = sa.text(where)
    op.create_index(
        name, table, columns, unique=unique, sqlite_where=clause, postgresql_where=clause
    )


def tracked(table: str) -> list[sa.schema.SchemaItem]:
    """The columns every record table shares (``storage.records.declared.Tracked``): author,
    timestamps, version and tombstone, with their foreign keys and the primary key — what
    revision 0003 wrote for each of its record tables, for a record kind added later."""
    return [
        *ids("created_by"),
        *stamps("created_at", "updated_at"),
        *cols(sa.Integer, "version"),
        *stamps("deleted_at", nullable=True),
        *ids("deleted_by", nullable=True),
        *cols(sa.Text, "delete_reason", nullable=True),
        *refs(table, ("created_by", "people"), ("deleted_by", "people")),
        primary(table),
    ]
