"""Tests of `handlers.eligibility`."""
