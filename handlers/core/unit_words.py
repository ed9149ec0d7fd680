"""How people name a unit when they type it: 我们单位 for their own, 岳村镇政府 or 中原路街道办
for the unit the organisation calls 岳村镇 or 中原路街道.

The unit lookups take a code or (part of) a name; these words found nothing ("no unit 我们单位")
although the asker's own unit was meant, or the unit's body was named with it.
"""

from __future__ import annotations

from collections.abc import Sequence

from pypinyin import lazy_pinyin

from handlers.core.domain import Person, Role, Unit
from handlers.core.ports import UnitOfWork

#: The asker's own unit (a unit head's: the unit he heads).
OWN_UNIT_WORDS = frozenset(
    {"我们单位", "本单位", "我单位", "我们", "咱单位", "咱们单位", "我的单位", "单位里", "我们这"}
    | {"our unit", "my unit", "own unit"}
)
#: The body of a unit named after it, longest first (岳村镇人民政府 is 岳村镇).
_BODY_SUFFIXES = (
    "党委政府", "人民政府", "街道办事处", "办事处", "街道办", "政府", "党委", "党组", "机关", "办",
)  # fmt: skip


async def find_units(uow: UnitOfWork, me: Person, text: str, paths: Sequence[str]) -> list[Unit]:
    """Units within ``paths`` that ``text`` names: the asker's own for 我们单位, else by code
    or name, and failing that by the name without its body's word (岳村镇政府 → 岳村镇)."""
    text = text.strip()
    if not text or not paths:
        return []
    if text.lower() in OWN_UNIT_WORDS:
        own = await own_unit(uow, me)
        return [own] if own is not None and any(own.path.startswith(p) for p in paths) else []
    units = await uow.units.find(text, tuple(paths))
    if units:
        return units
    for suffix in _BODY_SUFFIXES:
        stem = text.removesuffix(suffix)
        if stem != text and len(stem) >= 2:
            found = await uow.units.find(stem, tuple(paths))
            # 华龙区人民政府 is 华龙区, not every unit whose name starts 华龙区.
            exact = [u for u in found if u.name == stem or u.code.lower() == stem.lower()]
            return exact or found
    return []


async def own_unit(uow: UnitOfWork, me: Person) -> Unit | None:
    """The unit a person means by 我们单位: the one he heads, else the one he belongs to."""
    heads = [g.unit_id for g in me.grants if g.role == Role.UNIT_HEAD]
    return await uow.units.get(heads[0] if heads else me.unit_id)


#: The kind of unit at the end of its name: 岳村镇 is named 岳村 as often as in full.
_KIND_SUFFIXES = ("街道", "镇", "乡", "区", "县", "村", "社区")
#: Units read through on a miss, at most (a county's tree is far smaller).
_MAX_UNITS = 2000


def _sound(name: str) -> set[str]:
    """A unit's name as toneless pinyin, in full and without its kind and body's word."""
    stems = {name}
    for suffix in _BODY_SUFFIXES:
        stems |= {s.removesuffix(suffix) for s in list(stems)}
    for suffix in _KIND_SUFFIXES:
        stems |= {s.removesuffix(suffix) for s in list(stems)}
    keys = {"".join(ch for ch in "".join(lazy_pinyin(s)).lower() if ch.isalpha()) for s in stems}
    return {k for k in keys if len(k) >= 4}


async def sounding_like(uow: UnitOfWork, text: str, paths: Sequence[str]) -> list[Unit]:
    """Units within ``paths`` whose name sounds as ``text`` does (越村镇 or yuecun for 岳村镇):
    offered, never taken, when no unit is named so."""
    wanted = _sound(text.strip().replace(" ", ""))
    if not wanted or not paths:
        return []
    # One query for the whole scope (read on a miss only), not one per unit of the tree.
    return [u for u in await uow.units.within(paths, _MAX_UNITS) if wanted & _sound(u.name)]
