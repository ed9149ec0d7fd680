"""Tests of `storage.records`."""
