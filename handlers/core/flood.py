"""Per-person flood control: a token bucket per Telegram user, on the injected clock.

Kept in process memory on purpose: it protects each instance from one person's burst and
holds nothing that matters for correctness, so several instances need not share it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass
class _Bucket:
    tokens: float
    updated: datetime
    warned: bool = False


@dataclass
class FloodGuard:
    """Allows ``burst`` requests at once and ``per_minute`` sustained, per user."""

    per_minute: float = 30.0
    burst: float = 10.0
    max_users: int = 100_000
    _buckets: dict[int, _Bucket] = field(default_factory=dict)

    def check(self, user_id: int, now: datetime) -> str:
        """``ok``, ``warn`` (first refusal: tell the person) or ``drop`` (stay silent)."""
        bucket = self._buckets.get(user_id)
        if bucket is None:
            if len(self._buckets) >= self.max_users:
                self._buckets.clear()  # bounded memory; forgetting buckets only forgives
            bucket = self._buckets[user_id] = _Bucket(self.burst, now)
        elapsed = max(0.0, (now - bucket.updated).total_seconds())
        bucket.tokens = min(self.burst, bucket.tokens + elapsed * self.per_minute / 60.0)
        bucket.updated = now
        if bucket.tokens >= 1.0:
            bucket.tokens -= 1.0
            bucket.warned = False
            return "ok"
        if bucket.warned:
            return "drop"
        bucket.warned = True
        return "warn"
