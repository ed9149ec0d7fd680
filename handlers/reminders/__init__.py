"""Reminders of the year's events and personal deadlines: planning, sending with
repeats and escalation, acknowledgements (/reminders), and their texts and times.
"""
