"""`update`: the generated sheets are (re)written, every user sheet is unchanged cell by cell, a second run gives
the same workbook, and whatever would be lost, open, unreadable or ambiguous is refused with the file untouched."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from xl_campaign.app.update import UpdateRefused, read_user_plan, update_workbook
from xl_campaign.core import spec as S
from xl_campaign.core.content import EXAMPLE_AS_OF, example
from xl_campaign.core.findings import Finding, Severity
from xl_campaign.core.sheets.model import MARKER_NAME
from xl_campaign.io.preflight import preflight
from xl_campaign.io.template import write_workbook

from . import hostile
from .conftest import libreoffice_convert

GENERATED = {name for sheet in S.GENERATED_SHEETS for name in sheet.names()}


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _style(cell: Any) -> tuple[Any, ...]:
    return (repr(cell.font), repr(cell.fill), repr(cell.border), repr(cell.alignment), repr(cell.protection),
            cell.number_format)


def sheet_snapshot(ws: Any) -> dict[str, Any]:
    """Everything openpyxl sees of one worksheet, cell by cell."""
    cells = {}
    for (row, col), cell in sorted(ws._cells.items()):
        value = cell.value
        cells[(row, col)] = (repr(value), cell.data_type, _style(cell),
                             cell.comment.text if cell.comment else None,
                             (cell.hyperlink.target, cell.hyperlink.location) if cell.hyperlink else None)
    return {
        "cells": cells,
        "merged": sorted(str(r) for r in ws.merged_cells.ranges),
        "widths": {k: (d.width, d.hidden) for k, d in ws.column_dimensions.items()},
        "heights": {k: (d.height, d.hidden) for k, d in ws.row_dimensions.items() if d.height or d.hidden},
        "cf": [(str(cf.sqref), [(r.type, r.formula, r.priority, repr(r.dxf)) for r in cf.rules])
               for cf in ws.conditional_formatting],
        "dv": sorted((dv.type, dv.formula1, str(dv.sqref)) for dv in ws.data_validations.dataValidation),
        "tables": sorted((t.displayName, t.ref, [c.name for c in t.tableColumns]) for t in ws.tables.values()),
        "freeze": ws.freeze_panes,
        "state": ws.sheet_state,
        "print": (ws.print_title_rows, ws.print_title_cols, ws.page_setup.orientation),
        "names": sorted((n, d.attr_text) for n, d in ws.defined_names.items()),
    }


def user_snapshot(path: Path) -> dict[str, Any]:
    import openpyxl

    wb = openpyxl.load_workbook(path, rich_text=True)
    out: dict[str, Any] = {
        "order": [n for n in wb.sheetnames if n not in GENERATED],
        "names": sorted((n, d.attr_text) for n, d in wb.defined_names.items()),
    }
    for ws in wb.worksheets:
        if ws.title not in GENERATED:
            out[ws.title] = sheet_snapshot(ws)
    return out


def whole_snapshot(path: Path) -> dict[str, Any]:
    import openpyxl

    wb = openpyxl.load_workbook(path, rich_text=True)
    out = user_snapshot(path)
    out["all"] = wb.sheetnames
    for ws in wb.worksheets:
        out[ws.title] = sheet_snapshot(ws)
        out[ws.title]["charts"] = [(type(c).__name__, c.anchor._from.row, c.anchor._from.col) for c in ws._charts]
    return out


def calamine_values(path: Path) -> dict[str, list[list[Any]]]:
    """The same workbook through a second reader: every sheet's values as python-calamine sees them."""
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python(skip_empty_area=False) for name in book.sheet_names}


def decorate(path: Path) -> None:
    """Give the user's workbook things of its own that an update must not touch: a sheet with rich text, a
    comment, a merge, conditional formatting, validation, a hyperlink, a formula and text that looks like one."""
    import openpyxl
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont
    from openpyxl.comments import Comment
    from openpyxl.formatting.rule import CellIsRule
    from openpyxl.styles import Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    wb = openpyxl.load_workbook(path, rich_text=True)
    tasks = wb[S.TASKS.name("zh")]
    cell = tasks.cell(row=4, column=S.TASKS.columns.index(S.TASKS.column("task")) + 1)
    cell.value = "=HYPERLINK(\"http://evil\")"  # typed text, not a formula
    cell.data_type = "s"
    notes = wb.create_sheet("我的备注", 3)
    notes["A1"] = CellRichText(["红色", TextBlock(InlineFont(b=True, color="FF0000"), "加粗"), "普通"])
    notes["A2"] = "+86 138 0000 0000"
    notes["A3"] = "=SUM(B3:B4)"
    notes["B3"], notes["B4"] = 1.5, 2
    notes["A5"].comment = Comment("请勿删除", "小明")
    notes["A5"] = "带批注"
    notes.merge_cells("C1:E2")
    notes["C1"] = "合并"
    notes["C1"].font = Font(bold=True, color="1F4E78")
    notes["C1"].fill = PatternFill("solid", fgColor="FFF2CC")
    notes["A7"].hyperlink = "https://example.com/brief"
    notes["A7"] = "brief"
    notes.conditional_formatting.add("B3:B10", CellIsRule(operator="greaterThan", formula=["1"],
                                                          font=Font(color="9C0006")))
    validation = DataValidation(type="list", formula1='"是,否"')
    validation.add("D5:D20")
    notes.add_data_validation(validation)
    notes.column_dimensions["A"].width = 30
    notes.freeze_panes = "A2"
    wb.save(path)


@pytest.fixture
def workbook(tmp_path: Path) -> Path:
    path = tmp_path / "campaign.xlsx"
    write_workbook(example("zh"), str(path))
    return path


def test_user_sheets_are_unchanged_cell_by_cell(workbook: Path) -> None:
    decorate(workbook)
    before = user_snapshot(workbook)
    values_before = calamine_values(workbook)
    result = update_workbook(workbook, keep_backups=0)
    assert result.sheets == ["甘特图", "汇总", "问题清单"] and not result.companion
    assert user_snapshot(workbook) == before
    values_after = calamine_values(workbook)
    assert {k: v for k, v in values_after.items() if k not in GENERATED} == values_before
    import openpyxl

    wb = openpyxl.load_workbook(workbook, rich_text=True)
    assert wb.sheetnames[-3:] == ["甘特图", "汇总", "问题清单"]
    notes = wb["我的备注"]
    assert notes["A3"].data_type == "f" and notes["A2"].data_type == "s"  # a formula stays a formula, text text
    assert "加粗" in str(notes["A1"].value) and type(notes["A1"].value).__name__ == "CellRichText"
    task_cell = wb["任务"]["D4"]
    assert task_cell.value == '=HYPERLINK("http://evil")' and task_cell.data_type == "s"
    shown = openpyxl.load_workbook(workbook, data_only=True)["甘特图"]  # the cached values: what a viewer shows
    gantt_text = [c.coordinate for row in shown.iter_rows() for c in row if c.value == '=HYPERLINK("http://evil")']
    # shown in the Gantt as text: looked up by the task's ID (INDEX(...)&"" gives text), never a live HYPERLINK
    assert gantt_text and all(str(wb["甘特图"][ref].value).startswith("=INDEX(") for ref in gantt_text)
    assert wb.active.title == "使用说明"


def test_second_update_gives_the_same_workbook(workbook: Path) -> None:
    update_workbook(workbook, keep_backups=0)
    first = whole_snapshot(workbook)
    update_workbook(workbook, keep_backups=0)
    assert whole_snapshot(workbook) == first
    import openpyxl

    wb = openpyxl.load_workbook(workbook)
    markers = {ws.title: ws.defined_names[MARKER_NAME].attr_text for ws in wb.worksheets
               if MARKER_NAME in ws.defined_names}
    assert markers == {"甘特图": '"gantt"', "汇总": '"summary"', "问题清单": '"issues"'}


def test_update_reads_back_the_same_plan_and_keeps_a_backup(workbook: Path) -> None:
    original = workbook.read_bytes()
    plan_before = read_user_plan(str(workbook))
    result = update_workbook(workbook)
    assert result.backup is not None and Path(result.backup).read_bytes() == original
    assert Path(result.backup).name.startswith("campaign.xlsx.") and result.backup.endswith(".bak")
    plan_after = read_user_plan(str(workbook))
    for key in ("tasks", "budget", "kpi", "channels", "goals"):
        assert plan_after.records(key) == plan_before.records(key)
    assert plan_after.overview == plan_before.overview
    leftovers = [p.name for p in workbook.parent.iterdir() if p.name.endswith(".tmp")]
    assert leftovers == []
    second = update_workbook(workbook)
    assert second.backup != result.backup and os.path.exists(second.backup or "")


def test_generated_sheets_language_follows_the_option(workbook: Path) -> None:
    update_workbook(workbook, keep_backups=0)
    update_workbook(workbook, lang="en", keep_backups=0)
    import openpyxl

    names = openpyxl.load_workbook(workbook).sheetnames
    assert names[-3:] == ["Gantt", "Summary", "Issues"] and "甘特图" not in names


def test_a_users_sheet_with_a_generated_name_is_never_replaced(workbook: Path) -> None:
    import openpyxl

    wb = openpyxl.load_workbook(workbook)
    wb.create_sheet("汇总")["A1"] = "my own summary"
    wb.save(workbook)
    digest = sha(workbook)
    with pytest.raises(UpdateRefused) as refused:
        update_workbook(workbook)
    assert refused.value.kind == "name-taken" and "汇总" in refused.value.message("zh")
    assert sha(workbook) == digest


@pytest.mark.parametrize("lock", ["~$campaign.xlsx", ".~lock.campaign.xlsx#"])
def test_refuses_while_open(workbook: Path, lock: str) -> None:
    (workbook.parent / lock).write_bytes(b"owner")
    digest = sha(workbook)
    with pytest.raises(UpdateRefused) as refused:
        update_workbook(workbook)
    assert refused.value.kind == "open" and lock in refused.value.message("en")
    assert sha(workbook) == digest and len(list(workbook.parent.iterdir())) == 2


def _refused_as_unreadable(tmp_path: Path, target: Path) -> None:
    digest = sha(target)
    with pytest.raises(UpdateRefused) as refused:
        update_workbook(target)
    assert refused.value.kind == "unreadable"
    assert "cannot update" in refused.value.message("en") and "无法更新" in refused.value.message("zh")
    assert sha(target) == digest and list(tmp_path.iterdir()) == [target]


@pytest.mark.parametrize("name", ["truncated.xlsx", "csv_renamed.xlsx", "encrypted.xlsx", "legacy.xls",
                                  "password.xls", "xml_bomb.xlsx", "calc.ods", "strict.xlsx", "binary.xlsb"])
def test_unreadable_files_are_refused_with_a_reason(tmp_path: Path, name: str) -> None:
    builder, _ = hostile.HOSTILE[name]
    _refused_as_unreadable(tmp_path, builder(tmp_path / name))


@pytest.mark.parametrize("name", ["truncated.xlsx", "csv_renamed.xlsx", "enc_pw_secret.xlsx", "SampleSS.xls",
                                  "poc-xmlbomb.xlsx", "SampleSS.ods"])
def test_unreadable_files_of_the_corpus_are_refused_with_a_reason(corpus: Path, tmp_path: Path, name: str) -> None:
    target = tmp_path / name
    shutil.copy(corpus / "bad-inputs" / name, target)
    _refused_as_unreadable(tmp_path, target)


def _refused_as_lossy(target: Path, kinds: set[str]) -> None:
    """The pre-flight names ``kinds``, the update refuses with the way out (--out) and leaves the file alone;
    the way out works."""
    folder, digest = target.parent, sha(target)
    found = {loss.kind for loss in preflight(str(target)) if loss.blocking}
    assert kinds <= found, found
    with pytest.raises(UpdateRefused) as refused:
        update_workbook(target)
    assert refused.value.kind == "would-lose" and kinds <= {loss.kind for loss in refused.value.losses}
    assert "--out" in refused.value.message("en") and "--out" in refused.value.message("zh")
    assert sha(target) == digest and list(folder.iterdir()) == [target]
    # the way out: the generated sheets in a companion workbook, the original untouched
    companion = folder / "companion.xlsx"
    result = update_workbook(target, out=str(companion))
    assert result.companion and companion.exists() and sha(target) == digest


# Each kind of part openpyxl would drop, added to a campaign workbook as Excel writes it (tests/hostile.py).
LOSSY_KINDS = [kind for kind in hostile.LOSSY if kind != "macro-sheets"]


@pytest.mark.parametrize("kind", LOSSY_KINDS)
def test_preflight_refuses_workbooks_that_would_lose_something(tmp_path: Path, kind: str) -> None:
    target = hostile.lossy(tmp_path / hostile.lossy_name(kind), kind, lang="zh")
    _refused_as_lossy(target, {kind} | hostile.LOSSY_ALSO.get(kind, set()))


# Real files from Apache POI's test data with things openpyxl would drop: (file, kinds the pre-flight must name).
LOSSY = [
    ("WithTextBox.xlsx", {"shapes"}),
    ("SimpleMacro.xlsm", {"vba"}),
    ("64759.xlsx", {"threaded-comments"}),
    ("WithChart.xlsx", {"charts"}),
    ("56169.xlsx", {"connections", "xml-maps"}),
    ("51850.xlsx", {"validation-extensions"}),
    ("simple-monthly-budget.xlsx", {"charts", "custom-xml", "shapes"}),  # its data bar's 2010 look: a note
    ("xlookup.xlsx", {"dynamic-arrays"}),
    ("45540_form_Footer.xlsx", {"controls", "legacy-shapes"}),
    ("ExcelWithAttachments.xlsm", {"embedded-objects", "vba"}),
    ("bug66675.xlsx", {"sensitivity-labels"}),
    ("57362.xlsx", {"chart-styles"}),
    ("51470.xlsx", {"background"}),
    ("WithDrawing.xlsx", {"images"}),
]


def test_a_data_bars_excel_2010_look_is_a_note_not_a_loss(corpus: Path) -> None:
    """Excel saves each data bar twice (the 2007 rule openpyxl keeps, and its 2010 look): only the look is lost. The
    Tasks sheet's progress bars are data bars, so a template saved by Excel or LibreOffice must stay updatable."""
    losses = preflight(str(corpus / "poi" / "simple-monthly-budget.xlsx"))
    assert [(loss.kind, loss.blocking) for loss in losses if "bar" in loss.kind or "conditional" in loss.kind] == \
        [("data-bar-look", False)]


@pytest.mark.parametrize("name, kinds", LOSSY, ids=[n for n, _ in LOSSY])
def test_preflight_refuses_real_files_that_would_lose_something(corpus: Path, tmp_path: Path, name: str,
                                                                kinds: set[str]) -> None:
    target = tmp_path / name
    shutil.copy(corpus / "poi" / name, target)
    _refused_as_lossy(target, kinds)


def test_preflight_names_excel4_macro_sheets(tmp_path: Path) -> None:
    """A workbook with an Excel 4 macro sheet is read (without the macro sheet, which python-calamine refuses; the
    SEC rules report it) and the update refuses to save it: the pre-flight knows the macro sheet would be lost."""
    target = hostile.lossy(tmp_path / "macros.xlsm", "macro-sheets")
    assert {"macro-sheets", "vba"} <= {loss.kind for loss in preflight(str(target))}
    digest = sha(target)
    with pytest.raises(UpdateRefused) as refused:
        update_workbook(target)
    assert refused.value.kind == "would-lose" and "macro-sheets" in {loss.kind for loss in refused.value.losses}
    assert sha(target) == digest and list(tmp_path.iterdir()) == [target]


def test_preflight_names_excel4_macro_sheets_of_the_corpus(corpus: Path) -> None:
    for name in ("64420.xlsm", "xlmmacro.xlsm"):
        assert {"macro-sheets", "vba"} <= {loss.kind for loss in preflight(str(corpus / "poi" / name))}


# Real files the pre-flight finds nothing to lose in: an openpyxl round trip must keep every part of them.
CLEAN = ["SampleSS.xlsx", "Tables.xlsx", "comments.xlsx", "WithConditionalFormatting.xlsx",
         "DataValidations-49244.xlsx", "StructuredReferences.xlsx", "50784-font_theme_colours.xlsx",
         "sample.xlsx", "WithMoreVariousData.xlsx", "sharedhyperlink.xlsx",
         "headerFooterTest.xlsx", "Themes.xlsx", "link-external-workbook-b.xlsx", "GroupTest.xlsx"]
IGNORED_TYPES = ("calcChain+xml", "printerSettings", "sharedStrings+xml", "relationships+xml")


def _content_type_counts(path: Path) -> dict[str, int]:
    import zipfile

    from xl_campaign.io.preflight import _content_types

    with zipfile.ZipFile(path) as archive:
        defaults, overrides = _content_types(archive)
        counts: dict[str, int] = {}
        for name in archive.namelist():
            if name.endswith("/") or name.startswith("docProps/thumbnail"):
                continue
            ctype = overrides.get(name) or defaults.get(name.rsplit(".", 1)[-1].lower(), "?")
            if not ctype.endswith(IGNORED_TYPES):
                counts[ctype] = counts.get(ctype, 0) + 1
    return counts


def _clean_round_trip(source: Path, out: Path) -> None:
    import warnings

    import openpyxl

    assert [loss for loss in preflight(str(source)) if loss.blocking] == []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(source, rich_text=True, keep_links=True)
    wb.save(out)
    before, after = _content_type_counts(source), _content_type_counts(out)
    assert {k: v for k, v in before.items() if after.get(k, 0) < v} == {}


def test_preflight_clean_means_the_round_trip_keeps_every_part(workbook: Path, tmp_path: Path) -> None:
    """A campaign workbook with comments, merges, rich text, validation, conditional formats and links of the
    user's own."""
    decorate(workbook)
    _clean_round_trip(workbook, tmp_path / "round.xlsx")


@pytest.mark.libreoffice
def test_preflight_clean_round_trip_of_a_workbook_libreoffice_wrote(workbook: Path, tmp_path: Path) -> None:
    """The same from another producer: LibreOffice writes its own package (styles, theme, shared strings, the
    document's custom properties)."""
    import openpyxl
    from openpyxl.packaging.custom import StringProperty

    decorate(workbook)
    wb = openpyxl.load_workbook(workbook, rich_text=True)
    wb.custom_doc_props.append(StringProperty(name="Campaign code", value="618-2024"))
    wb.save(workbook)
    converted = libreoffice_convert(workbook, tmp_path / "lo")
    assert "docProps/custom.xml" in hostile.read_parts(converted)
    _clean_round_trip(converted, tmp_path / "round.xlsx")


@pytest.mark.parametrize("name", CLEAN)
def test_preflight_clean_means_the_round_trip_keeps_every_part_of_real_files(corpus: Path, tmp_path: Path,
                                                                             name: str) -> None:
    _clean_round_trip(corpus / "poi" / name, tmp_path / "round.xlsx")


def test_companion_workbook_refers_back_without_formulas_into_it(workbook: Path, tmp_path: Path) -> None:
    import openpyxl

    digest = sha(workbook)
    companion = tmp_path / "out" / "side.xlsx"
    companion.parent.mkdir()
    update_workbook(workbook, out=str(companion))
    assert sha(workbook) == digest
    wb = openpyxl.load_workbook(companion)
    assert wb.sheetnames == ["甘特图", "汇总", "问题清单"]
    formulas = [c.value for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.data_type == "f"]
    assert formulas and not any("!" in f for f in formulas)  # nothing points into another workbook's sheets
    links = [c.hyperlink.target for row in wb["问题清单"].iter_rows() for c in row if c.hyperlink]
    assert links and all(link.startswith("../campaign.xlsx#'") for link in links)
    # a second run replaces its own companion; a workbook of the user's is never overwritten
    update_workbook(workbook, out=str(companion))
    with pytest.raises(UpdateRefused) as refused:
        update_workbook(workbook, out=str(workbook))
    assert refused.value.kind == "out-is-source"
    other = tmp_path / "mine.xlsx"
    shutil.copy(workbook, other)
    with pytest.raises(UpdateRefused) as refused:
        update_workbook(workbook, out=str(other))
    assert refused.value.kind == "out-exists"


def test_a_missing_table_is_not_read_from_the_generated_sheets(tmp_path: Path) -> None:
    """Without a Budget sheet, the Summary's budget block looks like one to the reader's header search: the update
    must not feed on its own output."""
    import openpyxl

    from xl_campaign.io.reader import read_plan

    path = tmp_path / "no-budget.xlsx"
    write_workbook(example("zh"), str(path))
    wb = openpyxl.load_workbook(path)
    del wb["预算"]
    wb.save(path)
    update_workbook(path, keep_backups=0)
    first = whole_snapshot(path)
    assert "budget" not in read_plan(path).tables  # the reader skips generated sheets itself
    plan = read_user_plan(str(path))
    assert "budget" in plan.missing_sheets and plan.budget == [] and "budget" not in plan.tables
    update_workbook(path, keep_backups=0)
    assert whole_snapshot(path) == first


def test_issues_sheet_holds_every_finding_of_the_validator(workbook: Path) -> None:
    import openpyxl

    result = update_workbook(workbook, keep_backups=0)
    assert result.findings
    ws = openpyxl.load_workbook(workbook)["问题清单"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=5, max_col=6)]
    assert sorted((r[2], r[4], r[5]) for r in rows) == sorted((f.code, f.sheet, f.cell) for f in result.findings)
    for row in ws.iter_rows(min_row=5, min_col=6, max_col=6):
        cell = row[0]
        assert cell.hyperlink is not None and cell.hyperlink.location == f"'{ws.cell(cell.row, 5).value}'!{cell.value}"
    severities = [r[1] for r in rows]
    assert severities == sorted(severities, key=["错误", "警告", "提示"].index)  # worst first


def test_issues_sheet_from_findings() -> None:
    from xl_campaign.core.sheets.issues import issues_sheet

    findings = [
        Finding.at(("任务", 5, 7), code="DATE010", rule="dependency-starts-before-predecessor-ends",
                   severity=Severity.WARNING, message="T04 早于 T03 结束", value=date(2024, 5, 8)),
        Finding.at(("预算", 9, 4), code="BUD001", rule="reserve-below-floor", severity=Severity.ERROR,
                   message="应急资金比例 8%", value="=1/0", hint="增加应急资金"),
        Finding(code="XF001", rule="file", severity=Severity.INFO, message="no place"),
        Finding.at(("别的", 1, 1), code="WB001", rule="other", severity=Severity.ERROR, message="sheet not in book"),
    ]
    doc = issues_sheet(findings, "zh", name="问题清单", sheet_names=["活动概览", "任务", "预算"], as_of=EXAMPLE_AS_OF)
    rows = sorted({r for r, _ in doc.cells if r > 4})
    table = [(doc.cells[(r, 3)].value, doc.cells[(r, 2)].value, doc.cells[(r, 6)].value) for r in rows]
    assert table == [("BUD001", "错误", "D9"), ("WB001", "错误", "A1"), ("DATE010", "警告", "G5"),
                     ("XF001", "提示", "")]
    assert doc.cells[(5, 6)].link is not None and doc.cells[(5, 6)].link.location == "'预算'!D9"
    assert doc.cells[(6, 6)].link is None  # a sheet the workbook does not have: no dead link
    assert doc.cells[(5, 8)].value == "=1/0" and doc.cells[(5, 8)].formula is None  # text, never a formula
    assert doc.cells[(7, 8)].value == date(2024, 5, 8)
    assert doc.cells[(5, 2)].style == "sev_error" and doc.styles["sev_error"].fill == "FFC7CE"
    assert doc.autofilter == "A4:J8" and doc.freeze == "A5"
    assert doc.cells[(2, 1)].value.startswith("错误 2 · 警告 1 · 提示 1")
    empty = issues_sheet([], "en", name="Issues")
    assert empty.cells[(2, 1)].value == "No issues found." and empty.autofilter is None


def test_sheet_labels_exist_in_both_languages() -> None:
    from xl_campaign.core.sheets.labels import LABELS

    assert all(zh.strip() and en.strip() for zh, en in LABELS.values())


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xl_campaign.cli", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=180)


def test_cli_update_and_its_refusals(workbook: Path) -> None:
    result = run_cli("update", workbook.name, cwd=workbook.parent)
    assert result.returncode == 0, result.stderr
    assert "已更新" in result.stdout and "问题清单" in result.stdout and "DATE013" in result.stdout
    assert "备份" in result.stdout
    (workbook.parent / "broken.xlsx").write_text("a,b\n1,2\n")
    broken = run_cli("update", "broken.xlsx", "--lang", "en", cwd=workbook.parent)
    assert broken.returncode == 1 and "XF001" in broken.stderr and "not an Excel workbook" in broken.stderr
    assert "Traceback" not in broken.stderr
    missing = run_cli("update", "nope.xlsx", "--lang", "zh", cwd=workbook.parent)
    assert missing.returncode == 1 and "XF019" in missing.stderr and "文件不存在" in missing.stderr
    assert "Traceback" not in missing.stderr
    hostile.lossy(workbook.parent / "shapes.xlsx", "shapes", lang="zh")  # a text box on the Guide sheet
    lossy = run_cli("update", "shapes.xlsx", "--lang", "zh", cwd=workbook.parent)
    assert lossy.returncode == 2 and "--out" in lossy.stderr and "形状" in lossy.stderr
    side = run_cli("update", "shapes.xlsx", "--out", "side.xlsx", "--lang", "en", cwd=workbook.parent)
    # written; the campaign's own findings are warnings at most (exit 0 under the default --fail-on error)
    assert side.returncode == 0 and "companion" in side.stdout and "DATE013" in side.stdout
    assert (workbook.parent / "side.xlsx").exists()


def test_demo_creates_updates_and_reports(tmp_path: Path) -> None:
    result = run_cli("demo", "--lang", "en", "--dir", "demo", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    path = tmp_path / "demo" / "campaign-example-en.xlsx"
    assert str(path) in result.stdout and "Findings:" in result.stdout and "DATE013" in result.stdout
    import openpyxl

    assert openpyxl.load_workbook(path).sheetnames[-3:] == ["Gantt", "Summary", "Issues"]
    again = run_cli("demo", "--lang", "en", "--dir", "demo", cwd=tmp_path)
    assert again.returncode == 0 and sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_update_of_the_source_documents_own_tables(tmp_path: Path) -> None:
    """A workbook typed like SEED.md's tables (no template, text dates, 活动全程, 未开): updated all the same."""
    from .test_reader_layouts import TEMPLATE_1, TEMPLATE_2, write_grid

    path = write_grid(tmp_path / "source.xlsx", {"任务分工表": (3, 2, TEMPLATE_1),
                                                 "时间进度表（甘特图示例）": (1, 1, TEMPLATE_2)})
    before = user_snapshot(path)
    result = update_workbook(path, today=date(2024, 5, 11), keep_backups=0)
    assert result.lang == "zh" and result.sheets == ["甘特图", "汇总", "问题清单"]
    assert user_snapshot(path) == before
    import openpyxl

    gantt = openpyxl.load_workbook(path)["甘特图"]
    names = [c.value for c in gantt["B"] if isinstance(c.value, str)]
    assert "活动主题、规则、流程设计" in names and "用户咨询解答、问题记录" in names
    # text dates are copied, not referenced: a reference would compare text with the date header
    assert all(c.data_type != "f" or "!" not in str(c.value) for row in gantt.iter_rows(min_row=6, max_col=5)
               for c in row)


@pytest.mark.parametrize("name", ["template_zh.xlsx", "template_en.xlsx"])
def test_update_of_an_empty_template(tmp_path: Path, name: str) -> None:
    from .conftest import WORKBOOK_DIR

    path = tmp_path / name
    shutil.copy(WORKBOOK_DIR / name, path)
    result = update_workbook(path, today=date(2025, 6, 1), keep_backups=0)
    assert len(result.sheets) == 3 and result.findings  # an empty plan has plenty to report
    second = whole_snapshot(path)
    update_workbook(path, today=date(2025, 6, 1), keep_backups=0)
    assert whole_snapshot(path) == second


def test_write_errors_are_refusals_not_tracebacks(workbook: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A disk that fills up or a file locked by another program while saving: the original stays as it was."""
    digest = sha(workbook)

    def full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full)
    with pytest.raises(UpdateRefused) as refused:
        update_workbook(workbook, keep_backups=0)
    assert refused.value.kind == "write-failed" and "No space left" in refused.value.message("en")
    assert sha(workbook) == digest and [p.name for p in workbook.parent.iterdir()] == [workbook.name]
