"""Whole typed messages the core itself understands: the words that leave an open form, and
those that confirm one on its review screen.

Other typed shortcuts (收到, 日历, 我能提拔吗 …) belong to the capabilities they stand for
and reach the core as shortcut handlers of the routers (:mod:`handlers.shortcuts`).
"""

from __future__ import annotations

import re
import unicodedata

#: Leaving an open form by saying so.
CANCEL_WORDS = frozenset(
    {
        "取消", "取消了", "不填了", "不录了", "不写了", "不要了", "算了", "退出", "不弄了",
        "不搞了", "不做了", "不办了", "撤销", "放弃", "cancel", "quit",
    }
)  # fmt: skip

#: Going back one step by saying so, as the ◀ Back button does (its label typed out).
BACK_WORDS = frozenset({"上一步", "返回", "后退", "返回上一步", "back", "go back"})

#: Confirming a form on its review screen by typing instead of pressing ✅ (people on phones
#: often do). Only on the review screen, where the summary to confirm is on display.
CONFIRM_WORDS = frozenset(
    {
        "确认",
        "确定",
        "确认无误",
        "无误",
        "没问题",
        "提交",
        "保存",
        "好",
        "好的",
        "可以",
        "ok",
        "yes",
        "y",
        "confirm",
    }
)

#: Ending a list typed item by item (a pledge's items) by saying so, as the Done button does.
LIST_DONE_WORDS = frozenset(
    {
        "完成",
        "已完成",
        "完成了",
        "好了",
        "写完了",
        "就这些",
        "就这些了",
        "没有了",
        "完毕",
        "结束",
        "done",
        "finish",
        "finished",
    }
)

#: A plain yes, and a plain no: answers to a yes/no question (handlers.core.yes_no), never a
#: field's value.
ASSENT_WORDS = frozenset({"是", "是的", "对", "对的", "嗯", "嗯嗯", "行", "yes", "ok"})
REFUSAL_WORDS = frozenset({"否", "不", "不是", "不用", "不用了", "no", "nope"})
#: Yes, no and murmurs said in passing (嗯, 不用, 哦): never a field's value.
FILLER_WORDS = (
    ASSENT_WORDS | REFUSAL_WORDS | frozenset({"哦", "噢", "啊", "呃", "没事", "yep", "uh"})
)

#: Words for oneself where a person is named (/eligible 我, a talk held by "me").
SELF_WORDS = frozenset({"我", "本人", "自己", "我自己", "me", "myself"})

_CLOSING = " \t\r\n。！!.,，~～…"


def normalise(text: str) -> str:
    """The message as a shortcut key: trimmed, closing punctuation and the marks of a
    button's label (✅ 确认, 📥 导出表格, 完成 ✔) dropped, ASCII lowered."""
    return _strip_marks(text.strip().strip(_CLOSING)).strip(_CLOSING).strip().lower()


def label_key(text: str) -> str:
    """A button's label, or a message typed for it, as compared: letters and digits only,
    full-width forms folded, lowered (📈 图表 and 图表 match; so do ✓ 关闭 and 关闭,
    更正承诺。 and 更正承诺)."""
    kept = (ch for ch in unicodedata.normalize("NFKC", text) if ch.isalnum())
    return "".join(kept).lower()


def _strip_marks(text: str) -> str:
    """``text`` without the symbols (emoji, ✓, ◀) and emoji modifiers at its ends."""
    start, end = 0, len(text)
    while start < end and _a_mark(text[start]):
        start += 1
    while end > start and _a_mark(text[end - 1]):
        end -= 1
    return text[start:end]


def _a_mark(ch: str) -> bool:
    return ch.isspace() or unicodedata.category(ch) in ("So", "Sk", "Mn", "Cf")


def cancel_word(text: str) -> bool:
    """True when the whole message asks to leave the open form."""
    return normalise(text) in CANCEL_WORDS


def done_word(text: str) -> bool:
    """True when the whole message ends a list, as the Done button does."""
    return normalise(text).rstrip("✔✓ ") in LIST_DONE_WORDS


def back_word(text: str) -> bool:
    """True when the whole message asks to go back one step in the open form."""
    return normalise(text).lstrip("◀ ") in BACK_WORDS


def filler_word(text: str) -> bool:
    """True when the whole message is a yes, a no or a murmur of assent (嗯, 不用)."""
    return normalise(text) in FILLER_WORDS


#: Courtesies and murmurs that say nothing on their own (好的谢谢, ok thanks, 收到啦).
_COURTESIES = re.compile(
    r"好的|好|谢谢|多谢|感谢|收到|嗯|哦|噢|行|可以|明白|知道了|了|啦|呀|哈|吧"
    r"|thank you|thanks|thx|okay|ok|sure|fine",
    re.IGNORECASE,
)


def only_courtesy(text: str) -> bool:
    """True when the message holds nothing but courtesies, murmurs and punctuation
    (好的谢谢, ok thanks): never a pledge item, an explanation or a record's text."""
    rest = _COURTESIES.sub("", text)
    return bool(text.strip()) and not any(ch.isalnum() for ch in rest)


#: Letter rows of a keyboard: a run along one (asdf, qwerty, jkl) is typed to get past a step.
_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
#: Stand-ins for text still to be written.
_PLACEHOLDERS = frozenset(
    {"test", "testing", "tst", "idk", "dunno", "blah", "abc", "xyz", "lol", "haha"}
    | {"测试", "测试一下", "试试", "试一下", "随便", "随便写", "随便写写", "不知道", "哈哈"}
    # Pointing elsewhere or leaving it for later (同上 as a talk's place, 待定 as who held
    # it): a record keeps what was said or done, not a pointer to it.
    | {"同上", "同前", "如上", "见上", "见上文", "见上文所述", "上述", "同上所述", "略", "待定"}
    | {"待补充", "后补", "以后补", "暂缺", "暂无信息", "tbd", "tba", "ditto"}
    # Putting it off (明天再说 as a pledge item, thirty-sixth session's role walk): the
    # form stays open until the real answer is typed.
    | {"明天再说", "回头再说", "以后再说", "晚点再说", "过两天再说", "再说吧", "再说"}
    | {"回头再补", "回头补", "明天再补", "稍后再填", "回头再填", "以后再填", "先空着", "先这样吧"}
    | {"暂时不填", "later", "tomorrow", "will add later", "fill in later"}
)
#: Text that points at a file or a report instead of saying it (参见附件2, 详见调查报告, 详见谈话笔录,
#: 附件稍后补交, 见上文): a record keeps what the file says, typed, or the file itself.
_POINTS_ELSEWHERE = re.compile(
    r"^(?:内容|具体内容|详情|情况)?(?:请|详|具体|参|另|如)?(?:见|看|参见|参看|详见)"
    r"(?:附件|附图|图片|照片|截图|文件|材料|报告|调查报告|谈话笔录|笔录|谈话记录"
    r"|上文|上述|下文|前文|后文)\d*(?:所述|内容)?$"
    r"|^(?:附件|照片|图片|材料|证明材料|佐证材料|文件)?\d*(?:稍后|以后|随后|另行|后面)?"
    r"(?:补交|补充|补发|再发|后补|另附|再交)(?:附件|照片|图片|材料)?$"
    r"|^如上所述$"
    r"|^(?:see|refer to) (?:the )?(?:attachment|attached|file|report|above|below)s?(?: ?\d+)?$"
)
#: The same said in several English words.
_PLACEHOLDER_PHRASES = frozenset(
    {"same as above", "see above", "as above", "to be added", "will add later", "fill in later"}
)


def _stand_in(part: str) -> bool:
    """A placeholder or pointer, alone or said twice over (同上同上)."""
    for unit in ("同上", "略", "待定"):
        if part == unit * max(1, len(part) // len(unit)):
            return True
    return part in _PLACEHOLDERS or _POINTS_ELSEWHERE.match(part) is not None


def _mashed(word: str) -> bool:
    """One Latin word that is no word: a stand-in, a keyboard run, or no vowel at all."""
    if word in _PLACEHOLDERS:
        return True
    if not (word.isascii() and word.isalpha()) or len(word) < 3:
        return False
    on_a_row = any(word in row or word in row[::-1] for row in _KEYBOARD_ROWS)
    return on_a_row or not set(word) & set("aeiouy")


def says_nothing(text: str) -> bool:
    """True when the message holds no content a record could keep: courtesies alone (好的谢谢),
    one character repeated (xxxx, 啊啊啊啊), keyboard runs or stand-ins (asdf, qwerty, test,
    测试). Such text had been stored as pledge items and check-in explanations."""
    if only_courtesy(text):
        return True
    key = normalise(text)
    if key in _PLACEHOLDER_PHRASES or key == "n/a" or _POINTS_ELSEWHERE.match(key):
        return True  # the English ones hold spaces, which part stand-ins below
    # A stand-in or pointer, alone (同上。: normalising drops the closing stop) or run
    # together with others (同上同上, 同上，略): nothing else is said.
    parts = [p for p in re.split(r"[，,、。；;.\s]+", key) if p]
    if parts and all(_stand_in(p) for p in parts):
        return True
    compact = "".join(ch for ch in key if ch.isalnum())
    # One character repeated: aa, xxxx, 啊啊啊 (two Chinese characters alike are a name: 丽丽).
    if len(set(compact)) == 1 and len(compact) >= (2 if compact.isascii() else 3):
        return True
    # Capitals are an abbreviation (KTV, PPT, ZWL), never a keyboard slip.
    words = [w.lower() for w in text.split() if not (w.isascii() and w.isupper())]
    return bool(words) and len(words) == len(text.split()) and all(_mashed(w) for w in words)


def self_word(text: str) -> bool:
    """True when the whole message names the one typing it (我, me)."""
    return normalise(text) in SELF_WORDS


def confirm_word(text: str) -> bool:
    """True when the whole message confirms the form on its review screen."""
    return normalise(text) in CONFIRM_WORDS
