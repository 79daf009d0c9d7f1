"""The Summary sheet described for any writer: budget by category and channel with the reserve, KPI per channel
and per stage, attainment (channel targets, SMART goals, deliverable standards), pacing, and native charts.

What is a value and what is a formula: the sums come from the core as values — they follow the core's reading of
the sheets (vocabulary aliases such as 人员 for 人力, numbers typed as text, exact Decimal money), which a
SUMIFS over the raw cells would not. Everything derived from them is a native formula over the Summary's own
cells — variance, remaining, shares, CTR, conversion rate, CPA, ROI, attainment, totals, the reserve rate,
cumulative pacing — so the arithmetic is visible and auditable in the workbook. Each formula cell carries the value
the core computed; the LibreOffice test recalculates the workbook and compares every one of them.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from .. import spec as S
from ..budget import BudgetReport
from ..kpi import KpiReport, Pacing, Target, Totals
from ..model import Plan
from ..review import roi_ranking
from ..text import is_zh, join
from ..vocab import CATEGORY, STAGE
from .labels import t
from .look import body_font, money_format
from .model import Chart, PageSetup, Series, SheetDoc, Style, area, column_letter, fit_rows, ref

MONEY = S.MONEY_FORMAT  # whole amounts in the campaign's currency (see summary_sheet)
CENTS = "#,##0.00 cents"  # amounts with cents (CPA), in the campaign's currency
COUNT = S.INT_FORMAT
PCT = "0.0%"
RATE = "0.00%"
DATE_FMT = "yyyy-mm-dd"
DAY_FMT = "mm-dd"
HEADER_FILL = "1F4E78"
FACT_LABEL, FACT_VALUE = 8, 11  # the budget facts beside the category table: label (merged H:J), value (K)
CHART_ROWS = 16  # the three charts sit side by side under the key figures, this many rows tall
CHART_WIDTH, CHART_HEIGHT = 10.4, 7.4  # cm: three fit in the width of the tables
ZERO = Decimal(0)
STATE_STYLES = {"met": "good", "open": "neutral", "missed": "bad", "unmeasured": "muted"}
CHANGE = "+0%;-0%;0%"  # the source's "+20%": actual against target
METRIC_FORMATS = {"impressions": COUNT, "clicks": COUNT, "conversions": COUNT, "new_users": COUNT,
                  "revenue": MONEY, "spend": MONEY, "cpa": CENTS, "ctr": RATE, "cvr": RATE, "roi": PCT,
                  "roas": '"1:"0.0#'}


def _styles(doc: SheetDoc) -> None:
    s = doc.styles
    s["title"] = Style(bold=True, size=16, color=HEADER_FILL)
    s["note"] = Style(italic=True, color="595959")
    s["section"] = Style(bold=True, size=12, color=HEADER_FILL, border_bottom=HEADER_FILL)
    s["head"] = Style(bold=True, color="FFFFFF", fill=HEADER_FILL, align="center", valign="center", wrap=True)
    s["label"] = Style()
    s["num"] = Style()
    s["formula"] = Style(fill="F2F2F2")
    s["total_label"] = Style(bold=True, border="BFBFBF", fill="DDEBF7")
    s["total"] = Style(bold=True, border="BFBFBF", fill="DDEBF7")
    s["card_label"] = Style(bold=True, color="FFFFFF", fill="2F5597", align="center", wrap=True)
    s["card"] = Style(bold=True, size=13, color=HEADER_FILL, fill="DDEBF7", align="center")
    s["good"] = Style(color="375623", fill="E2EFDA", align="center")
    s["neutral"] = Style(color="7F6000", fill="FFF2CC", align="center")
    s["bad"] = Style(color="9C0006", fill="FFC7CE", align="center")
    s["muted"] = Style(color="7F7F7F", italic=True, align="center")
    s["center"] = Style(align="center")
    s["wrap"] = Style(wrap=True, valign="top")


def _num(value: int | Decimal | None) -> int | Decimal | str:
    return "" if value is None else value


def _div(numerator: Decimal | int | None, denominator: Decimal | int | None) -> Decimal | str:
    if numerator is None or denominator is None or denominator == 0:
        return ""
    return Decimal(numerator) / Decimal(denominator)


class _Sheet:
    """Row-by-row placement of the Summary's blocks."""

    def __init__(self, doc: SheetDoc, lang: str) -> None:
        self.doc = doc
        self.lang = lang
        self.row = 1
        self.width = 1

    def t(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)

    def section(self, key: str, **values: object) -> None:
        self.row += 1
        self.doc.put(self.row, 1, self.t(key, **values), style="section")
        self.row += 1

    def header(self, labels: list[str]) -> int:
        for col, label in enumerate(labels, start=1):
            self.doc.put(self.row, col, label, style="head")
        self.width = max(self.width, len(labels))
        header_row = self.row
        self.row += 1
        return header_row

    def value(self, col: int, value: Any, fmt: str | None = None, style: str = "num") -> None:
        self.doc.put(self.row, col, value, fmt=fmt, style=style)

    def formula(self, col: int, formula: str, expected: Any, fmt: str | None = None, style: str = "formula") -> None:
        self.doc.put(self.row, col, expected, formula=formula, fmt=fmt, style=style)

    def note(self, text: str) -> None:
        self.doc.put(self.row, 1, text, style="note")
        self.row += 1


def _c(col: int, row: int) -> str:
    return f"{column_letter(col)}{row}"


def _budget_by_category(sheet: _Sheet, plan: Plan, budget: BudgetReport) -> dict[str, int]:
    """Planned, actual, variance, remaining and share of the total budget per category; the reserve facts."""
    lang = sheet.lang
    totals = budget.totals
    sheet.section("budget_by_category")
    sheet.header([sheet.t("category"), sheet.t("planned"), sheet.t("actual"), sheet.t("variance"),
                  sheet.t("remaining"), sheet.t("share_of_budget")])
    first = sheet.row
    rows: dict[str, int] = {}
    n_rows = len(budget.categories)
    lines_row = first + n_rows
    planned_total_row = lines_row + 1
    facts_first = first  # beside the table, from its first row: FACT_LABEL (merged to the value) and FACT_VALUE
    fact_keys = ["total_budget", "reserve", "reserve_rate", "reserve_target", "unallocated", "spent", "budget_left"]
    fact = {key: facts_first + i for i, key in enumerate(fact_keys)}
    v = column_letter(FACT_VALUE)
    tb = f"${v}${fact['total_budget']}"
    for category in budget.categories:
        r = sheet.row
        rows[category.key] = r
        sheet.value(1, CATEGORY.label(category.key, lang), style="label")
        sheet.value(2, category.planned, MONEY)
        sheet.value(3, category.actual, MONEY)
        sheet.formula(4, f"=C{r}-B{r}", category.variance, MONEY)
        sheet.formula(5, f"=B{r}-C{r}", category.remaining, MONEY)
        sheet.formula(6, f'=IF({tb}>0,B{r}/{tb},"")', _div(category.planned, totals.total_budget), PCT)
        sheet.row += 1
    non_reserve = [rows[c.key] for c in budget.categories if c.key != "reserve"]
    reserve_row = rows["reserve"]

    def lines_sum(col: int) -> str:
        if non_reserve == list(range(min(non_reserve), max(non_reserve) + 1)):
            return f"=SUM({_c(col, min(non_reserve))}:{_c(col, max(non_reserve))})"
        return "=SUM(" + ",".join(_c(col, r) for r in non_reserve) + ")"

    r = sheet.row
    assert r == lines_row
    sheet.value(1, sheet.t("lines_total"), style="total_label")
    sheet.formula(2, lines_sum(2), totals.lines_planned, MONEY, "total")
    sheet.formula(3, lines_sum(3), totals.lines_actual, MONEY, "total")
    sheet.formula(4, f"=C{r}-B{r}", totals.lines_actual - totals.lines_planned, MONEY, "total")
    sheet.formula(5, f"=B{r}-C{r}", totals.lines_planned - totals.lines_actual, MONEY, "total")
    sheet.formula(6, f'=IF({tb}>0,B{r}/{tb},"")', _div(totals.lines_planned, totals.total_budget), PCT, "total")
    sheet.row += 1
    r = sheet.row
    sheet.value(1, sheet.t("planned_total"), style="total_label")
    sheet.formula(2, f"=B{lines_row}+B{reserve_row}", budget.planned_total, MONEY, "total")
    sheet.formula(3, f"=C{lines_row}+C{reserve_row}", budget.actual_total, MONEY, "total")
    sheet.formula(4, f"=C{r}-B{r}", budget.variance, MONEY, "total")
    sheet.formula(5, f"=B{r}-C{r}", -budget.variance, MONEY, "total")
    sheet.formula(6, f'=IF({tb}>0,B{r}/{tb},"")', _div(budget.planned_total, totals.total_budget), PCT, "total")
    sheet.row += 1
    after = sheet.row
    sheet.row = facts_first
    for key in fact_keys:
        sheet.value(FACT_LABEL, sheet.t(key), style="label")  # runs on over the two empty cells to its right
        if key == "total_budget":
            if totals.total_from_overview:
                where = plan.overview_cell("total_budget")
                sheet.value(FACT_VALUE, totals.total_budget, MONEY)
                if where is not None:
                    sheet.doc.cells[(sheet.row, FACT_VALUE)].note = (
                        f"{S.OVERVIEW.name(lang)} · {S.OVERVIEW.column('total_budget').header(lang)}")
            else:
                sheet.formula(FACT_VALUE, f"=B{planned_total_row}", totals.total_budget, MONEY)
        elif key == "reserve":
            sheet.formula(FACT_VALUE, f"=B{reserve_row}", totals.reserve, MONEY)
        elif key == "reserve_rate":
            sheet.formula(FACT_VALUE, f'=IF({v}{fact["total_budget"]}>0,{v}{fact["reserve"]}/{v}{fact["total_budget"]},"")',
                          _num(totals.reserve_rate), PCT)
        elif key == "reserve_target":
            sheet.value(FACT_VALUE, _num(plan.overview.reserve_target), PCT)
        elif key == "unallocated":
            sheet.formula(FACT_VALUE, f"={v}{fact['total_budget']}-B{lines_row}-{v}{fact['reserve']}", totals.unallocated, MONEY)
        elif key == "spent":
            sheet.formula(FACT_VALUE, f"=C{planned_total_row}", budget.actual_total, MONEY)
        elif key == "budget_left":
            sheet.formula(FACT_VALUE, f"={v}{fact['total_budget']}-{v}{fact['spent']}", budget.remaining, MONEY)
        sheet.row += 1
    sheet.row = max(after, sheet.row)
    return {"first": first, "last": reserve_row, **{f"fact_{k}": v for k, v in fact.items()}}


def _budget_by_channel(sheet: _Sheet, budget: BudgetReport) -> None:
    sheet.section("budget_by_channel")
    sheet.header([sheet.t("channel"), sheet.t("planned"), sheet.t("actual"), sheet.t("variance"),
                  sheet.t("remaining"), sheet.t("share"), sheet.t("target_share"), sheet.t("share_gap")])
    first = sheet.row
    total_row = first + len(budget.channels)
    for channel in budget.channels:
        r = sheet.row
        name = channel.name if channel.listed else f"{channel.name} {sheet.t('not_listed')}"
        sheet.value(1, name, style="label")
        sheet.value(2, channel.planned, MONEY)
        sheet.value(3, channel.actual, MONEY)
        sheet.formula(4, f"=C{r}-B{r}", channel.variance, MONEY)
        sheet.formula(5, f"=B{r}-C{r}", channel.remaining, MONEY)
        sheet.formula(6, f'=IF($B${total_row}>0,B{r}/$B${total_row},"")', _num(channel.share), PCT)
        sheet.value(7, _num(channel.target_share), PCT)
        sheet.formula(8, f'=IF(AND(ISNUMBER(F{r}),ISNUMBER(G{r})),F{r}-G{r},"")', _num(channel.share_gap), PCT)
        sheet.row += 1
    r = sheet.row
    sheet.value(1, sheet.t("total"), style="total_label")
    if budget.channels:
        sheet.formula(2, f"=SUM(B{first}:B{r - 1})", budget.channel_planned, MONEY, "total")
        sheet.formula(3, f"=SUM(C{first}:C{r - 1})", budget.channel_actual, MONEY, "total")
    else:
        sheet.value(2, ZERO, MONEY, "total")
        sheet.value(3, ZERO, MONEY, "total")
    sheet.formula(4, f"=C{r}-B{r}", budget.channel_actual - budget.channel_planned, MONEY, "total")
    sheet.formula(5, f"=B{r}-C{r}", budget.channel_planned - budget.channel_actual, MONEY, "total")
    sheet.formula(6, f'=IF(B{r}>0,SUM(F{first}:F{max(first, r - 1)}),"")',
                  Decimal(1) if budget.channel_planned > 0 and budget.channels else "", PCT, "total")
    sheet.value(7, _num(budget.target_share_total), PCT, "total")
    sheet.value(8, "", None, "total")
    sheet.row += 1
    if budget.unassigned_channel_planned:
        sheet.value(1, sheet.t("unassigned_channel"), style="label")
        sheet.value(2, budget.unassigned_channel_planned, MONEY)
        sheet.row += 1


KPI_HEAD = ("impressions", "clicks", "ctr", "conversions", "cvr", "revenue", "spend", "cpa", "roi")


def _kpi_cells(sheet: _Sheet, first_col: int, totals: Totals, style: str = "num",
               sums: Callable[[int], str] | None = None) -> None:
    """impressions, clicks, CTR, conversions, CVR, revenue, spend, CPA, ROI from ``first_col`` on; counts and
    money as values (or ``sums(col)`` formulas), rates as formulas over them."""
    r = sheet.row
    col = {key: first_col + i for i, key in enumerate(KPI_HEAD)}
    fstyle = "total" if style == "total" else "formula"

    def base(key: str, value: int | Decimal, fmt: str) -> None:
        if sums is None:
            sheet.value(col[key], value, fmt, style)
        else:
            sheet.formula(col[key], sums(col[key]), value, fmt, fstyle)

    def c(key: str) -> str:
        return _c(col[key], r)

    base("impressions", totals.impressions, COUNT)
    base("clicks", totals.clicks, COUNT)
    base("conversions", totals.conversions, COUNT)
    base("revenue", totals.revenue, MONEY)
    base("spend", totals.spend, MONEY)
    sheet.formula(col["ctr"], f'=IF({c("impressions")}>0,{c("clicks")}/{c("impressions")},"")', _num(totals.ctr),
                  RATE, fstyle)
    sheet.formula(col["cvr"], f'=IF({c("clicks")}>0,{c("conversions")}/{c("clicks")},"")', _num(totals.cvr), RATE,
                  fstyle)
    sheet.formula(col["cpa"], f'=IF({c("conversions")}>0,{c("spend")}/{c("conversions")},"")', _num(totals.cpa),
                  CENTS, fstyle)
    sheet.formula(col["roi"], f'=IF({c("spend")}>0,({c("revenue")}-{c("spend")})/{c("spend")},"")',
                  _num(totals.roi), PCT, fstyle)


def _ratio_formula(revenue: str, spend: str) -> str:
    """The source's "1:5" as a live formula: revenue per unit of spend, one decimal (5.0 shows as 1:5)."""
    return f'=IF(N({spend})>0,"1:"&ROUND({revenue}/{spend},1),"")'


def _ratio_cell(sheet: _Sheet, totals: Totals, style: str = "formula") -> None:
    """ROI 1:N in column 11 of a KPI row, over that row's revenue (G) and spend (H)."""
    r = sheet.row
    sheet.formula(11, _ratio_formula(f"G{r}", f"H{r}"), totals.ratio_text or "", None,
                  "total" if style == "total" else "formula")


def _kpi_by_channel(sheet: _Sheet, kpi: KpiReport) -> dict[str, int]:
    sheet.section("kpi_by_channel")
    sheet.header([sheet.t("channel")] + [sheet.t(k) for k in KPI_HEAD] + [sheet.t("ratio")])
    first = sheet.row
    rows: dict[str, int] = {}
    for channel in kpi.channels:
        name = channel.name if channel.listed else f"{channel.name} {sheet.t('not_listed')}"
        sheet.value(1, name, style="label")
        _kpi_cells(sheet, 2, channel.totals)
        _ratio_cell(sheet, channel.totals)
        rows[channel.name] = sheet.row
        sheet.row += 1
    last = sheet.row - 1
    total_row = sheet.row
    sheet.value(1, sheet.t("total"), style="total_label")
    sums = (lambda col: f"=SUM({_c(col, first)}:{_c(col, last)})") if kpi.channels else None
    _kpi_cells(sheet, 2, kpi.total, "total", sums)
    _ratio_cell(sheet, kpi.total, "total")
    sheet.row += 1
    sheet.note(sheet.t("roi_note"))
    return {"first": first, "last": last, "total": total_row, **{f"ch:{k}": v for k, v in rows.items()}}


def _attainment_channels(sheet: _Sheet, kpi: KpiReport, kpi_rows: dict[str, int]) -> None:
    listed = [c for c in kpi.channels if c.listed]
    if not listed:
        return
    sheet.section("attainment_channels")
    metrics_cols = (("impressions", 2), ("clicks", 3), ("conversions", 5), ("revenue", 7))  # columns in KPI block
    heads = [sheet.t("channel")]
    for metric, _ in metrics_cols:
        heads += [S.CHANNELS.column(f"target_{metric}").header(sheet.lang), sheet.t("attainment")]
    sheet.header(heads)
    first = sheet.row
    for channel in listed:
        r = sheet.row
        sheet.value(1, channel.name, style="label")
        actual_row = kpi_rows[f"ch:{channel.name}"]
        for index, (metric, kpi_col) in enumerate(metrics_cols):
            target_col = 2 + 2 * index
            target = channel.targets.get(metric)
            sheet.value(target_col, _num(target), METRIC_FORMATS[metric])
            tc = _c(target_col, r)
            sheet.formula(target_col + 1, f'=IF(N({tc})>0,{_c(kpi_col, actual_row)}/{tc},"")',
                          _num(channel.attainment(metric)), PCT)
        sheet.row += 1
    r = sheet.row
    sheet.value(1, sheet.t("total"), style="total_label")
    for index, (metric, kpi_col) in enumerate(metrics_cols):
        target_col = 2 + 2 * index
        target_sum = kpi.channel_targets.get(metric, 0)
        sheet.formula(target_col, f"=SUM({_c(target_col, first)}:{_c(target_col, r - 1)})", target_sum,
                      METRIC_FORMATS[metric], "total")
        tc = _c(target_col, r)
        sheet.formula(target_col + 1, f'=IF(N({tc})>0,{_c(kpi_col, kpi_rows["total"])}/{tc},"")',
                      _num(kpi.total_attainment(metric)), PCT, "total")
    sheet.row += 1


def _kpi_by_stage(sheet: _Sheet, kpi: KpiReport) -> None:
    sheet.section("kpi_by_stage")
    if not kpi.stages:
        sheet.note(sheet.t("no_dates"))
        return
    sheet.header([sheet.t("stage"), sheet.t("from"), sheet.t("to")] + [sheet.t(k) for k in KPI_HEAD])
    for stage in kpi.stages:
        sheet.value(1, STAGE.label(stage.stage, sheet.lang), style="label")
        sheet.value(2, stage.first or "", DATE_FMT, "center")
        sheet.value(3, stage.last or "", DATE_FMT, "center")
        _kpi_cells(sheet, 4, stage.totals)
        sheet.row += 1


def _target_text(target: Target, lang: str) -> str:
    value = target.value
    if target.metric == "roas":
        return f"{target.label} {target.op} 1:{value.normalize():f}"
    if target.metric in ("ctr", "cvr", "roi") or (target.metric is None and value < 1 and not target.unit):
        shown = f"{(value * 100).normalize():f}%"
    elif value >= 10_000 and value % 10_000 == 0 and is_zh(lang):
        shown = f"{(value / 10_000).normalize():f}万"
    else:
        shown = f"{value.normalize():,f}" if value == value.to_integral_value() else f"{value.normalize():f}"
    return f"{target.label} {target.op} {shown}{target.unit}"


def _goals(sheet: _Sheet, kpi: KpiReport) -> None:
    """Each SMART goal: baseline, target (a relative one computed), deadline, actual, attainment and the source's
    "+20%" (actual against target) as formulas."""
    if not kpi.goals:
        return
    sheet.section("goals")
    sheet.header([sheet.t("goal"), sheet.t("baseline"), sheet.t("target"), sheet.t("deadline"),
                  sheet.t("actual_value"), sheet.t("attainment"), sheet.t("versus"), sheet.t("unit")])
    for goal in kpi.goals:
        r = sheet.row
        fmt = RATE if (goal.unit or "").strip() in ("%", "％") else METRIC_FORMATS.get(goal.metric or "", COUNT)
        sheet.value(1, goal.text, style="label")
        sheet.value(2, _num(goal.baseline), "#,##0.##")
        sheet.value(3, _num(goal.target), fmt)
        sheet.value(4, goal.deadline or "", DATE_FMT, "center")
        if goal.metric is None:
            sheet.value(5, sheet.t("not_measured"), style="muted")
            sheet.value(6, "", PCT)
            sheet.value(7, "", CHANGE)
        else:
            sheet.value(5, _num(goal.actual), fmt)
            if goal.metric in ("cpa", "spend"):
                formula = f'=IF(AND(ISNUMBER(C{r}),N(E{r})>0),C{r}/E{r},"")'
            else:
                formula = f'=IF(AND(ISNUMBER(E{r}),N(C{r})>0),E{r}/C{r},"")'
            sheet.formula(6, formula, _num(goal.attainment), PCT)
            sheet.formula(7, f'=IF(ISNUMBER(F{r}),F{r}-1,"")', _num(goal.versus_target), CHANGE)
        sheet.value(8, goal.unit or "", style="center")
        sheet.row += 1


def _roi_ranking(sheet: _Sheet, kpi: KpiReport, kpi_rows: dict[str, int]) -> None:
    """The review's channel ranking by ROI 1:N, each figure a formula over the KPI-by-channel block."""
    ranking = roi_ranking(kpi)
    if not ranking:
        return
    sheet.section("roi_ranking")
    sheet.header([sheet.t("rank"), sheet.t("channel"), sheet.t("ratio"), sheet.t("roi"), sheet.t("revenue"),
                  sheet.t("spend")])
    for entry in ranking:
        r, source = sheet.row, kpi_rows[f"ch:{entry.name}"]
        sheet.value(1, entry.rank, style="center")
        sheet.value(2, entry.name, style="label")
        sheet.formula(5, f"=G{source}", entry.revenue, MONEY)
        sheet.formula(6, f"=H{source}", entry.spend, MONEY)
        sheet.formula(3, _ratio_formula(f"E{r}", f"F{r}"), entry.ratio_text)
        sheet.formula(4, f'=IF(N(F{r})>0,(E{r}-F{r})/F{r},"")', _num(entry.net), PCT)
        sheet.row += 1


def _daily_pacing(sheet: _Sheet, kpi: KpiReport) -> None:
    """The execution group's daily sync: the last day with numbers against each metric's daily target."""
    paced = [p for p in kpi.pacing if p.measured is not None and p.daily_target]
    if not paced:
        return
    sheet.section("daily_pacing")
    sheet.header([sheet.t("metric"), sheet.t("day"), sheet.t("today_value"), sheet.t("daily_target"),
                  sheet.t("today_share"), sheet.t("message")])
    for pacing in paced:
        r = sheet.row
        fmt = METRIC_FORMATS[pacing.metric]
        metric = t(pacing.metric, sheet.lang)
        sheet.value(1, metric, style="label")
        sheet.value(2, pacing.measured or "", DATE_FMT, "center")
        sheet.value(3, _num(pacing.today_value), fmt)
        sheet.value(4, _num(pacing.daily_target), fmt)
        sheet.formula(5, f'=IF(N(D{r})>0,C{r}/D{r},"")', _num(pacing.today_share), PCT)
        share = pacing.today_share
        line = sheet.t("sync_line", day=pacing.measured.isoformat() if pacing.measured else "", metric=metric,
                       value=f"{float(pacing.today_value or 0):,.0f}",
                       share=f"{float(share):.0%}" if share is not None else "—")
        sheet.value(6, line, style="label")
        sheet.row += 1


def _review_items(sheet: _Sheet, plan: Plan) -> None:
    """The review's problems with owners and fixes, and the touchpoints with the user's own metrics."""
    sheet.section("review_items")
    problems = [item for item in plan.review if item.problem]
    if not problems:
        sheet.note(sheet.t("no_review"))
    else:
        sheet.header([sheet.t("problem"), sheet.t("cause"), sheet.t("owner"), sheet.t("improvement"), sheet.t("due")])
        for item in problems:
            sheet.value(1, item.problem or "", style="wrap")
            sheet.value(2, item.cause or "", style="wrap")
            sheet.value(3, join(item.owner, sheet.lang), style="center")
            sheet.value(4, item.improvement or "", style="wrap")
            sheet.value(5, item.due or "", DATE_FMT, "center")
            sheet.row += 1
    touchpoints = [tp for tp in plan.touchpoints if tp.name]
    if not touchpoints:
        return
    names: list[str] = []
    for touchpoint in touchpoints:
        names += [n for n in touchpoint.metrics if n not in names]
    names = names[:9]  # the columns left of the charts
    sheet.section("touchpoints")
    sheet.header([sheet.t("touchpoint"), sheet.t("channel"), *names])
    for touchpoint in touchpoints:
        sheet.value(1, touchpoint.name or "", style="label")
        sheet.value(2, touchpoint.channel or "", style="center")
        for index, name in enumerate(names, start=3):
            value = touchpoint.metrics.get(name)
            rate = any(mark in name.lower() for mark in ("率", "rate", "%", "占比"))
            sheet.value(index, _num(value), PCT if rate else "#,##0.##")
        sheet.row += 1


def _deliverables(sheet: _Sheet, kpi: KpiReport) -> None:
    if not kpi.deliverables:
        return
    sheet.section("deliverables")
    sheet.header([sheet.t("id"), sheet.t("task"), sheet.t("requirement"), sheet.t("channel"), sheet.t("from"),
                  sheet.t("to"), sheet.t("actual_value"), sheet.t("state")])
    for check in kpi.deliverables:
        sheet.value(1, check.task_id or "", style="center")
        sheet.value(2, check.task or "", style="label")  # one line each: the block stays short on paper
        sheet.value(3, _target_text(check.target, sheet.lang), style="label")
        sheet.value(4, check.channel or (sheet.t("all_channels") if check.target.metric else ""), style="center")
        sheet.value(5, check.first or "", DATE_FMT, "center")
        sheet.value(6, check.last or "", DATE_FMT, "center")
        sheet.value(7, _num(check.actual), METRIC_FORMATS.get(check.target.metric or "", None))
        sheet.value(8, sheet.t(f"state_{check.state}"), style=STATE_STYLES[check.state])
        sheet.row += 1


def _pacing_summary(sheet: _Sheet, kpi: KpiReport) -> dict[str, int]:
    sheet.section("pacing")
    if not kpi.pacing:
        sheet.note(sheet.t("no_dates") if not kpi.stages else sheet.t("no_kpi"))
        return {}
    sheet.header([sheet.t("metric"), sheet.t("target"), sheet.t("source"), sheet.t("to_date"),
                  sheet.t("actual_to_date"), sheet.t("target_to_date"), sheet.t("pace"), sheet.t("run_rate"),
                  sheet.t("projected_total"), sheet.t("projected_attainment"), sheet.t("projected_finish")])
    rows: dict[str, int] = {}
    for pacing in kpi.pacing:
        r = sheet.row
        fmt = METRIC_FORMATS[pacing.metric]
        sheet.value(1, t(pacing.metric, sheet.lang), style="label")
        sheet.value(2, pacing.target, fmt)
        sheet.value(3, sheet.t(f"source_{pacing.target_source}"), style="center")
        sheet.value(4, pacing.measured or "", DATE_FMT, "center")
        sheet.value(5, pacing.actual_to_date, fmt)
        sheet.value(6, pacing.target_to_date, fmt)
        sheet.formula(7, f'=IF(F{r}>0,E{r}/F{r},"")', _num(pacing.pace), PCT)
        sheet.value(8, _num(pacing.run_rate), fmt)
        sheet.value(9, _num(pacing.projected_total), fmt)
        sheet.formula(10, f'=IF(AND(ISNUMBER(I{r}),B{r}>0),I{r}/B{r},"")', _num(pacing.projected_attainment), PCT)
        sheet.value(11, pacing.projected_finish or "", DATE_FMT, "center")
        rows[pacing.metric] = r
        sheet.row += 1
    return rows


DAILY_METRIC_COL = {"impressions": 3, "clicks": 4, "conversions": 5, "new_users": 6, "revenue": 7, "spend": 8}


def _daily(sheet: _Sheet, kpi: KpiReport) -> tuple[int, int, Pacing | None]:
    """Per day: the numbers, ROI, and the main pacing metric's cumulative actual against the target curve."""
    pacing = kpi.main_pacing
    sheet.section("daily")
    if not kpi.days and pacing is None:
        sheet.note(sheet.t("no_kpi"))
        return 0, 0, None
    metric_name = t(pacing.metric, sheet.lang) if pacing else ""
    sheet.header([sheet.t("date"), sheet.t("stage"), sheet.t("impressions"), sheet.t("clicks"),
                  sheet.t("conversions"), sheet.t("new_users"), sheet.t("revenue"), sheet.t("spend"),
                  sheet.t("roi"), sheet.t("cumulative", metric=metric_name), sheet.t("target_curve"),
                  sheet.t("pace")])
    by_day = {d.day: d for d in kpi.days}
    pace_days = {p.day: p for p in pacing.days} if pacing else {}
    days = sorted(set(by_day) | set(pace_days))
    first = sheet.row
    metric_col = DAILY_METRIC_COL[pacing.metric] if pacing else 0
    previous_cumulative_row: int | None = None
    for day in days:
        r = sheet.row
        data = by_day.get(day)
        sheet.value(1, day, DAY_FMT if len(days) <= 120 else DATE_FMT, "center")
        stage = data.stage if data else None
        sheet.value(2, STAGE.label(stage, sheet.lang) if stage else "", style="center")
        if data is not None:
            tot = data.totals
            for key, col in DAILY_METRIC_COL.items():
                sheet.value(col, tot.value(key), METRIC_FORMATS[key])
            sheet.formula(9, f'=IF(H{r}>0,(G{r}-H{r})/H{r},"")', _num(tot.roi), PCT)
        pace_day = pace_days.get(day)
        if pace_day is not None and pacing is not None:
            fmt = METRIC_FORMATS[pacing.metric]
            if pace_day.cumulative is not None:
                own = _c(metric_col, r)
                formula = f"={own}" if previous_cumulative_row is None else f"=J{previous_cumulative_row}+{own}"
                sheet.formula(10, formula, pace_day.cumulative, fmt)
                previous_cumulative_row = r
                sheet.value(11, pace_day.target_to_date, fmt)
                sheet.formula(12, f'=IF(AND(ISNUMBER(J{r}),K{r}>0),J{r}/K{r},"")',
                              _div(pace_day.cumulative, pace_day.target_to_date), PCT)
            else:
                sheet.value(11, pace_day.target_to_date, fmt)
        sheet.row += 1
    return first, sheet.row - 1, pacing


def _cards(sheet: _Sheet, row: int, budget: BudgetReport, kpi: KpiReport, anchors: dict[str, int],
           pacing_rows: dict[str, int]) -> None:
    """The key figures at the top, each a formula over the blocks below."""
    fv = column_letter(FACT_VALUE)
    cards: list[tuple[str, str, Any, str | None]] = [
        (sheet.t("total_budget"), f"={fv}{anchors['fact_total_budget']}", budget.totals.total_budget, MONEY),
        (sheet.t("spent"), f"={fv}{anchors['fact_spent']}", budget.actual_total, MONEY),
        (sheet.t("budget_left"), f"={fv}{anchors['fact_budget_left']}", budget.remaining, MONEY),
        (sheet.t("reserve_rate"), f"={fv}{anchors['fact_reserve_rate']}", _num(budget.totals.reserve_rate), PCT),
        (sheet.t("revenue"), f"=G{anchors['kpi_total']}", kpi.total.revenue, MONEY),
        (sheet.t("roi"), f"=J{anchors['kpi_total']}", _num(kpi.total.roi), PCT),
    ]
    main = kpi.main_pacing
    if main is not None and main.metric in pacing_rows:
        r = pacing_rows[main.metric]
        metric = t(main.metric, sheet.lang)
        cards.append((f"{sheet.t('pace')} · {metric}", f"=G{r}", _num(main.pace), PCT))
        cards.append((f"{sheet.t('projected_attainment')} · {metric}", f"=J{r}", _num(main.projected_attainment),
                      PCT))
    for index, (label, formula, expected, fmt) in enumerate(cards):
        col = 1 + index
        sheet.doc.put(row, col, label, style="card_label")
        sheet.doc.put(row + 1, col, expected, formula=formula, fmt=fmt, style="card")
    ratio = kpi.total.ratio_text
    if ratio:
        col = 1 + len(cards)
        sheet.doc.put(row, col, sheet.t("ratio"), style="card_label")
        sheet.doc.put(row + 1, col, ratio, formula=f"=K{anchors['kpi_total']}", style="card")
    sheet.doc.row_heights[row + 1] = 22


def summary_sheet(plan: Plan, budget: BudgetReport, kpi: KpiReport, lang: str, *, name: str) -> SheetDoc:
    """The Summary sheet of ``plan``: budget, KPI, attainment, pacing and three charts."""
    doc = SheetDoc("summary", name, tab_color="2F5597", gridlines=False)
    _styles(doc)
    sheet = _Sheet(doc, lang)
    title = t("summary_title", lang) + (f" · {plan.overview.name}" if plan.overview.name else "")
    doc.put(1, 1, title, style="title")
    doc.put(2, 1, f"{t('as_of', lang)} {kpi.as_of.isoformat()} · {t('generated', lang)}", style="note")
    cards_row = 4
    charts_row = cards_row + 3
    sheet.row = charts_row + CHART_ROWS  # the key figures, then the charts, then the tables
    anchors = _budget_by_category(sheet, plan, budget)
    _budget_by_channel(sheet, budget)
    kpi_rows = _kpi_by_channel(sheet, kpi)
    anchors["kpi_total"] = kpi_rows["total"]
    _attainment_channels(sheet, kpi, kpi_rows)
    _kpi_by_stage(sheet, kpi)
    _roi_ranking(sheet, kpi, kpi_rows)
    _goals(sheet, kpi)
    _deliverables(sheet, kpi)
    pacing_rows = _pacing_summary(sheet, kpi)
    _daily_pacing(sheet, kpi)
    _review_items(sheet, plan)
    daily_first, daily_last, pacing = _daily(sheet, kpi)
    _cards(sheet, cards_row, budget, kpi, anchors, pacing_rows)

    doc.charts.append(Chart(
        "column", t("chart_budget", lang), ref(charts_row, 1),
        area(anchors["first"], 1, anchors["last"], 1),
        (Series(t("planned", lang), area(anchors["first"], 2, anchors["last"], 2), "9DC3E6"),
         Series(t("actual", lang), area(anchors["first"], 3, anchors["last"], 3), "2F5597")),
        y_format="#,##0", width_cm=CHART_WIDTH, height_cm=CHART_HEIGHT))
    if kpi.channels:
        doc.charts.append(Chart(
            "bar", t("chart_roi", lang), ref(charts_row, 5),
            area(kpi_rows["first"], 1, kpi_rows["last"], 1),
            (Series(t("roi", lang), area(kpi_rows["first"], 10, kpi_rows["last"], 10), "548235"),),
            y_format="0%", width_cm=CHART_WIDTH, height_cm=CHART_HEIGHT))
    if pacing is not None and daily_first:
        metric = t(pacing.metric, lang)
        doc.charts.append(Chart(
            "line", t("chart_pacing", lang, metric=metric), ref(charts_row, 9),
            area(daily_first, 1, daily_last, 1),
            (Series(t("cumulative", lang, metric=metric), area(daily_first, 10, daily_last, 10), "C00000"),
             Series(t("target_curve", lang), area(daily_first, 11, daily_last, 11), "7F7F7F")),
            y_format="#,##0", x_format=DAY_FMT, width_cm=CHART_WIDTH, height_cm=CHART_HEIGHT))
    doc.col_widths[1] = 22 if is_zh(lang) else 28
    coded = not money_format(plan.overview.currency, lang).startswith('"¥')  # "CNY 1,000,000" is wider
    for col in range(2, 13):
        doc.col_widths[col] = 14 if coded else 12
    doc.freeze = "A4"
    doc.page = PageSetup(landscape=True, fit_width=1, fit_height=2, title_rows=None)
    formats = {MONEY: money_format(plan.overview.currency, lang, decimals=0),
               CENTS: money_format(plan.overview.currency, lang)}
    for cell in doc.cells.values():
        if cell.fmt in formats:
            cell.fmt = formats[cell.fmt]
    doc.font = body_font(lang)
    fit_rows(doc)
    return doc
