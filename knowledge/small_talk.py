"""Small talk: messages that are said to the assistant rather than asked of the rule base.

People greet a bot, thank it, ask what it can do or say goodbye, the way they would a
colleague. Sent to the rule base, 你好 was declined as an uncovered question (with a button
to pass it to staff) and 你能做什么 was offered unrelated rules. Such a message is
recognised here as a whole (short, after normalisation), so 你好，诫勉谈话后多久能提拔 is
still a question: the greeting is a stopword there.

The patterns are about the conversation, never about a subject: none of them names a rule,
so a question cannot be mistaken for small talk because it shares a word with one.
"""

from __future__ import annotations

import re
from enum import StrEnum

from knowledge.normalize import normalise


class SmallTalk(StrEnum):
    """What kind of conversational message it is."""

    GREETING = "greeting"
    THANKS = "thanks"
    CAPABILITY = "capability"  # what can you do / who are you / how do I use you
    FAREWELL = "farewell"
    ACKNOWLEDGEMENT = "acknowledgement"  # 嗯嗯, 了解, 明白了: the way a chat is closed
    COMMAND = "command"  # a /command that did not reach its handler (e.g. in the eval)


#: Longest message (characters, after normalisation) still read as small talk.
MAX_CHARS = 16

# Polite padding around the core phrase: 老师您好啊, 好的谢谢您了.
_LEAD = r"(?:(?:嗨|哈喽|喂|哎|嗯|好的|好嘞|好滴|行|ok|okay|noted|roger|老师|同志|小助手|助手|机器人)[,，]?\s*)*"
_TAIL = r"(?:\s*(?:啊|呀|哈|呢|吗|嘛|哦|了|啦|你|您|老师|同志|小助手|助手|[~～!！.。]))*"

# Between two core phrases: a comma or a particle (谢谢啊辛苦了, 好的呀收到).
_JOIN = r"(?:[,，、!！。~～\s]|啊|呀|哈|哦|了|啦)*"

_PATTERNS: tuple[tuple[SmallTalk, re.Pattern[str]], ...] = tuple(
    (kind, re.compile(rf"^{_LEAD}(?:{core})(?:{_JOIN}(?:{core}))*{_TAIL}$"))
    for kind, core in (
        (
            SmallTalk.GREETING,
            r"你好|您好|你们好|大家好|hi there|hello there|hi|hello|hey|good morning|good afternoon|good evening|哈喽|嗨|在吗|在不在|在么|有人吗|"
            r"早上好|上午好|中午好|下午好|晚上好|早安|早|晚安|新年好|过年好|"
            # 吃了吗 is how people greet each other, not a question about 吃请.
            r"(?:你|您)?吃(?:饭|早饭|午饭|晚饭)?(?:了没有|了没|了|没)",
        ),
        (
            SmallTalk.THANKS,
            r"谢谢|谢谢你|谢谢您|多谢|感谢|非常感谢|太感谢了|谢了|谢啦|辛苦了|辛苦|"
            r"thanks a lot|thanks so much|thank you very much|thank you so much|many thanks|"
            r"thanks|thank you|thx|好的谢谢|明白了谢谢|收到谢谢|"
            # Praise is thanked for in the same words (你真厉害 had been declined).
            r"你真厉害|真厉害|太厉害了|厉害了|太棒了|真棒|很好用|挺好用|点赞|great job|well done",
        ),
        (
            SmallTalk.CAPABILITY,
            r"你(?:能|会|可以)(?:做|干|帮我做|帮我干|帮我)?(?:些)?(?:什么|啥|嘛|哪些)(?:事|事情|功能)?|"
            r"你是谁|你是什么|你叫什么|你叫啥|你是干什么的|你是干啥的|你是做什么的|"
            r"(?:你是)?(?:谁|哪家|哪个公司|哪个单位)(?:开发|做|搞|写|研发)(?:的|了你)|"
            r"你是(?:人工|真人|机器人)(?:还是(?:人工|真人|机器人))?|(?:是)?(?:机器人|真人|人工)(?:吗|么)|"
            r"怎么用|咋用|如何使用|怎么使用|使用说明|有什么功能|有哪些功能|有啥功能|"
            r"能干什么|能干啥|能做什么|能做啥|能帮我什么|介绍一下你自己|介绍下你自己|自我介绍|"
            r"what can you do|what do you do|who are you|what are you|how do i use this|"
            r"how does this work|what can i ask(?: you)?",
        ),
        (
            SmallTalk.FAREWELL,
            r"再见|拜拜|拜|回见|下次见|下次再问|回头再问|改天再问|先这样|bye bye|bye|goodbye|see you|good night",
        ),
        (
            # How staff close a chat. In the chat the typed shortcuts take 收到, 好的 and
            # their like first (a reminder acknowledgement); the rest (嗯嗯, 了解, 懂了)
            # reached the rule base and were declined with rules that merely share a word.
            SmallTalk.ACKNOWLEDGEMENT,
            r"收到|好的|好滴|好嘞|好|行|可以|明白|明白了|知道了|知道|了解|懂了|清楚了|"
            r"嗯|嗯嗯|哦|哦哦|ok|okay|got it|noted|will do|on it|roger|"
            # Laughter closes a chat too (哈哈哈哈 had been offered to staff as a question).
            r"哈哈|呵呵|嘿嘿|hh+|lol|haha(?:ha)*",
        ),
    )
)


def classify(text: str) -> SmallTalk | None:
    """The kind of small talk ``text`` is, or None for anything else (a question)."""
    raw = text.strip()
    if raw.startswith("/"):
        return SmallTalk.COMMAND
    clean = normalise(raw)
    # English spells the same words in about twice the characters.
    limit = MAX_CHARS * 2 if clean.isascii() else MAX_CHARS
    if not clean or len(clean) > limit:
        return None
    whole = _kind(clean)
    if whole is not None:
        return whole
    # Two kinds in one message (多谢多谢 明白了, 你是谁啊 机器人吗, 拜拜 下次再问): small talk
    # when every part is, read as the part that asks most of a reply.
    parts = [p for p in re.split(r"[\s,，、。!！~～]+", clean) if p]
    kinds = [_kind(p) for p in parts]
    if len(parts) < 2 or None in kinds:
        return None
    return min((k for k in kinds if k is not None), key=_PRIORITY.index)


#: Which kind a message of several parts is read as: the first found here.
_PRIORITY = (
    SmallTalk.CAPABILITY,
    SmallTalk.THANKS,
    SmallTalk.FAREWELL,
    SmallTalk.GREETING,
    SmallTalk.ACKNOWLEDGEMENT,
    SmallTalk.COMMAND,
)


def _kind(clean: str) -> SmallTalk | None:
    """The kind a whole normalised message matches, if any."""
    for kind, pattern in _PATTERNS:
        if pattern.match(clean):
            return kind
    return None
