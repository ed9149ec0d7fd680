"""The summary chart for a phone: one small panel per rate, one bar per sub-unit (PNG, Agg).

Drawn for a screen about 360 px wide, so the figure is narrow and tall (small multiples):
each panel is one rate of the summary, its first bar the whole subtree ("Total") and then
one bar per direct sub-unit. Every bar is labelled with its numerator and denominator
("3/5 · 60%"); a zero is drawn as a red stub and labelled ("0/4 · 0%"), and a rate with
nothing to divide by is labelled "no data" instead of being drawn as zero.

The numbers come from :mod:`handlers.summary.chart_rates`, which needs no matplotlib.
Drawing uses the object-oriented API with the Agg canvas (no pyplot, no global state, no
display) and a CJK font found by :mod:`handlers.summary.chart_font` so Chinese unit names
render; texts are measured and wrapped by :mod:`handlers.summary.chart_text` to size the
layout before anything is drawn.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from handlers.core.i18n import Translator
from handlers.summary.chart_font import find_cjk_font
from handlers.summary.chart_rates import RateBar, chart_rates, value_label
from handlers.summary.chart_rates import percent_text as percent_text
from handlers.summary.chart_text import fit, width_pt, wrap
from handlers.summary.domain import Summary
from handlers.summary.text import period_label

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
class _Panel:
    """One rate's block: its name, what it divides (wrapped) and the rows it draws."""

    index: int  # of the rate in each row of the table
    label: str
    basis: list[str]
    rows: list[int]  # rows of the table drawn: the total and the sub-units, or one "no data"


@dataclass(frozen=True)
class _Layout:
    """Everything the figure draws and where, worked out before drawing (inches)."""

    family: list[str]
    table: list[list[RateBar]]  # the total's rates, then each shown sub-unit's
    labels: list[list[str]]  # the value label of each bar
    names: list[str]  # the row names, shortened to the name column
    value_pt: float
    bar_left: float
    bar_width: float
    title: list[str]
    panels: list[_Panel]
    note: list[str]
    height: float


def build_figure(t: Translator, s: Summary) -> Figure:
    """The chart as a matplotlib figure (tests inspect its texts and fonts).

    The figure's height follows the number of rates and sub-units; its width is fixed.
    """
    font = find_cjk_font()
    layout = _layout(t, s, [font.family] if font else ["sans-serif"])
    # Stay inside Telegram's photo limits however many rows there are.
    dpi = min(DPI, int(MAX_PHOTO_SUM_PX / (WIDTH_IN + layout.height)))
    fig = Figure(figsize=(WIDTH_IN, layout.height), dpi=dpi)
    FigureCanvasAgg(fig)
    _draw(fig, layout)
    return fig


def _layout(t: Translator, s: Summary, family: list[str]) -> _Layout:
    """The rates of the subtree and of each shown sub-unit, their texts, and where they go."""
    own = t._(" (own)")
    names = [t._("Total")] + [p.unit.name + (own if p.own else "") for p in s.parts[:MAX_BARS]]
    table = [chart_rates(t, s.total, s)] + [
        chart_rates(t, p.figures, s) for p in s.parts[:MAX_BARS]
    ]
    labels = [[value_label(t, bar) for bar in row] for row in table]
    value_pt, name_col, bar_left, bar_width = _columns(names, labels, family)
    title, panels, note = _texts(t, s, table, family)
    return _Layout(
        family=family,
        table=table,
        labels=labels,
        names=[fit(n, family, _NAME_PT, name_col * 72) for n in names],
        value_pt=value_pt,
        bar_left=bar_left,
        bar_width=bar_width,
        title=title,
        panels=panels,
        note=note,
        height=_height(title, panels, note),
    )


def _columns(
    names: list[str], labels: list[list[str]], family: list[str]
) -> tuple[float, float, float, float]:
    """The horizontal layout, sized to the text: names | bars (0–100%) | value labels.

    Returns the value labels' font size (points), the name column's width, and the bar
    area's left edge and width (inches).
    """
    widest = max(width_pt(x, family, _VALUE_PT) for row in labels for x in row) / 72
    label_col = min(_MAX_LABEL_COL_IN, widest)
    # Counts of a whole province can be long ("369915/1073595 · 34%"): shrink those labels
    # rather than let them run off the picture.
    value_pt = _VALUE_PT * min(1.0, _MAX_LABEL_COL_IN / widest)
    inner = WIDTH_IN - 2 * _MARGIN_IN
    pads = 2 * _PAD_PT / 72
    longest_name = max(width_pt(n, family, _NAME_PT) for n in names)
    name_col = min(_MAX_NAME_COL_IN, longest_name / 72, inner - pads - label_col - _MIN_BAR_AREA_IN)
    bar_left = _MARGIN_IN + name_col + _PAD_PT / 72
    bar_width = inner - name_col - pads - label_col
    return value_pt, name_col, bar_left, bar_width


def _texts(
    t: Translator, s: Summary, table: list[list[RateBar]], family: list[str]
) -> tuple[list[str], list[_Panel], list[str]]:
    """The title, each rate's panel and the note on sub-units left out, wrapped to the
    figure's width."""
    text_width = (WIDTH_IN - 2 * _MARGIN_IN) * 72
    title = wrap(
        t._("{unit} · {period}: key rates", unit=s.unit.name, period=period_label(t, s.period)),
        family,
        _TITLE_PT,
        text_width,
    )
    panels = []
    for i, bar in enumerate(table[0]):
        # A rate nobody has data for: one "no data" row says it for every sub-unit.
        rows = [0] if all(row[i].denominator == 0 for row in table) else list(range(len(table)))
        panels.append(_Panel(i, bar.label, wrap(bar.basis, family, _BASIS_PT, text_width), rows))
    left_out = max(0, len(s.parts) - MAX_BARS)
    note = (
        wrap(
            t._("… and {n} more sub-units, counted in the total", n=left_out),
            family,
            _NOTE_PT,
            text_width,
        )
        if left_out
        else []
    )
    return title, panels, note


def _line(size: float) -> float:
    """The height of one line of text at ``size`` points, in inches."""
    return size * _LINE_SPACING / 72


def _height(title: list[str], panels: list[_Panel], note: list[str]) -> float:
    """The figure's height: the title, then each panel, then the note (inches)."""
    height = 2 * _MARGIN_IN + len(title) * _line(_TITLE_PT) + 0.08
    for panel in panels:
        height += _line(_PANEL_PT) + len(panel.basis) * _line(_BASIS_PT) + 0.05
        height += len(panel.rows) * _ROW_IN + 0.2
    height += len(note) * _line(_NOTE_PT)
    return height


def _draw(fig: Figure, lay: _Layout) -> None:
    """Stack the title, the panels and the note from the top of ``fig``."""
    height = lay.height

    def y(inches_from_top: float) -> float:
        return 1 - inches_from_top / height

    def text(at: float, content: str, size: float, colour: str, linespacing: float = 1.2) -> None:
        fig.text(
            _MARGIN_IN / WIDTH_IN,
            y(at),
            content,
            fontsize=size,
            fontfamily=lay.family,
            va="top",
            ha="left",
            parse_math=False,  # a "$" in a unit name is not a formula
            color=colour,
            linespacing=linespacing,
        )

    top = _MARGIN_IN
    text(top, "\n".join(lay.title), _TITLE_PT, _TEXT_COLOUR)
    top += len(lay.title) * _line(_TITLE_PT) + 0.08
    for panel in lay.panels:
        i, rows = panel.index, panel.rows
        text(top, panel.label, _PANEL_PT, _TEXT_COLOUR)
        top += _line(_PANEL_PT)
        text(top, "\n".join(panel.basis), _BASIS_PT, _MUTED_COLOUR, 1.25)
        top += len(panel.basis) * _line(_BASIS_PT) + 0.05
        axes_height = len(rows) * _ROW_IN
        ax = fig.add_axes(
            (
                lay.bar_left / WIDTH_IN,
                y(top + axes_height),
                lay.bar_width / WIDTH_IN,
                axes_height / height,
            )
        )
        _draw_panel(
            ax,
            [lay.table[r][i] for r in rows],
            [lay.labels[r][i] for r in rows],
            lay.family,
            lay.value_pt,
        )
        ax.set_yticks(range(len(rows)))
        ax.set_yticklabels(
            [lay.names[r] for r in rows], fontfamily=lay.family, fontsize=_NAME_PT, parse_math=False
        )
        top += axes_height + 0.2
    if lay.note:
        text(top - 0.08, "\n".join(lay.note), _NOTE_PT, _MUTED_COLOUR, 1.25)


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
