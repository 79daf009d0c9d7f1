"""Nothing heavy on ``check``'s cold path: a fresh ``xl-campaign check`` of a workbook with no policy file imports
neither pandas nor pydantic (nor pyarrow); with a policy file it imports pydantic to validate it the first time,
and still not pandas; once the file has validated, later runs take its values from the cache without pydantic.
Measured in a fresh process with ``-X importtime``, which lists every module imported, worker processes' included
(they inherit the option)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import WORKBOOK_DIR

HEAVY = ("pandas", "pydantic", "pyarrow", "numpy")


def imported(folder: Path, *args: str, env: dict[str, str] | None = None) -> set[str]:
    run = subprocess.run([sys.executable, "-X", "importtime", "-m", "xl_campaign.cli", "check", *args],
                         capture_output=True, text=True, timeout=300, cwd=folder, env=env)
    assert run.returncode in (0, 1), run.stderr[-2000:]
    modules = set()
    for line in run.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            modules.add(line.rsplit("|", 1)[1].strip().split(".")[0])
    assert "python_calamine" in modules  # the measurement sees the imports
    return modules


@pytest.mark.parametrize("jobs", ["0", "2"])
def test_check_without_a_policy_file_imports_nothing_heavy(tmp_path: Path, jobs: str) -> None:
    shutil.copy(WORKBOOK_DIR / "example_zh.xlsx", tmp_path / "618.xlsx")
    shutil.copy(WORKBOOK_DIR / "example_en.xlsx", tmp_path / "launch.xlsx")
    modules = imported(tmp_path, ".", "--jobs", jobs)
    assert not modules & set(HEAVY), sorted(modules & set(HEAVY))
    assert "tomllib" not in modules  # no policy file above /tmp: not even TOML is read


def test_check_with_a_policy_file_imports_pydantic_once_and_never_pandas(tmp_path: Path) -> None:
    shutil.copy(WORKBOOK_DIR / "example_zh.xlsx", tmp_path / "618.xlsx")
    (tmp_path / "xl-campaign.toml").write_text('[thresholds]\nreserve-range = ["8%", "12%"]\n', encoding="utf-8")
    env = dict(os.environ, XL_CAMPAIGN_CACHE_DIR=str(tmp_path / "cache"))
    first = imported(tmp_path, "618.xlsx", "--jobs", "0", env=env)
    assert "pydantic" in first and "tomllib" in first
    assert not first & {"pandas", "pyarrow", "numpy"}
    again = imported(tmp_path, "618.xlsx", "--jobs", "0", env=env)  # validated before: from the cache
    assert "tomllib" in again and not again & set(HEAVY)
    (tmp_path / "xl-campaign.toml").write_text('[thresholds]\nreserve-range = ["8%", "13%"]\n', encoding="utf-8")
    assert "pydantic" in imported(tmp_path, "618.xlsx", "--jobs", "0", env=env)  # changed: validated again
    off = dict(env, XL_CAMPAIGN_NO_CACHE="1")
    assert "pydantic" in imported(tmp_path, "618.xlsx", "--jobs", "0", env=off)
