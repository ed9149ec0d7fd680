"""The pledge year through the console front end, in subprocesses, as a newcomer would try it.

The console uses the real clock, so the test pledges for *next* year: its windows are always in
the future, which makes the early check-in permit (granted by the unit principal) the
deterministic way to reach the check-in form on any day the test runs.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from tests.e2e.test_console import lianzheng

pytestmark = pytest.mark.e2e


def test_pledge_permit_checkin_and_appraisal_in_the_console(tmp_path: Path) -> None:
    assert lianzheng(["demo", "--quiet"], tmp_path).returncode == 0
    # 何静 (1109) pledges for next year: suggestion, own item, suggestion; then edits the date.
    script = "\n".join(
        [
            "/pledge",
            "明年",  # next year, typed (its button comes first from November)
            "1",  # post type offered first (班子成员)
            "1",  # suggestion 1
            "本人自拟：工作日不饮酒",
            "1",  # the first remaining suggestion (2)
            "5",  # Done
            "2",  # at a meeting
            "1-15",
            "7",  # Edit: date
            "1月20日",
            "1",  # Confirm
            "/mypledge",
            "/checkin",
        ]
    )
    cadre = lianzheng(["console", "--as", "1109"], tmp_path, script + "\n")
    assert cadre.returncode == 0, cadre.stderr
    out = cadre.stdout
    year = int(re.search(r"您的(\d{4})年廉洁承诺", out).group(1))  # type: ignore[union-attr]
    assert f"✅ 您的{year}年承诺已记录（共3条）" in out
    assert "本人自拟：工作日不饮酒" in out and f"{year}-01-20" in out
    assert "✏️ 修改承诺" in out  # still editable
    assert f"{year}年年中践诺报告于{year}-06-01开始" in out  # refused before the window
    # The unit principal opens the unit list, then 何静's record, and allows an early check-in.
    head = lianzheng(["console", "--as", "1108"], tmp_path, f"/unitpledges 岳村镇 {year}\n2\n2\n")
    assert head.returncode == 0, head.stderr
    assert f"{year}年廉洁承诺 — 岳村镇" in head.stdout
    assert "本人自拟：工作日不饮酒" in head.stdout
    assert f"已允许何静提前报告{year}年年中践诺情况" in head.stdout
    # 何静 reports item by item, with a note as evidence for item 1.
    checkin = "\n".join(
        [
            "/checkin",
            "1",  # kept
            "全年坚持，无一例外",
            "详见支部会议记录",  # a typed note: the console's evidence
            "2",  # partly kept
            "大部分做到",
            "2",  # Skip evidence
            "3",  # not kept
            "尚未开始",
            "2",  # Skip
            "1",  # Confirm
            "/mypledge",
        ]
    )
    report = lianzheng(["console", "--as", "1109"], tmp_path, checkin + "\n")
    assert report.returncode == 0, report.stderr
    assert f"✅ 您的{year}年年中践诺报告已记录" in report.stdout
    assert "📝 说明：详见支部会议记录" in report.stdout
    assert "部分践诺 — 大部分做到" in report.stdout
    # The unit principal enters the appraisal; 何静 sees it.
    appraise = lianzheng(["console", "--as", "1108"], tmp_path, "/appraise 何静\n85/10/5\n2\n1\n")
    assert appraise.returncode == 0, appraise.stderr
    if date(year, 1, 20) > date.today():
        # Pledged in December for next year: not public yet, so not appraised yet.
        assert "何静目前没有可以评议的承诺" in appraise.stdout
        return
    assert f"✅ 何静{year}年承诺的评议考核结果已录入" in appraise.stdout
    final = lianzheng(["console", "--as", "1109"], tmp_path, f"/mypledge {year}\n")
    assert "群众评议：好 85% · 一般 10% · 差 5%" in final.stdout
    assert "组织考核：达标" in final.stdout and "由林涛于" in final.stdout
