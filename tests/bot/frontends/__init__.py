"""Tests of `bot.frontends`."""
