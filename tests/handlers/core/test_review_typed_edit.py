"""On a form's review screen, "修改地点" / "改第3项" / "edit the place" typed instead of
pressing its Edit button opens that field again; other text is still refused."""

from __future__ import annotations

import pytest

from handlers.core.app import Assistant
from handlers.core.form_labels import edit_target
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.core.helpers import say, texts
from tests.handlers.records.support import TALK_INPUTS, ZH, run

INSPECTOR = 1102
FIELDS = [("谈话对象", "who"), ("谈话日期", "date"), ("谈话地点", "place"), ("Reason", "reason")]


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("修改地点", "place"),
        ("改一下谈话日期", "date"),
        ("修改：谈话地点", "place"),  # the Edit button's label typed out
        ("改第3项", "place"),
        ("修改第二项", "date"),
        ("edit item 4", "reason"),
        ("Edit: Reason", "reason"),
        ("change the reason", "reason"),
        ("谈话地点", "place"),  # a whole label alone
        ("地点", None),  # part of a label without asking to edit it
        ("3", None),  # a bare number is no request
        ("改第9项", None),
        ("改为明天", None),
    ],
)
def test_which_field_a_typed_edit_names(typed: str, key: str | None) -> None:
    assert edit_target(typed, FIELDS, numbered=True) == key


def test_numbers_are_not_fields_where_the_screen_numbers_a_list() -> None:
    assert edit_target("改第2项", FIELDS, numbered=False) is None
    # Where the screen numbers a list's items, 改第2项 opens the list for re-entry.
    assert edit_target("改第2项", FIELDS, numbered=False, items_key="items") == "items"
    assert edit_target("修改地点", FIELDS, numbered=False) == "place"


async def test_a_typed_edit_on_the_review_reopens_the_field_and_returns(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    before = len(fake_uow.db.record_tables.talks)
    review = texts(await run(core, INSPECTOR, "/talk 马丽娟", *TALK_INPUTS))
    assert ZH._("Please check, then confirm.") in review
    assert "在哪里" in texts(await say(core, INSPECTOR, "修改地点"))
    again = texts(await say(core, INSPECTOR, "党委会议室"))
    assert "党委会议室" in again and ZH._("Please check, then confirm.") in again
    refused = texts(await say(core, INSPECTOR, "随便写的一句话"))
    assert refused == ZH._("Please use the buttons to confirm, edit or cancel.")
    await say(core, INSPECTOR, "确认")
    assert len(fake_uow.db.record_tables.talks) == before + 1
    saved = max(fake_uow.db.record_tables.talks.values(), key=lambda t: t.id)
    assert (saved.place, saved.summary) == ("党委会议室", TALK_INPUTS[5])
