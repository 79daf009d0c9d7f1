"""Shared fixtures: the real-world corpus (when given), LibreOffice, small workbooks built in code.

The suite needs nothing beside the repository: hostile and odd inputs are made by ``tests/hostile.py``. The
real-world corpus (Apache POI's test spreadsheets and one file per kind of bad input) runs in addition when its
folder is named by the environment variable ``XL_CAMPAIGN_CORPUS``::

    XL_CAMPAIGN_CORPUS=path/to/corpus pytest

Without the variable the corpus tests are skipped and say so; with it set to a folder that does not exist they
fail (a typo must not pass as a skip). ``.ci/run`` sets it when CI has the corpus beside the clone.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
WORKBOOK_DIR = ROOT / "workbook"
CORPUS_VARIABLE = "XL_CAMPAIGN_CORPUS"


@pytest.fixture(autouse=True, scope="session")
def _policy_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Validated policy files are cached in a folder of the test run, never in the user's own cache (processes the
    tests start inherit it)."""
    os.environ["XL_CAMPAIGN_CACHE_DIR"] = str(tmp_path_factory.mktemp("policy-cache"))


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


def corpus_path() -> Path | None:
    """The corpus folder named by ``XL_CAMPAIGN_CORPUS`` (a relative path is taken from the current folder), or
    None when the variable is unset or empty."""
    value = os.environ.get(CORPUS_VARIABLE, "").strip()
    return Path(value).expanduser().resolve() if value else None


CORPUS_AT_START = corpus_path()  # resolved once, from the folder pytest was started in


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The real-world corpus: skipped without ``XL_CAMPAIGN_CORPUS``, failed when it names no folder."""
    path = CORPUS_AT_START
    if path is None:
        pytest.skip(f"set {CORPUS_VARIABLE}=path/to/corpus to run the tests over the real-world corpus")
    if not path.is_dir():
        pytest.fail(f"{CORPUS_VARIABLE} names {path}, which is not a folder")
    return path


def unbroken(label: Any) -> Any:
    """A header as its label says it: the Summary breaks a header at a space (the line break stands for it) or
    between two Chinese characters and before a full-width bracket (the line break stands for nothing)."""
    if not isinstance(label, str):
        return label
    out = []
    for index, char in enumerate(label):
        if char != "\n":
            out.append(char)
            continue
        before, after = label[index - 1], label[index + 1]
        chinese = unicodedata.east_asian_width(after) in ("W", "F") and (
            after == "（" or unicodedata.east_asian_width(before) in ("W", "F"))
        out.append("" if chinese else " ")
    return "".join(out)
