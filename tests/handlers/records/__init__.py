"""Tests of `handlers.records`."""
