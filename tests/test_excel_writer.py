"""The xlwings writer, run through xlwings' real Book/Sheet/Range classes over an in-memory engine
(tests/xlwings_memory.py), gives the same sheets as the headless openpyxl writer — checked cell by cell."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import xlwings
from openpyxl import Workbook, load_workbook

from xl_campaign.core.sheets.model import (
    MARKER_NAME,
    Chart,
    CondFormat,
    Link,
    PageSetup,
    Series,
    SheetDoc,
    Style,
)
from xl_campaign.excel import xlwings_writer as W
from xl_campaign.io import writer as headless

from . import xlwings_memory as M

ROOT = Path(__file__).resolve().parent.parent
REVERSE_ORDER = hasattr(xlwings.main.ChartAxis, "reverse_order")  # xlwings >= 0.37.6


# ---------------------------------------------------------------------------------------------------------------
# snapshots of the two outputs in one shape

def _value(kind_value: Any) -> Any:
    if kind_value is None:
        return None
    if isinstance(kind_value, bool):
        return ("b", kind_value)
    if isinstance(kind_value, int | float):
        # 15 significant digits, Excel's precision (openpyxl writes floats with fewer digits than repr)
        return ("n", float(f"{float(kind_value):.15g}"))
    if isinstance(kind_value, datetime):
        return ("d", kind_value)
    if isinstance(kind_value, M.ExcelError):
        return ("e", kind_value.code)
    return ("s", kind_value)


def _rgb(color: Any) -> str | None:
    rgb = getattr(color, "rgb", None)
    return rgb[-6:].upper() if isinstance(rgb, str) else None


OPENPYXL_BORDER = {"thin": "thin", "medium": "medium"}


def openpyxl_cell(cell: Any) -> tuple[Any, ...]:
    if cell.data_type == "f":
        value: Any = ("f", cell.value)
    else:
        value = _value(cell.value)
    font = cell.font
    size = font.sz if font.sz not in (None, 11) else None
    fill = cell.fill.fgColor.rgb[-6:].upper() if cell.fill.fill_type == "solid" else None
    sides = [(name, getattr(cell.border, name)) for name in ("left", "right", "top", "bottom")]
    borders = tuple(sorted((name, OPENPYXL_BORDER[side.style], _rgb(side.color))
                           for name, side in sides if side is not None and side.style))
    link = None
    if cell.hyperlink is not None:
        link = cell.hyperlink.target or "#" + (cell.hyperlink.location or "")
    return (value, cell.number_format, bool(font.b), bool(font.i), font.u == "single", size, _rgb(font.color),
            fill, cell.alignment.horizontal or "general", cell.alignment.vertical or "bottom",
            bool(cell.alignment.wrap_text), int(cell.alignment.indent or 0), borders, link,
            cell.comment.text if cell.comment else None)


def memory_cell(state: M.CellState, underlined: bool, indent: int) -> tuple[Any, ...]:
    value = ("f", state.formula) if state.formula else _value(state.value)
    borders = tuple(sorted((side, weight, color) for side, (style, weight, color) in state.borders.items()
                           if style not in (None, "none")))
    return (value, state.number_format, state.bold, state.italic, underlined, state.size, state.font_color,
            state.fill, state.halign, state.valign, state.wrap, indent, borders,
            state.link[0] if state.link else None, state.note)


BORDERS = 12  # index of the borders in a cell snapshot
EMPTY = (None, "General", False, False, False, None, None, None, "general", "bottom", False, 0, (), None, None)


def _ranges_in_log(log: list[tuple[str, Any]], suffix: str) -> dict[tuple[int, int], Any]:
    """Cell -> value of the native (COM) property ``suffix`` set on ranges of the sheet, e.g. ".IndentLevel"."""
    cells: dict[tuple[int, int], Any] = {}
    for path, value in log:
        match = re.fullmatch(r"Worksheet\.Range\('([^']+)'\)" + re.escape(suffix), path)
        if match:
            for top, left, bottom, right in M.parse_areas(match[1]):
                cells |= {(r, c): value for r in range(top, bottom + 1) for c in range(left, right + 1)}
    return cells


def _frozen_at(log: list[tuple[str, Any]]) -> str | None:
    """The frozen-panes cell from the COM calls on the sheet's window (ScrollRow/Column 1, SplitRow/Column)."""
    split = {"SplitRow": 0, "SplitColumn": 0}
    frozen = None
    for path, value in log:
        prefix, _, prop = path.rpartition(".")
        if prefix != "Worksheet.Parent.Windows(1)":
            continue
        if prop in split:
            split[prop] = value
        elif prop == "FreezePanes":
            frozen = f"{M.col_letters(split['SplitColumn'] + 1)}{split['SplitRow'] + 1}" if value else None
    return frozen


def _log_value(log: list[tuple[str, Any]], path: str) -> Any:
    values = [value for key, value in log if key == path]
    return values[-1] if values else None


def _format_code(number_format: Any) -> str:
    return getattr(number_format, "formatCode", None) or "General"


def openpyxl_snapshot(ws: Any) -> dict[str, Any]:
    cells = {}
    for row in ws.iter_rows():
        for cell in row:
            snap = openpyxl_cell(cell)
            if snap != EMPTY:
                cells[(cell.row, cell.column)] = snap
    widths = {}
    for dim in ws.column_dimensions.values():
        if dim.width and dim.customWidth:
            for col in range(dim.min, dim.max + 1):
                widths[col] = dim.width
    rules = []
    for formatting in ws.conditional_formatting:
        for rule in formatting.rules:
            dxf = rule.dxf
            rules.append((rule.priority, str(formatting.sqref), rule.formula[0],
                          dxf.fill.fgColor.rgb[-6:] if dxf and dxf.fill and dxf.fill.fgColor.rgb else None,
                          _rgb(dxf.font.color) if dxf and dxf.font else None,
                          bool(dxf.font.b) if dxf and dxf.font else False, bool(rule.stopIfTrue)))
    charts = []
    for chart in ws._charts:
        kind = "line" if type(chart).__name__ == "LineChart" else {"col": "column", "bar": "bar"}[chart.type]
        series = []
        for serie in chart.series:
            props = serie.graphicalProperties
            color = None
            if props is not None:
                fill = props.line.solidFill if kind == "line" and props.line is not None else props.solidFill
                color = getattr(fill, "srgbClr", None) if fill is not None else None
            categories = serie.cat.numRef.f if serie.cat.numRef is not None else serie.cat.strRef.f
            series.append((serie.val.numRef.f, categories, serie.tx.v, color))
        frm, to = chart.anchor._from, getattr(chart.anchor, "to", None)
        anchor = f"{M.col_letters(frm.col + 1)}{frm.row + 1}"
        span = (M.area_address((frm.row + 1, frm.col + 1, to.row, to.col), False)
                if to is not None and not (frm.rowOff or frm.colOff or to.rowOff or to.colOff) else None)
        title = "".join(run.t for p in chart.title.tx.rich.p for run in (p.r or []))
        y_title = ("".join(run.t for p in chart.y_axis.title.tx.rich.p for run in (p.r or []))
                   if chart.y_axis.title else None)
        category = chart.x_axis
        turned = category.txPr.bodyPr.rot if category.txPr is not None and category.txPr.bodyPr is not None else None
        labels = (category.scaling.orientation == "maxMin",  # categories top to bottom
                  -turned // 60000 if turned else None,  # DrawingML turns clockwise, COM counter-clockwise
                  category.tickLblSkip)
        charts.append((kind, title, anchor, span, tuple(series), y_title, _format_code(chart.y_axis.number_format),
                       _format_code(chart.x_axis.number_format), labels))
    setup = ws.page_setup
    return {
        "cells": cells,
        "merges": sorted(str(r) for r in ws.merged_cells.ranges),
        "widths": widths,
        "heights": {r: d.height for r, d in ws.row_dimensions.items() if d.height is not None},
        "freeze": ws.freeze_panes,
        "rules": [r[1:] for r in sorted(rules)],
        "charts": charts,
        "marker": ws.defined_names[MARKER_NAME].attr_text.strip('"') if MARKER_NAME in ws.defined_names else None,
        "gridlines": ws.sheet_view.showGridLines is not False,
        "tab": ws.sheet_properties.tabColor.rgb[-6:] if ws.sheet_properties.tabColor else None,
        "zoom": ws.sheet_view.zoomScale,
        "autofilter": ws.auto_filter.ref,
        "page": (setup.orientation, int(setup.paperSize) if setup.paperSize else None,
                 setup.fitToWidth if ws.sheet_properties.pageSetUpPr and ws.sheet_properties.pageSetUpPr.fitToPage
                 else None, (ws.print_title_rows or "").replace("$", "") or None,
                 (ws.print_title_cols or "").replace("$", "") or None, ws.oddFooter.center.text),
        "print": fixed_scale(setup.scale if not (ws.sheet_properties.pageSetUpPr
                                                 and ws.sheet_properties.pageSetUpPr.fitToPage) else None,
                             ws.print_area),
        "breaks": tuple(brk.id + 1 for brk in ws.row_breaks.brk),  # a break after row id begins row id + 1
    }


def fixed_scale(scale: Any, area: Any) -> tuple[Any, ...] | None:
    """A fixed print scale and the print area ("A1:L78"), or None for a sheet fitted to pages."""
    if not isinstance(scale, int) or isinstance(scale, bool) or not area:
        return None
    return scale, str(area).split("!")[-1].replace("$", "")


def memory_snapshot(sheet: M.Sheet) -> dict[str, Any]:
    log = sheet.api_log
    underlined = _ranges_in_log(log, ".Font.Underline")
    indents = _ranges_in_log(log, ".IndentLevel")
    cells = {}
    for position, state in sheet.cells_state.items():
        snap = memory_cell(state, state.underline or underlined.get(position) == 2,
                           indents.get(position, state.indent))
        if snap != EMPTY:
            cells[position] = snap
    charts = []
    quoted = "'" + sheet.name.replace("'", "''") + "'"
    for chart in sheet.chart_list:
        kind = {"column_clustered": "column", "bar_clustered": "bar", "line": "line"}[chart.chart_type]
        series = tuple((f"{quoted}!{M.area_address(s['values'])}", f"{quoted}!{M.area_address(s['x'])}", s["name"],
                        s.get("line") if kind == "line" else s.get("fill")) for s in chart.series)
        value_axis, category_axis = chart.axes.get("value", {}), chart.axes.get("category", {})
        if chart.width or chart.height:  # drawn here: where its rectangle lies on the grid
            covered, exact = sheet.cells_at(chart.left, chart.top, chart.width, chart.height)
            span = M.area_address(covered, False) if exact else None
        else:  # brought by a file
            span = M.area_address(chart.cells, False) if chart.cells else None
        axis_log = chart.api_log
        labels = (bool(category_axis.get("reverse_order") or _log_value(axis_log, "Axes(category).ReversePlotOrder")),
                  _log_value(axis_log, "Axes(category).TickLabels.Orientation") or category_axis.get("label_angle"),
                  _log_value(axis_log, "Axes(category).TickLabelSpacing") or category_axis.get("label_step"))
        charts.append((kind, chart.title, M.area_address(chart.anchor[:2] * 2, False), span, series,
                       value_axis.get("title"), value_axis.get("number_format", "General"),
                       category_axis.get("number_format", "General"), labels))
    tab = _log_value(log, "Worksheet.Tab.Color")
    filters = [path for path, _ in log if path.endswith(".AutoFilter()")]
    orientation = _log_value(log, "Worksheet.PageSetup.Orientation")
    # sheet-level settings a copied sheet brought from the file, unless set again through COM since
    settings = sheet.settings
    page_from_log = orientation is not None
    paper = _log_value(log, "Worksheet.PageSetup.PaperSize")
    title_rows = _log_value(log, "Worksheet.PageSetup.PrintTitleRows")
    title_cols = _log_value(log, "Worksheet.PageSetup.PrintTitleColumns")
    return {
        "cells": cells,
        "merges": sorted(M.area_address(m, False) for m in sheet.merges),
        "widths": dict(sheet.col_widths),
        "heights": dict(sheet.row_heights),
        "freeze": _frozen_at(log) if any("FreezePanes" in path for path, _ in log) else settings.get("freeze"),
        "rules": [(" ".join(M.area_address(a, False) for a in rule.areas), rule.formula.lstrip("="), rule.fill,
                   rule.font_color, bool(rule.bold), rule.stop) for rule in sheet.cond_formats],
        "charts": charts,
        "marker": sheet.names_map.get(MARKER_NAME, "").lstrip("=").strip('"') or None,
        "gridlines": sheet.gridlines,
        "tab": M.normalize_color(tab) if tab is not None else settings.get("tab"),
        "zoom": _log_value(log, "Worksheet.Parent.Windows(1).Zoom") or settings.get("zoom"),
        "autofilter": re.search(r"Range\('([^']+)'\)", filters[-1])[1] if filters else settings.get("autofilter"),
        "page": settings.get("page") if not page_from_log and "page" in settings else (
                {2: "landscape", 1: "portrait"}.get(orientation), paper,
                 _log_value(log, "Worksheet.PageSetup.FitToPagesWide"),
                 title_rows.replace("$", "") or None if title_rows else None,
                 title_cols.replace("$", "") or None if title_cols else None,
                 _log_value(log, "Worksheet.PageSetup.CenterFooter") or None),
        "print": fixed_scale(_log_value(log, "Worksheet.PageSetup.Zoom") if page_from_log else settings.get("scale"),
                             sheet.print_area()),
        "breaks": sheet.page_breaks(),
    }


def headless_snapshots(docs: list[SheetDoc], tmp_path: Path) -> dict[str, dict[str, Any]]:
    wb = Workbook()
    wb.remove(wb.active)
    for doc in docs:
        headless.render(wb, doc)
    path = tmp_path / "headless.xlsx"
    wb.save(path)
    back = load_workbook(path)
    return {doc.name: openpyxl_snapshot(back[doc.name]) for doc in docs}


def excel_snapshots(docs: list[SheetDoc], book: Any = None) -> tuple[dict[str, dict[str, Any]], list[Any]]:
    book = book if book is not None else M.new_book()
    results = [W.render(book, doc, native="com") for doc in docs]
    return {doc.name: memory_snapshot(book.sheets[doc.name].impl) for doc in docs}, results


def border_lines(cells: dict[tuple[int, int], tuple[Any, ...]], merges: list[str]
                 ) -> dict[tuple[str, int, int], set[Any]]:
    """Cell borders as the lines Excel draws: a cell's bottom and the next cell's top are one line, and there is
    no line inside a merged area."""
    inside: set[tuple[str, int, int]] = set()
    for merged in merges:
        top, left, bottom, right = M.parse_area(merged)
        inside |= {("h", r, c) for r in range(top, bottom) for c in range(left, right + 1)}
        inside |= {("v", r, c) for r in range(top, bottom + 1) for c in range(left, right)}
    lines: dict[tuple[str, int, int], set[Any]] = {}
    for (row, col), snap in cells.items():
        for side, weight, color in snap[BORDERS]:
            key = {"bottom": ("h", row, col), "top": ("h", row - 1, col), "right": ("v", row, col),
                   "left": ("v", row, col - 1)}[side]
            if key not in inside:
                lines.setdefault(key, set()).add((weight, color))
    return lines


def _without_borders(snap: tuple[Any, ...]) -> tuple[Any, ...]:
    return snap[:BORDERS] + snap[BORDERS + 1:]


def _hidden_by_merges(merges: list[str]) -> set[tuple[int, int]]:
    """Cells covered by a merged area other than its top-left one: Excel shows only the top-left cell (openpyxl
    keeps just their borders, Excel their own formats), so they are not compared."""
    hidden = set()
    for merged in merges:
        top, left, bottom, right = M.parse_area(merged)
        hidden |= {(r, c) for r in range(top, bottom + 1) for c in range(left, right + 1)} - {(top, left)}
    return hidden


def assert_same(expected: dict[str, Any], actual: dict[str, Any]) -> None:
    """Cell by cell, then every sheet-level part, with a readable first difference."""
    hidden = _hidden_by_merges(expected["merges"])
    for position in sorted((set(expected["cells"]) | set(actual["cells"])) - hidden):
        want = _without_borders(expected["cells"].get(position, EMPTY))
        got = _without_borders(actual["cells"].get(position, EMPTY))
        assert got == want, f"cell {M.col_letters(position[1])}{position[0]}:\n headless {want}\n excel    {got}"
    assert border_lines(actual["cells"], actual["merges"]) == border_lines(expected["cells"], expected["merges"])
    for part in expected:
        if part != "cells":
            assert actual[part] == expected[part], f"{part}:\n headless {expected[part]}\n excel    {actual[part]}"


@pytest.fixture
def engine() -> Any:
    with M.active_engine() as memory:
        yield memory


# ---------------------------------------------------------------------------------------------------------------
# a description that uses every part of the model

def everything_doc(name: str = "汇总") -> SheetDoc:
    doc = SheetDoc("summary", name, tab_color="2F5597", gridlines=False, zoom=85, autofilter="A9:C12",
                   freeze="B3", page=PageSetup(landscape=True, paper="A4", fit_width=1, fit_height=0,
                                                title_rows="3:4", title_cols="A:B", footer="&P / &N"))
    doc.styles = {
        "title": Style(bold=True, size=16, color="1F4E78"),
        "head": Style(bold=True, fill="1F4E78", color="FFFFFF", align="center", valign="center", wrap=True,
                      border="BFBFBF"),
        "num": Style(align="right", border_bottom="D9D9D9"),
        "marker": Style(border_sides="C00000"),
        "link": Style(underline=True, color="0563C1"),
        "indent": Style(indent=2, italic=True),
        "bad": Style(fill="FFC7CE", color="9C0006", bold=True),
        "ring": Style(fill="FFEB9C", border="FF0000"),
        "bar": Style(fill="5B9BD5", gap="FFFFFF"),  # white lines above and below keep adjacent bars apart
    }
    doc.put(1, 1, "汇总 · 618", style="title")
    doc.merges.append("A1:F1")
    for col, text in enumerate(["渠道", "Spend", "Revenue", "ROI", "1:N", "Start"], start=1):
        doc.put(3, col, text, style="head")
    doc.merges.append("A4:B4")
    doc.put(4, 1, "两行表头", style="head")
    doc.put(4, 2, None, style="head")
    rows = [("短视频", Decimal("1000.50"), 5002.5, date(2024, 5, 20)), ("KOL", 2000, Decimal("6000"), date(2024, 5, 21)),
            ("=SUM(A1)", 0, 0, None), ("+86 138", 1, 2, datetime(2024, 5, 22, 0, 0))]
    for offset, (channel, spend, revenue, start) in enumerate(rows):
        row = 5 + offset
        doc.put(row, 1, channel, style="indent")
        doc.put(row, 2, spend, fmt="#,##0.00", style="num")
        doc.put(row, 3, revenue, fmt="#,##0.00", style="num")
        doc.put(row, 4, None, formula=f'=IF(B{row}>0,(C{row}-B{row})/B{row},"")', fmt="0.0%", style="num")
        doc.put(row, 5, "1:5" if offset == 0 else "10%", style="marker")
        doc.put(row, 6, start)
    texts = ["TRUE", "#N/A", "2024-05-01", "-x", "@sum", "'quoted", "1,200", "(300)", "¥3,000", "12:30", "3/4",
             "2024年5月", "  padded  ", "tab\tin", "bell\x07gone", ""]
    for offset, text in enumerate(texts):
        doc.put(9 + offset // 3, 1 + offset % 3, text)
    doc.put(15, 1, "任务 T01", link=Link(sheet="任务", cell="B5", tip="跳到任务"), style="link")
    doc.put(15, 2, "docs", link=Link(url="https://example.com/guide"), style="link")
    doc.put(15, 3, 42, link=Link(sheet="预算", cell="D7"))
    doc.put(16, 1, "有备注", note="这里是说明 / a note")
    doc.put(17, 1, True)
    doc.put(17, 2, 3)
    doc.put(17, 3, None, formula="=TODAY()", fmt="yyyy-mm-dd")
    for row in (19, 20):
        for col in (1, 2, 3):
            doc.put(row, col, None, style="bar")
    doc.col_widths = {1: 22, 2: 12.5, 3: 12.5, 6: 11}
    doc.row_heights = {1: 28, 3: 32}
    doc.cond_formats = [
        CondFormat("D5:D8", 'AND(ISNUMBER(D5),D5<0)', "bad", stop=True),
        CondFormat("B5:C8 E5:E8", "B5=0", "ring"),
        CondFormat("A5:A8", 'LEFT($A5,1)="="', "bad"),
    ]
    doc.charts = [
        Chart("column", "ROI", "H3", "A5:A8", (Series("Spend", "B5:B8", "9DC3E6"), Series("Revenue", "C5:C8", "2F5597")),
              y_title="¥", y_format="#,##0"),
        Chart("line", "Pacing", "H20", "F5:F8", (Series("ROI", "D5:D8", "C00000"),), x_format="mm-dd"),
        Chart("bar", "By channel", "P3", "A5:A8", (Series("Revenue", "C5:C8"),)),
    ]
    return doc


# ---------------------------------------------------------------------------------------------------------------
# tests

def test_every_part_matches_the_headless_writer(engine: Any, tmp_path: Path) -> None:
    doc = everything_doc()
    expected = headless_snapshots([doc], tmp_path)
    actual, results = excel_snapshots([doc])
    assert_same(expected[doc.name], actual[doc.name])
    # what the xlwings API cannot do is said, not silently dropped
    assert results[0].skipped == ["borders of conditional formats"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_cell_names_the_sheets_typeface(engine: Any, lang: str) -> None:
    """SheetDoc.font: every cell names the sheet's face (the headless writer's font_of does the same)."""
    book = M.new_book()
    for doc in example_docs(lang):
        assert doc.font
        W.render(book, doc, native="com")
        sheet = book.sheets[doc.name].impl
        assert {sheet.cells_state[p].font_name for p in doc.cells} == {doc.font}


def test_text_stays_text(engine: Any) -> None:
    doc = everything_doc()
    book = M.new_book()
    W.render(book, doc, native="com")
    sheet = book.sheets[doc.name].impl
    for (row, col), cell in doc.cells.items():
        if isinstance(cell.value, str) and not cell.formula:
            state = sheet.cells_state[(row, col)]
            expected = W._ILLEGAL.sub("", cell.value) or None
            assert (state.value, state.formula) == (expected, None), (row, col, cell.value)
    # the text protection is needed: without it Excel would have changed these
    assert M.typed("1:5")[0] != "1:5" and M.typed("3/4")[0] != "3/4" and M.typed("=SUM(A1)")[1] and M.typed("-x")[1]
    assert M.typed("1,200")[0] == 1200 and M.typed("TRUE")[0] is True


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_generated_sheets_of_the_example_match(engine: Any, tmp_path: Path, lang: str) -> None:
    docs = example_docs(lang)
    assert {d.key for d in docs} == {"gantt", "summary", "issues"}
    assert sum(len(d.cells) for d in docs) > 500 and any(d.cond_formats for d in docs) and any(d.charts for d in docs)
    expected = headless_snapshots(docs, tmp_path)
    book = M.new_book(sheet_names=("Sheet1",))
    actual, results = excel_snapshots(docs, book)
    for doc in docs:
        assert_same(expected[doc.name], actual[doc.name])
    assert [s.name for s in book.sheets][1:] == [d.name for d in docs]


def test_the_summary_prints_at_its_scale_in_excel_too(engine: Any, tmp_path: Path) -> None:
    """The Summary's two pages come from a fixed print scale, a page break and a print area (core.sheets.paper):
    Excel must be told the same as the headless writer tells the file."""
    doc = next(d for d in example_docs("zh") if d.key == "summary")
    assert doc.page.scale and doc.page.row_breaks and doc.page.area
    expected = headless_snapshots([doc], tmp_path)[doc.name]
    book = M.new_book(sheet_names=("Sheet1",))
    actual, _ = excel_snapshots([doc], book)
    assert expected["print"] == (doc.page.scale, doc.page.area) and expected["breaks"] == doc.page.row_breaks
    for part in ("print", "page", "breaks", "charts"):
        assert actual[doc.name][part] == expected[part], part
    spans = [chart[3] for chart in actual[doc.name]["charts"]]
    assert spans == [chart.span for chart in doc.charts] and all(spans)  # each chart over exactly its cells


def test_a_sheet_rewritten_in_place_gets_its_own_print_area_and_page_breaks(engine: Any, tmp_path: Path) -> None:
    """The print area and page breaks belong to the sheet, not to its cells: a sheet cleared and rewritten (never
    replaced) loses the earlier ones — the new description's are set, none when it has none."""
    from dataclasses import replace

    doc = SheetDoc("summary", "汇总")
    for row in range(1, 31):
        doc.put(row, 1, f"row {row}")
        doc.put(row, 3, row * 10)
    book = M.new_book()
    sheet = None
    for page in (PageSetup(scale=80, row_breaks=(12, 21), area="A1:C24"), PageSetup(scale=70, row_breaks=(16,),
                 area="A1:C30"), PageSetup()):  # the last: one page wide, no scale, no breaks, no print area
        version = replace(doc, page=page)
        result = W.render(book, version, native="com")
        sheet = sheet or result.sheet_object.impl
        assert result.sheet_object.impl is sheet and result.skipped == []
        actual = memory_snapshot(sheet)
        assert_same(headless_snapshots([version], tmp_path)[doc.name], actual)
        assert actual["breaks"] == page.row_breaks
        assert sheet.print_area() == (W._absolute_area(page.area) if page.area else None)


@pytest.mark.parametrize(("field", "value"), [("scale", 75), ("row_breaks", (40,)), ("area", "A1:L90")])
def test_the_settings_fingerprint_covers_the_print_settings(field: str, value: Any) -> None:
    """A sheet copied once keeps its settings while their fingerprint (transfer.py) is unchanged: a changed print
    scale, page break or print area must change it."""
    from dataclasses import replace

    doc = everything_doc()
    assert W.settings_key(replace(doc, page=replace(doc.page, **{field: value}))) != W.settings_key(doc)


def test_updating_twice_clears_in_place(engine: Any, tmp_path: Path) -> None:
    book = M.new_book()
    bigger = everything_doc()
    W.render(book, bigger, native="com")
    first_sheet = book.sheets[bigger.name].impl
    smaller = SheetDoc("summary", bigger.name)
    smaller.styles = {"x": Style(bold=True)}
    smaller.put(2, 2, "only this", style="x")
    smaller.col_widths = {2: 30}
    first_sheet.api_log.clear()  # the log of native calls is history, not state: keep the second render's only
    result = W.render(book, smaller, native="com")
    assert not result.created and book.sheets[bigger.name].impl is first_sheet  # same sheet, not a new one
    expected = headless_snapshots([smaller], tmp_path)[smaller.name]
    actual = memory_snapshot(first_sheet)
    assert_same(expected, actual)
    again = W.render(book, bigger, native="com")
    assert not again.created and len(book.sheets) == 2


def test_rules_keep_their_priority_and_relative_references(engine: Any) -> None:
    book = M.new_book()
    doc = everything_doc()
    W.render(book, doc, native="com")
    rules = book.sheets[doc.name].impl.cond_formats
    # Excel reads a new rule's relative references from the active cell (A1 here, selected once) and keeps them
    # relative to the rule's top-left cell: the stand-in moves them as Excel does, so the writer must have written
    # each formula relative to A1
    assert {rule.active_cell for rule in rules} == {(1, 1)}
    assert [r.formula.lstrip("=") for r in rules] == [r.formula for r in doc.cond_formats]  # first = highest


@pytest.mark.parametrize("native", ["com", "appscript"])
def test_rules_reach_a_german_excel_in_its_own_formula_language(engine: Any, tmp_path: Path, native: str) -> None:
    """FormatConditions.Add reads Formula1 in the user's formula language (German: UND(…;…)); the stand-in's German
    Excel refuses English names and commas there. The Gantt's rules arrive as the headless writer has them, and the
    scratch cells used for the translation are left empty."""
    docs = [d for d in example_docs("zh") if d.cond_formats]
    assert docs
    expected = headless_snapshots(docs, tmp_path)
    book = M.new_book()
    book.app.impl.formula_language = M.GERMAN
    for doc in docs:
        W.render(book, doc, native=native)
        actual = memory_snapshot(book.sheets[doc.name].impl)
        assert actual["rules"] == expected[doc.name]["rules"]
        if native == "com":
            assert_same(expected[doc.name], actual)
        sheet = book.sheets[doc.name].impl
        assert all((s.value, s.formula) == (None, None) for (r, c), s in sheet.cells_state.items()
                   if c > doc.max_col), "the scratch cells must be cleared"


def test_without_the_translation_a_german_excel_refuses_the_rules(engine: Any, monkeypatch: pytest.MonkeyPatch
                                                                   ) -> None:
    doc = next(d for d in example_docs("en") if d.cond_formats)
    book = M.new_book()
    book.app.impl.formula_language = M.GERMAN
    monkeypatch.setattr(W._Renderer, "local_formulas", lambda self, formulas: {})
    with pytest.raises(RuntimeError, match="not a function in this language"):
        W.render(book, doc, native="com")


def test_the_german_model_knows_every_function_the_rules_use() -> None:
    """A function the model does not know would pass untranslated: every name in the generated sheets' rules (and
    formulas) must be in the stand-in's German table, so a new function in a rule makes this fail until it is."""
    used = set()
    for lang in ("zh", "en"):
        for doc in example_docs(lang):
            texts = [r.formula for r in doc.cond_formats]
            used |= {name.upper() for text in texts for name in re.findall(r"([A-Za-z_][A-Za-z0-9_.]*)\(", text)}
    assert used and used <= set(M.GERMAN.names)
    assert M.GERMAN.to_local('=AND(ISNUMBER($D1),A$4+1.5>$D1,B1="a,b")') == '=UND(ISTZAHL($D1);A$4+1,5>$D1;B1="a,b")'
    assert M.GERMAN.from_local('=UND(ISTZAHL($D1);A$4+1,5>$D1;B1="a,b")') == '=AND(ISNUMBER($D1),A$4+1.5>$D1,B1="a,b")'
    with pytest.raises(RuntimeError):
        M.GERMAN.from_local("=UND(ISTZAHL($D1),A1)")  # a comma between arguments


def test_english_rules_when_excel_will_not_translate(engine: Any) -> None:
    """If Excel refuses FormulaLocal, the rules go in English (what an English Excel reads), nothing fails."""
    doc = everything_doc()
    book = M.new_book()
    sheet = book.sheets[0]

    class Refusing:
        FormulaLocal = property(lambda self: (_ for _ in ()).throw(RuntimeError("no")))

    renderer = W._Renderer(sheet, doc, "com", W.RenderResult(doc.name, False), M.MemoryEngine.prepare_xl_data_element)
    original = M.Range.api
    try:
        M.Range.api = property(lambda self: Refusing())  # type: ignore[assignment, method-assign]
        assert renderer.local_formulas(["=AND(A1,B1)"]) == {}
    finally:
        M.Range.api = original  # type: ignore[method-assign]
    assert all(s.value is None and s.formula is None for s in sheet.impl.cells_state.values())


def test_shift_references() -> None:
    assert W.shift_references("AND(J$4<=$C$2,$C$2<J$4+1)", -5, -9) == "AND(A$4<=$C$2,$C$2<A$4+1)"
    assert W.shift_references('LEFT($A5,1)="B5"', -4, 0) == 'LEFT($A1,1)="B5"'  # text in quotes stays
    assert W.shift_references("LOG10(B2)+ROUND(C3,0)", 1, 1) == "LOG10(C3)+ROUND(D4,0)"  # function names stay
    assert W.shift_references("B2", -2, -3) == "XFC1048576"  # wraps at the edges, as Excel stores offsets
    assert W.shift_references("'Tasks'!B2:C3", 1, 0) == "'Tasks'!B3:C4"
    assert W.shift_references("Campaign_AsOf>B2", 0, 1) == "Campaign_AsOf>C2"


def test_user_sheet_with_the_same_name_is_not_touched(engine: Any) -> None:
    book = M.new_book(sheet_names=("Sheet1", "汇总"))
    book.sheets["汇总"].range("A1").value = "mine"
    with pytest.raises(ValueError, match="already present"):
        W.render(book, everything_doc(), native="com")
    assert book.sheets["汇总"].range("A1").value == "mine"


def test_without_com_the_extras_are_reported(engine: Any) -> None:
    book = M.new_book()
    result = W.render(book, everything_doc(), native=None)
    com_only = {"underline", "indent", "freeze panes", "AutoFilter", "tab colour", "print setup", "zoom",
                "borders of conditional formats", "chart axis labels"}
    if not REVERSE_ORDER:  # xlwings before 0.37.6 reverses a bar chart's categories only through COM
        com_only.add("bar chart order")
    assert set(result.skipped) == com_only
    assert book.sheets["汇总"].impl.api_log == []
    assert all(chart.api_log == [] for chart in book.sheets["汇总"].impl.chart_list)


def test_other_platforms_get_the_same_cells_one_area_at_a_time(engine: Any, tmp_path: Path) -> None:
    """Without COM (macOS): single-area ranges, and no COM-only parts; everything else as the headless writer."""
    doc = everything_doc()
    expected = headless_snapshots([doc], tmp_path)[doc.name]
    book = M.new_book()
    W.render(book, doc, native=None)
    actual = memory_snapshot(book.sheets[doc.name].impl)
    com_only = {4: False, 11: 0}  # underline, indent
    expected["cells"] = {p: tuple(com_only.get(i, v) for i, v in enumerate(snap)) for p, snap in expected["cells"].items()}
    expected["cells"] = {p: snap for p, snap in expected["cells"].items() if snap != EMPTY}
    for part in ("freeze", "tab", "zoom", "autofilter", "page", "print"):
        expected[part] = actual[part]
    # the angle and spacing of a line chart's labels are COM-only; so is a bar chart's order before xlwings 0.37.6
    expected["charts"] = [(*chart[:-1], (chart[-1][0] and REVERSE_ORDER, None, None)) for chart in expected["charts"]]
    # a rule over several areas becomes one rule per area (macOS' engine reads only the first area of "A1,B2"),
    # each with the formula as seen from its own top-left cell: the same formatting, cell by cell
    rules = []
    for ranges, formula, *rest in expected["rules"]:
        top, left = M.parse_area(ranges.split()[0])[:2]
        for area in ranges.split():
            area_top, area_left = M.parse_area(area)[:2]
            rules.append((area, M._moved(formula, area_top - top, area_left - left), *rest))
    expected["rules"] = rules
    assert_same(expected, actual)


def test_formula_blocks_cover_the_formulas_and_leave_merged_areas_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = SheetDoc("summary", "S")
    doc.merges = ["A1:C1", "E3:F4"]
    doc.put(1, 1, 1, formula="=1")  # a merged area's anchor
    for row in (2, 3, 5, 6):
        for col in (2, 5, 7):
            if (row, col) != (3, 5):
                doc.put(row, col, 2, formula="=2")
    doc.put(3, 5, 3, formula="=3")  # the anchor of E3:F4
    blocks = W.formula_blocks(doc)
    covered = {(r, c) for t, lc, b, rc in blocks for r in range(t, b + 1) for c in range(lc, rc + 1)}
    assert {p for p, cell in doc.cells.items() if cell.formula} <= covered
    for merged in doc.merges:
        area = M.parse_area(merged)
        for block in blocks:
            assert not M._overlaps(area, block) or block == area[:2] * 2, (merged, block)
    assert (5, 1, 6, 7) in blocks and (2, 1, 2, 7) in blocks  # rows free of merged cells: one band each
    monkeypatch.setattr(W, "MAX_GRID_CELLS", 4)
    small = W.formula_blocks(doc)
    assert all((b - t + 1) * (rc - lc + 1) <= 4 or all(doc.cells.get((y, x)) for y in range(t, b + 1)
                                                      for x in range(lc, rc + 1)) for t, lc, b, rc in small)


def test_helpers() -> None:
    assert W.rectangles([(1, 1), (1, 2), (2, 1), (2, 2), (4, 1)]) == [(1, 1, 2, 2), (4, 1, 4, 1)]
    assert W.rectangles([(1, 1), (1, 3)]) == [(1, 1, 1, 1), (1, 3, 1, 3)]
    many = [(row, col) for row in range(1, 200, 2) for col in (1, 3)]
    batches = list(W.batches(many))
    assert all(len(b) <= W.MAX_ADDRESS for b in batches) and len(batches) > 1
    assert sum(len(M.parse_areas(b)) for b in batches) == len(many)
    assert list(W.batches([(1, 1), (1, 3)], multi_area=False)) == ["A1", "C1"]
    assert W.excel_text("plain") == "plain" and W.excel_text("1:5") == "'1:5" and W.excel_text("=x") == "'=x"
    assert W.cell_value(Decimal("1.5")) == 1.5 and W.cell_value(date(2024, 1, 2)) == datetime(2024, 1, 2)


def _engine_members(module_file: str) -> dict[str, set[str]]:
    """Class name -> the members each class of an xlwings engine module defines (methods, properties, class and
    instance attributes), including those of its bases in the same module."""
    import ast

    import xlwings

    tree = ast.parse(Path(xlwings.__file__).with_name(module_file).read_text(encoding="utf-8"))
    own: dict[str, set[str]] = {}
    bases: dict[str, list[str]] = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            names = set()
            for item in ast.walk(node):
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef):
                    names.add(item.name)
                elif isinstance(item, ast.Attribute) and isinstance(item.value, ast.Name) and item.value.id == "self":
                    names.add(item.attr)
                elif isinstance(item, ast.Assign):
                    names |= {t.id for t in item.targets if isinstance(t, ast.Name)}
            own[node.name] = names
            bases[node.name] = [b.id for b in node.bases if isinstance(b, ast.Name)]

    def members(name: str) -> set[str]:
        return own.get(name, set()).union(*(members(b) for b in bases.get(name, []) if b in own and b != name))

    return {name: members(name) for name in own}


@pytest.mark.parametrize("engine_module", ["_xlwindows.py", "_xlmac.py"])
def test_memory_engine_offers_only_what_the_desktop_engines_implement(engine_module: str) -> None:
    """Every engine call the in-memory engine answers must be implemented by xlwings' Windows and macOS engines,
    or the tests would pass on calls real Excel cannot make (xlwings 0.37.8 has no desktop ``freeze_panes``,
    ``adjust_indent`` or Windows ``Names.snapshot``: the writer must not need them)."""
    from xlwings import base_classes

    real = _engine_members(engine_module)
    missing = []
    for name, memory_class in vars(M).items():
        interface = getattr(base_classes, name, None)
        if not isinstance(memory_class, type) or not isinstance(interface, type) or memory_class.__module__ != M.__name__:
            continue
        if not issubclass(memory_class, interface):
            continue
        for member in vars(memory_class):
            if member.startswith("__") and member not in ("__call__", "__len__", "__iter__", "__getitem__"):
                continue
            if hasattr(interface, member) and member not in real.get(name, set()):
                missing.append(f"{name}.{member}")
    assert missing == []


def test_writer_type_checks_against_xlwings_hints(tmp_path: Path) -> None:
    """mypy reads xlwings' shipped hints (py.typed): the writer passes, and a misuse of the same API fails."""
    clean = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent",
                            str(ROOT / "xl_campaign" / "excel" / "xlwings_writer.py"),
                            str(ROOT / "xl_campaign" / "excel" / "transfer.py")],
                           capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert clean.returncode == 0, clean.stdout
    misuse = tmp_path / "misuse.py"
    misuse.write_text(textwrap.dedent("""
        import xlwings as xw

        def bad(sheet: xw.Sheet) -> None:
            sheet.range("A1").horizontal_alignment = "middle"
            sheet.range("A1").borders.set("all", weight="fat")
            sheet.charts.add(anchor="B2")
    """))
    caught = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent", str(misuse)],
                            capture_output=True, text=True, cwd=ROOT, timeout=300)  # ROOT: share mypy's cache
    assert caught.returncode == 1
    assert caught.stdout.count("error:") >= 3, caught.stdout


# ---------------------------------------------------------------------------------------------------------------

def example_docs(lang: str) -> list[SheetDoc]:
    """The three generated sheets of the bundled example workbook, described as ``update`` describes them."""
    from xl_campaign.app.update import generated_docs, read_user_plan, validate
    from xl_campaign.core.schedule import status_date

    plan = read_user_plan(str(ROOT / "workbook" / f"example_{lang}.xlsx"))
    as_of = status_date(None, plan.overview.as_of)
    return generated_docs(plan, validate(plan, lang, as_of), lang, as_of)
