"""The console chat through ``python -m bot run``: log lines go to the log file, not the chat."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e


def test_run_without_token_keeps_log_lines_out_of_the_chat(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "DATABASE_URL": "", "LOG_LEVEL": "INFO"}
    env.pop("BOT_TOKEN", None)
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "run"],
        input="/me\n",
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stderr
    assert "王建国" in proc.stdout
    assert "level=" not in proc.stdout and "level=" not in proc.stderr
    log = Path("data") / "logs" / "console.log"
    assert proc.stderr.count(f"log: {log}") == 1  # said once, at start
    text = (tmp_path / log).read_text(encoding="utf-8")
    assert "level=INFO logger=lianzheng.reminders" in text
