"""Tests of `bot.scheduler`."""
