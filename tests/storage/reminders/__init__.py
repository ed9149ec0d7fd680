"""Tests of `storage.reminders`."""
