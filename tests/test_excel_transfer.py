"""The press copies the generated sheets from a helper workbook (excel/transfer.py): what the helper holds, what the
copy leaves in the workbook, in place on the second press, and the property-by-property fallback when Excel cannot
open the helper — over the in-memory Excel (tests/xlwings_memory.py), which opens .xlsx files with openpyxl."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from xl_campaign.app.update import update_workbook
from xl_campaign.excel import main as excel_main
from xl_campaign.excel import transfer as T

from . import xlwings_memory as M
from .sheet_pictures import grown_campaign
from .test_excel_main import copy_example, open_in_memory
from .test_excel_writer import REVERSE_ORDER, assert_same, example_docs, memory_snapshot, openpyxl_snapshot


@pytest.fixture
def engine() -> Any:
    with M.active_engine() as memory:
        yield memory


@pytest.fixture
def helper_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "helper"
    monkeypatch.setattr(T, "helper_folder", lambda: folder)
    return folder


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """(path, read_only) of every file the stand-in Excel opens."""
    calls: list[tuple[str, bool]] = []
    original = M.Books.open

    def remember(self: M.Books, fullname: str, *args: Any, **kwargs: Any) -> M.Book:
        book = original(self, fullname, *args, **kwargs)
        calls.append((fullname, book.read_only))
        return book
    monkeypatch.setattr(M.Books, "open", remember)
    return calls


def test_the_helper_holds_values_and_charts_only_for_new_sheets(tmp_path: Path) -> None:
    docs = example_docs("zh")
    path = T.write_helper(docs, {"summary"}, tmp_path)
    workbook = load_workbook(path)
    assert workbook.sheetnames == [doc.name for doc in docs]
    for doc in docs:
        ws = workbook[doc.name]
        assert all(cell.data_type != "f" for row in ws.iter_rows() for cell in row)  # no formula points anywhere
        for (row, col), cell in doc.cells.items():
            if cell.formula and isinstance(cell.value, int | float) and not isinstance(cell.value, bool):
                assert ws.cell(row, col).value == pytest.approx(float(cell.value))
        assert len(ws._charts) == (0 if doc.key == "summary" else len(doc.charts))
        assert ws.defined_names["XlCampaign_Generated"].attr_text == f'"{doc.key}"'
    assert any(doc.charts for doc in docs) and any(cell.formula for doc in docs for cell in doc.cells.values())
    fresh = load_workbook(T.write_helper(docs, set(), tmp_path / "fresh"))
    summary = next(doc for doc in docs if doc.key == "summary")
    assert len(fresh[summary.name]._charts) == len(summary.charts)


def test_helper_folders() -> None:
    home = Path("/Users/m")
    assert T.helper_folder("darwin", home) == home / "Library/Containers/com.microsoft.Excel/Data"
    assert T.helper_folder("win32").is_dir()


def test_the_press_copies_the_sheets_and_removes_the_helper(engine: Any, tmp_path: Path, helper_folder: Path,
                                                            opened: list[tuple[str, bool]]) -> None:
    book = open_in_memory(copy_example(tmp_path, "en"))
    outcome = excel_main.run(book, native="com", show=False)
    assert outcome.ok, outcome.message
    assert len(opened) == 1 and opened[0][1] is True and Path(opened[0][0]).parent == helper_folder
    assert [b.name for b in book.app.impl._books] == [book.name]  # the helper is closed …
    assert list(helper_folder.iterdir()) == []  # … and deleted
    docs = {doc.name: doc for doc in example_docs("en")}
    for name in outcome.sheets:
        sheet = book.sheets[name].impl
        formulas = {p for p, state in sheet.cells_state.items() if state.formula}
        assert formulas == {p for p, cell in docs[name].cells.items() if cell.formula}  # live formulas again
        assert all(chart.linked_to is None for chart in sheet.chart_list)
    assert outcome.skipped == []  # everything came with the copy, COM or not


@pytest.mark.parametrize("native", ["com", "appscript"])
def test_the_second_press_rewrites_the_same_sheets(engine: Any, tmp_path: Path, helper_folder: Path,
                                                  native: str) -> None:
    book = open_in_memory(copy_example(tmp_path, "zh"))
    first = excel_main.run(book, native=native, show=False)
    sheets = {name: book.sheets[name].impl for name in first.sheets}
    second = excel_main.run(book, native=native, show=False)
    assert second.ok, second.message
    docs = {doc.name: doc for doc in example_docs("zh")}
    for name, sheet in sheets.items():
        assert book.sheets[name].impl is sheet  # cleared and rewritten, never replaced: references into it hold
        assert len(sheet.chart_list) == len(docs[name].charts)
        assert all(chart.linked_to is None for chart in sheet.chart_list)  # no chart shows the helper's cells
    # the charts of an existing sheet are drawn through xlwings: on macOS without the COM-only parts of the Summary's
    # line chart (its labels' angle and spacing) and, before xlwings 0.37.6, its bar chart's order
    mac_only = ["chart axis labels"] if REVERSE_ORDER else ["bar chart order", "chart axis labels"]
    assert sorted(second.skipped) == ([] if native == "com" else mac_only)
    assert list(helper_folder.iterdir()) == []


def test_without_the_helper_the_sheets_are_written_one_by_one(engine: Any, tmp_path: Path, helper_folder: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Excel refusing the helper (a policy, Protected View): nothing was written yet, the property writer runs and
    gives the same sheets."""
    def refuse(self: M.Books, fullname: str, *args: Any, **kwargs: Any) -> M.Book:
        raise RuntimeError("Microsoft Excel cannot access the file")
    monkeypatch.setattr(M.Books, "open", refuse)
    path = copy_example(tmp_path, "en")
    book = open_in_memory(path)
    outcome = excel_main.run(book, native="com", show=False)
    assert outcome.ok, outcome.message
    assert list(helper_folder.iterdir()) == []
    headless_path = copy_example(tmp_path, "en", folder="headless")
    update_workbook(headless_path, keep_backups=0)
    headless = load_workbook(headless_path)
    for name in outcome.sheets:
        assert_same(openpyxl_snapshot(headless[name]), memory_snapshot(book.sheets[name].impl))


@pytest.mark.parametrize("refused", ["Sheet", "Range"])
def test_when_excel_refuses_a_copy_the_rest_is_written_one_by_one(engine: Any, tmp_path: Path, helper_folder: Path,
                                                                   monkeypatch: pytest.MonkeyPatch, refused: str
                                                                   ) -> None:
    """A copy Excel refuses (a new sheet's on the first press, an existing one's on the second) leaves nothing half
    written: that sheet and the rest are written by the property writer, and the helper is gone."""
    path = copy_example(tmp_path, "zh")
    book = open_in_memory(path)
    if refused == "Range":
        assert excel_main.run(book, native="com", show=False).ok
    monkeypatch.setattr(getattr(M, refused), "copy", lambda *args, **kwargs: (_ for _ in ()).throw(
        RuntimeError("Copy method of Worksheet class failed")))
    outcome = excel_main.run(book, native="com", show=False)
    assert outcome.ok and not outcome.copied, outcome.message
    assert list(helper_folder.iterdir()) == [] and [b.name for b in book.app.impl._books] == [book.name]
    headless_path = copy_example(tmp_path, "zh", folder="headless")
    update_workbook(headless_path, keep_backups=0)
    headless = load_workbook(headless_path)
    assert [s.name for s in book.sheets][-3:] == outcome.sheets  # no sheet twice
    for name in outcome.sheets:
        assert_same(openpyxl_snapshot(headless[name]), memory_snapshot(book.sheets[name].impl))


@pytest.mark.parametrize("helper", [True, False])
def test_a_german_excel_gets_the_gantt_rules(engine: Any, tmp_path: Path, helper_folder: Path,
                                            monkeypatch: pytest.MonkeyPatch, helper: bool) -> None:
    """Copied, the rules come from the file (which holds them in Excel's own invariant form); written one by one,
    they are translated into the user's formula language first."""
    if not helper:
        monkeypatch.setattr(M.Books, "open", lambda *args, **kwargs: (_ for _ in ()).throw(RuntimeError("no")))
    book = open_in_memory(copy_example(tmp_path, "zh"))
    book.app.impl.formula_language = M.GERMAN
    outcome = excel_main.run(book, native="com", show=False)
    assert outcome.ok, outcome.message
    headless_path = copy_example(tmp_path, "zh", folder="headless")
    update_workbook(headless_path, keep_backups=0)
    headless = load_workbook(headless_path)
    for name in outcome.sheets:
        assert memory_snapshot(book.sheets[name].impl)["rules"] == openpyxl_snapshot(headless[name])["rules"]


def test_sheet_settings_are_set_again_only_when_they_change(engine: Any, tmp_path: Path, helper_folder: Path,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """A range copy carries no print setup, panes or zoom: on Windows they are set through COM — when the sheet's
    fingerprint name says it lacks them, not on every press."""
    from dataclasses import replace

    from xl_campaign.excel import xlwings_writer as W

    book = open_in_memory(copy_example(tmp_path, "en"))
    first = excel_main.run(book, native="com", show=False)
    sheets = {name: book.sheets[name].impl for name in first.sheets}
    for sheet in sheets.values():
        assert sheet.names_map[W.SETTINGS_NAME].startswith('="')
        sheet.api_log.clear()
    assert excel_main.run(book, native="com", show=False).ok
    assert all(not any("PageSetup" in path for path, _ in sheet.api_log) for sheet in sheets.values())

    # the Gantt's print setup changes (a longer plan prints on two pages): set again, and the fingerprint follows
    import xl_campaign.excel.main as main_module

    real_describe = main_module.describe

    def two_pages(*args: Any, **kwargs: Any) -> Any:
        lang, as_of, findings, docs = real_describe(*args, **kwargs)
        docs = [replace(d, page=replace(d.page, fit_width=2)) if d.key == "gantt" else d for d in docs]
        return lang, as_of, findings, docs
    monkeypatch.setattr(main_module, "describe", two_pages)
    assert excel_main.run(book, native="com", show=False).ok
    gantt = sheets["Gantt"]
    assert ("Worksheet.PageSetup.FitToPagesWide", 2) in gantt.api_log
    assert not any("FreezePanes" in path or "Tab" in path for path, _ in gantt.api_log)  # only the print setup
    assert not any("PageSetup" in path for path, _ in sheets["Issues"].api_log)
    assert memory_snapshot(gantt)["page"][2] == 2


def test_a_fingerprint_of_an_earlier_version_sets_every_setting_again(engine: Any) -> None:
    """A sheet whose settings name holds one fingerprint for everything (written before the parts had their own):
    all parts are stale; a name with every part's fingerprint: none; one part changed: that part."""
    from dataclasses import replace

    from xl_campaign.excel import xlwings_writer as W

    doc = next(doc for doc in example_docs("en") if doc.key == "issues")
    sheet = M.new_book().sheets[0]
    assert W.stale_settings(sheet, doc) == set(W.SETTINGS_PARTS)  # no name
    sheet.names.add(W.SETTINGS_NAME, '="0123456789ab"')
    assert W.stale_settings(sheet, doc) == set(W.SETTINGS_PARTS)
    sheet.names.add(W.SETTINGS_NAME, f'="{W.settings_key(doc)}"')
    assert W.stale_settings(sheet, doc) == set()
    assert W.stale_settings(sheet, replace(doc, autofilter="A4:J99")) == {"filter"}
    assert W.stale_settings(sheet, replace(doc, zoom=90)) == {"view"}


@pytest.mark.parametrize("native", ["com", "appscript"])
def test_a_summary_that_grew_does_not_keep_its_first_print_settings(engine: Any, tmp_path: Path, helper_folder: Path,
                                                                    native: str) -> None:
    """The first press copies the Summary with the example's print scale, print area and page breaks; the plan then
    grows, and the second press rewrites the sheets in place. On Windows the changed fingerprints set scale, area and
    breaks again (the old breaks removed first), so the sheet prints as ``xl-campaign update`` prints the grown plan —
    and only what changed: the Issues' longer filter range, not their print setup or panes. On macOS the print area
    follows (xlwings' own API); scale and breaks stay as the first copy brought them."""
    from xl_campaign.app.update import update_workbook
    from xl_campaign.excel import xlwings_writer as W
    from xl_campaign.io.template import write_workbook

    path = copy_example(tmp_path, "en")
    book = open_in_memory(path)
    first = excel_main.run(book, native=native, show=False)
    summary, issues = book.sheets["Summary"].impl, book.sheets["Issues"].impl
    issues.api_log.clear()
    before = memory_snapshot(summary)
    example = next(doc for doc in example_docs("en") if doc.key == "summary")
    assert (before["print"], before["breaks"]) == ((example.page.scale, example.page.area), example.page.row_breaks)

    fingerprint = summary.names_map[W.SETTINGS_NAME]
    write_workbook(grown_campaign("en"), str(path), force=True)  # the user's plan grew (and was saved)
    second = excel_main.run(book, native=native, show=False)
    assert second.ok and second.copied, second.message
    assert book.sheets["Summary"].impl is summary and first.sheets == second.sheets
    headless_path = tmp_path / "headless.xlsx"
    write_workbook(grown_campaign("en"), str(headless_path))
    update_workbook(headless_path, keep_backups=0)
    expected = openpyxl_snapshot(load_workbook(headless_path)["Summary"])
    assert expected["breaks"] != before["breaks"] and expected["print"] != before["print"]  # the plan did grow
    after = memory_snapshot(summary)
    if native == "com":
        assert_same(expected, after)
        assert ("Worksheet.ResetAllPageBreaks()", ()) in summary.api_log
        assert summary.names_map[W.SETTINGS_NAME] != fingerprint  # the new settings' fingerprint
        assert any(path.endswith(".AutoFilter()") for path, _ in issues.api_log)
        assert not any("PageSetup" in path or "FreezePanes" in path for path, _ in issues.api_log)
        assert_same(openpyxl_snapshot(load_workbook(headless_path)["Issues"]), memory_snapshot(issues))
    else:
        assert after["print"][1] == expected["print"][1]  # the print area: every row of the grown sheet on paper
        assert (after["print"][0], after["breaks"]) == (before["print"][0], before["breaks"])  # known limit (guides)


def test_a_renamed_generated_sheet_is_still_found(engine: Any, tmp_path: Path, helper_folder: Path) -> None:
    """Generated sheets are found by their marker, not their name: the sheets with the expected names are looked at
    first, and all of them when one is missing (here renamed by the user)."""
    book = open_in_memory(copy_example(tmp_path, "zh"))
    first = excel_main.run(book, native="com", show=False)
    gantt = book.sheets[first.sheets[0]].impl
    gantt._name = "我的甘特图"
    count = len(book.sheets)
    second = excel_main.run(book, native="com", show=False)
    assert second.ok and len(book.sheets) == count  # rewritten in place, not added again
    assert book.sheets[first.sheets[0]].impl is gantt  # and named as the tool names it again


def test_helpers_left_behind_are_removed(tmp_path: Path) -> None:
    import os
    import time

    old, fresh, other = (tmp_path / "xl-campaign-sheets-1.xlsx", tmp_path / "xl-campaign-sheets-2.xlsx",
                         tmp_path / "budget.xlsx")
    for path in (old, fresh, other):
        path.write_bytes(b"x")
    day_ago = time.time() - T.STALE_SECONDS - 60
    os.utime(old, (day_ago, day_ago))
    os.utime(other, (day_ago, day_ago))
    written = T.write_helper(example_docs("en"), set(), tmp_path)
    assert not old.exists() and fresh.exists() and other.exists() and written.exists()
