"""Tests of `handlers.reminders`."""
