"""Tests of `handlers.summary`."""
