"""A writer-independent description of one generated sheet: plain dataclasses, no spreadsheet library types.

Two writers render the same :class:`SheetDoc`: ``xl_campaign.io.writer`` (openpyxl, headless ``update``) and the
xlwings writer inside Excel. What a writer must do with each part:

- **cells** ``{(row, col): Cell}``, 1-based. ``Cell.value`` is a number (int, float, Decimal — write Decimals as
  floats), a ``date``, a bool, text or None. **Text is always written as text**, even when it starts with ``=``,
  ``+``, ``-`` or ``@`` (it may be a user's own words). A formula is only ever in ``Cell.formula`` (Excel syntax,
  English function names, A1 references, leading ``=``); ``Cell.value`` then holds the result the core expects,
  which tests compare with a spreadsheet engine's result and a writer may store as the cached value.
  ``Cell.fmt`` is an Excel number format; ``Cell.style`` names an entry of ``SheetDoc.styles``; ``Cell.link`` a
  hyperlink; ``Cell.note`` a comment.
- **styles** ``{name: Style}``: fonts, fills and borders with colours as ``RRGGBB`` hex strings. Cells and
  conditional formats refer to styles by name, so a writer builds each style once. ``gap``: medium lines in that
  colour above and below the cell (white: the bars of adjacent Gantt rows stay apart), for cells and conditional
  formats alike; ``border`` wins over ``border_bottom``, ``border_sides`` and ``gap``.
- **merges** (``"A1:D1"``), **col_widths** (Excel character units), **row_heights** (points), **freeze** (the
  top-left cell of the scrolling pane, ``"J6"``), **autofilter** (a range), **tab_color**, **gridlines**, **zoom**.
- **cond_formats**: formula rules in priority order (first = highest). ``formula`` has no leading ``=`` and is
  relative to the top-left cell of ``ranges``; ``stop`` is Excel's "stop if true". Only the font colour, bold,
  fill and borders of the named style apply. The builders give each rule one rectangular range: Excel and
  LibreOffice do not agree on relative references in a rule over several disjoint ranges.
- **font**: the typeface every cell of the sheet names (its size, weight and colour come from the cell's style);
  a writer names it on every cell, styled or not.
- **charts**: native charts over ranges of this sheet (column, bar or line), anchored at a cell, sized in cm — or,
  when ``span`` is given, covering exactly that range of cells (the chart moves and sizes with them, so it lines up
  with the columns whatever width a program gives a column unit). A bar chart lists its categories top to bottom
  in the order of the sheet (the category axis reversed, as a table reads); a line chart's category labels are turned
  :data:`LABEL_ANGLE`° (rising to the right) and, over many categories, only every :meth:`Chart.label_step`-th is
  labelled (about :data:`LINE_LABELS` labels).
- **page**: print setup (orientation, paper, fit to pages, print titles, footer). ``scale``, when set, is a fixed
  print scale (percent) and wins over fit-to-pages; ``row_breaks`` are rows that begin a new page; ``area`` is the
  print area (cells outside it are on the sheet but not on paper).

A generated sheet is recognised by a sheet-scoped defined name :data:`MARKER_NAME` whose value is the sheet's
key (``="gantt"``); ``update`` replaces only sheets that carry it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ..model import column_letter

MARKER_NAME = "XlCampaign_Generated"
LINE_LABELS = 10  # a line chart labels about this many of its categories at most
LABEL_ANGLE = 45  # degrees counter-clockwise of a line chart's category labels (day labels never break at a hyphen)

__all__ = ["LABEL_ANGLE", "LINE_LABELS", "MARKER_NAME", "Cell", "Chart", "CondFormat", "Link", "PageSetup", "Series", "SheetDoc", "Style",
           "area", "column_letter", "quote_sheet", "ref", "sheet_ref"]

Value = str | int | float | Decimal | date | bool | None


@dataclass(frozen=True, slots=True)
class Style:
    """How a cell looks. Colours are ``RRGGBB``; None leaves the writer's default."""

    bold: bool = False
    italic: bool = False
    underline: bool = False
    size: float | None = None  # points
    color: str | None = None  # font colour
    fill: str | None = None  # solid background
    align: str | None = None  # "left" | "center" | "right"
    valign: str | None = None  # "top" | "center" | "bottom"
    wrap: bool = False
    indent: int = 0
    border: str | None = None  # colour of a thin line on all four sides
    border_bottom: str | None = None  # colour of a thin bottom line (ignored when ``border`` is set)
    border_sides: str | None = None  # colour of medium left and right lines (a vertical marker)
    gap: str | None = None  # colour of medium lines above and below (keeps bars of adjacent rows apart)


@dataclass(frozen=True, slots=True)
class Link:
    """A hyperlink: to a cell of this workbook (``sheet`` + ``cell``) or to an address (``url``; a cell of another
    workbook is ``"other.xlsx#'Sheet'!A1"``)."""

    sheet: str | None = None
    cell: str | None = None
    url: str | None = None
    tip: str | None = None

    @property
    def location(self) -> str | None:
        """``'Sheet'!A1`` for a link inside the workbook."""
        if self.sheet is None:
            return None
        return f"{quote_sheet(self.sheet)}!{self.cell or 'A1'}"


@dataclass(slots=True)
class Cell:
    """One cell: a value or a formula (with the value the core expects it to give), format, style, link, note."""

    value: Value = None
    formula: str | None = None
    fmt: str | None = None
    style: str | None = None
    link: Link | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class CondFormat:
    """A formula rule of conditional formatting (see the module docstring)."""

    ranges: str  # one range or several separated by spaces: "J6:AZ40 J44:AZ50"
    formula: str
    style: str
    stop: bool = False


@dataclass(frozen=True, slots=True)
class Series:
    title: str
    values: str  # a one-column range of this sheet, "D5:D7"
    color: str | None = None


@dataclass(frozen=True, slots=True)
class Chart:
    """A native chart over ranges of this sheet."""

    kind: str  # "column" | "bar" | "line"
    title: str
    anchor: str  # top-left cell
    categories: str  # a one-column range of this sheet
    series: tuple[Series, ...]
    width_cm: float = 16.0
    height_cm: float = 7.5
    y_title: str | None = None
    y_format: str | None = None  # number format of the value axis
    x_format: str | None = None  # number format of date categories
    span: str | None = None  # "A7:D17": the chart covers these cells (width_cm and height_cm then unused)

    @property
    def label_step(self) -> int:
        """Every how many categories a line chart labels one: 1 up to :data:`LINE_LABELS` categories, then
        ceil(categories / LINE_LABELS), so that about ten labels show."""
        first, _, last = self.categories.partition(":")
        count = abs(_row_of(last or first) - _row_of(first)) + 1
        return -(-count // LINE_LABELS) if count > LINE_LABELS else 1


@dataclass(frozen=True, slots=True)
class PageSetup:
    landscape: bool = True
    paper: str = "A4"
    fit_width: int | None = 1  # pages across; None: print at 100%
    fit_height: int = 0  # pages down; 0: as many as needed
    title_rows: str | None = None  # rows repeated on each page, "3:5"
    title_cols: str | None = None  # columns repeated on each page, "A:I"
    footer: str | None = "&A · &P / &N"  # Excel header/footer codes, centred: sheet name, page of pages
    scale: int | None = None  # fixed print scale in percent; wins over fit_width / fit_height
    row_breaks: tuple[int, ...] = ()  # rows that begin a new page
    area: str | None = None  # the print area, "A1:L80"


@dataclass
class SheetDoc:
    """Everything a writer needs to produce one generated sheet."""

    key: str  # "gantt" | "summary" | "issues"
    name: str  # the sheet name
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    styles: dict[str, Style] = field(default_factory=dict)
    merges: list[str] = field(default_factory=list)
    col_widths: dict[int, float] = field(default_factory=dict)
    row_heights: dict[int, float] = field(default_factory=dict)
    freeze: str | None = None
    autofilter: str | None = None
    cond_formats: list[CondFormat] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    page: PageSetup = field(default_factory=PageSetup)
    tab_color: str | None = None
    gridlines: bool = True
    zoom: int | None = None
    font: str | None = None  # the face every cell names (``look.body_font``); None: the writer's default

    def put(self, row: int, col: int, value: Value = None, *, formula: str | None = None, fmt: str | None = None,
            style: str | None = None, link: Link | None = None, note: str | None = None) -> Cell:
        """Set the cell at (row, col) and return it."""
        cell = Cell(value, formula, fmt, style, link, note)
        self.cells[(row, col)] = cell
        return cell

    @property
    def max_row(self) -> int:
        return max((r for r, _ in self.cells), default=0)

    @property
    def max_col(self) -> int:
        return max((c for _, c in self.cells), default=0)

    def formula_cells(self) -> list[tuple[int, int, Cell]]:
        """Every formula cell with its expected value, in row order."""
        return sorted((r, c, cell) for (r, c), cell in self.cells.items() if cell.formula)  # type: ignore[misc]


def _row_of(cell: str) -> int:
    """The row of an A1 reference ("$B$12" -> 12)."""
    match = re.search(r"(\d+)\s*$", cell)
    if match is None:
        raise ValueError(f"not a cell: {cell!r}")
    return int(match[1])


def ref(row: int, col: int, *, abs_row: bool = False, abs_col: bool = False) -> str:
    """An A1 reference, optionally with ``$`` on the row and/or column."""
    return f"{'$' if abs_col else ''}{column_letter(col)}{'$' if abs_row else ''}{row}"


def area(first_row: int, first_col: int, last_row: int, last_col: int, *, absolute: bool = False) -> str:
    """``A1:C3`` (``$A$1:$C$3`` when ``absolute``)."""
    return (f"{ref(first_row, first_col, abs_row=absolute, abs_col=absolute)}:"
            f"{ref(last_row, last_col, abs_row=absolute, abs_col=absolute)}")


def quote_sheet(name: str) -> str:
    """A sheet name as a formula or link needs it: ``'活动 概览'``."""
    return "'" + name.replace("'", "''") + "'"


def sheet_ref(sheet: str, row: int, col: int) -> str:
    """An absolute reference to a cell of another sheet: ``'任务'!$G$5``."""
    return f"{quote_sheet(sheet)}!{ref(row, col, abs_row=True, abs_col=True)}"
