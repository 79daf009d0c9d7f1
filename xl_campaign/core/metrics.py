"""Campaign metrics as plain functions of numbers (SEED.md glossary).

Each returns None when the metric is undefined (a zero or missing denominator) rather than raising; callers
decide how to show that (an empty cell, ``#DIV/0!`` in a UDF). Inputs may be int, float or Decimal; rates come
back as Decimal so that the Summary sheet and the native formulas can be compared exactly.
"""

from __future__ import annotations

from decimal import Decimal

Number = int | float | Decimal


def _dec(value: Number) -> Decimal:
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(repr(value))


def ratio(numerator: Number | None, denominator: Number | None) -> Decimal | None:
    """numerator / denominator, or None when either is missing or the denominator is zero."""
    if numerator is None or denominator is None:
        return None
    den = _dec(denominator)
    if den == 0:
        return None
    return _dec(numerator) / den


def ctr(clicks: Number | None, impressions: Number | None) -> Decimal | None:
    """Click-through rate 点击率 = clicks / impressions."""
    return ratio(clicks, impressions)


def cvr(conversions: Number | None, clicks: Number | None) -> Decimal | None:
    """Conversion rate 转化率 = conversions / clicks."""
    return ratio(conversions, clicks)


def cpa(spend: Number | None, conversions: Number | None) -> Decimal | None:
    """Cost per acquisition 单次转化成本 = spend / conversions."""
    return ratio(spend, conversions)


def roi(revenue: Number | None, spend: Number | None) -> Decimal | None:
    """ROI = (revenue − spend) / spend; 0.5 means 50% return on what was spent."""
    if revenue is None or spend is None:
        return None
    return ratio(_dec(revenue) - _dec(spend), spend)


def roas(revenue: Number | None, spend: Number | None) -> Decimal | None:
    """Revenue per unit of spend: the N of the source's "1:N" (spend : revenue) form."""
    return ratio(revenue, spend)


def ratio_text(revenue: Number | None, spend: Number | None, places: int = 1) -> str | None:
    """The source document's form "1:5" (spend : revenue), or None when spend is zero."""
    value = roas(revenue, spend)
    if value is None:
        return None
    return "1:" + ratio_number(value, places)


def ratio_number(value: Decimal, places: int = 1) -> str:
    """N of "1:N" as Excel's ``"1:"&ROUND(N,1)`` shows it: half away from zero, no trailing zero (5, 4.5)."""
    from decimal import ROUND_HALF_UP, InvalidOperation

    try:
        rounded = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    except InvalidOperation:  # beyond the context's precision (1e300) or not finite: as it is
        return f"{value:.{places}f}" if value.is_finite() else str(value)
    text = f"{rounded:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def attainment(actual: Number | None, target: Number | None) -> Decimal | None:
    """Share of the target reached (1 = on target, 1.2 = +20%)."""
    return ratio(actual, target)


def reserve_amount(budget: Number, rate: Number) -> Decimal:
    """The contingency reserve for ``budget`` at ``rate`` (0.1–0.15 in SEED.md)."""
    return _dec(budget) * _dec(rate)
