"""The summary chart for a phone: every rate with its numerator/denominator, zero and
no-data bars labelled, open overdue notices counted, title and size readable at 360 px."""

from __future__ import annotations

import struct

from matplotlib.colors import to_hex
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from handlers.core.domain import Unit, UnitLevel
from handlers.core.i18n import translator
from handlers.summary.chart import (
    MAX_BARS,
    build_figure,
    chart_rates,
    percent_text,
    render_chart,
    value_label,
)
from handlers.summary.domain import Figures, Part, Summary
from handlers.summary.period import parse_period, year_period
from handlers.summary.text import pct

ZH = translator("zh_CN")
EN = translator("en")
COUNTY = Unit(10, "QF", "清丰县", UnitLevel.COUNTY, 1, "/1/10/")


def _town(i: int, name: str) -> Unit:
    return Unit(10 + i, f"QF{i}", name, UnitLevel.TOWNSHIP, 10, f"/1/10/{10 + i}/")


def _summary(
    parts: list[tuple[Unit, Figures]], has_reminders: bool = True, has_quiz: bool = True
) -> Summary:
    total = Figures()
    for _, f in parts:
        total = total + f
    return Summary(
        unit=COUNTY,
        period=year_period(2026),
        total=total,
        parts=tuple(Part(u, False, f) for u, f in parts),
        kinds=(),
        has_reminders=has_reminders,
        has_quiz=has_quiz,
    )


def _example() -> Summary:
    """Three towns: one with no on-time check-in (0/4), one with no check-ins due at all."""
    return _summary(
        [
            (_town(1, "城关镇"), Figures(checkins_on_time=3, checkins_late=2,
                                        notices_closed_on_time=2, notices_overdue=1,
                                        reminders_sent=4, reminders_acked=4)),
            (_town(2, "马庄桥镇"), Figures(checkins_late=1, checkins_missing=3,
                                          units_passed=1, units_failed=1)),
            (_town(3, "瓦屋头镇"), Figures(appraisal_excellent=1, appraisal_failed=1,
                                          quiz_eligible=5, quiz_takers=2)),
        ]
    )  # fmt: skip


def _rates(f: Figures, s: Summary | None = None) -> dict[str, tuple[int, int]]:
    bars = chart_rates(EN, f, s or _summary([]))
    return {b.key: (b.numerator, b.denominator) for b in bars}


def _texts(fig: object) -> list[str]:
    from matplotlib.figure import Figure

    assert isinstance(fig, Figure)
    return [t.get_text() for t in fig.findobj(Text) if t.get_text()]


def test_every_rate_has_its_numerator_and_denominator() -> None:
    f = Figures(
        checkins_on_time=3, checkins_late=1, checkins_missing=1,
        notices_open=4, notices_overdue=1, notices_closed_on_time=5, notices_closed_late=2,
        units_excellent=1, units_passed=2, units_failed=1,
        appraisal_excellent=2, appraisal_passed=3, appraisal_failed=5,
        reminders_sent=8, reminders_acked=6, quiz_eligible=10, quiz_takers=7,
    )  # fmt: skip
    assert _rates(f) == {
        "checkins": (3, 5),
        "notices": (5, 8),  # open notices not yet due are left out; overdue ones count
        "assessment": (3, 4),
        "appraisal": (5, 10),
        "reminders": (6, 8),
        "quiz": (7, 10),
    }
    bars = chart_rates(ZH, f, _summary([]))
    assert [b.label for b in bars][:2] == ["按时践诺报告率", "按期整改率"]
    assert all(b.label and b.basis for b in bars)
    # Reminders and the test are shown only where the summary has them.
    no_extras = _summary([], has_reminders=False, has_quiz=False)
    assert set(_rates(f, no_extras)) == {"checkins", "notices", "assessment", "appraisal"}


def test_zero_and_no_data_are_told_apart() -> None:
    rates = {b.key: b for b in chart_rates(ZH, Figures(checkins_missing=4), _summary([]))}
    zero, none = rates["checkins"], rates["quiz"]
    assert (zero.numerator, zero.denominator, zero.rate) == (0, 4, 0.0)
    assert value_label(ZH, zero) == "0/4 · 0%"
    assert (none.denominator, none.rate) == (0, None)
    assert value_label(ZH, none) == "暂无数据"
    assert value_label(EN, none) == "no data"


def test_an_open_overdue_notice_lowers_the_notice_rate() -> None:
    f = Figures(notices_closed_on_time=2, notices_overdue=1)
    (bar,) = [b for b in chart_rates(EN, f, _summary([])) if b.key == "notices"]
    assert (bar.numerator, bar.denominator) == (2, 3)
    assert value_label(EN, bar) == "2/3 · 66.7%"


def test_percentages_read_0_and_100_only_when_exact() -> None:
    assert percent_text(0, 5) == "0%"
    assert percent_text(5, 5) == "100%"
    assert percent_text(19_999, 20_000) == "99.9%"
    assert percent_text(1, 20_000) == "0.1%"
    assert percent_text(3, 5) == "60%"
    # Otherwise as the summary text and the spreadsheet show it.
    for n, d in [(2, 3), (1, 8), (7, 9), (4, 4), (0, 9), (123, 4567)]:
        assert percent_text(n, d) == pct(n / d)


def test_figure_labels_every_bar_with_counts_and_titles_unit_and_period() -> None:
    fig = build_figure(ZH, _example())
    texts = _texts(fig)
    title = fig.texts[0].get_text()
    assert "清丰县" in title and "2026" in title and "年" in title
    assert "0/4 · 0%" in texts  # 马庄桥镇: four check-ins due, none on time
    assert "3/9 · 33.3%" in texts  # the whole county's check-ins
    assert "2/3 · 66.7%" in texts  # 城关镇's notices: the open overdue one counts
    assert "暂无数据" in texts  # 瓦屋头镇 had no check-ins due
    # One panel per rate, the subtree first and then each town.
    assert len(fig.axes) == 6
    names = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert names == ["合计", "城关镇", "马庄桥镇", "瓦屋头镇"]


def test_a_zero_bar_is_visibly_marked() -> None:
    fig = build_figure(ZH, _example())
    checkins = fig.axes[0]
    red = [
        p
        for p in checkins.patches
        if isinstance(p, Rectangle) and p.get_width() > 0 and to_hex(p.get_facecolor()) == "#c0392b"
    ]
    assert len(red) == 1 and red[0].get_y() < 2 < red[0].get_y() + red[0].get_height()


def test_png_is_phone_width_and_within_telegram_photo_limits() -> None:
    for s in (_example(), _many_units(MAX_BARS + 15)):
        png = render_chart(ZH, s)
        assert png.startswith(b"\x89PNG")
        width, height = struct.unpack(">II", png[16:24])
        assert 360 <= width <= 1100
        assert width + height <= 10_000 and height / width <= 20
    fig = build_figure(ZH, _many_units(MAX_BARS + 15))
    assert fig.get_figwidth() <= 4.5 and fig.dpi >= 100
    assert len(fig.axes[0].get_yticklabels()) == MAX_BARS + 1
    assert any("另有 15 个下级单位" in t for t in _texts(fig))


def test_no_text_overlaps_another_or_leaves_the_picture() -> None:
    for t in (ZH, EN):
        fig = build_figure(t, _many_units(MAX_BARS + 3, long=True))
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()  # type: ignore[attr-defined]
        page = fig.bbox
        boxes = [
            (x.get_text(), x.get_window_extent(renderer))
            for x in fig.findobj(Text)
            if x.get_text() and x.get_visible()
        ]
        for text, box in boxes:
            assert page.x0 - 1 <= box.x0 and box.x1 <= page.x1 + 1, text
            assert page.y0 - 1 <= box.y0 and box.y1 <= page.y1 + 1, text
        for i, (a, box_a) in enumerate(boxes):
            for b, box_b in boxes[i + 1 :]:
                assert not box_a.overlaps(box_b), (a, b)


def _many_units(n: int, long: bool = False) -> Summary:
    province = Unit(1, "P", "河南省纪律检查委员会和监察委员会机关" if long else "濮阳市",
                    UnitLevel.CITY, None, "/1/")  # fmt: skip
    parts = []
    for i in range(n):
        name = f"第{i}号市纪委监委派驻纪检监察组" if long and i % 2 else f"Unit {i} $x$"
        unit = Unit(2 + i, f"U{i}", name, UnitLevel.COUNTY, 1, f"/1/{2 + i}/")
        f = Figures(checkins_on_time=123456 - i, checkins_late=234567, notices_overdue=i,
                    units_passed=i, units_failed=1, reminders_sent=99999, reminders_acked=i,
                    quiz_eligible=1000, quiz_takers=1)  # fmt: skip
        parts.append(Part(unit, i == 0, f))
    total = Figures()
    for p in parts:
        total = total + p.figures
    period = parse_period("2026-01-01..2026-03-31")
    assert period is not None
    return Summary(province, period, total, tuple(parts), kinds=())
