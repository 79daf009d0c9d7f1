"""An in-memory stand-in for Excel behind xlwings' real (BSD) ``Book``/``Sheet``/``Range`` classes.

``xl_campaign.excel.xlwings_writer`` talks to ``xw.Book``, ``xw.Sheet``, ``xw.Range`` and their fonts, borders,
conditional formats, charts and names; those classes call an *engine implementation* (the objects in
``xlwings.base_classes``; on Windows ``xlwings._xlwindows`` over COM). This module implements the few engine calls
the writer needs, over plain dictionaries, so the writer runs through xlwings' own code unchanged. Unimplemented
calls raise ``NotImplementedError`` (inherited from ``base_classes``), so a writer change that needs more shows up.

Where it matters for correctness, the stand-in behaves like Excel and like xlwings' Windows implementation:

* text written as a value is read like typing: ``=…`` becomes a formula, ``'…`` stays text without the quote,
  ``1,200`` / ``10%`` / ``1:5`` / ``2024-05-01`` / ``TRUE`` become numbers, times, dates and booleans;
  ``-x`` and ``+x`` become formulas;
* writing a date into a General cell gives it a date format (Excel's ``m/d/yyyy``);
* an address may have several areas (``A1:B2,D4``); column width and row height apply to whole columns and rows;
* each new conditional-format rule becomes the first priority (``SetFirstPriority`` in ``_xlwindows``), and the
  active cell at the time a rule is added is recorded (Excel reads relative references from it);
* setting an inside border on an area without inside lines is refused, as Excel does; so is writing values into
  a range that takes in part of a merged area ("Cannot change part of a merged cell."), and — stricter than Excel
  may be — into any merged area but its top-left cell alone;
* ``Sheet.clear()`` clears values, formats, notes, links and rules but keeps merges, sizes and charts — and the
  sheet's page breaks and print area, which belong to the sheet, not to its cells: the page breaks are those a file
  brought, then what ``Worksheet.ResetAllPageBreaks()`` (all removed) and ``HPageBreaks.Add(Before)`` (one above
  the range) did since; the print area is the last ``PageSetup.PrintArea`` set (through COM or xlwings'
  ``PageSetup.print_area``, which sets the same property: ``_xlwindows.PageSetup``) or the file's;
* a range's ``width``/``height`` are its columns' and rows' sizes in points, on the same grid as ``left``/``top``
  (a chart added at a range's position and size covers exactly its cells); a chart axis answers ``.api`` (the COM
  ``Axis``: ``_xlwindows.ChartAxis.api``) with a recorder of its own, and ``reverse_order`` as xlwings 0.37.6+ does;
* an App may speak another formula language (``App.formula_language``, e.g. :data:`GERMAN`): then
  ``Range.FormulaLocal`` reads a formula in that language and list separator, and a new conditional-format rule's
  formula is read in it, as Excel's ``FormatConditions.Add`` does (an English function name or a comma between
  arguments is refused, as German Excel refuses them).
* a workbook opened from an .xlsx file (``Books.open``) holds what the file holds (read with openpyxl: cells,
  formats, merges, sizes, rules, notes, links, charts with their cells and axis details, sheet-scoped names, print
  setup with scale, print area and page breaks, panes, zoom, tab colour);
  ``Sheet.copy`` to another workbook copies a whole sheet (its charts then show its own copy's cells), and
  ``Range.copy(destination)`` of all cells copies the cells, their formats, rules, notes, links, merges and sizes
  but no sheet-level setting (Microsoft's Worksheet.Copy and Range.Copy); charts a range copy carries keep pointing
  to the source workbook (marked ``linked_to``);
* a workbook opened from a file (``Books.open``) carries its VBA project as Excel's VBA object model shows it
  (``Workbook.VBProject``: ``Name``, ``VBComponents(name).CodeModule`` with ``CountOfLines``, ``Lines``,
  ``DeleteLines``, ``InsertLines``, ``AddFromString``; ``VBComponents.Import``/``Remove``; Microsoft's VBA
  extensibility reference), read from the file with oletools' olevba — and refuses it, as Excel does, unless the
  application trusts access to the VBA project object model (``App.vba_access_trusted``, off by default as in Excel).

``.api`` of a sheet or range returns a recorder of COM-style property sets and calls.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from copy import deepcopy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xlwings import base_classes as B

MAX_ROW, MAX_COL = 1_048_576, 16_384
DEFAULT_WIDTH, DEFAULT_HEIGHT = 8.43, 15.0
GENERAL = "General"


# --------------------------------------------------------------------------------------------------------------
# addresses

def col_number(letters: str) -> int:
    number = 0
    for char in letters.upper():
        number = number * 26 + ord(char) - 64
    return number


def col_letters(number: int) -> str:
    out = ""
    while number:
        number, rem = divmod(number - 1, 26)
        out = chr(65 + rem) + out
    return out


_CELL = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")
_COLS = re.compile(r"^\$?([A-Za-z]{1,3}):\$?([A-Za-z]{1,3})$")
_ROWS = re.compile(r"^\$?(\d+):\$?(\d+)$")

Area = tuple[int, int, int, int]  # top, left, bottom, right


def parse_area(text: str) -> Area:
    text = text.strip()
    if m := _COLS.match(text):
        return 1, col_number(m[1]), MAX_ROW, col_number(m[2])
    if m := _ROWS.match(text):
        return int(m[1]), 1, int(m[2]), MAX_COL
    first, _, last = text.partition(":")
    a = _CELL.match(first)
    b = _CELL.match(last or first)
    if not a or not b:
        raise ValueError(f"not an address: {text!r}")
    top, left, bottom, right = int(a[2]), col_number(a[1]), int(b[2]), col_number(b[1])
    return min(top, bottom), min(left, right), max(top, bottom), max(left, right)


def parse_areas(text: str) -> list[Area]:
    return [parse_area(part) for part in text.split(",")]


def area_address(area: Area, absolute: bool = True) -> str:
    top, left, bottom, right = area
    d = "$" if absolute else ""
    first = f"{d}{col_letters(left)}{d}{top}"
    return first if (top, left) == (bottom, right) else f"{first}:{d}{col_letters(right)}{d}{bottom}"


def normalize_color(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value.lstrip("#").upper()
    if isinstance(value, tuple):
        return "".join(f"{c:02X}" for c in value)
    if isinstance(value, int):  # Excel's BGR integer
        return f"{value & 255:02X}{(value >> 8) & 255:02X}{(value >> 16) & 255:02X}"
    raise TypeError(value)


# --------------------------------------------------------------------------------------------------------------
# Excel's reading of typed text

_NUMBER = re.compile(r"^\(?([-+]?)\s*[$¥€£]?\s*(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?\)?\s*(%?)$")
_TIME = re.compile(r"^(\d{1,2}):(\d{1,2})(?::(\d{1,2}))?$")
_MONTH_DAY = re.compile(r"^(\d{1,2})/(\d{1,2})$")  # US locale: this year's date
_DATE = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$|^(\d{1,2})/(\d{1,2})/(\d{4})$")
ERRORS = {"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"}


@dataclass(frozen=True)
class ExcelError:
    code: str


def typed(text: str) -> tuple[Any, str | None, str | None]:
    """(value, formula, automatic number format) of ``text`` entered into a General cell."""
    if text.startswith("'"):
        return text[1:], None, None
    if text.startswith("="):
        return None, text, None
    stripped = text.strip()
    if stripped.upper() in ("TRUE", "FALSE"):
        return stripped.upper() == "TRUE", None, None
    if stripped.upper() in ERRORS:
        return ExcelError(stripped.upper()), None, None
    if m := _NUMBER.match(stripped):
        number = float(m[2].replace(",", "") + (m[3] or ""))
        if m[1] == "-" or (stripped.startswith("(") and stripped.endswith(")")):
            number = -number
        if m[4]:
            return number / 100, None, "0%"
        return number, None, None
    if m := _TIME.match(stripped):
        hours, minutes = int(m[1]), int(m[2])
        if hours < 24 and minutes < 60:
            return (hours * 60 + minutes) / 1440, None, "h:mm"
    if (m := _MONTH_DAY.match(stripped)) and 1 <= int(m[1]) <= 12 and 1 <= int(m[2]) <= 31:
        return dt.datetime(dt.date.today().year, int(m[1]), min(int(m[2]), 28)), None, "d-mmm"
    if m := _DATE.match(stripped):
        try:
            if m[1]:
                return dt.datetime(int(m[1]), int(m[2]), int(m[3])), None, "m/d/yyyy"
            return dt.datetime(int(m[6]), int(m[4]), int(m[5])), None, "m/d/yyyy"
        except ValueError:
            pass
    if stripped[:1] in ("-", "+", "@"):
        return None, "=" + stripped.lstrip("@"), None  # Excel turns it into a formula
    return text, None, None


# --------------------------------------------------------------------------------------------------------------
# the user's formula language

@dataclass(frozen=True)
class FormulaLanguage:
    """How an Excel in another UI language writes formulas for the user: localized function names and constants,
    its own list separator and decimal sign. ``Range.Formula`` and ``=…`` written as a value stay English in every
    Excel; ``Range.FormulaLocal`` ("the formula for the object, using A1-style references in the language of the
    user", Microsoft's Range.FormulaLocal reference) and ``FormatConditions.Add``'s Formula1 are in this language.
    The second is not in Microsoft's reference: it is what VBA users report (a German or Polish Excel refuses
    ``Formula1:="=IF(1>0,1,0)"`` and wants ``=WENN(1>0;1;0)``), and what the writer is built against."""

    names: dict[str, str]  # English -> local, functions and TRUE/FALSE
    separator: str = ";"
    decimal: str = ","

    def to_local(self, formula: str) -> str:
        """An English formula as FormulaLocal shows it."""
        def word(m: re.Match[str]) -> str:
            return self.names.get(m[0].upper(), m[0])
        return self._outside_quotes(formula, lambda part: re.sub(
            r"(?<=\d)\.(?=\d)", self.decimal, re.sub(r"[A-Za-z_][A-Za-z0-9_.]*(?=\()|\b(?:TRUE|FALSE)\b", word,
                                                     part).replace(",", self.separator)))

    def from_local(self, formula: str) -> str:
        """A formula typed in this language, read into English; refused as Excel refuses it (a COM error)."""
        back = {local: english for english, local in self.names.items()}

        def read(part: str) -> str:
            for name in re.findall(r"[A-Za-z_\u00c0-\u024f][\w.]*(?=\()", part):
                if name.upper() not in back and name.upper() in self.names:
                    raise RuntimeError(f"Invalid procedure call or argument: {name} is not a function in this "
                                       f"language ({formula})")
            if re.search(r",(?!\d)|(?<!\d),", part):
                raise RuntimeError(f"Invalid procedure call or argument: ',' is not the list separator ({formula})")
            part = re.sub(r"(?<=\d),(?=\d)", ".", part).replace(self.separator, ",")
            return re.sub(r"[A-Za-z_\u00c0-\u024f][\w.]*(?=\()|\b(?:WAHR|FALSCH)\b",
                          lambda m: back.get(m[0].upper(), m[0]), part)
        return self._outside_quotes(formula, read)

    @staticmethod
    def _outside_quotes(formula: str, change: Any) -> str:
        pieces = formula.split('"')
        return '"'.join(change(piece) if index % 2 == 0 else piece for index, piece in enumerate(pieces))


# German Excel's names of the functions the generated sheets use (Microsoft's German function reference).
GERMAN = FormulaLanguage({
    "AND": "UND", "OR": "ODER", "NOT": "NICHT", "IF": "WENN", "IFERROR": "WENNFEHLER", "ISNUMBER": "ISTZAHL",
    "ISBLANK": "ISTLEER", "ISTEXT": "ISTTEXT", "ROUND": "RUNDEN", "WEEKDAY": "WOCHENTAG", "TODAY": "HEUTE",
    "DATE": "DATUM", "COUNT": "ANZAHL", "COUNTIF": "ZÄHLENWENN", "SUM": "SUMME", "SUMPRODUCT": "SUMMENPRODUKT",
    "AVERAGE": "MITTELWERT", "MATCH": "VERGLEICH", "INDEX": "INDEX", "MIN": "MIN", "MAX": "MAX", "LEFT": "LINKS",
    "LEN": "LÄNGE", "MOD": "REST", "INT": "GANZZAHL", "ABS": "ABS", "TRUE": "WAHR", "FALSE": "FALSCH",
})


# --------------------------------------------------------------------------------------------------------------
# state

@dataclass
class CellState:
    value: Any = None
    formula: str | None = None
    number_format: str = GENERAL
    bold: bool = False
    italic: bool = False
    size: float | None = None
    font_color: str | None = None
    fill: str | None = None
    halign: str = "general"
    valign: str = "bottom"
    wrap: bool = False
    indent: int = 0
    borders: dict[str, tuple[str | None, str | None, str | None]] = field(default_factory=dict)
    link: tuple[str, str, str] | None = None  # address, text, tip
    note: str | None = None
    underline: bool = False  # set through COM (.api.Font.Underline) by the writer; from a file when loaded
    font_name: str | None = None

    def clear_formats(self) -> None:
        fresh = CellState()
        for name in ("number_format", "bold", "italic", "size", "font_color", "fill", "halign", "valign", "wrap",
                     "indent", "borders", "underline", "font_name"):
            setattr(self, name, getattr(fresh, name))


@dataclass
class CondFormatState:
    areas: list[Area]
    formula: str
    fill: str | None
    font_color: str | None
    bold: bool | None
    italic: bool | None
    stop: bool
    active_cell: tuple[int, int] | None


@dataclass
class ChartState:
    name: str
    left: float
    top: float
    width: float
    height: float
    chart_type: str | None = None
    source: list[Area] = field(default_factory=list)
    plot_by: str | None = None
    title: str | None = None
    style: int | None = None
    series: list[dict[str, Any]] = field(default_factory=list)
    legend_position: str | None = None
    axes: dict[str, dict[str, Any]] = field(default_factory=dict)
    anchor: Area | None = None  # test-only: the cell the chart was anchored at
    linked_to: str | None = None  # a chart a range copy brought from another workbook still shows that one's cells
    api_log: list[tuple[str, Any]] = field(default_factory=list)  # COM calls on its axes (``ChartAxis.api``)
    cells: Area | None = None  # a chart a file placed over cells (two-cell anchor): those cells


# --------------------------------------------------------------------------------------------------------------
# counting the calls into the engine

# Where a call comes from when it counts: xlwings' own classes (main.py, conversion) and xl-campaign's code.
_COUNTED_CALLERS = ("xlwings", "xl_campaign")


def _counts(frame_depth: int = 2) -> bool:
    caller = sys._getframe(frame_depth).f_globals.get("__name__", "")
    return caller.startswith(_COUNTED_CALLERS)


# Plain Python attributes of the engines' objects, not calls into Excel: ``Range.options`` (set by main.Range,
# _xlwindows/_xlmac Range.__init__ keep it as an attribute) and ``engine`` (_xlwindows App.engine returns the module's
# engine object).
_NOT_CALLS = frozenset({"options", "engine"})


class Counted:
    """Counts every use of an engine object from outside this module: each property read or write and each method
    looked up is one call into the engine — on Windows one COM round trip, on macOS one AppleScript event (what
    ``_xlwindows``/``_xlmac`` do for each member of the ``base_classes`` interface). The stand-in's own bookkeeping
    (calls made from this module) and a test's look at the state do not count."""

    def __getattribute__(self, name: str) -> Any:
        if not name.startswith("_") and name not in _NOT_CALLS and _counts():
            ENGINE.count(type(self).__name__, name)
        return object.__getattribute__(self, name)

    def __setattr__(self, name: str, value: Any) -> None:
        if not name.startswith("_") and name not in _NOT_CALLS and _counts():
            ENGINE.count(type(self).__name__, name + "=")
        object.__setattr__(self, name, value)


class Recorder:
    """A COM-style object that records property sets and calls: ``api.PageSetup.Orientation = 2``."""

    def __init__(self, log: list[tuple[str, Any]], path: str, answers: dict[str, Any] | None = None) -> None:
        object.__setattr__(self, "_log", log)
        object.__setattr__(self, "_path", path)
        object.__setattr__(self, "_answers", answers or {})

    def __getattr__(self, name: str) -> Any:
        if _counts():
            ENGINE.count("api", name)
        if name in self._answers:  # a property read the stand-in knows the answer to (ReadOnly, …)
            answer = self._answers[name]
            return answer.compute() if isinstance(answer, Lazy) else answer
        return Recorder(self._log, f"{self._path}.{name}")

    def __setattr__(self, name: str, value: Any) -> None:
        if _counts():
            ENGINE.count("api", name + "=")
        self._log.append((f"{self._path}.{name}", value))

    def __call__(self, *args: Any) -> Recorder:
        if _counts():
            ENGINE.count("api", "()")
        self._log.append((f"{self._path}()", args))
        return Recorder(self._log, f"{self._path}({', '.join(map(repr, args))})")


class Lazy:
    """An answer worked out when it is asked for (``FormulaLocal`` of a range: not for every ``.api``)."""

    def __init__(self, compute: Any) -> None:
        self.compute = compute


class AppleScriptProperty:
    """What appscript returns for a property reference: its value comes with ``.get()`` (one more event)."""

    def __init__(self, value: Any) -> None:
        self.value = value

    def get(self) -> Any:
        if _counts():
            ENGINE.count("api", "get()")
        return self.value.compute() if isinstance(self.value, Lazy) else self.value


def native_answers(**values: tuple[str, str, Any]) -> dict[str, Any]:
    """Answers of a native object under both names: COM's ``ReadOnly`` and AppleScript's ``read_only``."""
    answers: dict[str, Any] = {}
    for com, appscript, value in values.values():
        answers[com] = value
        answers[appscript] = AppleScriptProperty(value)
    return answers


PROTECTED = "The cell or chart you're trying to change is on a protected sheet."  # Excel's message


# --------------------------------------------------------------------------------------------------------------
# engine

class MemoryEngine:
    """The engine implementation (``xw.Engine(impl=…)``): value cleaning as xlwings' Windows engine does it."""

    name = "memory"
    type = "desktop"
    max_cells_per_read = None
    max_cells_per_write = None

    def __init__(self) -> None:
        self.app_list: list[App] = []
        self.calls: Counter[str] = Counter()  # "Class.member" -> how often xlwings or xl-campaign called it

    def count(self, owner: str, member: str) -> None:
        self.calls[f"{owner}.{member}"] += 1

    @property
    def total_calls(self) -> int:
        return sum(self.calls.values())

    @property
    def apps(self) -> Apps:
        return Apps(self)

    @staticmethod
    def prepare_xl_data_element(x: Any, options: Any) -> Any:
        if isinstance(x, float) and x != x:
            return ""
        if x is None:
            return ""
        return x

    @staticmethod
    def clean_value_data(data: Any, datetime_builder: Any, empty_as: Any, number_builder: Any,
                         err_to_str: Any) -> Any:
        out = []
        for row in data:
            cleaned = []
            for c in row:
                if c in ("", None):
                    cleaned.append(empty_as)
                elif isinstance(c, ExcelError):
                    cleaned.append(c.code if err_to_str else None)
                elif isinstance(c, dt.datetime) and datetime_builder is not dt.datetime:
                    cleaned.append(datetime_builder(c.year, c.month, c.day, c.hour, c.minute, c.second))
                elif number_builder is not None and isinstance(c, float):
                    cleaned.append(number_builder(c))
                else:
                    cleaned.append(c)
            out.append(cleaned)
        return out


class Apps(Counted, B.Apps):
    def __init__(self, engine: MemoryEngine) -> None:
        self.engine = engine

    def keys(self) -> list[int]:
        return [app.pid for app in self.engine.app_list]

    def __iter__(self) -> Any:
        return iter(list(self.engine.app_list))

    def __len__(self) -> int:
        return len(self.engine.app_list)

    def __getitem__(self, pid: int) -> App:
        for app in self.engine.app_list:
            if app.pid == pid:
                return app
        raise KeyError(pid)

    def add(self, spec: Any = None, add_book: Any = None, xl: Any = None, visible: Any = None) -> App:
        app = App()
        app._visible = bool(visible)
        if add_book:
            Book(app, "Book1")
        return app


ENGINE = MemoryEngine()


@contextmanager
def active_engine() -> Iterator[MemoryEngine]:
    """Make the memory engine xlwings' active engine (as "excel" is on Windows) for the duration."""
    import xlwings as xw

    if "memory" not in [e.name for e in xw.engines]:
        xw.engines.add(xw.Engine(impl=ENGINE))
    previous = xw.engines.active
    xw.engines.active = xw.engines["memory"]
    ENGINE.app_list.clear()
    ENGINE.calls.clear()
    try:
        yield ENGINE
    finally:
        xw.engines.active = previous
        ENGINE.app_list.clear()
        if hasattr(xw.Book, "_mock_caller"):
            del xw.Book._mock_caller


class App(Counted, B.App):
    _next_pid = 4242

    def __init__(self) -> None:
        self.engine = ENGINE
        ENGINE.app_list.insert(0, self)
        App._next_pid += 1
        self._pid = App._next_pid
        self._books: list[Book] = []
        self.status_bar_text: Any = False
        self.alerts: list[tuple[str, str, str, str]] = []
        self._display_alerts = True
        self._screen_updating = True
        self.active_book: Book | None = None
        self.calculation_log: list[str] = []
        self.calculator: Any = None
        self.formula_language: FormulaLanguage | None = None  # None: English
        self.vba_access_trusted = False  # Trust Center: "Trust access to the VBA project object model"
        self._visible = True

    @property
    def api(self) -> Any:
        return Recorder([], "Application")

    @property
    def books(self) -> Books:
        return Books(self)

    @property
    def status_bar(self) -> Any:
        return self.status_bar_text

    @status_bar.setter
    def status_bar(self, value: Any) -> None:
        self.status_bar_text = value

    @property
    def display_alerts(self) -> bool:
        return self._display_alerts

    @display_alerts.setter
    def display_alerts(self, value: bool) -> None:
        self._display_alerts = value

    @property
    def screen_updating(self) -> bool:
        return self._screen_updating

    @screen_updating.setter
    def screen_updating(self, value: bool) -> None:
        self._screen_updating = value

    @property
    def calculation(self) -> str:
        return self.calculation_log[-1] if self.calculation_log else "automatic"

    @calculation.setter
    def calculation(self, value: str) -> None:
        self.calculation_log.append(value)

    def calculate(self) -> None:
        """Excel recalculates; the stand-in has no calculation engine: a test sets ``calculator`` to play it."""
        if self.calculator is not None:
            self.calculator(self)

    def alert(self, prompt: str, title: str, buttons: str, mode: str, callback: Any) -> str:
        self.alerts.append((prompt, title, buttons, mode))
        return "ok"

    @property
    def version(self) -> Any:
        return "16.0"

    @property
    def pid(self) -> int:
        return self._pid

    def activate(self, steal_focus: bool = False) -> None:
        pass

    @property
    def visible(self) -> bool:
        return self._visible

    @visible.setter
    def visible(self, value: bool) -> None:
        self._visible = bool(value)

    def quit(self) -> None:
        self.engine.app_list.remove(self)


class Books(Counted, B.Books):
    def __init__(self, app: App) -> None:
        self.app = app

    @property
    def active(self) -> Book | None:
        return self.app.active_book

    def __call__(self, name_or_index: int | str) -> Book:
        if isinstance(name_or_index, int):
            return self.app._books[name_or_index - 1]
        for book in self.app._books:
            if book.name.lower() == str(name_or_index).lower():
                return book
        raise KeyError(name_or_index)

    def __len__(self) -> int:
        return len(self.app._books)

    def __iter__(self) -> Any:
        return iter(list(self.app._books))

    def add(self) -> Book:
        return Book(self.app, f"Book{len(self.app._books) + 1}")

    def open(self, fullname: str, update_links: Any = None, read_only: Any = None, format: Any = None,
             password: Any = None, write_res_password: Any = None, ignore_read_only_recommended: Any = None,
             origin: Any = None, delimiter: Any = None, editable: Any = None, notify: Any = None,
             converter: Any = None, add_to_mru: Any = None, local: Any = None, corrupt_load: Any = None) -> Book:
        import os

        book = Book(self.app, os.path.basename(fullname), fullname, sheet_names=())
        book.read_only = bool(read_only)
        if fullname.lower().endswith(".xlsx"):
            load_xlsx(book, fullname)
        else:
            book.vba = VBAProject.from_file(fullname)
        return book


class Book(Counted, B.Book):
    def __init__(self, app: App, name: str, fullname: str | None = None, sheet_names: tuple[str, ...] = ("Sheet1",)
                 ) -> None:
        self._app = app
        self._name = name
        self._fullname = fullname or name
        self.sheet_list: list[Sheet] = []
        self.active_sheet: Sheet | None = None
        self.saved: list[str | None] = []
        self.read_only = False  # opened read-only: Save fails
        self.protect_structure = False  # Review ▸ Protect Workbook: no sheet added, renamed or deleted
        self.vba: VBAProject | None = None  # the VBA project of a file opened with Books.open
        self.saved_vba: list[VBAProject] = []  # the project as each save wrote it
        self.closed = False
        app._books.append(self)
        app.active_book = self
        for sheet_name in sheet_names:
            self.sheet_list.append(Sheet(self, sheet_name))
        self.active_sheet = self.sheet_list[0] if self.sheet_list else None

    @property
    def api(self) -> Any:
        answers = native_answers(read_only=("ReadOnly", "read_only", self.read_only),
                                 structure=("ProtectStructure", "protect_structure", self.protect_structure))
        answers["VBProject"] = Lazy(self._vb_project)
        answers["Name"] = self._name
        answers["LinkSources"] = self._link_sources
        return Recorder([], "Workbook", answers)

    def _link_sources(self, kind: int = 1) -> tuple[str, ...] | None:
        """Workbook.LinkSources(xlExcelLinks): the other workbooks something here points to; None when none."""
        sources = {chart.linked_to for sheet in self.sheet_list for chart in sheet.chart_list if chart.linked_to}
        return tuple(sorted(sources)) or None

    def _vb_project(self) -> VBAProject:
        if not self._app.vba_access_trusted:
            raise RuntimeError(VBA_NOT_TRUSTED)
        if self.vba is None:
            self.vba = VBAProject("VBAProject", {})
        return self.vba

    def close(self) -> None:
        self._app._books.remove(self)
        if self._app.active_book is self:
            self._app.active_book = self._app._books[-1] if self._app._books else None
        self.closed = True

    @property
    def name(self) -> str:
        return self._name

    @property
    def fullname(self) -> str:
        # As _xlwindows.Book.fullname (xlwings 0.37.8, _xlwindows.py lines 914-924; _xlmac.py 584-600 alike): Excel
        # reports a OneDrive/SharePoint workbook's FullName as a URL, which xlwings maps to the file in the local
        # synced folder with utils.fullname_url_to_local_path — or raises XlwingsError when it cannot find it.
        if "://" in self._fullname:
            import xlwings
            from xlwings.utils import fullname_url_to_local_path, read_config_sheet

            config = read_config_sheet(xlwings.Book(impl=self))
            return fullname_url_to_local_path(
                url=self._fullname,
                sheet_onedrive_consumer_config=config.get("ONEDRIVE_CONSUMER_WIN"),
                sheet_onedrive_commercial_config=config.get("ONEDRIVE_COMMERCIAL_WIN"),
                sheet_sharepoint_config=config.get("SHAREPOINT_WIN"),
            )
        return self._fullname

    @property
    def sheets(self) -> Sheets:
        return Sheets(self)

    @property
    def app(self) -> App:
        return self._app

    def save(self, path: str | None = None, password: str | None = None) -> None:
        if self.read_only and path is None:
            raise RuntimeError("Cannot save a read-only workbook; use Save As")  # COM error of Workbook.Save
        self.saved.append(path)
        if self.vba is not None:
            self.saved_vba.append(self.vba.copy())

    def activate(self) -> None:
        self._app.active_book = self


class Sheets(Counted, B.Sheets):
    def __init__(self, book: Book) -> None:
        self.book = book

    @property
    def active(self) -> Sheet | None:
        return self.book.active_sheet

    def __call__(self, name_or_index: int | str) -> Sheet:
        if isinstance(name_or_index, int):
            return self.book.sheet_list[name_or_index - 1]
        for sheet in self.book.sheet_list:
            if sheet.name.lower() == str(name_or_index).lower():
                return sheet
        raise KeyError(name_or_index)

    def __len__(self) -> int:
        return len(self.book.sheet_list)

    def __iter__(self) -> Any:
        return iter(list(self.book.sheet_list))

    def add(self, before: Sheet | None = None, after: Sheet | None = None, name: str | None = None) -> Sheet:
        if self.book.protect_structure:
            raise RuntimeError("Workbook is protected and cannot be changed.")
        taken = {s.name for s in self.book.sheet_list}
        number = len(self.book.sheet_list) + 1
        while f"Sheet{number}" in taken:
            number += 1
        sheet = Sheet(self.book, f"Sheet{number}")
        if name is not None:
            sheet.name = name
        if before is not None:
            index = self.book.sheet_list.index(before)
        elif after is not None:
            index = self.book.sheet_list.index(after) + 1
        else:
            index = self.book.sheet_list.index(self.book.active_sheet) if self.book.active_sheet else 0
        self.book.sheet_list.insert(index, sheet)
        self.book.active_sheet = sheet
        return sheet


class Sheet(Counted, B.Sheet):
    def __init__(self, book: Book, name: str) -> None:
        self._book = book
        self._name = name
        self.cells_state: dict[tuple[int, int], CellState] = {}
        self.merges: list[Area] = []
        self.col_widths: dict[int, float] = {}
        self.row_heights: dict[int, float] = {}
        self.cond_formats: list[CondFormatState] = []
        self.chart_list: list[ChartState] = []
        self.names_map: dict[str, str] = {}
        self.gridlines = True
        self.active_cell: tuple[int, int] = (1, 1)
        self.api_log: list[tuple[str, Any]] = []
        self.protected = False  # Review ▸ Protect Sheet: no cell, format, merge, rule, chart or name changes
        # sheet-level settings a file brought (loaded or copied sheets); the writer sets them through COM (api_log)
        self.settings: dict[str, Any] = {}

    def guard(self) -> None:
        """Refuse a change on a protected sheet, as Excel does (a COM error)."""
        if self.protected:
            raise RuntimeError(PROTECTED)

    # identity
    @property
    def api(self) -> Recorder:
        return Recorder(self.api_log, "Worksheet", native_answers(
            protected=("ProtectContents", "protect_contents", self.protected)))

    @property
    def name(self) -> str:
        return self._name

    @name.setter
    def name(self, value: str) -> None:
        if self._book.protect_structure:
            raise RuntimeError("Workbook is protected and cannot be changed.")
        if any(s is not self and s.name.lower() == value.lower() for s in self._book.sheet_list):
            raise ValueError(f"a sheet named {value!r} exists")
        self._name = value

    @property
    def book(self) -> Book:
        return self._book

    @property
    def index(self) -> int:
        return self._book.sheet_list.index(self) + 1

    @property
    def names(self) -> Names:
        return Names(self)

    @property
    def charts(self) -> Charts:
        return Charts(self)

    @property
    def page_setup(self) -> PageSetup:
        return PageSetup(self)

    @property
    def show_gridlines(self) -> bool:
        return self.gridlines

    @show_gridlines.setter
    def show_gridlines(self, value: bool) -> None:
        self.gridlines = bool(value)

    def range(self, arg1: Any, arg2: Any = None) -> Range:
        if isinstance(arg1, Range):
            first = arg1.areas[0]
        elif isinstance(arg1, tuple):
            first = (arg1[0], arg1[1], arg1[0], arg1[1])
        else:
            areas = parse_areas(arg1)
            if arg2 is None:
                return Range(self, areas)
            first = areas[0]
        if arg2 is None:
            return Range(self, [first])
        last = arg2.areas[0] if isinstance(arg2, Range) else (arg2[0], arg2[1], arg2[0], arg2[1])
        return Range(self, [(min(first[0], last[0]), min(first[1], last[1]), max(first[2], last[2]),
                             max(first[3], last[3]))])

    @property
    def cells(self) -> Range:
        return Range(self, [(1, 1, MAX_ROW, MAX_COL)])

    def activate(self) -> None:
        self._book.active_sheet = self
        self._book.activate()

    def select(self) -> None:
        self.activate()

    def clear(self) -> None:
        self.guard()
        for cell in self.cells_state.values():
            cell.value, cell.formula, cell.link, cell.note = None, None, None, None
            cell.clear_formats()
        self.cond_formats.clear()

    def clear_contents(self) -> None:
        self.guard()
        for cell in self.cells_state.values():
            cell.value, cell.formula = None, None

    def delete(self) -> None:
        self._book.sheet_list.remove(self)

    def copy(self, before: Sheet | None = None, after: Sheet | None = None) -> None:
        """Worksheet.Copy(Before, After) into the book of ``before``/``after`` (another workbook too): the whole
        sheet. Its name is kept when free there, else "name (2)". It does not return the copy (COM neither)."""
        target = (before or after)._book if (before or after) is not None else self._book  # type: ignore[union-attr]
        if target.protect_structure:
            raise RuntimeError("Workbook is protected and cannot be changed.")
        taken = {sheet.name.lower() for sheet in target.sheet_list}
        name, number = self._name, 2
        while name.lower() in taken:
            name, number = f"{self._name} ({number})", number + 1
        copy = Sheet(target, name)
        copy._take_cells(self)
        copy.chart_list = [deepcopy(chart) for chart in self.chart_list]  # a sheet's charts follow it
        copy.names_map = dict(self.names_map)
        copy.gridlines = self.gridlines
        copy.settings = deepcopy(self.settings)
        index = target.sheet_list.index(before) if before is not None else (
            target.sheet_list.index(after) + 1 if after is not None else len(target.sheet_list))
        target.sheet_list.insert(index, copy)
        target.active_sheet = copy
        target._app.active_book = target

    def _take_cells(self, source: Sheet) -> None:
        """Everything a copy of all cells carries: values, formats, notes, links, merges, sizes, rules."""
        self.cells_state = deepcopy(source.cells_state)
        self.merges = list(source.merges)
        self.col_widths = dict(source.col_widths)
        self.row_heights = dict(source.row_heights)
        self.cond_formats = deepcopy(source.cond_formats)

    # helpers for Range
    def cell(self, row: int, col: int) -> CellState:
        state = self.cells_state.get((row, col))
        if state is None:
            state = self.cells_state[(row, col)] = CellState()
        return state

    def column_left(self, col: int) -> float:
        return sum(self.col_widths.get(c, DEFAULT_WIDTH) * 7 for c in range(1, col))  # ~7 pt per width unit

    def row_top(self, row: int) -> float:
        return sum(self.row_heights.get(r, DEFAULT_HEIGHT) for r in range(1, row))

    def cells_at(self, left: float, top: float, width: float, height: float) -> tuple[Area, bool]:
        """Test view of where a chart is: the cells its rectangle (points) touches, and whether its edges lie on
        cell edges (it covers exactly those cells)."""
        def index(edge: Any, start: float) -> tuple[int, bool]:
            number = 1
            while edge(number + 1) <= start + 1e-6:
                number += 1
            return number, abs(edge(number) - start) < 1e-6
        first_col, on_left = index(self.column_left, left)
        first_row, on_top = index(self.row_top, top)
        last_col, on_right = index(self.column_left, left + width)
        last_row, on_bottom = index(self.row_top, top + height)
        if on_right:
            last_col -= 1
        if on_bottom:
            last_row -= 1
        return (first_row, first_col, last_row, last_col), on_left and on_top and on_right and on_bottom

    def page_breaks(self) -> tuple[int, ...]:
        """Test view: the rows above which the sheet has a manual page break — those a file brought, then the COM
        calls made since (``Worksheet.ResetAllPageBreaks()`` removes every manual break, ``HPageBreaks.Add(Before)``
        adds one above its range: Microsoft's Worksheet.ResetAllPageBreaks and HPageBreaks.Add)."""
        rows = set(self.settings.get("breaks", ()))
        for path, value in self.api_log:
            if path == "Worksheet.ResetAllPageBreaks()":
                rows.clear()
            elif path == "Worksheet.HPageBreaks.Add()":
                before = object.__getattribute__(value[0], "_path")
                rows.add(parse_area(re.fullmatch(r"Worksheet\.Range\('([^']+)'\)", before)[1])[0])  # type: ignore[index]
        return tuple(sorted(rows))

    def print_area(self) -> str | None:
        """Test view: the print area ("$A$1:$L$80"), set through COM or brought by a file."""
        for path, value in reversed(self.api_log):
            if path == "Worksheet.PageSetup.PrintArea":
                return value or None
        return self.settings.get("print_area")


class Names(Counted, B.Names):
    def __init__(self, sheet: Sheet) -> None:
        self.sheet = sheet

    def contains(self, name: str) -> bool:
        return name.split("!")[-1] in self.sheet.names_map

    def __call__(self, name_or_index: Any) -> Name:
        return Name(self.sheet, str(name_or_index).split("!")[-1])

    def add(self, name: str, refers_to: str) -> Name:
        self.sheet.guard()
        self.sheet.names_map[name] = refers_to  # Excel's Names.Add replaces a name of the same scope
        return Name(self.sheet, name)


class Name(Counted, B.Name):
    def __init__(self, sheet: Sheet, name: str) -> None:
        self.sheet = sheet
        self._name = name

    @property
    def name(self) -> str:
        return f"'{self.sheet.name}'!{self._name}"

    @property
    def refers_to(self) -> str:
        return self.sheet.names_map[self._name]

    def delete(self) -> None:
        del self.sheet.names_map[self._name]


class Range(Counted, B.Range):
    def __init__(self, sheet: Sheet, areas: list[Area]) -> None:
        self._sheet = sheet
        self.areas = areas
        self.options: dict[str, Any] = {}

    def _cells(self) -> list[tuple[int, int]]:
        out = []
        for top, left, bottom, right in self.areas:
            if (bottom - top + 1) * (right - left + 1) > 5_000_000:
                raise RuntimeError("whole-sheet cell loops are not supported by the memory engine")
            out += [(r, c) for r in range(top, bottom + 1) for c in range(left, right + 1)]
        return out

    def _states(self) -> list[CellState]:
        return [self._sheet.cell(r, c) for r, c in self._cells()]

    def _changed(self) -> list[CellState]:
        """The cells a property write changes (refused on a protected sheet)."""
        self._sheet.guard()
        return self._states()

    def _uniform(self, attribute: str) -> Any:
        values = {getattr(state, attribute) for state in self._states()}
        return values.pop() if len(values) == 1 else None

    @property
    def api(self) -> Recorder:
        return Recorder(self._sheet.api_log, f"Worksheet.Range({','.join(area_address(a, False) for a in self.areas)!r})",
                        native_answers(local=("FormulaLocal", "formula_local", Lazy(self._formula_local))))

    def _formula_local(self) -> Any:
        """Range.FormulaLocal: Range.Formula in the application's formula language (same shape)."""
        language = self._sheet.book.app.formula_language
        english = object.__getattribute__(self, "formula")
        if language is None:
            return english
        if isinstance(english, str):
            return language.to_local(english)
        return tuple(tuple(language.to_local(text) for text in row) for row in english)

    @property
    def sheet(self) -> Sheet:
        return self._sheet

    @property
    def coords(self) -> tuple[Any, ...]:
        top, left, bottom, right = self.areas[0]
        return (self._sheet.name, top, left, bottom - top + 1, right - left + 1)

    @property
    def row(self) -> int:
        return self.areas[0][0]

    @property
    def column(self) -> int:
        return self.areas[0][1]

    @property
    def shape(self) -> tuple[int, int]:
        top, left, bottom, right = self.areas[0]
        return bottom - top + 1, right - left + 1

    def __len__(self) -> int:
        rows, cols = self.shape
        return rows * cols

    def __call__(self, row: int, col: int) -> Range:
        top, left, _, _ = self.areas[0]
        return Range(self._sheet, [(top + row - 1, left + col - 1, top + row - 1, left + col - 1)])

    @property
    def address(self) -> str:
        return ",".join(area_address(a) for a in self.areas)

    def get_address(self, row_absolute: bool, col_absolute: bool, external: bool) -> str:
        return self.address

    # values and formulas
    @property
    def raw_value(self) -> Any:
        top, left, bottom, right = self.areas[0]
        rows = []
        for r in range(top, bottom + 1):
            row = []
            for c in range(left, right + 1):
                state = self._sheet.cells_state.get((r, c))
                row.append(None if state is None else state.value)
            rows.append(tuple(row))
        return tuple(rows)

    @raw_value.setter
    def raw_value(self, data: Any) -> None:
        self._write(data, as_formula=False)

    @property
    def formula(self) -> Any:
        # COM's Range.Formula: a string for one cell, a tuple of row tuples for several (a constant as its text)
        top, left, bottom, right = self.areas[0]

        def text(row: int, col: int) -> str:
            state = self._sheet.cells_state.get((row, col))
            if state is None or (state.formula is None and state.value is None):
                return ""
            return state.formula or str(state.value)
        if (top, left) == (bottom, right):
            return text(top, left)
        return tuple(tuple(text(r, c) for c in range(left, right + 1)) for r in range(top, bottom + 1))

    @formula.setter
    def formula(self, data: Any) -> None:
        self._write(data, as_formula=True)

    def _write(self, data: Any, as_formula: bool) -> None:
        self._sheet.guard()
        top, left, bottom, right = self.areas[0]
        for merged in self._sheet.merges:  # stricter than Excel may be: only a merged area's anchor, alone
            if _overlaps(merged, self.areas[0]) and (top, left, bottom, right) != merged[:2] * 2:
                raise RuntimeError("Cannot change part of a merged cell.")
        if not isinstance(data, list | tuple):
            data = [[data] * (right - left + 1) for _ in range(bottom - top + 1)]
        elif data and not isinstance(data[0], list | tuple):
            data = [data]
        for i, row in enumerate(data):
            for j, value in enumerate(row):
                state = self._sheet.cell(top + i, left + j)
                self._enter(state, value, as_formula)

    @staticmethod
    def _enter(state: CellState, value: Any, as_formula: bool) -> None:
        state.formula = None
        if value == "" or value is None:
            state.value = None
            return
        if isinstance(value, str):
            if as_formula and value.startswith("="):
                state.value, state.formula = None, value
                return
            parsed, formula, auto_format = typed(value)
            state.value, state.formula = parsed, formula
            if auto_format and state.number_format == GENERAL:
                state.number_format = auto_format
            return
        if isinstance(value, dt.date):
            state.value = value if isinstance(value, dt.datetime) else dt.datetime(value.year, value.month, value.day)
            if state.number_format == GENERAL:
                state.number_format = "m/d/yyyy"
            return
        if isinstance(value, bool):
            state.value = value
            return
        if isinstance(value, int | float):
            state.value = float(value)
            return
        raise TypeError(f"Excel cannot take a {type(value).__name__}: {value!r}")

    def clear(self) -> None:
        for state in self._changed():
            state.value, state.formula, state.link, state.note = None, None, None, None
            state.clear_formats()

    def copy(self, destination: Any = None) -> None:
        """Range.Copy(Destination) of all cells onto all cells of another sheet (what the writer copies)."""
        destination = getattr(destination, "impl", destination)  # xlwings hands over its own Range
        if destination is None or self.areas != [(1, 1, MAX_ROW, MAX_COL)] or destination.areas != self.areas:
            raise NotImplementedError("the memory engine copies all cells onto all cells only")
        target = destination._sheet
        target.guard()
        target._take_cells(self._sheet)
        source_book = self._sheet.book
        for chart in self._sheet.chart_list:  # shapes travel with the cells, still showing the source's cells
            moved = deepcopy(chart)
            moved.linked_to = None if source_book is target.book else source_book.name
            target.chart_list.append(moved)

    def clear_contents(self) -> None:
        for state in self._changed():
            state.value, state.formula = None, None

    # formats
    @property
    def number_format(self) -> Any:
        return self._uniform("number_format")

    @number_format.setter
    def number_format(self, value: str) -> None:
        for state in self._changed():
            state.number_format = value

    @property
    def font(self) -> Font:
        return Font(self)

    @property
    def color(self) -> Any:
        return self._uniform("fill")

    @color.setter
    def color(self, value: Any) -> None:
        for state in self._changed():
            state.fill = normalize_color(value)

    @property
    def horizontal_alignment(self) -> Any:
        return self._uniform("halign")

    @horizontal_alignment.setter
    def horizontal_alignment(self, value: str) -> None:
        for state in self._changed():
            state.halign = value

    @property
    def vertical_alignment(self) -> Any:
        return self._uniform("valign")

    @vertical_alignment.setter
    def vertical_alignment(self, value: str) -> None:
        for state in self._changed():
            state.valign = value

    @property
    def wrap_text(self) -> Any:
        return self._uniform("wrap")

    @wrap_text.setter
    def wrap_text(self, value: bool) -> None:
        for state in self._changed():
            state.wrap = value

    @property
    def borders(self) -> Borders:
        return Borders(self)

    # layout
    def merge(self, across: bool) -> None:
        self._sheet.guard()
        if self._sheet.book.app.display_alerts:
            raise RuntimeError("Excel asks before merging: xlwings turns display_alerts off")
        for area in self.areas:
            if any(_overlaps(area, m) for m in self._sheet.merges):
                raise RuntimeError(f"{area_address(area)} overlaps a merged area")
            self._sheet.merges.append(area)

    def unmerge(self) -> None:
        self._sheet.guard()
        self._sheet.merges = [m for m in self._sheet.merges if not any(_overlaps(m, a) for a in self.areas)]

    @property
    def column_width(self) -> Any:
        widths = {self._sheet.col_widths.get(c, DEFAULT_WIDTH) for a in self.areas for c in range(a[1], a[3] + 1)}
        return widths.pop() if len(widths) == 1 else None

    @column_width.setter
    def column_width(self, value: float) -> None:
        self._sheet.guard()
        for _, left, _, right in self.areas:
            if (left, right) == (1, MAX_COL):
                self._sheet.col_widths.clear()
                if value != DEFAULT_WIDTH:
                    raise NotImplementedError("only the standard width can be set for every column")
                continue
            for col in range(left, right + 1):
                self._sheet.col_widths[col] = value

    @property
    def row_height(self) -> Any:
        heights = {self._sheet.row_heights.get(r, DEFAULT_HEIGHT) for a in self.areas for r in range(a[0], a[2] + 1)}
        return heights.pop() if len(heights) == 1 else None

    @row_height.setter
    def row_height(self, value: float) -> None:
        self._sheet.guard()
        for top, _, bottom, _ in self.areas:
            for row in range(top, bottom + 1):
                self._sheet.row_heights[row] = value

    def autofit(self, axis: str | None = None) -> None:
        for top, _, bottom, _ in self.areas:
            if (top, bottom) == (1, MAX_ROW):
                self._sheet.row_heights.clear()
            else:
                for row in range(top, bottom + 1):
                    self._sheet.row_heights.pop(row, None)

    @property
    def top(self) -> float:
        return self._sheet.row_top(self.areas[0][0])

    @property
    def left(self) -> float:
        return self._sheet.column_left(self.areas[0][1])

    # Range.Width / Range.Height in points (_xlwindows Range.width/height: self.xl.Width/Height; _xlmac: width/height)
    @property
    def width(self) -> float:
        _, left, _, right = self.areas[0]
        return self._sheet.column_left(right + 1) - self._sheet.column_left(left)

    @property
    def height(self) -> float:
        top, _, bottom, _ = self.areas[0]
        return self._sheet.row_top(bottom + 1) - self._sheet.row_top(top)

    def select(self) -> None:
        if self._sheet.book.active_sheet is not self._sheet:
            raise RuntimeError("Select method of Range class failed: the sheet is not active")
        self._sheet.active_cell = (self.areas[0][0], self.areas[0][1])

    # links, notes, rules
    def add_hyperlink(self, address: str, text_to_display: str, screen_tip: str) -> None:
        self._sheet.guard()
        state = self._sheet.cell(self.areas[0][0], self.areas[0][1])
        state.link = (address, text_to_display, screen_tip)
        state.value, state.formula = text_to_display, None

    @property
    def note(self) -> Note | None:
        state = self._sheet.cells_state.get((self.areas[0][0], self.areas[0][1]))
        return None if state is None or state.note is None else Note(state)

    def add_note(self, text: str) -> Note:
        self._sheet.guard()
        state = self._sheet.cell(self.areas[0][0], self.areas[0][1])
        state.note = text
        return Note(state)

    @property
    def conditional_formats(self) -> ConditionalFormats:
        return ConditionalFormats(self)


class _BulkSet:
    """``impl.set(**values)`` as the engines implement it: each supplied (not ``_UNSET``) value in turn."""

    def set(self, **values: Any) -> None:
        for attribute, value in values.items():
            if value is not B._UNSET:
                setattr(self, attribute, value)


def _moved(formula: str, rows: int, cols: int) -> str:
    """Relative A1 references of ``formula`` moved by rows/cols, wrapping at the sheet's edges (Excel keeps a relative
    reference as an offset modulo the grid); text in quotes and names followed by "(" untouched. Written apart from
    the writer's own ``shift_references`` so that a mistake there is not repeated here."""
    pieces = formula.split('"')
    for index in range(0, len(pieces), 2):  # outside quotes
        def move(m: re.Match[str]) -> str:
            col, row = col_number(m[2]), int(m[4])
            if col > MAX_COL or row > MAX_ROW or row < 1:
                return m[0]
            if not m[1]:
                col = (col - 1 + cols) % MAX_COL + 1
            if not m[3]:
                row = (row - 1 + rows) % MAX_ROW + 1
            return f"{m[1]}{col_letters(col)}{m[3]}{row}"
        pieces[index] = re.sub(r"(?<![\w.$])(\$?)([A-Z]{1,3})(\$?)(\d+)(?![\w(\[.])", move, pieces[index])
    return '"'.join(pieces)


def _overlaps(a: Area, b: Area) -> bool:
    return not (a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1])


class Font(Counted, _BulkSet, B.Font):
    def __init__(self, rng: Range) -> None:
        self.rng = rng

    @property
    def api(self) -> Any:
        return self.rng.api.Font

    def _set(self, attribute: str, value: Any) -> None:
        for state in self.rng._changed():
            setattr(state, attribute, value)

    @property
    def bold(self) -> Any:
        return self.rng._uniform("bold")

    @bold.setter
    def bold(self, value: bool) -> None:
        self._set("bold", value)

    @property
    def italic(self) -> Any:
        return self.rng._uniform("italic")

    @italic.setter
    def italic(self, value: bool) -> None:
        self._set("italic", value)

    @property
    def size(self) -> Any:
        return self.rng._uniform("size")

    @size.setter
    def size(self, value: float) -> None:
        self._set("size", value)

    @property
    def color(self) -> Any:
        return self.rng._uniform("font_color")

    @color.setter
    def color(self, value: Any) -> None:
        self._set("font_color", normalize_color(value))

    @property
    def name(self) -> Any:
        return self.rng._uniform("font_name")

    @name.setter
    def name(self, value: str) -> None:
        self._set("font_name", value)


class Borders(Counted, B.Borders):
    def __init__(self, rng: Range) -> None:
        self.rng = rng

    def set(self, which: list[str], *, line_style: Any = B._UNSET, weight: Any = B._UNSET,
            color: Any = B._UNSET) -> None:
        self.rng._sheet.guard()
        for area in self.rng.areas:
            top, left, bottom, right = area
            for side in which:
                if side == "inside_vertical" and left == right or side == "inside_horizontal" and top == bottom:
                    raise RuntimeError(f"Unable to set the {side} border of the one-line area {area_address(area)}")
            for r in range(top, bottom + 1):
                for c in range(left, right + 1):
                    state = self.rng._sheet.cell(r, c)
                    for side in which:
                        cell_side = {"edge_left": "left" if c == left else None,
                                     "edge_right": "right" if c == right else None,
                                     "edge_top": "top" if r == top else None,
                                     "edge_bottom": "bottom" if r == bottom else None,
                                     "inside_vertical": "right" if c < right else None,
                                     "inside_horizontal": "bottom" if r < bottom else None}.get(side)
                        if cell_side is None:
                            continue
                        old = state.borders.get(cell_side, (None, None, None))
                        state.borders[cell_side] = (
                            old[0] if line_style is B._UNSET else line_style,
                            old[1] if weight is B._UNSET else weight,
                            old[2] if color is B._UNSET else normalize_color(color),
                        )
                        # Excel shares a border between neighbours: the inside line is the neighbour's edge too
                        if side == "inside_vertical":
                            state_next = self.rng._sheet.cell(r, c + 1)
                            state_next.borders["left"] = state.borders["right"]
                        if side == "inside_horizontal":
                            state_next = self.rng._sheet.cell(r + 1, c)
                            state_next.borders["top"] = state.borders["bottom"]


class Note(Counted, B.Note):
    def __init__(self, state: CellState) -> None:
        self.state = state

    @property
    def text(self) -> str | None:
        return self.state.note


class ConditionalFormats(Counted, B.ConditionalFormats):
    def __init__(self, rng: Range) -> None:
        self.rng = rng

    def add_custom(self, spec: dict[str, Any]) -> ConditionalFormat:
        sheet = self.rng._sheet
        sheet.guard()
        # Excel reads the relative references of a new rule from the active cell (FormatConditions.Add, called by
        # _xlwindows ConditionalFormats.add_custom) and stores them relative to the top-left cell of the rule's
        # range, as the file format (and openpyxl, the headless writer) has them: moved here the same way.
        active = sheet.active_cell if sheet.book.active_sheet is sheet else (1, 1)
        top, left = self.rng.areas[0][:2]
        language = sheet.book.app.formula_language  # Formula1 is read in the user's formula language
        typed_formula = spec["formula"] if language is None else language.from_local(spec["formula"])
        formula = _moved(typed_formula, top - active[0], left - active[1])
        rule = CondFormatState(list(self.rng.areas), formula, normalize_color(spec.get("fill_color")),
                               normalize_color(spec.get("font_color")), spec.get("font_bold"),
                               spec.get("font_italic"), bool(spec.get("stop_if_true")),
                               sheet.active_cell if sheet.book.active_sheet is sheet else None)
        sheet.cond_formats.insert(0, rule)  # SetFirstPriority
        return ConditionalFormat(rule)

    def clear(self) -> None:
        sheet = self.rng._sheet
        sheet.guard()
        if self.rng.areas == [(1, 1, MAX_ROW, MAX_COL)]:
            sheet.cond_formats.clear()
            return
        sheet.cond_formats = [r for r in sheet.cond_formats
                              if not any(_overlaps(a, b) for a in r.areas for b in self.rng.areas)]


class ConditionalFormat(Counted, B.ConditionalFormat):
    def __init__(self, state: CondFormatState) -> None:
        self.state = state


class Charts(Counted, B.Charts):
    def __init__(self, sheet: Sheet) -> None:
        self.sheet = sheet

    @property
    def parent(self) -> Sheet:
        return self.sheet

    def __call__(self, key: Any) -> Chart:
        if isinstance(key, int):
            return Chart(self.sheet, self.sheet.chart_list[key - 1])
        for chart in self.sheet.chart_list:
            if chart.name == key:
                return Chart(self.sheet, chart)
        raise KeyError(key)

    def __len__(self) -> int:
        return len(self.sheet.chart_list)

    def __iter__(self) -> Any:
        return iter([Chart(self.sheet, c) for c in self.sheet.chart_list])

    def __contains__(self, key: Any) -> bool:
        return any(c.name == key for c in self.sheet.chart_list)

    def add(self, left: float, top: float, width: float, height: float, chart_type: Any = None, source: Any = None,
            plot_by: Any = None, name: Any = None, anchor: Any = None, style: Any = 227) -> Chart:
        self.sheet.guard()
        if anchor is not None:
            top, left = anchor.top, anchor.left  # as _xlwindows: anchor is an xlwings Range
        state = ChartState(name or f"Chart {len(self.sheet.chart_list) + 1}", left, top, width, height,
                           anchor=anchor.impl.areas[0] if anchor is not None
                           else self.sheet.cells_at(left, top, 0, 0)[0][:2] * 2)
        self.sheet.chart_list.append(state)
        chart = Chart(self.sheet, state)
        if source is not None:
            chart.set_source_data(source, plot_by)
        if chart_type is not None:
            state.chart_type = chart_type
        state.style = style
        return chart


class Chart(Counted, B.Chart):
    def __init__(self, sheet: Sheet, state: ChartState) -> None:
        self.sheet = sheet
        self.state = state

    @property
    def name(self) -> str:
        return self.state.name

    @property
    def chart_type(self) -> Any:
        return self.state.chart_type

    @chart_type.setter
    def chart_type(self, value: str) -> None:
        self.state.chart_type = value

    @property
    def title(self) -> Any:
        return self.state.title

    @title.setter
    def title(self, value: Any) -> None:
        self.state.title = value

    def set_source_data(self, rng: Range, plot_by: Any = None) -> None:
        self.state.source = list(rng.areas)
        self.state.plot_by = plot_by
        if plot_by != "columns":
            raise NotImplementedError("the memory engine models plot_by='columns' only")
        self.state.series = []
        for area in rng.areas:
            top, left, bottom, right = area
            for col in range(left, right + 1):
                self.state.series.append({"values": (top, col, bottom, col), "name": None, "x": None})

    def set_x_axis_values(self, rng: Range) -> None:
        for series in self.state.series:
            series["x"] = rng.areas[0]

    @property
    def series(self) -> ChartSeriesCollection:
        return ChartSeriesCollection(self)

    @property
    def legend(self) -> ChartLegend:
        return ChartLegend(self.state)

    @property
    def value_axis(self) -> ChartAxis:
        return ChartAxis(self.state, "value")

    @property
    def category_axis(self) -> ChartAxis:
        return ChartAxis(self.state, "category")

    def delete(self) -> None:
        self.sheet.guard()
        self.sheet.chart_list.remove(self.state)


class ChartSeriesCollection(Counted, B.ChartSeriesCollection):
    def __init__(self, chart: Chart) -> None:
        self.chart = chart

    def __call__(self, key: Any) -> ChartSeries:
        return ChartSeries(self.chart.state.series[key - 1])

    def __len__(self) -> int:
        return len(self.chart.state.series)

    def __iter__(self) -> Any:
        return iter([ChartSeries(s) for s in self.chart.state.series])


class ChartSeries(Counted, _BulkSet, B.ChartSeries):
    def __init__(self, state: dict[str, Any]) -> None:
        self.state = state

    @property
    def name(self) -> Any:
        return self.state["name"]

    @name.setter
    def name(self, value: str) -> None:
        self.state["name"] = value

    @property
    def fill_color(self) -> Any:
        return self.state.get("fill")

    @fill_color.setter
    def fill_color(self, value: Any) -> None:
        self.state["fill"] = normalize_color(value)

    @property
    def line_color(self) -> Any:
        return self.state.get("line")

    @line_color.setter
    def line_color(self, value: Any) -> None:
        self.state["line"] = normalize_color(value)


class ChartLegend(Counted, B.ChartLegend):
    def __init__(self, state: ChartState) -> None:
        self.state = state

    @property
    def position(self) -> Any:
        return self.state.legend_position

    @position.setter
    def position(self, value: str) -> None:
        self.state.legend_position = value


class ChartAxis(Counted, _BulkSet, B.ChartAxis):
    def __init__(self, state: ChartState, which: str) -> None:
        self.state = state
        self.which = which

    def _axis(self) -> dict[str, Any]:
        return self.state.axes.setdefault(self.which, {})

    @property
    def title(self) -> Any:
        return self._axis().get("title")

    @title.setter
    def title(self, value: Any) -> None:
        self._axis()["title"] = value

    @property
    def number_format(self) -> Any:
        return self._axis().get("number_format")

    @number_format.setter
    def number_format(self, value: str) -> None:
        self._axis()["number_format"] = value

    # _xlwindows ChartAxis.reverse_order: Axis.ReversePlotOrder; _xlmac: reverse_plot_order (xlwings 0.37.6+)
    @property
    def reverse_order(self) -> bool:
        return bool(self._axis().get("reverse_order"))

    @reverse_order.setter
    def reverse_order(self, value: bool) -> None:
        self._axis()["reverse_order"] = value

    @property
    def api(self) -> Recorder:
        """_xlwindows ChartAxis.api: the COM ``Axis`` (``Chart.Axes(type, group)``), recorded on the chart."""
        return Recorder(self.state.api_log, f"Axes({self.which})")


class PageSetup(Counted, B.PageSetup):
    """A sheet's ``PageSetup`` (_xlwindows ``Sheet.page_setup``: ``PageSetup(self.xl.PageSetup)``)."""

    def __init__(self, sheet: Sheet) -> None:
        self.sheet = sheet

    @property
    def api(self) -> Recorder:
        return Recorder(self.sheet.api_log, "Worksheet.PageSetup")

    @property
    def print_area(self) -> str | None:
        return self.sheet.print_area()

    @print_area.setter
    def print_area(self, value: str | None) -> None:
        # _xlwindows PageSetup.print_area: ``self.xl.PrintArea = value`` — the same COM property set as the writer's
        # other page setup, recorded in the sheet's log ("" or None: the whole sheet, no print area)
        self.sheet.api_log.append(("Worksheet.PageSetup.PrintArea", value or ""))


# --------------------------------------------------------------------------------------------------------------
# a workbook file opened in the stand-in

def _rgb(color: Any) -> str | None:
    rgb = getattr(color, "rgb", None)
    return rgb[-6:].upper() if isinstance(rgb, str) else None


def _area_of(reference: str) -> Area:
    """An area from a chart or name reference of the same sheet: "'Sheet'!$B$5:$B$8" -> (5, 2, 8, 2)."""
    return parse_area(reference.rpartition("!")[2].replace("$", ""))


def load_xlsx(book: Book, path: str) -> None:
    """Fill ``book`` with the sheets of the .xlsx at ``path``, as Excel shows them after opening it."""
    from openpyxl import load_workbook

    workbook = load_workbook(path)
    for ws in workbook.worksheets:
        sheet = Sheet(book, ws.title)
        book.sheet_list.append(sheet)
        for row in ws.iter_rows():
            for cell in row:
                state = _loaded_cell(cell)
                if state != CellState():
                    sheet.cells_state[(cell.row, cell.column)] = state
        sheet.merges = [parse_area(str(merged)) for merged in ws.merged_cells.ranges]
        for dim in ws.column_dimensions.values():
            if dim.width and dim.customWidth:
                for col in range(dim.min, dim.max + 1):
                    sheet.col_widths[col] = dim.width
        sheet.row_heights = {r: d.height for r, d in ws.row_dimensions.items() if d.height is not None}
        rules = []
        for formatting in ws.conditional_formatting:
            for rule in formatting.rules:
                dxf = rule.dxf
                rules.append((rule.priority, CondFormatState(
                    parse_areas(str(formatting.sqref).replace(" ", ",")), "=" + rule.formula[0],
                    dxf.fill.fgColor.rgb[-6:] if dxf and dxf.fill and dxf.fill.fgColor.rgb else None,
                    _rgb(dxf.font.color) if dxf and dxf.font else None,
                    bool(dxf.font.b) if dxf and dxf.font else None, None, bool(rule.stopIfTrue), None)))
        sheet.cond_formats = [rule for _, rule in sorted(rules, key=lambda item: item[0])]
        for number, chart in enumerate(ws._charts, start=1):
            sheet.chart_list.append(_loaded_chart(chart, number))
        sheet.names_map = {name: "=" + (defined.attr_text or "") for name, defined in ws.defined_names.items()
                           if not name.startswith("_xlnm")}
        sheet.gridlines = ws.sheet_view.showGridLines is not False
        setup = ws.page_setup
        fit = ws.sheet_properties.pageSetUpPr is not None and ws.sheet_properties.pageSetUpPr.fitToPage
        sheet.settings = {
            "freeze": ws.freeze_panes,
            "zoom": ws.sheet_view.zoomScale,
            "tab": ws.sheet_properties.tabColor.rgb[-6:] if ws.sheet_properties.tabColor else None,
            "autofilter": ws.auto_filter.ref,
            "page": ({"landscape": "landscape", "portrait": "portrait"}.get(setup.orientation or ""),
                     int(setup.paperSize) if setup.paperSize else None, setup.fitToWidth if fit else None,
                     (ws.print_title_rows or "").replace("$", "") or None,
                     (ws.print_title_cols or "").replace("$", "") or None, ws.oddFooter.center.text),
            "scale": None if fit else setup.scale,
            "print_area": ws.print_area.rpartition("!")[2] if ws.print_area else None,
            "breaks": tuple(brk.id + 1 for brk in ws.row_breaks.brk),  # a break after row id: above row id + 1
        }
    if book.sheet_list:
        book.active_sheet = book.sheet_list[0]


def _loaded_cell(cell: Any) -> CellState:
    font, alignment = cell.font, cell.alignment
    borders = {}
    for side_name in ("left", "right", "top", "bottom"):
        side = getattr(cell.border, side_name)
        if side is not None and side.style:
            borders[side_name] = ("continuous", side.style, _rgb(side.color))
    link = None
    if cell.hyperlink is not None:
        address = cell.hyperlink.target or "#" + (cell.hyperlink.location or "")
        link = (address, str(cell.value or ""), cell.hyperlink.tooltip or "")
    value, formula = (None, cell.value) if cell.data_type == "f" else (cell.value, None)
    if isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        value = dt.datetime(value.year, value.month, value.day)
    return CellState(
        value=value, formula=formula, number_format=cell.number_format or GENERAL, bold=bool(font.b),
        italic=bool(font.i), size=font.sz if font.sz not in (None, 11) else None, font_color=_rgb(font.color),
        fill=cell.fill.fgColor.rgb[-6:].upper() if cell.fill.fill_type == "solid" else None,
        halign=alignment.horizontal or "general", valign=alignment.vertical or "bottom",
        wrap=bool(alignment.wrap_text), indent=int(alignment.indent or 0), borders=borders, link=link,
        note=cell.comment.text if cell.comment else None, underline=font.u == "single", font_name=font.name)


def _loaded_chart(chart: Any, number: int) -> ChartState:
    kind = "line" if type(chart).__name__ == "LineChart" else {"col": "column_clustered", "bar": "bar_clustered"}[
        chart.type]
    series = []
    for serie in chart.series:
        props = serie.graphicalProperties
        color = None
        if props is not None:
            fill = props.line.solidFill if kind == "line" and props.line is not None else props.solidFill
            color = getattr(fill, "srgbClr", None) if fill is not None else None
        categories = serie.cat.numRef.f if serie.cat.numRef is not None else serie.cat.strRef.f
        series.append({"values": _area_of(serie.val.numRef.f), "name": serie.tx.v, "x": _area_of(categories),
                       "line" if kind == "line" else "fill": color})
    frm = chart.anchor._from
    title = "".join(run.t for p in chart.title.tx.rich.p for run in (p.r or []))
    axes: dict[str, dict[str, Any]] = {"value": {}, "category": {}}
    category = chart.x_axis
    if category.scaling is not None and category.scaling.orientation == "maxMin":
        axes["category"]["reverse_order"] = True
    if category.txPr is not None and category.txPr.bodyPr is not None and category.txPr.bodyPr.rot:
        axes["category"]["label_angle"] = -category.txPr.bodyPr.rot // 60000  # DrawingML turns clockwise
    if category.tickLblSkip:
        axes["category"]["label_step"] = category.tickLblSkip
    cells = None  # over exactly these cells: a two-cell anchor from a cell's corner to a cell's corner
    to = getattr(chart.anchor, "to", None)
    if to is not None and not (frm.rowOff or frm.colOff or to.rowOff or to.colOff):
        cells = (frm.row + 1, frm.col + 1, to.row, to.col)
    if chart.y_axis.title:
        axes["value"]["title"] = "".join(run.t for p in chart.y_axis.title.tx.rich.p for run in (p.r or []))
    for which, axis in (("value", chart.y_axis), ("category", chart.x_axis)):
        code = getattr(axis.number_format, "formatCode", None)
        if code:
            axes[which]["number_format"] = code
    state = ChartState(f"Chart {number}", 0.0, 0.0, 0.0, 0.0, chart_type=kind, series=series, title=title,
                       axes=axes, anchor=(frm.row + 1, frm.col + 1, frm.row + 1, frm.col + 1), cells=cells)
    state.source = [s["values"] for s in series]
    state.plot_by = "columns"
    return state


# --------------------------------------------------------------------------------------------------------------
# the VBA object model (VBIDE) of a workbook

VBA_NOT_TRUSTED = "Programmatic access to Visual Basic Project is not trusted"  # Excel's message (error 1004)
_PROCEDURE = re.compile(r"^\s*(?:(?:Public|Private|Friend)\s+)?(?:Static\s+)?(?:Sub|Function|Property)\s", re.I)


class CodeModule:
    """A module's code as the VBA editor shows it (no ``Attribute`` lines), 1-based lines."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines

    @property
    def CountOfLines(self) -> int:  # noqa: N802 (COM names)
        return len(self.lines)

    def Lines(self, start: int, count: int) -> str:  # noqa: N802
        return "\r\n".join(self.lines[start - 1:start - 1 + count])

    def DeleteLines(self, start: int, count: int = 1) -> None:  # noqa: N802
        if start < 1 or start - 1 + count > len(self.lines):
            raise RuntimeError("Invalid procedure call or argument")
        del self.lines[start - 1:start - 1 + count]

    def InsertLines(self, line: int, code: str) -> None:  # noqa: N802
        self.lines[line - 1:line - 1] = code.splitlines()

    def AddFromString(self, code: str) -> None:  # noqa: N802
        """"Inserts the text starting on the line preceding the first procedure in the module. If the module doesn't
        contain procedures, AddFromString places the text at the end of the module." (Microsoft's reference)"""
        first = next((i for i, line in enumerate(self.lines) if _PROCEDURE.match(line)), len(self.lines))
        self.lines[first:first] = code.splitlines()


class VBComponent:
    def __init__(self, name: str, lines: list[str]) -> None:
        self.Name = name
        self.CodeModule = CodeModule(lines)


class VBComponents:
    def __init__(self, project: VBAProject) -> None:
        self.project = project

    def __call__(self, name: str) -> VBComponent:
        for component in self.project.components:
            if component.Name.lower() == str(name).lower():
                return component
        raise RuntimeError("Subscript out of range")  # COM error 9

    Item = __call__

    @property
    def Count(self) -> int:  # noqa: N802
        return len(self.project.components)

    def Remove(self, component: VBComponent) -> None:  # noqa: N802
        self.project.components.remove(component)

    def Import(self, path: str) -> VBComponent:  # noqa: N802
        """A .bas file: its ``Attribute VB_Name`` names the module (a taken name gets a number, as in Excel)."""
        text = Path(path).read_text(encoding="utf-8")
        name = re.search(r'^Attribute VB_Name = "([^"]+)"', text, re.M)
        base = name[1] if name else "Module1"
        taken = {c.Name.lower() for c in self.project.components}
        final, number = base, 1
        while final.lower() in taken:
            final, number = f"{base}{number}", number + 1
        component = VBComponent(final, _code_lines(text))
        self.project.components.append(component)
        return component


@dataclass
class VBAProject:
    """``Workbook.VBProject``: its name and modules."""

    Name: str
    _modules: dict[str, list[str]]
    components: list[VBComponent] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.components = [VBComponent(name, lines) for name, lines in self._modules.items()]

    @property
    def VBComponents(self) -> VBComponents:  # noqa: N802
        return VBComponents(self)

    def modules(self) -> dict[str, str]:
        """Module name -> code (test view)."""
        return {c.Name: "\r\n".join(c.CodeModule.lines) for c in self.components}

    def copy(self) -> VBAProject:
        return VBAProject(self.Name, {c.Name: list(c.CodeModule.lines) for c in self.components})

    @classmethod
    def from_file(cls, path: str) -> VBAProject | None:
        """The VBA project of an Office file, read with oletools' olevba (the project name from its PROJECT stream)."""
        from oletools.olevba import VBA_Parser

        parser = VBA_Parser(path)
        try:
            if not parser.detect_vba_macros():
                return None
            modules = {name.rsplit(".", 1)[0]: _code_lines(code if isinstance(code, str) else code.decode())
                       for _, _, name, code in parser.extract_macros()}
        finally:
            parser.close()
        project = re.search(r'^Name="([^"]*)"', _project_stream(path), re.M)
        return cls(project[1] if project else "VBAProject", modules)


def _code_lines(source: str) -> list[str]:
    """Module source as the code pane shows it: without ``Attribute`` lines, without trailing blank lines."""
    lines = [line for line in source.splitlines() if not line.startswith("Attribute ")]
    while lines and not lines[-1].strip():
        lines.pop()
    return lines


def _project_stream(path: str) -> str:
    import io
    import zipfile

    import olefile

    with zipfile.ZipFile(path) as package, olefile.OleFileIO(io.BytesIO(package.read("xl/vbaProject.bin"))) as ole:
        return ole.openstream("PROJECT").read().decode("latin-1")


def new_book(name: str = "plan.xlsx", fullname: str | None = None, sheet_names: tuple[str, ...] = ("Sheet1",)) -> Any:
    """An ``xw.Book`` over a fresh in-memory workbook."""
    import xlwings as xw

    app = App()
    return xw.Book(impl=Book(app, name, fullname, sheet_names))
