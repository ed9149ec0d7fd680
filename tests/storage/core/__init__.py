"""Tests of `storage.core`."""
