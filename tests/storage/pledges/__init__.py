"""Tests of `storage.pledges`."""
