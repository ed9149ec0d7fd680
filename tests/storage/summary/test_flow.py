"""/summary, drill-down, scope, chart and spreadsheet through the core on both databases."""

from __future__ import annotations

import csv
import io
import zipfile
from typing import Any

import pytest
from openpyxl import load_workbook

from handlers.core.app import Assistant
from handlers.core.clock import ManualClock
from handlers.core.types import DocumentReply, PhotoReply
from handlers.registry import all_routers
from tests.conftest import make_services
from tests.handlers.core.helpers import button_data, buttons, say, texts
from tests.storage.summary.fixture import NOW, forged_summaries_reveal_nothing, stored_org

pytestmark = pytest.mark.storage


@pytest.fixture
async def org_core(sql_uow: Any) -> tuple[Assistant, Any]:
    org = await stored_org(sql_uow)
    return Assistant(sql_uow, make_services(ManualClock(NOW), None), all_routers()), org


async def test_summary_text_and_drill_down(org_core: tuple[Assistant, Any]) -> None:
    core, org = org_core
    replies = await say(core, 500, "/summary 2025-01-01..2026-12-31")
    text = texts(replies)
    assert "城市" in text
    assert "172" in text and "239" in text and "125" in text and "177" in text
    assert "47" in text and "62" in text
    data = button_data(replies, "甲县")
    assert data == f"sum:{org.a.id}:20250101-20261231"
    drilled = await say(core, 500, data=data)
    assert "甲县" in texts(drilled) and "86" in texts(drilled)
    # The county's summary offers its sub-units and the way back up.
    labels = [label for label, _ in buttons(drilled)]
    assert "甲县教育局" in labels and any("城市" in label for label in labels)


async def test_default_unit_is_the_supervisors_scope_and_year(
    org_core: tuple[Assistant, Any],
) -> None:
    core, org = org_core
    async with core.uow_factory() as uow:
        await uow.people.set_language(org.people["sup_a"].id, "en")
        await uow.commit()
    replies = await say(core, 501, "/summary")
    text = texts(replies)
    assert "甲县" in text and "2026" in text
    assert "Warning talks (talk records): 2" in text
    assert "Reminders acknowledged: 66.7% (2 of 3)" in text
    assert "check-ins 1/3 on time (33.3%), 1 late, 1 missing" in text


async def test_forged_payload_reveals_nothing(org_core: tuple[Assistant, Any]) -> None:
    core, org = org_core
    await forged_summaries_reveal_nothing(core, org)
    # The city's parent button is not offered to a county supervisor.
    own = await say(core, 501, "/summary A 2026")
    assert not any(d.startswith(f"sum:{org.c.id}:") for _, d in buttons(own))


async def test_chart_is_a_png_picture(org_core: tuple[Assistant, Any]) -> None:
    core, org = org_core
    replies = await say(core, 500, data=f"sumc:{org.c.id}:2026")
    # The city's chart has a bar per sub-unit in every panel: too tall for a photo.
    assert len(replies) == 1 and isinstance(replies[0], DocumentReply)
    assert replies[0].content.startswith(b"\x89PNG")
    assert replies[0].filename == "summary_C_2026.png"
    # A unit without sub-units has one bar per panel: short enough to stay a photo.
    leaf = await say(core, 500, data=f"sumc:{org.a1.id}:2026")
    assert len(leaf) == 1 and isinstance(leaf[0], PhotoReply)


async def test_export_xlsx_and_csv(org_core: tuple[Assistant, Any]) -> None:
    core, org = org_core
    replies = await say(core, 500, "/export C 2025-01-01..2026-12-31")
    docs = [r for r in replies if isinstance(r, DocumentReply)]
    assert [d.filename for d in docs] == [
        "summary_C_20250101-20261231.xlsx",
        "summary_C_20250101-20261231_csv.zip",
    ]
    wb = load_workbook(io.BytesIO(docs[0].content))
    assert wb.sheetnames[:2] == ["考核", "责任追究"]
    acc = wb["责任追究"]
    header = [c.value for c in acc[1]]
    assert header[:4] == ["单位", "单位代码", "案件数", "人次"]
    rows = {r[1]: r for r in acc.iter_rows(min_row=2, values_only=True)}
    assert rows["A"][2] == 86
    assert rows["C"][2:8] == (172, 239, 125, 177, 47, 62)  # the total row
    assess = wb["考核"]
    arows = {r[1]: r for r in assess.iter_rows(min_row=2, values_only=True)}
    assert arows["C"][2:7] == (2, 1, 2, 1, 3)  # 2026 and 2025 (A1 failed in 2025)
    # Formula-looking text is neutralised.
    names = [r[0] for r in wb["考核结果"].iter_rows(min_row=2, values_only=True)]
    assert "'=甲镇" in [r[1] for r in wb["考核结果"].iter_rows(min_row=2, values_only=True)]
    assert not any(str(n).startswith("=") for n in names)
    people = wb["被追责人员"]
    person_names = {r[2] for r in people.iter_rows(min_row=2, values_only=True)}
    assert "'@乙二" in person_names and "甲一" in person_names
    assert people.max_row - 1 == 239
    # The zip holds the same sheets as CSV (UTF-8 with BOM).
    with zipfile.ZipFile(io.BytesIO(docs[1].content)) as zf:
        names_in_zip = zf.namelist()
        assert len(names_in_zip) == len(wb.sheetnames)
        acc_csv = next(n for n in names_in_zip if "责任追究" in n)
        rows_csv = list(csv.reader(io.StringIO(zf.read(acc_csv).decode("utf-8-sig"))))
    assert rows_csv[0][:4] == ["单位", "单位代码", "案件数", "人次"]
    assert rows_csv[-1][2:8] == ["172", "239", "125", "177", "47", "62"]


async def test_export_headers_follow_the_language(org_core: tuple[Assistant, Any]) -> None:
    core, org = org_core
    async with core.uow_factory() as uow:
        await uow.people.set_language(org.people["sup_a"].id, "en")
        await uow.commit()
    replies = await say(core, 501, "/export")
    doc = next(r for r in replies if isinstance(r, DocumentReply))
    wb = load_workbook(io.BytesIO(doc.content))
    assert wb.sheetnames[0] == "Assessment"
    assert [c.value for c in wb["Accountability"][1]][:4] == [
        "Unit",
        "Unit code",
        "Cases",
        "Person-times",
    ]
