"""Discipline records: warning talks, rectification notices, assessment results and
accountability cases (with the handling of each person) — each a declarative kind on one
generic record engine: list, detail, create, edit with revisions, deletion with a
tombstone, history, access checks and audit — and the notice deadlines the reminders use.
"""
