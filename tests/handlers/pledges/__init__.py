"""Tests of `handlers.pledges`."""
