"""Pages that print: every workbook the tool writes, printed by LibreOffice, gives the pages a marketer expects at a
readable scale; the pictures in docs/sheets show the sheets as they are now.

The scale of a page is measured on the PDF, not computed from settings: the median height of its words (pdftotext's
boxes) against the same words printed at 100% in a reference workbook of one 11-point cell.
"""

from __future__ import annotations

import json
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest

from xl_campaign.app.rollup import rollup_paths, write_portfolio
from xl_campaign.app.update import update_workbook
from xl_campaign.core import spec as S
from xl_campaign.core.content import starter
from xl_campaign.io.template import write_workbook

from . import sheet_pictures as P
from .conftest import need_binary

TABLE_SHEETS = ("team", "tasks", "materials", "budget", "channels", "kpi", "review", "touchpoints")


def word_height(pdf: Path, page: int) -> float:
    """The median height of the words on ``page`` (points)."""
    text = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(pdf), "-"],
                          check=True, capture_output=True, text=True).stdout
    heights = sorted(float(m[2]) - float(m[1]) for m in
                     re.finditer(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', text) for m in [("", m[1], m[2])])
    assert heights, f"page {page} of {pdf.name} has no text"
    return heights[len(heights) // 2]


def reference(folder: Path) -> Path:
    """One 11-point cell in the tool's body face, printed at 100%: what a word's height is at full size."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "ref"
    for row, text in enumerate(["Campaign 活动 2024-05-16 100% ¥500,000"] * 5, start=1):
        ws.cell(row=row, column=1, value=text).font = Font(name="Calibri", size=11)
    ws.oddFooter.center.text = "&A · &P / &N"
    path = folder / "reference.xlsx"
    wb.save(path)
    return path


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    """name -> (workbook, its PDF), every workbook printed in one LibreOffice run."""
    need_binary(("pdftotext",), "pdftotext", "poppler-utils")
    folder = tmp_path_factory.mktemp("print")
    books = {f"example_{lang}": P.updated_example(lang, folder) for lang in ("zh", "en")}
    for name, days in (("weeks_60", 60), ("year", 365)):
        path = folder / f"{name}.xlsx"
        write_workbook(starter("en", name, date(2025, 3, 3), days), str(path))
        update_workbook(path, keep_backups=0, today=date(2025, 4, 1))
        books[name] = path
    portfolio = folder / "portfolio.xlsx"
    write_portfolio(rollup_paths([str(books["example_zh"]), str(books["example_en"]), str(books["year"])], jobs=1),
                    str(portfolio), "en")
    books["portfolio"] = portfolio
    books["reference"] = reference(folder)
    pdfs = P.to_pdf(list(books.values()), folder)
    return {name: (book, pdf) for (name, book), pdf in zip(books.items(), pdfs, strict=True)}


def pages(printed: dict[str, tuple[Path, Path]], name: str, lang: str = "en") -> dict[str, list[int]]:
    """Sheet key -> its pages in the PDF of workbook ``name``."""
    keys = P.sheet_keys(lang) | {"Portfolio": "portfolio", "Charts": "portfolio_charts", "ref": "ref"}
    found = P.pages_per_sheet(printed[name][1], list(keys))
    assert "?" not in found, f"a page of {name} has no footer naming its sheet"
    return {keys[sheet]: numbers for sheet, numbers in found.items()}


def scale(printed: dict[str, tuple[Path, Path]], name: str, page: int) -> float:
    full = word_height(printed["reference"][1], 1)
    return word_height(printed[name][1], page) / full


@pytest.mark.libreoffice
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_updated_example_prints_a_page_per_sheet(lang: str, printed: dict[str, tuple[Path, Path]]) -> None:
    found = pages(printed, f"example_{lang}", lang)
    assert set(found) == {"guide", *(s.key for s in S.INPUT_SPECS), "gantt", "summary", "issues"}
    counts = {key: len(numbers) for key, numbers in found.items()}
    assert counts.pop("summary") <= 2, "the Summary prints on at most two pages"
    assert set(counts.values()) == {1}, counts  # the Guide, the Overview, each table, the Gantt, the Issues
    assert scale(printed, f"example_{lang}", found["guide"][0]) >= 0.8  # portrait, one page
    for key in ("overview", *TABLE_SHEETS):  # A4 landscape, one page wide, at a readable scale
        assert scale(printed, f"example_{lang}", found[key][0]) >= 0.7, key
    assert scale(printed, f"example_{lang}", found["issues"][0]) >= 0.65


@pytest.mark.libreoffice
def test_a_long_plan_prints_its_gantt_in_weeks_on_at_most_two_pages(printed: dict[str, tuple[Path, Path]]) -> None:
    import openpyxl

    for name, most in (("weeks_60", 1), ("year", 2)):
        gantt = openpyxl.load_workbook(printed[name][0])["Gantt"]
        assert str(gantt["J5"].value).startswith("W"), f"{name}: one column per week"
        assert len(pages(printed, name)["gantt"]) <= most, name


@pytest.mark.libreoffice
def test_the_portfolio_prints_readably(printed: dict[str, tuple[Path, Path]]) -> None:
    found = pages(printed, "portfolio")
    assert len(found["portfolio"]) <= 2
    assert scale(printed, "portfolio", found["portfolio"][0]) >= 0.6


def test_the_sheet_pictures_are_current(tmp_path: Path) -> None:
    """docs/sheets shows every sheet of the updated example as it is now (python -m tests.sheet_pictures)."""
    manifest = json.loads(P.MANIFEST.read_text(encoding="utf-8"))
    for lang in ("zh", "en"):
        book = P.updated_example(lang, tmp_path)
        keys = P.sheet_keys(lang)
        prints = P.fingerprint(book)
        assert {f"{lang}-{keys[name]}" for name in prints} <= set(manifest), "a sheet has no picture"
        for name, fingerprint in prints.items():
            entry = manifest[f"{lang}-{keys[name]}"]
            assert entry["fingerprint"] == fingerprint, \
                f"docs/sheets/{lang}-{keys[name]}.png is stale: run python -m tests.sheet_pictures"
            assert all((P.PICTURES / file).is_file() for file in entry["files"])
