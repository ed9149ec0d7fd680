"""The console front end end-to-end, through a subprocess, as a newcomer would use it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.e2e


def lianzheng(
    args: list[str], tmp_path: Path, stdin: str = "", **env: str
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m bot ARGS`` in a scratch folder with its own SQLite database."""
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    full_env.pop("BOT_TOKEN", None)
    full_env.setdefault("DATABASE_URL", f"sqlite:///{tmp_path / 'lz.db'}")
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=full_env,
        cwd=tmp_path,
        timeout=180,
    )


def test_main_job_without_token_opens_console_on_demo_data(tmp_path: Path) -> None:
    env = {"DATABASE_URL": ""}  # the embedded default: data/lianzheng.db in the working folder
    proc = lianzheng(["run"], tmp_path, "/me\n", **env)
    assert proc.returncode == 0, proc.stderr
    assert "王建国" in proc.stdout
    assert (tmp_path / "data" / "lianzheng.db").exists()


def test_piped_console_help_question_and_buttons(tmp_path: Path) -> None:
    assert lianzheng(["demo"], tmp_path).returncode == 0
    script = "/help\n诫勉谈话后多久不能提拔\n1\n/lang\n2\n/me\n"
    proc = lianzheng(["console", "--as", "1104"], tmp_path, script)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "您可以使用的命令" in out
    assert "/invite" not in out  # a cadre does not see administrator commands
    assert "📖 依据" in out and "[1] 👍" in out
    assert "谢谢您的反馈" in out
    assert "Language set to English." in out and "Name: 马丽娟" in out


def test_registration_through_cli_invite_and_console(tmp_path: Path) -> None:
    assert lianzheng(["demo", "--quiet"], tmp_path).returncode == 0
    created = lianzheng(
        ["invite", "create", "--unit", "QF-LT", "--role", "cadre", "--name", "新来的"], tmp_path
    )
    assert created.returncode == 0, created.stderr
    code = created.stdout.strip().splitlines()[-1]
    stranger = lianzheng(["console", "--as", "4242"], tmp_path, "/me\n")
    assert "仅供受邀人员使用" in stranger.stdout
    joined = lianzheng(["console", "--as", "4242"], tmp_path, f"/start {code}\n/me\n")
    assert "新来的" in joined.stdout and "六塔乡" in joined.stdout
    again = lianzheng(["console", "--as", "4343"], tmp_path, f"/start {code}\n")
    assert "无效或已过期" in again.stdout


def test_org_import_reports_bad_rows_and_imports_nothing(tmp_path: Path) -> None:
    assert lianzheng(["db", "upgrade"], tmp_path).returncode == 0
    units = tmp_path / "units.csv"
    units.write_text(
        "单位编码,单位名称,上级单位编码,层级\nX,某市,,市\nX1,某县,X,县\nX2,某局,NOPE,部门\n",
        encoding="utf-8",
    )
    bad = lianzheng(["org", "import", str(units)], tmp_path)
    assert bad.returncode == 1
    assert "第4行" in bad.stdout and "NOPE" in bad.stdout
    ok_units = tmp_path / "ok.csv"
    ok_units.write_text(
        "单位编码,单位名称,上级单位编码,层级\nX,某市,,市\nX1,某县,X,县\n", encoding="gbk"
    )
    dry = lianzheng(["org", "import", "--dry-run", str(ok_units)], tmp_path)
    assert dry.returncode == 0 and "2 unit(s)" in dry.stdout
    done = lianzheng(["org", "import", str(ok_units)], tmp_path)
    assert done.returncode == 0 and "imported 2 unit(s)" in done.stdout
    admin = lianzheng(
        ["admin", "create", "--unit", "X", "--name", "管理员", "--telegram-id", "99"], tmp_path
    )
    assert admin.returncode == 0, admin.stderr
    chat = lianzheng(["console", "--as", "99"], tmp_path, "/invite X1 cadre 某人\n")
    assert "某县" in chat.stdout


def test_kb_ask_json_needs_no_database(tmp_path: Path) -> None:
    import json

    proc = lianzheng(
        ["kb", "ask", "--json", "今天天气怎么样"], tmp_path, DATABASE_URL="postgresql://nowhere:1/x"
    )
    assert proc.returncode == 0, proc.stderr
    obj = json.loads(proc.stdout)
    assert obj["status"] == "none" and obj["query"] == "今天天气怎么样"
    assert not (tmp_path / "data").exists()
