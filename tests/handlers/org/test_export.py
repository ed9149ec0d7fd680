"""/orgexport: the administrator's units and people as the import reads them."""

from __future__ import annotations

import io

from openpyxl import load_workbook

from handlers.core.app import Assistant
from handlers.core.types import DocumentReply
from tests.handlers.core.helpers import say, texts

ADMIN, INSPECTOR = 1001, 1102


async def test_the_organisation_is_sent_in_the_imports_columns(core: Assistant) -> None:
    [reply] = await say(core, ADMIN, "/orgexport")
    assert isinstance(reply, DocumentReply) and reply.filename == "organisation.xlsx"
    book = load_workbook(io.BytesIO(reply.content))
    units, people = (list(ws.iter_rows(values_only=True)) for ws in book)
    assert units[0] == ("单位编码", "单位名称", "上级单位编码", "层级")
    assert ("HL-YC", "岳村镇", "HL", "township") in units
    by_name = {row[0]: row for row in people[1:]}
    assert by_name["林涛"][1:5] == ("HL-YC", "岳村镇党委书记", "是", "unit_head、cadre")
    # The administrator's own grants lie over the city: named in the other-units column.
    assert "admin@PY" in (by_name["王建国"][6] or "")
    assert str(len(units) - 1) in reply.caption and str(len(people) - 1) in reply.caption


async def test_only_an_administrator_may_export(core: Assistant) -> None:
    refused = texts(await say(core, INSPECTOR, "/orgexport"))
    assert refused == "抱歉，您的角色无权进行此操作。发送 /help 查看可用功能。"
