"""Tables and repository of calendar events, reminders, acknowledgements and the quiz."""
