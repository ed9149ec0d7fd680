"""The generic record engine is the same for every kind: each kind registered once, and its
buttons refuse unknown actions, malformed and unknown ids alike."""

from __future__ import annotations

import pytest

from handlers.core.app import Assistant
from handlers.records.kind import KINDS
from handlers.registry import all_routers
from tests.handlers.core.helpers import say, texts
from tests.handlers.records.support import ADMIN, HL_INSPECTOR, ZH, not_found

PREFIXES = ["tk", "nt", "as", "cs", "cp"]


def test_every_kind_is_registered_once_with_its_buttons_and_form() -> None:
    routers = all_routers()
    buttons = {prefix for r in routers for prefix in r.buttons}
    forms = {name for r in routers for name in r.forms}
    # KINDS also holds kinds the tests mount themselves (letter_kind.py): look at the
    # assistant's own, the kinds whose buttons its routers answer.
    mounted = [k for k in KINDS.values() if k.prefix in buttons]
    assert sorted(k.prefix for k in mounted) == sorted(PREFIXES)
    assert len({k.prefix for k in KINDS.values()}) == len(KINDS)
    assert {k.form.name for k in mounted if k.form} <= forms


@pytest.mark.parametrize("prefix", PREFIXES)
async def test_every_kind_refuses_unknown_actions_and_ids(core: Assistant, prefix: str) -> None:
    invalid = ZH._("That button is no longer valid.")
    assert texts(await say(core, ADMIN, data=f"{prefix}:zz:1")) == invalid
    assert texts(await say(core, ADMIN, data=f"{prefix}:o:x")) == not_found("?")
    for action in ("o", "e", "h", "d"):
        assert texts(await say(core, ADMIN, data=f"{prefix}:{action}:999")) == not_found(999)


async def test_a_handling_has_no_list_and_is_added_from_its_case(core: Assistant) -> None:
    invalid = ZH._("That button is no longer valid.")
    assert texts(await say(core, HL_INSPECTOR, data="cp:l:0:0:-:0")) == invalid
    assert texts(await say(core, HL_INSPECTOR, data="cp:n")) == invalid
