"""One item of a form's list changed or removed by a typed request.

A pledge's review numbers its items, so "改第2项" there means the second item, not the
second field. Re-entering the whole list to change one item made a cadre type every item
again; here one item is replaced (改第2条 / 第2条改成… / change item 2 to …) or removed
(删掉第3条 / delete item 3). The same requests typed while the list is being entered act on
the items entered so far: stored as items, they had become a pledge's text. Afterwards
the person is back where the request was typed: the review, or the list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from handlers.core.context import Ctx
from handlers.core.errors import UserError
from handlers.core.parsing import small_number

if TYPE_CHECKING:
    from handlers.core.forms import Step, StepForm

Data = dict[str, Any]

#: A list step's items while it is being re-entered (see StepForm.on_button): the list a
#: request typed before any new item acts on.
KEPT = "_kept"
#: Set in the form's data while one item of the list waits for its new text (its place).
ITEM_AT = "_item_at"
#: Set with it when the request came while the list was being entered (not the review).
ITEM_IN_LIST = "_item_in_list"

_N = r"(?P<n>\d{1,2}|[一二两三四五六七八九十]{1,3})"
_UNIT = r"(?:项|条|个|点)"
# 第2条, 2项, or the last one (上一条 / 最后一条 / 前一条: the item entered last).
_PLACE = rf"\s*(?:第{_N}{_UNIT}?|{_N.replace('?P<n>', '?P<m>')}{_UNIT}|(?P<last>上一|最后一|前一|刚才那|刚才的?那?一?){_UNIT})\s*"
# 第3条的内容 / 第二条内容: the item itself, not new text.
_ITS = r"(?:的)?(?:内容|文字|这条|这一条)?"
_CHANGE = r"(?:修改|更改|改一下|改下|改改|改|编辑|重写|重填|换)"
_REMOVE = r"(?:删掉|删除|删了|删|去掉|去除|拿掉|不要了|不要)(?:吧|了|掉)?"
_LEAD = r"(?:我要|我想|帮我|请|麻烦)?(?:把|将)?"

_REQUESTS: tuple[tuple[bool, re.Pattern[str]], ...] = (
    # 改第2项 / 修改第二条：不收礼 / 把第2条改为不收礼 / 改第3条的内容
    (
        False,
        re.compile(
            rf"^{_LEAD}{_CHANGE}(?:一下)?{_PLACE}{_ITS}(?:改为|改成|为|成)?[:：\s]*(?P<text>.*)$",
            re.I,
        ),
    ),
    # 第2条改成不收礼 / 第二项换成… / 把第2条改一下 / 第3条的内容改为…
    (
        False,
        re.compile(
            rf"^{_LEAD}{_PLACE}{_ITS}(?:要)?(?:改成|改为|换成|修改为|更改为|改一下|修改|改)[:：\s]*(?P<text>.*)$",
            re.I,
        ),
    ),
    # 删掉第3条 / 第3条删掉吧 / 把第三项去掉 / 删掉上一条
    (True, re.compile(rf"^{_LEAD}{_REMOVE}{_PLACE}$")),
    (True, re.compile(rf"^{_LEAD}{_PLACE}{_REMOVE}$")),
    # 第2条写错了 / 第二条有错别字: the item is to be written again
    (False, re.compile(rf"^{_LEAD}{_PLACE}(?:写错了|写错|错了|有错别字|不对)(?P<text>)$")),
    # change item 2 (to …) / edit item 2 / delete item 3
    (
        False,
        re.compile(
            r"^(?:edit|change|fix|rewrite|replace)\s+(?:item|no\.?|#)\s*(?P<n>\d{1,2})"
            r"(?:\s*(?:to|with|:)\s*(?P<text>.+))?$",
            re.IGNORECASE,
        ),
    ),
    (True, re.compile(r"^(?:delete|remove|drop)\s+(?:item|no\.?|#)\s*(?P<n>\d{1,2})$", re.I)),
)


@dataclass(frozen=True)
class ItemRequest:
    """Which item (1-based) a typed request names, whether it goes, and any new text."""

    place: int
    remove: bool = False
    text: str = ""


def item_request(text: str) -> ItemRequest | None:
    """The item a typed message asks to change or remove, if it asks that."""
    # Case kept (the new text is stored as typed); closing stops are not part of a request.
    said = text.strip().rstrip("。.!！ ")
    for remove, pattern in _REQUESTS:
        match = pattern.match(said)
        if match is None:
            continue
        found = match.groupdict()
        place = -1 if found.get("last") else small_number(found.get("n") or found.get("m") or "")
        if place is None:
            return None
        return ItemRequest(place, remove, (found.get("text") or "").strip())
    return None


#: A message that asks to change something rather than give an item (改第2条也不行, 修改公开日期,
#: 删掉 that item): never kept as an item's text, even when it cannot be carried out.
_EDIT_LIKE = re.compile(
    rf"^{_LEAD}(?:{_CHANGE}|{_REMOVE})(?:一下|下)?[\s:：]*(?:第|上一|最后一|前一|\d|[一二两三四五六七八九十]{{1,3}}[项条个点]|公开|年度|日期|岗位|承诺事项|原因)"
    r"|^(?:edit|change|delete|remove)\s+(?:item|no\.?|#|the\s+(?:date|year|items?))\b",
    re.I,
)


def looks_like_edit(text: str) -> bool:
    """Whether a message asks to change or remove something (a field or an item)."""
    return bool(_EDIT_LIKE.match(text.strip()))


def kept_hint(ctx: Ctx, data: Data) -> str:
    """ " Press Back to keep …" when a list re-entered still has the items as they were."""
    if KEPT not in data:
        return ""
    return " " + ctx._("Press Back to keep the items as they were.")


def refuse_edit_request(ctx: Ctx, text: str, label: str) -> None:
    """Refuse a request to change something typed where an answer is awaited."""
    raise UserError(
        ctx._(
            "“{text}” asks to change something; it is not an answer to “{label}”. Please answer this first: everything can still be changed on the review before you confirm (for example: change item 2 to …).",
            text=text[:40],
            label=label,
        )
    )


def without_item(step: Step, data: Data) -> Data:
    """The form's data with the item being replaced left out of its list, for the step's
    parser: the item typed again unchanged is then no duplicate of itself."""
    place = data.get(ITEM_AT)
    if not isinstance(place, int):
        return data
    items = list(data.get(step.key) or [])
    return {**data, step.key: items[: place - 1] + items[place:]}


async def change_item(
    form: StepForm, ctx: Ctx, step: Step, data: Data, wanted: ItemRequest, in_list: bool = False
) -> None:
    """Carry out a typed request to change or remove one item of ``step``'s list, from the
    review (or, ``in_list``, while the list is entered): removed or replaced at once, or
    the item's new text asked for."""
    data.pop(ITEM_AT, None)
    data[ITEM_IN_LIST] = in_list
    if in_list and not data.get(step.key) and KEPT in data:
        data[step.key] = data.pop(KEPT)  # 改第2项 before any new item: the list as it was
    items = list(data.get(step.key) or [])
    if wanted.place == -1:  # the last one entered
        wanted = ItemRequest(len(items), wanted.remove, wanted.text)
    here = form.step_buttons(ctx, step, data) if in_list else form.review_buttons(ctx)
    if not 1 <= wanted.place <= len(items):
        raise UserError(
            ctx._("There is no item {n}: the list has {m}.", n=wanted.place, m=len(items)), here
        )
    if wanted.remove:
        low = step.multi[0] if step.multi and not in_list else 0
        if len(items) <= low:
            raise UserError(
                ctx._(
                    "Item {n} cannot be removed: at least {low} items are needed. You can change it instead (for example: change item {n} to …).",
                    n=wanted.place,
                    low=low,
                ),
                here,
            )
        gone = items.pop(wanted.place - 1)
        data[step.key] = items
        ctx.reply(ctx._("Item {n} removed: “{text}”.", n=wanted.place, text=gone))
        await back_from_item(form, ctx, step, data)
        return
    data[ITEM_AT] = wanted.place
    if wanted.text:
        try:
            value = await step.parse(ctx, wanted.text, without_item(step, data))
        except UserError as refused:  # the screen stays, with its buttons
            raise UserError(refused.message, refused.buttons or here) from None
        await item_replaced(form, ctx, step, data, value)
        return
    await ctx.save_form(form.name, step.key, data)
    ctx.reply(
        ctx._(
            "Item {n} now reads: “{text}”\nSend its new text, or press Back to keep it.",
            n=wanted.place,
            text=items[wanted.place - 1],
        ),
        form.step_buttons(ctx, step, data),  # with ITEM_AT set: Back and Cancel only
    )


async def item_replaced(form: StepForm, ctx: Ctx, step: Step, data: Data, value: Any) -> None:
    """Store ``value`` in place of the item being replaced, and say so."""
    place = int(data.pop(ITEM_AT))
    items = list(data.get(step.key) or [])
    same = items[place - 1] == value
    items[place - 1] = value
    data[step.key] = items
    ctx.reply(
        ctx._("Item {n} is unchanged.", n=place) if same else ctx._("Item {n} changed.", n=place)
    )
    await back_from_item(form, ctx, step, data)


async def back_from_item(form: StepForm, ctx: Ctx, step: Step, data: Data) -> None:
    """Back where the request was typed: the list being entered, or the review."""
    data.pop(ITEM_AT, None)
    if data.pop(ITEM_IN_LIST, False):
        await ctx.save_form(form.name, step.key, data)
        await form.prompt(ctx, step.key, data)
    else:
        await form.show_review(ctx, data)
