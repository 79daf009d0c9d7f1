"""Small, safe reads of an .xlsx package's XML parts (nothing is inflated past the guard's limits).

What python-calamine does not tell: defined names, the 1904 date system, the part path of each sheet, workbook
protection — and, from a streaming byte-level scan of every sheet part (:func:`scan_package`), the extent of the
cells (before a reader builds that rectangle in memory), error cells, formulas saved without a calculated value,
which cells hold formulas and the values cached for them. The workbook part is read with expat, which refuses
any DOCTYPE before reading it (no entity is ever declared, so none expands, and nothing external is fetched).
The sheet scan never hands sheet XML to an XML parser: it reads the part in chunks cut at row boundaries and
matches cell elements, and a sheet part that starts with a DOCTYPE is refused as a whole.

A package up to ``IN_MEMORY`` bytes is read with one system call; its parts are sliced from those bytes, and the
reader hands calamine the very bytes that were scanned.
"""

from __future__ import annotations

import io
import os
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from ..core.model import CellNote, SecurityNote
from ..core.security import HINT_WORDS
from .guard import data_start, doctype_kind

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"

_REF = re.compile(r"^(?:'((?:[^']|'')+)'|([^!]+))!\$?([A-Z]{1,3})\$?(\d+)$")


def column_index(letters: str) -> int:
    """A → 1, AA → 27."""
    index = 0
    for char in letters:
        index = index * 26 + (ord(char) - 64)
    return index


@dataclass
class WorkbookXml:
    """Facts from xl/workbook.xml and its relationships."""

    date1904: bool = False
    sheet_parts: dict[str, str] = field(default_factory=dict)  # sheet name -> zip path of its XML
    defined_names: dict[str, str] = field(default_factory=dict)  # name -> formula text ("'Sheet'!$B$3")
    protected: bool = False  # workbook structure locked with a password
    sheet_states: dict[str, str] = field(default_factory=dict)  # sheet name -> "hidden" / "veryHidden"
    auto_names: list[tuple[str, str]] = field(default_factory=list)  # Auto_Open … names (XLM macros run by them)
    active_names: list[tuple[str, str]] = field(default_factory=list)  # names whose formula may run or reach out

    def name_cell(self, name: str) -> tuple[str, int, int] | None:
        """(sheet, row, col) of a defined name that points at one cell."""
        text = self.defined_names.get(name)
        if not text:
            return None
        m = _REF.match(text.strip())
        if not m:
            return None
        sheet = (m[1] or "").replace("''", "'") or m[2]
        return sheet, int(m[4]), column_index(m[3])


def member_bytes(archive: zipfile.ZipFile, name: str, data: bytes | None = None) -> bytes:
    """A part's bytes, inflated straight from the archive's file (this runs on every file checked: zipfile's
    per-member stream objects cost more than inflating a small part). Anything unusual — encrypted, another
    compression, a size that does not match — goes through ``ZipFile.read``, which raises what is wrong."""
    info = archive.getinfo(name)
    handle = archive.fp
    if handle is None or info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED,
                                                                                zipfile.ZIP_DEFLATED):
        return archive.read(info)
    try:
        if data is not None:  # the package's bytes, in memory: slice them
            start = data_start(data, info)
            if start is None:
                return archive.read(info)
            raw = data[start:start + info.compress_size]
        else:
            handle.seek(info.header_offset)
            local = handle.read(30)
            if len(local) < 30 or local[:4] != b"PK\x03\x04":
                return archive.read(info)
            name_length, extra_length = struct.unpack("<HH", local[26:30])
            handle.seek(info.header_offset + 30 + name_length + extra_length)
            raw = handle.read(info.compress_size)
        inflated = raw if info.compress_type == zipfile.ZIP_STORED else zlib.decompress(raw, -15,
                                                                                       info.file_size or 1)
    except (zlib.error, OSError, ValueError):
        return archive.read(info)
    return inflated if len(inflated) == info.file_size else archive.read(info)


class _Refused(ValueError):
    """A part declares a DOCTYPE: never parsed (Office does not write one; it is how entity tricks start)."""


def _parse(data: bytes, start: Callable[[str, dict[str, str]], None],
           text: Callable[[str], None] | None = None, end: Callable[[str], None] | None = None) -> None:
    """Run expat over ``data`` with namespace-qualified names (``namespace}local``). A DOCTYPE is refused before
    anything in it is read: no entity is ever declared, so none can expand, and nothing external is fetched."""
    import pyexpat

    def refuse(*_: object) -> None:
        raise _Refused("DOCTYPE")

    parser = pyexpat.ParserCreate(namespace_separator="}")
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.StartElementHandler = start
    if text is not None:
        parser.CharacterDataHandler = text
    if end is not None:
        parser.EndElementHandler = end
    parser.Parse(data, True)


# A formula that may run something or reach out names one of these functions (Excel writes no space before the
# parenthesis: a space there is the intersection operator) or holds DDE's "|"; the SEC rules judge it
# (``core.security.formula_hits``). Looked for in the formulas' text only, upper-cased: plain substring searches.
_HINTS = tuple(word.encode("ascii") + b"(" for word in HINT_WORDS) + (b"|",)
_AUTO_NAME = re.compile(r"(?i)^(?:_xlnm\.)?auto_(?:open|close|activate|deactivate)")


def _active_text(text: bytes) -> bool:
    """Whether formula text (one or many, upper-cased here) names a function that may run or reach out."""
    if b"(" not in text and b"|" not in text:  # a reference, a constant: most defined names
        return False
    upper = text.upper()
    return any(hint in upper for hint in _HINTS)


_SHEET, _DEFINED_NAME = f"{NS_MAIN}}}sheet", f"{NS_MAIN}}}definedName"
_WORKBOOK_PR, _PROTECTION = f"{NS_MAIN}}}workbookPr", f"{NS_MAIN}}}workbookProtection"
_RELATIONSHIP, _REL_ID = f"{NS_PKG_REL}}}Relationship", f"{NS_REL}}}id"


def read_workbook_xml(path: str, archive: zipfile.ZipFile | None = None, data: bytes | None = None) -> WorkbookXml:
    """Parse the workbook part and its relationships; an unreadable part gives an empty result (the reader
    reports the file). ``data``: the package's bytes when ``archive`` was opened on them."""
    out = WorkbookXml()
    if archive is None:
        try:
            with zipfile.ZipFile(path) as opened:
                return read_workbook_xml(path, opened)
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
            return out
    targets: dict[str, str] = {}
    sheets: list[tuple[str, str]] = []
    pending: list[str] = []  # the global defined name being read, and its text pieces

    def relationship(name: str, attrs: dict[str, str]) -> None:
        if name == _RELATIONSHIP:
            target = attrs.get("Target", "")
            targets[attrs.get("Id", "")] = target.lstrip("/") if target.startswith("/") else "xl/" + target

    def element(name: str, attrs: dict[str, str]) -> None:
        if name == _SHEET:
            if attrs.get("name") and _REL_ID in attrs:
                sheets.append((attrs["name"], attrs[_REL_ID]))
                if attrs.get("state", "visible") != "visible":
                    out.sheet_states[attrs["name"]] = attrs["state"]
        elif name == _DEFINED_NAME:
            if attrs.get("name"):
                pending[:] = [attrs["name"], "local" if attrs.get("localSheetId") is not None else ""]
        elif name == _WORKBOOK_PR:
            out.date1904 = attrs.get("date1904") in ("1", "true")
        elif name == _PROTECTION:
            out.protected = attrs.get("lockStructure") in ("1", "true") or any(
                "password" in key.lower() or "hashvalue" in key.lower() for key in attrs)

    def text(piece: str) -> None:
        if pending:
            pending.append(piece)

    def element_end(name: str) -> None:
        if name == _DEFINED_NAME and pending:
            defined, local, value = pending[0], pending[1], "".join(pending[2:])
            if value and not local:
                out.defined_names[defined] = value
            if "uto_" in defined and _AUTO_NAME.match(defined):
                out.auto_names.append((defined, value))
            if ("(" in value or "|" in value) and _active_text(value.encode("utf-8", "replace")):
                out.active_names.append((defined, value))
            pending.clear()

    try:
        _parse(member_bytes(archive, "xl/_rels/workbook.xml.rels", data), relationship)
        _parse(member_bytes(archive, "xl/workbook.xml", data), element, text, element_end)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, _Refused):
        return WorkbookXml()
    except Exception:  # expat's own error type for broken XML: treat the part as unreadable
        return WorkbookXml()
    out.sheet_parts = {name: targets[rid] for name, rid in sheets if rid in targets}
    return out


# --- streaming scan of the sheet parts ---------------------------------------------------------------------------

MAX_CELLS = 10_000_000  # a sheet whose cells span more positions is not handed to a reader (XF012)
FAR_ROW = 500_000  # a cell beyond this row or column makes the used range "inflated" (XF021)
FAR_COL = 1_000
CHUNK = 1 << 20

_REF_ATTR = re.compile(rb'\sr="([A-Z]{1,3})(\d+)"')
_REF_ATTR_WS = _REF_ATTR
# Patterns that start with a literal (`` r="``) are searched at C speed; the ``\s`` variants are the fallback for
# the rare producer that separates attributes with tabs or new lines.
# Only cell references count (``r="B12"``): empty row elements (LibreOffice writes them down to row 1,048,576)
# hold nothing.
_ANY_R = re.compile(rb' r="[A-Z]{1,3}(\d+)"')
_FAR = re.compile(rb' r="(?:([A-Z]{2,3})(\d+)|([A-Z])(\d{7}))"')
_ANY_R_WS = re.compile(rb'\sr="[A-Z]{1,3}(\d+)"')
_FAR_WS = re.compile(rb'\sr="(?:([A-Z]{2,3})(\d+)|([A-Z])(\d{7}))"')
_VALUED_CELL = re.compile(rb'<(?:\w+:)?c\b([^>]*?)(?<!/)>')
_ERROR_CELL = re.compile(rb'<((?:\w+:)?)c\b([^>]*?\st="e"[^>]*?)(?<!/)>(.*?)</\1c>', re.S)
_FORMULA_CELL = re.compile(rb'<((?:\w+:)?)c\b([^>]*?)>\s*<\1f\b([^>]*?)(?:/>|>(.*?)</\1f>)(.*?)</\1c>', re.S)
_VALUE = re.compile(rb'<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>')
_TYPE = re.compile(rb'\st="(\w+)"')


_ENTITY = re.compile(r"&(?:#x([0-9A-Fa-f]+)|#(\d+)|(amp|lt|gt|quot|apos));")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}


def _unescape(text: str) -> str:
    """XML character and predefined entity references in a value's text."""
    if "&" not in text:
        return text

    def one(m: re.Match[str]) -> str:
        try:
            return chr(int(m[1], 16)) if m[1] else chr(int(m[2])) if m[2] else _NAMED[m[3]]
        except (ValueError, OverflowError):
            return m[0]

    return _ENTITY.sub(one, text)


def _letters_to_index(letters: bytes) -> int:
    index = 0
    for byte in letters:
        index = index * 26 + (byte - 64)
    return index


@dataclass
class SheetScan:
    """What the byte-level scan of one sheet part found."""

    max_row: int = 0
    max_col: int = 0
    far: tuple[int, int] | None = None  # (row, col) of a cell beyond FAR_ROW / FAR_COL
    errors: list[tuple[int, int, str]] = field(default_factory=list)
    uncalculated: list[tuple[int, int, str]] = field(default_factory=list)
    # (row, col) of every formula cell -> (cached value text, the cell's attributes), decoded by ``cached_value``
    formulas: dict[tuple[int, int], tuple[bytes, bytes]] = field(default_factory=dict)

    valued: tuple[int, int] | None = None  # extent of the cells with content, when it had to be computed
    doctype: str | None = None  # XF009 / XF010 when the part starts with a DOCTYPE (then nothing else is read)
    # formulas (of cells, conditional formats, validations) that name a function which may run or reach out:
    # (row, col, formula text); (0, 0) when no cell is known
    active: list[tuple[int, int, str]] = field(default_factory=list)
    links: list[tuple[int, int, str]] = field(default_factory=list)  # hyperlinks to a relationship: (row, col, rId)
    # embedded objects and ActiveX controls: ("ole" | "control", rId, progId or control name, linked file or "")
    objects: list[tuple[str, str, str, str]] = field(default_factory=list)

    def cached_value(self, row: int, col: int) -> Any:
        """The value the file holds for the formula at (row, col), as a reader would give it: a float, a bool,
        text, the error text, or "" when no value was saved; None when the cell holds no formula."""
        held = self.formulas.get((row, col))
        if held is None:
            return None
        text, attrs = held
        kind = _TYPE.search(attrs)
        kind_text = kind[1] if kind else b"n"
        if not text:
            return ""
        if kind_text == b"n":
            try:
                return float(text)
            except ValueError:
                return text.decode("utf-8", "replace")
        if kind_text == b"b":
            return text.strip() == b"1"
        return _unescape(text.decode("utf-8", "replace"))

    @property
    def cells(self) -> int:
        """Positions of the rectangle A1:(max_row, max_col) a reader would build."""
        if self.valued is not None:
            return self.valued[0] * self.valued[1]
        return self.max_row * self.max_col


@dataclass
class PackageScan:
    """The workbook part plus the scan of every sheet part and the package's outside references."""

    workbook: WorkbookXml
    sheets: dict[str, SheetScan] = field(default_factory=dict)
    security: list[SecurityNote] = field(default_factory=list)  # active content, for the SEC rules (io/active.py)
    problem: Any = None  # the guard's verdict on the zip (guard.FileProblem) when the package must not be read
    data: bytes | None = None  # the package's bytes when it was small enough to scan from memory

    @property
    def too_large(self) -> str | None:
        """Why a sheet must not be read (its cells span more than MAX_CELLS positions), else None."""
        for name, sheet in self.sheets.items():
            if sheet.cells > MAX_CELLS:
                from ..core.model import a1

                rows, cols = sheet.valued or (sheet.max_row, sheet.max_col)
                return (f"'{name}' spans A1:{a1(rows, cols)} = {sheet.cells:,} cells "
                        f"(limit {MAX_CELLS:,})")
        return None

    def cell_notes(self, computed_cells: list[tuple[str, int, int, str]],
                   value_at: Callable[[str, int, int], Any]) -> list[CellNote]:
        """Notes for the validator: error cells, uncalculated formulas, inflated used ranges, workbook protection,
        and the ``computed_cells`` (sheet, row, col, name) of the template that hold a typed
        value instead of their formula (``value_at`` gives a cell's value)."""
        notes: list[CellNote] = []
        for name, sheet in self.sheets.items():
            notes += [CellNote(name, r, c, "error", text) for r, c, text in sheet.errors]
            notes += [CellNote(name, r, c, "uncalculated", text) for r, c, text in sheet.uncalculated]
            if sheet.far is not None:
                from ..core.model import a1

                notes.append(CellNote(name, sheet.far[0], sheet.far[1], "inflated", a1(*sheet.far)))
        for sheet_name, row, col, name in computed_cells:
            scanned = self.sheets.get(sheet_name)
            if scanned is None or (row, col) in scanned.formulas:
                continue
            if value_at(sheet_name, row, col) not in (None, ""):
                notes.append(CellNote(sheet_name, row, col, "constant", name))
        if self.workbook.protected:
            notes.append(CellNote("", 0, 0, "protected"))
        return notes


def template_computed_cells(plan: Any, workbook: WorkbookXml) -> list[tuple[str, int, int, str]]:
    """(sheet, row, col, name) of the cells the template fills with formulas: the Budget summary (``Budget_*``
    names) and the computed columns of the Channels Table (only when read from the template's Excel Table)."""
    from ..core import spec as S

    cells: list[tuple[str, int, int, str]] = []
    for key, _, _ in S.BUDGET_SUMMARY_ROWS:
        where = workbook.name_cell(f"Budget_{key}")
        if where is not None:
            cells.append((*where, f"Budget_{key}"))
    info = plan.tables.get("channels")
    if info is not None and info.found_by == "table":
        computed = [c.key for c in S.CHANNELS.columns if c.formula and c.key in info.columns]
        for channel in plan.channels:
            cells += [(info.sheet, channel.row, info.columns[key], f"channels.{key}") for key in computed]
    return cells


def _row_chunks(stream: IO[bytes]) -> Iterator[bytes]:
    """The part in chunks of about CHUNK bytes, each cut after a ``row>`` so that no cell is split."""
    rest = b""
    while True:
        block = stream.read(CHUNK)
        if not block:
            if rest:
                yield rest
            return
        data = rest + block
        cut = data.rfind(b"row>")
        if cut < 0:
            rest = data
            continue
        cut += 4
        yield data[:cut]
        rest = data[cut:]


_PREFIXED_ROOT = re.compile(rb"<\w+:worksheet\b")
# Every ``<f>`` element of an unprefixed part with its cached value (CT_Cell: ``f`` then ``v``), at C speed; the
# cell's reference is looked up behind it.
_FORMULA = re.compile(rb'<f(?:>([^<]*)</f>|\s[^>]*?(?:/>|>([^<]*)</f>)|/>)\s*(?:<v>([^<]*)</v>)?')


def scan_sheet(stream: IO[bytes] | bytes) -> SheetScan:
    """Scan one sheet part (a stream read in chunks, or the bytes of a small part): extent, far cells, error
    cells, formulas and those without a cached value."""
    out = SheetScan()
    any_r, far, prefixed = _ANY_R, _FAR, False
    chunks = [stream] if isinstance(stream, bytes) else _row_chunks(stream)
    for number, chunk in enumerate(chunks):
        if number == 0:  # a producer writes the whole part one way: decide from its start
            out.doctype = doctype_kind(chunk)
            if out.doctype is not None:
                return out
            root = chunk.find(b":worksheet", 0, 4096)
            prefixed = root >= 0 and _PREFIXED_ROOT.search(chunk, 0, 4096) is not None
            first = chunk.find(b'r="', max(0, chunk.find(b"sheetData")))
            if first > 0 and chunk[first - 1:first] in (b"\t", b"\n", b"\r"):  # the writer's attribute separator
                any_r, far = _ANY_R_WS, _FAR_WS
        # cells come in ascending order: the last cell element of a chunk holds its highest row
        last_cell = chunk.rfind(b":c " if prefixed else b"<c ")  # not both: each is a pass over the chunk
        if last_cell < 0 and prefixed:
            last_cell = chunk.rfind(b"<c ")
        for m in any_r.finditer(chunk, max(0, last_cell if last_cell >= 0 else len(chunk) - 4096)):
            out.max_row = max(out.max_row, int(m[1]))
        for m in far.finditer(chunk):
            if m[2] is not None:  # two or three letters: a column beyond Z
                col = _letters_to_index(m[1])
                if col > out.max_col:
                    out.max_col = col
                    if col > FAR_COL and (out.far is None or out.far[1] < col):
                        out.far = (int(m[2]), col)
            else:  # a row of seven digits
                row = int(m[4])
                out.max_row = max(out.max_row, row)
                if row > FAR_ROW and (out.far is None or row > out.far[0]):
                    out.far = (row, _letters_to_index(m[3]))
        if b't="e"' in chunk:
            for m in _ERROR_CELL.finditer(chunk):
                ref = _REF_ATTR.search(m[2])
                value = _VALUE.search(m[3])
                if ref:
                    text = value[1].decode("utf-8", "replace") if value else "#N/A"
                    out.errors.append((int(ref[2]), _letters_to_index(ref[1]), text))
        if prefixed:
            texts = _prefixed_formulas(chunk, out)  # a namespace prefix on the elements (rare): the general pattern
        else:
            texts = _formulas(chunk, out)
        # what follows the cells (in the chunk that holds the end of sheetData): conditional formats and validations
        # (<formula>, <formula1>, <xm:f>), hyperlinks, objects, controls
        tail_at = chunk.rfind(b"sheetData>")
        if tail_at < 0:
            tail_at = chunk.rfind(b"sheetData/>")  # a sheet without cells (rare: looked for only when needed)
        if tail_at >= 0:
            rules_at = chunk.find(b"formula", tail_at)
            if rules_at >= 0:
                texts += _RULE_FORMULA.findall(chunk, rules_at - 16)
            _tail(chunk, out, tail_at)
        if texts and _active_text(b"\n".join(texts)):
            _active_formulas(chunk, out)
    if out.far is None and out.max_row > FAR_ROW:
        out.far = (out.max_row, 1)
    if out.max_col == 0 and out.max_row:
        out.max_col = 26  # single-letter columns only: at most Z (made exact by scan_package when it matters)
    return out


def _formula_cell(out: SheetScan, attrs: bytes, formula: bytes, rest: bytes) -> None:
    ref = _REF_ATTR.search(attrs)
    if not ref:
        return
    position = (int(ref[2]), _letters_to_index(ref[1]))
    kind = _TYPE.search(attrs)
    value = _VALUE.search(rest)
    out.formulas[position] = (value[1] if value else b"", attrs)
    if (value is None or not value[1]) and not (kind and kind[1] in (b"str", b"e")):
        text = formula.decode("utf-8", "replace")
        out.uncalculated.append((*position, "=" + text if text else ""))


def _formulas(chunk: bytes, out: SheetScan) -> list[bytes]:
    """Formula cells of unprefixed sheet XML: each ``<f`` element, its cached value, and its cell's start. Returns
    the formulas' texts (for the look for functions that may run or reach out)."""
    rfind = chunk.rfind
    formulas, uncalculated = out.formulas, out.uncalculated
    texts: list[bytes] = []
    for m in _FORMULA.finditer(chunk):
        formula = m[1] or m[2]
        if formula:
            texts.append(formula)
        at = m.start()
        start = rfind(b"<c ", 0, at)
        if start < 0:
            continue
        ref = _REF_ATTR.search(chunk, start, at)
        if ref is None:
            continue
        position = (int(ref[2]), _letters_to_index(ref[1]))
        formulas[position] = (m[3], chunk[start + 2:at])
        if m[3]:
            continue
        kind = _TYPE.search(chunk, start, at)
        if not (kind and kind[1] in (b"str", b"e")):
            text = (formula or b"").decode("utf-8", "replace")
            uncalculated.append((*position, "=" + text if text else ""))
    return texts


def _prefixed_formulas(chunk: bytes, out: SheetScan) -> list[bytes]:
    texts: list[bytes] = []
    for m in _FORMULA_CELL.finditer(chunk):
        if m[4]:
            texts.append(m[4])
        _formula_cell(out, m[2], m[4] or b"", m[5])
    return texts


# The text of every formula-holding element: cells' <f>, conditional formats' <formula>, validations' <formula1/2>
# and their Excel 2010 extensions (<xm:f>); read only in a chunk whose formulas name a function worth a look.
_ANY_FORMULA = re.compile(rb"<((?:\w+:)?)(f|formula|formula1|formula2)\b[^>]*>([^<]*)</\1\2>")
_RULE_FORMULA = re.compile(rb"<(?:\w+:)?formula[12]?>([^<]*)<")
_SQREF = re.compile(rb'sqref="([A-Z]{1,3})(\d+)')
_XM_SQREF = re.compile(rb"<(?:\w+:)?sqref>([A-Z]{1,3})(\d+)")


def _active_formulas(chunk: bytes, out: SheetScan) -> None:
    """Every formula of the chunk that names a function which may run or reach out, with its cell: a cell's own,
    or the first cell of the range a conditional format or validation applies to."""
    for m in _ANY_FORMULA.finditer(chunk):
        text = m[3]
        if not text or not _active_text(text):
            continue
        at = m.start()
        where: tuple[int, int] = (0, 0)
        if m[2] == b"f" and not m[1]:
            start = max(chunk.rfind(b"<c ", 0, at), chunk.rfind(b":c ", 0, at))
            ref = _REF_ATTR.search(chunk, start, at) if start >= 0 else None
            if ref is not None:
                where = (int(ref[2]), _letters_to_index(ref[1]))
        elif m[2] == b"f":  # <xm:f> of an extension: its range follows in <xm:sqref>; a prefixed cell's precedes
            start = chunk.rfind(b":c ", 0, at)
            ref = _REF_ATTR.search(chunk, start, at) if start >= 0 and chunk.rfind(b"</", start, at) < 0 else None
            ref = ref or _XM_SQREF.search(chunk, m.end(), m.end() + 4096)
            if ref is not None:
                where = (int(ref[2]), _letters_to_index(ref[1]))
        else:
            owner = max(chunk.rfind(b"<conditionalFormatting", 0, at), chunk.rfind(b"<dataValidation ", 0, at))
            ref = _SQREF.search(chunk, owner, at) if owner >= 0 else None
            if ref is not None:
                where = (int(ref[2]), _letters_to_index(ref[1]))
        out.active.append((*where, _unescape(text.decode("utf-8", "replace"))))


_A1 = re.compile(r"\$?([A-Z]{1,3})\$?(\d+)")
_HYPERLINK = re.compile(rb'<(?:\w+:)?hyperlink\b([^>]*)>')
_OLE_OBJECT = re.compile(rb'<(?:\w+:)?oleObject\b([^>]*)>')
_CONTROL = re.compile(rb'<(?:\w+:)?control\b([^>]*)>')
_RID = re.compile(rb'\b\w+:id="([^"]*)"')
_ATTR = {name: re.compile(rb"\b" + name + rb'="([^"]*)"') for name in (b"ref", b"progId", b"link", b"name")}


def _attr(name: bytes, attrs: bytes) -> str:
    m = _ATTR[name].search(attrs)
    return _unescape(m[1].decode("utf-8", "replace")) if m else ""


def _tail(chunk: bytes, out: SheetScan, end: int) -> None:
    """What follows the cells (from ``end``, the end of sheetData): hyperlinks that point at a relationship (an
    address outside the workbook; links to places in it carry ``location`` only), embedded objects and ActiveX
    controls."""
    if chunk.find(b"hyperlink", end) >= 0:
        for m in _HYPERLINK.finditer(chunk, end):
            rid = _RID.search(m[1])
            if rid is not None:
                ref = _A1.match(_attr(b"ref", m[1]))
                row, col = (int(ref[2]), column_index(ref[1])) if ref is not None else (0, 0)
                out.links.append((row, col, rid[1].decode("utf-8", "replace")))
    if chunk.find(b"oleObject", end) >= 0:
        for m in _OLE_OBJECT.finditer(chunk, end):
            rid = _RID.search(m[1])
            out.objects.append(("ole", rid[1].decode("utf-8", "replace") if rid else "", _attr(b"progId", m[1]),
                                _attr(b"link", m[1])))
    if chunk.find(b"<control", end) >= 0 or chunk.find(b":control ", end) >= 0:
        for m in _CONTROL.finditer(chunk, end):
            rid = _RID.search(m[1])
            out.objects.append(("control", rid[1].decode("utf-8", "replace") if rid else "", _attr(b"name", m[1]), ""))


def _exact_max_col(stream: IO[bytes]) -> int:
    best = 0
    for chunk in _row_chunks(stream):
        for m in _REF_ATTR_WS.finditer(chunk):
            best = max(best, _letters_to_index(m[1]))
    return best


def _valued_extent(stream: IO[bytes]) -> tuple[int, int]:
    """(max row, max column) of the cells that hold something (not self-closing ``<c r="…" s="1"/>``): what
    a reader builds. Only run when the rough extent is over the limit."""
    rows = cols = 0
    for chunk in _row_chunks(stream):
        for m in _VALUED_CELL.finditer(chunk):
            ref = _REF_ATTR.search(m[1])
            if ref:
                rows = max(rows, int(ref[2]))
                cols = max(cols, _letters_to_index(ref[1]))
    return rows, cols


_SHEET_ELEMENT = re.compile(rb"<(?:\w+:)?sheet\b[^>]*?/>")
_NAME_ATTR = re.compile(rb'\bname="([^"]*)"')


def without_sheets(data: bytes, names: set[str]) -> bytes:
    """A copy of the package ``data`` (in memory) whose workbook part no longer lists the sheets ``names``; the
    sheets' own parts stay. For readers that refuse a sheet type they do not know (python-calamine and Excel 4.0
    macro sheets): the rest of the workbook reads as usual, and the package scan has already noted those sheets."""

    def keep(m: re.Match[bytes]) -> bytes:
        name = _NAME_ATTR.search(m[0])
        return b"" if name is not None and _unescape(name[1].decode("utf-8", "replace")) in names else m[0]

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in source.infolist():
            part = member_bytes(source, info.filename, data)
            if info.filename == "xl/workbook.xml":
                part = _SHEET_ELEMENT.sub(keep, part)
            copy.writestr(info, part)
    return out.getvalue()


IN_MEMORY = 32 * 1024 * 1024  # a package up to this size is read with one system call and scanned from memory


def read_small(path: str) -> bytes | None:
    """The file's bytes when it is small enough to scan from memory (every part is then sliced from memory, not
    read with its own seeks, and the reader parses the very bytes that were scanned), else None."""
    with open(path, "rb") as handle:
        size = os.fstat(handle.fileno()).st_size
        if size > IN_MEMORY:
            return None
        data = handle.read(size)  # not read(IN_MEMORY): that would allocate the whole limit first
        return data if len(data) < size or not handle.read(1) else None  # grew while read: not from memory


def scan_package(path: str, data: bytes | None = None) -> PackageScan:
    """The guard's zip checks, the workbook part and a scan of every sheet part of the package at ``path``
    (one pass over the zip directory; ``data``: its bytes when already read). ``problem`` is set, and nothing
    else read, when the guard refuses it."""
    out = PackageScan(WorkbookXml())
    try:
        out.data = data if data is not None else read_small(path)
        with zipfile.ZipFile(path if out.data is None else io.BytesIO(out.data)) as archive:
            from .guard import FileProblem, check_archive, doctypes, is_sheet_part

            data = out.data
            out.problem = check_archive(path, archive, sheets_deferred=True, data=data)
            if out.problem is not None:
                return out
            workbook = out.workbook = read_workbook_xml(path, archive, data)
            names = set(archive.namelist())
            scanned_parts = set(workbook.sheet_parts.values())
            out.problem = doctypes(archive, [archive.getinfo(n) for n in sorted(names)
                                             if is_sheet_part(n) and n not in scanned_parts], data)
            if out.problem is not None:
                return out
            for sheet, part in workbook.sheet_parts.items():
                if part in names:
                    if archive.getinfo(part).file_size <= CHUNK:
                        scanned = out.sheets[sheet] = scan_sheet(member_bytes(archive, part, data))
                    else:
                        with archive.open(part) as stream:
                            scanned = out.sheets[sheet] = scan_sheet(stream)
                    if scanned.doctype is not None:
                        out.problem = FileProblem(scanned.doctype, f"DOCTYPE in {part}")
                        out.sheets.clear()
                        return out
                    if scanned.cells > MAX_CELLS and scanned.max_col == 26:
                        with archive.open(part) as stream:
                            scanned.max_col = _exact_max_col(stream)
                    if scanned.cells > MAX_CELLS:  # formatting alone does not make a reader build cells
                        with archive.open(part) as stream:
                            scanned.valued = _valued_extent(stream)
            from .active import package_notes

            out.security = package_notes(archive, out, names)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError) as exc:
        from . import guard

        out.problem = guard.FileProblem("XF008", str(exc) or type(exc).__name__)
    return out
