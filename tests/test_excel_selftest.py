"""``xl-campaign addin selftest``: without Excel it says so and exits 2; its logic runs over the in-memory engine,
with the test playing Excel's calculation (formula results from the core, CAMPAIGN_* results from the add-in)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook

from xl_campaign.excel import main as excel_main
from xl_campaign.excel import selftest as S
from xl_campaign.excel import transfer as T
from xl_campaign.excel import udfs

from . import xlwings_memory as M


@pytest.fixture
def engine() -> Any:
    with M.active_engine() as memory:
        yield memory


def open_copy(path: Path) -> Any:
    book = M.new_book(path.name, str(path), tuple(CalamineWorkbook.from_path(str(path)).sheet_names))
    book.sheets[0].activate()
    return book


def calculated(monkeypatch: pytest.MonkeyPatch, wrong: tuple[str, str] | None = None) -> None:
    """After the press, play Excel's calculation: each formula cell gets the value the core expects (or a wrong one
    for ``wrong`` = (sheet key, cell))."""
    real_run = excel_main.run

    def run(book: Any, **kwargs: Any) -> Any:
        outcome = real_run(book, **kwargs)
        from xl_campaign.excel.xlwings_writer import generated_sheets

        docs = S_docs(book)
        for key, sheet in generated_sheets(book).items():
            for (row, col), cell in docs[key].cells.items():
                if cell.formula:
                    state = sheet.impl.cell(row, col)
                    state.value = float(cell.value) if isinstance(cell.value, int | float) or hasattr(
                        cell.value, "as_integer_ratio") else cell.value
                    if wrong == (key, f"{M.col_letters(col)}{row}"):
                        state.value = 12345.0
        return outcome

    monkeypatch.setattr(excel_main, "run", run)


def S_docs(book: Any) -> dict[str, Any]:
    return {doc.key: doc for doc in excel_main.describe(book.fullname, "en", None)[3]}


def excel_functions(app: M.App) -> None:
    """Excel with the add-in's functions imported: each =CAMPAIGN_X(args) cell gets what the add-in returns."""
    for book in app._books:
        for sheet in book.sheet_list:
            for state in sheet.cells_state.values():
                match = re.fullmatch(r"=(CAMPAIGN_\w+)\((.*)\)", state.formula or "")
                if match:
                    case = next(c for c in S.UDF_CASES if c[0] == match[1] and c[1] == match[2])
                    state.value = getattr(udfs, case[0])(*case[2])


def no_functions(app: M.App) -> None:
    for book in app._books:
        for sheet in book.sheet_list:
            for state in sheet.cells_state.values():
                if (state.formula or "").startswith("=CAMPAIGN_"):
                    state.value = M.ExcelError("#NAME?")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_selftest_passes_on_a_working_install(engine: Any, monkeypatch: pytest.MonkeyPatch, lang: str) -> None:
    calculated(monkeypatch)

    def open_with_functions(path: Path) -> Any:
        book = open_copy(path)
        book.app.impl.calculator = excel_functions
        return book

    report = S.run_selftest(open_with_functions, platform="win32", native="com", example_lang=lang)
    assert report.ok, report.text("en")
    names = [c.name for c in report.checks]
    assert names[0] == "Check & Update" and report.seconds is not None
    assert "Check & Update again (in place)" in names  # the second press rewrites in place: checked again
    assert sum(n.startswith("sheet ") for n in names) == 6 and sum(n.startswith("cells of") for n in names) == 6
    assert sum(n.startswith("charts of") for n in names) == 2 and "links to other workbooks" in names
    assert "copied from the helper workbook" in report.checks[0].detail
    assert sum(n.startswith("CAMPAIGN_") for n in names) == len(S.UDF_CASES)
    text = report.text(lang)
    assert ("自检：" if lang == "zh" else "Self-test: ") in text and "xlwings" in text


def test_selftest_reports_a_wrong_cell_and_missing_functions(engine: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    calculated(monkeypatch, wrong=("summary", "B5"))

    def open_without_functions(path: Path) -> Any:
        book = open_copy(path)
        book.app.impl.calculator = no_functions
        return book

    report = S.run_selftest(open_without_functions, platform="win32", native="com")
    assert not report.ok
    failed = {c.name: c.detail for c in report.checks if c.status == "fail"}
    summary = next(detail for name, detail in failed.items() if name.startswith("cells of Summary"))
    assert "B5 = 12345.0" in summary
    assert all("--import-functions" in detail for name, detail in failed.items() if name.startswith("CAMPAIGN_"))
    assert "FAIL" in report.text("en") and "失败" in report.text("zh")


def test_selftest_on_macos_skips_the_functions(engine: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    calculated(monkeypatch)
    report = S.run_selftest(open_copy, platform="darwin", native="appscript")
    assert report.ok and [c.status for c in report.checks if c.name == "worksheet functions"] == ["skip"]
    assert [c.status for c in report.checks if c.name == "links to other workbooks"] == ["skip"]


def test_selftest_finds_a_link_left_to_another_workbook(engine: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """A chart that still shows another workbook's cells (what a range copy of charts would leave) fails."""
    calculated(monkeypatch)
    real_transfer = T.transfer

    def leaves_a_link(*args: Any, **kwargs: Any) -> Any:
        result = real_transfer(*args, **kwargs)
        for chart in result.sheet_object.impl.chart_list:
            chart.linked_to = "xl-campaign-sheets-1.xlsx"
        return result
    monkeypatch.setattr(T, "transfer", leaves_a_link)
    report = S.run_selftest(open_copy, platform="win32", native="com")
    failed = {c.name: c.detail for c in report.checks if c.status == "fail"}
    assert failed.get("links to other workbooks") == "xl-campaign-sheets-1.xlsx"


def test_selftest_without_excel_exits_2(tmp_path: Path) -> None:
    if not sys.platform.startswith("linux"):
        pytest.skip("explains the no-Excel case")
    for lang, expected in (("zh", "此电脑上没有可用的 Excel"), ("en", "No Excel is available on this computer")):
        result = subprocess.run([sys.executable, "-m", "xl_campaign.cli", "addin", "selftest", "--lang", lang],
                                cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert result.returncode == 2
        assert expected in result.stderr and "Traceback" not in result.stderr
