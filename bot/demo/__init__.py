"""The demo organisation, pledges, records and reminders loaded by `lianzheng demo`."""
