"""The curated rule base (data files) and everything that reads it."""

from pathlib import Path

#: The folder of the data files every reader of the rule base loads (synonyms, documents,
#: sanctions, the decision models …).
DATA_DIR = Path(__file__).parent / "data"
