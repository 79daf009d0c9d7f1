"""Cached formula values, written next to every formula the tool writes, inside the same save.

openpyxl writes a formula cell as ``<c r="B5"><f>SUM(B2:B4)</f><v/></c>``: no value, so every reader that does not
recalculate (mail and file previews, pandas and calamine, Excel in manual calculation) shows a blank, and the
package scan reports WB005 on the tool's own output. The core knows each value; :func:`save` writes it.

How: :func:`save` runs openpyxl's own ``ExcelWriter`` on a zip archive that intercepts each worksheet part on its
way into the package and fills the empty ``<v/>`` of the formula cells it has a value for (with the ``t`` type
Excel stores: a number, ``str`` text, ``b`` a boolean, ``e`` an error). Nothing else of the part changes, and
nothing is written twice: the values go in while openpyxl writes, into the same temporary file the atomic save
then moves into place. A worksheet that was given values but never passed through the archive is a bug (a
changed openpyxl): :func:`save` raises rather than write a workbook without them.

Values (:data:`Values`: sheet title -> ``{(row, col): value}``) are Python values — int, float, Decimal, str,
bool, date/datetime (stored as serial numbers in the workbook's date system), :class:`ErrorValue` — or
:class:`Raw` values carried over from another file as they were stored there (``update`` keeps the values of the
formulas in the user's own sheets that way).
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

if TYPE_CHECKING:
    from openpyxl import Workbook


@dataclass(frozen=True, slots=True)
class Raw:
    """A cached value as another file stored it: the ``<v>`` text (XML-escaped bytes) and its ``t`` type."""

    text: bytes
    kind: bytes = b"n"  # n | str | b | e


@dataclass(frozen=True, slots=True)
class ErrorValue:
    """An error a formula evaluates to: ``#N/A``, ``#DIV/0!`` …"""

    text: str


Values = Mapping[str, Mapping[tuple[int, int], Any]]

# A formula cell as openpyxl writes it: reference, other attributes (a style, never a type), the formula element,
# the empty value element.
_FORMULA_CELL = re.compile(rb'<c r="([A-Z]{1,3})(\d+)"((?:\s+s="\d+")?)\s*>(<f\b[^>]*?(?:/>|>[^<]*</f>))<v\s*/></c>')


def _col(letters: bytes) -> int:
    index = 0
    for byte in letters:
        index = index * 26 + (byte - 64)
    return index


def encode(value: Any, epoch: datetime | None = None) -> tuple[bytes, bytes] | None:
    """(``t`` type, ``<v>`` text) for ``value``; None for no value (None)."""
    if value is None:
        return None
    if isinstance(value, Raw):
        return value.kind, value.text
    if isinstance(value, ErrorValue):
        return b"e", escape(value.text).encode()
    if isinstance(value, bool):
        return b"b", b"1" if value else b"0"
    if isinstance(value, int):
        return b"n", str(value).encode()
    if isinstance(value, Decimal):
        number = float(value)
        return b"n", (str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)).encode()
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return b"e", b"#NUM!"
        return b"n", (str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)).encode()
    if isinstance(value, datetime | date):
        from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900, to_excel

        serial = to_excel(value, epoch or CALENDAR_WINDOWS_1900)
        return encode(float(serial), epoch)
    text = str(value)
    return b"str", escape(text).encode("utf-8")


def fill(xml: bytes, values: Mapping[tuple[int, int], Any], epoch: datetime | None = None) -> tuple[bytes, int]:
    """``xml`` (a worksheet part openpyxl wrote) with the value of each formula cell in ``values`` filled in;
    and how many were filled."""
    filled = 0

    def one(m: re.Match[bytes]) -> bytes:
        nonlocal filled
        position = (int(m[2]), _col(m[1]))
        if position not in values:
            return m[0]
        encoded = encode(values[position], epoch)
        if encoded is None:
            return m[0]
        kind, text = encoded
        filled += 1
        t = b"" if kind == b"n" else b' t="' + kind + b'"'
        return b'<c r="' + m[1] + m[2] + b'"' + m[3] + t + b">" + m[4] + b"<v>" + text + b"</v></c>"

    if not values:
        return xml, 0
    return _FORMULA_CELL.sub(one, xml), filled


class _FillingZip(zipfile.ZipFile):
    """The package being written: each worksheet part that has values gets them on its way in."""

    def __init__(self, file: Any, parts: dict[str, Mapping[tuple[int, int], Any]], epoch: datetime | None) -> None:
        super().__init__(file, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self.parts = parts
        self.epoch = epoch
        self.seen: set[str] = set()
        self.filled = 0

    def write(self, filename: Any, arcname: Any = None, compress_type: Any = None,
              compresslevel: Any = None) -> None:
        values = self.parts.get(arcname) if isinstance(arcname, str) else None
        if values is None:
            super().write(filename, arcname, compress_type, compresslevel)
            return
        with open(filename, "rb") as handle:
            xml = handle.read()
        xml, count = fill(xml, values, self.epoch)
        self.seen.add(arcname)
        self.filled += count
        self.writestr(arcname, xml)


def save(wb: Workbook, target: Any, values: Values | None = None) -> int:
    """Save ``wb`` to ``target`` (a path or a binary file) with the cached ``values`` filled in (what
    ``openpyxl.Workbook.save`` does, plus the values). Returns how many formula cells got a value."""
    from openpyxl.writer.excel import ExcelWriter

    parts: dict[str, Mapping[tuple[int, int], Any]] = {}
    for index, ws in enumerate(wb.worksheets, start=1):  # openpyxl names the parts by this index on save
        sheet_values = (values or {}).get(ws.title)
        if sheet_values:
            parts[f"xl/worksheets/sheet{index}.xml"] = sheet_values
    wb.properties.modified = datetime.now().replace(microsecond=0)
    archive = _FillingZip(target, parts, getattr(wb, "epoch", None))
    try:
        ExcelWriter(wb, archive).save()
    finally:
        if archive.fp is not None:
            archive.close()
    missing = set(parts) - archive.seen
    if missing:
        raise RuntimeError(f"cached values not written: openpyxl did not write {sorted(missing)} as expected")
    return archive.filled
