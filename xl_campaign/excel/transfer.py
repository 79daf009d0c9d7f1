"""Put the generated sheets into the open workbook by copying them from a helper workbook — a few calls into Excel
per sheet, whatever the sheet holds.

Formatting a sheet through xlwings costs one call into Excel (a COM round trip on Windows, an AppleScript event on
macOS) per property and range: hundreds per sheet. Instead, the sheets are written headlessly with openpyxl — the
same writer as ``xl-campaign update`` (``io.writer``), so Excel gets exactly the cells the command line writes —
into a helper workbook that Excel opens, and Excel copies them:

* a generated sheet the workbook does not have yet: ``Worksheet.Copy`` (``After:`` the last sheet) copies the whole
  sheet from the helper — cells, formats, conditional formats, merges, sizes, notes, links, charts, print setup,
  frozen panes, zoom, tab colour and its sheet-scoped names (the generated-sheet marker). Microsoft: "Copies the
  sheet to another location in the current workbook or a new workbook … Source and Destination must be in the same
  Excel.Application instance";
* a generated sheet the workbook has: it is cleared in place (formulas elsewhere that point into it keep working)
  and ``Range.Copy(Destination)`` copies all the helper sheet's cells onto it ("Copies the range to the specified
  range"). Sheet-level settings (print setup, print area, page breaks, panes, zoom, tab colour, filter) are not part
  of a range: on Windows they are set again through COM when they changed; on macOS they stay as the sheet's first
  copy brought them, but for the print area (``xlwings_writer._Renderer.print_area``).

The helper holds **values, not formulas**: a formula there would point to sheets the helper lacks (the Tasks and
Overview sheets), and a sheet copied between workbooks keeps its references to the other workbook. After the copy
the formulas are written in the workbook itself, in a few blocks that leave merged areas alone (Excel refuses to
change part of a merged area; ``xlwings_writer.formula_blocks``). The helper has no
charts for sheets that exist already (a range copy would link them to the helper); those are drawn through xlwings.
So nothing copied refers to the helper: there are no links to re-point.

When Excel cannot open the helper (e.g. a policy, Protected View), nothing has been written yet and the sheets are
written property by property instead (``xlwings_writer.render``); so are the sheet whose copy Excel refuses and the
ones after it.
"""

from __future__ import annotations

import os
import sys
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..core.sheets.model import Cell, SheetDoc
from .xlwings_writer import SETTINGS_NAME, RenderResult, _Renderer, clear_sheet, settings_key, stale_settings

if TYPE_CHECKING:
    import xlwings as xw

HELPER_PREFIX = "xl-campaign-sheets"
STALE_SECONDS = 24 * 3600


def helper_folder(platform: str = sys.platform, home: Path | None = None) -> Path:
    """Where Excel can open the helper without asking: the temp folder; on macOS Excel's own sandbox container
    (``~/Library/Containers/com.microsoft.Excel/Data``, where xlwings' RunPython keeps its log), since a sandboxed
    Excel asks the user before it opens a file elsewhere."""
    if platform == "darwin":
        return (home or Path.home()) / "Library" / "Containers" / "com.microsoft.Excel" / "Data"
    return Path(tempfile.gettempdir())


def helper_doc(doc: SheetDoc, with_charts: bool) -> SheetDoc:
    """``doc`` as the helper holds it: each formula cell as its value; charts only when ``with_charts``."""
    cells = {position: Cell(cell.value, None, cell.fmt, cell.style, cell.link, cell.note) if cell.formula else cell
             for position, cell in doc.cells.items()}
    return replace(doc, cells=cells, charts=list(doc.charts) if with_charts else [])


def write_helper(docs: list[SheetDoc], existing: set[str], folder: Path) -> Path:
    """The helper workbook: one sheet per doc, named as the doc (charts only for sheets not in the workbook yet)."""
    from ..io.writer import write_companion

    folder.mkdir(parents=True, exist_ok=True)
    _remove_stale(folder)
    path = folder / f"{HELPER_PREFIX}-{os.getpid()}.xlsx"
    write_companion([helper_doc(doc, doc.key not in existing) for doc in docs], str(path))
    return path


def _remove_stale(folder: Path, age: float = STALE_SECONDS) -> None:
    """Delete helpers left behind by a press that never finished (Excel or Python ended): a day old or older."""
    import time

    for path in folder.glob(f"{HELPER_PREFIX}-*.xlsx"):
        try:
            if time.time() - path.stat().st_mtime >= age:
                path.unlink()
        except OSError:  # open in Excel, or gone meanwhile
            pass


@dataclass
class Helper:
    """The helper workbook open in Excel: its sheets by doc key."""

    book: Any  # xw.Book
    path: Path
    sheets: dict[str, Any] = field(default_factory=dict)  # key -> xw.Sheet

    def close(self) -> None:
        """Close it unsaved and delete the file (a failure here must not hide the press's own outcome)."""
        try:
            self.book.close()
        except Exception:  # Excel may have closed it already
            pass
        try:
            self.path.unlink()
        except OSError:
            pass


def open_helper(app: xw.App, docs: list[SheetDoc], existing: set[str], folder: Path | None = None) -> Helper | None:
    """Write the helper and open it in ``app``; None when that is not possible (then nothing has been written)."""
    path: Path | None = None
    try:
        path = write_helper(docs, existing, folder or helper_folder())
        book = app.books.open(str(path), update_links=False, read_only=True)
        sheets = book.sheets
        return Helper(book, path, {doc.key: sheets[doc.name] for doc in docs})
    except Exception:  # no file, Excel refusing the file: the caller writes property by property
        if path is not None:
            try:
                path.unlink()
            except OSError:
                pass
        return None


def transfer(book: xw.Book, doc: SheetDoc, helper: Helper, *, native: str | None, sheet: xw.Sheet | None,
             last: xw.Sheet | None, prepare: Any) -> RenderResult | None:
    """Put ``doc`` into ``book``: a copy of the helper's sheet after ``last`` (``sheet`` None), or the helper's cells
    copied onto the existing generated ``sheet``; then its values and formulas as one block.

    None when Excel refused the copy itself: then no sheet was added (a new sheet) or the sheet is only cleared (an
    existing one), and the caller writes it property by property (``xlwings_writer.render`` clears it again)."""
    source = helper.sheets[doc.key]
    created = sheet is None
    if sheet is None:
        sheets = book.sheets
        after = last if last is not None else sheets[len(sheets) - 1]
        try:
            source.impl.copy(before=None, after=after.impl)  # the engine's call: xlwings' Sheet.copy reads every name
        except Exception:
            return None
        sheet = book.sheets[doc.name]
        sheet.names.add(SETTINGS_NAME, f'="{settings_key(doc)}"')  # the copy brought the sheet settings
    else:
        clear_sheet(sheet)
        if sheet.name != doc.name:
            sheet.name = doc.name  # the workbook's language changed
        try:
            source.cells.copy(sheet.cells)
        except Exception:
            return None
    result = RenderResult(doc.name, created)
    renderer = _Renderer(sheet, doc, native, result, prepare)
    renderer.formulas()
    if not created:
        renderer.charts()
        # the sheet settings: those the sheet has already are kept (their fingerprints in a sheet-scoped name), the
        # parts that changed are set again through COM — print scale, print area and page breaks too, so a sheet
        # that grew does not keep its first copy's; elsewhere they stay as the sheet's first copy brought them, but
        # for the print area (xlwings' own API on both engines), without which rows a grown sheet added would not
        # be printed
        if native == "com":
            stale = stale_settings(sheet, doc)
            if stale:
                if "view" in stale:
                    renderer.freeze()
                    sheet.show_gridlines = doc.gridlines
                renderer.extras(stale)
                sheet.names.add(SETTINGS_NAME, f'="{settings_key(doc)}"')
        elif doc.page.area:
            renderer.print_area()
    result.sheet_object = sheet
    return result
