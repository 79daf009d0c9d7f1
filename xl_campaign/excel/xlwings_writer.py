"""Render sheet descriptions (``core.sheets.SheetDoc``) into an open workbook through xlwings — the Excel side of
"Check & Update" when Excel cannot open the helper workbook the press normally copies the sheets from
(``transfer.py``), and the parts of that copy a range copy does not carry (values and formulas as one block, the
charts and sheet settings of a sheet rewritten in place). The headless writer (``io.writer``, openpyxl) renders the
same descriptions; both must give the same cells, which a test checks cell by cell.

Only xlwings' own (BSD) API is used — ``Book``/``Sheet``/``Range``, fonts, borders, conditional formats, charts,
names, the print area — except for what that API does not offer (print setup and page breaks, tab colour, zoom, the
AutoFilter button, underline, a line chart's label angle and spacing), which goes through the native object model
(``.api``: COM on Windows) and is reported, not forced, elsewhere.

Excel reads text written to a cell the way it reads typing: ``=x`` becomes a formula, ``1:5`` a time, ``10%`` a
number. Text that Excel would reinterpret is therefore written with Excel's text prefix ``'`` (not stored in the
value). A generated sheet that already exists (it carries the marker name of ``core.sheets.model``) is cleared in
place rather than deleted, so that formulas elsewhere that point into it keep working.
"""

from __future__ import annotations

import re
import sys
from collections import defaultdict
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..core.model import column_letter
from ..core.sheets.model import LABEL_ANGLE, MARKER_NAME, Chart, SheetDoc, Style

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
    sheet_object: Any = None  # the xlwings Sheet written


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


# One format setting: ("number_format", code), ("bold", True), ("size", 9), ("font_color", "1F4E78"), ("fill", …),
# ("align", "center"), ("valign", "top"), ("wrap", True), ("indent", 1), ("underline", True).
FormatOp = tuple[str, Any]


class _Renderer:
    """Writes one SheetDoc with as few calls into Excel as it can: every call through xlwings is a COM round trip
    (Windows) or an AppleScript event (macOS). Values and formulas go as one block; formats are grouped by what they
    set (not by style name) and the cells that share a group are addressed together — several areas in one Range
    on Windows (``Range("A1:B2,D4")``), one rectangle per call on macOS, whose engine reads only the first area of
    such an address (``_xlmac.Sheet.range``)."""

    def __init__(self, sheet: xw.Sheet, doc: SheetDoc, native: str | None, result: RenderResult,
                 prepare: Any) -> None:
        self.sheet = sheet
        self.prepare = prepare  # the engine's prepare_xl_data_element(value, options)
        self.doc = doc
        self.native = native
        self.result = result
        self.multi_area = native == "com"
        self.active = result.created  # a sheet just added is the active one
        self._api: Any = None

    def _addresses(self, cells: Iterable[tuple[int, int]]) -> Iterator[str]:
        return batches(cells, self.multi_area)

    def _activate(self) -> None:
        if not self.active:
            activate(self.sheet)
            self.active = True

    @property
    def api(self) -> Any:
        """The sheet's native object, looked up once."""
        if self._api is None:
            self._api = self.sheet.api
        return self._api

    # -- values and formulas ---------------------------------------------------------------------------------
    def values(self) -> None:
        """Values and formulas in one block: Excel takes a text that starts with "=" written as a value as a formula
        (as when typed), while text that must stay text carries the ``'`` prefix (:func:`excel_text`).

        Written as ``raw_value`` with each element prepared by the engine's own ``prepare_xl_data_element`` — what
        xlwings' value converter does (``conversion.standard.CleanDataForWriteStage``) without the lookups of sheet,
        book and application it makes around each write (about thirty calls into Excel a block)."""
        doc = self.doc
        if not doc.cells:
            return
        prepare = self.prepare
        rows, cols = doc.max_row, doc.max_col
        if rows * cols <= MAX_GRID_CELLS:
            grid: list[list[Any]] = [[None] * cols for _ in range(rows)]
            for (row, col), cell in doc.cells.items():
                grid[row - 1][col - 1] = _formula(cell.formula) if cell.formula else cell_value(cell.value)
            self.sheet.range(f"A1:{column_letter(cols)}{rows}").raw_value = [[prepare(v, {}) for v in line]
                                                                              for line in grid]
            return
        by_row: dict[int, dict[int, Any]] = defaultdict(dict)
        for (row, col), cell in doc.cells.items():
            value = _formula(cell.formula) if cell.formula else cell_value(cell.value)
            if value is not None:
                by_row[row][col] = value
        for row, values in sorted(by_row.items()):
            first, last = min(values), max(values)
            address = f"{column_letter(first)}{row}:{column_letter(last)}{row}"
            self.sheet.range(address).raw_value = [[prepare(values.get(c), {}) for c in range(first, last + 1)]]

    def formulas(self) -> None:
        """The formula cells of a sheet copied from the helper workbook, which holds their values: in as few blocks
        as :func:`formula_blocks` allows without touching part of a merged area (the copy brought the merges; Excel
        refuses to change part of one). A block's other cells get their own values again."""
        doc, prepare = self.doc, self.prepare
        for top, left, bottom, right in formula_blocks(doc):
            block = []
            for row in range(top, bottom + 1):
                line = []
                for col in range(left, right + 1):
                    cell = doc.cells.get((row, col))
                    value = None if cell is None else _formula(cell.formula) if cell.formula else cell_value(cell.value)
                    line.append(prepare(value, {}))
                block.append(line)
            self.sheet.range(_address((top, left, bottom, right))).raw_value = block

    # -- formats ---------------------------------------------------------------------------------------------
    def formats(self) -> None:
        """Number formats, fonts, fills, alignment, indent and underline: each distinct setting once per group of
        cells that share it, and one Range for all the settings that fall on the same cells."""
        ops: dict[FormatOp, list[tuple[int, int]]] = defaultdict(list)
        for position, cell in self.doc.cells.items():
            fmt = cell.fmt
            if fmt is None and isinstance(cell.value, date) and not cell.formula:
                fmt = DATE_FORMAT
            if fmt:
                ops[("number_format", fmt)].append(position)
            if cell.style:
                for op in _style_ops(self.doc.styles[cell.style]):
                    ops[op].append(position)
        if self.doc.font and self.doc.cells:  # every cell names the sheet's typeface (io.writer: font_of)
            last = f"{column_letter(self.doc.max_col)}{self.doc.max_row}"
            self.sheet.range(f"A1:{last}").font.name = self.doc.font
        by_cells: dict[frozenset[tuple[int, int]], list[FormatOp]] = defaultdict(list)
        for op, positions in ops.items():
            by_cells[frozenset(positions)].append(op)
        for cells, settings in by_cells.items():
            for address in self._addresses(cells):
                target = self.sheet.range(address)
                for op in settings:
                    self._apply(target, op)

    def _apply(self, target: xw.Range, op: FormatOp) -> None:
        kind, value = op
        if kind == "number_format":
            target.number_format = value
        elif kind == "bold":
            target.font.bold = True
        elif kind == "italic":
            target.font.italic = True
        elif kind == "size":
            target.font.size = value
        elif kind == "font_color":
            target.font.color = _color(value)
        elif kind == "fill":
            target.color = _color(value)
        elif kind == "align":
            target.horizontal_alignment = HORIZONTAL[value]
        elif kind == "valign":
            target.vertical_alignment = VERTICAL[value]
        elif kind == "wrap":
            target.wrap_text = True
        elif kind == "indent":
            self._native("indent", lambda api: setattr(api, "IndentLevel", value), target)
        elif kind == "underline":
            self._native("underline", lambda api: setattr(api.Font, "Underline", XL_UNDERLINE_SINGLE), target)

    def borders(self) -> None:
        """Per-cell borders. Excel refuses an inside line on an area without one (a single row or column), so the
        rectangles are grouped by shape as well as by line: each group gets the same sides in one call."""
        groups: dict[tuple[str, str, bool, bool], list[tuple[int, int, int, int]]] = defaultdict(list)
        by_style: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for position, cell in self.doc.cells.items():
            if cell.style:
                spec = self.doc.styles[cell.style]
                if spec.border or spec.border_sides or spec.gap or spec.border_bottom:
                    by_style[cell.style].append(position)
        for name, positions in by_style.items():
            spec = self.doc.styles[name]
            # as io.writer.border_of: a grid wins over side lines, side lines over gap lines, gap over a bottom line
            kind, color = (("all", spec.border) if spec.border else ("sides", spec.border_sides)
                           if spec.border_sides else ("gap", spec.gap) if spec.gap else ("bottom", spec.border_bottom))
            for rect in rectangles(positions):
                top, left, bottom, right = rect
                groups[(kind, color or "", right > left, bottom > top)].append(rect)
        for (kind, color, across, down), rects in groups.items():
            sides: list[BorderSide | str]
            if kind == "all":
                sides = ["edge_top", "edge_bottom", "edge_left", "edge_right"]
                sides += (["inside_vertical"] if across else []) + (["inside_horizontal"] if down else [])
                weight = "thin"
            elif kind == "sides":
                sides = ["edge_left", "edge_right"] + (["inside_vertical"] if across else [])
                weight = "medium"
            elif kind == "gap":
                sides = ["edge_top", "edge_bottom"] + (["inside_horizontal"] if down else [])
                weight = "medium"
            else:
                sides = ["edge_bottom"] + (["inside_horizontal"] if down else [])
                weight = "thin"
            for address in _join(map(_address, sorted(rects)), self.multi_area):
                self.sheet.range(address).borders.set(sides, line_style="continuous", weight=weight,  # type: ignore[arg-type]
                                                      color=_color(color))

    # -- layout ----------------------------------------------------------------------------------------------
    def layout(self) -> None:
        doc, sheet = self.doc, self.sheet
        for address in _join(doc.merges, self.multi_area):
            sheet.range(address).merge()
        # a width set on any cell of a column is the column's width; columns of one width in one call
        by_width: dict[float, list[tuple[int, int]]] = defaultdict(list)
        for col, width in doc.col_widths.items():
            by_width[width].append((1, col))
        for width, cells in sorted(by_width.items()):
            for address in self._addresses(cells):
                sheet.range(address).column_width = width
        by_height: dict[float, list[tuple[int, int]]] = defaultdict(list)
        for row, height in doc.row_heights.items():
            by_height[height].append((row, 1))
        for height, cells in sorted(by_height.items()):
            for address in self._addresses(cells):
                sheet.range(address).row_height = height
        if not (self.result.created and doc.gridlines):  # a new sheet shows gridlines already
            sheet.show_gridlines = doc.gridlines

    def links_and_notes(self) -> None:
        for (row, col), cell in sorted(self.doc.cells.items()):
            if cell.link is None and not cell.note:
                continue
            target = self.sheet.range(f"{column_letter(col)}{row}")
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
            self._activate()
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
        """Formula rules, last to first: each rule xlwings adds becomes the first (highest) priority.

        Excel reads the relative references of a new rule from the active cell, not from the rule's range. Instead
        of selecting each rule's top-left cell (two calls a rule), A1 is made the active cell once and each formula
        is moved to be relative to A1 (:func:`shift_references`). Rules on the same cells share one lookup of the
        range's conditional formats. Excel also reads a rule's formula in the user's formula language (German:
        ``UND(…;…)``): the formulas are translated first (:meth:`local_formulas`)."""
        if not self.doc.cond_formats:
            return
        rules = list(reversed(self.doc.cond_formats))
        formulas = []
        for rule in rules:
            top, left = _row_col(rule.ranges.split()[0].split(":")[0])
            formulas.append("=" + shift_references(rule.formula.lstrip("="), 1 - top, 1 - left))
        local = self.local_formulas(formulas)
        self._activate()
        self.sheet.range("A1").select()
        collections: dict[str, Any] = {}
        for rule, formula in zip(rules, formulas, strict=True):
            formula = local.get(formula, formula)
            areas = rule.ranges.split()
            style = self.doc.styles[rule.style]
            # one rule over several areas is one call on Windows; elsewhere one rule per area, which Excel applies
            # the same way (each cell reads the A1-relative formula from its own position)
            for address in ([",".join(areas)] if self.multi_area else reversed(areas)):
                formats = collections.get(address)
                if formats is None:
                    formats = collections[address] = self.sheet.range(address).conditional_formats
                formats.add_custom(formula, fill_color=_color(style.fill) if style.fill else None,
                                   font_color=_color(style.color) if style.color else None,
                                   font_bold=True if style.bold else None, stop_if_true=rule.stop)
            if style.border or style.border_sides or style.border_bottom or style.gap:
                self._skip("borders of conditional formats")

    def local_formulas(self, formulas: list[str]) -> dict[str, str]:
        """``formulas`` (English, "," between arguments) as the user's Excel reads them in a conditional-format rule.

        ``FormatConditions.Add`` (what xlwings' ``add_custom`` calls) takes its formula in the user's formula
        language and list separator, unlike ``Range.Formula`` and a value written as ``=…`` (both English). So
        each distinct formula is written into a scratch cell of this sheet the English way and read back as
        ``Range.FormulaLocal`` ("the formula … using A1-style references in the language of the user", Microsoft's
        documentation): A1 references come back as typed, function names and separators localized. One block in,
        one block out, then cleared: five calls for all of a sheet's rules. The scratch column is the first one
        right of everything the sheet holds, which no rule refers to (so no formula refers to itself). Where there
        is no native object model, or Excel refuses, the formulas stay English (what an English Excel reads)."""
        if self.native not in ("com", "appscript"):
            return {}
        distinct = list(dict.fromkeys(formulas))
        right = self.doc.max_col
        for rule in self.doc.cond_formats:
            for part in rule.ranges.replace(":", " ").split():
                right = max(right, _row_col(part)[1])
        column = column_letter(right + 1)
        scratch = self.sheet.range(f"{column}1:{column}{len(distinct)}")
        try:
            scratch.raw_value = [[self.prepare(formula, {})] for formula in distinct]
            api = scratch.api
            answer = api.FormulaLocal if self.native == "com" else api.formula_local.get()
        except Exception:  # Excel refuses: English formulas, as an English Excel reads them
            return {}
        finally:
            try:
                scratch.clear()
            except Exception:  # the press goes on; the save resets the scratch cells' used range anyway
                pass
        local = _flatten(answer)
        if len(local) != len(distinct) or not all(isinstance(text, str) and text.startswith("=") for text in local):
            return {}
        return dict(zip(distinct, local, strict=True))

    def charts(self) -> None:
        for spec in self.doc.charts:
            self._chart(spec)

    def _chart(self, spec: Chart) -> None:
        kind = {"column": "column_clustered", "bar": "bar_clustered", "line": "line"}[spec.kind]
        sources = [s.values for s in spec.series]
        source = self.sheet.range(",".join(sources) if self.multi_area or len(sources) == 1
                                  else _bounding(sources))
        if spec.span:
            # over exactly these cells, as io.writer's two-cell anchor: their position and size in points (xlwings'
            # Range.left/top/width/height, both engines), and Excel's ChartObjects.Add places the chart there
            cells = self.sheet.range(spec.span)
            chart = self.sheet.charts.add(left=cells.left, top=cells.top, width=cells.width, height=cells.height,
                                          chart_type=kind, source=source, plot_by="columns")
        else:
            chart = self.sheet.charts.add(width=spec.width_cm * POINTS_PER_CM, height=spec.height_cm * POINTS_PER_CM,
                                          chart_type=kind, source=source, plot_by="columns",
                                          anchor=self.sheet.range(spec.anchor))
        chart.title = spec.title
        chart.set_x_axis_values(self.sheet.range(spec.categories))
        series = chart.series
        for index, serie in enumerate(spec.series):
            item = series[index]
            item.name = serie.title
            if serie.color:
                if spec.kind == "line":
                    item.line_color = _color(serie.color)
                else:
                    item.fill_color = _color(serie.color)
        chart.legend.position = "bottom"
        if spec.y_title or spec.y_format:
            axis = chart.value_axis
            if spec.y_title:
                axis.title = spec.y_title
            if spec.y_format:
                axis.number_format = spec.y_format
        if spec.x_format or spec.kind in ("bar", "line"):
            axis = chart.category_axis
            if spec.x_format:
                axis.number_format = spec.x_format
            if spec.kind == "bar":
                self._reverse(axis)
            elif spec.kind == "line":
                self._turn_labels(axis, spec.label_step)

    def _reverse(self, axis: Any) -> None:
        """A bar chart's first category on top, as the table reads (io.writer: the category axis ``maxMin``).
        xlwings' own ``ChartAxis.reverse_order`` since 0.37.6 (both engines: ``ReversePlotOrder``, ``reverse plot
        order``); with an older xlwings, ``Axis.ReversePlotOrder`` through COM."""
        if hasattr(type(axis), "reverse_order"):
            axis.reverse_order = True
        else:
            self._native("bar chart order", lambda api: setattr(api, "ReversePlotOrder", True), axis)

    def _turn_labels(self, axis: Any, step: int) -> None:
        """A line chart's category labels as io.writer draws them: turned LABEL_ANGLE° counter-clockwise
        (``TickLabels.Orientation`` counts degrees counter-clockwise, as a cell's text orientation does; the file's
        ``rot`` clockwise, so the same labels are ``rot="-2700000"`` there) and, over many categories, every
        ``step``-th labelled (``TickLabelSpacing``, the file's ``tickLblSkip``). xlwings has no API for either."""
        def turn(api: Any) -> None:
            api.TickLabels.Orientation = LABEL_ANGLE
            if step > 1:
                api.TickLabelSpacing = step
        self._native("chart axis labels", turn, axis)

    def mark(self) -> None:
        names = self.sheet.names
        names.add(MARKER_NAME, f'="{self.doc.key}"')
        if self.native == "com":  # the sheet settings were set (extras, freeze): say which
            names.add(SETTINGS_NAME, f'="{settings_key(self.doc)}"')

    # -- what xlwings has no API for ----------------------------------------------------------------------------
    def extras(self, parts: Collection[str] = ()) -> None:
        """The sheet settings xlwings has no API for (and the print area, which it has), all of them or only the
        ``parts`` of :func:`settings_parts` named (a sheet rewritten in place keeps those that did not change)."""
        doc = self.doc
        parts = parts or SETTINGS_PARTS
        if doc.autofilter and "filter" in parts:
            def autofilter(api: Any) -> None:
                api.AutoFilterMode = False
                api.Range(doc.autofilter).AutoFilter()
            self._native("AutoFilter", autofilter)
        if doc.tab_color and "tab" in parts:
            tab_color = doc.tab_color
            self._native("tab colour", lambda api: setattr(api.Tab, "Color", _bgr(tab_color)))
        if "page" in parts:
            self.page_setup()
        if doc.zoom and "view" in parts:
            zoom = doc.zoom

            def window_zoom(api: Any) -> None:
                self._activate()
                api.Parent.Windows(1).Zoom = zoom
            self._native("zoom", window_zoom)

    def page_setup(self) -> None:
        """Print setup through COM (orientation, paper, scale or fit to pages, print titles, footer, margins), then
        the print area and the page breaks."""
        page = self.doc.page

        def page_setup(api: Any) -> None:
            setup = api.PageSetup
            setup.Orientation = XL_LANDSCAPE if page.landscape else XL_PORTRAIT
            setup.PaperSize = XL_PAPER.get(page.paper, XL_PAPER["A4"])
            if page.scale:  # a fixed scale: "If [Zoom] is False, FitToPagesWide and FitToPagesTall control ..."
                setup.Zoom = page.scale
            elif page.fit_width:
                setup.Zoom = False
                setup.FitToPagesWide = page.fit_width
                setup.FitToPagesTall = page.fit_height or False
            setup.PrintTitleRows = _absolute_rows(page.title_rows) if page.title_rows else ""
            setup.PrintTitleColumns = _absolute_cols(page.title_cols) if page.title_cols else ""
            setup.CenterFooter = page.footer or ""
            setup.LeftMargin = setup.RightMargin = 0.4 * 72
            setup.TopMargin = setup.BottomMargin = 0.5 * 72
        self._native("print setup", page_setup)
        self.print_area()
        self.page_breaks()

    def print_area(self) -> None:
        """The print area through xlwings' own ``PageSetup.print_area`` (Windows: ``PageSetup.PrintArea``, macOS:
        ``print area`` of the page setup object), cleared ("") on a sheet rewritten without one; a new sheet has
        none to clear."""
        area = self.doc.page.area
        if area is None and self.result.created:
            return
        try:
            self.sheet.page_setup.print_area = _absolute_area(area) if area else ""
        except Exception:  # Excel refuses (e.g. no printer for page setup): report, do not fail
            self._skip("print area")

    def page_breaks(self) -> None:
        """The page breaks: the sheet's manual ones removed (``Worksheet.ResetAllPageBreaks``; a rewritten sheet
        keeps those of its earlier content otherwise), then one above each row of ``row_breaks``
        (``HPageBreaks.Add(Before)``: "a horizontal page break above the range", as io.writer's break after the row
        before). A new sheet has none to remove."""
        rows = self.doc.page.row_breaks
        if not rows and (self.result.created or self.native != "com"):
            return

        def breaks(api: Any) -> None:
            api.ResetAllPageBreaks()
            for row in rows:
                api.HPageBreaks.Add(api.Range(f"A{row}"))
        self._native("page breaks", breaks)

    def _native(self, what: str, action: Any, target: Any = None) -> None:
        """Run ``action(api)`` on the native object of ``target`` (default: the sheet) when it is COM."""
        if self.native != "com":
            self._skip(what)
            return
        try:
            action(target.api if target is not None else self.api)
        except Exception:  # COM refuses (e.g. a printer-less machine for page setup): report, do not fail
            self._skip(what)

    def _skip(self, what: str) -> None:
        if what not in self.result.skipped:
            self.result.skipped.append(what)


def _flatten(answer: Any) -> list[Any]:
    """A block read through the native object model as a flat list: COM gives a string for one cell and a tuple of
    row tuples for several, AppleScript a string or a list of lists."""
    if isinstance(answer, list | tuple):
        return [item for row in answer for item in (row if isinstance(row, list | tuple) else [row])]
    return [answer]


def formula_blocks(doc: SheetDoc) -> list[tuple[int, int, int, int]]:
    """Rectangles (top, left, bottom, right) covering every formula cell of ``doc`` and no cell of a merged area
    but whole ones' anchors alone: the rows of the formulas' columns free of merged cells in bands (one block
    each, up to MAX_GRID_CELLS), the formula cells of the other rows in runs."""
    cells = {position for position, cell in doc.cells.items() if cell.formula}
    if not cells:
        return []
    merged: set[tuple[int, int]] = set()
    for address in doc.merges:
        first, _, last = address.partition(":")
        (top, left), (bottom, right) = _row_col(first), _row_col(last or first)
        merged |= {(r, c) for r in range(top, bottom + 1) for c in range(left, right + 1)}
    left, right = min(c for _, c in cells), max(c for _, c in cells)
    first_row, last_row = min(r for r, _ in cells), max(r for r, _ in cells)
    with_formulas = {r for r, _ in cells}
    blocks: list[tuple[int, int, int, int]] = []
    loose: list[tuple[int, int]] = []
    band: list[int] = []

    def close_band() -> None:
        rows = [r for r in band if r in with_formulas]
        if rows:
            top, bottom = rows[0], rows[-1]
            if (bottom - top + 1) * (right - left + 1) <= MAX_GRID_CELLS:
                blocks.append((top, left, bottom, right))
            else:
                blocks.extend(rectangles(p for p in cells if top <= p[0] <= bottom))
        band.clear()

    for row in range(first_row, last_row + 1):
        if any((row, col) in merged for col in range(left, right + 1)):
            close_band()
            loose += [(row, col) for col in range(left, right + 1) if (row, col) in cells]
        else:
            band.append(row)
    close_band()
    blocks += rectangles(p for p in loose if p not in merged)
    blocks += [(r, c, r, c) for r, c in loose if (r, c) in merged]  # a merged area's anchor, alone
    return sorted(blocks)


def _formula(formula: str) -> str:
    return formula if formula.startswith("=") else "=" + formula


def _style_ops(spec: Style) -> list[FormatOp]:
    """What a style sets, one setting at a time: cells of different styles that share a setting get it together."""
    settings: list[FormatOp] = [("bold", spec.bold), ("italic", spec.italic), ("size", spec.size),
                                ("font_color", spec.color), ("fill", spec.fill), ("align", spec.align),
                                ("valign", spec.valign), ("wrap", spec.wrap), ("indent", spec.indent),
                                ("underline", spec.underline)]
    return [(kind, value) for kind, value in settings if value]


def _join(addresses: Iterable[str], multi_area: bool) -> Iterator[str]:
    """Addresses joined into multi-area addresses of at most MAX_ADDRESS characters (one each without
    ``multi_area``)."""
    current: list[str] = []
    length = 0
    for address in addresses:
        if current and (not multi_area or length + len(address) + 1 > MAX_ADDRESS):
            yield ",".join(current)
            current, length = [], 0
        current.append(address)
        length += len(address) + 1
    if current:
        yield ",".join(current)


def _bounding(addresses: list[str]) -> str:
    """One rectangle around single-column ranges side by side ("B5:B8", "C5:C8" → "B5:C8")."""
    cells = [_row_col(part) for address in addresses for part in address.split(":")]
    top, left = min(r for r, _ in cells), min(c for _, c in cells)
    bottom, right = max(r for r, _ in cells), max(c for _, c in cells)
    return _address((top, left, bottom, right))


_REFERENCE = re.compile(r"""(?<![A-Za-z0-9_.$])(\$?)([A-Za-z]{1,3})(\$?)([0-9]{1,7})(?![A-Za-z0-9_(\[.])""")
MAX_ROWS, MAX_COLS = 1_048_576, 16_384


def shift_references(formula: str, rows: int, cols: int) -> str:
    """``formula`` with its relative A1 references moved by ``rows`` and ``cols`` (absolute parts stay), wrapping
    around the sheet's edges as Excel stores relative references (offsets modulo the grid). Text in double quotes
    is left alone; so are function names (followed by "(") and names that are not cells."""
    out: list[str] = []
    for index, part in enumerate(re.split(r'("(?:[^"]|"")*")', formula)):
        if index % 2:  # a string literal
            out.append(part)
            continue

        def move(match: re.Match[str]) -> str:
            col_abs, letters, row_abs, digits = match.groups()
            col, row = _col_number(letters), int(digits)
            if col > MAX_COLS or not 1 <= row <= MAX_ROWS:
                return match[0]  # a name such as LOG10 or ABCD1, not a cell
            if not col_abs:
                col = (col - 1 + cols) % MAX_COLS + 1
            if not row_abs:
                row = (row - 1 + rows) % MAX_ROWS + 1
            return f"{col_abs}{column_letter(col)}{row_abs}{row}"
        out.append(_REFERENCE.sub(move, part))
    return "".join(out)


def _col_number(letters: str) -> int:
    col = 0
    for char in letters.upper():
        col = col * 26 + ord(char) - 64
    return col


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


def _absolute_area(area: str) -> str:
    """``A1:L80`` as Excel keeps a print area: ``$A$1:$L$80``."""
    cells = []
    for cell in area.split(":"):
        row, col = _row_col(cell)
        cells.append(f"${column_letter(col)}${row}")
    return ":".join(cells)


SETTINGS_NAME = "XlCampaign_Settings"  # sheet-scoped: which sheet settings (print setup, panes, …) the sheet has
SETTINGS_PARTS = ("page", "view", "filter", "tab")


def settings_parts(doc: SheetDoc) -> dict[str, str]:
    """A short fingerprint of each part of ``doc``'s sheet settings — what a range copy does not carry and COM sets
    one property at a time: ``page`` the print setup (every field of ``PageSetup``: scale, page breaks and print area
    too), ``view`` frozen panes, zoom and gridlines, ``filter`` the AutoFilter range (it grows with the Issues),
    ``tab`` the tab colour. A part is set again only when its fingerprint changed."""
    import hashlib

    values = {"page": doc.page, "view": (doc.freeze, doc.zoom, doc.gridlines), "filter": doc.autofilter,
              "tab": doc.tab_color}
    return {part: hashlib.sha1(repr(value).encode("utf-8")).hexdigest()[:8] for part, value in values.items()}


def settings_key(doc: SheetDoc) -> str:
    """The value of :data:`SETTINGS_NAME` for a sheet with ``doc``'s settings: ``page:1a2b3c4d view:… filter:…
    tab:…``."""
    return " ".join(f"{part}:{key}" for part, key in settings_parts(doc).items())


def stale_settings(sheet: xw.Sheet, doc: SheetDoc) -> set[str]:
    """The parts of ``doc``'s sheet settings that ``sheet`` lacks, by its :data:`SETTINGS_NAME`: all of them when the
    name is missing, unreadable or written by an earlier version (one fingerprint for everything)."""
    try:
        names = sheet.names
        if not names.contains(SETTINGS_NAME):
            return set(SETTINGS_PARTS)
        text = (names(SETTINGS_NAME).refers_to or "").lstrip("=").strip('"')
    except Exception:  # an object model without sheet-scoped names: set them all
        return set(SETTINGS_PARTS)
    have = dict(item.partition(":")[::2] for item in text.split())
    return {part for part, key in settings_parts(doc).items() if have.get(part) != key}


def generated_sheets(book: xw.Book, likely: Iterable[str] = (), wanted: Iterable[str] = ()) -> dict[str, xw.Sheet]:
    """The sheets of ``book`` that carry the generated-sheet marker, by key ("gantt", "summary", "issues").

    Looks the marker up by name on each sheet (``Names.contains``/``Names(name)``): iterating a sheet's names is
    not implemented by xlwings' Windows engine. The sheets named ``likely`` (the names the generated sheets would
    have) are looked at first; when they carry every key of ``wanted``, the other sheets are not looked at (three
    calls into Excel each)."""
    found: dict[str, xw.Sheet] = {}
    sheets = book.sheets
    likely = list(likely)
    for name in likely:
        _marked(sheets[name], found)
    if likely and set(wanted) <= set(found):
        return found
    seen = {name.lower() for name in likely}
    for sheet in sheets:
        if seen and sheet.name.lower() in seen:
            continue
        _marked(sheet, found)
    return found


def _marked(sheet: xw.Sheet, found: dict[str, xw.Sheet]) -> None:
    """Add ``sheet`` to ``found`` under its generated-sheet key, if it carries the marker."""
    try:
        names = sheet.names
        if not names.contains(MARKER_NAME):
            return
        # Excel shows the value of the name ="gantt" as its refers_to
        key = (names(MARKER_NAME).refers_to or "").lstrip("=").strip('"')
    except Exception:  # a chart sheet or an object model without sheet-scoped names
        return
    found.setdefault(key, sheet)


def find_generated(book: xw.Book, key: str) -> xw.Sheet | None:
    """The sheet of ``book`` that carries the generated-sheet marker for ``key``."""
    return generated_sheets(book).get(key)


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


def activate(sheet: xw.Sheet) -> None:
    """Make ``sheet`` the active sheet of its workbook, which is the active workbook (the one the button was
    pressed in). The engine's own call: xlwings' ``Sheet.activate`` first activates the book and its application,
    comparing sheets, books and applications on the way (nine calls into Excel instead of one)."""
    sheet.impl.activate()


_LOOK_UP: Any = object()


def render(book: xw.Book, doc: SheetDoc, *, native: str | None = None, sheet: xw.Sheet | None = _LOOK_UP,
           last: xw.Sheet | None = None, prepare: Any = None) -> RenderResult:
    """Write ``doc`` into ``book``: into its existing generated sheet (cleared first) or a new last sheet.

    ``native`` says how ``.api`` objects behave ("com", "appscript" or None); by default the platform's.
    ``sheet``: the generated sheet to rewrite when the caller has looked it up already (``generated_sheets``; None:
    there is none); ``last``: the book's last sheet, after which a new one is added (looked up when not given);
    ``prepare``: the engine's ``prepare_xl_data_element`` (looked up when not given).
    A sheet named like ``doc`` that is not a generated one is a user's sheet and is never touched: the caller
    (``excel.main``) decides what to do then.
    """
    native = native_platform() if native is None else native or None
    if sheet is _LOOK_UP:
        sheet = find_generated(book, doc.key)
    if prepare is None:
        prepare = book.app.engine.impl.prepare_xl_data_element
    created = sheet is None
    if sheet is None:
        sheets = book.sheets
        sheet = sheets.add(doc.name, after=last if last is not None else sheets[len(sheets) - 1])
    else:
        clear_sheet(sheet)
        if sheet.name != doc.name:
            sheet.name = doc.name  # the workbook's language changed
    result = RenderResult(doc.name, created)
    renderer = _Renderer(sheet, doc, native, result, prepare)
    renderer.links_and_notes()  # first: adding a link rewrites the cell text, the values below restore it
    renderer.values()
    renderer.formats()
    renderer.borders()
    renderer.layout()
    renderer.freeze()
    renderer.conditional_formats()
    renderer.charts()
    renderer.extras()
    renderer.mark()
    result.sheet_object = sheet
    return result
