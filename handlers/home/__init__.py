"""/start, /help, /about and the language setting: what a person sees first."""
