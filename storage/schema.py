"""Every model module, imported so ``Base.metadata`` knows all tables (Alembic uses this)."""

from __future__ import annotations

from storage import (  # noqa: F401  (registers tables)
    models_digest,
    models_pledges,
    models_records,
    models_reminders,
    models_summary,
)
from storage.models import Base

metadata = Base.metadata

__all__ = ["Base", "metadata"]
