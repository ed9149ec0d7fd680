"""``uow.reminders``: the SQL repository of the calendar and reminders, one class made of
its parts — calendar dates (``calendar``), planning (``planning``), dispatching
(``dispatching``) and acknowledgements (``acknowledgements``), which share the tables and
helpers of ``deliveries``. It never commits."""

from __future__ import annotations

from storage.reminders.acknowledgements import Acknowledgements
from storage.reminders.calendar import CalendarDates
from storage.reminders.dispatching import Dispatching
from storage.reminders.planning import Planning


class SqlReminderRepository(CalendarDates, Planning, Dispatching, Acknowledgements):
    """Calendar dates, occurrences and deliveries."""
