"""Typed text at the check-in's explanation and evidence steps.

What a cadre types there becomes part of a report the unit head and the mass appraisal
read, so it is checked before it is kept: 跳过 is never an explanation, a status typed
again explains nothing, a number or an emoji alone is no answer, and a question (收了个
红包咋办, typed while the form waits) is set aside and the cadre asked whether to answer
it or use it, as the other forms do (:func:`handlers.core.form_questions.ask_whether_answer`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from handlers.core.context import Ctx
from handlers.core.errors import UserError
from handlers.core.form_labels import pending_choice, refuse_other_steps_answer, types_a_label
from handlers.core.form_questions import ask_whether_answer, looks_like_question
from handlers.core.forms import PENDING, SKIP_WORDS
from handlers.core.non_answers import refuse_non_answer
from handlers.core.typed_words import normalise, says_nothing
from handlers.pledges.checkin_answers import clean_text, status_choices
from handlers.pledges.domain import EvidenceKind

Data = dict[str, Any]


def step_label(ctx: Ctx, kind: str) -> str:
    """The name of a text step, as refusals and the question prompt quote it."""
    return ctx._("explanation") if kind == "x" else ctx._("evidence")


async def question_aside(ctx: Ctx, form: str, step: str, data: Data, text: str) -> bool:
    """Handle ``text`` when it is about a question rather than the step's answer; True when
    it was (nothing is stored in the report then).

    A question is kept in the form's data and the cadre asked what it is; the labels of
    that prompt's buttons typed out work as the buttons do: 先回答这个问题 answers it, and
    the "use it" label puts the kept question in ``ctx.req`` for the caller to store."""
    pending = data.get(PENDING)
    if not isinstance(pending, str):
        pending = None
    picked = pending_choice(ctx, text) if pending is not None else None
    if picked == "use" and pending is not None:
        ctx.req = replace(ctx.req, text=pending)  # the question kept aside is the answer
        return False
    if picked == "ask" and pending is not None:
        if ctx.router is not None and "ask" in ctx.router.commands:
            ctx.req = replace(ctx.req, text=pending)  # the form stays where it was
            await ctx.router.commands["ask"].handler(ctx)
        return True
    if not looks_like_question(text):
        return False
    data[PENDING] = text
    await ctx.save_form(form, step, data)
    ask_whether_answer(ctx, step_label(ctx, step[0]), text, False)
    return True


#: "The same as above": the previous item's explanation (or evidence), written out in this
#: one. 同上, 同上一条, 跟上面一样, 与上条相同, same as above.
_SAME_AS_ABOVE = re.compile(
    r"^(?:同(?:上|前)(?:面|一条|条|一项|项)?"
    r"|(?:跟|和|与|同)(?:上|前)(?:面|一条|条|一项|项|一个)?的?(?:一样|相同)"
    r"|(?:same as (?:above|before|the last one)|as above|ditto))$"
)
#: "The same as item 1": 同1, 同第1条, 和第一项一样, same as 1, same as item 1.
_SAME_AS_ITEM = re.compile(
    r"^(?:(?:同|跟|和|与)第?(?P<n>\d{1,2}|[一二三四五六七八九十])(?:条|项|个)?的?(?:一样|相同)?"
    r"|same as (?:item |no\.? ?|#)?(?P<en>\d{1,2}))$"
)
_CHINESE_DIGITS = "一二三四五六七八九十"
#: Explanations that say nothing the head could read: how it went in a hedge (差不多, 还行,
#: 基本做到了, so-so) or nothing remembered (忘了). A plain 做到了 affirms the status and
#: stays an answer.
_VAGUE = re.compile(
    r"^(?:(?:基本上?|大体上?|大致|差不多|应该)"
    r"(?:做到|落实|达到|完成|遵守|践行|履行|兑现)(?:了|的)?"
    r"|差不多|还行|还可以|可以|一般般?|凑合|马马虎虎|挺好|很好|还好|不错|良好|正常"
    r"|基本上?|一切正常|一切都好|都挺好|都还行|没啥问题|没什么问题|没问题"
    r"|忘了|忘记了|不记得了|记不清了?)(?:吧|啊|呀|的|了)?$"
    # The same hedges typed in pinyin or English (chabuduo, hai xing, basically done).
    r"|^(?:cha ?bu ?duo|hai ?xing|hai ?ke ?yi|ji ?ben(?: ?shang)?(?: ?zuo ?dao(?: ?le)?)?"
    r"|yi ?ban|ting ?hao|mei ?wen ?ti)$"
    r"|^(?:so-?so|more or less|fine|good|ok-?ish|forgot|i forgot|done|all done|kept it"
    r"|basically(?: done| kept| yes)?|mostly(?: done| kept)?|all good|not bad|pretty good"
    r"|no problems?|all fine|everything(?:'s| is)? fine)$"
)
#: Words that leave the explanation out (略 = omitted): refused like 跳过.
OMITTED = frozenset({"略", "省略", "不说了", "无可说明", "nothing to add", "n/a"})
#: "See the attachment" typed where the attachment itself is expected: 见附件, 请见附件,
#: 见附件1, 附件已发, 已上传附件, see attached.
_ATTACHMENT = re.compile(
    r"^(?:(?:请|详|具体)?(?:见|看)(?:附件|附图|图片|照片|截图|文件)\d*"
    r"|附件\d*(?:已发|已上传|已传|已提交|见下|在下面)?"
    r"|(?:已经?)?(?:发|传|上传|提交)(?:了)?(?:附件|图片|照片|截图)"
    r"|(?:please )?see (?:the )?attach(?:ment|ed)s?(?: ?\d+)?|attached)$"
)


def _copied(ctx: Ctx, kind: str, key: str, earlier: Sequence[Data]) -> tuple[Any, int] | None:
    """The explanation (``kind`` x) or evidence an item above holds, and that item's number,
    when ``key`` says "the same as above" or "the same as item N"; None when it says
    neither. An item with nothing to repeat is refused."""
    field = "explanation" if kind == "x" else "evidence"
    number = _SAME_AS_ITEM.match(key)
    if _SAME_AS_ABOVE.match(key):
        position = len(earlier)
    elif number is not None:
        n = number["n"] or number["en"]
        position = int(n) if n.isdecimal() else _CHINESE_DIGITS.index(n) + 1
    else:
        return None
    source = earlier[position - 1] if 0 < position <= len(earlier) else None
    value = (source or {}).get(field)
    if not value:
        raise UserError(
            ctx._("There is no explanation above this one to repeat; please write it.")
            if kind == "x"
            else ctx._("The item above has no evidence to repeat; send a file, a note, or Skip.")
        )
    return value, position


def _say_copied(ctx: Ctx, value: Any, position: int) -> None:
    """Say what was repeated, and from which item: a copy onto the wrong one is seen at once
    (同1 at item 3 had been told "from above"; evidence had been copied silently)."""
    if isinstance(value, str):
        shown = value
    else:  # evidence: a note's text, or a file's name (never its storage reference)
        note = value.get("kind") == EvidenceKind.NOTE.value
        shown = value.get("ref") if note else value.get("name") or "📎"
    ctx.reply(ctx._("Repeated from item {n}: “{text}”", n=position, text=str(shown)[:200]))


def store_text(ctx: Ctx, kind: str, entry: Data, text: str, earlier: Sequence[Data] = ()) -> None:
    """Keep ``text`` as the explanation (``kind`` x) or the evidence note (v) of ``entry``,
    or raise the refusal that says why not. 同上 copies the item above's, 同1 item 1's."""
    key = normalise(text)
    copied = _copied(ctx, kind, key, earlier)
    if copied is not None:
        entry["explanation" if kind == "x" else "evidence"] = copied[0]
        _say_copied(ctx, *copied)
        return
    if kind == "v" and _ATTACHMENT.match(key):
        # 见附件 with no file: the note would point at nothing.
        raise UserError(
            ctx._("Please send the file itself (a photo or a document), or type what it shows.")
        )
    if kind == "x" and key in OMITTED:
        raise UserError(
            ctx._("This one is needed and cannot be skipped; please type it, or press Cancel.")
        )
    skip = key in SKIP_WORDS or (kind == "v" and key in OMITTED)
    if kind == "v" and skip:
        # Typed 跳过 / 无 at the (optional) evidence step: skip it, as the button does.
        entry["evidence"] = None
        return
    if skip:
        # The explanation is what the report is for: never store 跳过 as one.
        raise UserError(
            ctx._("This one is needed and cannot be skipped; please type it, or press Cancel.")
        )
    value = clean_text(ctx, text)
    label = step_label(ctx, kind)
    refuse_non_answer(ctx, value, label, words=True)
    if kind == "x" and _ATTACHMENT.match(key):
        raise UserError(
            ctx._(
                "Please write what was done in words; a file goes at the evidence step, after this one."
            )
        )
    # A hedge is no evidence either (基本上吧 where the evidence is asked for).
    vague = _VAGUE.match(key) is not None
    nothing = says_nothing(value) or (value.isascii() and sum(ch.isalpha() for ch in value) < 3)
    if kind == "v" and (nothing or vague):
        # 照片稍后补交 at the evidence step: the file now, or what it shows, or Skip.
        raise UserError(
            ctx._("Please send the file itself (a photo or a document), or type what it shows.")
        )
    if vague or nothing:
        # 好的谢谢, or hh / ok typed on a phone: nothing the head could read as a report.
        raise UserError(
            ctx._(
                "“{text}” says nothing the head could read as your report; please write what was done.",
                text=value,
            )
        )
    if types_a_label(value, status_choices(ctx)):
        # "kept" typed again after choosing Kept explains nothing.
        refuse_other_steps_answer(ctx, value, ctx._("status"), label)
    if kind == "x":
        entry["explanation"] = value
    else:
        entry["evidence"] = {"kind": EvidenceKind.NOTE.value, "ref": value, "name": ""}
