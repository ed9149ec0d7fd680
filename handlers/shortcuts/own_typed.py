"""Questions about one's own records and the unit's progress, asked in words rather than by
command: 我有没有被诫勉谈话, 我践诺报告交了没, 我考核是啥等次, 何静承诺了吗, 还有谁没交,
民主生活会哪天开.

Each is read as the command that answers it, which applies its own permissions (a cadre asking
何静承诺了吗 gets /unitpledges's refusal); one's own records are asked for with 我, so staff get
theirs, not everyone's in their scope. They had gone to the rule base, which answered with
rules about 诫勉谈话 or 民主生活会 instead of the asker's own records or dates. Whole messages
only: 诫勉谈话影响提拔吗 stays a question.
"""

from __future__ import annotations

import re

#: 我有没有被诫勉谈话 / 我被谈过话没 / 我被诫勉过吗 / 我挨过诫勉没: one's own talks.
_OWN_TALKS = re.compile(
    r"^我(?:有没有|有没|是不是)?(?:被|挨过|挨了)(?:诫勉谈话|诫勉|谈话|谈过话|约谈)(?:过)?(?:没有|没|吗)?(?:啊|呀)?$"
    r"|^我(?:有没有|有没|有)(?:诫勉谈话|诫勉|谈话记录)(?:吗|没有|没)?(?:啊|呀)?$"
)
#: 我有啥处分 / 我有几个案子 / 我受过处分吗: one's own handlings.
_OWN_CASES = re.compile(
    r"^我(?:有|有没有|受过|背过|挨过)(?:啥|什么|几个|哪些)?(?:处分|案子|案件|问责)(?:没有|没|吗)?$"
)
#: 我承诺交了没 / 我践诺报告交了没 / 我的年终报告交了吗: one's own pledge and reports.
_OWN_PLEDGE = re.compile(
    r"^我(?:的)?(?:承诺书?|践诺报告|践诺|年终报告|年中报告|年终践诺|年中践诺)"
    r"(?:交|做|写|报|提交)?(?:了)?(?:没有|没|吗)$"
    r"|^我(?:交|做|写|报|提交)(?:了|过)?(?:承诺书?|践诺报告)(?:了)?(?:没有|没|吗)$"
)
#: 我考核是啥等次 / 我的考核结果是什么 / 我考核得了啥: one's own assessment.
_OWN_ASSESSMENT = re.compile(
    r"^我(?:的)?(?:今年|去年)?(?:的)?(?:年度)?考核(?:是|结果是|得了|评了)?(?:啥|什么|哪个)?(?:等次|结果|等级)?(?:吗)?$"
)
#: 何静承诺了吗 / 何静的践诺报告交了没 / 高峰践诺了没: a head asking about someone of his unit.
#: The pledge's words are needed: 述职述廉交了吗 or 社保交了没 asks about other things.
_SOMEONE_HANDED_IN = re.compile(
    r"^(?P<name>[\u4e00-\u9fff]{2,4}?)(?:的)?(?:交|写|报|做|报告|提交)?"
    r"(?:(?:承诺书?|践诺报告|年终报告|年中报告|践诺)(?:交|写|报|做)?|承诺|践诺)"
    r"了(?:没有|没|吗)$"
    # 何静的承诺 / 高峰的践诺 / 看下何静承诺: the record itself.
    r"|^(?:看下|看看|看一下|查下|查一下|查看)?(?P<owner>[\u4e00-\u9fff]{2,4}?)的"
    r"(?:承诺书?|践诺报告|践诺情况|践诺|年终报告|年中报告)$"
    r"|^(?:看下|看看|看一下|查下|查一下|查看)(?P<viewed>[\u4e00-\u9fff]{2,4}?)的?"
    r"(?:承诺书?|践诺报告|践诺情况|践诺)$"
)
#: 还有谁没交 / 践诺报告都交了没 / 谁还没写承诺: who in the unit has not.
_WHO_HAS_NOT = re.compile(
    r"^(?:我们单位|本单位|单位里|我们|咱们|咱们单位)?(?:还有)?谁(?:还)?没(?:有)?(?:交|写|报|做|报告)(?:践诺|承诺)?(?:呢)?$"
    r"|^(?:承诺|承诺书|践诺报告|年终报告|年中报告)(?:都|大家都)?(?:交|写|做|报)齐?了(?:没有|没|吗)$"
    r"|^谁(?:还)?没(?:有)?写(?:承诺书?|践诺报告)$"
)
#: 民主生活会哪天开 / 教育月什么时候 / 闭卷测试几号考: the date the calendar holds.
_WHEN_EVENT = re.compile(
    r"^(?:今年|我们|我们单位|本单位)?(?:的)?(?:民主生活会|年终考核|教育月|警示教育月|闭卷测试|闭卷考试"
    r"|年初会议|年中会议|年初工作会|年中民主生活会|年终民主生活会|践诺报告|年终践诺报告|年中践诺报告"
    r"|年终践诺|年中践诺)"
    r"(?:是|定在|安排在)?(?:哪天|几号|什么时候|啥时候|哪一天|几月几号)"
    r"(?:开|召开|考|举行|开始|截止|交|报|结束)?"
    r"(?:啊|呀|呢)?$"
    # 啥时候开民主生活会 / 什么时候考闭卷测试: the time first.
    r"|^(?:今年|我们|我们单位|本单位)?(?:哪天|几号|什么时候|啥时候|哪一天)"
    r"(?:开|召开|考|举行|交)(?:今年的?)?(?:民主生活会|年初会议|年中会议|闭卷测试|闭卷考试)(?:啊|呀|呢)?$"
)
#: The same in English.
_ENGLISH = {
    "my warning talks": "/talks 我",
    "my warning talk": "/talks 我",
    "did i hand in my report": "/mypledge",
    "did i submit my report": "/mypledge",
    "did i hand in my check-in": "/mypledge",
    "did i make my pledge": "/mypledge",
    "when is the democratic life meeting": "/calendar",
    "when is the test": "/calendar",
    "when is the education month": "/calendar",
}

#: Words that make the "name" of _SOMEONE_HANDED_IN a thing, not a person (红包交了没).
_NOT_NAMES: tuple[str, ...] = ("红包", "礼金", "礼品", "礼物", "现金", "卡", "材料", "报告", "作业")
_NOT_NAMES += ("党费", "表格", "钱", "款", "税")
# Handing a thing over, not a person's report.
_NOT_NAMES += ("上交", "提交", "移交", "递交", "转交")


def _names_a_thing(name: str) -> bool:
    """Whether the "name" before 交了没 is a thing handed over, not a person."""
    return any(word in name for word in _NOT_NAMES)


def own_records_request(key: str) -> str | None:
    """The command a question about one's records or the unit's progress stands for
    (``key`` normalised as the typed shortcuts are), or None."""
    key = key.strip().rstrip("？?")
    if key in _ENGLISH:
        return _ENGLISH[key]
    for pattern, command in (
        # 我: one's own, for staff too (their lists hold everyone in their scope).
        (_OWN_TALKS, "/talks 我"),
        (_OWN_CASES, "/cases 我"),
        (_OWN_PLEDGE, "/mypledge"),
        (_OWN_ASSESSMENT, "/assessments 我"),
        (_WHO_HAS_NOT, "/unitpledges"),
        (_WHEN_EVENT, "/calendar"),
    ):
        if pattern.match(key):
            return command
    someone = _SOMEONE_HANDED_IN.match(key)
    name = (someone["name"] or someone["owner"] or someone["viewed"]) if someone else ""
    kinds = ("党员", "干部", "领导", "人员", "公务员", "单位", "班子", "同志")
    # 看下我的承诺 / 看一下廉洁承诺: a look verb or the pledge's own words, not a person.
    not_names = ("看", "查", "廉洁", "廉政", "年度", "今年", "去年", "明年", "个人", "自己")
    if name.endswith(kinds) or name.startswith(not_names):
        return None  # 党员的承诺 / 领导干部的承诺: about the rules for them, not a person
    if name and not name.startswith(("我", "谁", "大家", "都")) and not _names_a_thing(name):
        return f"/unitpledges {name}"
    return None
