"""Checking the rows of an organisation import, then writing them: all or nothing.

Units are checked first, then placed under their parents (in the database or elsewhere in
the file, without cycles), then people are checked against the units that will exist. Only
then, and only when every row is valid (or bad rows may be skipped), is anything written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from handlers.core.domain import NewPerson, Role, UnitLevel
from handlers.core.parsing import clean_display_name, telegram_id, valid_unit_code
from handlers.core.ports import UnitOfWork
from handlers.org.import_types import ImportReport, RowError, Table
from handlers.org.placement import placement_problem
from handlers.org.roles import ROLE_ALIASES

LEVELS = {
    "city": UnitLevel.CITY, "市": UnitLevel.CITY, "市级": UnitLevel.CITY,
    "county": UnitLevel.COUNTY, "县": UnitLevel.COUNTY, "区": UnitLevel.COUNTY,
    "县区": UnitLevel.COUNTY, "县(区)": UnitLevel.COUNTY, "县级": UnitLevel.COUNTY,
    "department": UnitLevel.DEPARTMENT, "部门": UnitLevel.DEPARTMENT, "单位": UnitLevel.DEPARTMENT,
    "township": UnitLevel.TOWNSHIP, "乡镇": UnitLevel.TOWNSHIP, "乡": UnitLevel.TOWNSHIP,
    "镇": UnitLevel.TOWNSHIP, "街道": UnitLevel.TOWNSHIP,
}  # fmt: skip
YES = {"是", "yes", "y", "true", "1", "√", "✓"}
NO = {"否", "no", "n", "false", "0", ""}
MAX_CELL = 200

#: A unit row that passed its checks: (sheet, row number, name, level, parent code).
NewUnit = tuple[str, int, str, UnitLevel, str]
#: A person row that passed its checks: (name, unit code, post, section level, roles,
#: Telegram id, roles held over other units as (role, unit code)).
CheckedPerson = tuple[str, str, str, bool, list[Role], int | None, list[tuple[Role, str]]]


@dataclass
class _Plan:
    """What the rows will write, gathered while they are checked."""

    new_units: dict[str, NewUnit] = field(default_factory=dict)
    bad_units: set[str] = field(default_factory=set)  # codes on bad unit rows: never written
    order: list[str] = field(default_factory=list)  # new units, each after its parent
    placed: set[str] = field(default_factory=set)
    people: list[CheckedPerson] = field(default_factory=list)
    seen_people: set[tuple[str, str]] = field(default_factory=set)
    seen_tg: set[int] = field(default_factory=set)


async def import_tables(
    uow: UnitOfWork,
    tables: list[Table],
    apply: bool,
    skip_bad_rows: bool = False,
    now: datetime | None = None,
) -> ImportReport:
    """Validate every row, then write (in ``uow``; the caller commits) when ``apply``;
    the people written are listed at ``now``.

    By default nothing is written when any row has a problem. With ``skip_bad_rows`` the
    valid rows are written and the bad ones are left out; ``report.errors`` lists them
    either way. A row that depends on a bad row (a person in a unit whose row is bad, a
    unit under such a unit) is itself reported, so what is written is always consistent.
    """
    report = ImportReport()
    plan = _Plan()
    for t in tables:
        if t.kind == "units":
            await _check_units(uow, t, plan, report)
    await _place_units(uow, plan, report)
    for t in tables:
        if t.kind == "people":
            await _check_people(uow, t, plan, report)
    report.units = len(plan.order)
    report.people = len(plan.people)
    if not apply or (report.errors and not skip_bad_rows):
        return report
    await _write(uow, plan, now)
    report.applied = True
    return report


def _text(value: str, what: str, errors: list[str], required: bool = True) -> str:
    if required and not value:
        errors.append(f"{what} is empty / {what}为空")
    if len(value) > MAX_CELL:
        errors.append(f"{what} is too long / {what}过长")
    if any(ord(ch) < 32 for ch in value):
        errors.append(f"{what} contains control characters / {what}含控制字符")
    return value


def _short_row(t: Table, number: int) -> str | None:
    """The error for a row cut short, or None when the row is complete."""
    cells = t.short_rows.get(number)
    if cells is None:
        return None
    return (
        f"line has {cells} of the {t.width} columns; it looks cut off (write empty cells as"
        f" commas) / 该行只有 {cells} 列（表头 {t.width} 列），似乎被截断"
    )


async def _check_units(uow: UnitOfWork, t: Table, plan: _Plan, report: ImportReport) -> None:
    """Check the unit rows of one table: good ones join ``plan.new_units``, the codes of
    bad ones ``plan.bad_units``."""
    for number, row in t.rows:
        errs: list[str] = []
        code = row.get("code", "")
        short = _short_row(t, number)
        if short is not None:
            # The missing cells are unknown, not blank: checking them would only add noise.
            report.errors.append(RowError(t.sheet, number, short))
            if code and code not in plan.new_units and not await uow.units.by_code(code):
                plan.bad_units.add(code)
            continue
        code = _text(code, "单位编码 code", errs)
        if code and not valid_unit_code(code):
            errs.append(
                f"unit code {code[:40]!r} may hold only letters, digits, _ and - (at most 32)"
                " / 单位编码只能包含字母、数字、_ 和 -"
            )
        name = clean_display_name(_text(row.get("name", ""), "单位名称 name", errs))
        parent = _text(row.get("parent", ""), "上级单位编码 parent", errs, required=False)
        level = LEVELS.get(row.get("level", "").strip().lower())
        if level is None:
            errs.append(f"unknown level 层级无效: {row.get('level', '')!r}")
        exists = bool(code) and (code in plan.new_units or bool(await uow.units.by_code(code)))
        if exists:
            errs.append(f"unit code already exists 单位编码重复: {code}")
        for e in errs:
            report.errors.append(RowError(t.sheet, number, e))
        if errs:
            if code and not exists:  # an existing unit keeps its people and children
                plan.bad_units.add(code)
        elif level is not None:
            plan.new_units[code] = (t.sheet, number, name, level, parent)


async def _place_units(uow: UnitOfWork, plan: _Plan, report: ImportReport) -> None:
    """Order the new units so each comes after its parent; parents must exist in the
    database or earlier/later in the file, without cycles. Units that cannot be placed are
    reported."""
    pending = dict(plan.new_units)
    while pending:
        progress = False
        for code, (sheet, number, _name, level, parent) in list(pending.items()):
            placed, above = await _parent_level(uow, plan, parent)
            if not placed:
                continue  # the parent is not placed yet (or cannot be)
            del pending[code]
            progress = True
            problem = placement_problem(level, above)
            if problem:
                report.errors.append(RowError(sheet, number, problem))
                plan.bad_units.add(code)
                continue
            plan.order.append(code)
            plan.placed.add(code)
        if not progress:
            for code, (sheet, number, _n, _l, parent) in pending.items():
                if parent in plan.bad_units:
                    reason = f"parent unit's row has a problem 上级单位所在行有误: {parent}"
                elif parent not in plan.new_units:
                    reason = f"parent unit not found 上级单位不存在: {parent}"
                else:
                    reason = _pending_reason(code, pending)
                report.errors.append(RowError(sheet, number, reason))
            break


async def _parent_level(uow: UnitOfWork, plan: _Plan, parent: str) -> tuple[bool, UnitLevel | None]:
    """Whether a unit's parent is placed (no parent counts as placed), and its level (None
    for no parent). Not placed: still pending in the file, on a bad row, or nowhere."""
    if not parent:
        return True, None
    if parent in plan.placed:
        return True, plan.new_units[parent][3]
    if parent in plan.new_units or parent in plan.bad_units:
        return False, None
    existing = await uow.units.by_code(parent)
    return (True, existing.level) if existing else (False, None)


def _pending_reason(code: str, pending: dict[str, NewUnit]) -> str:
    """Why a unit whose parent is in the file could not be placed: a true cycle, or a chain
    that ends at a parent which is missing or whose row has a problem."""
    parent = pending[code][4]
    seen = {code}
    step = parent
    while step in pending and step not in seen:
        seen.add(step)
        step = pending[step][4]
    if step in seen:
        return f"parent chain forms a cycle 上级单位循环: {parent}"
    return f"parent unit cannot be imported 上级单位无法导入: {parent}"


async def _check_people(uow: UnitOfWork, t: Table, plan: _Plan, report: ImportReport) -> None:
    """Check the people rows of one table: good ones join ``plan.people``."""
    for number, row in t.rows:
        short = _short_row(t, number)
        if short is not None:
            report.errors.append(RowError(t.sheet, number, short))
            continue
        errs: list[str] = []
        name = clean_display_name(_text(row.get("person", ""), "姓名 name", errs))
        unit_code = _text(row.get("unit", ""), "单位编码 unit", errs)
        post = _text(row.get("post", ""), "职务 post", errs, required=False)
        sl = row.get("section_level", "").strip().lower()
        if sl not in YES | NO:
            errs.append(f"科级以上 must be 是/否 (yes/no): {sl!r}")
        roles = _roles(row.get("roles", ""), errs)
        tg = await _telegram_id(uow, row.get("telegram_id", "").strip(), plan, errs)
        elsewhere = await _grants_elsewhere(uow, row.get("other_roles", ""), plan, errs)
        # Only units that will be written (or exist) can hold people: a unit whose row
        # or parent chain is bad is left out, and so must its people be.
        if unit_code and unit_code not in plan.placed:
            if unit_code in plan.new_units or unit_code in plan.bad_units:
                errs.append(f"unit's row has a problem 所在单位行有误: {unit_code}")
            elif not await uow.units.by_code(unit_code):
                errs.append(f"unit not found 单位不存在: {unit_code}")
        if (name, unit_code) in plan.seen_people:
            errs.append(f"duplicate person in file 人员重复: {name}")
        elif name and unit_code and await _already_listed(uow, name, unit_code):
            # The same file imported twice had listed everyone twice.
            errs.append(f"person already listed in this unit 该单位已有此人: {name}")
        plan.seen_people.add((name, unit_code))
        for e in errs:
            report.errors.append(RowError(t.sheet, number, e))
        if not errs:
            # A person listed with roles over other units only (an inspector over the
            # district) is not made a cadre of his own unit by default.
            own = roles or ([] if elsewhere else [Role.CADRE])
            plan.people.append((name, unit_code, post, sl in YES, own, tg, elsewhere))


def _roles(cell: str, errs: list[str]) -> list[Role]:
    """The roles named in a cell (separated by commas or 、); unknown names go to ``errs``."""
    roles = []
    for r in (x for x in cell.replace("、", ",").replace("，", ",").split(",") if x.strip()):
        role = ROLE_ALIASES.get(r.strip().lower())
        if role is None:
            errs.append(f"unknown role 角色无效: {r.strip()!r}")
        else:
            roles.append(role)
    return roles


async def _grants_elsewhere(
    uow: UnitOfWork, cell: str, plan: _Plan, errs: list[str]
) -> list[tuple[Role, str]]:
    """Roles held over other units, written ``inspector@HL`` (separated by commas or 、,
    as /orgexport writes them); a bad role or unknown unit goes to ``errs``."""
    grants = []
    for item in (x.strip() for x in cell.replace("、", ",").replace("，", ",").split(",")):
        if not item:
            continue
        name, _, code = item.partition("@")
        role = ROLE_ALIASES.get(name.strip().lower())
        code = code.strip()
        if role is None or not code:
            errs.append(f"other roles must read role@unit code 其他单位的角色格式: {item!r}")
        elif code not in plan.placed and not await uow.units.by_code(code):
            errs.append(f"unit not found 单位不存在: {code}")
        else:
            grants.append((role, code))
    return grants


async def _telegram_id(uow: UnitOfWork, raw: str, plan: _Plan, errs: list[str]) -> int | None:
    """The Telegram id of a cell, or None when empty or bad (then ``errs`` says why)."""
    if not raw:
        return None
    tg = telegram_id(raw)
    if tg is None:
        errs.append(f"Telegram ID must be a number: {raw.removesuffix('.0')!r}")
        return None
    if tg in plan.seen_tg or await uow.people.by_telegram_id(tg):
        errs.append(f"Telegram ID already used 已被使用: {tg}")
    plan.seen_tg.add(tg)
    return tg


async def _already_listed(uow: UnitOfWork, name: str, unit_code: str) -> bool:
    """Whether an active person of that name is already in that (existing) unit."""
    unit = await uow.units.by_code(unit_code)
    if unit is None:
        return False
    return any(
        p.name == name and p.unit_id == unit.id for p in await uow.people.find(name, [unit.path])
    )


async def _write(uow: UnitOfWork, plan: _Plan, now: datetime | None) -> None:
    """Add the planned units (parents first) and people with their roles."""
    ids: dict[str, int] = {}
    for code in plan.order:
        _sheet, _number, name, level, parent = plan.new_units[code]
        parent_id = ids.get(parent) if parent else None
        if parent and parent_id is None:
            existing = await uow.units.by_code(parent)
            parent_id = existing.id if existing else None
        unit = await uow.units.add(code, name, level, parent_id)
        ids[code] = unit.id
    for name, unit_code, post, section, roles, tg, elsewhere in plan.people:
        unit_id = await _unit_id(uow, ids, unit_code)
        person = await uow.people.add(NewPerson(name, unit_id, post, section, tg, listed_at=now))
        for role in roles:
            await uow.people.grant(person.id, role, unit_id)
        for role, code in elsewhere:
            await uow.people.grant(person.id, role, await _unit_id(uow, ids, code))


async def _unit_id(uow: UnitOfWork, ids: dict[str, int], code: str) -> int:
    """The id of a unit written by this import or already there (checked before)."""
    if code in ids:
        return ids[code]
    unit = await uow.units.by_code(code)
    assert unit is not None
    return unit.id
