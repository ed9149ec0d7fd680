"""The dispatcher loop: reminders, digests, quiz closing, snapshot refresh, token cleanup."""
