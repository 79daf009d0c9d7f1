"""Parse what people really type into campaign sheets.

Each parser takes one cell value as a reader delivers it (None, str, int, float, bool, date, datetime) and
returns a :class:`Parsed`: the value (or None) and, when something is off, a :class:`ValueProblem` kind. A value
that cannot be parsed is never dropped: the reader keeps the raw value with its position for the validator.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from .vocab import VOCABULARIES, WHOLE_CAMPAIGN

# Problem kinds (stable strings; rules map them to codes).
UNPARSEABLE = "unparseable"
AMBIGUOUS_DATE = "ambiguous-date"
MISSING_YEAR = "missing-year"
TEXT_NUMBER = "number-as-text"  # parsed fine, but stored as text in the cell
TEXT_DATE = "date-as-text"  # parsed fine, but stored as text in the cell
UNKNOWN_CHOICE = "unknown-choice"
NOT_INTEGER = "not-integer"
WHOLE_CAMPAIGN_DATE = "whole-campaign"  # "活动全程": not a date, but a meaning
RATIO_FORM = "ratio-form"  # a target typed the source's way, "1:5" (revenue per unit of spend): read as 5
RELATIVE_TARGET = "relative"  # a target typed against the baseline, "+30%": read as 0.3 (not a problem)
PADDED_TEXT = "surrounding-space"  # read without the spaces, which Excel's lookups (SUMIFS) do not ignore


@dataclass(frozen=True, slots=True)
class Parsed:
    """The result of parsing one cell."""

    value: Any
    problem: str | None = None
    detail: str = ""  # e.g. the two readings of an ambiguous date, or a suggestion


EMPTY = Parsed(None)

_EXCEL_1900 = date(1899, 12, 30)
_EXCEL_1904 = date(1904, 1, 1)


def is_blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and not raw.strip())


def normalize_text(text: str) -> str:
    """NFKC (full-width digits and punctuation become ASCII) and trimmed."""
    return unicodedata.normalize("NFKC", text).strip()


def excel_serial_to_date(serial: float, date1904: bool = False) -> date | None:
    """An Excel serial day number to a date; None when out of Excel's range."""
    if not 0 < serial < 2958466:
        return None
    base = _EXCEL_1904 if date1904 else _EXCEL_1900
    return base + timedelta(days=int(serial))


_ISO = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_COMPACT = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DMY = re.compile(r"^(\d{1,2})\s*[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{4})$")
_MONTH_DAY = re.compile(r"^(\d{1,2})\s*[月/.-]\s*(\d{1,2})\s*日?$")
_SERIAL = re.compile(r"^[1-9]\d{4}$")  # a day number of 1927 … 2173


def parse_date(raw: object, date1904: bool = False) -> Parsed:
    """A date from a date cell, an Excel serial number or text in the forms people type.

    Text forms: ``2024-05-10``, ``2024/5/10``, ``2024.5.10``, ``2024年5月10日``, ``20240510``, full-width digits,
    ``10/05/2024`` (day/month order is only accepted when unambiguous). ``活动全程`` ("for the whole campaign")
    gives no date and the problem kind ``whole-campaign``.
    """
    if is_blank(raw):
        return EMPTY
    if isinstance(raw, datetime):
        return Parsed(raw.date())
    if isinstance(raw, date):
        return Parsed(raw)
    if isinstance(raw, bool):
        return Parsed(None, UNPARSEABLE)
    if isinstance(raw, int | float):
        parsed = excel_serial_to_date(float(raw), date1904)
        return Parsed(parsed) if parsed else Parsed(None, UNPARSEABLE)
    text = normalize_text(str(raw))
    if WHOLE_CAMPAIGN.lookup(text):
        return Parsed(None, WHOLE_CAMPAIGN_DATE)
    if m := _ISO.match(text) or _COMPACT.match(text):
        return _checked(int(m[1]), int(m[2]), int(m[3]))
    if m := _DMY.match(text):
        first, second, year = int(m[1]), int(m[2]), int(m[3])
        if first > 12 and second <= 12:
            return _checked(year, second, first)
        if second > 12 and first <= 12:
            return _checked(year, first, second)
        if first == second:
            return _checked(year, first, second)
        return Parsed(None, AMBIGUOUS_DATE, f"{year}-{second:02d}-{first:02d} / {year}-{first:02d}-{second:02d}")
    if _MONTH_DAY.match(text):
        return Parsed(None, MISSING_YEAR)
    if _SERIAL.match(text):  # Excel's day number stored as text ('45430'): say which date it is, do not guess
        day = excel_serial_to_date(float(text), date1904)
        if day is not None:
            return Parsed(None, UNPARSEABLE, day.isoformat())
    return Parsed(None, UNPARSEABLE)


def _checked(year: int, month: int, day: int) -> Parsed:
    try:
        return Parsed(date(year, month, day), TEXT_DATE)
    except ValueError:
        return Parsed(None, UNPARSEABLE)


_MULTIPLIERS = {"万": Decimal(10_000), "w": Decimal(10_000), "亿": Decimal(100_000_000), "k": Decimal(1000),
                "千": Decimal(1000), "m": Decimal(1_000_000), "百万": Decimal(1_000_000)}
_NUMBER = re.compile(r"^([+-]?)\(?([0-9]*\.?[0-9]+)\)?\s*(万|亿|千|百万|w|k|m)?$", re.IGNORECASE)
_CURRENCY = re.compile(r"(?i)^(?:rmb|cny|usd|eur)\s*|\s*(?:rmb|cny|usd|eur|元|块|圆)$|[¥$€£,，\s]")


def to_decimal(number: int | float) -> Decimal:
    """An exact Decimal for a float from a cell (repr gives the shortest round-tripping digits)."""
    if isinstance(number, int):
        return Decimal(number)
    if number.is_integer():
        return Decimal(int(number))
    return Decimal(repr(float(number)))


def parse_money(raw: object) -> Parsed:
    """An exact amount (Decimal) from a number or text such as ``1,200``, ``¥1,200``, ``50万``, ``(300)``."""
    if is_blank(raw):
        return EMPTY
    if isinstance(raw, bool) or isinstance(raw, date | datetime):
        return Parsed(None, UNPARSEABLE)
    if isinstance(raw, int | float):
        if raw != raw or raw in (float("inf"), float("-inf")):
            return Parsed(None, UNPARSEABLE)
        return Parsed(to_decimal(raw))
    text = normalize_text(str(raw))
    negative = text.startswith("(") and text.endswith(")")
    cleaned = _CURRENCY.sub("", text)
    m = _NUMBER.match(cleaned)
    if not m or cleaned.endswith("%"):
        return Parsed(None, UNPARSEABLE)
    try:
        value = Decimal(m[2]) * _MULTIPLIERS.get((m[3] or "").lower(), Decimal(1))
    except InvalidOperation:
        return Parsed(None, UNPARSEABLE)
    if m[1] == "-" or negative:
        value = -value
    return Parsed(Decimal(int(value)) if value == value.to_integral_value() else value, TEXT_NUMBER)


def parse_int(raw: object) -> Parsed:
    """A count (int) from a number or text (``50万`` = 500000, ``1,200``)."""
    money = parse_money(raw)
    if money.value is None:
        return money
    if money.value != money.value.to_integral_value():
        return Parsed(None, NOT_INTEGER)
    return Parsed(int(money.value), money.problem)


def parse_percent(raw: object) -> Parsed:
    """A rate as a Decimal fraction: ``0.1``, ``10%``, ``10`` (a bare number above 1 reads as percent)."""
    if is_blank(raw):
        return EMPTY
    if isinstance(raw, bool):
        return Parsed(None, UNPARSEABLE)
    if isinstance(raw, int | float):
        value = to_decimal(raw)
        return Parsed(value / 100 if 1 < value <= 100 else value)
    text = normalize_text(str(raw))
    if text.endswith("%"):
        inner = parse_money(text[:-1])
        return Parsed(inner.value / 100, TEXT_NUMBER) if inner.value is not None else Parsed(None, UNPARSEABLE)
    inner = parse_money(text)
    if inner.value is None:
        return Parsed(None, UNPARSEABLE)
    value = inner.value
    return Parsed(value / 100 if 1 < value <= 100 else value, TEXT_NUMBER)


_RATIO = re.compile(r"^1\s*[:：]\s*([0-9]*\.?[0-9]+)$")
_RELATIVE = re.compile(r"^([+-])\s*([0-9]*\.?[0-9]+)\s*%$")


def parse_target(raw: object) -> Parsed:
    """A goal's target: a number (``10000``, ``50万``), a rate (``3%``), the source's ratio ``1:5`` (→ 5, kind
    ``ratio-form``) or a change on the baseline ``+30%`` (→ 0.3, kind ``relative``)."""
    if is_blank(raw) or not isinstance(raw, str):
        return parse_money(raw)
    text = normalize_text(raw)
    if m := _RATIO.match(text):
        return Parsed(Decimal(m[1]), RATIO_FORM)
    if m := _RELATIVE.match(text.replace(" ", "")):
        change = Decimal(m[2]) / 100
        return Parsed(-change if m[1] == "-" else change, RELATIVE_TARGET)
    if text.endswith("%"):
        return parse_percent(text)
    return parse_money(text)


_SPLIT = re.compile(r"\s*[、,，;；/|＆&]\s*|\s*\n\s*")


def split_list(raw: object) -> list[str]:
    """Several values in one cell: ``市场部、设计部``, ``a, b``, one per line."""
    if is_blank(raw):
        return []
    return list_of_text(str(raw) if not isinstance(raw, float) else _number_text(raw))


def list_of_text(text: str) -> list[str]:
    """The values of a list cell's text (the reader's direct path for text cells)."""
    return [part for part in _SPLIT.split(text.strip()) if part]


def people_of_text(text: str) -> list[str]:
    """The names in a name cell's text, without the ``*`` marker (the reader's direct path for text cells)."""
    return [name for name in map(clean_person, list_of_text(text)) if name]


def _number_text(number: float) -> str:
    return str(int(number)) if number == int(number) else str(number)


def clean_person(name: str) -> str:
    """A person's name without the source document's marker ``*`` (or full-width ``＊``) and surrounding space."""
    return name.strip().lstrip("*＊").strip()


def parse_people(raw: object) -> Parsed:
    """Owner names from a cell: ``*小明`` → [小明]; ``小明、小红`` → [小明, 小红]."""
    if is_blank(raw):
        return EMPTY
    text = str(raw) if not isinstance(raw, float) else _number_text(raw)
    return Parsed(people_of_text(text)) if list_of_text(text) else EMPTY


def parse_ids(raw: object) -> Parsed:
    """Task IDs from a depends-on cell: ``T1, T2`` or ``1、2`` (numbers become their text)."""
    if is_blank(raw):
        return EMPTY
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        return Parsed([_number_text(float(raw))])
    return Parsed([p for p in re.split(r"[\s、,，;；]+", normalize_text(str(raw))) if p])


def parse_text(raw: object) -> Parsed:
    if is_blank(raw):
        return EMPTY
    if isinstance(raw, float):
        return Parsed(_number_text(raw))
    if isinstance(raw, datetime | date):
        return Parsed(raw.isoformat()[:10])
    return Parsed(raw.strip() if isinstance(raw, str) else str(raw))


def parse_choice(raw: object, vocab: str) -> Parsed:
    """A vocabulary key (vocab.py) from a label in zh or en or an alias; unknown values keep a suggestion."""
    if is_blank(raw):
        return EMPTY
    if isinstance(raw, str):
        return choice_of_text(raw, vocab)
    return _parse_choice(raw, vocab)


@functools.lru_cache(maxsize=4096)
def choice_of_text(raw: str, vocab: str) -> Parsed:
    """Dropdown columns repeat a handful of values: each distinct text is looked up once."""
    return _parse_choice(raw, vocab)


def _parse_choice(raw: object, vocab: str) -> Parsed:
    vocabulary = VOCABULARIES[vocab]
    text = raw if isinstance(raw, str) else _number_text(raw) if isinstance(raw, float) else str(raw)
    key = vocabulary.lookup(normalize_text(text))
    if key is not None:
        return Parsed(key)
    prefix = vocabulary.prefix_of(normalize_text(text))
    if prefix is not None:
        # a truncated label ("未开" for "未开始"): understood, but still reported so it gets fixed
        return Parsed(prefix, UNKNOWN_CHOICE, prefix)
    suggestion = vocabulary.suggest(normalize_text(text))
    return Parsed(None, UNKNOWN_CHOICE, suggestion or "")


def parse_flag(raw: object) -> Parsed:
    if is_blank(raw):
        return Parsed(False)
    if isinstance(raw, bool):
        return Parsed(raw)
    if isinstance(raw, int | float):
        return Parsed(raw != 0)
    result = parse_choice(raw, "yes_no")
    return Parsed(result.value == "yes", result.problem, result.detail)
