"""`xl-campaign new` and `show` as a user runs them: a real process, real files."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

from xl_campaign.io.reader import read_plan


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xl_campaign.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120)


def test_new_with_launch_schedules_stages(tmp_path: Path) -> None:
    result = run("new", "618.xlsx", "--launch", "2025-06-18", "--lang", "zh", "--name", "618大促", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    plan = read_plan(tmp_path / "618.xlsx")
    assert plan.lang == "zh" and plan.overview.name == "618大促"
    assert plan.overview.launch == date(2025, 6, 18)
    assert {t.stage for t in plan.tasks} == {"research", "planning", "warmup", "burst", "continuation", "review"}
    assert "Traceback" not in result.stderr


def test_new_example_in_english(tmp_path: Path) -> None:
    result = run("new", "ex.xlsx", "--example", "--lang", "en", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    plan = read_plan(tmp_path / "ex.xlsx")
    assert plan.lang == "en" and len(plan.tasks) == 16 and plan.overview.owner == ["Wang Fang"]


def test_new_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "mine.xlsx"
    target.write_bytes(b"precious")
    result = run("new", "mine.xlsx", cwd=tmp_path)
    assert result.returncode == 2
    assert "--force" in result.stderr and "Traceback" not in result.stderr
    assert target.read_bytes() == b"precious"
    assert run("new", "mine.xlsx", "--force", cwd=tmp_path).returncode == 0
    assert read_plan(target).overview.name


def test_new_rejects_bad_arguments(tmp_path: Path) -> None:
    bad_date = run("new", "x.xlsx", "--launch", "18/06/2025", cwd=tmp_path)
    assert bad_date.returncode == 2 and "YYYY-MM-DD" in bad_date.stderr
    bad_lang = run("new", "x.xlsx", "--lang", "fr", cwd=tmp_path)
    assert bad_lang.returncode == 2
    assert not (tmp_path / "x.xlsx").exists()


def test_show_reads_back(tmp_path: Path) -> None:
    assert run("new", "ex.xlsx", "--example", cwd=tmp_path).returncode == 0
    result = run("show", "ex.xlsx", cwd=tmp_path)
    assert result.returncode == 0
    assert "618 新品推广活动" in result.stdout and "Tasks" in result.stdout


def test_show_on_a_broken_file_is_a_message(tmp_path: Path) -> None:
    (tmp_path / "bad.xlsx").write_text("a,b\n1,2\n")
    result = run("show", "bad.xlsx", "--lang", "en", cwd=tmp_path)
    assert result.returncode == 1 and "XF001" in result.stdout and "not an Excel workbook" in result.stdout
    assert "Traceback" not in result.stderr
