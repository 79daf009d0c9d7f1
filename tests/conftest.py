"""Shared fixtures: the corpus, LibreOffice, small workbooks built in code."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
WORKBOOK_DIR = ROOT / "workbook"


def find_binary(*names: str) -> str | None:
    """The first of ``names`` found on PATH."""
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


def need_binary(names: tuple[str, ...], what: str, package: str) -> str:
    """A program the test needs; CI must have it (a skip there would hide a missing install step)."""
    path = find_binary(*names)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{what} is not installed; .ci/run must install Debian's {package}")
        pytest.skip(f"{what} not installed")
    return path


def soffice_path() -> str | None:
    return find_binary("soffice", "libreoffice")


def need_soffice() -> str:
    """The LibreOffice binary."""
    return need_binary(("soffice", "libreoffice"), "LibreOffice (soffice)", "libreoffice-calc-nogui")


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


def libreoffice_convert_many(sources: list[Path], outdir: Path, to: str = "xlsx:Calc MS Excel 2007 XML"
                             ) -> list[Path]:
    """``libreoffice_convert`` for several files in one LibreOffice run (one start-up instead of many)."""
    soffice = need_soffice()
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="lo-profile-") as profile:
        result = subprocess.run(
            [soffice, f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
             "--convert-to", to, "--outdir", str(outdir), *map(str, sources)],
            capture_output=True, text=True, timeout=600,
        )
    ext = to.split(":")[0]
    outs = [outdir / (src.stem + "." + ext) for src in sources]
    missing = [str(out) for out in outs if not out.exists()]
    assert not missing, f"LibreOffice did not convert {missing}: {result.stdout} {result.stderr}"
    return outs


_FORMULA_VALUE = re.compile(rb'(<c\b[^>]*?)(\st="(?:str|b|e|n)")?(>\s*<f\b[^>]*?(?:/>|>[^<]*</f>))\s*<v>[^<]*</v>')


def strip_cached_values(src: Path, out: Path) -> Path:
    """A copy of the workbook ``src`` whose formulas have no cached values: a spreadsheet program opening it must
    calculate every one (with the values present, LibreOffice keeps them instead of recalculating)."""
    with zipfile.ZipFile(src) as package:
        items = [(info, package.read(info)) for info in package.infolist()]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as stripped:
        for info, data in items:
            if info.filename.startswith("xl/worksheets/sheet") and info.filename.endswith(".xml"):
                data = _FORMULA_VALUE.sub(lambda m: m[1] + m[3] + b"<v></v>", data)
            stripped.writestr(info, data)
    return out


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.fail(f"the shared corpus is missing at {CORPUS}")
    return CORPUS
