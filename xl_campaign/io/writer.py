"""Render sheet descriptions (``core.sheets.SheetDoc``) with openpyxl: the headless writer of ``update``.

The xlwings writer (Excel) renders the same descriptions; see ``core/sheets/model.py`` for what each part means.
Text is always written as text: a value that starts with ``=`` is stored as a string, never as a formula.
"""

from __future__ import annotations

import os
from copy import copy
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..core.sheets.model import LABEL_ANGLE, MARKER_NAME, Cell, Chart, SheetDoc, Style

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

    from .cached import Values

MAX_TEXT = 32767  # Excel's limit for the text of one cell


def _value(value: Any) -> Any:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)[:MAX_TEXT]
    return value


class _Styles:
    """openpyxl style objects per (style name, number format), built once and copied onto cells."""

    def __init__(self, doc: SheetDoc) -> None:
        self.doc = doc
        self._arrays: dict[tuple[str | None, str | None], Any] = {}

    def apply(self, cell: Any, style: str | None, fmt: str | None) -> None:
        key = (style, fmt)
        array = self._arrays.get(key)
        if array is not None:
            cell._style = copy(array)
            return
        if style is None and self.doc.font:
            cell.font = font_of(Style(), self.doc.font)
        if style is not None:
            spec = self.doc.styles[style]
            font = font_of(spec, self.doc.font)
            if font is not None:
                cell.font = font
            if spec.fill:
                cell.fill = fill_of(spec.fill)
            alignment = alignment_of(spec)
            if alignment is not None:
                cell.alignment = alignment
            border = border_of(spec)
            if border is not None:
                cell.border = border
        if fmt:
            cell.number_format = fmt
        self._arrays[key] = copy(cell._style)


def font_of(spec: Style, face: str | None = None) -> Any:
    """The font of a cell in ``spec`` (named ``face``: every font record of a cell names its typeface), or of a
    conditional format (``face`` None: only colour and weight change)."""
    from openpyxl.styles import Font

    if face is None:
        if not (spec.bold or spec.italic or spec.underline or spec.size or spec.color):
            return None
        return Font(bold=spec.bold or None, italic=spec.italic or None,
                    underline="single" if spec.underline else None, size=spec.size, color=spec.color)
    from ..core.sheets.look import BODY_SIZE, EAST_ASIAN_FONT, font_charset

    return Font(name=face, charset=font_charset("zh" if face == EAST_ASIAN_FONT else "en"), family=2,
                scheme="minor", bold=spec.bold or None, italic=spec.italic or None,
                underline="single" if spec.underline else None, size=spec.size or BODY_SIZE,
                color=spec.color or None)


def fill_of(color: str) -> Any:
    from openpyxl.styles import PatternFill

    return PatternFill(fill_type="solid", start_color=color, end_color=color)


def alignment_of(spec: Style) -> Any:
    from openpyxl.styles import Alignment

    if not (spec.align or spec.valign or spec.wrap or spec.indent):
        return None
    return Alignment(horizontal=spec.align, vertical=spec.valign, wrap_text=spec.wrap or None,
                     indent=spec.indent or 0)


def border_of(spec: Style) -> Any:
    from openpyxl.styles import Border, Side

    if spec.border:
        side = Side(style="thin", color=spec.border)
        return Border(left=side, right=side, top=side, bottom=side)
    if spec.border_sides:
        side = Side(style="medium", color=spec.border_sides)
        return Border(left=side, right=side)
    if spec.gap:
        side = Side(style="medium", color=spec.gap)
        return Border(top=side, bottom=side)
    if spec.border_bottom:
        return Border(bottom=Side(style="thin", color=spec.border_bottom))
    return None


def _write_cell(ws: Worksheet, row: int, col: int, spec: Cell, styles: _Styles) -> None:
    cell = ws.cell(row=row, column=col)
    if spec.formula:
        cell.value = spec.formula
    else:
        value = _value(spec.value)
        cell.value = value
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # user text that looks like a formula stays text
    fmt = spec.fmt
    if fmt is None and isinstance(spec.value, date | datetime) and not spec.formula:
        fmt = "yyyy-mm-dd"
    styles.apply(cell, spec.style, fmt)
    if spec.link is not None:
        from openpyxl.worksheet.hyperlink import Hyperlink

        if spec.link.url:
            cell.hyperlink = Hyperlink(ref=cell.coordinate, target=spec.link.url, tooltip=spec.link.tip)
        else:
            cell.hyperlink = Hyperlink(ref=cell.coordinate, location=spec.link.location, tooltip=spec.link.tip)
    if spec.note:
        from openpyxl.comments import Comment

        cell.comment = Comment(_value(spec.note), "xl-campaign", width=240, height=80)


def _cond_formats(ws: Worksheet, doc: SheetDoc) -> None:
    from openpyxl.formatting.rule import Rule
    from openpyxl.styles.differential import DifferentialStyle

    for rule_spec in doc.cond_formats:
        style = doc.styles[rule_spec.style]
        dxf = DifferentialStyle(font=font_of(style), fill=fill_of(style.fill) if style.fill else None,
                                border=border_of(style))
        rule = Rule(type="expression", dxf=dxf, formula=[rule_spec.formula], stopIfTrue=rule_spec.stop or None)
        ws.conditional_formatting.add(rule_spec.ranges, rule)


def _bounds(ws: Worksheet, area: str) -> tuple[int, int, int, int]:
    from openpyxl.utils.cell import range_boundaries

    min_col, min_row, max_col, max_row = range_boundaries(area)
    return min_col, min_row, max_col, max_row  # type: ignore[return-value]


def _chart(ws: Worksheet, spec: Chart) -> None:
    from openpyxl.chart import BarChart, LineChart, Reference, Series
    from openpyxl.chart.shapes import GraphicalProperties

    chart: Any
    if spec.kind == "line":
        chart = LineChart()
    else:
        chart = BarChart()
        chart.type = "bar" if spec.kind == "bar" else "col"
        chart.gapWidth = 80
    chart.title = spec.title
    chart.width = spec.width_cm
    chart.height = spec.height_cm
    chart.legend.position = "b"
    for serie in spec.series:
        min_col, min_row, max_col, max_row = _bounds(ws, serie.values)
        data = Reference(ws, min_col=min_col, min_row=min_row, max_col=max_col, max_row=max_row)
        item = Series(data, title=serie.title)
        if serie.color:
            item.graphicalProperties = GraphicalProperties(solidFill=serie.color)
            if spec.kind == "line":
                item.graphicalProperties.line.solidFill = serie.color
                item.graphicalProperties.line.width = 28575  # 2.25 pt
                item.smooth = False
        chart.series.append(item)
    min_col, min_row, max_col, max_row = _bounds(ws, spec.categories)
    chart.set_categories(Reference(ws, min_col=min_col, min_row=min_row, max_col=max_col, max_row=max_row))
    if spec.kind == "line":
        if spec.label_step > 1:
            chart.x_axis.tickLblSkip = spec.label_step  # a readable number of labels
        chart.x_axis.txPr = _turned()  # day labels at an angle: never broken in two at their hyphen
    if spec.y_title:
        chart.y_axis.title = spec.y_title
    if spec.y_format:
        chart.y_axis.number_format = spec.y_format
    if spec.x_format:
        chart.x_axis.number_format = spec.x_format
    if spec.kind == "bar":
        chart.x_axis.scaling.orientation = "maxMin"  # the first category on top, as the table reads
    chart.x_axis.delete = False  # openpyxl ≥ 3.1 hides axes unless told
    chart.y_axis.delete = False
    if spec.span:
        from openpyxl.drawing.spreadsheet_drawing import AnchorMarker, TwoCellAnchor

        min_col, min_row, max_col, max_row = _bounds(ws, spec.span)
        chart.anchor = TwoCellAnchor(editAs="twoCell", _from=AnchorMarker(col=min_col - 1, row=min_row - 1),
                                     to=AnchorMarker(col=max_col, row=max_row))
        ws.add_chart(chart)
    else:
        ws.add_chart(chart, spec.anchor)


def _turned() -> Any:
    """Axis labels turned LABEL_ANGLE° counter-clockwise — DrawingML turns clockwise, in 60,000ths of a degree —
    (LibreOffice breaks an upright "05-13" at its hyphen when labels are crowded)."""
    from openpyxl.chart.text import RichText
    from openpyxl.drawing.text import CharacterProperties, Paragraph, ParagraphProperties, RichTextProperties

    return RichText(bodyPr=RichTextProperties(rot=-LABEL_ANGLE * 60000, vert="horz"),
                    p=[Paragraph(pPr=ParagraphProperties(defRPr=CharacterProperties()), endParaRPr=CharacterProperties())])


def _page(ws: Worksheet, doc: SheetDoc) -> None:
    from openpyxl.worksheet.properties import PageSetupProperties

    page = doc.page
    ws.page_setup.orientation = "landscape" if page.landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4 if page.paper == "A4" else ws.PAPERSIZE_LETTER
    if page.scale:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=False)
        ws.page_setup.scale = page.scale
    elif page.fit_width:
        ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
        ws.page_setup.fitToWidth = page.fit_width
        ws.page_setup.fitToHeight = page.fit_height
    if page.row_breaks:
        from openpyxl.worksheet.pagebreak import Break

        for row in page.row_breaks:
            ws.row_breaks.append(Break(id=row - 1))  # a break after the row before
    if page.area:
        ws.print_area = page.area
    if page.title_rows:
        ws.print_title_rows = page.title_rows
    if page.title_cols:
        ws.print_title_cols = page.title_cols
    if page.footer:
        ws.oddFooter.center.text = page.footer
    ws.print_options.horizontalCentered = False
    ws.page_margins.left = ws.page_margins.right = 0.3
    ws.page_margins.top = ws.page_margins.bottom = 0.45
    ws.page_margins.header = ws.page_margins.footer = 0.2
    ws.oddFooter.center.size = 8


def mark(ws: Worksheet, key: str) -> None:
    """Tag ``ws`` as the generated sheet ``key`` (a sheet-scoped defined name; see core.sheets.model)."""
    from openpyxl.workbook.defined_name import DefinedName

    ws.defined_names[MARKER_NAME] = DefinedName(MARKER_NAME, attr_text=f'"{key}"')


def marker_of(ws: Any) -> str | None:
    """The generated-sheet key of ``ws`` (a worksheet or chartsheet), or None for a user's sheet."""
    names = getattr(ws, "defined_names", None)
    if not names or MARKER_NAME not in names:
        return None
    text = names[MARKER_NAME].attr_text or ""
    return text.strip('"') or None


def render(wb: Workbook, doc: SheetDoc, index: int | None = None) -> Worksheet:
    """Add the sheet ``doc`` to ``wb`` (at ``index``, default last) and return it."""
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(doc.name, index)
    styles = _Styles(doc)
    for (row, col), spec in sorted(doc.cells.items()):
        _write_cell(ws, row, col, spec, styles)
    for merged in doc.merges:
        ws.merge_cells(merged)
    for col, width in doc.col_widths.items():
        ws.column_dimensions[get_column_letter(col)].width = width
    for row, height in doc.row_heights.items():
        ws.row_dimensions[row].height = height
    if doc.freeze:
        ws.freeze_panes = doc.freeze
    if doc.autofilter:
        ws.auto_filter.ref = doc.autofilter
    _cond_formats(ws, doc)
    for chart in doc.charts:
        _chart(ws, chart)
    _page(ws, doc)
    if doc.tab_color:
        ws.sheet_properties.tabColor = doc.tab_color
    ws.sheet_view.showGridLines = doc.gridlines
    if doc.zoom:
        ws.sheet_view.zoomScale = doc.zoom
    mark(ws, doc.key)
    return ws


def theme_xml() -> str:
    """openpyxl's default theme with the faces of ``core.sheets.look``: Calibri for Latin text and 等线 for
    Simplified Chinese in both the heading and the body font (openpyxl's names Cambria and 宋体)."""
    import re

    from openpyxl.writer.theme import theme_xml as default

    from ..core.sheets.look import EAST_ASIAN_FONT, LATIN_FONT

    xml = re.sub(r'<a:latin typeface="[^"]*"/>', f'<a:latin typeface="{LATIN_FONT}"/>', default)
    hans = "".join(f"&#x{ord(ch):X};" for ch in EAST_ASIAN_FONT)
    return re.sub(r'<a:font script="Hans" typeface="[^"]*"/>', f'<a:font script="Hans" typeface="{hans}"/>', xml)


def typeset(wb: Workbook, face: str) -> None:
    """Give a new workbook the theme of ``theme_xml`` and ``face`` as the font of its Normal style (the face of
    every cell that names no other). Call it before any cell is written."""
    from openpyxl.styles import Color, Font
    from openpyxl.utils.indexed_list import IndexedList

    wb.loaded_theme = theme_xml().encode("utf-8")
    default = font_of(Style(), face)
    assert len(wb._fonts) == 1, "typeset a new workbook only"
    wb._fonts = IndexedList([Font(name=default.name, sz=default.sz, family=default.family, charset=default.charset,
                                  scheme=default.scheme, color=Color(theme=1))])  # openpyxl has no public setter


def doc_values(doc: SheetDoc) -> dict[tuple[int, int], Any]:
    """The value the core expects of each formula cell of ``doc``: what the file caches next to the formula."""
    return {(row, col): cell.value for row, col, cell in doc.formula_cells()}


def write_companion(docs: list[SheetDoc], path: str, title: str = "") -> str:
    """A new workbook holding only the generated sheets, written atomically (temp file, then replace), every
    formula with its cached value."""
    from openpyxl import Workbook

    wb = Workbook()
    from ..core.sheets.look import LATIN_FONT

    typeset(wb, next((doc.font for doc in docs if doc.font), None) or LATIN_FONT)
    default = wb.active
    values = {}
    for doc in docs:
        ws = render(wb, doc)
        values[ws.title] = doc_values(doc)
    if default is not None:
        wb.remove(default)
    wb.calculation.fullCalcOnLoad = True
    wb.properties.creator = "xl-campaign"
    wb.properties.title = title
    save_atomic(wb, path, values)
    return path


def save_atomic(wb: Workbook, path: str, values: Values | None = None) -> None:
    """Save ``wb`` to a temporary file next to ``path`` — the cached formula ``values`` filled in on the way
    (``io.cached``) — then move it into place."""
    from .cached import save

    directory = os.path.dirname(os.path.abspath(path))
    tmp = os.path.join(directory, f".{os.path.basename(path)}.{os.getpid()}.tmp")
    try:
        save(wb, tmp, values)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
