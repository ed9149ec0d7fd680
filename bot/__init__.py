"""Entry points: CLI, settings, composition root and the front ends (console, PTB, aiogram)."""
