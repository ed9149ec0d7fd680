"""SQLAlchemy models for records (see handlers/records*)."""

from __future__ import annotations

from storage.models import Base

__all__ = ["Base"]
