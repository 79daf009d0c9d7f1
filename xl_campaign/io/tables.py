"""Flat tables written for BI tools: CSV (standard library) and Parquet (pyarrow, when installed).

Rows are dicts with plain values (text, int, Decimal, date, None) and a declared type per column (``text``,
``date``, ``money``, ``rate``, ``int``). CSV: UTF-8, ISO dates, numbers as written by Python, empty for None; text
that a spreadsheet would run as a formula (it starts with ``=``, ``+``, ``-``, ``@``, a tab or a line break) gets a
leading ``'`` (OWASP's advice against CSV injection); money exact as the core has it, rates as doubles. Parquet: dates as ``date32``, money and rates as ``float64``
(as the DataFrames' rule: the amounts are doubles in the workbook already), counts as ``int64``, text as ``string``.
Both are written to a temporary file first and then moved into place.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal

Columns = Sequence[tuple[str, str]]
DANGEROUS_START = ("=", "+", "-", "@", "\t", "\r", "\n")
FORMATS = (".csv", ".parquet")


class MissingPyarrow(ImportError):
    """Parquet was asked for but pyarrow is not installed."""


def _atomic(path: str, write: Callable[[str], None]) -> str:
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    handle, tmp = tempfile.mkstemp(prefix=".xl-campaign-", suffix=os.path.splitext(path)[1], dir=folder)
    os.close(handle)
    try:
        write(tmp)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def safe_text(text: str) -> str:
    """Text a spreadsheet opening the CSV will not run as a formula."""
    return "'" + text if text.startswith(DANGEROUS_START) else text


def _csv_cell(value: object, kind: str) -> object:
    if value is None:
        return ""
    if kind == "rate" and isinstance(value, Decimal | float | int):
        return repr(float(value))  # 0.12, 4.459963755956776: a rate's digits beyond a double's mean nothing
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    if isinstance(value, str):
        return safe_text(value)
    return value


def write_csv(rows: Sequence[dict[str, object]], columns: Columns, path: str) -> str:
    """``rows`` as a CSV file at ``path`` (header: the column names)."""
    names = [name for name, _ in columns]

    def write(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8", newline="") as handle:
            out = csv.writer(handle)
            out.writerow(names)
            for row in rows:
                out.writerow([_csv_cell(row.get(name), kind) for name, kind in columns])

    return _atomic(path, write)


def pyarrow_available() -> bool:
    """Whether Parquet can be written (pyarrow imports); asked before any work, so a missing one costs nothing."""
    try:
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        return False
    return True


def write_parquet(rows: Sequence[dict[str, object]], columns: Columns, path: str) -> str:
    """``rows`` as a Parquet file at ``path``; raises :class:`MissingPyarrow` without pyarrow."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise MissingPyarrow("Parquet needs pyarrow: pip install 'xl-campaign[parquet]'") from None
    types = {"text": pa.string(), "date": pa.date32(), "money": pa.float64(), "rate": pa.float64(),
             "int": pa.int64()}
    arrays = []
    for name, kind in columns:
        values = [row.get(name) for row in rows]
        if kind in ("money", "rate"):
            values = [None if v is None else float(v) for v in values]  # type: ignore[arg-type]
        arrays.append(pa.array(values, type=types[kind]))
    table = pa.table(arrays, names=[name for name, _ in columns])
    return _atomic(path, lambda tmp: pq.write_table(table, tmp))
