"""The real-world corpus is optional: without ``XL_CAMPAIGN_CORPUS`` its tests skip and say how to run them; with
the variable naming a folder that does not exist they fail (a typo must not pass as a skip)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .conftest import CORPUS_VARIABLE, ROOT

ONE_CORPUS_TEST = "tests/test_reader_layouts.py::test_1904_workbook_dates_of_the_corpus"


def run_pytest(corpus: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != CORPUS_VARIABLE}
    if corpus is not None:
        env[CORPUS_VARIABLE] = corpus
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", ONE_CORPUS_TEST],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_without_the_variable_the_corpus_tests_skip_and_say_why() -> None:
    run = run_pytest(None)
    assert run.returncode == 0 and run.stdout.splitlines()[-1].startswith("1 skipped"), run.stdout
    assert f"set {CORPUS_VARIABLE}=path/to/corpus to run" in run.stdout


def test_a_corpus_folder_that_does_not_exist_fails(tmp_path: Path) -> None:
    run = run_pytest(str(tmp_path / "no-such-corpus"))
    assert run.returncode == 1 and run.stdout.splitlines()[-1].startswith("1 error"), run.stdout
    assert "no-such-corpus, which is not a folder" in run.stdout
