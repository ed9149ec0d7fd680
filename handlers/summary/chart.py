"""The summary chart: direct sub-units side by side on the key rates (PNG, matplotlib Agg).

Uses the object-oriented API with the Agg canvas (no pyplot, no global state, no display),
and a CJK font found by :mod:`handlers.summary.chart_font` so Chinese unit names render.
"""

from __future__ import annotations

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from handlers.core.i18n import Translator
from handlers.summary.chart_font import find_cjk_font
from handlers.summary.domain import Figures, Summary
from handlers.summary.text import period_label

#: Most sub-units drawn; more would make the bars unreadable on a phone.
MAX_BARS = 25


def rate_series(t: Translator) -> list[tuple[str, str]]:
    """(label, Figures property) of the rates drawn, in legend order."""
    return [
        (t._("check-ins on time"), "checkin_on_time_rate"),
        (t._("notices closed on time"), "notice_on_time_rate"),
        (t._("units passing assessment"), "pass_rate"),
        (t._("reminders acknowledged"), "ack_rate"),
        (t._("test participation"), "quiz_participation"),
    ]


def build_figure(t: Translator, s: Summary) -> Figure:
    """The chart as a matplotlib figure (tests inspect its texts and fonts)."""
    rows: list[tuple[str, Figures]] = [
        (p.unit.name + (t._(" (own)") if p.own else ""), p.figures) for p in s.parts[:MAX_BARS]
    ] or [(s.unit.name, s.total)]
    series = rate_series(t)
    height = 2.2 + 0.9 * len(rows)
    fig = Figure(figsize=(8, min(height, 30)), dpi=100)
    FigureCanvasAgg(fig)
    font = find_cjk_font()
    family = [font.family] if font else ["sans-serif"]
    ax = fig.add_subplot(1, 1, 1)
    bar_h = 0.8 / len(series)
    for i, (label, prop) in enumerate(series):
        values = [getattr(f, prop) for _, f in rows]
        ys = [r + i * bar_h for r in range(len(rows))]
        ax.barh(ys, [(v or 0.0) * 100 for v in values], height=bar_h, label=label)
    ax.set_yticks([r + 0.4 - bar_h / 2 for r in range(len(rows))])
    ax.set_yticklabels([name for name, _ in rows], fontfamily=family)
    ax.invert_yaxis()
    ax.set_xlim(0, 100)
    ax.set_xlabel("%", fontfamily=family)
    ax.set_title(
        t._("{unit} · {period}: key rates", unit=s.unit.name, period=period_label(t, s.period)),
        fontfamily=family,
    )
    ax.legend(
        loc="upper center",
        bbox_to_anchor=(0.5, -0.1),
        ncol=3,
        prop={"family": family, "size": "small"},
    )
    fig.tight_layout()
    return fig


def render_chart(t: Translator, s: Summary) -> bytes:
    """The chart as PNG bytes."""
    fig = build_figure(t, s)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    return buffer.getvalue()
