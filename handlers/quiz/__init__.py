"""The education month's closed-book test (/test, /quiz): polls, scoring, and closing
attempts at their deadline.
"""
