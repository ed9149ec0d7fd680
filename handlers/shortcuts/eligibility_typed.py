"""我能提拔吗 / 高峰能评先吗 / 岳村镇谁能评先进 typed: ``/eligible`` for oneself, a person or
a unit the asker may look up.

A name the asker may not look up reveals nothing: when the rule base has no answer for the
message either, the asker is told, as /eligible would, that no such person is within the
scope (a unit head asking about another unit's cadre had got the rule base's "not
covered" decline, as if the question were about a rule).
"""

from __future__ import annotations

import re

from handlers.core.context import Ctx
from handlers.core.domain import Role
from handlers.core.typed_words import self_word
from handlers.qa import rule_base_declines
from handlers.records.domain import READ_ROLES

#: 我能提拔吗 / 高峰今年能不能评先 / 何静2025年能评先吗 — whether someone may be promoted or
#: rated advanced (the year, if typed, is the rating year /eligible takes).
_ELIGIBLE = re.compile(
    r"^(?P<who>[^\s，,？?\d]{1,8}?)\s*(?P<when>今年|明年|去年|前年|\d{4}年?)?(?:度)?\s*"
    r"(?:年度考核|考核)?(?:时|的时候)?\s*"
    r"(?:现在|目前|啥时候|什么时候|何时|哪天|多久)?(?:才)?(?:能不能|可不可以|能否|可否|可以|能)"
    r"(?:被)?(?:提拔|提任|晋升|评先进|评先评优|评先|评优秀|评优|评为先进|评为优秀|评上优秀|评上先进|提)"
    r"(?:吗|么|嘛|不)?[？?]?$"
)
#: can i be promoted / can he jing be rated advanced
_ELIGIBLE_EN = re.compile(
    r"^(?:can|may|could)\s+(?P<who>i|[a-z\u4e00-\u9fff]+(?:\s[a-z]+)?)\s+(?:still\s+)?be\s+"
    r"(?:promoted|rated\s+advanced|rated\s+excellent|commended)(?:\s+(?P<when>this year|last year))?\s*\??$"
)
_EN_YEARS = {"this year": "今年", "last year": "去年"}
#: 岳村镇谁能评先进 / 今年哪些人可以提拔 / 我们单位有谁能评优 — a whole unit (/eligible UNIT);
#: without a unit, the asker's own (the unit headed, else the staff scope's top unit).
_ELIGIBLE_UNIT = re.compile(
    r"^(?P<unit>[^\s，,？?\d]{0,16}?)\s*(?P<when>今年|去年|前年|\d{4}年?)?(?:度)?\s*"
    r"(?:里|内|中)?(?:有)?(?:谁|哪些人|哪几个人|哪些同志|哪些干部|哪几位)(?:现在|目前)?"
    r"(?:能|可以|能够|可|不能|不可以)(?:被)?"
    r"(?:提拔|提任|晋升|评先进|评先评优|评先|评优秀|评优|评为先进|评为优秀)"
    r"(?:吗|呢|么)?[？?]?$"
)
#: Words for "my own unit" before the question (我们单位谁能评先进).
_OWN_UNIT = frozenset({"", "我们单位", "我单位", "本单位", "单位", "我们", "咱们单位", "咱单位"})


async def eligibility_question(ctx: Ctx, key: str) -> str | None:
    """``/eligible`` for 我能提拔吗 (oneself) or 高峰能评先吗 when 高峰 is a person the asker
    may look up; None otherwise (a general question stays with the rule base, and a name
    outside the asker's scope reveals nothing)."""
    unit_question = _ELIGIBLE_UNIT.match(key)
    if unit_question is not None:
        return await _unit_eligibility(ctx, unit_question["unit"], unit_question["when"] or "")
    m = _ELIGIBLE.match(key) or _ELIGIBLE_EN.match(key)
    if m is None:
        return None
    who = m["who"]
    when = m["when"] or ""
    when = _EN_YEARS.get(when, when)
    if who == "i" or self_word(who) or who == ctx.me.name:
        return f"/eligible {when}".strip()
    if len(who) < 2:  # one character (他, 王) would match half the staff list
        return None
    # Whom the asker may check: an inspector's or administrator's subtrees, and a unit
    # principal's own unit (/eligible itself then applies the exact rule).
    heads = tuple(g.unit_path for g in ctx.me.grants if g.role == Role.UNIT_HEAD)
    paths = (*ctx.me.scope_paths(*READ_ROLES), *heads)
    if paths and await ctx.uow.people.find(who, paths):
        return f"/eligible {who} {when}".strip()
    if _looks_like_a_name(who) and await rule_base_declines(ctx, key):
        # /eligible then says no such person is within the scope: the same words whether
        # the person exists elsewhere or not.
        return f"/eligible {who} {when}".strip()
    return None


#: A person's name: two to four Chinese characters (高峰, 欧阳明), or two Latin words.
_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}|[a-z]+ [a-z]+")
#: Words for a kind of person (受处分的干部能提拔吗 asks a rule, not about someone).
_KIND_OF_PERSON = re.compile(
    r"党员|干部|公务员|人员|领导|同志|职工|员工|officials?|cadres?|书记|主任|局长|科长|处长|县长|镇长"
    r"|乡长|村官|支书|委员|被|受|的|过|了|人|者|们|谁|他|她|我|你|这|那"
)


def _looks_like_a_name(who: str) -> bool:
    """Whether ``who`` reads as a person's name rather than a kind of person."""
    return bool(_NAME.fullmatch(who)) and _KIND_OF_PERSON.search(who) is None


async def _unit_eligibility(ctx: Ctx, unit: str, when: str) -> str | None:
    """``/eligible UNIT`` for a whole unit named (or the asker's own); None when the asker
    may list none (the message then stays a question for the rule base)."""
    heads = [g for g in ctx.me.grants if g.role == Role.UNIT_HEAD]
    staff = ctx.me.scope_paths(*READ_ROLES)
    if unit in _OWN_UNIT:
        own = heads[0].unit_id if heads else None
        if own is None and len(staff) == 1:
            top = [g.unit_id for g in ctx.me.grants if g.role in READ_ROLES]
            own = top[0] if len(set(top)) == 1 else None
        found = await ctx.uow.units.get(own) if own is not None else None
        return f"/eligible {found.code} {when}".strip() if found else None
    paths = (*staff, *(g.unit_path for g in heads))
    # A unit outside the asker's scope still runs /eligible, which says it is not theirs to
    # list (the rule base had declined it as an unknown question).
    if paths and await ctx.uow.units.find(unit, ("/",)):
        return f"/eligible {unit} {when}".strip()
    return None
