"""/eligible: who may be rated advanced or promoted, from the records and the sanction
periods in `knowledge/data/sanctions.yaml` (pure rules in `rules.py`, period and rating-year
arithmetic in `dates.py`, the reply's text in `reply.py`).
"""
