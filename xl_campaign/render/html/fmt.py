"""Numbers, money, rates and dates as a reader of the report expects them, in Chinese or English.

Chinese readers count large numbers in 万 (10⁴) and 亿 (10⁸); English readers in k and M. Exact values stay
exact until they are shown: amounts arrive as Decimal and are rounded only here.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ...core.text import is_zh, join

Number = int | float | Decimal

CURRENCY_SYMBOLS = {"CNY": "¥", "RMB": "¥", "人民币": "¥", "元": "¥", "USD": "$", "EUR": "€", "GBP": "£",
                    "JPY": "¥", "HKD": "HK$"}
DASH = "—"


def symbol(currency: str | None) -> str:
    """The symbol put before amounts: ``¥`` for CNY, the code itself (and a space) for unknown currencies."""
    if not currency:
        return ""
    code = currency.strip()
    return CURRENCY_SYMBOLS.get(code.upper(), CURRENCY_SYMBOLS.get(code, code + " "))


def integer(value: Number | None) -> str:
    """``1234567`` → ``1,234,567``."""
    if value is None:
        return DASH
    return f"{Decimal(value):,.0f}" if isinstance(value, Decimal) else f"{value:,.0f}"


def number(value: Number | None) -> str:
    """A plain number as written: ``30``, ``2.5``, ``1,200``."""
    if value is None:
        return DASH
    return _trim(f"{Decimal(str(value)):,.2f}")


def money(value: Number | None, currency: str | None = None, *, places: int | None = None) -> str:
    """``¥1,234,567`` (whole amounts) or ``¥1,234.50``; ``places`` forces the decimals."""
    if value is None:
        return DASH
    amount = Decimal(value) if not isinstance(value, float) else Decimal(repr(value))
    if places is None:
        places = 0 if amount == amount.to_integral_value() else 2
    sign = "-" if amount < 0 else ""
    return f"{sign}{symbol(currency)}{abs(amount):,.{places}f}"


def compact(value: Number | None, lang: str) -> str:
    """A short number for axes and cards: ``81.3万`` / ``813k``, ``1.2亿`` / ``120M``."""
    if value is None:
        return DASH
    v = float(value)
    sign = "-" if v < 0 else ""
    v = abs(v)
    if is_zh(lang):
        steps: tuple[tuple[float, str], ...] = ((1e8, "亿"), (1e4, "万"))
    else:
        steps = ((1e9, "B"), (1e6, "M"), (1e3, "k"))
    for size, unit in steps:
        if v >= size:
            scaled = v / size
            text = _trim(f"{scaled:.1f}") if scaled < 100 else f"{scaled:.0f}"
            return sign + text + unit
    return sign + (f"{v:.0f}" if v == int(v) or v >= 100 else _trim(f"{v:.2f}"))


def _trim(text: str) -> str:
    """``2.50`` → ``2.5``, ``3.0`` → ``3``; integers are left alone."""
    return text.rstrip("0").rstrip(".") if "." in text else text


def compact_money(value: Number | None, currency: str | None, lang: str) -> str:
    if value is None:
        return DASH
    text = compact(value, lang)
    return ("-" + symbol(currency) + text[1:]) if text.startswith("-") else symbol(currency) + text


def pct(value: Number | None, places: int = 1) -> str:
    """``0.375`` → ``37.5%``."""
    if value is None:
        return DASH
    return f"{float(value) * 100:.{places}f}%"


def ratio(value: Number | None) -> str:
    """The source's revenue-to-spend form: ``4.7`` → ``1:4.7``."""
    if value is None:
        return DASH
    return "1:" + _trim(f"{float(value):.1f}")


def day(value: date | None, lang: str, *, year: bool = True) -> str:
    """``2024-05-16`` (zh and en alike: unambiguous), or a short ``5/16`` without the year."""
    if value is None:
        return DASH
    if not year:
        return f"{value.month}/{value.day}"
    return value.isoformat()


def span(first: date | None, last: date | None, lang: str) -> str:
    """``2024-05-16 – 2024-05-31`` (the second year left out when equal)."""
    if first is None and last is None:
        return DASH
    if first is None or last is None:
        return day(first or last, lang)
    end = last.isoformat() if last.year != first.year else last.isoformat()[5:]
    return f"{first.isoformat()} – {end}"


def people(names: list[str], lang: str) -> str:
    return join(names, lang) if names else DASH
