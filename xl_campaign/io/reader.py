"""Read any campaign workbook into a :class:`~xl_campaign.core.model.Plan`, fast, with exact cell positions.

Order of search for each declared table: the Excel Table by its stable name; else the sheet by its zh/en name
(or alias) and the header row inside it; else any sheet whose header row matches the declared headers — so a
workbook typed like the source document's own tables reads too. Values are parsed by column type (core.parse);
a value that does not parse is kept as a ``ValueProblem`` with its position, never dropped.
"""

from __future__ import annotations

import functools
import os
import re
import unicodedata
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from ..core import parse as P
from ..core import spec as S
from ..core import tables as T
from ..core.model import Overview, Plan, TableInfo, ValueProblem
from . import guard

HEADER_SEARCH_ROWS = 30  # how deep a header row is looked for
FORM_SEARCH_ROWS = 60
FORM_SEARCH_COLS = 8


class UnreadableWorkbook(Exception):
    """The file is not a workbook this tool can read; ``problem`` (a FileProblem: XF code and detail) says why."""

    def __init__(self, problem: guard.FileProblem) -> None:
        super().__init__(f"{problem.code}: {problem.detail}")
        self.problem = problem


# How a header names a column and how a column's cells are parsed: one home, shared with the worksheet functions.
fold = T.fold
_parser = T.column_parser
_INDEXES = T.INDEXES


# Problems that still yield a value: the value is used, the problem is kept for hygiene rules.


class _Book:
    """Lazy access to one calamine workbook's sheets as 0-based grids anchored at A1."""

    def __init__(self, path: str, data: bytes | None = None) -> None:
        import python_calamine

        self.path = path
        try:
            if data is not None:  # the bytes the package scan read and checked
                import io

                self.wb = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data), load_tables=True)
            else:
                self.wb = python_calamine.CalamineWorkbook.from_path(path, load_tables=True)
        except Exception as exc:  # calamine raises its own error types for broken packages
            why = _why_unreadable(path, exc) if data is not None else f"{type(exc).__name__}: {exc}"
            raise UnreadableWorkbook(guard.FileProblem("XF008", why, "parts")) from exc
        self.sheet_names: list[str] = list(self.wb.sheet_names)
        self._grids: dict[str, list[list[Any]]] = {}
        self.max_rows: dict[str, int] = {}  # last row with a cell, per sheet, when the package scan knows it
        try:
            self.table_names: list[str] = list(self.wb.table_names or [])
        except Exception:
            self.table_names = []

    def grid(self, sheet: str) -> list[list[Any]]:
        if sheet not in self._grids:
            try:
                self._grids[sheet] = self.wb.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
            except Exception:
                self._grids[sheet] = []
        return self._grids[sheet]

    def table(self, name: str) -> Any | None:
        for candidate in self.table_names:
            if candidate.lower() == name.lower():
                try:
                    return self.wb.get_table_by_name(candidate)
                except Exception:
                    return None
        return None


def _why_unreadable(path: str, exc: Exception) -> str:
    """Calamine's reason for refusing a package. From a stream it can only say "Cannot detect file format";
    opened by name (the extension tells it the format) it says what is broken. Only the message is taken from
    that second opening: what is read is always the bytes that were scanned."""
    import python_calamine

    try:
        python_calamine.CalamineWorkbook.from_path(path, load_tables=True)
    except Exception as named:  # calamine raises its own error types for broken packages
        return f"{type(named).__name__}: {named}"
    return f"{type(exc).__name__}: {exc}"


def _find_header_row(grid: list[list[Any]], spec: S.SheetSpec, min_matches: int,
                     start: int = 0, strict: bool = False) -> tuple[int, dict[str, int]] | None:
    """(1-based header row, column map) of the best header row in the first rows of ``grid``.

    ``strict`` (a sheet whose name says nothing): every required column must be there, so that a Materials sheet
    (owner, due date, status) is not taken for the Tasks table."""
    required = {c.key for c in spec.input_columns if c.required}
    inputs = _INPUTS[spec.key]  # computed columns (Channels' actuals) do not identify a table
    best: tuple[int, dict[str, int]] | None = None
    for r in range(start, min(len(grid), start + HEADER_SEARCH_ROWS)):
        found = T.match_headers(grid[r], spec.key)
        if len(found.keys() & inputs) >= min_matches and (best is None or len(found) > len(best[1])):
            if strict and (not required <= found.keys() or _claimed_by_other(grid[r], spec.key, found)):
                continue
            if required & found.keys() or len(found) >= len(spec.input_columns) // 2:
                best = (r + 1, found)
    return best


_INPUTS = {key: {c.key for c in spec.input_columns} for key, spec in S.SPECS.items()}


def _claimed_by_other(cells: list[Any], key: str, found: dict[str, int]) -> bool:
    """True when another table's headers match this header row better: a Budget sheet (项目, 负责人, 备注 …) is
    not a Materials table whose sheet was deleted, however many of its headers Materials also knows."""
    mine = len(found.keys() & _INPUTS[key])
    for other in S.TABLE_SPECS:
        if other.key not in (key, "goals") and \
                len(T.match_headers(cells, other.key).keys() & _INPUTS[other.key]) > mine:
            return True
    return False


def _unmatched(cells: list[Any], columns: dict[str, int], first_col: int = 1) -> list[tuple[int, str]]:
    """(1-based column, text) of the header cells that name no declared column (a renamed header, say)."""
    taken = set(columns.values())
    return [(first_col + i, str(c).strip()) for i, c in enumerate(cells or [])
            if c not in (None, "") and str(c).strip() and first_col + i not in taken]


def _sheet_for(book: _Book, names: tuple[str, ...]) -> str | None:
    wanted = {fold(n) for n in names}
    for sheet in book.sheet_names:
        if fold(sheet) in wanted:
            return sheet
    return None


@functools.lru_cache(maxsize=256)
def _column_plan(spec_key: str, columns: tuple[tuple[str, int], ...], date1904: bool
                 ) -> tuple[tuple[int, str, S.ColType, Callable[[Any], P.Parsed], str], ...]:
    """(0-based index, key, type, parser, vocabulary) of each declared input column found at ``columns``."""
    found = dict(columns)
    return tuple((found[c.key] - 1, c.key, c.type, _parser(c, date1904), c.vocab or "")
                 for c in S.SPECS[spec_key].input_columns if c.key in found)


_INT, _MONEY, _DATE, _TEXT, _PERCENT = S.ColType.INT, S.ColType.MONEY, S.ColType.DATE, S.ColType.TEXT, \
    S.ColType.PERCENT
_PEOPLE, _LIST, _CHOICE = S.ColType.PEOPLE, S.ColType.LIST, S.ColType.CHOICE


def _read_rows(spec: S.SheetSpec, info: TableInfo, rows: list[list[Any]], first_row: int,
               date1904: bool, plan: Plan, records: list[Any] | None = None) -> None:
    """Parse ``rows`` (grid rows starting at 1-based ``first_row``) into records of ``spec``.

    The cell types a clean workbook has (numbers in number columns, dates in date columns, text in text,
    name and dropdown columns) take a direct path; everything else goes through its column's parser."""
    record_type = spec.record
    assert record_type is not None
    columns = _column_plan(spec.key, tuple(info.columns.items()), date1904)
    keep_typed = spec.key == "tasks"  # the Gantt looks tasks up by ID: it caches what the cells hold
    append = (plan.records(spec.key) if records is None else records).append
    last = info.header_row
    people, listed, choice = P.people_of_text, P.list_of_text, P.choice_of_text
    metric_columns = _metric_columns(info) if spec.metric_columns else ()
    for offset, cells in enumerate(rows):
        width = len(cells)
        values: dict[str, Any] = {}
        problems: list[ValueProblem] = []
        blank = True
        for col, key, kind, parser, vocab in columns:
            raw = cells[col] if col < width else None
            if raw is None or raw == "":
                continue
            blank = False
            raw_type = type(raw)
            if raw_type is str:
                if kind is _TEXT:
                    text = raw.strip()
                    if text:
                        values[key] = text
                        if text is not raw:  # "KOL " is KOL to the checker, not to Excel's SUMIFS
                            problems.append(ValueProblem(key, raw, P.PADDED_TEXT))
                    continue
                if kind is _PEOPLE or kind is _LIST:
                    parts = people(raw) if kind is _PEOPLE else listed(raw)
                    if parts:
                        values[key] = parts
                    continue
                if kind is _CHOICE:
                    parsed = choice(raw, vocab) if raw.strip() else P.EMPTY
                else:
                    parsed = parser(raw)
            elif raw_type is float:
                if kind is _INT and raw.is_integer():
                    values[key] = int(raw)
                    continue
                if kind is _MONEY and raw == raw and raw not in _INFINITE:
                    values[key] = Decimal(int(raw)) if raw.is_integer() else Decimal(repr(raw))
                    continue
                if kind is _PERCENT and raw == raw and raw not in _INFINITE:
                    number = Decimal(int(raw)) if raw.is_integer() else Decimal(repr(raw))
                    values[key] = number / 100 if 1 < number <= 100 else number
                    continue
                parsed = parser(raw)
            elif raw_type is date and kind is _DATE:
                values[key] = raw
                continue
            else:
                parsed = parser(raw)
            if parsed.value is not None and parsed.value != []:
                values[key] = parsed.value
            if parsed.problem is not None:
                problems.append(ValueProblem(key, raw, parsed.problem, parsed.detail))
        if blank:
            continue
        row = first_row + offset
        last = row
        if keep_typed:
            values["typed"] = {key: cells[col] for col, key, *_ in columns if col < width and cells[col] is not None}
        record = record_type(row=row, problems=problems, **values)
        for index, header, parse in metric_columns:
            raw = cells[index] if index < width else None
            if raw is None or raw == "":
                continue
            parsed = parse(raw)
            if parsed.value is not None:
                record.metrics[header] = parsed.value
            else:
                record.unread.append((header, raw, index + 1))
        append(record)
    info.last_row = last


_INFINITE = (float("inf"), float("-inf"))


def _locate_table(book: _Book, spec: S.SheetSpec, plan: Plan, used: set[str]) -> None:
    date1904 = plan.date1904
    table = book.table(spec.table)
    if table is not None:
        start, headers, sheet_name = table.start, table.columns or [], table.sheet  # each a conversion: once
        header_row = start[0]  # calamine: 0-based first data row == 1-based header row
        first_col = start[1] + 1
        found = T.match_headers(headers, spec.key)
        columns = {key: first_col + pos - 1 for key, pos in found.items()}
        info = TableInfo(spec.key, sheet_name, header_row, columns, "table", table.name,
                         headers=[str(c) for c in headers])
        info.missing = [c.key for c in spec.input_columns if c.key not in columns]
        info.unmatched = _unmatched(headers, columns, first_col)
        plan.tables[spec.key] = info
        try:
            rows = table.to_python()
        except Exception:
            rows = []
        # table rows are relative to the table's first column
        shifted = [[None] * (first_col - 1) + list(r) for r in rows] if first_col > 1 else rows
        _read_rows(spec, info, shifted, header_row + 1, date1904, plan)
        _read_rows_below(book, spec, info, table, first_col, plan)
        used.add(sheet_name)
        return
    candidates: list[tuple[str, str]] = []
    sheet = _sheet_for(book, spec.names())
    if sheet is not None:
        candidates.append((sheet, "sheet"))
    if spec.key == "goals" and plan.overview_sheet:
        candidates.append((plan.overview_sheet, "sheet"))
    generated = {fold(n) for g in S.GENERATED_SHEETS for n in g.names()}  # never data, whatever they show
    candidates += [(name, "headers") for name in book.sheet_names
                   if name not in used and name != sheet and fold(name) not in generated]
    for name, how in candidates:
        grid = book.grid(name)
        min_matches = 2 if how == "sheet" else 3
        start = 0
        if spec.key == "goals" and name == plan.overview_sheet:
            start = max((p[0] for p in plan.overview.positions.values()), default=0)
        hit = _find_header_row(grid, spec, min_matches, start, strict=how == "headers")
        if hit is None:
            continue
        header_row, columns = hit
        info = TableInfo(spec.key, name, header_row, columns, how,
                         headers=[str(c) for c in grid[header_row - 1] if c not in (None, "")])
        info.missing = [c.key for c in spec.input_columns if c.key not in columns]
        info.unmatched = _unmatched(grid[header_row - 1], columns)
        plan.tables[spec.key] = info
        _read_rows(spec, info, grid[header_row:], header_row + 1, date1904, plan)
        if how == "headers" or spec.key != "goals":
            used.add(name)
        return
    if spec.required:
        plan.missing_sheets.append(spec.key)


_RATE_HEADER = re.compile(r"率|rate|%|％|ratio|占比", re.IGNORECASE)


def _metric_columns(info: TableInfo) -> tuple[tuple[int, str, Callable[[Any], P.Parsed]], ...]:
    """(0-based index, header, parser) of the user's own metric columns: every header the table does not
    declare; a header that names a rate (分享率, share rate, %) reads 15 and 15% alike as 15%."""
    return tuple((col - 1, text, P.parse_percent if _RATE_HEADER.search(text) else P.parse_money)
                 for col, text in info.unmatched)


def _read_rows_below(book: _Book, spec: S.SheetSpec, info: TableInfo, table: Any, first_col: int,
                     plan: Plan) -> None:
    """Rows typed right below an Excel Table, outside its range: Excel's formulas over the Table (SUMIFS, the
    totals) skip them, but they are the user's rows — read them, and note them for WB015."""
    try:
        last_row, last_col = table.end  # 0-based, the last data row
    except Exception:  # calamine without the range: nothing to look below
        return
    if book.max_rows.get(info.sheet, last_row + 2) <= last_row + 1:
        return  # the sheet has no cell below the table: no need to read its grid
    grid = book.grid(info.sheet)
    below: list[list[Any]] = []
    for cells in grid[last_row + 1:]:
        span = cells[first_col - 1:last_col + 1]
        if all(c is None or c == "" for c in span):
            break
        below.append(cells)
    if not below:
        return
    records = plan.records(spec.key)
    before, last = len(records), info.last_row
    _read_rows(spec, info, below, last_row + 2, plan.date1904, plan)
    info.outside_rows = [record.row for record in records[before:]]
    if not info.outside_rows:
        info.last_row = last


def _same_task(text: str | None) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text or "")).lower()


def _join_tasks(plan: Plan, extra: list[Any], info: TableInfo) -> None:
    """Join the rows of a second task table (the source's 时间进度表 beside its 任务分工表) into the tasks: a row
    with the same task text and owners as a task fills that task's empty columns, the other rows are added."""
    index: dict[tuple[str, tuple[str, ...]], Any] = {}
    for task in plan.tasks:
        if task.task:
            index.setdefault((_same_task(task.task), tuple(sorted(task.owner))), task)
    for record in extra:
        cells = {key: (info.sheet, record.row, col) for key, col in info.columns.items()}
        target = index.get((_same_task(record.task), tuple(sorted(record.owner)))) if record.task else None
        if target is None:
            record.cells = {**cells, "": (info.sheet, record.row, 1)}
            plan.tasks.append(record)
            continue
        moved = dict(target.cells or {})
        for key in info.columns:
            value = getattr(record, key)
            if (value is None or value == [] or value is False) and record.problem_for(key) is None:
                continue
            current = getattr(target, key)
            if (current is None or current == [] or current is False) and target.problem_for(key) is None:
                setattr(target, key, value)
                moved[key] = cells[key]
                target.problems += [p for p in record.problems if p.field == key]
        target.cells = moved or None


def _other_tables(book: _Book, plan: Plan, used: set[str]) -> None:
    """Sheets not read yet whose header row really is a campaign table's: a second task table is read and joined;
    a table of a kind already read elsewhere is noted (WB016), never dropped silently."""
    skip = {fold(n) for g in (*S.GENERATED_SHEETS, S.GUIDE) for n in g.names()}
    for name in book.sheet_names:
        if name in used or name == plan.overview_sheet or fold(name) in skip:
            continue
        grid = book.grid(name)
        for spec in S.TABLE_SPECS:
            if spec.key == "goals":
                continue
            named = fold(name) in {fold(n) for n in spec.names()}
            hit = _find_header_row(grid, spec, 2 if named else 3, strict=True)
            if hit is None:
                continue
            header_row, columns = hit
            if spec.key == "tasks" and "tasks" in plan.tables:
                info = TableInfo(spec.key, name, header_row, columns, "sheet" if named else "headers",
                                 headers=[str(c) for c in grid[header_row - 1] if c not in (None, "")])
                info.missing = [c.key for c in spec.input_columns if c.key not in columns]
                info.unmatched = _unmatched(grid[header_row - 1], columns)
                extra: list[Any] = []
                _read_rows(spec, info, grid[header_row:], header_row + 1, plan.date1904, plan, extra)
                plan.extra_tables.append(info)
                _join_tasks(plan, extra, info)
            elif spec.key in plan.tables:
                plan.unread_tables.append((spec.key, name, header_row))
            else:
                continue
            used.add(name)
            break


def _read_overview(book: _Book, plan: Plan) -> None:
    spec = S.OVERVIEW
    sheet = _sheet_for(book, spec.names())
    if sheet is None:
        plan.missing_sheets.append(spec.key)
        return
    plan.overview_sheet = sheet
    grid = book.grid(sheet)
    index = _INDEXES[spec.key]
    overview = Overview()
    columns = {c.key: c for c in spec.columns}
    for r in range(min(len(grid), FORM_SEARCH_ROWS)):
        cells = grid[r]
        for c in range(min(len(cells), FORM_SEARCH_COLS)):
            key = index.get(fold(cells[c]))
            if key is None or key in overview.positions:
                continue
            value_col = c + 1  # the value sits right of its label
            overview.positions[key] = (r + 1, value_col + 1)
            raw = cells[value_col] if value_col < len(cells) else None
            if raw in (None, ""):
                continue
            parsed = _parser(columns[key], plan.date1904)(raw)
            if parsed.value is not None and parsed.value != []:
                setattr(overview, key, parsed.value)
            if parsed.problem is not None:
                overview.problems.append(ValueProblem(key, raw, parsed.problem, parsed.detail))
            break  # one field per row
    plan.overview = overview


def _detect_lang(book: _Book) -> str:
    names = [(s.zh, s.en) for s in S.INPUT_SPECS] + [(S.GUIDE.zh, S.GUIDE.en)]
    zh = sum(1 for name_zh, _ in names if name_zh in book.sheet_names)
    en = sum(1 for _, name_en in names if name_en in book.sheet_names)
    if zh == en:
        text = "".join(book.sheet_names)
        return "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in text) or not text else "en"
    return "zh" if zh > en else "en"


def read_plan(path: str | os.PathLike[str], data: bytes | None = None) -> Plan:
    """Read the campaign workbook at ``path`` (``data``: its bytes, when the caller has read them already).

    Raises :class:`UnreadableWorkbook` when the file must not or cannot be parsed (the guard's verdict or a
    broken package); everything wrong *inside* a readable workbook is kept in the Plan for the validator.
    """
    from .xlsx import scan_package, template_computed_cells

    path = os.fspath(path)
    problem = guard.sniff(path, data)
    if problem is not None:
        raise UnreadableWorkbook(problem)
    scan = scan_package(path, data)  # the guard's zip checks, then the sheets: one too large would abort calamine
    if scan.problem is not None:
        raise UnreadableWorkbook(scan.problem)
    if scan.too_large:
        raise UnreadableWorkbook(guard.FileProblem("XF012", scan.too_large))
    data = scan.data
    macro_sheets = {name for name, part in scan.workbook.sheet_parts.items() if "macrosheets/" in part.lower()}
    if macro_sheets and data is not None:  # python-calamine refuses a workbook that lists Excel 4.0 macro sheets
        from .xlsx import without_sheets

        data = without_sheets(data, macro_sheets)
    book = _Book(path, data)
    xml = scan.workbook
    book.max_rows = {name: sheet.max_row for name, sheet in scan.sheets.items()}
    plan = Plan(path=path, sheet_names=book.sheet_names, date1904=xml.date1904)
    plan.lang = _detect_lang(book)
    _read_overview(book, plan)
    used: set[str] = set()
    if plan.overview_sheet:
        used.add(plan.overview_sheet)
    for spec in S.TABLE_SPECS:
        _locate_table(book, spec, plan, used)
    _other_tables(book, plan, used)
    for name in [f"Budget_{key}" for key, _, _ in S.BUDGET_SUMMARY_ROWS]:
        where = xml.name_cell(name)
        if where is None or where[0] not in book.sheet_names:
            continue
        sheet, row, col = where
        scanned = scan.sheets.get(sheet)
        cached = scanned.cached_value(row, col) if scanned is not None else None
        value = cached if cached is not None else _cell(book, sheet, row, col)  # a typed value: from the sheet
        if cached is not None or value is not None:
            plan.computed_values[name] = value
    plan.cell_notes = scan.cell_notes(template_computed_cells(plan, xml), lambda sheet, r, c: _cell(book, sheet, r, c))
    plan.security_notes = scan.security
    return plan


def _cell(book: _Book, sheet: str, row: int, col: int) -> Any:
    grid = book.grid(sheet)
    return grid[row - 1][col - 1] if row - 1 < len(grid) and col - 1 < len(grid[row - 1]) else None


def plan_of_values(lang: str, overview: dict[str, Any], tables: dict[str, list[dict[str, Any]]],
                   first_rows: dict[str, int] | None = None) -> Plan:
    """The plan the reader would read from a workbook holding these raw values — the overview form's by field key
    and each table's rows by column key, exactly as typed — through the same parsers, without writing the
    workbook (the template writer computes its formulas' cached values from it). ``first_rows``: the 1-based
    sheet row of each table's first record (default 1)."""
    plan = Plan(lang=lang)
    for column in S.OVERVIEW.columns:
        raw = overview.get(column.key)
        if raw in (None, ""):
            continue
        parsed = _parser(column, False)(raw)
        if parsed.value is not None and parsed.value != []:
            setattr(plan.overview, column.key, parsed.value)
        if parsed.problem is not None:
            plan.overview.problems.append(ValueProblem(column.key, raw, parsed.problem, parsed.detail))
    for spec in S.TABLE_SPECS:
        keys = [c.key for c in spec.columns]
        info = TableInfo(spec.key, spec.name(lang), 0, {key: index for index, key in enumerate(keys, start=1)},
                         "table", spec.table)
        grid = [[row.get(key) for key in keys] for row in tables.get(spec.key, [])]
        first = (first_rows or {}).get(spec.key, 1)
        info.header_row = first - 1
        plan.tables[spec.key] = info
        _read_rows(spec, info, grid, first, False, plan)
    return plan
