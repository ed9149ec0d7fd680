"""Tests of `handlers.digest`."""
