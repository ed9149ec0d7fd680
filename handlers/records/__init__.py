"""Discipline records: warning talks, rectification notices, assessment results and
accountability cases — list, detail, create, edit with revisions, deletion, history — and
the notice deadlines the reminders use.
"""
