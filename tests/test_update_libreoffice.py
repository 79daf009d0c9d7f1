"""The updated workbook in a real spreadsheet engine (LibreOffice, headless): it opens, recalculates, and every
native formula of the generated sheets gives the number the Python core computed; the Gantt renders to a PDF
whose first page, turned into an image by pdftoppm, shows the bars."""

from __future__ import annotations

import shutil
import subprocess
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from xl_campaign.app.update import generated_docs, read_user_plan, update_workbook, validate
from xl_campaign.core import spec as S
from xl_campaign.core.content import EXAMPLE_AS_OF, example
from xl_campaign.core.sheets.gantt import OVERDUE_FILL, STAGE_COLORS, TODAY_FILL
from xl_campaign.io.template import write_workbook

from .conftest import libreoffice_convert, need_soffice, strip_cached_values

pytestmark = pytest.mark.libreoffice


def same(engine: Any, expected: Any) -> bool:
    if expected in ("", None):
        return engine in ("", None)
    if isinstance(expected, bool):
        return engine == expected
    if isinstance(expected, int | float | Decimal):
        if not isinstance(engine, int | float) or isinstance(engine, bool):
            return False
        return abs(Decimal(repr(float(engine))) - Decimal(expected)) <= Decimal("1e-9") * max(1, abs(Decimal(expected)))
    if isinstance(expected, date):
        day = engine.date() if isinstance(engine, datetime) else engine
        return bool(day == expected)
    return bool(engine == expected)


@pytest.fixture(scope="module", params=["zh", "en"])
def updated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, Path]:
    lang = request.param
    folder = tmp_path_factory.mktemp(f"update-lo-{lang}")
    source = folder / f"campaign_{lang}.xlsx"
    write_workbook(example(lang), str(source))
    update_workbook(source, keep_backups=0)
    bare = strip_cached_values(source, folder / f"bare_{lang}.xlsx")  # else LibreOffice keeps the stored values
    return lang, source, libreoffice_convert(bare, folder / "recalculated")


def test_every_native_formula_equals_the_python_rollup(updated: tuple[str, Path, Path]) -> None:
    import openpyxl

    lang, source, converted = updated
    plan = read_user_plan(str(source))
    findings = validate(plan, lang, EXAMPLE_AS_OF)
    docs = generated_docs(plan, findings, lang, EXAMPLE_AS_OF)
    engine = openpyxl.load_workbook(converted, data_only=True)
    assert [d.name for d in docs] == [S.GANTT.name(lang), S.SUMMARY.name(lang), S.ISSUES.name(lang)]
    checked = 0
    for doc in docs:
        ws = engine[doc.name]
        mismatches = [(r, c, cell.formula, cell.value, ws.cell(r, c).value) for r, c, cell in doc.formula_cells()
                      if not same(ws.cell(r, c).value, cell.value)]
        assert mismatches == [], (doc.name, mismatches[:10])
        checked += len(doc.formula_cells())
    summary = next(d for d in docs if d.key == "summary")
    assert len(summary.formula_cells()) > 150 and checked > 300
    # the key figures LibreOffice computed are the core's: reserve rate 12%, ROI of the whole campaign
    cards = {engine[summary.name].cell(4, c).value: engine[summary.name].cell(5, c).value for c in range(1, 9)}
    assert cards[S.BUDGET_SUMMARY_ROWS[2][1 if lang == "zh" else 2]] == pytest.approx(0.12)


def test_libreoffice_keeps_the_user_sheets(updated: tuple[str, Path, Path]) -> None:
    import openpyxl

    lang, source, converted = updated
    ours = openpyxl.load_workbook(source)
    theirs = openpyxl.load_workbook(converted)
    assert theirs.sheetnames == ours.sheetnames
    tasks = S.TASKS.name(lang)

    def typed(ws: Any) -> dict[str, Any]:
        return {c.coordinate: c.value for row in ws.iter_rows(max_col=6) for c in row if c.value is not None}

    assert typed(theirs[tasks]) == typed(ours[tasks])


def _ppm_pixels(path: Path) -> tuple[int, int, bytes]:
    data = path.read_bytes()
    parts = data.split(maxsplit=4)
    assert parts[0] == b"P6"
    width, height, _maxval = int(parts[1]), int(parts[2]), int(parts[3])
    return width, height, parts[4][: width * height * 3]


def render_gantt(source: Path, lang: str, folder: Path, dpi: int = 72) -> tuple[Path, Path]:
    """The workbook printed by LibreOffice as it is, then the Gantt sheet's first page (found by its footer) as PNG
    and as PPM."""
    from .sheet_pictures import pages_per_sheet

    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        pytest.fail("pdftoppm is missing: .ci/run installs poppler-utils")
    folder.mkdir(parents=True, exist_ok=True)
    pdf = libreoffice_convert(source, folder, to="pdf")
    page = str(pages_per_sheet(pdf, [S.GANTT.name(lang)])[S.GANTT.name(lang)][0])
    subprocess.run([pdftoppm, "-png", "-r", str(dpi), "-f", page, "-l", page, "-singlefile", str(pdf),
                    str(folder / "gantt")], check=True, timeout=60)
    subprocess.run([pdftoppm, "-r", str(dpi), "-f", page, "-l", page, "-singlefile", str(pdf), str(folder / "gantt")],
                   check=True, timeout=60)
    return folder / "gantt.png", folder / "gantt.ppm"


def test_gantt_renders_to_a_page_with_bars(tmp_path: Path) -> None:
    need_soffice()
    source = tmp_path / "campaign.xlsx"
    write_workbook(example("zh"), str(source))
    update_workbook(source, keep_backups=0)
    png, ppm = render_gantt(source, "zh", tmp_path / "render")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000
    width, height, pixels = _ppm_pixels(ppm)
    assert width > height > 300  # a landscape page
    colours = [tuple(pixels[i:i + 3]) for i in range(0, len(pixels), 3)]
    ink = sum(1 for c in colours if sum(c) < 720)
    assert ink / len(colours) > 0.03, "the page is blank"
    # the right half of the page is the date grid (the task columns and the legend are on the left)
    grid = [colours[y * width + x] for y in range(height) for x in range(width // 2, width)]

    def count(hex_colour: str) -> int:
        want = tuple(int(hex_colour[i:i + 2], 16) for i in (0, 2, 4))
        return sum(1 for c in grid if all(abs(a - b) <= 6 for a, b in zip(c, want, strict=True)))

    # the bars are conditional formatting, evaluated by LibreOffice: each stage's colours are in the grid
    for stage in ("research", "planning", "warmup", "burst"):
        assert count(STAGE_COLORS[stage][0]) > 40, stage  # done part
    assert count(STAGE_COLORS["burst"][1]) > 40  # the rest of the burst work
    assert count(STAGE_COLORS["continuation"][1]) > 40 and count(STAGE_COLORS["continuation"][0]) == 0
    assert count(OVERDUE_FILL) > 10  # T06's unfinished day
    assert count(TODAY_FILL) > 10  # today's header cell


def test_a_long_campaign_without_status_date_in_weeks(tmp_path: Path) -> None:
    """A 200-day starter plan (weekly Gantt), no status date on the Overview, the day fixed by the caller: the
    engine's values for every formula — the status date cell included — are the core's."""
    import openpyxl

    from xl_campaign.core.content import starter

    day = date(2025, 5, 1)
    source = tmp_path / "long.xlsx"
    write_workbook(starter("en", "Long", date(2025, 3, 3), 200), str(source))
    update_workbook(source, keep_backups=0, today=day)
    plan = read_user_plan(str(source))
    findings = validate(plan, "en", day)
    docs = generated_docs(plan, findings, "en", day, today_fixed=True)
    gantt = docs[0]
    assert gantt.cells[(2, 3)].formula is not None and "DATE(2025,5,1)" in gantt.cells[(2, 3)].formula
    first_week = gantt.cells[(4, 10)].value
    assert first_week.weekday() == 0 and gantt.cells[(5, 10)].value == f"W{first_week.isocalendar()[1]}"  # weeks
    bare = strip_cached_values(source, tmp_path / "bare.xlsx")
    engine = openpyxl.load_workbook(libreoffice_convert(bare, tmp_path / "out"), data_only=True)
    for doc in docs:
        ws = engine[doc.name]
        mismatches = [(r, c, cell.formula, cell.value, ws.cell(r, c).value) for r, c, cell in doc.formula_cells()
                      if not same(ws.cell(r, c).value, cell.value)]
        assert mismatches == [], (doc.name, mismatches[:10])
