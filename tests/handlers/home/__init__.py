"""Tests of `handlers.home`."""
