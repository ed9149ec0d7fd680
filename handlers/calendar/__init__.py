"""The year's calendar: its events (start-of-year meeting, mid-year meetings, democratic
life meeting, education month, year-end assessment) with the dates administrators set
(/calendar), the pledge deadline and check-in windows that follow them, and whom each event
concerns. Reminders, pledges, eligibility, the quiz and summaries read the year from here.
"""
