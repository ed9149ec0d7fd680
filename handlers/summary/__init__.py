"""Supervisor summaries for a unit subtree and period: figures (live or from the
pre-aggregated snapshot), text, charts and spreadsheets.

Other capabilities (the digest) see its public surface: :mod:`handlers.summary.domain`,
:mod:`handlers.summary.ports`, and what is offered here: who may read a summary, building
one for a unit and period, the periods, and the text lines a summary is told in.
"""

from handlers.summary.figures import SUMMARY_ROLES, build_summary, scope_units
from handlers.summary.period import month_period, parse_period, range_period
from handlers.summary.text import attribution_line, figure_lines, period_label

__all__ = [
    "SUMMARY_ROLES",
    "attribution_line",
    "build_summary",
    "figure_lines",
    "month_period",
    "parse_period",
    "period_label",
    "range_period",
    "scope_units",
]
