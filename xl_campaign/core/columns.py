"""What a column is: its type, headers in both languages, aliases, format, width and dropdown vocabulary.

A column is declared once, as a field of its record class in ``model.py`` (``name: str | None = column(...)``):
the field gives the key and the Python type, :func:`column` the rest. ``spec.py`` builds each sheet's
declaration from those fields; the template writer, the reader, the validator, the UDF converters and the docs
all read the sheet declarations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from .text import t

MONEY_FORMAT = "#,##0.00"
INT_FORMAT = "#,##0"
PERCENT_FORMAT = "0.0%"
DATE_FORMAT = "yyyy-mm-dd"


class ColType(StrEnum):
    """How a column's cells are parsed."""

    TEXT = "text"
    INT = "int"  # counts: impressions, clicks, quantity
    MONEY = "money"  # exact amounts (Decimal)
    PERCENT = "percent"  # a rate: 0.1, "10%", 10 (read as 10%)
    DATE = "date"
    PEOPLE = "people"  # owner cells: "*小明", "小明、小红"
    LIST = "list"  # several values in a cell: departments "市场部、设计部"
    IDS = "ids"  # task IDs: "T1, T2"
    CHOICE = "choice"  # one value of a vocabulary (vocab.py)
    FLAG = "flag"  # yes/no
    TARGET = "target"  # a goal's target: a number, a rate, "1:5" or "+30%" on the baseline (parse.parse_target)


# Column types whose field holds a list (empty when the cell is empty).
LIST_TYPES = (ColType.PEOPLE, ColType.LIST, ColType.IDS)


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a table sheet (or one field of a form sheet)."""

    key: str
    type: ColType
    zh: str
    en: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    vocab: str | None = None  # vocabulary name for CHOICE / FLAG columns
    number_format: str | None = None
    width: float = 14.0
    # A computed column: its template formula (Excel syntax, structured references; "{sheet.column}" header
    # placeholders are resolved per language by ``spec.resolve_formula``). Computed columns are not read as input.
    formula: str | None = None
    note_zh: str = ""
    note_en: str = ""

    def header(self, lang: str) -> str:
        """The header text of this column in a workbook of language ``lang``."""
        return t(lang, self.zh, self.en)

    def note(self, lang: str) -> str:
        return t(lang, self.note_zh, self.note_en)

    def names(self) -> tuple[str, ...]:
        """Every header text that identifies this column."""
        return (self.zh, self.en, self.key, *self.aliases)


COLUMN = "xl_campaign.column"  # the dataclass field metadata key that holds a field's Column


def column(type_: ColType, zh: str, en: str, aliases: tuple[str, ...] = (), *, required: bool = False,
           vocab: str | None = None, number_format: str | None = None, width: float = 14.0,
           note_zh: str = "", note_en: str = "") -> Any:
    """A record field that is a sheet column (use as the field's default: ``owner: list[str] = column(...)``).

    The field's default follows the type: an empty list for people, lists and IDs, False for flags, else None.
    """
    declared = Column("", type_, zh, en, aliases, required, vocab, number_format, width, None, note_zh, note_en)
    metadata = {COLUMN: declared}
    if type_ in LIST_TYPES:
        return field(default_factory=list, metadata=metadata)
    return field(default=False if type_ is ColType.FLAG else None, metadata=metadata)
