"""Render sheet descriptions (``core.sheets.SheetDoc``) into an open workbook through xlwings — the Excel side of
"Check & Update". The headless writer (``io.writer``, openpyxl) renders the same descriptions; both must give the
same cells, which a test checks cell by cell.

Only xlwings' own (BSD) API is used — ``Book``/``Sheet``/``Range``, fonts, borders, conditional formats, charts,
names — except for what that API does not offer (print setup, tab colour, zoom, the AutoFilter button, underline),
which goes through the native object model (``.api``: COM on Windows) and is reported, not forced, elsewhere.

Excel reads text written to a cell the way it reads typing: ``=x`` becomes a formula, ``1:5`` a time, ``10%`` a
number. Text that Excel would reinterpret is therefore written with Excel's text prefix ``'`` (not stored in the
value). A generated sheet that already exists (it carries the marker name of ``core.sheets.model``) is cleared in
place rather than deleted, so that formulas elsewhere that point into it keep working.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..core.model import column_letter
from ..core.sheets.model import MARKER_NAME, Chart, SheetDoc, Style

if TYPE_CHECKING:
    import xlwings as xw
    from xlwings.base_classes import BorderSide, HorizontalAlignment, VerticalAlignment

DATE_FORMAT = "yyyy-mm-dd"  # as io.writer: a date without a format is shown as ISO
MAX_TEXT = 32767  # Excel's limit for the text of one cell
STANDARD_WIDTH = 8.43  # Excel's default column width (Calibri 11), used when a cleared sheet is reset
POINTS_PER_CM = 72 / 2.54
MAX_ADDRESS = 250  # Excel's Range("A1,B2,…") takes at most 255 characters
MAX_GRID_CELLS = 200_000  # above this, values are written row by row instead of as one block
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")  # what openpyxl strips too
_ERROR_TEXTS = {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#SPILL!", "#CALC!"}
# Text Excel would read as a number, date, time, percentage or fraction when typed (locale-independent superset).
_NUMERIC_LOOKING = re.compile(r"[\s\d.,:/\\\-+()%$¥€£eE年月日时分秒]*\d[\s\d.,:/\\\-+()%$¥€£eE年月日时分秒AaPpMm]*")

# COM constants (Excel type library) for the parts set through .api on Windows
XL_LANDSCAPE, XL_PORTRAIT = 2, 1
XL_PAPER = {"A4": 9, "Letter": 1}
XL_UNDERLINE_SINGLE = 2

HORIZONTAL: dict[str, HorizontalAlignment] = {"left": "left", "center": "center", "right": "right"}
VERTICAL: dict[str, VerticalAlignment] = {"top": "top", "center": "center", "bottom": "bottom"}


@dataclass
class RenderResult:
    """What one render did; ``skipped`` names what could not be applied on this platform (shown to the user)."""

    sheet: str
    created: bool
    skipped: list[str] = field(default_factory=list)


def excel_text(text: str) -> str:
    """``text`` as it must be written so that Excel stores exactly this text (``'`` prefix when needed)."""
    text = _ILLEGAL.sub("", text)[:MAX_TEXT]
    if not text:
        return text
    stripped = text.strip()
    if (text[0] in "=+-@'\t\r\n" or stripped.upper() in ("TRUE", "FALSE") or stripped.upper() in _ERROR_TEXTS
            or _NUMERIC_LOOKING.fullmatch(stripped)):
        return "'" + text
    return text


def cell_value(value: Any) -> Any:
    """A description value as written to Excel: Decimal → float, text protected (see :func:`excel_text`)."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        return excel_text(value)
    if isinstance(value, date) and not isinstance(value, datetime):
        return datetime(value.year, value.month, value.day)
    return value


def rectangles(cells: Iterable[tuple[int, int]]) -> list[tuple[int, int, int, int]]:
    """Cover ``cells`` with few rectangles (first_row, first_col, last_row, last_col): runs of columns per row,
    then equal runs on consecutive rows joined."""
    by_row: dict[int, list[int]] = defaultdict(list)
    for row, col in cells:
        by_row[row].append(col)
    runs: dict[tuple[int, int], list[int]] = defaultdict(list)  # (first_col, last_col) -> rows
    for row, cols in by_row.items():
        cols.sort()
        start = previous = cols[0]
        for col in cols[1:]:
            if col != previous + 1:
                runs[(start, previous)].append(row)
                start = col
            previous = col
        runs[(start, previous)].append(row)
    out = []
    for (first_col, last_col), rows in runs.items():
        rows.sort()
        top = bottom = rows[0]
        for row in rows[1:]:
            if row != bottom + 1:
                out.append((top, first_col, bottom, last_col))
                top = row
            bottom = row
        out.append((top, first_col, bottom, last_col))
    return sorted(out)


def _address(rect: tuple[int, int, int, int]) -> str:
    top, left, bottom, right = rect
    first = f"{column_letter(left)}{top}"
    return first if (top, left) == (bottom, right) else f"{first}:{column_letter(right)}{bottom}"


def batches(cells: Iterable[tuple[int, int]], multi_area: bool = True) -> Iterator[str]:
    """Multi-area addresses ("A1:C1,A3:C5") covering ``cells``, each short enough for one Range call; with
    ``multi_area`` False, one rectangle per address."""
    current: list[str] = []
    length = 0
    for rect in rectangles(cells):
        address = _address(rect)
        if current and (not multi_area or length + len(address) + 1 > MAX_ADDRESS):
            yield ",".join(current)
            current, length = [], 0
        current.append(address)
        length += len(address) + 1
    if current:
        yield ",".join(current)


def _color(hex_rgb: str) -> str:
    return "#" + hex_rgb.lstrip("#")


def _bgr(hex_rgb: str) -> int:
    """An RRGGBB colour as the BGR integer of Excel's object model."""
    value = hex_rgb.lstrip("#")
    red, green, blue = int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)
    return red + green * 256 + blue * 65536


def native_platform() -> str | None:
    """"com" on Windows, "appscript" on macOS: how ``.api`` objects behave; None elsewhere."""
    if sys.platform.startswith("win"):
        return "com"
    if sys.platform == "darwin":
        return "appscript"
    return None


class _Renderer:
    def __init__(self, sheet: xw.Sheet, doc: SheetDoc, native: str | None, result: RenderResult) -> None:
        self.sheet = sheet
        self.doc = doc
        self.native = native
        self.result = result
        # COM takes "A1:B2,D4" in one Range; other engines get one rectangle per call
        self.multi_area = native == "com"

    # -- values and formulas ---------------------------------------------------------------------------------
    def values(self) -> None:
        doc = self.doc
        if not doc.cells:
            return
        rows, cols = doc.max_row, doc.max_col
        if rows * cols <= MAX_GRID_CELLS:
            grid: list[list[Any]] = [[None] * cols for _ in range(rows)]
            for (row, col), cell in doc.cells.items():
                if not cell.formula:
                    grid[row - 1][col - 1] = cell_value(cell.value)
            self.sheet.range((1, 1), (rows, cols)).value = grid
            return
        by_row: dict[int, dict[int, Any]] = defaultdict(dict)
        for (row, col), cell in doc.cells.items():
            if not cell.formula and cell.value is not None:
                by_row[row][col] = cell_value(cell.value)
        for row, values in sorted(by_row.items()):
            first, last = min(values), max(values)
            self.sheet.range((row, first), (row, last)).value = [[values.get(c) for c in range(first, last + 1)]]

    def formulas(self) -> None:
        by_row: dict[int, dict[int, str]] = defaultdict(dict)
        for (row, col), cell in self.doc.cells.items():
            if cell.formula:
                by_row[row][col] = cell.formula if cell.formula.startswith("=") else "=" + cell.formula
        for row, formulas in sorted(by_row.items()):
            cols = sorted(formulas)
            start = 0
            for index in range(1, len(cols) + 1):
                if index == len(cols) or cols[index] != cols[index - 1] + 1:
                    run = cols[start:index]
                    target = self.sheet.range((row, run[0]), (row, run[-1]))
                    target.formula = [[formulas[c] for c in run]] if len(run) > 1 else formulas[run[0]]
                    start = index

    # -- formats ---------------------------------------------------------------------------------------------
    def number_formats(self) -> None:
        groups: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for position, cell in self.doc.cells.items():
            fmt = cell.fmt
            if fmt is None and isinstance(cell.value, date) and not cell.formula:
                fmt = DATE_FORMAT
            if fmt:
                groups[fmt].append(position)
        for fmt, positions in groups.items():
            for address in batches(positions, self.multi_area):
                self.sheet.range(address).number_format = fmt

    def styles(self) -> None:
        groups: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for position, cell in self.doc.cells.items():
            if cell.style:
                groups[cell.style].append(position)
        for name, positions in groups.items():
            spec = self.doc.styles[name]
            for address in batches(positions, self.multi_area):
                self._style(self.sheet.range(address), spec)
            if spec.border or spec.border_sides or spec.border_bottom:
                for rect in rectangles(positions):
                    self._borders(self.sheet.range(_address(rect)), spec, rect)

    def _style(self, target: xw.Range, spec: Style) -> None:
        if spec.bold:
            target.font.bold = True
        if spec.italic:
            target.font.italic = True
        if spec.size:
            target.font.size = spec.size
        if spec.color:
            target.font.color = _color(spec.color)
        if spec.fill:
            target.color = _color(spec.fill)
        if spec.align:
            target.horizontal_alignment = HORIZONTAL[spec.align]
        if spec.valign:
            target.vertical_alignment = VERTICAL[spec.valign]
        if spec.wrap:
            target.wrap_text = True
        if spec.indent:
            indent = spec.indent
            self._native("indent", lambda api: setattr(api, "IndentLevel", indent), target)
        if spec.underline:
            self._native("underline", lambda api: setattr(api.Font, "Underline", XL_UNDERLINE_SINGLE), target)

    @staticmethod
    def _borders(target: xw.Range, spec: Style, rect: tuple[int, int, int, int]) -> None:
        """Per-cell borders over one rectangle. Excel refuses an inside line on an area without one (one row or
        column), so the sides depend on the rectangle's shape."""
        top, left, bottom, right = rect
        across, down = right > left, bottom > top
        sides: list[BorderSide | str]
        if spec.border:
            sides = ["edge_top", "edge_bottom", "edge_left", "edge_right"]
            sides += (["inside_vertical"] if across else []) + (["inside_horizontal"] if down else [])
            target.borders.set(sides, line_style="continuous", weight="thin", color=_color(spec.border))
        elif spec.border_sides:
            sides = ["edge_left", "edge_right"] + (["inside_vertical"] if across else [])
            target.borders.set(sides, line_style="continuous", weight="medium", color=_color(spec.border_sides))
        elif spec.border_bottom:
            sides = ["edge_bottom"] + (["inside_horizontal"] if down else [])
            target.borders.set(sides, line_style="continuous", weight="thin", color=_color(spec.border_bottom))

    # -- layout ----------------------------------------------------------------------------------------------
    def layout(self) -> None:
        doc, sheet = self.doc, self.sheet
        for merged in doc.merges:
            sheet.range(merged).merge()
        for col, width in sorted(doc.col_widths.items()):
            sheet.range((1, col)).column_width = width
        for row, height in sorted(doc.row_heights.items()):
            sheet.range((row, 1)).row_height = height
        sheet.show_gridlines = doc.gridlines

    def links_and_notes(self) -> None:
        for (row, col), cell in sorted(self.doc.cells.items()):
            target = self.sheet.range((row, col))
            if cell.link is not None:
                address = cell.link.url or f"#{cell.link.location}"
                shown = "" if cell.value is None or cell.formula else str(cell.value)
                target.add_hyperlink(address, shown, cell.link.tip or shown or address)
            if cell.note:
                target.add_note(_ILLEGAL.sub("", cell.note)[:MAX_TEXT])

    def freeze(self) -> None:
        """Frozen panes belong to the window, and neither xlwings desktop engine implements ``freeze_panes``:
        through COM, on the workbook's window showing this sheet, scrolled to the top-left first."""
        cell = self.doc.freeze

        def freeze_window(api: Any) -> None:
            self.sheet.activate()
            window = api.Parent.Windows(1)
            window.FreezePanes = False
            if cell:
                row, col = _row_col(cell)
                window.ScrollRow = 1
                window.ScrollColumn = 1
                window.SplitColumn = col - 1
                window.SplitRow = row - 1
                window.FreezePanes = True
        if cell or not self.result.created:
            self._native("freeze panes", freeze_window)

    def conditional_formats(self) -> None:
        # Each rule xlwings adds becomes the first (highest) priority, so add them last to first. Excel reads the
        # relative references of a new rule from the active cell: select the top-left cell of its range first.
        if not self.doc.cond_formats:
            return
        self.sheet.activate()
        for rule in reversed(self.doc.cond_formats):
            ranges = rule.ranges.split()
            self.sheet.range(ranges[0].split(":")[0]).select()
            style = self.doc.styles[rule.style]
            formats = self.sheet.range(",".join(ranges)).conditional_formats
            formats.add_custom("=" + rule.formula.lstrip("="), fill_color=_color(style.fill) if style.fill else None,
                               font_color=_color(style.color) if style.color else None,
                               font_bold=True if style.bold else None, stop_if_true=rule.stop)
            if style.border or style.border_sides or style.border_bottom:
                self._skip("borders of conditional formats")

    def charts(self) -> None:
        for spec in self.doc.charts:
            self._chart(spec)

    def _chart(self, spec: Chart) -> None:
        kind = {"column": "column_clustered", "bar": "bar_clustered", "line": "line"}[spec.kind]
        source = self.sheet.range(",".join(s.values for s in spec.series))
        chart = self.sheet.charts.add(width=spec.width_cm * POINTS_PER_CM, height=spec.height_cm * POINTS_PER_CM,
                                      chart_type=kind, source=source, plot_by="columns",
                                      anchor=self.sheet.range(spec.anchor))
        chart.title = spec.title
        chart.set_x_axis_values(self.sheet.range(spec.categories))
        for index, serie in enumerate(spec.series):
            item = chart.series[index]
            item.name = serie.title
            if serie.color:
                if spec.kind == "line":
                    item.line_color = _color(serie.color)
                else:
                    item.fill_color = _color(serie.color)
        chart.legend.position = "bottom"
        if spec.y_title:
            chart.value_axis.title = spec.y_title
        if spec.y_format:
            chart.value_axis.number_format = spec.y_format
        if spec.x_format:
            chart.category_axis.number_format = spec.x_format

    def mark(self) -> None:
        self.sheet.names.add(MARKER_NAME, f'="{self.doc.key}"')

    # -- what xlwings has no API for ----------------------------------------------------------------------------
    def extras(self) -> None:
        doc, page = self.doc, self.doc.page
        if doc.autofilter:
            def autofilter(api: Any) -> None:
                api.AutoFilterMode = False
                api.Range(doc.autofilter).AutoFilter()
            self._native("AutoFilter", autofilter)
        if doc.tab_color:
            tab_color = doc.tab_color
            self._native("tab colour", lambda api: setattr(api.Tab, "Color", _bgr(tab_color)))

        def page_setup(api: Any) -> None:
            setup = api.PageSetup
            setup.Orientation = XL_LANDSCAPE if page.landscape else XL_PORTRAIT
            setup.PaperSize = XL_PAPER.get(page.paper, XL_PAPER["A4"])
            if page.fit_width:
                setup.Zoom = False
                setup.FitToPagesWide = page.fit_width
                setup.FitToPagesTall = page.fit_height or False
            setup.PrintTitleRows = _absolute_rows(page.title_rows) if page.title_rows else ""
            setup.PrintTitleColumns = _absolute_cols(page.title_cols) if page.title_cols else ""
            setup.CenterFooter = page.footer or ""
            setup.LeftMargin = setup.RightMargin = 0.4 * 72
            setup.TopMargin = setup.BottomMargin = 0.5 * 72
        self._native("print setup", page_setup)
        if doc.zoom:
            zoom = doc.zoom

            def window_zoom(api: Any) -> None:
                self.sheet.activate()
                api.Parent.Windows(1).Zoom = zoom
            self._native("zoom", window_zoom)

    def _native(self, what: str, action: Any, target: Any = None) -> None:
        """Run ``action(api)`` on the native object of ``target`` (default: the sheet) when it is COM."""
        if self.native != "com":
            self._skip(what)
            return
        try:
            action((target if target is not None else self.sheet).api)
        except Exception:  # COM refuses (e.g. a printer-less machine for page setup): report, do not fail
            self._skip(what)

    def _skip(self, what: str) -> None:
        if what not in self.result.skipped:
            self.result.skipped.append(what)


def _row_col(cell: str) -> tuple[int, int]:
    match = re.fullmatch(r"\$?([A-Za-z]{1,3})\$?(\d+)", cell)
    if match is None:
        raise ValueError(f"not a cell: {cell!r}")
    col = 0
    for char in match[1].upper():
        col = col * 26 + ord(char) - 64
    return int(match[2]), col


def _absolute_rows(rows: str) -> str:
    first, _, last = rows.partition(":")
    return f"${first}:${last or first}"


def _absolute_cols(cols: str) -> str:
    first, _, last = cols.partition(":")
    return f"${first}:${last or first}"


def find_generated(book: xw.Book, key: str) -> xw.Sheet | None:
    """The sheet of ``book`` that carries the generated-sheet marker for ``key``.

    Looks the marker up by name on each sheet (``Names.contains``/``Names(name)``): iterating a sheet's names is
    not implemented by xlwings' Windows engine."""
    for sheet in book.sheets:
        try:
            names = sheet.names
            if not names.contains(MARKER_NAME):
                continue
            # Excel shows the value of the name ="gantt" as its refers_to
            if (names(MARKER_NAME).refers_to or "").lstrip("=").strip('"') == key:
                return sheet
        except Exception:  # a chart sheet or an object model without sheet-scoped names
            continue
    return None


def clear_sheet(sheet: xw.Sheet) -> None:
    """Empty a generated sheet in place: values, formats, merges, notes, links, rules, charts, sizes, panes."""
    for chart in list(sheet.charts):
        chart.delete()
    everything = sheet.cells
    everything.unmerge()
    sheet.clear()
    everything.conditional_formats.clear()
    everything.column_width = STANDARD_WIDTH
    everything.rows.autofit()


def render(book: xw.Book, doc: SheetDoc, *, native: str | None = None) -> RenderResult:
    """Write ``doc`` into ``book``: into its existing generated sheet (cleared first) or a new last sheet.

    ``native`` says how ``.api`` objects behave ("com", "appscript" or None); by default the platform's.
    A sheet named like ``doc`` that is not a generated one is a user's sheet and is never touched: the caller
    (``excel.main``) decides what to do then.
    """
    native = native_platform() if native is None else native or None
    sheet = find_generated(book, doc.key)
    created = sheet is None
    if sheet is None:
        sheet = book.sheets.add(doc.name, after=book.sheets[len(book.sheets) - 1])
    else:
        clear_sheet(sheet)
        if sheet.name != doc.name:
            sheet.name = doc.name  # the workbook's language changed
    result = RenderResult(sheet.name, created)
    renderer = _Renderer(sheet, doc, native, result)
    renderer.links_and_notes()  # first: adding a link rewrites the cell text, the values below restore it
    renderer.values()
    renderer.formulas()
    renderer.number_formats()
    renderer.styles()
    renderer.layout()
    renderer.freeze()
    renderer.conditional_formats()
    renderer.charts()
    renderer.extras()
    renderer.mark()
    return result
