"""Supervisor summaries for a unit subtree and period: figures (live or from the
pre-aggregated snapshot), text, charts and spreadsheets.
"""
