"""The worksheet functions of the add-in: ``=CAMPAIGN_ROI(Channels[Revenue], Channels[Spend])`` and friends.

Classic xlwings UDFs (``@xw.func``; Windows only — on other platforms the decorators leave plain functions,
which is how the tests call them). Each function is one call into ``xl_campaign.core.udf_logic``; the Python
function name is the Excel name, the docstring (≤ 255 characters) is the help text of Excel's Insert Function
dialog, and every range argument arrives as a 2-D list (``ndim=2``) with error cells as their code text
(``err_to_str``) so that an error in the input is passed on rather than read as an empty cell.

Rules xlwings imposes here, checked by the tests: no type annotations on these functions (xlwings would take
them as converters), no keyword-only arguments, and no VBA keyword (``End``, ``Date`` …) as an argument name —
the names become the parameters of the generated VBA wrapper.
"""

from __future__ import annotations

import xlwings as xw

from ..core import udf_logic

CATEGORY = "xl-campaign"
RANGE = {"ndim": 2, "err_to_str": True}


@xw.func(category=CATEGORY)
@xw.arg("revenue", doc="Revenue: a cell, a range or a table column (summed). 销售额（可为区域，自动求和）", **RANGE)
@xw.arg("spend", doc="Spend: a cell, a range or a table column (summed). 花费（可为区域，自动求和）", **RANGE)
def CAMPAIGN_ROI(revenue, spend):
    """ROI = (revenue − spend) / spend of the totals; 0.5 = 50% return. #DIV/0! when spend is 0. 投资回报率 = (销售额 − 花费) / 花费（区域先求和）；花费为 0 时返回 #DIV/0!。"""
    return udf_logic.roi(revenue, spend)


@xw.func(category=CATEGORY)
@xw.arg("revenue", doc="Revenue (summed). 销售额（自动求和）", **RANGE)
@xw.arg("spend", doc="Spend (summed). 花费（自动求和）", **RANGE)
def CAMPAIGN_ROAS(revenue, spend):
    """Revenue / spend of the totals: the N of the source's "1:N" (5 = 1:5). #DIV/0! when spend is 0. 销售额 / 花费（即 "1:N" 中的 N）；花费为 0 时返回 #DIV/0!。"""
    return udf_logic.roas(revenue, spend)


@xw.func(category=CATEGORY)
@xw.arg("revenue", doc="Revenue (summed). 销售额（自动求和）", **RANGE)
@xw.arg("spend", doc="Spend (summed). 花费（自动求和）", **RANGE)
def CAMPAIGN_RATIO(revenue, spend):
    """The source document's spend : revenue text, e.g. "1:5". #DIV/0! when spend is 0. 原文档的投产比写法（花费 : 销售额），如 "1:5"；花费为 0 时返回 #DIV/0!。"""
    return udf_logic.ratio_text(revenue, spend)


@xw.func(category=CATEGORY)
@xw.arg("clicks", doc="Clicks (summed). 点击量（自动求和）", **RANGE)
@xw.arg("impressions", doc="Impressions (summed). 曝光量（自动求和）", **RANGE)
def CAMPAIGN_CTR(clicks, impressions):
    """Click-through rate = clicks / impressions of the totals. #DIV/0! when there are no impressions. 点击率 = 点击量 / 曝光量（区域先求和）；曝光量为 0 时返回 #DIV/0!。"""
    return udf_logic.ctr(clicks, impressions)


@xw.func(category=CATEGORY)
@xw.arg("conversions", doc="Conversions (summed). 转化数（自动求和）", **RANGE)
@xw.arg("clicks", doc="Clicks (summed). 点击量（自动求和）", **RANGE)
def CAMPAIGN_CVR(conversions, clicks):
    """Conversion rate = conversions / clicks of the totals. #DIV/0! when there are no clicks. 转化率 = 转化数 / 点击量（区域先求和）；点击量为 0 时返回 #DIV/0!。"""
    return udf_logic.cvr(conversions, clicks)


@xw.func(category=CATEGORY)
@xw.arg("spend", doc="Spend (summed). 花费（自动求和）", **RANGE)
@xw.arg("conversions", doc="Conversions (summed). 转化数（自动求和）", **RANGE)
def CAMPAIGN_CPA(spend, conversions):
    """Cost per acquisition = spend / conversions of the totals. #DIV/0! when there are no conversions. 单次转化成本 = 花费 / 转化数（区域先求和）；转化数为 0 时返回 #DIV/0!。"""
    return udf_logic.cpa(spend, conversions)


@xw.func(category=CATEGORY)
@xw.arg("actual", doc="Actual (summed). 实际值（自动求和）", **RANGE)
@xw.arg("target", doc="Target (summed). 目标值（自动求和）", **RANGE)
def CAMPAIGN_ATTAINMENT(actual, target):
    """Share of the target reached = actual / target of the totals (1 = on target, 1.2 = +20%). 目标达成率 = 实际 / 目标（区域先求和；1 为刚好达成，1.2 为超出 20%）。"""
    return udf_logic.attainment(actual, target)


@xw.func(category=CATEGORY)
@xw.arg("budget", doc="Total budget (summed). 总预算（自动求和）", **RANGE)
@xw.arg("reserve_rate", doc="Reserve rate, default 10%: 0.1, 10% or 10. 应急资金比例，默认 10%", **RANGE)
def CAMPAIGN_RESERVE(budget, reserve_rate=None):
    """Contingency reserve = budget × rate (default 10%; 10%–15% is usual). #NUM! for a rate outside 0–100%. 应急资金 = 预算 × 比例（默认 10%，通常 10%–15%）；比例不在 0–100% 时返回 #NUM!。"""
    return udf_logic.reserve(budget, reserve_rate)


@xw.func(category=CATEGORY)
@xw.arg("amounts", doc="Budget line amounts (summed). 预算明细金额（自动求和）", **RANGE)
@xw.arg("reserve_rate", doc="Reserve as a share of the total, default 0. 应急资金占总预算比例，默认 0", **RANGE)
def CAMPAIGN_BUDGET_TOTAL(amounts, reserve_rate=None):
    """Total budget = Σ amounts / (1 − reserve rate): 90,000 of lines + 10% reserve → 100,000. No rate: Σ. 总预算 = 明细合计 / (1 − 应急资金比例)：明细 9 万 + 10% 应急资金 → 10 万。"""
    return udf_logic.budget_total(amounts, reserve_rate)


@xw.func(category=CATEGORY)
@xw.arg("on_date", doc="A date or a column of dates. 日期（可为一列）", **RANGE)
@xw.arg("launch_date", doc="Launch date, e.g. Campaign_Launch. 上线日期", **RANGE)
@xw.arg("end_date", doc="End date, e.g. Campaign_End. 结束日期", **RANGE)
@xw.arg("lang", doc='"zh" (default), "en" or "key". 语言：zh（默认）、en 或 key', **RANGE)
def CAMPAIGN_STAGE(on_date, launch_date, end_date, lang=None):
    """Campaign period of each date: research, warm-up, burst, continuation or review; spills for a column. 每个日期所处阶段：调研、预热期、爆发期、延续期或复盘；传入一列时逐行返回。"""
    return udf_logic.stage(on_date, launch_date, end_date, lang)


@xw.func(category=CATEGORY)
@xw.arg("actual", doc="Actual so far (summed), e.g. KPI[Revenue]. 截至目前实际值（自动求和）", **RANGE)
@xw.arg("target", doc="Target for the whole campaign (summed). 全程目标（自动求和）", **RANGE)
@xw.arg("launch_date", doc="Launch date. 上线日期", **RANGE)
@xw.arg("end_date", doc="End date. 结束日期", **RANGE)
@xw.arg("as_of", doc="Status date, e.g. Campaign_AsOf or TODAY(). 统计日期", **RANGE)
def CAMPAIGN_PACING(actual, target, launch_date, end_date, as_of):
    """Pacing = actual / (target × days elapsed / campaign days); 1 = on pace, 0.8 = 20% behind. 进度 = 实际 / (目标 × 已过天数 / 活动天数)；1 为按计划，0.8 为落后 20%。"""
    return udf_logic.pacing(actual, target, launch_date, end_date, as_of)


UDF_NAMES = (
    "CAMPAIGN_ROI", "CAMPAIGN_ROAS", "CAMPAIGN_RATIO", "CAMPAIGN_CTR", "CAMPAIGN_CVR", "CAMPAIGN_CPA",
    "CAMPAIGN_ATTAINMENT", "CAMPAIGN_RESERVE", "CAMPAIGN_BUDGET_TOTAL", "CAMPAIGN_STAGE", "CAMPAIGN_PACING",
)
