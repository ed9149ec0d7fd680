"""Rule-base data, the calendar and the parsers of the pledge system (pure functions)."""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from handlers.calendar.domain import Period
from handlers.core.errors import UserError
from handlers.core.i18n import translator
from handlers.pledges.calendar import (
    CheckinMode,
    WindowState,
    checkin_mode,
    default_pledge_calendar,
    local_date,
)
from handlers.pledges.domain import Checkin, PostType
from handlers.pledges.form import clean_item, parse_date_in_year
from handlers.pledges.mass_appraisal import parse_mass
from handlers.pledges.text import split_text
from knowledge.pledges import (
    MAX_ITEM_CHARS,
    PERIODS,
    POST_TYPES,
    default_calendar,
    default_suggestions,
    load_calendar,
    load_suggestions,
)

CTX: Any = SimpleNamespace(_=translator("en")._, local_now=datetime(2026, 12, 6, 10, 0))


def test_builtin_data_matches_the_core() -> None:
    assert set(POST_TYPES) == {p.value for p in PostType}
    assert tuple(p.value for p in Period) == PERIODS
    suggestions = default_suggestions()
    assert set(suggestions) == set(POST_TYPES)
    assert all(len(items) >= 3 for items in suggestions.values())
    assert all(len(s.zh) <= MAX_ITEM_CHARS for items in suggestions.values() for s in items)
    # The defaults: 1 June to the day before the democratic life meeting (15 July), and
    # 1 December to the day before the year-end assessment (15 December) the reports feed.
    cal = default_pledge_calendar()
    mid, end = cal.windows_for(2026)
    assert (mid.period, mid.start, mid.end) == (Period.MIDYEAR, date(2026, 6, 1), date(2026, 7, 14))
    assert (end.period, end.start, end.end) == (
        Period.YEAREND,
        date(2026, 12, 1),
        date(2026, 12, 14),
    )
    assert default_calendar().pledge_due == (1, 31)


@pytest.mark.parametrize(
    "body",
    [
        "post_types: {principal: [{zh: a, en: a}]}",  # types missing
        "post_types: {principal: [{zh: a, en: a}], member: [{zh: a, en: a}], discipline: [{zh: a, en: a}], section: [], boss: [{zh: a, en: a}]}",
        "post_types: {principal: [{zh: "
        + "长" * 201
        + ", en: a}], member: [{zh: a, en: a}], discipline: [{zh: a, en: a}], section: [{zh: a, en: a}]}",
    ],
)
def test_broken_suggestion_files_are_rejected(tmp_path: Path, body: str) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ValueError):
        load_suggestions(path)


@pytest.mark.parametrize(
    "windows",
    [
        '[{period: midyear, start: "06-01", end: "07-15"}, {period: yearend, start: "07-01", end: "12-31"}]',
        '[{period: midyear, start: "02-30", end: "07-15"}, {period: yearend, start: "12-01", end: "12-31"}]',
        '[{period: midyear, start: "07-15", end: "06-01"}, {period: yearend, start: "12-01", end: "12-31"}]',
        '[{period: yearend, start: "06-01", end: "07-15"}, {period: midyear, start: "12-01", end: "12-31"}]',
        '[{period: spring, start: "03-01", end: "03-31"}]',
        "[]",
    ],
)
def test_broken_calendars_are_rejected(tmp_path: Path, windows: str) -> None:
    path = tmp_path / "w.yaml"
    path.write_text(f'pledge_due: "01-31"\nwindows: {windows}\n', encoding="utf-8")
    with pytest.raises(ValueError):
        load_calendar(path)


def test_window_states_and_modes() -> None:
    window = default_pledge_calendar().window(2026, Period.MIDYEAR)
    assert window.state(date(2026, 5, 31)) == WindowState.BEFORE
    assert window.state(date(2026, 6, 1)) == window.state(date(2026, 7, 14)) == WindowState.OPEN
    assert window.state(date(2026, 7, 15)) == WindowState.CLOSED
    done = Checkin(1, 1, 1, Period.MIDYEAR, (), False, datetime.now(UTC), datetime.now(UTC))
    cases = {
        (date(2026, 5, 1), None, False): None,
        (date(2026, 5, 1), None, True): CheckinMode.EARLY,
        (date(2026, 5, 1), done, True): CheckinMode.EDIT,
        (date(2026, 6, 9), None, False): CheckinMode.NEW,
        (date(2026, 6, 9), done, False): CheckinMode.EDIT,
        (date(2026, 7, 16), None, False): CheckinMode.LATE,
        (date(2026, 7, 16), done, True): None,
    }
    for (day, existing, permitted), expected in cases.items():
        assert checkin_mode(window, existing, permitted, day) == expected


def test_local_date_uses_the_configured_zone() -> None:
    from zoneinfo import ZoneInfo

    moment = datetime(2026, 7, 15, 16, 30, tzinfo=UTC)
    assert local_date(moment) == date(2026, 7, 16)  # Shanghai
    assert local_date(moment, ZoneInfo("Europe/London")) == date(2026, 7, 15)


@given(st.tuples(*[st.integers(0, 10_000)] * 3).filter(lambda t: sum(t) > 0))
def test_vote_counts_become_shares_of_100(votes: tuple[int, int, int]) -> None:
    # Written with 票 they are always counts; bare, unless they add up to nearly 100.
    for text in ("/".join(f"{v}票" for v in votes), "/".join(map(str, votes))):
        if "票" not in text and 90 <= sum(votes) <= 110 and sum(votes) != 100:
            with pytest.raises(UserError):
                parse_mass(CTX, text)
            continue
        shares = parse_mass(CTX, text)
        assert set(shares) == {"good", "fair", "poor"}
        assert abs(sum(shares.values()) - 100) <= 0.2
        assert all(0 <= v <= 100 for v in shares.values())


def test_nearly_100_is_asked_about_not_taken_as_votes() -> None:
    with pytest.raises(UserError) as asked:
        parse_mass(CTX, "85/10/10")
    # The example is in the user's language (an English user had been told to write 票),
    # and typed as shown it is read as counts.
    example = "85 votes/10 votes/10 votes"
    assert "105" in asked.value.message and example in asked.value.message
    assert parse_mass(CTX, example) == {"good": 81.0, "fair": 9.5, "poor": 9.5}
    zh_ctx: Any = SimpleNamespace(_=translator("zh_CN")._, local_now=CTX.local_now)
    with pytest.raises(UserError) as asked_zh:
        parse_mass(zh_ctx, "85/10/10")
    assert "85票/10票/10票" in asked_zh.value.message
    assert parse_mass(CTX, "85票/10票/10票") == {"good": 81.0, "fair": 9.5, "poor": 9.5}
    assert parse_mass(CTX, "85%/10%/5%") == {"good": 85.0, "fair": 10.0, "poor": 5.0}
    assert parse_mass(CTX, "42/6/2") == {"good": 84.0, "fair": 12.0, "poor": 4.0}
    with pytest.raises(UserError):
        parse_mass(CTX, "85.5票/10票/4.5票")  # votes are whole
    # Labels and units typed around the numbers.
    assert parse_mass(CTX, "好85 一般10 差5") == {"good": 85.0, "fair": 10.0, "poor": 5.0}
    assert parse_mass(CTX, "满意90，基本满意8，不满意2") == {"good": 90.0, "fair": 8.0, "poor": 2.0}
    assert parse_mass(CTX, "92.5分") == {"score": 92.5}
    # The labels decide which share is which, not the order typed.
    assert parse_mass(CTX, "差5 好85 一般10") == {"good": 85.0, "fair": 10.0, "poor": 5.0}
    assert parse_mass(CTX, "好42票 一般6票 差2票") == {"good": 84.0, "fair": 12.0, "poor": 4.0}
    # In English, as the English prompt names them.
    assert parse_mass(CTX, "good 85 fair 10 poor 5") == {"good": 85.0, "fair": 10.0, "poor": 5.0}
    assert parse_mass(CTX, "Poor 5, Good 85, Fair 10") == {"good": 85.0, "fair": 10.0, "poor": 5.0}
    for partial in ("好85", "好评率85%", "好85 差5"):
        with pytest.raises(UserError):
            parse_mass(CTX, partial)  # one labelled share is not a score


@given(
    st.floats(0, 100, allow_nan=False)
    .map(lambda f: round(f, 1))
    # 0.1 … 0.9 is a share typed as a fraction (0.9 for 90 %): refused, see below.
    .filter(lambda f: f == 0 or f >= 1)
)
def test_scores_round_trip(score: float) -> None:
    assert parse_mass(CTX, str(score)) == {"score": score}


@given(st.text(max_size=40))
def test_mass_parser_only_raises_user_errors(text: str) -> None:
    with contextlib.suppress(UserError):
        parse_mass(CTX, text)


@given(st.dates(date(2026, 1, 1), date(2026, 12, 31)))
def test_dates_parse_in_every_common_format(day: date) -> None:
    for text in (
        day.isoformat(),
        f"{day.year}/{day.month}/{day.day}",
        f"{day.year}年{day.month}月{day.day}日",
        f"{day.month}-{day.day}",
        f"{day.month}月{day.day}日",
    ):
        assert parse_date_in_year(CTX, text, 2026) == day
    with pytest.raises(UserError):
        parse_date_in_year(CTX, (day + timedelta(days=366)).isoformat(), 2026)


def test_a_pledge_date_without_its_year_is_the_pledge_years() -> None:
    # Drafted on 6 December 2026 for 2027: "1-15" and "jan 15" are 15 January 2027.
    for text in ("1-15", "1月15日", "jan 15", "15 January"):
        assert parse_date_in_year(CTX, text, 2027) == date(2027, 1, 15), text
    assert parse_date_in_year(CTX, "today", 2026) == date(2026, 12, 6)
    with pytest.raises(UserError):
        parse_date_in_year(CTX, "today", 2027)  # today is not in 2027


@given(st.text(min_size=1, max_size=250))
def test_items_are_normalised_or_refused(text: str) -> None:
    try:
        item = clean_item(CTX, text, [])
    except UserError:
        return
    assert item == " ".join(item.split()) and 0 < len(item) <= MAX_ITEM_CHARS


def test_a_three_character_promise_is_an_item_but_a_number_or_two_characters_are_not() -> None:
    assert clean_item(CTX, "不收礼", []) == "不收礼"
    assert clean_item(CTX, "no gifts", []) == "no gifts"
    for text in ("2026", "廉洁", "ok"):
        with pytest.raises(UserError):
            clean_item(CTX, text, [])


@given(st.lists(st.text(alphabet="廉洁ab \t", max_size=300), max_size=30))
def test_long_texts_split_into_telegram_sized_messages(lines: list[str]) -> None:
    text = "\n".join(lines)
    chunks = split_text(text, limit=200)
    assert chunks and all(len(c) <= 200 for c in chunks)
    assert "".join(c.replace("\n", "") for c in chunks) == text.replace("\n", "")
