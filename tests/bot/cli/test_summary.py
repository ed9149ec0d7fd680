"""``lianzheng summary`` on the command line: no chat wording (there are no buttons)."""

from __future__ import annotations

import argparse

import pytest

from bot.cli.summary import run_summary
from bot.settings import Settings
from handlers.core.i18n import translator
from tests.handlers.core.fakes import FakeUnitOfWorkFactory

ZH = translator("zh_CN")


async def test_the_command_line_lists_sub_units_by_code_instead_of_buttons(
    fake_uow: FakeUnitOfWorkFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    args = argparse.Namespace(
        unit="HL", period="2026", lang="zh_CN", live=True, xlsx=None, csv=None, png=None
    )
    async with fake_uow() as uow:
        assert await run_summary(uow, Settings(_env_file=None), args) == 0  # type: ignore[call-arg]
    out = capsys.readouterr().out
    assert ZH._("Sub-units: press a button below to see one of them.") not in out
    assert "按钮" not in out and "点击" not in out
    assert "--unit" in out and "HL-ZF" in out  # a sub-unit, by the code to type
