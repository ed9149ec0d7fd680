"""Tests of `handlers.org`."""
