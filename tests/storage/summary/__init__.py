"""Tests of `storage.summary`."""
