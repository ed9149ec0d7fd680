"""Record requests typed in words: 给岳村镇发个整改通知, 给高峰记个诫勉谈话, 岳村镇的诫勉谈话,
逾期的整改通知, 还有哪些案件没办结.

Inspectors ask for a record form or a list the way they would ask a colleague. Each request
is read as the command it stands for, with the unit or person it names as the argument, so
the command applies its own lookups and permissions (a cadre asking for 岳村镇的诫勉谈话 is
refused as /talks 岳村镇 would be). Whole messages only: 整改通知书由谁发 or 诫勉谈话影响
提拔吗 stay questions for the rule base (they hold no verb of making or listing, or end as a
question).
"""

from __future__ import annotations

import re

_NAME = r"[\u4e00-\u9fff]{2,12}?"
#: Words a request may start with: 请 / 帮我, and 再 / 顺便 / 另外 when it follows another.
_LEAD = r"^(?:再|顺便|另外|还要|然后|顺手)?(?:请|帮我|麻烦)?(?:再)?"
#: Words after the request: a deadline (月底前) goes to the form, which reads it at its step;
#: any other tail (要盖章吗, 程序) makes the message a question for the rule base.
_TAIL = r"(?:\s*(?:吧|一下|下(?![周个月旬])))?(?:[，,\s]*(?P<deadline>[\d０-９一二三四五六七八九十两月号日周天底前内下个本明年今末春节元旦国庆之以]{1,12}))?$"

#: 给岳村镇发个整改通知 (月底前) / 发个整改通知 / 下一份限期整改通知书: the notice form. The unit
#: comes after 给/向/对 only: 未及时下发整改通知, a problem typed into a form, is no request.
#: 发整改通知给岳村镇 names it after.
_NEW_NOTICE = re.compile(
    rf"{_LEAD}(?:(?:给|向|对)(?P<unit>{_NAME}))?(?:发|下|下发|开|出)(?:个|一个|一份|张|一张)?"
    rf"(?:限期)?(?P<what>整改)?通知(?:书|单)?(?:给(?P<after>{_NAME}))?{_TAIL}"
)
#: 立个案 / 立案 / 新建个案件: the case form.
_NEW_CASE = re.compile(
    rf"{_LEAD}(?:(?:立|新立)(?:个|一个|一起)(?:案|案件)|(?:新建|登记)(?:个|一个)?(?:案件|问责案件))"
    r"(?:吧)?$"
)  # 立案 alone asks about 立案: the rule base answers it
#: 给高峰记个诫勉谈话 / 记个谈话 高峰: the talk form, with the person when named.
#: A day after it (给高峰记个诫勉谈话，昨天谈的) goes to the form's date step.
_DAY_CHARS = r"[\d０-９一二三四五六七八九十两年月号日周天上个本今昨前去星期]{2,10}?"
_TALK_DAY = rf"(?:[，,\s]+(?P<day>{_DAY_CHARS})(?:谈的|谈了|找他谈的|找她谈的)?)?"
_NEW_TALK = re.compile(
    rf"{_LEAD}(?:(?:给|对|和|跟)(?P<person>{_NAME}))?(?:记|录|登记|录入|补录)(?:个|一个|一次|一下|下)?"
    rf"(?:(?P<owner>{_NAME})的)?(?:诫勉谈话|诫勉|谈话)(?:\s*(?P<after>[\u4e00-\u9fff]{{2,12}}))?{_TALK_DAY}$"
)
#: 4号案件 / 案件#4 / 查看通知书#1 / 打开谈话3: one record by its number.
_RECORD_KINDS = {
    "案件": "/case",
    "问责案件": "/case",
    "整改通知书": "/notice",
    "整改通知": "/notice",
    "通知书": "/notice",
    "诫勉谈话": "/talk",
    "谈话": "/talk",
    "谈话记录": "/talk",
    "考核结果": "/assess",
}
_RECORD_KIND_WORDS = "|".join(sorted(_RECORD_KINDS, key=len, reverse=True))
_OPEN_RECORD = re.compile(
    rf"^(?:查看|看看|看下|看一下|打开|调出)?(?:第?(?P<before>\d{{1,6}})号(?P<kind_after>{_RECORD_KIND_WORDS})"
    rf"|(?P<kind>{_RECORD_KIND_WORDS})\s*(?:[#＃]|第|编号)?\s*(?P<n>\d{{1,6}})号?)$"
)
#: The list words of each kind, and the command that lists it.
_KINDS = {
    "诫勉谈话": "/talks",
    "谈话记录": "/talks",
    "整改通知": "/notices",
    "整改通知书": "/notices",
    "限期整改通知书": "/notices",
    "案件": "/cases",
    "问责案件": "/cases",
    "责任追究案件": "/cases",
    "考核结果": "/assessments",
    "谈话": "/talks",
    "整改通知书列表": "/notices",
}
#: Status words before a kind (逾期的整改通知, 没办结的案件) as the lists' filter reads them.
_STATUS_BEFORE = (
    r"(?P<status>逾期|过期|没整改完|未整改|待整改|已整改|办理中|没办结|未办结|已办结|待回访|已回访)"
)
_STATUS_WORDS = _STATUS_BEFORE.replace("(?P<status>", "(?:")
_KIND_WORDS = "|".join(sorted(_KINDS, key=len, reverse=True))
#: A year or part of one typed with a list (岳村镇上半年的诫勉谈话, 今年逾期的整改通知): the list
#: reads a year itself and says that it takes no part of one.
_WHEN = (
    r"(?:今年|去年|前年|\d{4}年度?|\d{4})?(?:上半年|下半年|第?[一二三四1-4]季度)"
    r"|今年|去年|前年|\d{4}年度?|本月|这个月|上个?月"
)
#: 岳村镇的诫勉谈话 / 逾期的整改通知 / 看看岳村镇的案件: a list, filtered by unit or status. The
#: unit needs its 的: without it, 违规收受礼金案件 (a case's title typed into a form) would
#: read as a list request, and the form would refuse it as a feature's name.
_LIST = re.compile(
    rf"^(?:帮我|请|麻烦)?(?:看看|看下|看一下|查查|查下|查一下|查看|列出|列一下)?"
    # 去年岳村镇的整改通知: the year first (not before a status: 今年逾期的整改通知).
    rf"(?:(?P<first>{_WHEN})的?(?!{_STATUS_WORDS})(?=[\u4e00-\u9fff]{{2,12}}?的))?"
    rf"(?:(?!{_WHEN})(?P<unit>{_NAME})(?=的|{_WHEN})的?)?(?:(?P<when>{_WHEN})的?)?"
    rf"(?:{_STATUS_BEFORE}的?)?(?P<kind>{_KIND_WORDS})(?P<listed>有哪些|列表|清单|名单)?"
    rf"(?:\s*(?P<status_after>逾期|过期|待整改|已整改|办理中|已办结|待回访|已回访))?[？?]?$"
)
#: 还有哪些案件没办结 / 哪些整改通知逾期了: a list by status, asked as "which … are …".
_WHICH = re.compile(
    rf"^(?:还有)?哪些(?P<kind>{_KIND_WORDS})(?:还)?(?P<status>没办结|没整改完|逾期|过期|没回访)(?:了|的)?[？?吗]?$"
)


#: Words that make the "unit" or "person" part a question (什么情况下发整改通知, 什么是诫勉谈话).
_ASKING: tuple[str, ...] = ("什么", "怎么", "怎样", "如何", "哪些", "哪个", "为什么", "是否")
_ASKING += ("能不能", "可以", "要不要", "应该", "是不是", "会不会", "谁", "啥", "咋")


#: Words after a request that ask about its rules, not name whom it is for.
_ABOUT_RULES = ("需要", "要求", "时限", "手续", "程序", "规定", "流程", "标准", "期限", "注意")

#: Kinds of people, not a unit or a person.
_PEOPLE_KINDS = ("干部", "党员", "领导", "人员", "公务员", "职工", "同志", "书记", "主任")


#: Addressees that are no unit (给大家发个通知 is a circular).
_EVERYONE = frozenset({"大家", "大伙", "各单位", "全体", "所有人", "他们", "我们", "群里", "全员"})


def _named(text: str | None) -> str | None:
    """``text`` when it can be a unit's or person's name, "" when absent, None when it
    makes the message a question instead."""
    if not text:
        return ""
    if text.endswith(("是", "叫")) or any(w in text for w in _ASKING):
        return None
    if text.startswith("的") or any(w in text for w in _ABOUT_RULES):
        return None  # 记一下诫勉谈话的要求, 给高峰记个诫勉谈话需要什么手续: questions
    if text.endswith(_PEOPLE_KINDS):
        return None  # 村干部的诫勉谈话: a kind of people, asking about the rules for them
    return text


def records_request(key: str) -> str | None:
    """The command a record request typed in words stands for (``key`` normalised as the
    typed shortcuts are), or None for anything else."""
    key = key.strip()
    opened = _OPEN_RECORD.match(key)
    if opened is not None:
        kind = opened["kind"] or opened["kind_after"]
        return f"{_RECORD_KINDS[kind]} #{opened['n'] or opened['before']}"
    return new_record_request(key) or _list_request(key)


def new_record_request(key: str) -> str | None:
    """The form command a request for a new record stands for (给岳村镇发个整改通知 月底前 →
    ``/notice 岳村镇 月底前``), or None. Never a field's value: a form refuses it."""
    key = key.strip()
    if _NEW_CASE.match(key):
        return "/case"
    m = _NEW_NOTICE.match(key)
    # 给区政府办发个通知: a notice sent to a unit is the rectification notice this assistant
    # keeps; 发个通知 with no unit may be any notice.
    if m is not None and (m["what"] or m["unit"] or m["after"]):
        unit = _named(m["unit"] or m["after"])
        if not m["what"] and unit in _EVERYONE:
            return None  # 给大家发个通知: a circular, not a rectification notice
        parts = ("/notice", unit, m["deadline"])
        return None if unit is None else " ".join(w for w in parts if w)
    m = _NEW_TALK.match(key)
    if m is not None:
        after = m["after"]
        if after and not re.fullmatch(_DAY_CHARS, after) and _named(after) is None:
            return None  # 给高峰记个诫勉谈话需要什么手续: a question about the talk
        person = _named(m["person"] or m["owner"] or after)
        day = m["day"]
        if m["after"] and (m["person"] or m["owner"]) and re.fullmatch(_DAY_CHARS, m["after"]):
            day = m["after"]  # 给高峰记个诫勉谈话 上周五: the word after is the day
        parts = ("/talk", person, day if person else None)
        return None if person is None else " ".join(w for w in parts if w)
    return None


def _list_request(key: str) -> str | None:
    """The list command 岳村镇的诫勉谈话 or 还有哪些案件没办结 stands for, or None."""
    m = _LIST.match(key) or _WHICH.match(key)
    named = _named(m.groupdict().get("unit")) if m is not None else None
    if m is None or named is None:
        return None
    # The status as typed: the lists read the words staff use (handlers.records.lists).
    groups = m.groupdict()
    status = groups.get("status") or groups.get("status_after") or ""
    when = groups.get("when") or groups.get("first") or ""
    parts = (_KINDS[m["kind"]], named, when, status)
    command = " ".join(w for w in parts if w)
    # The kind's name alone (诫勉谈话, 案件) is a subject for the rule base, not a list.
    asked = groups.get("listed") or key.startswith(("看", "查", "列", "帮我", "请", "麻烦"))
    return command if " " in command or asked else None
