"""Typed shortcuts: what officials type instead of pressing a button or sending a command
(收到 answers the latest reminder, 日历 runs /calendar, 我能提拔吗 runs /eligible).

It sits above the features it stands in for (records, reminders, eligibility), so the core
does not import them: its router registers the shortcut handler that the core tries on
plain text before the rule base.
"""
