"""Tests of `storage.digest`."""
