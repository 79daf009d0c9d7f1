"""A table as a grid of cell values (a header row, then rows) read into the records of its sheet declaration.

The one place that says how a header cell names a declared column (:func:`fold`, :func:`header_index`) and how a
column's cells are parsed (:func:`column_parser`). The workbook reader (``io/reader.py``) uses them on the sheets
python-calamine reads; :func:`read_grid` uses them on a table Excel hands to a worksheet function
(``=CAMPAIGN_KPI_BY(KPI[#All], …)``: the header row and the rows, as xlwings converts them), so that a rollup in
a cell reads the rows exactly as the Summary sheet's do.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import parse as P
from . import spec as S
from .model import ValueProblem

_SPACES = re.compile(r"\s+")
_TRAILING_NOTE = re.compile(r"[(（][^)）]*[)）]$")


def fold(text: object) -> str:
    """A header as compared: NFKC, lower case, no spaces, no ``*`` marker, no trailing parenthetical."""
    return _fold_text(text) if isinstance(text, str) else ""


@functools.lru_cache(maxsize=8192)
def _fold_text(text: str) -> str:
    folded = _SPACES.sub("", unicodedata.normalize("NFKC", text).strip().lower()).strip("*:：")
    return _TRAILING_NOTE.sub("", folded) or folded


def _name_index(spec: S.SheetSpec) -> dict[str, str]:
    """Folded header text -> column key, for every name of every column (computed ones included)."""
    index: dict[str, str] = {}
    for column in spec.columns:
        for name in column.names():
            index.setdefault(fold(name), column.key)
    return index


INDEXES: dict[str, dict[str, str]] = {key: _name_index(spec) for key, spec in S.SPECS.items()}


def header_index(spec_key: str) -> dict[str, str]:
    """Folded header text -> column key of the sheet ``spec_key`` (every header and alias, both languages)."""
    return INDEXES[spec_key]


def column_parser(column: S.Column, date1904: bool = False) -> Callable[[Any], P.Parsed]:
    """The parser of one column's cells, by its type."""
    match column.type:
        case S.ColType.DATE:
            return lambda raw: P.parse_date(raw, date1904)
        case S.ColType.INT:
            return P.parse_int
        case S.ColType.MONEY:
            return P.parse_money
        case S.ColType.PERCENT:
            return P.parse_percent
        case S.ColType.PEOPLE:
            return P.parse_people
        case S.ColType.LIST:
            return lambda raw: P.Parsed(P.split_list(raw))
        case S.ColType.IDS:
            return P.parse_ids
        case S.ColType.CHOICE:
            vocab = column.vocab or ""
            return lambda raw: P.parse_choice(raw, vocab)
        case S.ColType.FLAG:
            return P.parse_flag
        case S.ColType.TARGET:
            return P.parse_target
        case _:
            return P.parse_text


def match_headers(cells: Sequence[Any] | None, spec_key: str) -> dict[str, int]:
    """Column key -> 1-based column for every header cell that names a declared column (first one wins)."""
    index = INDEXES[spec_key]
    found: dict[str, int] = {}
    for position, cell in enumerate(cells or [], start=1):
        key = index.get(fold(cell))
        if key is not None and key not in found:
            found[key] = position
    return found


def header_lang(cells: Sequence[Any], spec_key: str) -> str | None:
    """The language a header row is written in: "zh" or "en" by which headers it uses, None when undecided."""
    spec = S.SPECS[spec_key]
    texts = {fold(cell) for cell in cells if isinstance(cell, str)}
    zh = sum(1 for column in spec.columns if fold(column.zh) in texts)
    en = sum(1 for column in spec.columns if fold(column.en) in texts)
    if zh != en:
        return "zh" if zh > en else "en"
    if any("\u4e00" <= ch <= "\u9fff" for text in texts for ch in text):
        return "zh"
    return "en" if texts else None


@dataclass
class Grid:
    """The records read from a grid, the columns found (key -> 0-based index) and the header's language."""

    records: list[Any] = field(default_factory=list)
    columns: dict[str, int] = field(default_factory=dict)
    lang: str | None = None


def read_grid(spec_key: str, rows: Sequence[Sequence[Any]], *, date1904: bool = False) -> Grid:
    """The records of the table ``spec_key`` from ``rows``: the first row is the header (matched by every header
    and alias in both languages), then one record per non-blank row, its ``row`` the 1-based position in ``rows``.

    A cell that does not parse is kept as the record's ``ValueProblem``, as the workbook reader keeps it."""
    spec = S.SPECS[spec_key]
    record_type = spec.record
    assert record_type is not None
    if not rows:
        return Grid()
    header = list(rows[0])
    found = match_headers(header, spec_key)
    columns = {c.key: found[c.key] - 1 for c in spec.input_columns if c.key in found}
    parsers = [(index, key, column_parser(spec.column(key), date1904)) for key, index in columns.items()]
    grid = Grid(columns=columns, lang=header_lang(header, spec_key))
    for offset, cells in enumerate(rows[1:], start=2):
        values: dict[str, Any] = {}
        problems: list[ValueProblem] = []
        blank = True
        for index, key, parser in parsers:
            raw = cells[index] if index < len(cells) else None
            if P.is_blank(raw):
                continue
            blank = False
            parsed = parser(raw)
            if parsed.value is not None and parsed.value != []:
                values[key] = parsed.value
            if parsed.problem is not None:
                problems.append(ValueProblem(key, raw, parsed.problem, parsed.detail))
        if not blank:
            grid.records.append(record_type(row=offset, problems=problems, **values))
    return grid
