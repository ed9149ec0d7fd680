"""Button labels typed instead of pressed: which choice a typed label picks, and whether
typed text is the label of a choice at all (of another step, where it is no answer)."""

from __future__ import annotations

import re
from collections.abc import Sequence

from handlers.core.context import Ctx
from handlers.core.errors import UserError
from handlers.core.typed_words import label_key, normalise


def choice_by_label(
    text: str, choices: Sequence[tuple[str, str]], partial: bool = True
) -> str | None:
    """The value of the choice whose button label was typed (Kept, 已践诺), if any; with
    ``partial``, a part of one label only (会议 for 会议公开, two letters at least) picks it
    too (not where the buttons are suggestions for free text: 不经商办企业 typed as an item
    must stay as typed)."""
    key = label_key(text)
    if not key:
        return None
    for label, value in choices:
        if key == label_key(label):
            return value
    if not partial or len(key) < 2 or any(ch.isdigit() for ch in key):
        return None  # digits are a date or a number for the step's own parser to read
    found = [value for label, value in choices if key in label_key(label)]
    return found[0] if len(found) == 1 else None


def types_a_label(text: str, choices: Sequence[tuple[str, str]]) -> bool:
    """Whether ``text`` is one of the labels typed out: whole, or its start or end when
    that is at least four letters and half the label (news media for "In the news media")."""
    key = label_key(text)
    if sum(ch.isalpha() for ch in key) < 2:
        return False
    for label, _ in choices:
        whole = label_key(label)
        long_enough = len(key) >= 4 and 2 * len(key) >= len(whole)
        if key == whole or (long_enough and (whole.startswith(key) or whole.endswith(key))):
            return True
    return False


def pending_choice(ctx: Ctx, text: str) -> str | None:
    """``ask`` or ``use`` when ``text`` is a label of the buttons under "is it a question or
    your answer?" typed out (先回答这个问题 had been stored as the field's value)."""
    labels = [(ctx._("Answer the question"), "ask"), (ctx._("Use it as my answer"), "use")]
    return choice_by_label(text, labels, partial=False)


#: Going back to the form, typed (继续填写 for the "Continue the form" button).
_CONTINUE_WORDS = frozenset(
    {"继续", "继续填", "继续填写", "继续填表", "回到表单", "返回表单", "continue"}
)


def control_label(ctx: Ctx, text: str) -> bool:
    """Whether ``text`` is the label of one of the assistant's own form controls (继续填写表单,
    先回答这个问题, 作为填写内容), typed where no such button waits: never a field's value."""
    key = label_key(text)
    if key in _CONTINUE_WORDS or key == label_key(ctx._("Continue the form")):
        return True
    return pending_choice(ctx, text) is not None  # the two labels under "question or answer?"


def refuse_other_steps_answer(ctx: Ctx, text: str, other: str, label: str) -> None:
    """Raise the refusal of ``text``, an answer to the step ``other``, typed where the
    step ``label`` waits for its own (a status typed again as its explanation)."""
    raise UserError(
        ctx._(
            "“{text}” is an answer to “{other}”, not to “{label}”. Please type the answer to “{label}”, or press Cancel.",
            text=text,
            other=other,
            label=label,
        )
    )


#: "修改日期", "改一下第2项", "edit the date", "change item 2": a request to edit one field.
_EDIT_REQUEST = re.compile(
    r"^(?:我要|我想|帮我|请)?(?:修改|更改|改一下|改|编辑|重填|重新填)(?:一下)?(?P<zh>.+)$"
    r"|^(?:edit|change|fix|redo)[:\s]+(?:the\s+)?(?P<en>.+)$",
    re.IGNORECASE,
)
_ITEM_NUMBER = re.compile(
    r"^(?:第|no\.?\s*|item\s*|field\s*|#)?(\d{1,2}|[一二三四五六七八九十])(?:项|个|条|行)?$", re.I
)
_CHINESE_DIGITS = "一二三四五六七八九十"


def edit_target(
    text: str, fields: Sequence[tuple[str, str]], numbered: bool, items_key: str | None = None
) -> str | None:
    """The key of the field a message typed on a review screen asks to edit, or None.

    ``fields`` are the review's (label, key) pairs in order. A field is named by its label
    (修改日期, edit the date, or the edit button's label typed out) or, when ``numbered``,
    by its place on the screen (改第2项, edit item 2); a whole label alone names it too.
    Numbers are not read where the screen numbers a list's items (a pledge's), whose
    "第2项" would be an item, not a field: there it names the list (``items_key``), which is
    opened for re-entry with its items kept (it had been refused as no request).
    """
    said = normalise(text)
    match = _EDIT_REQUEST.match(said)
    wanted = (match.group("zh") or match.group("en")) if match else said
    wanted = wanted.strip().lstrip(":：").strip()
    number = _ITEM_NUMBER.match(wanted)
    if number and match is not None:  # a bare number is no request to edit
        digits = number.group(1)
        place = int(digits) if digits.isdecimal() else _CHINESE_DIGITS.index(digits) + 1
        if not numbered:
            return items_key
        return fields[place - 1][1] if 1 <= place <= len(fields) else None
    if match is None:
        return choice_by_label(wanted, fields, partial=False)
    return choice_by_label(wanted, fields, partial=True)


#: A slip owned up to (日期填错了, 名字写错了, 选错了): a wish to change an earlier answer
#: when what it names is a field or nothing (我承认搞错了 may be a talk's own words).
_OWNED_SLIP = re.compile(r"^(?P<what>.{0,8}?)(?:填|写|选|输|打)错了?(?:了|啦)?$")
#: What a mid-form edit request may name besides a step's label: the form's subject and
#: "the one before" (修改单位, 改一下日期, 改上一项).
_EDITABLE_WORDS = frozenset(
    {
        "单位",
        "日期",
        "时间",
        "名字",
        "姓名",
        "人",
        "对象",
        "上一项",
        "上一步",
        "上一个",
        "前面",
        "刚才",
    }
    | {"date", "name", "unit", "person", "previous", "last one"}
)
#: Longer text that starts with 改 is a record's own (改进作风, 修改了财务制度).
_EDIT_MAX = 12


def refuse_field_edit(ctx: Ctx, text: str, fields: Sequence[tuple[str, str]], label: str) -> None:
    """Refuse, where a step waits for its answer, a short message asking to change an
    earlier answer (修改单位, 修改谈话日期, 日期填错了): stored, it had become the next
    field's value. ``fields`` are the form's (label, key) pairs."""
    said = normalise(text)
    if len(said) > _EDIT_MAX:
        return
    match = _EDIT_REQUEST.match(said)
    wanted = (match.group("zh") or match.group("en") or "").strip() if match else ""
    named = bool(wanted) and (
        wanted in _EDITABLE_WORDS or choice_by_label(wanted, fields, partial=True) is not None
    )
    slip = _OWNED_SLIP.match(said)
    if slip is not None:
        what = slip["what"]
        named = named or not what or what in _EDITABLE_WORDS
        named = named or choice_by_label(what, fields, partial=True) is not None
    if named:
        raise UserError(
            ctx._(
                "“{text}” asks to change an earlier answer; it is not an answer to “{label}”. Please answer this first, or press Back: everything can still be changed on the review before you confirm.",
                text=text.strip()[:40],
                label=label,
            )
        )
