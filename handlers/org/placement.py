"""Where a unit may sit in the organisation tree, checked wherever units are added (the
command line's ``unit add`` and the organisation import).

A city may stand under a city (a province is kept as a city-level root), a county under a
city or a county; a department or a township only under a city or a county, never under
another department or township; a township always has one. Without these checks a city was
accepted under a township and a township as a root, and every subtree figure below them was
counted in the wrong place.
"""

from __future__ import annotations

from handlers.core.domain import UnitLevel

#: How high a level stands: a unit's parent stands higher (or, for cities and counties, level).
_RANK = {
    UnitLevel.CITY: 0,
    UnitLevel.COUNTY: 1,
    UnitLevel.DEPARTMENT: 2,
    UnitLevel.TOWNSHIP: 2,
}
_CHINESE = {
    UnitLevel.CITY: "市",
    UnitLevel.COUNTY: "县（区）",
    UnitLevel.DEPARTMENT: "部门",
    UnitLevel.TOWNSHIP: "乡镇",
}
#: The longest unit name accepted (the import's limit as well).
MAX_UNIT_NAME = 200


def placement_problem(level: UnitLevel, parent: UnitLevel | None) -> str | None:
    """Why a unit of ``level`` cannot stand under a unit of ``parent`` (None: a root), or
    None when it can. The message is in English and Chinese, as the import reports are."""
    if parent is None:
        if level == UnitLevel.TOWNSHIP:
            return "a township needs its county as parent unit / 乡镇须填写上级单位"
        return None
    child_rank, parent_rank = _RANK[level], _RANK[parent]
    below = child_rank > parent_rank if child_rank == 2 else child_rank >= parent_rank
    if not below:
        return (
            f"a {level.value} cannot stand under a {parent.value}"
            f" / {_CHINESE[level]}不能设在{_CHINESE[parent]}之下"
        )
    return None


def unit_name_problem(name: str) -> str | None:
    """Why ``name`` (already trimmed) cannot name a unit, or None."""
    if not name:
        return "the unit name is empty / 单位名称为空"
    if len(name) > MAX_UNIT_NAME:
        return f"the unit name is longer than {MAX_UNIT_NAME} characters / 单位名称过长"
    return None
