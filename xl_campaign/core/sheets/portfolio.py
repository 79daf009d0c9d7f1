"""The portfolio workbook described independently of any writer (``core.sheets.SheetDoc``), in zh or en.

Sheet 1 (组合 / Portfolio): a title, one row per campaign — a workbook that could not be read is a row that says
why — and a totals row per currency. Sheet 2 (图表 / Charts): the biggest campaigns by budget with budget, spent
and revenue, ROI and attainment as native charts, and the number of campaigns in each stage.
Values are written, not formulas, so every reader (calamine, pandas, a phone's viewer) sees the numbers.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ..facts import CampaignFacts
from ..kpi import metric_label
from ..text import Texts, join
from ..vocab import STAGE
from .look import body_font
from .model import Chart, Link, PageSetup, Series, SheetDoc, Style, area

CHART_TOP = 20  # campaigns shown in the charts (the biggest budgets)
STAGE_KEYS = ("upcoming", *STAGE.keys(), "ended", "unknown")

LABELS = Texts({
    "portfolio": ("组合", "Portfolio"),
    "charts": ("图表", "Charts"),
    "title": ("活动组合总览", "Campaign portfolio"),
    "made": ("由 xl-campaign 汇总 {n} 个工作簿（{bad} 个无法读取）；阶段按各工作簿的状态日期判断。",
             "{n} workbooks rolled up by xl-campaign ({bad} could not be read); stages are judged on each "
             "workbook's status date."),
    "file": ("文件", "File"),
    "name": ("活动名称", "Campaign"),
    "owner": ("总负责人", "Lead"),
    "launch": ("上线日期", "Launch"),
    "end": ("结束日期", "End"),
    "status_date": ("状态日期", "Status date"),
    "stage": ("当前阶段", "Stage now"),
    "currency": ("币种", "Currency"),
    "budget": ("总预算", "Total budget"),
    "reserve_rate": ("应急资金比例", "Reserve rate"),
    "spent": ("已花费", "Spent"),
    "spent_rate": ("花费占预算", "Spent of budget"),
    "revenue": ("销售额", "Revenue"),
    "channel_spend": ("渠道花费", "Channel spend"),
    "roi": ("净ROI", "Net ROI"),
    "main_metric": ("主要目标", "Main target"),
    "target": ("目标值", "Target"),
    "actual": ("实际值", "Actual"),
    "attainment": ("达成率", "Attainment"),
    "pace": ("节奏", "Pace"),
    "errors": ("错误", "Errors"),
    "warnings": ("警告", "Warnings"),
    "problem": ("无法读取的原因", "Why it could not be read"),
    "total": ("合计", "Total"),
    "total_n": ("合计（{n} 个活动）", "Total ({n} campaigns)"),
    "total_cur": ("合计 {cur}（{n} 个活动）", "Total {cur} ({n} campaigns)"),
    "unreadable": ("无法读取", "Not readable"),
    "stage_upcoming": ("尚未开始", "Not started"),
    "stage_ended": ("已结束", "Ended"),
    "stage_unknown": ("未知（缺少日期）", "Unknown (no dates)"),
    "top": ("预算最大的 {n} 个活动", "The {n} biggest budgets"),
    "chart_money": ("预算、已花费与销售额", "Budget, spent and revenue"),
    "chart_roi": ("各活动净ROI（渠道花费）", "Net ROI by campaign (channel spend)"),
    "chart_attainment": ("主要目标达成率", "Attainment of the main target"),
    "chart_stages": ("各阶段活动数", "Campaigns by stage"),
    "count": ("活动数", "Campaigns"),
    "roi_note": ("净ROI = (销售额 − 渠道花费) ÷ 渠道花费（源文档的 ROI 1:N 即 1 : 净ROI+1）；"
                 "已花费 = 预算表的实际金额（含动用的应急资金）。",
                 "Net ROI = (revenue − channel spend) ÷ channel spend (the source's ROI 1:N is 1 : net ROI + 1); "
                 "Spent = the actual amounts of the Budget sheet (reserve drawn included)."),
})

COLUMNS = ("file", "name", "owner", "launch", "end", "status_date", "stage", "currency", "budget", "reserve_rate",
           "spent", "spent_rate", "revenue", "channel_spend", "roi", "main_metric", "target", "actual",
           "attainment", "pace", "errors", "warnings", "problem")
COL = {key: index for index, key in enumerate(COLUMNS, start=1)}
WIDTHS = {"file": 22, "name": 28, "owner": 12, "launch": 11, "end": 11, "status_date": 11, "stage": 11,
          "currency": 7, "budget": 14, "reserve_rate": 9, "spent": 14, "spent_rate": 9, "revenue": 14,
          "channel_spend": 13, "roi": 9, "main_metric": 11, "target": 13, "actual": 13, "attainment": 9,
          "pace": 8, "errors": 7, "warnings": 8, "problem": 48}
MONEY = "#,##0"
RATE = "0.0%"
TITLE_ROW, NOTE_ROW, HEADER_ROW = 1, 2, 4
FIRST_ROW = HEADER_ROW + 1


# Say a label: t(key, lang, **values) (core.text.Texts).
t = LABELS


@dataclass(frozen=True)
class PortfolioRow:
    """One input file: its facts when it could be read, else why not (``problem``)."""

    path: str
    facts: CampaignFacts | None
    errors: int
    warnings: int
    problem: str | None = None


def stage_text(stage: str | None, lang: str) -> str:
    if stage is None:
        return t("stage_unknown", lang)
    if stage in ("upcoming", "ended"):
        return t(f"stage_{stage}", lang)
    return STAGE.label(stage, lang)


def _styles(doc: SheetDoc) -> None:
    s = doc.styles
    s["title"] = Style(bold=True, size=16, color="1F4E78")
    s["note"] = Style(italic=True, color="595959")
    s["head"] = Style(bold=True, color="FFFFFF", fill="1F4E78", align="center", valign="center", wrap=True,
                      border="FFFFFF")
    s["text"] = Style()
    s["link"] = Style(color="0563C1", underline=True)
    s["num"] = Style(align="right")
    s["center"] = Style(align="center")
    s["bad"] = Style(fill="FFC7CE", color="9C0006")
    s["bad_link"] = Style(fill="FFC7CE", color="9C0006", underline=True)
    s["error"] = Style(bold=True, color="9C0006", align="center")
    s["warning"] = Style(color="9C5700", align="center")
    s["total"] = Style(bold=True, fill="DDEBF7", border_bottom="1F4E78")
    s["low"] = Style(color="9C0006")


def _link(path: str, out_dir: str | None) -> Link:
    """A link to the campaign workbook, relative to the portfolio when both are on the same drive."""
    target = os.path.abspath(path)
    if out_dir is not None:
        try:
            target = os.path.relpath(target, out_dir)
        except ValueError:  # another drive (Windows)
            pass
    return Link(url=target.replace(os.sep, "/"), tip=path)


def _put_row(doc: SheetDoc, row: int, item: PortfolioRow, lang: str, out_dir: str | None) -> None:
    col = COL
    doc.put(row, col["file"], os.path.basename(item.path) or item.path, link=_link(item.path, out_dir),
            style="link" if item.facts else "bad_link")
    facts = item.facts
    if facts is None:
        for key in COLUMNS[1:]:
            doc.put(row, col[key], None, style="bad")
        doc.put(row, col["stage"], t("unreadable", lang), style="bad")
        doc.put(row, col["errors"], item.errors, style="bad")
        doc.put(row, col["warnings"], item.warnings, style="bad")
        doc.put(row, col["problem"], item.problem, style="bad")
        return
    doc.put(row, col["name"], facts.name)
    doc.put(row, col["owner"], join(facts.owner, lang) or None)
    doc.put(row, col["launch"], facts.launch, fmt="yyyy-mm-dd")
    doc.put(row, col["end"], facts.end, fmt="yyyy-mm-dd")
    doc.put(row, col["status_date"], facts.today, fmt="yyyy-mm-dd")
    doc.put(row, col["stage"], stage_text(facts.stage, lang), style="center")
    doc.put(row, col["currency"], facts.currency, style="center")
    doc.put(row, col["budget"], facts.total_budget, fmt=MONEY)
    rate_low = facts.reserve_rate is not None and not Decimal("0.10") <= facts.reserve_rate <= Decimal("0.15")
    doc.put(row, col["reserve_rate"], facts.reserve_rate, fmt=RATE, style="low" if rate_low else None)
    doc.put(row, col["spent"], facts.spent, fmt=MONEY)
    doc.put(row, col["spent_rate"], facts.spent_rate, fmt=RATE)
    doc.put(row, col["revenue"], facts.revenue, fmt=MONEY)
    doc.put(row, col["channel_spend"], facts.channel_spend, fmt=MONEY)
    doc.put(row, col["roi"], facts.roi, fmt="0%", style="low" if facts.roi is not None and facts.roi < 0 else None)
    if facts.main_metric:
        doc.put(row, col["main_metric"], metric_label(facts.main_metric, lang))
        rate_metric = facts.main_metric in ("ctr", "cvr", "roi")
        doc.put(row, col["target"], facts.main_target, fmt="0.00%" if rate_metric else MONEY)
        doc.put(row, col["actual"], facts.main_actual, fmt="0.00%" if rate_metric else MONEY)
        doc.put(row, col["attainment"], facts.attainment, fmt="0%")
        doc.put(row, col["pace"], facts.pace, fmt="0%")
    doc.put(row, col["errors"], item.errors, style="error" if item.errors else "center")
    doc.put(row, col["warnings"], item.warnings, style="warning" if item.warnings else "center")


def _totals(doc: SheetDoc, row: int, rows: Sequence[PortfolioRow], lang: str) -> int:
    """One totals row per currency (amounts in different currencies are never added); returns the next row."""
    readable = [r for r in rows if r.facts is not None]
    currencies: dict[str, list[CampaignFacts]] = {}
    for item in readable:
        assert item.facts is not None
        currencies.setdefault((item.facts.currency or "").strip().upper(), []).append(item.facts)
    groups = sorted(currencies.items(), key=lambda kv: -len(kv[1])) or [("", [])]
    for currency, group in groups:
        label = (t("total_cur", lang, cur=currency, n=len(group)) if len(groups) > 1 and currency
                 else t("total_n", lang, n=len(group)))
        budget = sum((f.total_budget for f in group), Decimal(0))
        spent = sum((f.spent for f in group), Decimal(0))
        revenue = sum((f.revenue for f in group), Decimal(0))
        channel = sum((f.channel_spend for f in group), Decimal(0))
        reserve = sum((f.reserve for f in group), Decimal(0))
        for key in COLUMNS:
            doc.put(row, COL[key], None, style="total")
        doc.put(row, COL["name"], label, style="total")
        doc.put(row, COL["currency"], currency or None, style="total")
        doc.put(row, COL["budget"], budget, fmt=MONEY, style="total")
        doc.put(row, COL["reserve_rate"], reserve / budget if budget else None, fmt=RATE, style="total")
        doc.put(row, COL["spent"], spent, fmt=MONEY, style="total")
        doc.put(row, COL["spent_rate"], spent / budget if budget else None, fmt=RATE, style="total")
        doc.put(row, COL["revenue"], revenue, fmt=MONEY, style="total")
        doc.put(row, COL["channel_spend"], channel, fmt=MONEY, style="total")
        doc.put(row, COL["roi"], (revenue - channel) / channel if channel else None, fmt="0%", style="total")
        row += 1
    for key in ("errors", "warnings"):
        doc.put(row - 1, COL[key], sum(getattr(r, key) for r in rows), style="total")
    doc.put(row - 1, COL["file"], t("total", lang) if len(groups) == 1 else None, style="total")
    return row


def portfolio_sheet(rows: Sequence[PortfolioRow], lang: str, out_dir: str | None = None) -> SheetDoc:
    """Sheet 1: one row per campaign and the totals."""
    doc = SheetDoc("portfolio", t("portfolio", lang))
    _styles(doc)
    doc.put(TITLE_ROW, 1, t("title", lang), style="title")
    bad = sum(1 for r in rows if r.facts is None)
    doc.put(NOTE_ROW, 1, t("made", lang, n=len(rows), bad=bad), style="note")
    doc.put(NOTE_ROW + 1, 1, t("roi_note", lang), style="note")
    for key, col in COL.items():
        doc.put(HEADER_ROW, col, t(key, lang), style="head")
        doc.col_widths[col] = WIDTHS[key]
    doc.row_heights[HEADER_ROW] = 32
    row = FIRST_ROW
    for item in rows:
        _put_row(doc, row, item, lang, out_dir)
        row += 1
    last = row - 1
    doc.autofilter = area(HEADER_ROW, 1, max(HEADER_ROW + 1, last), len(COLUMNS))
    _totals(doc, row, rows, lang)
    doc.freeze = f"C{FIRST_ROW}"
    # two landscape pages wide, the file and campaign names repeated on the second: readable, not a shrunk strip
    doc.page = PageSetup(landscape=True, fit_width=2, fit_height=0, title_rows=f"{HEADER_ROW}:{HEADER_ROW}",
                         title_cols="A:B")
    doc.tab_color = "1F4E78"
    doc.font = body_font(lang)
    return doc


def charts_sheet(rows: Sequence[PortfolioRow], lang: str, top: int = CHART_TOP) -> SheetDoc:
    """Sheet 2: a small table of the biggest campaigns and the stage counts, with native charts over them."""
    doc = SheetDoc("portfolio_charts", t("charts", lang))
    _styles(doc)
    readable = [r.facts for r in rows if r.facts is not None]
    biggest = sorted(readable, key=lambda f: (-f.total_budget, f.name or ""))[:top]
    doc.put(1, 1, t("top", lang, n=len(biggest)), style="title")
    heads = ("name", "budget", "spent", "revenue", "roi", "attainment")
    header = 3
    for col, key in enumerate(heads, start=1):
        doc.put(header, col, t(key, lang), style="head")
    doc.col_widths.update({1: 28, 2: 14, 3: 14, 4: 14, 5: 9, 6: 10, 8: 16, 9: 10})
    for index, facts in enumerate(biggest):
        row = header + 1 + index
        name = facts.name or os.path.basename(facts.path)
        doc.put(row, 1, name)
        doc.put(row, 2, facts.total_budget, fmt=MONEY)
        doc.put(row, 3, facts.spent, fmt=MONEY)
        doc.put(row, 4, facts.revenue, fmt=MONEY)
        doc.put(row, 5, facts.roi, fmt="0%")
        doc.put(row, 6, facts.attainment, fmt="0%")
    # campaigns by stage
    counts: dict[str, int] = {key: 0 for key in STAGE_KEYS}
    for facts in readable:
        counts[facts.stage or "unknown"] = counts.get(facts.stage or "unknown", 0) + 1
    doc.put(header, 8, t("stage", lang), style="head")
    doc.put(header, 9, t("count", lang), style="head")
    shown = [key for key in STAGE_KEYS if counts[key]] or ["unknown"]
    for index, key in enumerate(shown):
        doc.put(header + 1 + index, 8, stage_text(None if key == "unknown" else key, lang))
        doc.put(header + 1 + index, 9, counts[key])
    if biggest:
        first, last = header + 1, header + len(biggest)
        names = area(first, 1, last, 1)
        height = max(7.5, min(16.0, 0.5 * len(biggest) + 3))
        doc.charts.append(Chart("column", t("chart_money", lang), "K3", names, (
            Series(t("budget", lang), area(first, 2, last, 2), "9DC3E6"),
            Series(t("spent", lang), area(first, 3, last, 3), "2E75B6"),
            Series(t("revenue", lang), area(first, 4, last, 4), "70AD47"),
        ), width_cm=22, height_cm=9, y_format="#,##0"))
        doc.charts.append(Chart("bar", t("chart_roi", lang), "K22", names, (
            Series(t("roi", lang), area(first, 5, last, 5), "548235"),), width_cm=22, height_cm=height,
            y_format="0%"))
        doc.charts.append(Chart("bar", t("chart_attainment", lang), "K" + str(22 + int(height * 2) + 2), names, (
            Series(t("attainment", lang), area(first, 6, last, 6), "C55A11"),), width_cm=22, height_cm=height,
            y_format="0%"))
    stage_first = header + 1
    doc.charts.append(Chart("column", t("chart_stages", lang), "A" + str(header + max(len(biggest), len(shown)) + 3),
                            area(stage_first, 8, stage_first + len(shown) - 1, 8),
                            (Series(t("count", lang), area(stage_first, 9, stage_first + len(shown) - 1, 9),
                                    "1F4E78"),), width_cm=14, height_cm=7.5, y_format="0"))
    doc.tab_color = "70AD47"
    doc.font = body_font(lang)
    return doc


def portfolio_docs(rows: Sequence[PortfolioRow], lang: str, out_dir: str | None = None) -> list[SheetDoc]:
    """Both sheets of the portfolio workbook."""
    return [portfolio_sheet(rows, lang, out_dir), charts_sheet(rows, lang)]


# --- the portfolio as flat records, for BI tools (rollup -o portfolio.csv | .parquet) -------------------------------

# (column, type) of a flat portfolio record: ASCII names and language-neutral values (ISO dates, stage keys, rates as
# fractions), so that a BI tool reads the same columns from zh and en workbooks. Types: text, date, money, rate, int.
RECORD_COLUMNS: tuple[tuple[str, str], ...] = (
    ("path", "text"), ("name", "text"), ("lead", "text"), ("launch", "date"), ("end", "date"),
    ("status_date", "date"), ("stage", "text"), ("currency", "text"), ("total_budget", "money"),
    ("reserve", "money"), ("reserve_rate", "rate"), ("reserve_target", "rate"), ("spent", "money"),
    ("spent_rate", "rate"), ("revenue", "money"), ("channel_spend", "money"), ("roi", "rate"), ("roas", "rate"),
    ("main_metric", "text"), ("main_target", "money"), ("main_actual", "money"), ("attainment", "rate"),
    ("pace", "rate"), ("errors", "int"), ("warnings", "int"), ("infos", "int"), ("problem", "text"),
)


def portfolio_record(row: PortfolioRow) -> dict[str, object]:
    """One campaign as a flat record (``RECORD_COLUMNS``); a workbook that could not be read has its path, its
    counts and the problem, the rest empty."""
    facts = row.facts
    record: dict[str, object] = {name: None for name, _ in RECORD_COLUMNS}
    record.update(path=row.path, errors=row.errors, warnings=row.warnings, problem=row.problem)
    if facts is None:
        return record
    record.update(
        name=facts.name, lead=join(facts.owner, facts.lang) or None, launch=facts.launch, end=facts.end,
        status_date=facts.today, stage=facts.stage, currency=facts.currency, total_budget=facts.total_budget,
        reserve=facts.reserve, reserve_rate=facts.reserve_rate, reserve_target=facts.reserve_target,
        spent=facts.spent, spent_rate=facts.spent_rate, revenue=facts.revenue, channel_spend=facts.channel_spend,
        roi=facts.roi, roas=facts.roas, main_metric=facts.main_metric, main_target=facts.main_target,
        main_actual=facts.main_actual, attainment=facts.attainment, pace=facts.pace, infos=facts.infos,
    )
    return record
