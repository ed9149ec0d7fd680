"""Tests of `handlers.core`."""
