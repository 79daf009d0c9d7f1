"""``xl-campaign addin selftest``: drive Excel through xlwings on a copy of the example and say what works.

For a user who has Excel (Windows or macOS) after ``xl-campaign addin install``: it opens a copy of the bundled
example workbook in Excel, runs exactly what the ribbon button runs (``excel.main.run``), checks the three generated
sheets and their cells against what the core computed (every value and formula; formula results once Excel has
calculated), enters each ``CAMPAIGN_*`` function into a scratch sheet and compares Excel's results with the core's,
times the press, and prints a pass/fail report to send back. The copy is closed without saving. Without Excel it
says so and exits 2.
"""

from __future__ import annotations

import math
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..core.text import Texts, t

TEXTS = Texts({
    "no_excel": ("此电脑上没有可用的 Excel（{reason}）：自检需要 Windows 或 macOS 上的 Excel。在 Linux 上可用 "
                 "`xl-campaign update 文件.xlsx` 完成“校验并更新”的工作。",
                 "No Excel is available on this computer ({reason}): the self-test needs Excel on Windows or macOS. "
                 "On Linux, `xl-campaign update FILE.xlsx` does what the Check & Update button does."),
    "pass": ("通过", "PASS"), "fail": ("失败", "FAIL"), "skip": ("跳过", "SKIP"),
    "summary": ("自检：{passed} 项通过，{failed} 项失败，{skipped} 项跳过。", "Self-test: {passed} passed, {failed} failed, "
                "{skipped} skipped."),
    "copied": ("从辅助工作簿复制", "copied from the helper workbook"),
    "properties": ("逐项写入（Excel 未能打开辅助工作簿）", "written property by property (Excel could not open the helper workbook)"),
})

# Each function with arguments Excel can take as constants, and the result the core gives for them.
UDF_CASES: tuple[tuple[str, str, tuple[Any, ...]], ...] = (
    ("CAMPAIGN_ROI", "1500,1000", (1500.0, 1000.0)),
    ("CAMPAIGN_ROAS", "5000,1000", (5000.0, 1000.0)),
    ("CAMPAIGN_RATIO", "5000,1000", (5000.0, 1000.0)),
    ("CAMPAIGN_CTR", "30,1000", (30.0, 1000.0)),
    ("CAMPAIGN_CVR", "5,50", (5.0, 50.0)),
    ("CAMPAIGN_CPA", "1000,40", (1000.0, 40.0)),
    ("CAMPAIGN_ATTAINMENT", "1200000,1000000", (1_200_000.0, 1_000_000.0)),
    ("CAMPAIGN_RESERVE", "100000,0.15", (100_000.0, 0.15)),
    ("CAMPAIGN_BUDGET_TOTAL", "90000,0.1", (90_000.0, 0.1)),
    ("CAMPAIGN_STAGE", 'DATE(2024,5,21),DATE(2024,5,20),DATE(2024,6,2),"en"',
     (datetime(2024, 5, 21), datetime(2024, 5, 20), datetime(2024, 6, 2), "en")),
    ("CAMPAIGN_PACING", "2400,14000,DATE(2024,5,20),DATE(2024,6,2),DATE(2024,5,22)",
     (2400.0, 14_000.0, datetime(2024, 5, 20), datetime(2024, 6, 2), datetime(2024, 5, 22))),
    ("CAMPAIGN_ROI", "0,0", (0.0, 0.0)),  # an error result: the code as text
)


@dataclass
class Check:
    name: str
    status: str  # "pass" | "fail" | "skip"
    detail: str = ""


@dataclass
class Report:
    checks: list[Check] = field(default_factory=list)
    seconds: float | None = None

    def add(self, name: str, ok: bool | None, detail: str = "") -> None:
        self.checks.append(Check(name, "skip" if ok is None else "pass" if ok else "fail", detail))

    @property
    def ok(self) -> bool:
        return all(check.status != "fail" for check in self.checks)

    def text(self, lang: str) -> str:
        import platform

        import xlwings

        lines = [f"xl-campaign self-test · xlwings {xlwings.__version__} · Python {platform.python_version()} · "
                 f"{platform.platform()}"]
        for check in self.checks:
            lines.append(f"[{TEXTS(check.status, lang)}] {check.name}" + (f" — {check.detail}" if check.detail else ""))
        counts = {status: sum(1 for c in self.checks if c.status == status) for status in ("pass", "fail", "skip")}
        lines.append(TEXTS("summary", lang, passed=counts["pass"], failed=counts["fail"], skipped=counts["skip"]))
        return "\n".join(lines)


def excel_missing() -> str | None:
    """Why Excel cannot be driven here, or None when it can."""
    if not sys.platform.startswith(("win", "darwin")):
        return "Linux"
    try:
        import xlwings as xw

        xw.apps.count  # noqa: B018 - asks the engine; raises without Excel or its automation libraries
    except Exception as error:
        return f"{type(error).__name__}: {error}"
    return None


def _same(expected: Any, actual: Any) -> bool:
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected == actual
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        return math.isclose(float(expected), float(actual), rel_tol=1e-9, abs_tol=1e-9)
    if isinstance(expected, date) and isinstance(actual, datetime):
        return actual.date() == (expected if not isinstance(expected, datetime) else expected.date())
    if expected is None or expected == "":
        return actual in (None, "")
    if hasattr(expected, "__float__") and isinstance(actual, int | float):  # Decimal
        return math.isclose(float(expected), float(actual), rel_tol=1e-9, abs_tol=1e-9)
    return expected == actual


def check_sheets(book: Any, docs: list[Any], report: Report) -> None:
    """Every cell of each generated sheet as the core described it: values, formulas, and formula results."""
    from .xlwings_writer import generated_sheets

    found = generated_sheets(book)
    for doc in docs:
        sheet = found.get(doc.key)
        report.add(f"sheet {doc.name}", sheet is not None and sheet.name == doc.name)
        if sheet is None or not doc.cells:
            continue
        if doc.charts:
            count = len(sheet.charts)
            report.add(f"charts of {doc.name} ({len(doc.charts)})", count == len(doc.charts), f"{count} in Excel")
        rows, cols = doc.max_row, doc.max_col
        block = sheet.range((1, 1), (rows, cols))
        values = block.options(ndim=2).value
        formulas = block.formula
        wrong: list[str] = []
        for (row, col), cell in sorted(doc.cells.items()):
            got = values[row - 1][col - 1]
            if cell.formula:
                want_formula = cell.formula if cell.formula.startswith("=") else "=" + cell.formula
                if formulas[row - 1][col - 1] != want_formula:
                    wrong.append(f"{_a1(row, col)} formula {formulas[row - 1][col - 1]!r}")
                elif cell.value is not None and not _same(cell.value, got):
                    wrong.append(f"{_a1(row, col)} = {got!r}, core {cell.value!r}")
            elif not cell.link and not _same(_shown(cell.value), got):
                wrong.append(f"{_a1(row, col)} = {got!r}, core {cell.value!r}")
        report.add(f"cells of {doc.name} ({len(doc.cells)})", not wrong, "; ".join(wrong[:5]))


def check_links(book: Any, report: Report, platform: str = sys.platform) -> None:
    """No link to another workbook is left (the sheets were copied from a helper workbook): ``LinkSources``."""
    if not platform.startswith("win"):
        report.add("links to other workbooks", None, "checked on Windows (Workbook.LinkSources)")
        return
    sources = book.api.LinkSources(1)  # xlExcelLinks; None when there are none
    report.add("links to other workbooks", not sources, ", ".join(sources or ()))


def _shown(value: Any) -> Any:
    from .xlwings_writer import _ILLEGAL

    return _ILLEGAL.sub("", value) if isinstance(value, str) else value


def _a1(row: int, col: int) -> str:
    from ..core.model import column_letter

    return f"{column_letter(col)}{row}"


def check_functions(book: Any, report: Report, platform: str = sys.platform) -> None:
    """Each CAMPAIGN_* function entered into a scratch sheet; Excel's results against the core's."""
    from . import udfs

    if not platform.startswith("win"):
        report.add("worksheet functions", None, "Windows only (xlwings UDFs)")
        return
    sheet = book.sheets.add("xlc_selftest")
    try:
        sheet.range((1, 1), (len(UDF_CASES), 1)).formula = [[f"={name}({args})"] for name, args, _ in UDF_CASES]
        book.app.calculate()
        got = sheet.range((1, 1), (len(UDF_CASES), 1)).options(ndim=2, err_to_str=True).value
        for index, (name, args, values) in enumerate(UDF_CASES):
            want = getattr(udfs, name)(*values)
            result = got[index][0]
            if isinstance(result, str) and result.startswith("#NAME"):
                report.add(f"{name}({args})", False, "#NAME?: run `xl-campaign addin install --import-functions`")
            else:
                report.add(f"{name}({args})", _same(want, result), f"Excel {result!r}, core {want!r}")
    finally:
        sheet.delete()


def run_selftest(open_copy: Callable[[Path], Any], *, platform: str = sys.platform, native: str | None = None,
                 example_lang: str = "en") -> Report:
    """The self-test over ``open_copy(path) -> xw.Book`` (Excel in real use; the in-memory engine in the tests)."""
    from importlib import resources

    from .main import describe, run

    report = Report()
    folder = Path(tempfile.mkdtemp(prefix="xl-campaign-selftest-"))
    path = folder / f"selftest_{example_lang}.xlsx"
    with resources.as_file(resources.files("xl_campaign.workbook") / f"example_{example_lang}.xlsx") as source:
        shutil.copy(source, path)
    book = open_copy(path)
    try:
        docs = describe(str(path), example_lang, None)[3]
        for press in ("Check & Update", "Check & Update again (in place)"):
            start = time.perf_counter()
            outcome = run(book, native=native, show=False)
            seconds = time.perf_counter() - start
            report.seconds = seconds if report.seconds is None else report.seconds
            how = TEXTS("copied" if outcome.copied else "properties", "en")
            report.add(press, outcome.ok, f"{seconds:.1f} s · {how} · " + outcome.message.splitlines()[0])
            if not outcome.ok:
                break
            check_sheets(book, docs, report)
        check_links(book, report, platform)
        check_functions(book, report, platform)
    finally:
        try:
            book.close()
        except Exception:  # closing is a courtesy; the copy is in a temp folder
            pass
        shutil.rmtree(folder, ignore_errors=True)
    return report


def open_in_excel(path: Path) -> Any:
    """Open ``path`` in a running Excel (or a new, visible one) through xlwings."""
    import xlwings as xw

    app = xw.apps.active if xw.apps.count else None
    return (app or xw.App(visible=True)).books.open(str(path))


def no_excel_message(reason: str, lang: str | None) -> str:
    return TEXTS("no_excel", lang, reason=reason)


__all__ = ["Report", "UDF_CASES", "check_functions", "check_sheets", "excel_missing", "no_excel_message",
           "open_in_excel", "run_selftest", "t"]
