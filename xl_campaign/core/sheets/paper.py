"""How much room a generated sheet's text takes, and the print scale at which its pages fit A4.

Widths are in Excel's column-width units, heights in points. The measures are those of the widest rendering the
tool's sheets get: LibreOffice with its fallback faces (DejaVu Sans for Calibri, Noto Sans CJK for 等线), where one
width unit is 7 pt, a digit takes one unit, a Chinese character about 1.6 and a line of Chinese text 16 pt. Excel's
Calibri and 等线 are narrower, so what fits there fits in Excel too; row heights the tool sets are exact in both.

- :func:`text_units` — how wide a text is; :func:`shown` — what a value looks like in its number format.
- :func:`split_label` — a header broken into at most n lines at places a reader expects (spaces, between Chinese
  characters, before an opening bracket; never a closing bracket alone at the start of a line).
- :func:`fit_widths` — column widths from what the columns hold; :func:`fit_heights` — row heights from wrapped and
  multi-line text (merged cells count their whole width); :func:`print_scale` — the largest scale at which the
  widths and each page's rows fit an A4 page.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache

from .model import SheetDoc

POINTS_PER_UNIT = 7.0  # a column-width unit on paper at 100% (LibreOffice, DejaVu Sans 11 pt)
LINE = 14.5  # a line of Latin text, points (Excel's Calibri 11 pt: a one-line row is 15 pt)
LINE_CJK = 16.5  # a line holding Chinese characters (Noto Sans CJK / 等线 11 pt)
ROW = 15.0  # a row of one line
PAD = 0.6  # units a cell keeps free around its text
# A4 in points, and the printable part the writers leave (the larger margins of the two writers: xlwings 0.4"
# left and right, 0.5" top and bottom)
A4 = (842.0, 595.0)
MARGIN_X, MARGIN_Y = 0.4 * 72, 0.5 * 72
SAFETY = 0.98  # rounding in the spreadsheet programs
WEAK_BREAK = 4.0  # units a header may be wider to break at a space or a bracket instead of between two characters

_OPEN = set("（(「『【《“‘[{")
_CLOSE = set("）)」』】》”’]},，。、：；！？!?:;%")
# Advance widths in units of the printable ASCII characters (space to ~) in DejaVu Sans at 11 pt, regular and bold
_ASCII = (
    [0.5, 0.63, 0.72, 1.32, 1.0, 1.49, 1.23, 0.43, 0.61, 0.61, 0.79, 1.32, 0.5, 0.57, 0.5, 0.53, 1.0, 1.0, 1.0, 1.0,
     1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.53, 0.53, 1.32, 1.32, 1.32, 0.83, 1.57, 1.07, 1.08, 1.1, 1.21, 0.99, 0.9, 1.22,
     1.18, 0.46, 0.46, 1.03, 0.88, 1.36, 1.18, 1.24, 0.95, 1.24, 1.09, 1.0, 0.96, 1.15, 1.07, 1.55, 1.08, 0.96, 1.08,
     0.61, 0.53, 0.61, 1.32, 0.79, 0.79, 0.96, 1.0, 0.86, 1.0, 0.97, 0.55, 1.0, 1.0, 0.44, 0.44, 0.91, 0.44, 1.53,
     1.0, 0.96, 1.0, 1.0, 0.65, 0.82, 0.62, 1.0, 0.93, 1.29, 0.93, 0.93, 0.82, 1.0, 0.53, 1.0, 1.32],
    [0.55, 0.72, 0.82, 1.32, 1.09, 1.57, 1.37, 0.48, 0.72, 0.72, 0.82, 1.32, 0.6, 0.65, 0.6, 0.57, 1.09, 1.09, 1.09,
     1.09, 1.09, 1.09, 1.09, 1.09, 1.09, 1.09, 0.63, 0.63, 1.32, 1.32, 1.32, 0.91, 1.57, 1.22, 1.2, 1.15, 1.3, 1.07,
     1.07, 1.29, 1.32, 0.58, 0.58, 1.22, 1.0, 1.56, 1.32, 1.34, 1.15, 1.34, 1.21, 1.13, 1.07, 1.28, 1.22, 1.73, 1.21,
     1.14, 1.14, 0.72, 0.57, 0.72, 1.32, 0.79, 0.79, 1.06, 1.12, 0.93, 1.12, 1.07, 0.68, 1.12, 1.12, 0.54, 0.54, 1.05,
     0.54, 1.64, 1.12, 1.08, 1.12, 1.12, 0.77, 0.94, 0.75, 1.12, 1.02, 1.45, 1.01, 1.02, 0.91, 1.12, 0.57, 1.12,
     1.32],
)
_WIDE = 1.58  # a Chinese character or full-width sign: 11 pt
_OTHER = {"¥": 1.0, "−": 1.32, "–": 0.79, "—": 1.57, "≥": 1.32, "≤": 1.32, "◆": 1.21, "·": 0.55, "×": 1.32,
          "÷": 1.32, "…": 1.57, "’": 0.55, "‘": 0.55, "“": 0.9, "”": 0.9}


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _char(ch: str, bold: bool) -> float:
    code = ord(ch)
    if 32 <= code < 127:
        return _ASCII[bold][code - 32]
    if _wide(ch):
        return _WIDE
    return _OTHER.get(ch, 1.0) * (1.08 if bold else 1.0)


@lru_cache(maxsize=8192)
def text_units(text: str, *, bold: bool = False, size: float = 11.0) -> float:
    """Width units one line of ``text`` takes (without the cell's padding)."""
    return sum(_char(ch, bold) for ch in text) * size / 11.0


def has_cjk(text: str) -> bool:
    return any(_wide(ch) for ch in text)


# --- what a value looks like --------------------------------------------------------------------------------
def _section(fmt: str, negative: bool) -> str:
    sections = _split_sections(fmt)
    if negative and len(sections) > 1:
        return sections[1]
    return sections[0]


def _split_sections(fmt: str) -> list[str]:
    out, current, quoted = [], "", False
    for ch in fmt:
        if ch == '"':
            quoted = not quoted
        if ch == ";" and not quoted:
            out.append(current)
            current = ""
        else:
            current += ch
    out.append(current)
    return out


def shown(value: object, fmt: str | None = None) -> str:
    """``value`` as a cell with number format ``fmt`` shows it (near enough to measure it)."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime | date):
        if fmt in ("mm-dd",):
            return value.strftime("%m-%d")
        if fmt == "d":
            return str(value.day)
        if fmt == "m/d":
            return f"{value.month}/{value.day}"
        return value.strftime("%Y-%m-%d")
    if isinstance(value, str):
        return value
    if not isinstance(value, int | float | Decimal):
        return str(value)
    return _number(float(value), fmt)


_QUOTED = re.compile(r'"([^"]*)"')
_DECIMALS = re.compile(r"\.([0#]+)")
_SIGN = re.compile(r"[+\-]*")
_PLACEHOLDERS = re.compile(r"[#0,.%+\-\s]")


@lru_cache(maxsize=8192)
def _number(number: float, fmt: str | None) -> str:
    if not fmt or fmt == "General":
        return f"{number:.10g}"
    section = _section(fmt, number < 0)
    literals = "".join(_QUOTED.findall(section))
    code = _QUOTED.sub("", section)
    percent = "%" in code
    if percent:
        number *= 100
    match = _DECIMALS.search(code)
    required = match[1].count("0") if match else 0
    decimals = len(match[1]) if match else 0
    grouped = "," in code
    text = f"{abs(number):,.{decimals}f}" if grouped else f"{abs(number):.{decimals}f}"
    while decimals > required and text.endswith("0"):  # optional decimals (#) are dropped when zero
        text, decimals = text[:-1], decimals - 1
    text = text.rstrip(".")
    lead = _SIGN.match(code.strip())
    sign = lead[0] if lead and lead[0] else ("-" if number < 0 and len(_split_sections(fmt)) == 1 else "")
    suffix = _PLACEHOLDERS.sub("", code)
    return f"{sign}{literals}{text}{'%' if percent else ''}{suffix}"


# --- headers broken into lines --------------------------------------------------------------------------------
def _breaks(text: str) -> list[tuple[int, int]]:
    """Places a line may break: (end of this line, start of the next)."""
    out = []
    for i in range(1, len(text)):
        before, here = text[i - 1], text[i]
        if here == " ":
            j = i + 1
            while j < len(text) and text[j] == " ":
                j += 1
            if j < len(text) and text[j] not in _CLOSE:
                out.append((i, j))
            continue
        if before == " " or before in _OPEN or here in _CLOSE:
            continue
        if here in _OPEN or (_wide(before) and _wide(here)) or before in "/·" or (before == "-" and here.isalpha()):
            out.append((i, i))
    return out


@lru_cache(maxsize=8192)
def split_label(text: str, lines: int, *, bold: bool = False) -> tuple[str, float]:
    """``text`` broken into at most ``lines`` lines so that the widest is as narrow as it can be; the text with
    ``\\n`` where it breaks, and the width of its widest line. Text that already holds line breaks is kept."""
    if "\n" in text or lines <= 1:
        return text, max(text_units(part, bold=bold) for part in text.split("\n"))
    candidates = _breaks(text)
    best = (text, text_units(text, bold=bold))
    best_cost = best[1]
    for count in range(1, lines):
        for combo in _combinations(candidates, count):
            parts, start = [], 0
            for end, nxt in combo:
                parts.append(text[start:end])
                start = nxt
            parts.append(text[start:])
            width = max(text_units(part, bold=bold) for part in parts)
            # a break inside a run of Chinese characters reads worse than one at a space or a bracket
            weak = sum(1 for end, nxt in combo if end == nxt and text[end] not in _OPEN and text[end - 1] not in "/·-")
            cost = width + WEAK_BREAK * weak
            if cost < best_cost - 0.01:
                best, best_cost = ("\n".join(parts), width), cost
    return best


def _combinations(items: list[tuple[int, int]], count: int) -> Iterable[tuple[tuple[int, int], ...]]:
    from itertools import combinations

    return combinations(items, count)


@lru_cache(maxsize=8192)
def longest_piece(text: str, *, bold: bool = False, size: float = 11.0) -> float:
    """The width of the widest part of ``text`` that cannot be broken onto two lines (a word, a number)."""
    widest, start = 0.0, 0
    for part in text.split("\n"):
        start = 0
        for end, nxt in [*_breaks(part), (len(part), len(part))]:
            widest = max(widest, text_units(part[start:end], bold=bold, size=size))
            start = nxt
    return widest


@lru_cache(maxsize=8192)
def wrapped_lines(text: str, width: float, *, bold: bool = False, size: float = 11.0) -> int:
    """How many lines ``text`` takes in a wrapping cell ``width`` units wide (greedy, at the break places)."""
    total = 0
    room = max(1.0, width - PAD) + 0.05
    for part in text.split("\n"):
        if not part:
            total += 1
            continue
        lines, start = 1, 0
        last_fit: tuple[int, int] | None = None
        points = [*_breaks(part), (len(part), len(part))]
        index = 0
        while index < len(points):
            end, nxt = points[index]
            if text_units(part[start:end], bold=bold, size=size) <= room:
                last_fit = (end, nxt)
                index += 1
                continue
            if last_fit is None or last_fit[1] <= start:  # one unbreakable piece wider than the cell
                cut = start
                while cut < end and text_units(part[start:cut + 1], bold=bold, size=size) <= room:
                    cut += 1
                start = max(cut, start + 1)
            else:
                start = last_fit[1]
            last_fit = None
            lines += 1
        total += lines
    return total


# --- widths and heights of a sheet --------------------------------------------------------------------------
def merged_spans(doc: SheetDoc) -> dict[tuple[int, int], tuple[int, int]]:
    """Top-left cell of each merge -> (rows, columns) it spans; the other cells of merges map to (0, 0)."""
    spans: dict[tuple[int, int], tuple[int, int]] = {}
    for merged in doc.merges:
        first, last = merged.split(":")
        r1, c1 = _cell(first)
        r2, c2 = _cell(last)
        for r in range(r1, r2 + 1):
            for c in range(c1, c2 + 1):
                spans[(r, c)] = (0, 0)
        spans[(r1, c1)] = (r2 - r1 + 1, c2 - c1 + 1)
    return spans


def _cell(a1: str) -> tuple[int, int]:
    match = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", a1)
    assert match, a1
    col = 0
    for letter in match[1]:
        col = col * 26 + ord(letter) - 64
    return int(match[2]), col


def cell_units(doc: SheetDoc, row: int, col: int) -> float:
    """The width one cell's text needs on one line (its widest line), padding included."""
    cell = doc.cells[(row, col)]
    style = doc.styles.get(cell.style or "")
    text = shown(cell.value, cell.fmt)
    if not text:
        return 0.0
    bold = bool(style and style.bold)
    size = (style.size if style and style.size else 11.0)
    indent = (style.indent if style else 0) * 1.5
    return max(text_units(part, bold=bold, size=size) for part in text.split("\n")) + PAD + indent


def fit_widths(doc: SheetDoc, rows: Iterable[int], *, floor: float = 4.0, caps: dict[int, float] | None = None,
               skip_styles: Iterable[str] = ()) -> dict[int, float]:
    """The width each column needs for the one-line cells of ``rows``: not merged, not wrapping (wrapped text
    takes the width it gets), not of ``skip_styles`` (titles and notes that run on over empty cells). ``caps``:
    the most a column may take (longer text then needs wrapping)."""
    wanted = set(rows)
    spans = merged_spans(doc)
    skip = set(skip_styles)
    widths: dict[int, float] = {}
    for (row, col), cell in doc.cells.items():
        if row not in wanted or spans.get((row, col)) is not None or cell.style in skip:
            continue
        style = doc.styles.get(cell.style or "")
        if style is not None and style.wrap and "\n" not in str(cell.value or ""):
            continue
        need = cell_units(doc, row, col)
        widths[col] = max(widths.get(col, floor), need)
    for col, cap in (caps or {}).items():
        if col in widths:
            widths[col] = min(widths[col], cap)
    return {col: math.ceil(width * 10) / 10 for col, width in widths.items()}


def span_width(doc: SheetDoc, col: int, columns: int, default: float = 8.43) -> float:
    return sum(doc.col_widths.get(c, default) for c in range(col, col + columns))


def fit_heights(doc: SheetDoc, rows: Iterable[int] | None = None, *, row: float = ROW, cjk: bool = False) -> None:
    """Give each row of ``rows`` (default: every row with cells) the height its tallest cell needs: lines of
    wrapped text (in the whole width of a merged cell), explicit line breaks, larger type. Rows are always
    given a height, so that pages break where the tool computed them. ``cjk``: one-line rows of Chinese text."""
    spans = merged_spans(doc)
    chosen = set(rows) if rows is not None else {r for r, _ in doc.cells}
    needed: dict[int, float] = {r: 0.0 for r in chosen}
    for (r, col), cell in doc.cells.items():
        if r not in chosen:
            continue
        span = spans.get((r, col), (1, 1))
        if span == (0, 0) or span[0] > 1:
            continue
        style = doc.styles.get(cell.style or "")
        size = style.size if style and style.size else 11.0
        if size <= 11 and not (style and style.wrap) and not (isinstance(cell.value, str) and "\n" in cell.value):
            continue  # one line of ordinary type: the row's own height
        text = shown(cell.value, cell.fmt)
        if not text:
            continue
        bold = bool(style and style.bold)
        if style is not None and style.wrap:
            lines = wrapped_lines(text, span_width(doc, col, span[1]), bold=bold, size=size)
        else:
            lines = text.count("\n") + 1
        pitch = (LINE_CJK if has_cjk(text) else LINE) * size / 11.0
        height = lines * pitch + 2.0 if lines > 1 else max(row, pitch + 2.0 if size > 11 else row)
        needed[r] = max(needed[r], height)
    for r, height in needed.items():
        given = doc.row_heights.get(r)
        doc.row_heights[r] = round(max(height, given or 0.0) or row, 1)


def print_scale(widths: Iterable[float], pages: Iterable[float], *, landscape: bool = True,
                most: int = 100) -> int:
    """The print scale (percent) at which columns of ``widths`` fit the width of an A4 page and each of ``pages``
    (points of rows) its height."""
    page_w, page_h = A4 if landscape else (A4[1], A4[0])
    room_w, room_h = page_w - 2 * MARGIN_X, page_h - 2 * MARGIN_Y
    total_w = sum(widths) * POINTS_PER_UNIT
    fits = [room_w / total_w if total_w else 1.0] + [room_h / h for h in pages if h > 0]
    return max(10, min(most, int(min(fits) * SAFETY * 100)))


def page_room(scale: int, *, landscape: bool = True) -> float:
    """Points of rows a page holds at ``scale`` percent."""
    page_h = A4[1] if landscape else A4[0]
    return (page_h - 2 * MARGIN_Y) * 100 / scale * SAFETY
