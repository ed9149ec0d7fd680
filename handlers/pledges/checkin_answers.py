"""The check-in form's answers: step keys, the entries as stored in the form's state, and
reading a typed status or text (:mod:`handlers.pledges.checkin_form` is the form itself)."""

from __future__ import annotations

from typing import Any

from handlers.core.context import Ctx, button, rows
from handlers.core.errors import UserError
from handlers.core.form_labels import choice_by_label
from handlers.core.i18n import translator
from handlers.core.types import Button, Keyboard
from handlers.pledges.domain import CheckinEntry, Evidence, EvidenceKind, Fulfilment
from handlers.pledges.text import code_name

MAX_TEXT_CHARS = 500
Data = dict[str, Any]


def step_keys(count: int) -> list[str]:
    """Step keys in order: status, explanation and evidence of each item."""
    return [f"{kind}{i}" for i in range(count) for kind in ("s", "x", "v")]


def entries_from_data(data: Data) -> list[CheckinEntry]:
    """The answers in the form state as domain entries."""
    out = []
    for raw in data["entries"]:
        ev = raw.get("evidence")
        evidence = Evidence(EvidenceKind(ev["kind"]), ev["ref"], ev.get("name", "")) if ev else None
        out.append(CheckinEntry(Fulfilment(raw["status"]), raw["explanation"], evidence))
    return out


def entry_data(entry: CheckinEntry) -> dict[str, Any]:
    """A stored entry as the form's state holds it."""
    ev = entry.evidence
    return {
        "status": entry.status.value,
        "explanation": entry.explanation,
        "evidence": {"kind": ev.kind.value, "ref": ev.ref, "name": ev.name} if ev else None,
    }


def clean_text(ctx: Ctx, text: str) -> str:
    """Typed text trimmed, refused when empty or too long."""
    value = text.strip()
    if not value:
        raise UserError(ctx._("Please type an answer, or press Cancel."))
    if len(value) > MAX_TEXT_CHARS:
        raise UserError(ctx._("That is too long (at most {n} characters).", n=MAX_TEXT_CHARS))
    return value


def status_choices(ctx: Ctx) -> list[tuple[str, str]]:
    """The status buttons: (label, value)."""
    return [(code_name(ctx.t, f), f.value) for f in Fulfilment]


#: Statuses as people say them rather than the buttons' words (做到了 for 已践诺).
STATUS_WORDS = {
    **dict.fromkeys(
        ("done", "kept it", "yes", "kept", "已完成", "完成了", "全部完成", "都完成了"),
        Fulfilment.KEPT,
    ),
    **dict.fromkeys(
        ("partly", "partially", "part", "基本完成", "基本做到", "基本做到了"), Fulfilment.PARTLY
    ),
    **dict.fromkeys(
        ("大部分做到", "大部分完成", "做到了一部分", "完成了一部分"), Fulfilment.PARTLY
    ),
    **dict.fromkeys(("没完成", "未完成", "not done", "not kept", "no"), Fulfilment.NOT_KEPT),
    **dict.fromkeys(
        ("做到了", "做到", "已做到", "全部做到", "都做到了", "全做到了", "落实了", "已落实"),
        Fulfilment.KEPT,
    ),
    **dict.fromkeys(
        ("部分做到", "做到一部分", "部分落实", "部分完成", "做了一部分"),
        Fulfilment.PARTLY,
    ),
    **dict.fromkeys(
        ("没做到", "未做到", "没有做到", "没落实", "没做", "没有做", "完全没做", "都没做到"),
        Fulfilment.NOT_KEPT,
    ),
}


def parse_status(ctx: Ctx, text: str) -> Fulfilment:
    """A status typed as its number, its code, its button's label or as people say it."""
    typed = text.strip()
    for number, value in enumerate(Fulfilment, 1):
        if typed in (str(number), value.value):
            return value
    said = STATUS_WORDS.get(typed.lower().rstrip("。.!！"))
    if said is not None:
        return said
    # The button's label typed, in any case and in either language (Kept, 已践诺: a cadre
    # reading in English may still type the Chinese word).
    for t in (ctx.t, *(translator(lang) for lang in ("zh_CN", "en") if lang != ctx.t.language)):
        chosen = choice_by_label(typed, [(code_name(t, f), f.value) for f in Fulfilment])
        if chosen is not None:
            return Fulfilment(chosen)
    raise UserError(ctx._("Please tap one of the buttons: kept, partly kept or not kept."))


def step_keyboard(ctx: Ctx, step: str) -> Keyboard:
    """A step's buttons: the statuses at a status step, then back, skip and cancel."""
    choice_rows: list[list[Button]] = []
    if step[0] == "s":
        choice_rows = [[button(code_name(ctx.t, f), f"f:c:{f.value}")] for f in Fulfilment]
    nav = []
    if step != "s0":
        nav.append(button(ctx._("◀ Back"), "f:back"))
    if step[0] == "v":
        nav.append(button(ctx._("Skip"), "f:skip"))
    nav.append(button(ctx._("Cancel"), "f:cancel"))
    return rows(*choice_rows, nav)
