"""Tables and repository of digest subscriptions and sendings."""
