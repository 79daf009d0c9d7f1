"""The logic behind the spilling worksheet functions: a whole table in, a table of rollups out.

``=CAMPAIGN_KPI_BY(KPI[#All], "channel")`` and friends (``excel/udfs.py``) hand over an Excel Table with its
header row — as a DataFrame when pandas is installed, else as rows — and the edge passes it here as rows (header
first). The rows are read into records exactly as the workbook reader reads the sheet (``core.tables``: every
header and alias in both languages, the same parsers), and the rollups are the core's own (``kpi.kpi_report``,
``budget.budget_report``), so each number equals the one on the Summary sheet for the same rows.

What comes back is a table: a header row in the language of the input's headers, then the rows (numbers as floats,
dates as dates, "" for an undefined rate), ready to spill. Bad input never raises; it gives one Excel error code as
text, as the scalar functions do (``udf_logic``): ``#VALUE!`` for an unknown grouping, a missing column or a
value that is not a number or a date; ``#NUM!`` for an end date before the launch; an error value in a cell the
rollup needs (``#DIV/0!``, ``#N/A`` …) is passed on.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from . import parse as P
from .budget import BudgetReport, budget_report
from .kpi import KpiReport, Totals, kpi_report, total_of
from .model import Overview, Plan
from .sheets.labels import t
from .tables import Grid, read_grid
from .udf_logic import NUM, VALUE, _CellError, _day, _error_code, _single, _window, flatten
from .vocab import CATEGORY, STAGE

Table = list[list[Any]]
Result = Table | str

KPI_COLUMNS = ("impressions", "clicks", "ctr", "conversions", "cvr", "spend", "cpa", "revenue", "roi", "roas")
BUDGET_COLUMNS = ("planned", "actual", "variance", "remaining", "share")
PACING_COLUMNS = ("target", "to_date", "actual_to_date", "target_to_date", "daily_target", "pace", "run_rate",
                  "projected_total", "projected_attainment", "projected_finish")

# What a grouping argument may say, in either language.
KPI_GROUPS = {"channel": "channel", "渠道": "channel", "stage": "stage", "阶段": "stage", "week": "week",
              "周": "week", "按周": "week", "day": "day", "date": "day", "日": "day", "日期": "day", "按日": "day",
              "按天": "day", "天": "day"}
BUDGET_GROUPS = {"category": "category", "类别": "category", "channel": "channel", "渠道": "channel"}
WEEKDAY_NAMES = {
    "monday": 0, "mon": 0, "周一": 0, "星期一": 0, "tuesday": 1, "tue": 1, "周二": 1, "星期二": 1,
    "wednesday": 2, "wed": 2, "周三": 2, "星期三": 2, "thursday": 3, "thu": 3, "周四": 3, "星期四": 3,
    "friday": 4, "fri": 4, "周五": 4, "星期五": 4, "saturday": 5, "sat": 5, "周六": 5, "星期六": 5,
    "sunday": 6, "sun": 6, "周日": 6, "星期日": 6, "星期天": 6, "周天": 6,
}
KPI_VALUES = ("impressions", "clicks", "conversions", "revenue", "spend", "new_users")
# Cells whose value cannot be used as typed: the rollup is #VALUE! rather than silently short of them.
UNREADABLE = (P.UNPARSEABLE, P.AMBIGUOUS_DATE, P.MISSING_YEAR)


def week_of(day: date, week_start: int = 0) -> date:
    """The first day of the week ``day`` falls in; weeks start on ``week_start`` (0 = Monday … 6 = Sunday)."""
    return day - timedelta(days=(day.weekday() - week_start) % 7)


def _choice(raw: Any, choices: dict[str, str]) -> str:
    value = _single(raw)
    code = _error_code(value)
    if code:
        raise _CellError(code)
    if not isinstance(value, str):
        raise _CellError(VALUE)
    key = choices.get(unicodedata.normalize("NFKC", value).strip().lower())
    if key is None:
        raise _CellError(VALUE)
    return key


def _week_start(raw: Any, default: int = 0) -> int:
    """0 (Monday) … 6 (Sunday) from a name (``"sunday"``, ``"周日"``) or ISO day number 1–7 (1 = Monday)."""
    value = _single(raw)
    if P.is_blank(value):
        return default
    code = _error_code(value)
    if code:
        raise _CellError(code)
    if isinstance(value, int | float) and not isinstance(value, bool):
        if float(value).is_integer() and 1 <= value <= 7:
            return int(value) - 1
        raise _CellError(NUM)
    if isinstance(value, str):
        key = unicodedata.normalize("NFKC", value).strip().lower()
        if key in WEEKDAY_NAMES:
            return WEEKDAY_NAMES[key]
    raise _CellError(VALUE)


def _rows(table: Any) -> list[list[Any]]:
    """The argument as rows of cells (a single cell or one row becomes a one-row table)."""
    if not isinstance(table, list | tuple):
        return [[table]]
    if table and not isinstance(table[0], list | tuple):
        return [list(table)]
    return [list(row) for row in table]


def _read(spec_key: str, table: Any, needed: tuple[str, ...]) -> Grid:
    """The records of ``table``; ``_CellError`` when a needed column is missing or one of its cells holds an
    error value or a value that is not what the column holds (as ``udf_logic``: never skipped silently)."""
    rows = _rows(table)
    grid = read_grid(spec_key, rows)
    if not rows or any(key not in grid.columns for key in needed):
        raise _CellError(VALUE)
    used = set(grid.columns)
    for row in rows[1:]:
        for key in used:
            index = grid.columns[key]
            code = _error_code(row[index]) if index < len(row) else None
            if code:
                raise _CellError(code)
    for record in grid.records:
        for problem in record.problems:  # a value typed another readable way (text, 1:4, +25%) is fine
            if problem.kind in UNREADABLE:
                raise _CellError(VALUE)
    return grid


def _number(value: int | Decimal | None) -> float | str:
    return "" if value is None else float(value)


def _day_cell(value: date | None) -> date | str:
    return "" if value is None else value


def _kpi_cells(totals: Totals) -> list[Any]:
    return [_number(totals.impressions), _number(totals.clicks), _number(totals.ctr), _number(totals.conversions),
            _number(totals.cvr), _number(totals.spend), _number(totals.cpa), _number(totals.revenue),
            _number(totals.roi), _number(totals.roas)]


def _header(first: str, keys: tuple[str, ...], lang: str, labels: dict[str, str] | None = None) -> list[Any]:
    labels = labels or {}
    return [t(first, lang)] + [t(labels.get(key, key), lang) for key in keys]


def _guard(compute: Callable[[], Result]) -> Result:
    try:
        return compute()
    except _CellError as error:
        return error.code


def kpi_by(table: Any, by: Any, launch: Any = None, end: Any = None, week_start: Any = None) -> Result:
    """Daily KPI rows (``KPI[#All]``) rolled up by ``"channel"``, ``"stage"``, ``"week"`` or ``"day"``.

    Columns: the group, impressions, clicks, CTR, conversions, conversion rate, spend, CPA, revenue, net ROI
    ((revenue − spend) / spend) and revenue : spend (the N of "1:N"); a total row last. ``launch``/``end``: the
    campaign's dates, needed for ``"stage"`` (the periods of ``schedule.stage_of``, as on the Summary).
    ``week_start``: 1–7 (1 = Monday) or a day's name; Monday when empty."""

    def compute() -> Result:
        group = _choice(by, KPI_GROUPS)
        needed = ("channel",) if group == "channel" else ("date",)
        first_day = _week_start(week_start) if group == "week" else 0
        window = _window(launch, end) if group == "stage" else None
        grid = _read("kpi", table, needed)
        if not any(key in grid.columns for key in KPI_VALUES):
            raise _CellError(VALUE)
        lang = grid.lang or "en"
        rows = grid.records
        out: Table = []
        if group == "channel":
            report = _kpi(rows, None)
            out.append(_header("channel", KPI_COLUMNS, lang, {"roas": "ratio"}))
            out += [[channel.name] + _kpi_cells(channel.totals) for channel in report.channels]
        elif group == "stage":
            assert window is not None
            report = _kpi(rows, window)
            out.append(_header("stage", KPI_COLUMNS, lang, {"roas": "ratio"}))
            out += [[STAGE.label(stage.stage, lang)] + _kpi_cells(stage.totals) for stage in report.stages]
        elif group == "week":
            weeks: dict[date, list[Any]] = {}
            for row in rows:
                if row.date is not None:
                    weeks.setdefault(week_of(row.date, first_day), []).append(row)
            out.append(_header("week", KPI_COLUMNS, lang, {"roas": "ratio"}))
            out += [[week] + _kpi_cells(total_of(weeks[week])) for week in sorted(weeks)]
        else:
            report = _kpi(rows, None)
            out.append(_header("date", KPI_COLUMNS, lang, {"roas": "ratio"}))
            out += [[day.day] + _kpi_cells(day.totals) for day in report.days]
        out.append([t("total", lang)] + _kpi_cells(total_of(rows)))
        return out

    return _guard(compute)


def _kpi(rows: list[Any], window: tuple[date, date] | None) -> KpiReport:
    launch, end = window if window else (None, None)
    plan = Plan(kpi=rows, overview=Overview(launch=launch, end=end))
    return kpi_report(plan, end or date.max)


def budget_by(table: Any, by: Any, total_budget: Any = None) -> Result:
    """Budget lines (``Budget[#All]``) rolled up by ``"category"`` or ``"channel"``: planned, actual, variance
    (actual − planned), remaining (planned − actual) and share, with a total row.

    By category, share is of the total budget: ``total_budget`` (the Overview's, e.g. ``Campaign_TotalBudget``)
    when given, else every planned line including the reserve — as the Summary sheet says. By channel, share is of
    the channel budget (the lines that name a channel), and lines without a channel are left out, as there."""

    def compute() -> Result:
        group = _choice(by, BUDGET_GROUPS)
        overall = _money(total_budget)
        grid = _read("budget", table, ("planned",) + (("category",) if group == "category" else ("channel",)))
        lang = grid.lang or "en"
        plan = Plan(budget=grid.records, overview=Overview(total_budget=overall))
        report = budget_report(plan)
        return _budget_rows(report, group, lang)

    return _guard(compute)


def _money(raw: Any) -> Decimal | None:
    value = _single(raw)
    if P.is_blank(value):
        return None
    code = _error_code(value)
    if code:
        raise _CellError(code)
    if isinstance(value, bool):
        raise _CellError(VALUE)
    parsed = P.parse_money(value)
    if parsed.value is None or parsed.problem not in (None, P.TEXT_NUMBER):
        raise _CellError(VALUE)
    if parsed.value <= 0:
        raise _CellError(NUM)
    money: Decimal = parsed.value
    return money


def _share(part: Decimal, whole: Decimal) -> float | str:
    return float(part / whole) if whole > 0 else ""


def _budget_rows(report: BudgetReport, group: str, lang: str) -> Table:
    labels = {"share": "share_of_budget" if group == "category" else "share"}
    out: Table = [_header("category" if group == "category" else "channel", BUDGET_COLUMNS, lang, labels)]
    if group == "category":
        whole = report.totals.total_budget
        for category in report.categories:
            out.append([CATEGORY.label(category.key, lang), float(category.planned), float(category.actual),
                        float(category.variance), float(category.remaining), _share(category.planned, whole)])
        planned, actual = report.planned_total, report.actual_total
        out.append([t("total", lang), float(planned), float(actual), float(actual - planned),
                    float(planned - actual), _share(planned, whole)])
        return out
    for channel in report.channels:
        out.append([channel.name, float(channel.planned), float(channel.actual), float(channel.variance),
                    float(channel.remaining), _number(channel.share)])
    planned, actual = report.channel_planned, report.channel_actual
    out.append([t("total", lang), float(planned), float(actual), float(actual - planned), float(planned - actual),
                1.0 if planned > 0 and report.channels else ""])
    return out


def pacing_table(kpi: Any, goals: Any, launch: Any, end: Any, as_of: Any, channels: Any = None) -> Result:
    """Pacing of each goal metric (``Goals[#All]``; with ``Channels[#All]`` also the metrics with channel
    targets), as the Summary's pacing block: target, the day measured, actual to date, target to date, the daily
    target (target / campaign days), pace (actual / target to date), the run rate per campaign day, the projected
    total, projected attainment and the day the target is (or would be) reached."""

    def compute() -> Result:
        window = _window(launch, end)
        status = _day(_single(as_of))
        if status is None:
            raise _CellError(VALUE)
        kpi_grid = _read("kpi", kpi, ("date",))
        goal_grid = _read("goals", goals, ("metric", "target"))
        channel_records = _read("channels", channels, ("name",)).records if not _empty(channels) else []
        lang = kpi_grid.lang or goal_grid.lang or "en"
        plan = Plan(kpi=kpi_grid.records, goals=goal_grid.records, channels=channel_records,
                    overview=Overview(launch=window[0], end=window[1]))
        report = kpi_report(plan, status)
        out: Table = [[t("metric", lang)] + [t(key, lang) for key in PACING_COLUMNS]]
        for pacing in report.pacing:
            out.append([t(pacing.metric, lang), float(pacing.target), _day_cell(pacing.measured),
                        float(pacing.actual_to_date), float(pacing.target_to_date),
                        float(pacing.target / pacing.campaign_days), _number(pacing.pace), _number(pacing.run_rate),
                        _number(pacing.projected_total), _number(pacing.projected_attainment),
                        _day_cell(pacing.projected_finish)])
        return out

    return _guard(compute)


def _empty(value: Any) -> bool:
    return all(P.is_blank(cell) for cell in flatten(value))


__all__ = ["BUDGET_GROUPS", "KPI_GROUPS", "budget_by", "kpi_by", "pacing_table", "week_of"]
