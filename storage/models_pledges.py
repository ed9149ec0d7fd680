"""SQLAlchemy models for pledges (see handlers/pledges*)."""

from __future__ import annotations

from storage.models import Base

__all__ = ["Base"]
