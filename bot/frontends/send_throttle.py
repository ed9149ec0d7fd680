"""Pacing of chat replies: the bot's overall message allowance and Telegram's group limit.

Both front ends render replies through :class:`bot.frontends.outgoing.ReplySender`, which waits here
before every Bot API call that posts a message, so python-telegram-bot and aiogram pace
replies identically. The reminder dispatcher's sends pass through the same instance, so
replies and reminders share one overall budget per process.

The overall rate is Telegram's allowance for the bot (about 30 messages per second by
default; bots with paid broadcasts are allowed up to 1000) and comes from the
``SEND_RATE_OVERALL`` setting. Group chats additionally get at most 20 messages per minute.
Private chats have no extra limit here: a reply of two or three messages (a text and a
chart, say) is a short burst Telegram allows; the per-chat one-per-second rule for bulk
sending is the reminder dispatcher's (:mod:`bot.frontends.rate_limit`).
"""

from __future__ import annotations

from aiolimiter import AsyncLimiter

GROUP_PER_MINUTE = 20


class SendThrottle:
    """Leaky buckets (aiolimiter): one for all messages, one per group chat."""

    def __init__(self, overall_per_second: int, group_per_minute: int = GROUP_PER_MINUTE) -> None:
        self.overall = AsyncLimiter(overall_per_second, 1.0)
        self.group_per_minute = group_per_minute
        self._groups: dict[int, AsyncLimiter] = {}

    async def wait(self, chat_id: int) -> None:
        """Return when one more message to ``chat_id`` keeps within every limit."""
        if chat_id < 0:  # groups, supergroups and channels have negative ids
            group = self._groups.get(chat_id)
            if group is None:
                if len(self._groups) > 10_000:  # forget groups whose buckets have drained
                    full = self.group_per_minute
                    self._groups = {
                        c: g for c, g in self._groups.items() if not g.has_capacity(full)
                    }
                group = self._groups[chat_id] = AsyncLimiter(self.group_per_minute, 60.0)
            await group.acquire()
        await self.overall.acquire()
