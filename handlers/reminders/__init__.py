"""Reminders of the year's events and personal deadlines: planning, sending with
repeats and escalation, acknowledgements (/reminders), and their texts and times.

Other capabilities see its public surface: :mod:`handlers.reminders.domain`,
:mod:`handlers.reminders.ports`, and the timing rules offered here, so that what they plan
(the digests) falls due at the same working hours as a reminder, and ``ack_button``,
which a typed 收到 answers exactly as the button would.
"""

from handlers.reminders.commands import ack_button
from handlers.reminders.timing import local_at, schedule

__all__ = ["ack_button", "local_at", "schedule"]
