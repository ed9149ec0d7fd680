"""Check-ins and appraisals are never overwritten by a writer who started from an older version.

Two reviewers appraising the same pledge, or the same cadre reporting from two devices: the
second save is refused with a clear message in the writer's language; nothing is overwritten.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from handlers.calendar.domain import Period
from handlers.core.app import Assistant
from handlers.core.clock import ManualClock
from handlers.core.domain import Grade
from handlers.core.i18n import translator
from handlers.pledges.domain import Checkin, CheckinEntry, Fulfilment, NewCheckin
from tests.handlers.core.fakes import FakeUnitOfWorkFactory
from tests.handlers.core.helpers import forms_open, say, texts
from tests.handlers.pledges.helpers import (
    HE_JING,
    LIN_TAO,
    XU_FANG,
    answer_checkin,
    appraisals_of,
    checkins_of,
    confirm,
    has,
    make_pledge,
    pid,
    zh,
)

EN = translator("en")
JUNE_10 = datetime(2026, 6, 10, 2, 0, tzinfo=UTC)
JULY_20 = datetime(2026, 7, 20, 2, 0, tzinfo=UTC)
CHECKIN_STALE = "Your {period} check-in for {year} was changed meanwhile (by someone else or on another device), so nothing was saved. Please open it again with /checkin."
APPRAISAL_STALE = "The appraisal of {name}'s pledge for {year} was entered or changed by someone else in the meantime, so nothing was saved. Please open it again."
APPRAISAL_CHANGED = "✅ The appraisal of {name}'s pledge for {year} is changed: {old} → {new}."
APPRAISAL_DONE = "✅ The appraisal of {name}'s pledge for {year} is recorded."


async def pledged_in_january(core: Assistant, clock: ManualClock, then: datetime) -> None:
    """He Jing pledges on 10 January; the clock then moves on to ``then``."""
    clock.set(datetime(2026, 1, 10, 2, 0, tzinfo=UTC))
    await make_pledge(core, HE_JING, when="2026-01-20")
    await confirm(core, HE_JING)
    clock.set(then)


def other_device(fake_uow: FakeUnitOfWorkFactory, checkin: Checkin) -> Checkin:
    """What a save from another device leaves behind: new entries, the next version."""
    entries = (CheckinEntry(Fulfilment.NOT_KEPT, "另一台设备上的修改"),) * len(checkin.entries)
    changed = replace(checkin, entries=entries, version=checkin.version + 1)
    fake_uow.db.pledge_tables.checkins[checkin.id] = changed
    return changed


async def test_a_check_in_changed_meanwhile_is_not_overwritten(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    await pledged_in_january(core, clock, JUNE_10)
    await say(core, HE_JING, "/checkin")
    await answer_checkin(core, HE_JING, [("kept", "做到了", None)] * 3)
    await confirm(core, HE_JING)
    [first] = checkins_of(fake_uow, HE_JING)
    assert first.version == 1
    # The report is opened for a change here, and changed on another device meanwhile.
    assert has(await say(core, HE_JING, "/checkin"), "Please check, then confirm.")
    await say(core, HE_JING, data="f:edit:0")
    await say(core, HE_JING, data="f:c:partly")
    await say(core, HE_JING, "本设备上的修改")
    await say(core, HE_JING, data="f:skip")
    changed = other_device(fake_uow, first)
    refused = await confirm(core, HE_JING)
    assert has(refused, CHECKIN_STALE, period=zh("mid-year"), year=2026)
    assert checkins_of(fake_uow, HE_JING) == [changed]
    assert forms_open(fake_uow) == set()  # the form is closed: reopen to see the change
    assert "checkin.updated" not in [e.action for e in fake_uow.db.audit]
    # Reopened, the report shows the other device's version and can be changed again.
    reopened = await say(core, HE_JING, "/checkin")
    assert "另一台设备上的修改" in texts(reopened)
    await confirm(core, HE_JING)
    [final] = checkins_of(fake_uow, HE_JING)
    assert final.version == 3 and fake_uow.db.audit[-1].action == "checkin.updated"


async def test_a_check_in_made_meanwhile_on_another_device_is_not_overwritten(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    await pledged_in_january(core, clock, JUNE_10)
    await say(core, HE_JING, "/lang en")
    await say(core, HE_JING, "/checkin")
    await answer_checkin(core, HE_JING, [("kept", "kept it all year", None)] * 3)
    # Meanwhile the report was submitted from another device.
    pledge = next(
        p
        for p in fake_uow.db.pledge_tables.pledges.values()
        if p.person_id == pid(fake_uow, HE_JING)
    )
    async with fake_uow() as uow:
        entries = (CheckinEntry(Fulfilment.PARTLY, "from the phone"),) * 3
        new = NewCheckin(pledge.id, pledge.person_id, Period.MIDYEAR, entries, False)
        await uow.checkins.add(new, JUNE_10)
        await uow.commit()
    refused = await confirm(core, HE_JING)
    assert texts(refused) == EN._(CHECKIN_STALE, period=EN._("mid-year"), year=2026)
    [kept] = checkins_of(fake_uow, HE_JING)
    assert kept.entries[0].explanation == "from the phone" and kept.version == 1


async def test_two_reviewers_appraising_at_once_do_not_overwrite_each_other(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    await pledged_in_january(core, clock, JULY_20)
    he = pid(fake_uow, HE_JING)
    await say(core, XU_FANG, "/lang en")
    # Both open the form for 何静's 2026 pledge and fill it in.
    for user, mass, grade in ((LIN_TAO, "40/8/2", "excellent"), (XU_FANG, "30/15/5", "passed")):
        await say(core, user, data=f"plu:ap:{he}:2026")
        await say(core, user, mass)
        await say(core, user, data=f"f:c:{grade}")
    first = await confirm(core, LIN_TAO)
    assert has(first, APPRAISAL_DONE, name="何静", year=2026)
    second = await confirm(core, XU_FANG)
    assert texts(second) == EN._(APPRAISAL_STALE, name="何静", year=2026)
    [appraisal] = appraisals_of(fake_uow, HE_JING)
    assert appraisal.grade == Grade.EXCELLENT and appraisal.by_id == pid(fake_uow, LIN_TAO)
    assert [e.action for e in fake_uow.db.audit].count("appraisal.entered") == 1
    # Having looked again, the inspector may replace it deliberately.
    await say(core, XU_FANG, data=f"plu:ap:{he}:2026")
    await say(core, XU_FANG, "30/15/5")
    await say(core, XU_FANG, data="f:c:passed")
    replaced = await confirm(core, XU_FANG)
    assert texts(replaced).startswith(
        EN._(APPRAISAL_CHANGED, name="何静", year=2026, old="excellent", new="passed")
    )
    [appraisal] = appraisals_of(fake_uow, HE_JING)
    assert appraisal.grade == Grade.PASSED and appraisal.version == 2
    assert fake_uow.db.audit[-1].action == "appraisal.replaced"


async def test_the_typed_appraisal_form_notes_the_version_at_the_year(
    core: Assistant, fake_uow: FakeUnitOfWorkFactory, clock: ManualClock
) -> None:
    """The /appraise path (person and year typed) is protected the same way."""
    await pledged_in_january(core, clock, JULY_20)
    await say(core, LIN_TAO, "/appraise 何静")  # one pledge year: starts at the results
    await say(core, XU_FANG, "/appraise")
    await say(core, XU_FANG, "何静")
    await say(core, XU_FANG, data="f:c:2026")  # the year step notes the version
    for user in (LIN_TAO, XU_FANG):
        await say(core, user, "90")
        await say(core, user, data="f:c:passed")
    assert has(await confirm(core, XU_FANG), APPRAISAL_DONE, name="何静", year=2026)
    assert has(await confirm(core, LIN_TAO), APPRAISAL_STALE, name="何静", year=2026)
    [appraisal] = appraisals_of(fake_uow, HE_JING)
    assert appraisal.by_id == pid(fake_uow, XU_FANG)
