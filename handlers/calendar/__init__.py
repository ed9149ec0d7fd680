"""The year's events (start-of-year meeting, mid-year meetings, democratic life meeting,
education month, year-end assessment): /calendar and this year's dates.
"""
