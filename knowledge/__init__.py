"""The curated rule base (data files) and everything that reads it."""
