"""What the pledge form accepts (the year, the items, the publication date) and the texts
that turn a cadre away; shared by the form (:mod:`handlers.pledges.form`), corrections
(:mod:`handlers.pledges.fix`) and check-ins.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from handlers.calendar.windows import default_pledge_calendar
from handlers.core.context import Ctx
from handlers.core.dates import no_such_day, no_such_day_message, parse_date
from handlers.core.domain import Role
from handlers.core.errors import UserError
from handlers.core.i18n import N_
from handlers.core.parsing import MAX_YEAR, MIN_YEAR, typed_year
from handlers.core.typed_words import says_nothing, self_word
from handlers.pledges.domain import Appraisal, Checkin, Pledge, PostType, PublishVia
from handlers.pledges.ports import appraisals_of, checkins_of
from handlers.pledges.status import CheckinChance
from knowledge.pledges import MAX_ITEM_CHARS

MIN_ITEMS, MAX_ITEMS = 3, 8


def today(ctx: Ctx) -> date:
    """The local calendar day in the configured time zone."""
    return ctx.local_now.date()


def not_section_level_text(ctx: Ctx) -> str:
    """Polite explanation for people outside the pledge system."""
    return ctx._(
        "Integrity pledges are made by serving leading cadres at section level and above. Your registration does not show you at that level, so you do not need to pledge. If this is wrong, please ask your administrator."
    )


#: Letters a pledge item needs at least; Chinese says a whole promise in three characters
#: (不收礼, 不酒驾), so three of them are enough.
MIN_ITEM_LETTERS = 4
MIN_ITEM_HANZI = 3


#: A numbered list in one line (1.不收礼 2.不吃请, 1.不收礼2.不吃请, ①不收礼②不吃请, 1 不收礼
#: 2 不吃请): numbers that start items, with or without a space before them.
_NUMBERED = re.compile(
    r"[(（]?[1-9１-９][.、．)）](?=\D)|(?:^|\s)[(（]?[一二三四五][、．)）]|[①-⑨]"
    r"|(?:^|\s)[1-9]\s+(?=[\u4e00-\u9fff])"
)


def _several_items(text: str) -> bool:
    """Whether one message holds several pledge items (kept as one, they could not be
    checked in one by one): two numbers that start items, or parts between semicolons."""
    if len(_NUMBERED.findall(text.strip())) >= 2:
        return True
    # Three parts between semicolons are a list; two may be one promise and its condition
    # (坚决不收礼金；确实推不掉的，及时上交纪委).
    parts = [p for p in re.split(r"[;；]", text) if len(p.strip()) >= 3]
    if len(parts) >= 3:
        return True
    # 不收礼，不吃请，不打牌，不酒驾 (or with spaces): three or more short promises, each a
    # refusal of its own; 不收礼，确实推不掉的及时上交 is one promise and its condition.
    clauses = [p.strip() for p in re.split(r"[，,、;；\s]+", text.strip()) if p.strip()]
    if len(clauses) >= 3 and all(len(c) <= 12 and c.startswith(_REFUSING) for c in clauses):
        return True
    # Two short ones (不收礼，不吃请) are two promises too; a longer second clause is more
    # likely the first one's condition.
    return len(clauses) == 2 and all(len(c) <= 6 and c.startswith(_REFUSING) for c in clauses)


#: How a short promise of refusal starts (不收礼, 严禁酒驾, 绝不插手).
_REFUSING = ("不", "严禁", "禁止", "坚决不", "绝不", "决不", "从不", "杜绝", "no ", "never ")


#: A number typed before the one item (1.严格执行八项规定, 3、不违规兼职取酬, （2）, ②): the
#: form numbers the items itself.
_LEADING_NUMBER = re.compile(
    r"^(?:第[0-9一二三四五六七八九十]{1,3}[条项点][：:、.，,]?"
    r"|[(（]?[0-9０-９]{1,2}[.、．)）](?![0-9０-９])"  # 1. but not 1.5万
    r"|[①-⑨]|[(（][一二三四五六七八][)）]|[一二三四五六七八][、．])\s*"
)


#: Post types and ways of publication as people type them, not as the buttons say them.
TYPED_CHOICES = {
    **dict.fromkeys(
        ("一把手", "正职", "主要领导", "党政正职", "单位一把手"), PostType.PRINCIPAL.value
    ),
    **dict.fromkeys(("班子成员", "副职", "分管领导", "领导班子成员"), PostType.MEMBER.value),
    **dict.fromkeys(("纪委书记", "纪检组长", "纪检书记"), PostType.DISCIPLINE.value),
    **dict.fromkeys(
        ("一般干部", "科级干部", "普通干部", "中层干部", "科长"), PostType.SECTION.value
    ),
    **dict.fromkeys(("ordinary cadre", "cadre", "section level"), PostType.SECTION.value),
    **dict.fromkeys(
        ("开会公开", "会上公开", "开会", "会上", "会议上", "在会上宣读", "会上宣读", "宣读"),
        PublishVia.MEETING.value,
    ),
    **dict.fromkeys(
        ("媒体", "媒体公开", "报纸", "网上公开", "网站", "公示"), PublishVia.MEDIA.value
    ),
}


def _compared(item: str) -> str:
    """An item as duplicates are compared: case and closing punctuation set aside."""
    return item.casefold().rstrip("。.!！;；，, ")


def clean_item(ctx: Ctx, text: str, existing: list[str]) -> str:
    """Validate one pledge item: one line, not empty, not too long, not a duplicate."""
    if "\n" in text.strip():
        raise UserError(ctx._("Please send one item per message."))
    if _several_items(text):
        raise UserError(
            ctx._(
                "That looks like several items in one message. Please send them one at a time, each as its own message: each is checked in on its own."
            )
        )
    item = _LEADING_NUMBER.sub("", " ".join(text.split()))
    if not item:
        raise UserError(ctx._("Please type the item, or press Cancel."))
    if len(item) > MAX_ITEM_CHARS:
        raise UserError(
            ctx._(
                "An item may have at most {n} characters; this one has {m}. Please shorten it.",
                n=MAX_ITEM_CHARS,
                m=len(item),
            )
        )
    # "No side business" and "no side business." are one item (the case and the closing
    # full stop are all they differ in).
    if _compared(item) in {_compared(e) for e in existing}:
        raise UserError(ctx._("That item is already in your pledge."))
    hanzi = sum("\u4e00" <= ch <= "\u9fff" for ch in item)
    too_short = hanzi < MIN_ITEM_HANZI and sum(ch.isalpha() for ch in item) < MIN_ITEM_LETTERS
    # 好的谢谢 / ok thanks / 下周一 / tomorrow: a courtesy or a date is not a pledge either.
    if too_short or says_nothing(item) or parse_date(item, today(ctx)) is not None:
        # A lone number, a date or an emoji is not a pledge.
        raise UserError(
            ctx._(
                "A pledge item is a sentence saying what you will do, e.g. 严格执行中央八项规定精神."
            )
        )
    return item


def parse_year(ctx: Ctx, text: str) -> int:
    """This year or next year, typed as digits (``2026``, ``2026年``) or words (明年, next
    year)."""
    this = today(ctx).year
    raw = unicodedata.normalize("NFKC", text).strip()
    year = typed_year(raw, this)
    if year is None or year not in (this, this + 1):
        raise UserError(
            ctx._("A pledge can be made for {this} or {next}.", this=this, next=this + 1)
        )
    return year


def parse_date_in_year(ctx: Ctx, text: str, year: int) -> date:
    """A date as people type it (2026-01-15, 1月15日, 1-15, jan 15, today); a month and day
    without a year are ``year``'s. It must lie in ``year``."""
    value = parse_date(text, today(ctx), year)
    if value is None and no_such_day(text):
        raise UserError(no_such_day_message(ctx, text))
    if value is None:
        raise UserError(ctx._("Please type a date like {example}.", example=f"{year}-01-15"))
    if value.year != year:
        raise UserError(ctx._("The date must lie in {year}.", year=year))
    return value


def pledge_due(year: int) -> date:
    """The last day for making the year's pledge public (``pledge_due`` in the rule base)."""
    return default_pledge_calendar().pledge_due_date(year)


def check_publication_date(ctx: Ctx, value: date, year: int) -> None:
    """Refuse a publication date outside the pledge year, or in the future beyond the due date.

    A pledge is usually drafted here before it is read out or printed, so a coming date is
    accepted while it keeps the deadline (a January meeting). A publication after the due
    date is recorded once it has happened, so it is a fact and is shown as late.
    """
    if value.year != year:
        raise UserError(ctx._("The date must lie in {year}.", year=year))
    due = pledge_due(year)
    if value > today(ctx) and value > due:
        raise UserError(
            ctx._(
                "{date} is in the future. A coming publication date can be recorded only up to the due date ({due}); a pledge made public later is recorded once it has been made public (that date or earlier).",
                date=value.isoformat(),
                due=due.isoformat(),
            )
        )


def _for_asker(ctx: Ctx, principal: str, other: str) -> str:
    """The message for a unit principal (who may not correct his own pledge: the discipline
    inspectors do) or for anyone else (the unit principal does)."""
    return principal if ctx.me.has_role(Role.UNIT_HEAD) else other


def locked_text(ctx: Ctx, pledge: Pledge) -> str:
    """Why the owner can no longer edit a pledge made public, and who corrects it."""
    message = _for_asker(
        ctx,
        N_(
            "Your pledge for {year} was made public on {date} and is now locked. Corrections of a principal's own pledge go through the discipline inspectors and are kept as revisions."
        ),
        N_(
            "Your pledge for {year} was made public on {date} and is now locked. Corrections go through your unit principal and are kept as revisions."
        ),
    )
    return ctx._(message, year=pledge.year, date=pledge.publish_date.isoformat())


def checked_in_text(ctx: Ctx, pledge: Pledge) -> str:
    """Why the owner can no longer edit a pledge that has a check-in, and who corrects it."""
    message = _for_asker(
        ctx,
        N_(
            "Your pledge for {year} already has a check-in, so it can no longer be changed. Corrections go through the discipline inspectors and are kept as revisions."
        ),
        N_(
            "Your pledge for {year} already has a check-in, so it can no longer be changed. Corrections go through your unit principal and are kept as revisions."
        ),
    )
    return ctx._(message, year=pledge.year)


def split_year(ctx: Ctx, text: str) -> tuple[int | None, str]:
    """The year among the arguments (2025, 2025年, 25, 去年, last year) and the other words;
    a year out of range is refused."""
    words = text.split()
    this_year = today(ctx).year
    spans = [(at, n) for at in range(len(words)) for n in (2, 1) if at + n <= len(words)]
    for at, n in spans:  # "last year" is two words
        year = typed_year(" ".join(words[at : at + n]), this_year)
        if year is None:
            continue
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise UserError(ctx._("Please give a year, e.g. {example}.", example=this_year - 1))
        return year, " ".join(words[:at] + words[at + n :])
    return None, text.strip()


#: A person's name where a year belongs (/mypledge 高峰 2026, /pledge 高峰).
_A_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}|[a-z]+ [a-z]+", re.IGNORECASE)


async def own_only(ctx: Ctx, text: str) -> str:
    """``text`` unchanged, unless it is a colleague's name: these commands are about one's own
    pledge, and "please give a year" (or "only 2026 or 2027") did not say why 高峰 was refused.
    The name must be someone's (年末 or 上半年 typed after /checkin are no colleague)."""
    words = text.strip()
    named = _A_NAME.fullmatch(words) is not None and typed_year(words, today(ctx).year) is None
    if not named or self_word(words) or words == ctx.me.name:
        return text
    found = await ctx.uow.people.find(words, ("/",))
    if any(p.name == words and p.id != ctx.me.id for p in found):
        raise UserError(
            ctx._(
                "This is about your own pledge only. A unit principal or a discipline inspector sees a colleague's with /unitpledges."
            )
        )
    return text


async def parse_year_arg(ctx: Ctx, text: str) -> int | None:
    """The year the arguments name, None when there are none; anything else is refused
    rather than silently showing another year (/mypledge 25 showed this year's)."""
    year, rest = split_year(ctx, text)
    if rest and (self_word(rest) or rest == ctx.me.name):
        return year  # /mypledge 我 2026
    if rest:
        await own_only(ctx, rest)
        raise UserError(ctx._("Please give a year, e.g. {example}.", example=today(ctx).year - 1))
    return year


async def answered(ctx: Ctx, pledge: Pledge) -> bool:
    """Whether anything was made on the pledge: a check-in or an appraisal. The owner edits
    it only until then (an appraisal entered on the publication day had been left under
    items changed after it)."""
    if await checkins_of(ctx.uow).for_pledge(pledge.id):
        return True
    return await appraisals_of(ctx.uow).get(pledge.id) is not None


def appraised_on(checkin: Checkin | None, appraisal: Appraisal | None) -> bool:
    """Whether ``checkin`` was made before ``appraisal``, so the appraisal was made on it and
    it is locked (one made after it was not what was appraised, and stays open)."""
    return checkin is not None and appraisal is not None and checkin.submitted_at <= appraisal.at


async def locked_by_appraisal(ctx: Ctx, chance: CheckinChance) -> bool:
    """Whether the chance's check-in is locked by the pledge's appraisal."""
    if chance.checkin is None:
        return False
    return appraised_on(chance.checkin, await appraisals_of(ctx.uow).get(chance.pledge.id))


async def refuse_after_appraisal(ctx: Ctx, pledge: Pledge, existing: Checkin | None) -> None:
    """Refuse a change to an ``existing`` check-in of an appraised pledge: the appraisal was
    made on it, and a report rewritten after it (未践诺 made 已践诺) had gone unseen. A report
    not made yet may still be made, and changed in its window: an appraisal entered before
    the year-end report had left the cadre no way to make it."""
    appraisal = await appraisals_of(ctx.uow).get(pledge.id) if existing is not None else None
    if appraisal is None or not appraised_on(existing, appraisal):
        return
    message = _for_asker(
        ctx,
        N_(
            "Your pledge for {year} was appraised on {date}, so its check-ins can no longer be changed. Corrections go through the discipline inspectors."
        ),
        N_(
            "Your pledge for {year} was appraised on {date}, so its check-ins can no longer be changed. Corrections go through your unit principal."
        ),
    )
    day = appraisal.at.astimezone(ctx.services.config.timezone).date()
    raise UserError(ctx._(message, year=pledge.year, date=day.isoformat()))
