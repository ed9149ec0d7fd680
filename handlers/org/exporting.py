"""The organisation written out as the import reads it: units and people, one sheet each.

An administrator keeps the lists in a spreadsheet: exported, corrected and imported into a
new installation, or checked against the office's own records. The headers are the
import's own (:mod:`handlers.org.importing`), so a workbook exported here imports into an
empty installation unchanged. The import grants roles on the person's own unit only, so a
role held over another unit (an inspector over the district, listed in the commission) is
named in a column of its own, which the import leaves alone; deactivated people are left
out, as they are from every list.
"""

from __future__ import annotations

from collections.abc import Sequence

from handlers.core.domain import Person, Unit
from handlers.core.ports import UnitOfWork
from handlers.core.spreadsheet import Sheet

#: Most units written out (a province has a few thousand).
MAX_EXPORT_UNITS = 50_000

UNIT_HEADERS = ("单位编码", "单位名称", "上级单位编码", "层级")
PEOPLE_HEADERS = ("姓名", "单位编码", "职务", "科级以上", "角色", "telegram_id", "其他单位的角色")


async def organisation_sheets(uow: UnitOfWork, paths: Sequence[str]) -> tuple[Sheet, Sheet]:
    """The units and the active people of the subtrees ``paths``, as two sheets."""
    units = await uow.units.within(paths, MAX_EXPORT_UNITS)
    people = await uow.people.in_units(paths)
    code_of = {u.id: u.code for u in units}
    # A top's parent, and a unit a role is held over, may lie outside the subtrees: they
    # are named by their codes too.
    outside = {u.parent_id for u in units} | {g.unit_id for p in people for g in p.grants}
    for unit_id in sorted(i for i in outside if i is not None and i not in code_of):
        found = await uow.units.get(unit_id)
        code_of[unit_id] = found.code if found else ""
    unit_rows = tuple(_unit_row(u, code_of) for u in units)
    people_rows = tuple(_person_row(p, code_of) for p in people if p.unit_id in code_of)
    return (
        Sheet("units 单位", UNIT_HEADERS, unit_rows),
        Sheet("people 人员", PEOPLE_HEADERS, people_rows),
    )


def _unit_row(unit: Unit, code_of: dict[int, str]) -> tuple[str, ...]:
    parent = code_of.get(unit.parent_id, "") if unit.parent_id is not None else ""
    return (unit.code, unit.name, parent, unit.level.value)


def _person_row(person: Person, code_of: dict[int, str]) -> tuple[str, ...]:
    own = [g.role.value for g in person.grants if g.unit_id == person.unit_id]
    elsewhere = [
        f"{g.role.value}@{code_of.get(g.unit_id, '')}"
        for g in person.grants
        if g.unit_id != person.unit_id
    ]
    return (
        person.name,
        code_of[person.unit_id],
        person.post,
        "是" if person.section_level else "否",
        "、".join(own),
        str(person.telegram_user_id or ""),
        "、".join(elsewhere),
    )
