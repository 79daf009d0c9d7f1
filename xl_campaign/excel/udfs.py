"""The worksheet functions of the add-in: ``=CAMPAIGN_ROI(Channels[Revenue], Channels[Spend])`` and friends.

Classic xlwings UDFs (``@xw.func``; Windows only — on other platforms the decorators leave plain functions,
which is how the tests call them). Each function is one call into ``xl_campaign.core.udf_logic``; the Python
function name is the Excel name, the docstring (≤ 255 characters) is the help text of Excel's Insert Function
dialog, and every range argument arrives as a 2-D list (``ndim=2``) with error cells as their code text
(``err_to_str``) so that an error in the input is passed on rather than read as an empty cell.

Rules xlwings imposes here, checked by the tests: no type annotations on these functions (xlwings would take
them as converters), no keyword-only arguments, and no VBA keyword (``End``, ``Date`` …) as an argument name —
the names become the parameters of the generated VBA wrapper.

The spilling rollups (``CAMPAIGN_KPI_BY``, ``CAMPAIGN_BUDGET_BY``, ``CAMPAIGN_PACING_TABLE``) take a whole Excel
Table with its headers (``KPI[#All]``) and return a table that spills. With pandas installed (``pip install
xl-campaign[pandas]``; xlwings then imports it anyway) the table arrives through xlwings' DataFrame converter and
the result leaves as a DataFrame, xlwings' idiom for live tables; without pandas the same functions take and
return plain rows. Either way the edge only converts: the rollups are ``core.udf_tables``'.
"""

from __future__ import annotations

from typing import Any

import xlwings as xw

from ..core import udf_logic, udf_tables

try:  # free when pandas is installed: xlwings' converters have imported it already
    import pandas as pd
except ImportError:  # pragma: no cover - the tests run with pandas and, in a subprocess, without
    pd = None

CATEGORY = "xl-campaign"
RANGE = {"ndim": 2, "err_to_str": True}

# Excel's error values as pywin32 hands them over: the HRESULT 0x800A0000 + the XlCVError code, as a signed int.
# xlwings' err_to_str turns only the seven classic ones into text (_xlwindows.cell_errors); the newer ones arrive
# as these ints and would otherwise be summed as numbers (CAMPAIGN_ROI of 1,500 and a #SPILL! cell: -2146825.743).
_HRESULT_BASE = -2146828288  # 0x800A0000 as a signed 32-bit int
ERROR_CODES = {2000: "#NULL!", 2007: "#DIV/0!", 2015: "#VALUE!", 2023: "#REF!", 2029: "#NAME?", 2036: "#NUM!",
               2042: "#N/A", 2043: "#GETTING_DATA", 2045: "#SPILL!", 2046: "#CONNECT!", 2047: "#BLOCKED!",
               2048: "#UNKNOWN!", 2049: "#FIELD!", 2050: "#CALC!"}
ERROR_RANGE = range(_HRESULT_BASE + 2000, _HRESULT_BASE + 2100)  # 0x800A07D0 … (new codes keep being added)


def cells(value):
    """An argument with every Excel error value still in int form replaced by its text ("#SPILL!"), so that the
    core passes it on as an error instead of summing it; everything else as it came."""
    if isinstance(value, list | tuple):
        return [cells(item) for item in value]
    if type(value) is int and value in ERROR_RANGE:  # a real number from a cell is a float, never an int
        return ERROR_CODES.get(value - _HRESULT_BASE, "#UNKNOWN!")
    return value


@xw.func(category=CATEGORY)
@xw.arg("revenue", doc="Revenue: a cell, a range or a table column (summed). 销售额（可为区域，自动求和）", **RANGE)
@xw.arg("spend", doc="Spend: a cell, a range or a table column (summed). 花费（可为区域，自动求和）", **RANGE)
def CAMPAIGN_ROI(revenue, spend):
    """ROI = (revenue − spend) / spend of the totals; 0.5 = 50% return. #DIV/0! when spend is 0. 投资回报率 = (销售额 − 花费) / 花费（区域先求和）；花费为 0 时返回 #DIV/0!。"""
    return udf_logic.roi(cells(revenue), cells(spend))


@xw.func(category=CATEGORY)
@xw.arg("revenue", doc="Revenue (summed). 销售额（自动求和）", **RANGE)
@xw.arg("spend", doc="Spend (summed). 花费（自动求和）", **RANGE)
def CAMPAIGN_ROAS(revenue, spend):
    """Revenue / spend of the totals: the N of the source's "1:N" (5 = 1:5). #DIV/0! when spend is 0. 销售额 / 花费（即 "1:N" 中的 N）；花费为 0 时返回 #DIV/0!。"""
    return udf_logic.roas(cells(revenue), cells(spend))


@xw.func(category=CATEGORY)
@xw.arg("revenue", doc="Revenue (summed). 销售额（自动求和）", **RANGE)
@xw.arg("spend", doc="Spend (summed). 花费（自动求和）", **RANGE)
def CAMPAIGN_RATIO(revenue, spend):
    """The source document's spend : revenue text, e.g. "1:5". #DIV/0! when spend is 0. 原文档的投产比写法（花费 : 销售额），如 "1:5"；花费为 0 时返回 #DIV/0!。"""
    return udf_logic.ratio_text(cells(revenue), cells(spend))


@xw.func(category=CATEGORY)
@xw.arg("clicks", doc="Clicks (summed). 点击量（自动求和）", **RANGE)
@xw.arg("impressions", doc="Impressions (summed). 曝光量（自动求和）", **RANGE)
def CAMPAIGN_CTR(clicks, impressions):
    """Click-through rate = clicks / impressions of the totals. #DIV/0! when there are no impressions. 点击率 = 点击量 / 曝光量（区域先求和）；曝光量为 0 时返回 #DIV/0!。"""
    return udf_logic.ctr(cells(clicks), cells(impressions))


@xw.func(category=CATEGORY)
@xw.arg("conversions", doc="Conversions (summed). 转化数（自动求和）", **RANGE)
@xw.arg("clicks", doc="Clicks (summed). 点击量（自动求和）", **RANGE)
def CAMPAIGN_CVR(conversions, clicks):
    """Conversion rate = conversions / clicks of the totals. #DIV/0! when there are no clicks. 转化率 = 转化数 / 点击量（区域先求和）；点击量为 0 时返回 #DIV/0!。"""
    return udf_logic.cvr(cells(conversions), cells(clicks))


@xw.func(category=CATEGORY)
@xw.arg("spend", doc="Spend (summed). 花费（自动求和）", **RANGE)
@xw.arg("conversions", doc="Conversions (summed). 转化数（自动求和）", **RANGE)
def CAMPAIGN_CPA(spend, conversions):
    """Cost per acquisition = spend / conversions of the totals. #DIV/0! when there are no conversions. 单次转化成本 = 花费 / 转化数（区域先求和）；转化数为 0 时返回 #DIV/0!。"""
    return udf_logic.cpa(cells(spend), cells(conversions))


@xw.func(category=CATEGORY)
@xw.arg("actual", doc="Actual (summed). 实际值（自动求和）", **RANGE)
@xw.arg("target", doc="Target (summed). 目标值（自动求和）", **RANGE)
def CAMPAIGN_ATTAINMENT(actual, target):
    """Share of the target reached = actual / target of the totals (1 = on target, 1.2 = +20%). 目标达成率 = 实际 / 目标（区域先求和；1 为刚好达成，1.2 为超出 20%）。"""
    return udf_logic.attainment(cells(actual), cells(target))


@xw.func(category=CATEGORY)
@xw.arg("budget", doc="Total budget (summed). 总预算（自动求和）", **RANGE)
@xw.arg("reserve_rate", doc="Reserve rate, default 10%: 0.1, 10% or 10. 应急资金比例，默认 10%", **RANGE)
def CAMPAIGN_RESERVE(budget, reserve_rate=None):
    """Contingency reserve = budget × rate (default 10%; 10%–15% is usual). #NUM! for a rate outside 0–100%. 应急资金 = 预算 × 比例（默认 10%，通常 10%–15%）；比例不在 0–100% 时返回 #NUM!。"""
    return udf_logic.reserve(cells(budget), cells(reserve_rate))


@xw.func(category=CATEGORY)
@xw.arg("amounts", doc="Budget line amounts (summed). 预算明细金额（自动求和）", **RANGE)
@xw.arg("reserve_rate", doc="Reserve as a share of the total, default 0. 应急资金占总预算比例，默认 0", **RANGE)
def CAMPAIGN_BUDGET_TOTAL(amounts, reserve_rate=None):
    """Total budget = Σ amounts / (1 − reserve rate): 90,000 of lines + 10% reserve → 100,000. No rate: Σ. 总预算 = 明细合计 / (1 − 应急资金比例)：明细 9 万 + 10% 应急资金 → 10 万。"""
    return udf_logic.budget_total(cells(amounts), cells(reserve_rate))


@xw.func(category=CATEGORY)
@xw.arg("on_date", doc="A date or a column of dates. 日期（可为一列）", **RANGE)
@xw.arg("launch_date", doc="Launch date, e.g. Campaign_Launch. 上线日期", **RANGE)
@xw.arg("end_date", doc="End date, e.g. Campaign_End. 结束日期", **RANGE)
@xw.arg("lang", doc='"zh" (default), "en" or "key". 语言：zh（默认）、en 或 key', **RANGE)
def CAMPAIGN_STAGE(on_date, launch_date, end_date, lang=None):
    """Campaign period of each date: research, warm-up, burst, continuation or review; spills for a column. 每个日期所处阶段：调研、预热期、爆发期、延续期或复盘；传入一列时逐行返回。"""
    return udf_logic.stage(cells(on_date), cells(launch_date), cells(end_date), cells(lang))


@xw.func(category=CATEGORY)
@xw.arg("actual", doc="Actual so far (summed), e.g. KPI[Revenue]. 截至目前实际值（自动求和）", **RANGE)
@xw.arg("target", doc="Target for the whole campaign (summed). 全程目标（自动求和）", **RANGE)
@xw.arg("launch_date", doc="Launch date. 上线日期", **RANGE)
@xw.arg("end_date", doc="End date. 结束日期", **RANGE)
@xw.arg("as_of", doc="Status date, e.g. Campaign_AsOf or TODAY(). 统计日期", **RANGE)
def CAMPAIGN_PACING(actual, target, launch_date, end_date, as_of):
    """Pacing = actual / (target × days elapsed / campaign days); 1 = on pace, 0.8 = 20% behind. 进度 = 实际 / (目标 × 已过天数 / 活动天数)；1 为按计划，0.8 为落后 20%。"""
    return udf_logic.pacing(cells(actual), cells(target), cells(launch_date), cells(end_date), cells(as_of))


# --- spilling rollups: a table in, a table out -------------------------------------------------------------------

# A whole table with its header row: a DataFrame through xlwings' converter when pandas is there, else rows.
TABLE = {"convert": pd.DataFrame, "index": False, "header": True, "err_to_str": True} if pd is not None else RANGE
# What the rollups return: a DataFrame written with its header and without its index (a list of rows without pandas).
SPILL = {"index": False, "header": True}


def table_rows(value: Any) -> Any:
    """A table argument as rows (header first), whether xlwings made it a DataFrame or left it as rows; Excel's
    newer error values in int form become their text (``cells``)."""
    if pd is not None and isinstance(value, pd.DataFrame):
        body = value.astype(object).where(value.notna(), None).values.tolist()
        return cells([list(value.columns)] + body)
    return cells(value)


def spill(result: Any) -> Any:
    """What the cell returns: a DataFrame (with pandas) or the rows; an error code as text stays one cell."""
    if isinstance(result, str) or pd is None:
        return result
    return pd.DataFrame(result[1:], columns=result[0])


@xw.func(category=CATEGORY)
@xw.arg("table", doc="The Daily KPI table with its headers, e.g. KPI[#All]. 每日数据表（含表头），如 KPI[#All]", **TABLE)
@xw.arg("group_by", doc='"channel", "stage", "week" or "day". 分组：渠道、阶段、周或日', **RANGE)
@xw.arg("launch_date", doc="Launch date, for stage, e.g. Campaign_Launch. 上线日期（按阶段时需要）", **RANGE)
@xw.arg("end_date", doc="End date, for stage, e.g. Campaign_End. 结束日期（按阶段时需要）", **RANGE)
@xw.arg("week_start", doc='First day of a week: 1 (Monday) … 7, or "sunday". 每周起始日，默认周一', **RANGE)
@xw.ret(**SPILL)
def CAMPAIGN_KPI_BY(table, group_by, launch_date=None, end_date=None, week_start=None):
    """Spills KPI per channel, stage, week or day: impressions, clicks, CTR, conversions, CVR, spend, CPA, revenue, ROI, revenue:spend, total row. 按渠道/阶段/周/日汇总 KPI（动态数组）。"""
    return spill(udf_tables.kpi_by(table_rows(table), cells(group_by), cells(launch_date), cells(end_date),
                                   cells(week_start)))


@xw.func(category=CATEGORY)
@xw.arg("table", doc="The Budget table with its headers, e.g. Budget[#All]. 预算表（含表头），如 Budget[#All]", **TABLE)
@xw.arg("group_by", doc='"category" or "channel". 分组：类别或渠道', **RANGE)
@xw.arg("total_budget", doc="Total budget for the shares, e.g. Campaign_TotalBudget. 总预算（计算占比）", **RANGE)
@xw.ret(**SPILL)
def CAMPAIGN_BUDGET_BY(table, group_by, total_budget=None):
    """Spills the budget per category or channel: planned, actual, variance, remaining, share, total row. 按类别或渠道汇总预算：预算、实际、差异、剩余、占比（动态数组）。"""
    return spill(udf_tables.budget_by(table_rows(table), cells(group_by), cells(total_budget)))


@xw.func(category=CATEGORY)
@xw.arg("kpi", doc="The Daily KPI table with its headers, e.g. KPI[#All]. 每日数据表（含表头）", **TABLE)
@xw.arg("goals", doc="The SMART goals table with its headers, e.g. Goals[#All]. 目标表（含表头）", **TABLE)
@xw.arg("launch_date", doc="Launch date, e.g. Campaign_Launch. 上线日期", **RANGE)
@xw.arg("end_date", doc="End date, e.g. Campaign_End. 结束日期", **RANGE)
@xw.arg("as_of", doc="Status date, e.g. Campaign_AsOf or TODAY(). 统计日期", **RANGE)
@xw.arg("channels", doc="Optional: Channels[#All], for metrics with channel targets. 可选：渠道表", **TABLE)
@xw.ret(**SPILL)
def CAMPAIGN_PACING_TABLE(kpi, goals, launch_date, end_date, as_of, channels=None):
    """Spills pacing per goal metric: target, measured on, to date, daily target, pace, run rate, projection. 按目标指标逐行显示进度：目标、累计、日目标、节奏、预计（动态数组）。"""
    return spill(udf_tables.pacing_table(table_rows(kpi), table_rows(goals), cells(launch_date), cells(end_date),
                                         cells(as_of), table_rows(channels)))


UDF_NAMES = (
    "CAMPAIGN_ROI", "CAMPAIGN_ROAS", "CAMPAIGN_RATIO", "CAMPAIGN_CTR", "CAMPAIGN_CVR", "CAMPAIGN_CPA",
    "CAMPAIGN_ATTAINMENT", "CAMPAIGN_RESERVE", "CAMPAIGN_BUDGET_TOTAL", "CAMPAIGN_STAGE", "CAMPAIGN_PACING",
    "CAMPAIGN_KPI_BY", "CAMPAIGN_BUDGET_BY", "CAMPAIGN_PACING_TABLE",
)
# The functions that spill a table (their table arguments and result go through xlwings' DataFrame converter).
SPILLING = ("CAMPAIGN_KPI_BY", "CAMPAIGN_BUDGET_BY", "CAMPAIGN_PACING_TABLE")
