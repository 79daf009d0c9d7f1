"""The logic behind the worksheet functions ``=CAMPAIGN_ROI()`` and friends, as pure functions of cell values.

``xl_campaign.excel.udfs`` declares the Excel functions; each is one call into this module, which takes the values
Excel hands over (None for an empty cell, floats, text such as ``"1,200"`` or ``"50万"``, dates, and lists of lists
for a range or a table column) and returns what the cell shows: a number, a text, or — for a whole column of input
— a list of lists of the same shape.

Bad input never raises. It gives the Excel error code as *text* (``"#DIV/0!"``, ``"#VALUE!"``, ``"#NUM!"``):
classic xlwings cannot hand a real error value back to Excel (pywin32 turns a returned ``VT_ERROR`` into the
"missing argument" code), so the code is shown as the familiar text; ``ISNUMBER()`` tells it from a result.
An error already in an input cell (read as its code text) is passed on unchanged, as Excel would.

Ranges are summed where that is the meaning: ``CAMPAIGN_ROI(Channels[Revenue], Channels[Spend])`` is the ROI of
the totals (Σ revenue − Σ spend) / Σ spend, not an average of row ROIs. Empty cells and the empty text a formula
such as ``IF(x>0, …, "")`` leaves count as nothing, like ``SUM``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from . import metrics
from .parse import TEXT_DATE, TEXT_NUMBER, is_blank, parse_date, parse_money, parse_percent
from .schedule import stage_of
from .vocab import STAGE

# Excel's error codes, returned as text (see the module docstring for why not as error values).
DIV0 = "#DIV/0!"
VALUE = "#VALUE!"
NUM = "#NUM!"
EXCEL_ERRORS = frozenset({"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!", "#SPILL!", "#CALC!",
                          "#GETTING_DATA", "#FIELD!", "#BLOCKED!", "#CONNECT!", "#BUSY!", "#UNKNOWN!"})

# The reserve rate CAMPAIGN_RESERVE uses when none is given: the low end of SEED.md's 10%–15%.
DEFAULT_RESERVE_RATE = Decimal("0.10")

Result = float | str
Cells = object  # a scalar, a list (one row or column) or a list of lists (a range), as Excel passes them

_ZERO = Decimal(0)


class _CellError(Exception):
    """Internal: stops a computation with the Excel error code to show. Never leaves this module."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def flatten(value: Cells) -> list[object]:
    """Every cell of a scalar, a 1-D list or a 2-D list, row by row."""
    if isinstance(value, list | tuple):
        out: list[object] = []
        for item in value:
            out.extend(flatten(item))
        return out
    return [value]


def _error_code(raw: object) -> str | None:
    if isinstance(raw, str):
        text = raw.strip().upper()
        if text in EXCEL_ERRORS:
            return text
    return None


def _number(raw: object) -> Decimal | None:
    """One cell as an exact number; None for an empty cell; raises _CellError for anything else."""
    if is_blank(raw):
        return None
    code = _error_code(raw)
    if code:
        raise _CellError(code)
    if isinstance(raw, bool):
        raise _CellError(VALUE)
    if isinstance(raw, float) and (raw != raw or raw in (float("inf"), float("-inf"))):
        raise _CellError(NUM)
    parsed = parse_money(raw)
    if parsed.value is None or parsed.problem not in (None, TEXT_NUMBER):
        raise _CellError(VALUE)
    value: Decimal = parsed.value
    return value


def total(value: Cells) -> Decimal:
    """The exact sum of the numbers in ``value`` (0 when every cell is empty).

    Numbers typed as text (``"1,200"``, ``"¥3,000"``, ``"50万"``) count as numbers; any other text, a TRUE/FALSE or
    a date makes the whole result ``#VALUE!`` rather than being skipped silently.
    """
    result = _ZERO
    for raw in flatten(value):
        number = _number(raw)
        if number is not None:
            result += number
    return result


def _single(value: Cells) -> object:
    """The one non-empty cell of an argument that must be a single value (a range of one cell is fine)."""
    filled = [raw for raw in flatten(value) if not is_blank(raw)]
    if len(filled) > 1:
        raise _CellError(VALUE)
    return filled[0] if filled else None


def _day(raw: object) -> date | None:
    """A date from a date cell, an Excel serial number or date text; None for an empty cell."""
    if is_blank(raw):
        return None
    code = _error_code(raw)
    if code:
        raise _CellError(code)
    parsed = parse_date(raw)
    if parsed.value is None or parsed.problem not in (None, TEXT_DATE):
        raise _CellError(VALUE)
    day: date = parsed.value
    return day


def _rate(raw: object, default: Decimal) -> Decimal:
    """A rate in [0, 1): ``0.1``, ``"10%"`` or ``10`` (read as 10%); ``default`` for an empty argument."""
    raw = _single(raw)
    if is_blank(raw):
        return default
    code = _error_code(raw)
    if code:
        raise _CellError(code)
    if isinstance(raw, bool):
        raise _CellError(VALUE)
    parsed = parse_percent(raw)
    if parsed.value is None:
        raise _CellError(VALUE)
    rate: Decimal = parsed.value
    if not _ZERO <= rate < 1:
        raise _CellError(NUM)
    return rate


def _shown(value: Decimal | None) -> Result:
    """What the cell shows: a float (never a Decimal — pywin32 would pass that as a 4-decimal Currency)."""
    return DIV0 if value is None else float(value)


def _ratio_of_totals(metric: Callable[[Decimal, Decimal], Decimal | None], first: Cells, second: Cells) -> Result:
    try:
        return _shown(metric(total(first), total(second)))
    except _CellError as error:
        return error.code


def roi(revenue: Cells, spend: Cells) -> Result:
    """ROI = (Σ revenue − Σ spend) / Σ spend."""
    return _ratio_of_totals(metrics.roi, revenue, spend)


def roas(revenue: Cells, spend: Cells) -> Result:
    """Σ revenue / Σ spend: the N of the source document's "1:N"."""
    return _ratio_of_totals(metrics.roas, revenue, spend)


def ratio_text(revenue: Cells, spend: Cells) -> Result:
    """The source document's "1:N" (spend : revenue), e.g. "1:5"."""
    try:
        text = metrics.ratio_text(total(revenue), total(spend))
    except _CellError as error:
        return error.code
    return DIV0 if text is None else text


def ctr(clicks: Cells, impressions: Cells) -> Result:
    """Σ clicks / Σ impressions."""
    return _ratio_of_totals(metrics.ctr, clicks, impressions)


def cvr(conversions: Cells, clicks: Cells) -> Result:
    """Σ conversions / Σ clicks."""
    return _ratio_of_totals(metrics.cvr, conversions, clicks)


def cpa(spend: Cells, conversions: Cells) -> Result:
    """Σ spend / Σ conversions."""
    return _ratio_of_totals(metrics.cpa, spend, conversions)


def attainment(actual: Cells, target: Cells) -> Result:
    """Σ actual / Σ target (1 = on target)."""
    return _ratio_of_totals(metrics.attainment, actual, target)


def reserve(budget: Cells, reserve_rate: Cells = None) -> Result:
    """The contingency reserve: Σ budget × rate (default 10%)."""
    try:
        return float(metrics.reserve_amount(total(budget), _rate(reserve_rate, DEFAULT_RESERVE_RATE)))
    except _CellError as error:
        return error.code


def budget_total(amounts: Cells, reserve_rate: Cells = None) -> Result:
    """The total budget for line amounts plus a reserve that is ``reserve_rate`` of the total.

    The Budget sheet defines the reserve rate as reserve / total budget (core.budget), so lines of 90,000 with a
    10% reserve need a total of 100,000: Σ amounts / (1 − rate). Without a rate it is Σ amounts. Consistent with
    ``reserve``: reserve(budget_total(x, r), r) + Σ x == budget_total(x, r).
    """
    try:
        lines = total(amounts)
        rate = _rate(reserve_rate, _ZERO)
    except _CellError as error:
        return error.code
    return float(lines / (1 - rate))


def _stage_label(day_raw: object, launch: date, end: date, lang: str) -> str:
    try:
        day = _day(day_raw)
    except _CellError as error:
        return error.code
    if day is None:
        return ""
    stage = stage_of(day, launch, end)
    if stage is None:
        return ""
    return stage if lang == "key" else STAGE.label(stage, lang)


_LANGS = {"zh": "zh", "cn": "zh", "中文": "zh", "en": "en", "english": "en", "英文": "en", "key": "key"}


def _lang(raw: Cells) -> str:
    value = _single(raw)
    if is_blank(value):
        return "zh"
    lang = _LANGS.get(str(value).strip().lower())
    if lang is None:
        raise _CellError(VALUE)
    return lang


def _window(launch: Cells, end: Cells) -> tuple[date, date]:
    launch_day, end_day = _day(_single(launch)), _day(_single(end))
    if launch_day is None or end_day is None:
        raise _CellError(VALUE)
    if end_day < launch_day:
        raise _CellError(NUM)
    return launch_day, end_day


def _map_shape(value: Cells, each: Callable[[object], Result]) -> Result | list:
    """``each`` applied to every cell, keeping the shape: scalar → scalar, list → list, 2-D → 2-D."""
    if isinstance(value, list | tuple):
        return [_map_shape(item, each) for item in value]
    return each(value)


def stage(days: Cells, launch: Cells, end: Cells, lang: Cells = None) -> Result | list:
    """The campaign period of each date (research, planning, warm-up, burst, continuation, review;
    core.schedule.stage_of),
    as a label in ``lang`` ("zh" default, "en", or "key"); empty text for an empty cell or after the review."""
    try:
        launch_day, end_day = _window(launch, end)
        language = _lang(lang)
    except _CellError as error:
        return error.code
    return _map_shape(days, lambda raw: _stage_label(raw, launch_day, end_day, language))


def pacing(actual: Cells, target: Cells, launch: Cells, end: Cells, as_of: Cells) -> Result:
    """Σ actual against the straight-line target curve: Σ actual / (Σ target × days elapsed / campaign days).

    1 = on pace, 0.8 = 20% behind. Days count launch..as_of inclusive, capped at the end date; before the launch
    the target to date is 0, so the result is #DIV/0! as for any division by zero.
    """
    try:
        launch_day, end_day = _window(launch, end)
        status_day = _day(_single(as_of))
        if status_day is None:
            raise _CellError(VALUE)
        done, goal = total(actual), total(target)
    except _CellError as error:
        return error.code
    campaign_days = (end_day - launch_day).days + 1
    expected = goal * Decimal(elapsed_days(launch_day, end_day, status_day)) / Decimal(campaign_days)
    return _shown(metrics.ratio(done, expected))


def elapsed_days(launch: date, end: date, as_of: date) -> int:
    """Days of the campaign passed on ``as_of`` (launch day = 1), between 0 and the campaign length."""
    return max(0, min((as_of - launch).days + 1, (end - launch).days + 1))
