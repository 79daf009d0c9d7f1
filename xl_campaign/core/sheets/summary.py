"""The Summary sheet described for any writer: budget by category and channel with the reserve, KPI per channel
and per stage, attainment (channel targets, SMART goals, deliverable standards), pacing, and native charts.

What is a value and what is a formula: the sums come from the core as values — they follow the core's reading of
the sheets (vocabulary aliases such as 人员 for 人力, numbers typed as text, exact Decimal money), which a
SUMIFS over the raw cells would not. Everything derived from them is a native formula over the Summary's own
cells — variance, remaining, shares, CTR, conversion rate, CPA, ROI, attainment, totals, the reserve rate,
cumulative pacing — so the arithmetic is visible and auditable in the workbook. Each formula cell carries the value
the core computed; the LibreOffice test recalculates the workbook and compares every one of them.

How it prints: two landscape A4 pages. The first is the management view — the key figures, three charts, budget by
category with the reserve, KPI by channel ranked by ROI, the SMART goals; the second the detail — budget by
channel, the channel targets, KPI by stage, pacing, today against the daily targets, touchpoints, deliverable
standards, the review's problems. Narrow blocks stand side by side. The per-day table (the Daily KPI sheet's
numbers by day, which the pacing chart reads) and the daily sync lines sit under the print area: on the sheet,
not on paper. Column widths follow what the columns hold, headers break where a reader expects, every row has a
height, and the print scale is computed so that each page fits (see ``paper``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from .. import spec as S
from ..budget import BudgetReport
from ..kpi import KpiReport, Pacing, Target, Totals
from ..model import Plan
from ..review import roi_ranking
from ..text import is_zh, join
from ..vocab import CATEGORY, STAGE
from . import paper
from .labels import t
from .look import body_font, currency_code, money_format
from .model import Chart, PageSetup, Series, SheetDoc, Style, area, column_letter, ref

MONEY = S.MONEY_FORMAT  # whole amounts in the campaign's currency (see summary_sheet)
CENTS = "#,##0.00 cents"  # amounts with cents (CPA), in the campaign's currency
COUNT = S.INT_FORMAT
PCT = "0.0%"
RATE = "0.00%"
DATE_FMT = "yyyy-mm-dd"
DAY_FMT = "mm-dd"
HEADER_FILL = "1F4E78"
FACT_LABEL, FACT_VALUE = 8, 11  # the budget facts beside the category table: label (merged H:J), value (K)
CARDS_ROW = 4  # the key figures: labels, then values
CHARTS_ROW = 7
CHART_SHARES = (0.38, 0.28, 0.34)  # of the print width: budget, ROI by channel, pacing
CHART_ROWS = 10  # the three charts sit side by side under the key figures, this many rows tall
GRID = 12  # columns A–L: the widest block (KPI by stage) and the print width
RIGHT = 8  # the first column of a block standing right of a narrow one (H)
TOUCHPOINT_METRICS = GRID - RIGHT - 1  # the touchpoints' own metrics that fit beside the review
SECTION_HEIGHT = 21.0  # a block's title row: its 12-point title and the space above it
TITLE_HEIGHT = 26.0
GAP_HEIGHT = 6.0
CARD_HEIGHT = 22.0
WIDEN = 2.0  # units a column may widen so that its header takes one line less
LABEL_CAP = {True: 16.0, False: 22.0}  # the most the label column takes (zh / en); longer labels wrap
FLOOR_SCALE = 60  # below this the detail flows onto more pages instead of shrinking further
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
    s["label"] = Style(valign="center")
    s["label_wrap"] = Style(wrap=True, valign="center")
    s["num"] = Style(valign="center")
    s["formula"] = Style(fill="F2F2F2", valign="center")
    s["total_label"] = Style(bold=True, border="BFBFBF", fill="DDEBF7", valign="center")
    s["total"] = Style(bold=True, border="BFBFBF", fill="DDEBF7", valign="center")
    s["card_label"] = Style(bold=True, color="FFFFFF", fill="2F5597", align="center", valign="center", wrap=True)
    s["card"] = Style(bold=True, size=13, color=HEADER_FILL, fill="DDEBF7", align="center", valign="center")
    s["good"] = Style(color="375623", fill="E2EFDA", align="center", valign="center")
    s["neutral"] = Style(color="7F6000", fill="FFF2CC", align="center", valign="center")
    s["bad"] = Style(color="9C0006", fill="FFC7CE", align="center", valign="center")
    s["muted"] = Style(color="7F7F7F", italic=True, align="center", valign="center")
    s["center"] = Style(align="center", valign="center")
    s["wrap"] = Style(wrap=True, valign="center")
    s["wrap_center"] = Style(wrap=True, valign="center", align="center")


def _num(value: int | Decimal | None) -> int | Decimal | str:
    return "" if value is None else value


def _div(numerator: Decimal | int | None, denominator: Decimal | int | None) -> Decimal | str:
    if numerator is None or denominator is None or denominator == 0:
        return ""
    return Decimal(numerator) / Decimal(denominator)


class _Sheet:
    """Placement of the Summary's blocks: each block writes from ``row`` down, its columns counted from ``col0``
    (1 = A), so a narrow block can stand right of another one."""

    def __init__(self, doc: SheetDoc, lang: str) -> None:
        self.doc = doc
        self.lang = lang
        self.row = 1
        self.col0 = 1
        self.header_rows: list[int] = []
        self.section_rows: list[int] = []
        self.band_tops: list[int] = []

    def t(self, key: str, **values: object) -> str:
        return t(key, self.lang, **values)

    def col(self, n: int) -> int:
        """The sheet column of the block's column ``n``."""
        return self.col0 + n - 1

    def L(self, n: int) -> str:  # noqa: N802 (a column letter)
        return column_letter(self.col(n))

    def a(self, n: int, row: int | None = None) -> str:
        """The A1 address of the block's column ``n`` in ``row`` (default: the current row)."""
        return f"{self.L(n)}{self.row if row is None else row}"

    def band(self, *parts: tuple[Callable[[], Any], int]) -> list[Any]:
        """Blocks side by side from the current row, each from its own first column; the next band starts under
        the tallest."""
        top = bottom = self.row
        self.band_tops.append(top)
        results = []
        for build, col0 in parts:
            self.row, self.col0 = top, col0
            results.append(build())
            bottom = max(bottom, self.row)
        self.row, self.col0 = bottom, 1
        return results

    def section(self, key: str, **values: object) -> None:
        self.doc.put(self.row, self.col0, self.t(key, **values), style="section")
        self.section_rows.append(self.row)
        self.row += 1

    def header(self, labels: list[str], spans: dict[int, int] | None = None) -> int:
        n = 1
        for index, label in enumerate(labels):
            span = (spans or {}).get(index, 1)
            self.doc.put(self.row, self.col(n), label, style="head")
            for extra in range(1, span):
                self.doc.put(self.row, self.col(n + extra), None, style="head")
            if span > 1:
                self.doc.merges.append(area(self.row, self.col(n), self.row, self.col(n + span - 1)))
            n += span
        header_row = self.row
        self.header_rows.append(header_row)
        self.row += 1
        return header_row

    def value(self, n: int, value: Any, fmt: str | None = None, style: str = "num", span: int = 1) -> None:
        self.doc.put(self.row, self.col(n), value, fmt=fmt, style=style)
        if span > 1:
            for extra in range(1, span):
                self.doc.put(self.row, self.col(n + extra), None, style=style)
            self.doc.merges.append(area(self.row, self.col(n), self.row, self.col(n + span - 1)))

    def formula(self, n: int, formula: str, expected: Any, fmt: str | None = None, style: str = "formula") -> None:
        self.doc.put(self.row, self.col(n), expected, formula=formula, fmt=fmt, style=style)

    def note(self, text: str) -> None:
        self.doc.put(self.row, self.col0, text, style="note")
        self.row += 1


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
    v = sheet.L(FACT_VALUE)
    tb = f"${v}${fact['total_budget']}"
    B, C = sheet.L(2), sheet.L(3)  # noqa: N806 (column letters)
    for category in budget.categories:
        r = sheet.row
        rows[category.key] = r
        sheet.value(1, CATEGORY.label(category.key, lang), style="label")
        sheet.value(2, category.planned, MONEY)
        sheet.value(3, category.actual, MONEY)
        sheet.formula(4, f"={C}{r}-{B}{r}", category.variance, MONEY)
        sheet.formula(5, f"={B}{r}-{C}{r}", category.remaining, MONEY)
        sheet.formula(6, f'=IF({tb}>0,{B}{r}/{tb},"")', _div(category.planned, totals.total_budget), PCT)
        sheet.row += 1
    non_reserve = [rows[c.key] for c in budget.categories if c.key != "reserve"]
    reserve_row = rows["reserve"]

    def lines_sum(n: int) -> str:
        if non_reserve == list(range(min(non_reserve), max(non_reserve) + 1)):
            return f"=SUM({sheet.a(n, min(non_reserve))}:{sheet.a(n, max(non_reserve))})"
        return "=SUM(" + ",".join(sheet.a(n, r) for r in non_reserve) + ")"

    r = sheet.row
    assert r == lines_row
    sheet.value(1, sheet.t("lines_total"), style="total_label")
    sheet.formula(2, lines_sum(2), totals.lines_planned, MONEY, "total")
    sheet.formula(3, lines_sum(3), totals.lines_actual, MONEY, "total")
    sheet.formula(4, f"={C}{r}-{B}{r}", totals.lines_actual - totals.lines_planned, MONEY, "total")
    sheet.formula(5, f"={B}{r}-{C}{r}", totals.lines_planned - totals.lines_actual, MONEY, "total")
    sheet.formula(6, f'=IF({tb}>0,{B}{r}/{tb},"")', _div(totals.lines_planned, totals.total_budget), PCT, "total")
    sheet.row += 1
    r = sheet.row
    sheet.value(1, sheet.t("planned_total"), style="total_label")
    sheet.formula(2, f"={B}{lines_row}+{B}{reserve_row}", budget.planned_total, MONEY, "total")
    sheet.formula(3, f"={C}{lines_row}+{C}{reserve_row}", budget.actual_total, MONEY, "total")
    sheet.formula(4, f"={C}{r}-{B}{r}", budget.variance, MONEY, "total")
    sheet.formula(5, f"={B}{r}-{C}{r}", -budget.variance, MONEY, "total")
    sheet.formula(6, f'=IF({tb}>0,{B}{r}/{tb},"")', _div(budget.planned_total, totals.total_budget), PCT, "total")
    sheet.row += 1
    after = sheet.row
    sheet.row = facts_first
    for key in fact_keys:
        sheet.value(FACT_LABEL, sheet.t(key), style="label", span=FACT_VALUE - FACT_LABEL)
        if key == "total_budget":
            if totals.total_from_overview:
                where = plan.overview_cell("total_budget")
                sheet.value(FACT_VALUE, totals.total_budget, MONEY)
                if where is not None:
                    sheet.doc.cells[(sheet.row, sheet.col(FACT_VALUE))].note = (
                        f"{S.OVERVIEW.name(lang)} · {S.OVERVIEW.column('total_budget').header(lang)}")
            else:
                sheet.formula(FACT_VALUE, f"={B}{planned_total_row}", totals.total_budget, MONEY)
        elif key == "reserve":
            sheet.formula(FACT_VALUE, f"={B}{reserve_row}", totals.reserve, MONEY)
        elif key == "reserve_rate":
            sheet.formula(FACT_VALUE, f'=IF({v}{fact["total_budget"]}>0,{v}{fact["reserve"]}/{v}{fact["total_budget"]},"")',
                          _num(totals.reserve_rate), PCT)
        elif key == "reserve_target":
            sheet.value(FACT_VALUE, _num(plan.overview.reserve_target), PCT)
        elif key == "unallocated":
            sheet.formula(FACT_VALUE, f"={v}{fact['total_budget']}-{B}{lines_row}-{v}{fact['reserve']}",
                          totals.unallocated, MONEY)
        elif key == "spent":
            sheet.formula(FACT_VALUE, f"={C}{planned_total_row}", budget.actual_total, MONEY)
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
    B, C, F, G = (sheet.L(n) for n in (2, 3, 6, 7))  # noqa: N806 (column letters)
    for channel in budget.channels:
        r = sheet.row
        name = channel.name if channel.listed else f"{channel.name} {sheet.t('not_listed')}"
        sheet.value(1, name, style="label")
        sheet.value(2, channel.planned, MONEY)
        sheet.value(3, channel.actual, MONEY)
        sheet.formula(4, f"={C}{r}-{B}{r}", channel.variance, MONEY)
        sheet.formula(5, f"={B}{r}-{C}{r}", channel.remaining, MONEY)
        sheet.formula(6, f'=IF(${B}${total_row}>0,{B}{r}/${B}${total_row},"")', _num(channel.share), PCT)
        sheet.value(7, _num(channel.target_share), PCT)
        sheet.formula(8, f'=IF(AND(ISNUMBER({F}{r}),ISNUMBER({G}{r})),{F}{r}-{G}{r},"")', _num(channel.share_gap),
                      PCT)
        sheet.row += 1
    r = sheet.row
    sheet.value(1, sheet.t("total"), style="total_label")
    if budget.channels:
        sheet.formula(2, f"=SUM({B}{first}:{B}{r - 1})", budget.channel_planned, MONEY, "total")
        sheet.formula(3, f"=SUM({C}{first}:{C}{r - 1})", budget.channel_actual, MONEY, "total")
    else:
        sheet.value(2, ZERO, MONEY, "total")
        sheet.value(3, ZERO, MONEY, "total")
    sheet.formula(4, f"={C}{r}-{B}{r}", budget.channel_actual - budget.channel_planned, MONEY, "total")
    sheet.formula(5, f"={B}{r}-{C}{r}", budget.channel_planned - budget.channel_actual, MONEY, "total")
    sheet.formula(6, f'=IF({B}{r}>0,SUM({F}{first}:{F}{max(first, r - 1)}),"")',
                  Decimal(1) if budget.channel_planned > 0 and budget.channels else "", PCT, "total")
    sheet.value(7, _num(budget.target_share_total), PCT, "total")
    sheet.value(8, "", None, "total")
    sheet.row += 1
    if budget.unassigned_channel_planned:
        sheet.value(1, sheet.t("unassigned_channel"), style="label_wrap")
        sheet.value(2, budget.unassigned_channel_planned, MONEY)
        sheet.row += 1


KPI_HEAD = ("impressions", "clicks", "ctr", "conversions", "cvr", "revenue", "spend", "cpa", "roi")


def _kpi_cells(sheet: _Sheet, first: int, totals: Totals, style: str = "num",
               sums: Callable[[int], str] | None = None) -> None:
    """impressions, clicks, CTR, conversions, CVR, revenue, spend, CPA, ROI from the block's column ``first`` on;
    counts and money as values (or ``sums(n)`` formulas), rates as formulas over them."""
    r = sheet.row
    col = {key: first + i for i, key in enumerate(KPI_HEAD)}
    fstyle = "total" if style == "total" else "formula"

    def base(key: str, value: int | Decimal, fmt: str) -> None:
        if sums is None:
            sheet.value(col[key], value, fmt, style)
        else:
            sheet.formula(col[key], sums(col[key]), value, fmt, fstyle)

    def c(key: str) -> str:
        return sheet.a(col[key], r)

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
    """ROI 1:N in the block's column 11 of a KPI row, over that row's revenue (7) and spend (8)."""
    sheet.formula(11, _ratio_formula(sheet.a(7), sheet.a(8)), totals.ratio_text or "", None,
                  "total" if style == "total" else "formula")


def _kpi_by_channel(sheet: _Sheet, kpi: KpiReport) -> dict[str, int]:
    """KPI per channel, the channels ranked by ROI 1:N (the review's ranking: revenue per unit of spend, ties by
    revenue); channels without spend follow, unranked."""
    sheet.section("kpi_by_channel")
    sheet.header([sheet.t("channel")] + [sheet.t(k) for k in KPI_HEAD] + [sheet.t("ratio_head"), sheet.t("rank")])
    first = sheet.row
    rows: dict[str, int] = {}
    ranking = {entry.name: entry.rank for entry in roi_ranking(kpi)}
    order = sorted(kpi.channels, key=lambda c: ranking.get(c.name, len(ranking) + 1))
    for channel in order:
        name = channel.name if channel.listed else f"{channel.name} {sheet.t('not_listed')}"
        sheet.value(1, name, style="label")
        _kpi_cells(sheet, 2, channel.totals)
        _ratio_cell(sheet, channel.totals)
        sheet.value(12, ranking.get(channel.name, ""), style="center")
        rows[channel.name] = sheet.row
        sheet.row += 1
    last = sheet.row - 1
    total_row = sheet.row
    sheet.value(1, sheet.t("total"), style="total_label")
    sums = (lambda n: f"=SUM({sheet.a(n, first)}:{sheet.a(n, last)})") if kpi.channels else None
    _kpi_cells(sheet, 2, kpi.total, "total", sums)
    _ratio_cell(sheet, kpi.total, "total")
    sheet.value(12, "", None, "total")
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
    kpi_letter = {kpi_col: column_letter(kpi_col) for _, kpi_col in metrics_cols}  # the KPI block starts at A
    for channel in listed:
        r = sheet.row
        sheet.value(1, channel.name, style="label")
        actual_row = kpi_rows[f"ch:{channel.name}"]
        for index, (metric, kpi_col) in enumerate(metrics_cols):
            target_col = 2 + 2 * index
            target = channel.targets.get(metric)
            sheet.value(target_col, _num(target), METRIC_FORMATS[metric])
            tc = sheet.a(target_col, r)
            sheet.formula(target_col + 1, f'=IF(N({tc})>0,{kpi_letter[kpi_col]}{actual_row}/{tc},"")',
                          _num(channel.attainment(metric)), PCT)
        sheet.row += 1
    r = sheet.row
    sheet.value(1, sheet.t("total"), style="total_label")
    for index, (metric, kpi_col) in enumerate(metrics_cols):
        target_col = 2 + 2 * index
        target_sum = kpi.channel_targets.get(metric, 0)
        sheet.formula(target_col, f"=SUM({sheet.a(target_col, first)}:{sheet.a(target_col, r - 1)})", target_sum,
                      METRIC_FORMATS[metric], "total")
        tc = sheet.a(target_col, r)
        sheet.formula(target_col + 1, f'=IF(N({tc})>0,{kpi_letter[kpi_col]}{kpi_rows["total"]}/{tc},"")',
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
    C, E, F = sheet.L(3), sheet.L(5), sheet.L(6)  # noqa: N806 (column letters)
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
                formula = f'=IF(AND(ISNUMBER({C}{r}),N({E}{r})>0),{C}{r}/{E}{r},"")'
            else:
                formula = f'=IF(AND(ISNUMBER({E}{r}),N({C}{r})>0),{E}{r}/{C}{r},"")'
            sheet.formula(6, formula, _num(goal.attainment), PCT)
            sheet.formula(7, f'=IF(ISNUMBER({F}{r}),{F}{r}-1,"")', _num(goal.versus_target), CHANGE)
        sheet.value(8, goal.unit or "", style="center")
        sheet.row += 1


def _sync_lines(sheet: _Sheet, kpi: KpiReport) -> list[str]:
    """The execution group's daily sync, one line per metric with a daily target ("2,000 new users today = 80%
    of the daily target"): text to paste into the team chat, kept under the print area."""
    lines = []
    for pacing in kpi.pacing:
        if pacing.measured is None or not pacing.daily_target:
            continue
        share = pacing.today_share
        lines.append(sheet.t("sync_line", day=pacing.measured.isoformat(), metric=t(pacing.metric, sheet.lang),
                             value=f"{float(pacing.today_value or 0):,.0f}",
                             share=f"{float(share):.0%}" if share is not None else "—"))
    return lines


def _review_items(sheet: _Sheet, plan: Plan, *, wide: bool) -> None:
    """The review's problems with causes, fixes, owners and due dates; the texts wrap in cells several columns
    wide (``wide``: the whole width, else columns A–F)."""
    sheet.section("review_items")
    problems = [item for item in plan.review if item.problem]
    if not problems:
        sheet.note(sheet.t("no_review"))
        return
    widths = (2, 3, 4, 2) if wide else (1, 2, 2, 1)  # problem, cause, improvement, owner · due
    sheet.header([sheet.t("problem"), sheet.t("cause"), sheet.t("improvement"), sheet.t("owner_due")],
                 dict(enumerate(widths)))
    starts = [1 + sum(widths[:i]) for i in range(4)]
    for item in problems:
        due = f"{item.due:%m-%d}" if isinstance(item.due, date) else str(item.due or "")
        texts = (item.problem or "", item.cause or "", item.improvement or "",
                 ("\n" if not wide else " · ").join(part for part in (join(item.owner, sheet.lang), due) if part))
        for index, text in enumerate(texts):
            sheet.value(starts[index], text, style="wrap_center" if index == 3 else "wrap", span=widths[index])
        sheet.row += 1


def _touchpoint_metrics(plan: Plan) -> list[str]:
    names: list[str] = []
    for touchpoint in plan.touchpoints:
        if touchpoint.name:
            names += [n for n in touchpoint.metrics if n not in names]
    return names[:GRID - 2]  # the columns a block has


def _touchpoints(sheet: _Sheet, plan: Plan) -> None:
    """The touchpoints with the user's own metrics."""
    touchpoints = [tp for tp in plan.touchpoints if tp.name]
    if not touchpoints:
        return
    names = _touchpoint_metrics(plan)
    sheet.section("touchpoints")
    sheet.header([sheet.t("touchpoint"), sheet.t("channel"), *names])
    for touchpoint in touchpoints:
        sheet.value(1, touchpoint.name or "", style="label_wrap")
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
    spans = {1: 3, 2: 2, 7: 2}  # ID, task (B–D), requirement (E–F), channel, from, to, actual, result (K–L)
    sheet.header([sheet.t("id"), sheet.t("task"), sheet.t("requirement"), sheet.t("channel"), sheet.t("from"),
                  sheet.t("to"), sheet.t("actual_value"), sheet.t("state")], spans)
    for check in kpi.deliverables:
        sheet.value(1, check.task_id or "", style="center")
        sheet.value(2, check.task or "", style="wrap", span=3)
        sheet.value(5, _target_text(check.target, sheet.lang), style="wrap", span=2)
        sheet.value(7, check.channel or (sheet.t("all_channels") if check.target.metric else ""), style="center")
        sheet.value(8, check.first or "", DAY_FMT, "center")
        sheet.value(9, check.last or "", DAY_FMT, "center")
        sheet.value(10, _num(check.actual), METRIC_FORMATS.get(check.target.metric or "", None))
        sheet.value(11, sheet.t(f"state_{check.state}"), style=STATE_STYLES[check.state], span=2)
        sheet.row += 1


def _pacing_summary(sheet: _Sheet, kpi: KpiReport) -> dict[str, int]:
    """Each metric with a target: cumulative actual against the straight-line target to the day measured, the
    projection, and that day against the daily target (the source's daily sync). Where the target comes from (a
    SMART goal, or the sum of the channels' targets) is the target cell's note; the day measured is in the title
    when every metric was measured on the same day, else in each metric's label."""
    days = {p.measured for p in kpi.pacing}
    one_day = next(iter(days)) if len(days) == 1 else None
    title_day = f"{one_day:%m-%d}" if one_day is not None else ""
    sheet.section("pacing_on" if title_day else "pacing", day=title_day)
    if not kpi.pacing:
        sheet.note(sheet.t("no_dates") if not kpi.stages else sheet.t("no_kpi"))
        return {}
    sheet.header([sheet.t("metric"), sheet.t("target"), sheet.t("actual_to_date"), sheet.t("target_to_date"),
                  sheet.t("pace"), sheet.t("run_rate"), sheet.t("projected_total"), sheet.t("projected_attainment"),
                  sheet.t("projected_finish"), sheet.t("today_value"), sheet.t("daily_target"),
                  sheet.t("today_share")])
    B, C, D, G, J, K = (sheet.L(n) for n in (2, 3, 4, 7, 10, 11))  # noqa: N806 (column letters)
    rows: dict[str, int] = {}
    for pacing in kpi.pacing:
        r = sheet.row
        fmt = METRIC_FORMATS[pacing.metric]
        label = t(pacing.metric, sheet.lang)
        if one_day is None and pacing.measured is not None:
            label += f" ({pacing.measured:%m-%d})"
        sheet.value(1, label, style="label")
        sheet.value(2, pacing.target, fmt)
        sheet.doc.cells[(r, sheet.col(2))].note = sheet.t("source") + ": " + sheet.t(f"source_{pacing.target_source}")
        sheet.value(3, pacing.actual_to_date, fmt)
        sheet.value(4, pacing.target_to_date, fmt)
        sheet.formula(5, f'=IF({D}{r}>0,{C}{r}/{D}{r},"")', _num(pacing.pace), PCT)
        sheet.value(6, _num(pacing.run_rate), fmt)
        sheet.value(7, _num(pacing.projected_total), fmt)
        sheet.formula(8, f'=IF(AND(ISNUMBER({G}{r}),{B}{r}>0),{G}{r}/{B}{r},"")', _num(pacing.projected_attainment),
                      PCT)
        sheet.value(9, pacing.projected_finish or "", DAY_FMT, "center")
        if pacing.measured is not None and pacing.daily_target:
            sheet.value(10, _num(pacing.today_value), fmt)
            sheet.value(11, _num(pacing.daily_target), fmt)
            sheet.formula(12, f'=IF(N({K}{r})>0,{J}{r}/{K}{r},"")', _num(pacing.today_share), PCT)
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
                own = sheet.a(metric_col, r)
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
        (sheet.t("spent_short"), f"={fv}{anchors['fact_spent']}", budget.actual_total, MONEY),
        (sheet.t("budget_left"), f"={fv}{anchors['fact_budget_left']}", budget.remaining, MONEY),
        (sheet.t("reserve_rate"), f"={fv}{anchors['fact_reserve_rate']}", _num(budget.totals.reserve_rate), PCT),
        (sheet.t("revenue"), f"=G{anchors['kpi_total']}", kpi.total.revenue, MONEY),
        (sheet.t("roi"), f"=J{anchors['kpi_total']}", _num(kpi.total.roi), PCT),
    ]
    main = kpi.main_pacing
    if main is not None and main.metric in pacing_rows:
        r = pacing_rows[main.metric]
        metric = t(main.metric, sheet.lang)
        cards.append((f"{sheet.t('pace')} · {metric}", f"=E{r}", _num(main.pace), PCT))
        cards.append((f"{sheet.t('projected_card')} · {metric}", f"=H{r}", _num(main.projected_attainment),
                      PCT))
    for index, (label, formula, expected, fmt) in enumerate(cards):
        col = 1 + index
        sheet.doc.put(row, col, label, style="card_label")
        sheet.doc.put(row + 1, col, expected, formula=formula, fmt=fmt, style="card")
    ratio = kpi.total.ratio_text
    if ratio:
        col = 1 + len(cards)
        sheet.doc.put(row, col, sheet.t("ratio_head"), style="card_label")
        sheet.doc.put(row + 1, col, ratio, formula=f"=K{anchors['kpi_total']}", style="card")
    sheet.header_rows.append(row)


SIDE_BY_SIDE_PROBLEMS = 3  # the review's problems that still read well in the narrow block beside the touchpoints


def summary_sheet(plan: Plan, budget: BudgetReport, kpi: KpiReport, lang: str, *, name: str) -> SheetDoc:
    """The Summary sheet of ``plan``: budget, KPI, attainment, pacing and three charts, on two A4 pages.

    The review's problems stand beside the touchpoints when both are short (a few problems, touchpoint metrics
    that fit the narrow block); else each block takes the full width, the problems' texts wrapping less."""
    problems = sum(1 for item in plan.review if item.problem)
    side = len(_touchpoint_metrics(plan)) <= TOUCHPOINT_METRICS and problems <= SIDE_BY_SIDE_PROBLEMS
    return _build(plan, budget, kpi, lang, name, "side" if side else "stacked")


def _build(plan: Plan, budget: BudgetReport, kpi: KpiReport, lang: str, name: str, layout: str) -> SheetDoc:
    doc = SheetDoc("summary", name, tab_color="2F5597", gridlines=False)
    _styles(doc)
    sheet = _Sheet(doc, lang)
    title = t("summary_title", lang) + (f" · {plan.overview.name}" if plan.overview.name else "")
    doc.put(1, 1, title, style="title")
    table_money = _table_money(plan.overview.currency, lang)
    subtitle = f"{t('as_of', lang)} {kpi.as_of.isoformat()}"
    if table_money is None:  # amounts carry a currency code: said once here, not in every cell
        subtitle += " · " + t("amounts_in", lang, code=currency_code(plan.overview.currency))
    doc.put(2, 1, f"{subtitle} · {t('generated', lang)}", style="note")

    # page 1: the management view
    sheet.row = CHARTS_ROW + CHART_ROWS
    (anchors,) = sheet.band((lambda: _budget_by_category(sheet, plan, budget), 1))
    (kpi_rows,) = sheet.band((lambda: _kpi_by_channel(sheet, kpi), 1))
    anchors["kpi_total"] = kpi_rows["total"]
    sheet.band((lambda: _goals(sheet, kpi), 1))
    # page 2: the detail
    detail_first = sheet.row
    sheet.band((lambda: _budget_by_channel(sheet, budget), 1))
    sheet.band((lambda: _attainment_channels(sheet, kpi, kpi_rows), 1))
    sheet.band((lambda: _kpi_by_stage(sheet, kpi), 1))
    (pacing_rows,) = sheet.band((lambda: _pacing_summary(sheet, kpi), 1))
    sheet.band((lambda: _deliverables(sheet, kpi), 1))
    if layout == "side":
        sheet.band((lambda: _review_items(sheet, plan, wide=False), 1), (lambda: _touchpoints(sheet, plan), RIGHT))
    else:
        sheet.band((lambda: _review_items(sheet, plan, wide=True), 1))
        sheet.band((lambda: _touchpoints(sheet, plan), 1))
    print_last = sheet.row - 1
    # under the print area: the daily sync lines and the per-day table (the pacing chart reads it)
    sheet.row += 2
    unprinted_first = sheet.row
    sync_lines = _sync_lines(sheet, kpi)
    if sync_lines:
        sheet.section("sync")
        for line in sync_lines:
            sheet.value(1, line, style="label", span=GRID)
            sheet.row += 1
    daily_first, daily_last, pacing = _daily(sheet, kpi)
    _cards(sheet, CARDS_ROW, budget, kpi, anchors, pacing_rows)

    formats = {MONEY: table_money or "#,##0", CENTS: (table_money or "#,##0") + ".00"}
    cards_money = {MONEY: money_format(plan.overview.currency, lang, decimals=0)}
    for (row, _col), cell in doc.cells.items():
        if cell.fmt in formats:
            cell.fmt = (cards_money if row == CARDS_ROW + 1 else formats).get(cell.fmt, formats[cell.fmt])
    doc.font = body_font(lang)
    _fit(doc, sheet, lang, print_last, unprinted_first)
    _charts(doc, lang, anchors, kpi_rows, kpi, pacing, daily_first, daily_last)
    _paginate(doc, sheet, detail_first, print_last)
    doc.freeze = "A4"
    return doc


def _table_money(currency: str | None, lang: str) -> str | None:
    """The format of amounts in the tables: with the currency's sign (``"¥"#,##0``), or None when the currency is
    written as a code (``CNY``) — then the tables show plain amounts and the subtitle names the currency."""
    full = money_format(currency, lang, decimals=0)
    return None if full.startswith(f'"{currency_code(currency)} ') else full


def _fit(doc: SheetDoc, sheet: _Sheet, lang: str, print_last: int, unprinted_first: int) -> None:
    """Column widths from the cells, headers broken into lines where they need it, a height for every row."""
    zh = is_zh(lang)
    data_rows = [r for r in range(CARDS_ROW, doc.max_row + 1)
                 if r not in sheet.header_rows and r not in sheet.section_rows]
    widths = paper.fit_widths(doc, data_rows, floor=6.0, caps={1: LABEL_CAP[zh]},
                              skip_styles=("title", "note", "section"))
    widths[1] = max(widths.get(1, 0.0), 10.0)
    for col in range(1, GRID + 1):
        doc.col_widths[col] = widths.get(col, 8.0)
    spans = paper.merged_spans(doc)
    for row in sheet.header_rows:  # headers on as few lines as the columns allow, widening a column a little
        cells = [(col, cell, spans.get((row, col), (1, 1))[1]) for (r, col), cell in doc.cells.items()
                 if r == row and isinstance(cell.value, str) and cell.value]
        options = {col: [paper.split_label(str(cell.value), lines, bold=True) for lines in (1, 2, 3)]
                   for col, cell, _ in cells}
        room = {col: paper.span_width(doc, col, span) - paper.PAD + 0.05 for col, _, span in cells}
        lines = next((n for n in (1, 2) if all(options[col][n - 1][1] <= room[col] + WIDEN for col, _, _ in cells)),
                     3)
        for col, cell, span in cells:
            fits = [o for o in options[col][:lines] if o[1] <= room[col]]
            text, width = fits[0] if fits else options[col][lines - 1]
            cell.value = text
            if width > room[col]:
                doc.col_widths[col + span - 1] = math.ceil((doc.col_widths[col + span - 1] + width - room[col]) * 10) / 10
    doc.row_heights[1] = TITLE_HEIGHT
    paper.fit_heights(doc, range(2, doc.max_row + 1))
    for row in sheet.section_rows:
        doc.row_heights[row] = SECTION_HEIGHT
    doc.row_heights[CARDS_ROW + 1] = max(doc.row_heights.get(CARDS_ROW + 1, 0.0), CARD_HEIGHT)
    doc.row_heights[3] = doc.row_heights[CARDS_ROW + 2] = GAP_HEIGHT
    for row in range(CHARTS_ROW, CHARTS_ROW + CHART_ROWS):
        doc.row_heights[row] = paper.ROW
    for row in range(print_last + 1, unprinted_first):
        doc.row_heights[row] = paper.ROW
    del zh


def _charts(doc: SheetDoc, lang: str, anchors: dict[str, int], kpi_rows: dict[str, int], kpi: KpiReport,
            pacing: Pacing | None, daily_first: int, daily_last: int) -> None:
    """Three charts side by side under the key figures, over the print width (:data:`CHART_SHARES`)."""
    total = sum(doc.col_widths[c] for c in range(1, GRID + 1))
    bounds, running, col = [1], 0.0, 1
    for edge in (sum(CHART_SHARES[:1]), sum(CHART_SHARES[:2])):  # the budget chart, most categories, is widest
        while running + doc.col_widths[col] / 2 < total * edge:
            running += doc.col_widths[col]
            col += 1
        bounds.append(col)
    bounds.append(GRID + 1)
    last_row = CHARTS_ROW + CHART_ROWS - 1

    def span(index: int) -> str:
        return area(CHARTS_ROW, bounds[index], last_row, bounds[index + 1] - 1)

    doc.charts.append(Chart(
        "column", t("chart_budget", lang), ref(CHARTS_ROW, 1),
        area(anchors["first"], 1, anchors["last"], 1),
        (Series(t("planned", lang), area(anchors["first"], 2, anchors["last"], 2), "9DC3E6"),
         Series(t("actual", lang), area(anchors["first"], 3, anchors["last"], 3), "2F5597")),
        y_format="#,##0", span=span(0)))
    if kpi.channels:
        doc.charts.append(Chart(
            "bar", t("chart_roi", lang), ref(CHARTS_ROW, bounds[1]),
            area(kpi_rows["first"], 1, kpi_rows["last"], 1),
            (Series(t("roi", lang), area(kpi_rows["first"], 10, kpi_rows["last"], 10), "548235"),),
            y_format="0%", span=span(1)))
    if pacing is not None and daily_first:
        metric = t(pacing.metric, lang)
        doc.charts.append(Chart(
            "line", t("chart_pacing", lang, metric=metric), ref(CHARTS_ROW, bounds[2]),
            area(daily_first, 1, daily_last, 1),
            (Series(t("cumulative", lang, metric=metric), area(daily_first, 10, daily_last, 10), "C00000"),
             Series(t("target_curve", lang), area(daily_first, 11, daily_last, 11), "7F7F7F")),
            y_format="#,##0", x_format=DAY_FMT, span=span(2)))


def _paginate(doc: SheetDoc, sheet: _Sheet, detail_first: int, print_last: int) -> None:
    """The print scale at which the management view fills page 1 and the detail page 2. When that scale would be
    below FLOOR_SCALE (many channels, many deliverables), the page stays readable instead: the scale at which page 1
    fits (never below the floor), and the blocks flow onto further pages, each page breaking between blocks."""
    widths = [doc.col_widths[c] for c in range(1, GRID + 1)]

    def height(first: int, last: int) -> float:
        return sum(doc.row_heights.get(r, paper.ROW) for r in range(first, last + 1))

    scale = paper.print_scale(widths, [height(1, detail_first - 1), height(detail_first, print_last)])
    breaks = [detail_first]
    if scale < FLOOR_SCALE:
        scale = min(max(paper.print_scale(widths, [height(1, detail_first - 1)]), FLOOR_SCALE),
                    paper.print_scale(widths, []))
        room = paper.page_room(scale)
        breaks = []
        for part_first, part_last in ((1, detail_first - 1), (detail_first, print_last)):
            if part_first > 1:
                breaks.append(part_first)
            tops = [r for r in sheet.band_tops if part_first < r <= part_last]
            page_top = part_first
            for top, following in zip(tops, [*tops[1:], part_last + 1], strict=True):
                if height(page_top, following - 1) > room and top > page_top:
                    breaks.append(top)
                    page_top = top
    doc.page = PageSetup(landscape=True, fit_width=1, fit_height=0, scale=scale, row_breaks=tuple(sorted(breaks)),
                         area=f"A1:{column_letter(GRID)}{print_last}")
