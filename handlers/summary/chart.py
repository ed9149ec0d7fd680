"""The summary chart for a phone: one small panel per rate, one bar per sub-unit (PNG, Agg).

Drawn for a screen about 360 px wide, so the figure is narrow and tall (small multiples):
each panel is one rate of the summary, its first bar the whole subtree ("Total") and then
one bar per direct sub-unit. Every bar is labelled with its numerator and denominator
("3/5 · 60%"); a zero is drawn as a red stub and labelled ("0/4 · 0%"), and a rate with
nothing to divide by is labelled "no data" instead of being drawn as zero.

The numbers come from :func:`chart_rates`, which needs no matplotlib. Drawing uses the
object-oriented API with the Agg canvas (no pyplot, no global state, no display) and a CJK
font found by :mod:`handlers.summary.chart_font` so Chinese unit names render.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from handlers.core.i18n import Translator
from handlers.summary.chart_font import find_cjk_font
from handlers.summary.domain import Figures, Summary
from handlers.summary.text import period_label, rate_cell

#: Most sub-units drawn; more would make the figure too tall to read on a phone.
MAX_BARS = 25

#: Figure width in inches and resolution: 3.6 in at 200 dpi is 720 px, twice a 360 px phone
#: screen, so the text stays sharp on high-density screens; font sizes below are chosen
#: for this width (a 9 pt label shows about 12 px high on a 360 px wide screen).
WIDTH_IN = 3.6
DPI = 200
#: Telegram refuses a photo whose width and height add up to more than 10 000 px.
MAX_PHOTO_SUM_PX = 9_900

_MARGIN_IN = 0.1
_ROW_IN = 0.22  # one bar with its label
_BAR_HEIGHT = 0.62  # of a row
_PAD_PT = 4.0  # between the names, the bars and the value labels
_MIN_BAR_AREA_IN = 1.0
_MAX_NAME_COL_IN = 1.3
_MAX_LABEL_COL_IN = 1.3

_TITLE_PT, _PANEL_PT, _BASIS_PT, _NAME_PT, _VALUE_PT, _NOTE_PT = 12.0, 10.5, 8.0, 9.0, 8.5, 8.0
_LINE_SPACING = 1.4

_TOTAL_COLOUR = "#1f4e79"
_PART_COLOUR = "#5b9bd5"
_TRACK_COLOUR = "#e9edf2"
_ZERO_COLOUR = "#c0392b"
_MUTED_COLOUR = "#7f8790"
_TEXT_COLOUR = "#1a1a1a"
_ZERO_STUB = 2.0  # percent of the track: wide enough to see, narrow enough not to read as 2%
_MIN_VISIBLE = 1.0  # percent: a tiny non-zero share (1/1000) still shows a sliver of blue


@dataclass(frozen=True)
class RateBar:
    """One rate of one subtree: what it counts and its numerator over its denominator."""

    key: str  # stable name of the rate, independent of the language
    label: str  # the rate's name, e.g. "check-ins on time"
    basis: str  # what is divided by what, e.g. "on time / due"
    numerator: int
    denominator: int

    @property
    def rate(self) -> float | None:
        """numerator / denominator, or None when there is nothing to divide by."""
        return self.numerator / self.denominator if self.denominator else None


def chart_rates(t: Translator, f: Figures, s: Summary) -> list[RateBar]:
    """Every rate the chart shows for the figures ``f`` of one subtree of summary ``s``.

    ``s`` only decides which optional rates apply (reminders, the education-month test).
    """
    # Notices still open past their deadline count against the rate: dividing by closed
    # notices only would read 100% while overdue ones are still waiting.
    notices_due = f.notices_closed_on_time + f.notices_closed_late + f.notices_overdue
    appraised = f.appraisal_excellent + f.appraisal_passed + f.appraisal_failed
    bars = [
        RateBar(
            "checkins",
            t._("check-ins on time"),
            t._("on time / due"),
            f.checkins_on_time,
            f.checkins_expected,
        ),
        RateBar(
            "notices",
            t._("notices closed on time"),
            t._("closed on time / (closed + open past the deadline)"),
            f.notices_closed_on_time,
            notices_due,
        ),
        RateBar(
            "assessment",
            t._("units passing assessment"),
            t._("excellent or passed / assessed (unit-times)"),
            f.units_excellent + f.units_passed,
            f.units_assessed,
        ),
        RateBar(
            "appraisal",
            t._("pledge appraisal rated good"),
            t._("excellent or passed / appraised (people)"),
            f.appraisal_excellent + f.appraisal_passed,
            appraised,
        ),
    ]
    if s.has_reminders:
        bars.append(
            RateBar(
                "reminders",
                t._("reminders acknowledged"),
                t._("acknowledged / sent"),
                f.reminders_acked,
                f.reminders_sent,
            )
        )
    if s.has_quiz:
        bars.append(
            RateBar(
                "quiz",
                t._("test participation"),
                t._("took the test / expected to take it"),
                f.quiz_takers,
                f.quiz_eligible,
            )
        )
    return bars


def percent_text(numerator: int, denominator: int) -> str:
    """A share as the summary text and spreadsheet show it (one decimal: ``66.7%``,
    ``60%``), except that it reads 0% or 100% only when it is exactly so.

    Rounding alone would show 19999/20000 as 100% and 1/20000 as 0%, the very readings a
    supervisor acts on; they show as 99.9% and 0.1%.
    """
    if numerator == 0:
        return "0%"
    if numerator == denominator:
        return "100%"
    value = rate_cell(numerator / denominator) or 0.0
    if numerator < denominator:
        value = min(99.9, max(0.1, value))
    return f"{value:g}%"


def value_label(t: Translator, bar: RateBar) -> str:
    """The label of a bar: ``3/5 · 60%``, or "no data" when the denominator is zero."""
    if bar.denominator == 0:
        return t._("no data")
    return t._(
        "{numerator}/{denominator} · {percent}",
        numerator=bar.numerator,
        denominator=bar.denominator,
        percent=percent_text(bar.numerator, bar.denominator),
    )


def build_figure(t: Translator, s: Summary) -> Figure:
    """The chart as a matplotlib figure (tests inspect its texts and fonts).

    The figure's height follows the number of rates and sub-units; its width is fixed.
    """
    font = find_cjk_font()
    family = [font.family] if font else ["sans-serif"]
    own = t._(" (own)")
    names = [t._("Total")] + [p.unit.name + (own if p.own else "") for p in s.parts[:MAX_BARS]]
    table = [chart_rates(t, s.total, s)] + [
        chart_rates(t, p.figures, s) for p in s.parts[:MAX_BARS]
    ]
    left_out = max(0, len(s.parts) - MAX_BARS)

    # Horizontal layout (inches): names | bars (0–100%) | value labels, sized to the text.
    labels = [[value_label(t, bar) for bar in row] for row in table]
    widest = max(_width_pt(x, family, _VALUE_PT) for row in labels for x in row) / 72
    label_col = min(_MAX_LABEL_COL_IN, widest)
    # Counts of a whole province can be long ("369915/1073595 · 34%"): shrink those labels
    # rather than let them run off the picture.
    value_pt = _VALUE_PT * min(1.0, _MAX_LABEL_COL_IN / widest)
    inner = WIDTH_IN - 2 * _MARGIN_IN
    pads = 2 * _PAD_PT / 72
    longest_name = max(_width_pt(n, family, _NAME_PT) for n in names)
    name_col = min(_MAX_NAME_COL_IN, longest_name / 72, inner - pads - label_col - _MIN_BAR_AREA_IN)
    bar_left = _MARGIN_IN + name_col + _PAD_PT / 72
    bar_width = inner - name_col - pads - label_col
    shown = [_fit(n, family, _NAME_PT, name_col * 72) for n in names]

    # Vertical layout: wrap the texts first, then stack the blocks from the top.
    text_width = inner * 72
    title = _wrap(
        t._("{unit} · {period}: key rates", unit=s.unit.name, period=period_label(t, s.period)),
        family,
        _TITLE_PT,
        text_width,
    )
    panels = []
    for i, bar in enumerate(table[0]):
        # A rate nobody has data for: one "no data" row says it for every sub-unit.
        rows = [0] if all(row[i].denominator == 0 for row in table) else list(range(len(table)))
        basis = _wrap(bar.basis, family, _BASIS_PT, text_width)
        panels.append((i, bar.label, basis, rows))
    note = (
        _wrap(
            t._("… and {n} more sub-units, counted in the total", n=left_out),
            family,
            _NOTE_PT,
            text_width,
        )
        if left_out
        else []
    )

    def line(size: float) -> float:
        return size * _LINE_SPACING / 72

    height = 2 * _MARGIN_IN + len(title) * line(_TITLE_PT) + 0.08
    for _, _, basis, rows in panels:
        height += line(_PANEL_PT) + len(basis) * line(_BASIS_PT) + 0.05
        height += len(rows) * _ROW_IN + 0.2
    height += len(note) * line(_NOTE_PT)

    # Stay inside Telegram's photo limits however many rows there are.
    dpi = min(DPI, int(MAX_PHOTO_SUM_PX / (WIDTH_IN + height)))
    fig = Figure(figsize=(WIDTH_IN, height), dpi=dpi)
    FigureCanvasAgg(fig)

    def y(inches_from_top: float) -> float:
        return 1 - inches_from_top / height

    def text(at: float, content: str, size: float, colour: str, linespacing: float = 1.2) -> None:
        fig.text(
            _MARGIN_IN / WIDTH_IN,
            y(at),
            content,
            fontsize=size,
            fontfamily=family,
            va="top",
            ha="left",
            parse_math=False,  # a "$" in a unit name is not a formula
            color=colour,
            linespacing=linespacing,
        )

    top = _MARGIN_IN
    text(top, "\n".join(title), _TITLE_PT, _TEXT_COLOUR)
    top += len(title) * line(_TITLE_PT) + 0.08
    for i, label, basis, rows in panels:
        text(top, label, _PANEL_PT, _TEXT_COLOUR)
        top += line(_PANEL_PT)
        text(top, "\n".join(basis), _BASIS_PT, _MUTED_COLOUR, 1.25)
        top += len(basis) * line(_BASIS_PT) + 0.05
        axes_height = len(rows) * _ROW_IN
        ax = fig.add_axes(
            (
                bar_left / WIDTH_IN,
                y(top + axes_height),
                bar_width / WIDTH_IN,
                axes_height / height,
            )
        )
        _draw_panel(ax, [table[r][i] for r in rows], [labels[r][i] for r in rows], family, value_pt)
        ax.set_yticks(range(len(rows)))
        ax.set_yticklabels(
            [shown[r] for r in rows], fontfamily=family, fontsize=_NAME_PT, parse_math=False
        )
        top += axes_height + 0.2
    if note:
        text(top - 0.08, "\n".join(note), _NOTE_PT, _MUTED_COLOUR, 1.25)
    return fig


def render_chart(t: Translator, s: Summary) -> bytes:
    """The chart as PNG bytes, ``WIDTH_IN`` × ``DPI`` pixels wide (720 px)."""
    fig = build_figure(t, s)
    buffer = io.BytesIO()
    # No bbox_inches="tight": the layout above already fits, and a fixed width is what
    # keeps the font sizes readable on a phone.
    fig.savefig(buffer, format="png", dpi=fig.dpi, facecolor="white")
    return buffer.getvalue()


def _draw_panel(
    ax: Axes, bars: list[RateBar], labels: list[str], family: list[str], value_pt: float
) -> None:
    """Bars on a 0–100% track, the subtree's total first, each labelled on the right."""
    n = len(bars)
    ax.set_xlim(0, 100)
    ax.set_ylim(n - 0.5, -0.5)  # first row on top
    for row, bar in enumerate(bars):
        colour = _TOTAL_COLOUR if row == 0 else _PART_COLOUR
        if bar.rate is None:
            # Nothing to divide by: an empty hatched track, so it cannot be read as 0%.
            ax.barh(row, 100, height=_BAR_HEIGHT, color="none", edgecolor="#c8ced6",
                    hatch="////", linewidth=0)  # fmt: skip
            label_colour, style = _MUTED_COLOUR, "italic"
        else:
            ax.barh(row, 100, height=_BAR_HEIGHT, color=_TRACK_COLOUR, linewidth=0)
            if bar.numerator == 0:
                # A zero bar has no length: mark it with a red stub and a red label.
                ax.barh(row, _ZERO_STUB, height=_BAR_HEIGHT, color=_ZERO_COLOUR, linewidth=0)
                label_colour, style = _ZERO_COLOUR, "normal"
            else:
                length = max(_MIN_VISIBLE, 100 * bar.rate)
                ax.barh(row, length, height=_BAR_HEIGHT, color=colour, linewidth=0)
                label_colour, style = _TEXT_COLOUR, "normal"
        ax.annotate(
            labels[row],
            xy=(1, row),
            xycoords=("axes fraction", "data"),
            xytext=(_PAD_PT, 0),
            textcoords="offset points",
            ha="left",
            va="center",
            fontsize=value_pt,
            fontfamily=family,
            fontstyle=style,
            color=label_colour,
            parse_math=False,
        )
    if n > 1:
        # Set the whole subtree apart from its sub-units.
        ax.axhline(0.5, color="#b0b7c0", linewidth=0.6)
    ax.set_xticks([])
    ax.tick_params(axis="y", length=0, pad=_PAD_PT, labelcolor=_TEXT_COLOUR)
    for spine in ax.spines.values():
        spine.set_visible(False)


_TEXT_TO_PATH = TextToPath()
#: A wide (CJK) character, or a run of anything else up to and including its spaces.
_TOKENS = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]+\s*|\s+")  # fmt: skip


def _width_pt(content: str, family: list[str], size: float) -> float:
    """Width of ``content`` set in ``family`` at ``size`` points, in points."""
    prop = FontProperties(family=family, size=size)
    width, _, _ = _TEXT_TO_PATH.get_text_width_height_descent(content, prop, ismath=False)
    return float(width)


def _fit(content: str, family: list[str], size: float, width: float) -> str:
    """``content`` shortened with "…" until it is at most ``width`` points wide."""
    if _width_pt(content, family, size) <= width:
        return content
    for end in range(len(content) - 1, 0, -1):
        short = content[:end].rstrip() + "…"
        if _width_pt(short, family, size) <= width:
            return short
    return "…"


def _wrap(content: str, family: list[str], size: float, width: float) -> list[str]:
    """``content`` broken into lines at most ``width`` points wide.

    Breaks between Chinese characters and between words (matplotlib's own wrapping only
    breaks at spaces, which Chinese text has none of).
    """
    lines: list[str] = []
    current = ""
    for token in _TOKENS.findall(content):
        if current and _width_pt((current + token).rstrip(), family, size) > width:
            lines.append(current.rstrip())
            current = token.lstrip()
        else:
            current += token
    if current.strip() or not lines:
        lines.append(current.rstrip())
    return lines
