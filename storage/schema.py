"""Every model module, imported so ``Base.metadata`` knows all tables (Alembic uses this)."""

from __future__ import annotations

from handlers.records import commands as record_kinds  # noqa: F401  (every record kind module)
from storage.core.models import Base
from storage.digest import models as digest_models  # noqa: F401  (registers tables)
from storage.pledges import models as pledges_models  # noqa: F401
from storage.records import models as records_models  # noqa: F401
from storage.records.declared import declare_all
from storage.reminders import models as reminders_models  # noqa: F401
from storage.summary import models as summary_models  # noqa: F401

# A record kind declared with ``Stored`` in its own module has no model module here: its
# table is derived from the declaration, once the kind modules above are imported.
declare_all()

metadata = Base.metadata

__all__ = ["Base", "metadata"]
