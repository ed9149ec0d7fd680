"""Every model module, imported so ``Base.metadata`` knows all tables (Alembic uses this)."""

from __future__ import annotations

from storage.core.models import Base
from storage.digest import models as digest_models  # noqa: F401  (registers tables)
from storage.pledges import models as pledges_models  # noqa: F401
from storage.records import models as records_models  # noqa: F401
from storage.reminders import models as reminders_models  # noqa: F401
from storage.summary import models as summary_models  # noqa: F401

metadata = Base.metadata

__all__ = ["Base", "metadata"]
