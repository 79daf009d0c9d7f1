"""Shared fixtures: the corpus, LibreOffice, small workbooks built in code."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
WORKBOOK_DIR = ROOT / "workbook"


def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def need_soffice() -> str:
    """The LibreOffice binary; CI must have it (a skip there would hide a missing install step)."""
    path = soffice_path()
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice (soffice) is not installed; .ci/run must install libreoffice-calc-nogui")
        pytest.skip("LibreOffice not installed")
    return path


def libreoffice_convert(src: Path, outdir: Path, to: str = "xlsx:Calc MS Excel 2007 XML") -> Path:
    """Open ``src`` in a headless LibreOffice (own throw-away profile), recalculate, convert into ``outdir``."""
    soffice = need_soffice()
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        result = subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", to, "--outdir", str(outdir), str(src)],
            capture_output=True, text=True, timeout=180,
        )
    ext = to.split(":")[0]
    out = outdir / (src.stem + "." + ext)
    assert out.exists(), f"LibreOffice did not convert {src}: {result.stdout} {result.stderr}"
    return out


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"the shared corpus is missing at {CORPUS}")
    return CORPUS
