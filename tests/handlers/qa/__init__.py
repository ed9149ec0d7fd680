"""Tests of `handlers.qa`."""
