"""/eligible: who may be rated advanced or promoted, from the records and the sanction
periods in `knowledge/data/sanctions.yaml` (pure rules in `rules.py`).
"""
