"""Tests of `handlers.calendar`."""
