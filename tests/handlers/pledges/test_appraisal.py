"""Entering mass appraisals and assessment grades (fakes): scope, self, bad input, re-entry."""

from __future__ import annotations

import pytest

from handlers.core.app import Assistant
from handlers.core.domain import Grade
from handlers.core.types import TextReply
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.core.helpers import button_data, buttons, say, texts
from tests.handlers.pledges.helpers import (
    HE_JING,
    ITEMS,
    LIN_TAO,
    WU_GANG,
    XIE_DONG,
    XU_FANG,
    ZHANG_WEIDONG,
    appraisals_of,
    confirm,
    has,
    pid,
    pledged,
    pledged_record,
    zh,
)


async def test_unit_head_enters_an_appraisal_by_name(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    await pledged(core)
    start = await say(core, LIN_TAO, "/appraise 何静")
    # She has not reported yet: said before the figures are asked for (a warning only).
    assert has(
        start,
        "{name} has not made the year-end check-in for {year} yet; the appraisal normally follows it.",
        name="何静",
        year=2026,
    )
    assert has(
        start,
        "Enter the mass appraisal: the shares of good / fair / poor votes in percent, like 85/10/5 (vote counts such as 42/6/2 are converted), or one score from 0 to 100, like 92.5.",
    )
    await say(core, LIN_TAO, "85/10/5")
    review = await say(core, LIN_TAO, data=f"f:c:{Grade.PASSED.value}")
    text = texts(review)
    assert "何静" in text and "2026" in text and zh("passed") in text
    assert zh("good {good}% · fair {fair}% · poor {poor}%", good="85", fair="10", poor="5") in text
    assert appraisals_of(fake_uow, HE_JING) == []
    done = await confirm(core, LIN_TAO)
    assert has(
        done, "✅ The appraisal of {name}'s pledge for {year} is recorded.", name="何静", year=2026
    )
    told = [r for r in done if isinstance(r, TextReply) and r.chat_id == HE_JING]
    assert told and "/mypledge" in told[0].text
    [appraisal] = appraisals_of(fake_uow, HE_JING)
    assert (appraisal.good, appraisal.fair, appraisal.poor, appraisal.score) == (85, 10, 5, None)
    assert appraisal.grade == Grade.PASSED and appraisal.by_id == pid(fake_uow, LIN_TAO)
    assert fake_uow.db.audit[-1].action == "appraisal.entered"
    assert "passed" not in str(fake_uow.db.audit[-1].details)
    mine = await say(core, HE_JING, "/mypledge")
    assert zh("Organisational assessment: {grade}", grade=zh("passed")) in texts(mine)
    assert "林涛" in texts(mine)


async def test_inspector_uses_the_full_form_and_can_re_enter(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    await pledged(core)
    await say(core, ZHANG_WEIDONG, "/appraise")
    several = await say(core, ZHANG_WEIDONG, "静")  # 何静 and 陈静, both in his city scope
    ids = sorted((pid(fake_uow, HE_JING), pid(fake_uow, 1005)))
    assert texts(several).startswith(
        zh(
            "Several people match: {names}. Choose one below, or type the person number (P…).",
            names="",
        )[:4]
    )
    assert all(str(i) in texts(several) for i in ids)
    await say(core, ZHANG_WEIDONG, data="f:cancel")
    await say(core, XU_FANG, "/appraise")
    person = await say(core, XU_FANG, str(pid(fake_uow, HE_JING)))
    assert has(person, "For which year's pledge?")
    assert ("2026", "f:c:2026") in buttons(person)
    wrong_year = texts(await say(core, XU_FANG, "去年"))
    assert wrong_year == zh(
        "There is no pledge for that year. Years with a pledge: {years}.", years="2026"
    )
    asked = texts(await say(core, XU_FANG, "今年"))  # typed, as /mypledge reads it
    assert asked.splitlines()[-1].startswith("请输入群众评议结果"), (
        asked
    )  # after the no-report warning
    await say(core, XU_FANG, "42/6/2")  # vote counts
    await say(core, XU_FANG, data="f:c:excellent")
    await confirm(core, XU_FANG)
    [first] = appraisals_of(fake_uow, HE_JING)
    assert (first.good, first.fair, first.poor) == (84.0, 12.0, 4.0)
    # Re-entering says first that a result exists, then replaces it and says what changed.
    reopened = await say(core, LIN_TAO, "/appraise 何静")
    assert zh("excellent") in texts(reopened) and "替换" in texts(reopened)
    await say(core, LIN_TAO, "91.5")
    await say(core, LIN_TAO, data="f:c:failed")
    changed = await confirm(core, LIN_TAO)
    assert f"{zh('excellent')} → {zh('failed')}" in texts(changed)
    told = [r for r in changed if isinstance(r, TextReply) and r.chat_id == HE_JING]
    assert told and "已修改" in told[0].text
    [second] = appraisals_of(fake_uow, HE_JING)
    # Entering it again with only the votes changed says the grade stays.
    await say(core, LIN_TAO, "/appraise 何静")
    await say(core, LIN_TAO, "90")
    await say(core, LIN_TAO, "不合格")  # typed as annual assessments say it: 不达标
    same = texts(await confirm(core, LIN_TAO))
    assert "等次仍为" in same and "→" not in same
    assert second.score == 91.5 and second.good is None and second.grade == Grade.FAILED
    assert second.by_id == pid(fake_uow, LIN_TAO)
    assert fake_uow.db.audit[-1].action == "appraisal.replaced"


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        (
            "很好",
            "Please type the shares of good / fair / poor votes like 85/10/5, or one score from 0 to 100 like 92.5.",
        ),
        (
            "80/20",
            "Please type the shares of good / fair / poor votes like 85/10/5, or one score from 0 to 100 like 92.5.",
        ),
        ("101", "A score must lie between 0 and 100."),
        (
            "-5",
            "Please type the shares of good / fair / poor votes like 85/10/5, or one score from 0 to 100 like 92.5.",
        ),
        ("0/0/0", "At least one vote is needed."),
        ("50.5/20/10", "The three shares must add up to 100."),
        (
            "nan",
            "Please type the shares of good / fair / poor votes like 85/10/5, or one score from 0 to 100 like 92.5.",
        ),
    ],
)
async def test_bad_mass_appraisal_input(core: Assistant, typed: str, message: str) -> None:
    await pledged(core)
    await say(core, LIN_TAO, "/appraise 何静")
    replies = await say(core, LIN_TAO, typed)
    assert texts(replies) == zh(message)
    retry = await say(core, LIN_TAO, "８５／１０／５")  # full-width input is fine
    assert has(retry, "Which grade did the organisational assessment give?")


async def test_scope_self_and_missing_pledges(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    no_pledge = await say(core, LIN_TAO, "/appraise 何静")
    assert has(no_pledge, "{name} has no pledge to appraise.", name="何静")
    await pledged(core)
    outside = await say(core, XIE_DONG, "/appraise 何静")
    nobody = await say(core, XIE_DONG, "/appraise 没有这个人")
    assert texts(outside) == texts(nobody) == zh("No such person within your scope.")
    own = await say(core, LIN_TAO, "/appraise 林涛")
    assert has(
        own, "You cannot do this for your own pledge; it has to be done by someone above you."
    )
    he = pid(fake_uow, HE_JING)
    forged = await say(core, XIE_DONG, data=f"plu:ap:{he}:2026")
    assert texts(forged) == zh("No such person within your scope.")
    supervisor = await say(core, WU_GANG, "/appraise 何静")
    assert has(
        supervisor, "Sorry, your role does not allow this. Send /help to see what you can do."
    )
    cadre = await say(core, HE_JING, "/appraise 何静")
    assert has(cadre, "Sorry, your role does not allow this. Send /help to see what you can do.")
    assert appraisals_of(fake_uow, HE_JING) == []


async def test_appraisal_from_the_person_record(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    record = await pledged_record(core, fake_uow)
    start = await say(core, LIN_TAO, data=button_data(record, zh("Enter appraisal")))
    assert has(
        start,
        "Enter the mass appraisal: the shares of good / fair / poor votes in percent, like 85/10/5 (vote counts such as 42/6/2 are converted), or one score from 0 to 100, like 92.5.",
    )
    await say(core, LIN_TAO, "90/8/2")
    await say(core, LIN_TAO, data="f:c:excellent")
    await confirm(core, LIN_TAO)
    assert appraisals_of(fake_uow, HE_JING)[0].grade == Grade.EXCELLENT


async def appraising_a_sanctioned_cadre(core: Assistant) -> None:
    """何静 pledges and gets a 记过 from 5 March; 林涛 opens her appraisal and types the votes."""
    from tests.handlers.records.support import add_person, create_case

    await pledged(core)
    cid = await create_case(core)
    await add_person(core, cid, "何静", "discipline", "govt_demerit", "2026-03-05")
    await say(core, LIN_TAO, "/appraise 何静")
    await say(core, LIN_TAO, "85/10/5")


async def test_excellent_for_a_barred_year_is_asked_about_and_audited(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    await appraising_a_sanctioned_cadre(core)
    await say(core, LIN_TAO, data=f"f:c:{Grade.EXCELLENT.value}")
    warned = await confirm(core, LIN_TAO)
    assert "2026-03-05" in texts(warned) and appraisals_of(fake_uow, HE_JING) == []
    await say(core, LIN_TAO, data=button_data(warned, zh("Record it anyway")))
    [appraisal] = appraisals_of(fake_uow, HE_JING)
    assert appraisal.grade == Grade.EXCELLENT
    assert any(e.action == "appraisal.rated_despite_bar" for e in fake_uow.db.audit)


async def test_a_lower_grade_under_the_warning_is_saved_without_an_override(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    await appraising_a_sanctioned_cadre(core)
    await say(core, LIN_TAO, "优秀")
    warned = await confirm(core, LIN_TAO)
    assert "2026-03-05" in texts(warned) and appraisals_of(fake_uow, HE_JING) == []
    await say(core, LIN_TAO, data=button_data(warned, zh("Change the grade")))
    await say(core, LIN_TAO, data=f"f:c:{Grade.PASSED.value}")
    await confirm(core, LIN_TAO)
    [appraisal] = appraisals_of(fake_uow, HE_JING)
    assert appraisal.grade == Grade.PASSED
    assert not any(e.action == "appraisal.rated_despite_bar" for e in fake_uow.db.audit)


async def test_a_refused_mass_appraisal_keeps_the_steps_buttons(core: Assistant) -> None:
    await pledged(core)
    await say(core, LIN_TAO, "/appraise 何静")
    asked = await say(core, LIN_TAO, "85/10/10")
    assert "105" in texts(asked)
    assert {"f:back", "f:cancel"} <= {d for _, d in buttons(asked)}


async def test_an_appraised_pledge_is_locked_on_its_publication_day(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory
) -> None:
    """Made public today and appraised today: the owner could still replace its items, and
    the appraisal was left under items nobody had appraised."""
    await pledged(core)  # made public 2026-03-10, today in the tests
    await say(core, LIN_TAO, "/appraise 何静")
    await say(core, LIN_TAO, "85/10/5")
    await say(core, LIN_TAO, data="f:c:passed")
    await confirm(core, LIN_TAO)
    assert appraisals_of(fake_uow, HE_JING)
    mine = await say(core, HE_JING, "/mypledge")
    assert not [d for _, d in buttons(mine) if d.startswith("plg:edit:")]
    again = texts(await say(core, HE_JING, "/pledge 2026"))
    assert zh("Item {n} noted. Send the next one, or press Done.", n=1) not in again
    [pledge] = [
        p
        for p in fake_uow.db.pledge_tables.pledges.values()
        if p.person_id == pid(fake_uow, HE_JING)
    ]
    assert pledge.items == tuple(ITEMS)


async def test_a_family_name_or_a_sound_alike_is_confirmed_before_appraising(
    core: Assistant,
) -> None:
    """/appraise 何 and /appraise 何晶 had gone straight to 何静's appraisal, on a guess."""
    await pledged(core)
    for typed in ("/appraise 何", "/appraise 何晶"):
        reply = await say(core, LIN_TAO, typed)
        assert "何静" in texts(reply) and not has(reply, "For which year's pledge?"), typed
        assert any("何静" in label for label, _ in buttons(reply)), typed


async def test_a_share_typed_as_a_fraction_is_not_kept_as_a_score(core: Assistant) -> None:
    """０.９ had been kept as a mass appraisal of 0.9 points: it is 90 % typed as a fraction."""
    await pledged(core)
    await say(core, LIN_TAO, "/appraise 何静")
    reply = texts(await say(core, LIN_TAO, "０.９"))
    assert reply == zh(
        "A score runs from 0 to 100: did you mean {example}? Please type it that way.",
        example="90",
    )


async def test_appraising_me_says_one_cannot_appraise_oneself(core: Assistant) -> None:
    """/appraise 我 had said "no such person"; /appraise 林涛 (himself) says why not."""
    await pledged(core)
    for typed in ("/appraise 我", "/appraise 林涛"):
        assert has(
            await say(core, LIN_TAO, typed),
            "You cannot do this for your own pledge; it has to be done by someone above you.",
        ), typed
