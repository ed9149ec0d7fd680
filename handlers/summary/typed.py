"""A request for figures typed in words: 统计一下今年的情况, 岳村镇上季度的数据, 导出去年的报表,
"this year's figures". Read as ``/summary`` (or ``/export``) with the unit and period named,
so the command reads them itself and applies its own permissions.

It needs a period and either a verb (统计一下, 导出) or a word for the figures (数据, 情况,
报表): 今年 alone, 岳村镇 alone, 今年的考核情况怎么样 or 统计造假怎么处分 are not requests and
stay with the rule base. The period names are :mod:`handlers.summary.period`'s own.
"""

from __future__ import annotations

import re

from handlers.summary.period import RELATIVE_NAMES


def _names(english: bool) -> str:
    """The relative period names of one language as one alternation, longest first (so 上个季度
    is not read as 上个 + 季度)."""
    names = [n for n in RELATIVE_NAMES if n.isascii() == english]
    return "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))


#: A period inside a sentence: a relative name, a year, a quarter or a month.
_PERIOD = (
    # Longer wordings first (去年上半年, not 去年 then 上半年): parse_period reads them all.
    r"(?:今年|去年|前年|\d{4}年?)?的?(?:上半年|下半年)"
    r"|(?:今年|去年|前年)(?:\d{1,2}月份?|第?[一二三四1-4]季度|[qQ][1-4])"
    r"|(?:今年|去年)?前[一二两三1-3]个?季度|(?:今年)?年初(?:至今|到现在|以来)|\d{1,2}月\d{1,2}[日号]?至今"
    r"|\d{4}年(?:度|全年)|前年|(?:最)?近[一二两三四五六七八九十\d]{1,3}个?(?:月|天|周)|"
    + _names(english=False)
    + r"|\d{4}年?(?:第?[一二三四1-4]季度|[qQ][1-4]|\d{1,2}月份?)?|第?[一二三四1-4]季度|\d{1,2}月份?"
)
#: A verb or a word for the figures, a period, and between them perhaps a unit. Both ends are
#: anchored and the figures' word must close the message.
_REQUEST = re.compile(
    r"^(?:请|帮我|给我|麻烦)?"
    r"(?P<verb>统计下|统计|汇总下|汇总|看一下|看看|看下|查一下|查下|查看|查查|查询|导出|下载)?"
    r"(?:一下)?(?P<unit>[\u4e00-\u9fff]{2,12}?)?的?"
    rf"(?P<period>{_PERIOD})(?:的|以来的?)?"
    r"(?P<what>统计数据|统计情况|汇总数据|汇总情况|统计表|汇总表|统计图|图表|统计|汇总|数据|情况|报表|表格|表|excel)?"
    r"(?:怎么样|咋样|如何)?(?:吧|呢|吗|啊)?$"
)
#: The same in English: the period alone (unit names are Chinese).
_REQUEST_EN = re.compile(
    r"^(?:please\s+)?(?P<verb>show(?:\s+me)?|get|see|export|download)?\s*(?:the\s+)?"
    rf"(?P<period>{_names(english=True)})(?:'s|’s|s)?\s+"
    r"(?P<what>summary|figures|stats|statistics|numbers|report|spreadsheet|chart)\s*(?:please)?$"
)
#: The same with the period last: "summary for this month", "figures of last year".
_REQUEST_EN_AFTER = re.compile(
    r"^(?:please\s+)?(?P<verb>show(?:\s+me)?|get|see|export|download)?\s*(?:the\s+)?"
    r"(?P<what>summary|figures|stats|statistics|numbers|report|spreadsheet|chart)\s+(?:for|of)\s+"
    rf"(?:the\s+)?(?P<period>{_names(english=True)})\s*(?:please)?$"
)
#: Words for "the asker's own scope" rather than a unit's name: /summary's default.
_OWN_SCOPE = frozenset(
    {"我们", "我们单位", "本单位", "单位", "全区", "全县", "全市", "全局", "局里"}
)
#: The same words after the period (今年全县情况, 本月全区的数据), dropped before matching.
_OWN_SCOPE_AFTER = re.compile(
    rf"(?<=[年月度期天周季])(?:{'|'.join(sorted(_OWN_SCOPE, key=len, reverse=True))})的?"
)
#: A spreadsheet or a chart asked for with no period (导出表格, 导出一下, 下载统计表, 出个图表):
#: the command's own default period (this year).
_BARE_EXPORT = re.compile(
    r"^(?:请|帮我|给我|麻烦)?(?:导出|下载|导)(?:一下|下)?(?:个|一个|一份)?"
    r"(?:统计表|汇总表|报表|表格|数据|统计数据|excel|表)?(?:吧|呗)?$"
    r"|^(?:请|帮我|给我|麻烦)?(?:下载|要|出)(?:一下|下)?(?:个|一个|一份)(?:统计表|汇总表|报表|表格)$"
    r"|^(?:export|download)(?: the)?(?: spreadsheet| excel| figures| data)?(?: please)?$"
)
_BARE_CHART = re.compile(
    r"^(?:请|帮我|给我|麻烦)?(?:出|画|做|生成|看看?)(?:一下|下)?(?:个|一个|张|一张)?"
    r"(?:统计图表|统计图|图表|柱状图|条形图|图)$"
    r"|^(?:show|draw|make)?(?: me)?(?: a| the)? chart(?: please)?$"
)
#: A chart of a unit, perhaps of a year: 岳村镇的图表, 出个岳村镇的图表, 2025年岳村镇的统计图,
#: 来张统计图 (the command's own default period: this year).
_UNIT_CHART = re.compile(
    r"^(?:请|帮我|给我|麻烦)?(?:出|画|做|生成|看看|看一下|看下|看|来)?(?:一下|下)?(?:个|一个|张|一张)?"
    r"(?:(?P<year>\d{4})年?度?的?|(?P<when>今年|去年)的?)?(?:(?!统计)(?P<unit>[\u4e00-\u9fff]{2,12}?)的?)?"
    r"(?:统计图表|统计图|图表|柱状图|条形图)$"
)
#: The asker's own scope's figures with no period (看看全区情况, 看下我们单位的数据): this year.
_OWN_FIGURES = re.compile(
    r"^(?:请|帮我|给我|麻烦)?(?:看看|看下|看一下|查看|查下|统计下|汇总下)"
    rf"(?:{'|'.join(sorted(_OWN_SCOPE, key=len, reverse=True))})的?"
    r"(?P<what>情况|数据|统计数据|汇总数据|统计|报表)$"
)
#: What asks for the chart rather than the summary on screen.
_CHART = frozenset({"统计图", "图表", "chart"})
#: What asks for a spreadsheet rather than the summary on screen.
_EXPORT = frozenset(
    {"导出", "下载", "统计表", "汇总表", "报表", "表格", "表", "excel"}
    | {"export", "download", "report", "spreadsheet"}
)


def figures_request(key: str) -> str | None:
    """``/summary [unit] period`` or ``/export [unit] period`` for a request for figures
    typed in words (``key`` normalised as the typed shortcuts are), None for anything else."""
    if _BARE_EXPORT.match(key):
        return "/export"
    if _BARE_CHART.match(key):
        return "/chart"
    m = _REQUEST.match(key) or _REQUEST_EN.match(key) or _REQUEST_EN_AFTER.match(key)
    if m is None and re.search(r"[\u4e00-\u9fff]", key):
        m = _REQUEST.match(re.sub(r"\s+", "", key))  # 岳村镇 上季度 数据, typed with spaces
    if m is None:
        # 看看今年全县情况: the own scope named after the period (it is /summary's default).
        m = _REQUEST.match(_OWN_SCOPE_AFTER.sub("", re.sub(r"\s+", "", key), count=1))
    if m is None and (chart := _UNIT_CHART.match(key)) is not None:
        unit = chart["unit"] if chart["unit"] not in _OWN_SCOPE else None
        return " ".join(w for w in ("/chart", unit, chart["year"] or chart["when"]) if w)
    if m is None and (own := _OWN_FIGURES.match(key)) is not None:
        return "/export" if own["what"] in _EXPORT else "/summary"
    if m is None or not (m["verb"] or m["what"]):
        return None
    unit = m.groupdict().get("unit") or ""
    period = m["period"]
    if unit in _OWN_SCOPE:
        unit = ""
    elif unit in ("今年", "去年", "前年"):
        unit, period = "", unit + period  # 导出去年下半年的报表: the year is the period's
    if m["verb"] in _EXPORT or m["what"] in _EXPORT:
        command = "/export"
    else:
        command = "/chart" if m["what"] in _CHART else "/summary"
    return " ".join(w for w in (command, unit, period) if w)
