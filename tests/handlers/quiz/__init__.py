"""Tests of `handlers.quiz`."""
