"""Every model module, imported so ``Base.metadata`` knows all tables (Alembic uses this)."""

from __future__ import annotations

from storage import models_pledges, models_records  # noqa: F401  (registers tables)
from storage.models import Base

metadata = Base.metadata

__all__ = ["Base", "metadata"]
