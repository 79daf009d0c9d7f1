"""The report page: one self-contained HTML document (inline CSS, inline SVG, no script, no network).

Every number comes from the core: ``budget_report``, ``kpi_report``, ``build_gantt`` and the validator's
findings, through :class:`~xl_campaign.core.facts.CampaignFacts` for the headline figures. All user text is
escaped.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from decimal import Decimal
from html import escape

from ... import __version__
from ...app.report import ReportData
from ...core.findings import Finding, Severity
from ...core.kpi import KpiReport, metric_label
from ...core.review import change_text, ratio_text
from ...core.security import is_security
from ...core.text import join
from ...core.text import t as t_
from ...core.vocab import CATEGORY, STAGE
from ..formats import place
from . import fmt
from .charts import STAGE_COLORS, gantt_svg, pacing_svg
from .labels import t
from .svg import Bar, Segment, Series, column_chart, hbar_chart, share_bar

MAX_FINDINGS = 300  # beyond this the page lists the first ones and says how many more there are

CATEGORY_COLORS = {"personnel": "#6366F1", "materials": "#F59E0B", "channels": "#2563EB", "rewards": "#EC4899",
                   "other": "#84CC16", "reserve": "#10B981"}
UNALLOCATED = "#D1D5DB"
PLANNED, ACTUAL = "#93C5FD", "#1D4ED8"
REVENUE, SPEND = "#059669", "#F97316"
GOOD, FAIR, POOR = "#16A34A", "#D97706", "#DC2626"
SEVERITY_COLORS = {"error": "#DC2626", "warning": "#D97706", "info": "#2563EB"}

CSS = """
*{box-sizing:border-box}
body{margin:0;background:#f3f4f6;color:#1f2937;font:14px/1.5 -apple-system,'Segoe UI','Noto Sans CJK SC','Noto Sans SC',
'PingFang SC','Microsoft YaHei','Source Han Sans SC','WenQuanYi Micro Hei',Roboto,Helvetica,Arial,sans-serif}
main{max-width:1180px;margin:0 auto;padding:28px 28px 40px}
header.top{background:linear-gradient(120deg,#1e3a8a,#2563eb);color:#fff;border-radius:14px;padding:24px 28px}
header.top h1{margin:0 0 4px;font-size:28px;letter-spacing:.5px}
header.top .sub{opacity:.85;font-size:15px}
header.top dl{display:grid;grid-template-columns:repeat(auto-fit,minmax(170px,1fr));gap:10px 18px;margin:18px 0 0}
header.top dt{font-size:12px;opacity:.75}
header.top dd{margin:0;font-weight:600}
.badge{display:inline-block;padding:1px 10px;border-radius:999px;font-size:13px;font-weight:700;color:#fff}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(136px,1fr));gap:14px;margin:18px 0}
.card{background:#fff;border-radius:12px;padding:14px 16px;box-shadow:0 1px 2px rgba(0,0,0,.06);
border-top:4px solid var(--accent,#2563eb)}
.card .k{font-size:12.5px;color:#6b7280}
.card .v{font-size:24px;font-weight:700;margin:2px 0;white-space:nowrap}
.card .s{font-size:12.5px;color:#6b7280}
section{background:#fff;border-radius:12px;padding:18px 22px 20px;margin:18px 0;box-shadow:0 1px 2px rgba(0,0,0,.06)}
section h2{margin:0 0 12px;font-size:19px;color:#1e3a8a}
section h3{margin:18px 0 8px;font-size:15px;color:#374151}
.grid2{display:grid;grid-template-columns:1fr 1fr;gap:18px 28px}
@media (max-width:900px){.grid2{grid-template-columns:1fr}}
svg.chart{width:100%;height:auto;display:block}
.scroll{overflow-x:auto}
svg.gantt{min-width:760px}
figure{margin:0}
figcaption,.note{font-size:12.5px;color:#6b7280;margin-top:6px}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{padding:5px 8px;border-bottom:1px solid #e5e7eb;text-align:left;vertical-align:top}
th{background:#f9fafb;color:#374151;font-weight:600;white-space:nowrap}
td.num,th.num{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
tr.total td{font-weight:700;border-top:2px solid #d1d5db}
.neg{color:#dc2626}
.meter{position:relative;height:12px;background:#f3f4f6;border-radius:6px;min-width:160px}
.meter span{position:absolute;left:0;top:0;bottom:0;border-radius:6px}
.meter i{position:absolute;top:-3px;bottom:-3px;border-left:2px solid #111827}\n.meter i.expected{border-left:2px dashed #6b7280}
.chip{display:inline-block;padding:0 8px;border-radius:999px;color:#fff;font-size:12px;font-weight:700;
white-space:nowrap}
.counts .chip{font-size:13px;padding:2px 10px;margin-right:6px}
section.security{border-left:6px solid #DC2626}
section.security h2{color:#991B1B}
code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12.5px}
footer{color:#6b7280;font-size:12px;text-align:center;margin-top:18px}
@media print{body{background:#fff}main{padding:0}section,.card{box-shadow:none;border:1px solid #e5e7eb}
section{break-inside:avoid}}
"""


def e(value: object) -> str:
    return escape("" if value is None else str(value))


def _td(value: str, numeric: bool = False, css: str = "") -> str:
    classes = " ".join(c for c in ("num" if numeric else "", css) if c)
    return f'<td class="{classes}">{value}</td>' if classes else f"<td>{value}</td>"


def _table(headers: Sequence[tuple[str, bool]], rows: Sequence[Sequence[str]], total: Sequence[str] | None = None) -> str:
    head = "".join(f'<th class="num">{e(h)}</th>' if numeric else f"<th>{e(h)}</th>" for h, numeric in headers)
    body = []
    for row in rows:
        body.append("<tr>" + "".join(_td(cell, headers[i][1]) for i, cell in enumerate(row)) + "</tr>")
    if total is not None:
        body.append('<tr class="total">' + "".join(_td(cell, headers[i][1]) for i, cell in enumerate(total)) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _signed(text: str, value: Decimal | None) -> str:
    return f'<span class="neg">{e(text)}</span>' if value is not None and value < 0 else e(text)


def stage_name(stage: str | None, lang: str) -> str:
    if stage is None:
        return t("stage_unknown", lang)
    if stage in ("upcoming", "ended"):
        return t(f"stage_{stage}", lang)
    return STAGE.label(stage, lang)


def _level_color(value: Decimal | None, good: float = 1.0, fair: float = 0.8) -> str:
    if value is None:
        return "#9CA3AF"
    return GOOD if value >= Decimal(str(good)) else FAIR if value >= Decimal(str(fair)) else POOR


# --- header and cards --------------------------------------------------------------------------------------------

def header(data: ReportData) -> str:
    plan, facts, lang = data.plan, data.facts, data.lang
    overview = plan.overview
    name = overview.name or t("untitled", lang)
    sub = " · ".join(e(x) for x in (overview.theme, overview.product) if x)
    stage_color = STAGE_COLORS.get(facts.stage, STAGE_COLORS[None])[0] if facts.stage in STAGE_COLORS else "#374151"
    status_label = t("status_date" if facts.status_date_given else "status_date_today", lang)
    items = [
        (t("owner", lang), e(fmt.people(list(facts.owner), lang))),
        (t("dates", lang), e(fmt.span(facts.launch, facts.end, lang))),
        (status_label, e(fmt.day(facts.today, lang))),
        (t("stage_now", lang), f'<span class="badge" style="background:{stage_color}">'
                               f"{e(stage_name(facts.stage, lang))}</span>"),
        (t("source_file", lang), e(os.path.basename(plan.path or ""))),
    ]
    meta = "".join(f"<div><dt>{e(k)}</dt><dd>{v}</dd></div>" for k, v in items)
    return (f'<header class="top"><div class="sub">{e(t("report", lang))}</div><h1>{e(name)}</h1>'
            f'<div class="sub">{sub}</div><dl>{meta}</dl></header>')


def cards(data: ReportData) -> str:
    facts, lang = data.facts, data.lang
    cur = facts.currency
    out = []

    def card(key: str, value: str, sub: str, accent: str) -> None:
        out.append(f'<div class="card" style="--accent:{accent}"><div class="k">{e(key)}</div>'
                   f'<div class="v">{e(value)}</div><div class="s">{e(sub)}</div></div>')

    card(t("total_budget", lang), fmt.compact_money(facts.total_budget, cur, lang), fmt.money(facts.total_budget, cur),
         "#1D4ED8")
    over = facts.spent_rate is not None and facts.spent_rate > 1
    card(t("spent", lang), fmt.compact_money(facts.spent, cur, lang),
         t("of_budget", lang, pct=fmt.pct(facts.spent_rate)), POOR if over else "#60A5FA")
    rate = facts.reserve_rate
    in_band = rate is not None and Decimal("0.10") <= rate <= Decimal("0.15")
    target = fmt.pct(facts.reserve_target, 0) if facts.reserve_target is not None else t("reserve_band", lang)
    card(t("reserve", lang), fmt.compact_money(facts.reserve, cur, lang),
         t("reserve_rate_of", lang, pct=fmt.pct(rate), target=target), GOOD if in_band else POOR)
    card(t("revenue", lang), fmt.compact_money(facts.revenue, cur, lang), fmt.money(facts.revenue, cur), REVENUE)
    card(t("roi", lang), fmt.pct(facts.roi, 0), t("roi_sub", lang, ratio=fmt.ratio(facts.roas)),
         _level_color(facts.roi, 1.0, 0.0))
    if facts.main_metric and facts.attainment is not None:
        money = facts.main_metric in ("revenue", "spend")
        show = (lambda v: fmt.compact_money(v, cur, lang)) if money else (lambda v: fmt.compact(v, lang))
        sub = t("attainment_sub", lang, metric=metric_label(facts.main_metric, lang), actual=show(facts.main_actual),
                target=show(facts.main_target))
        if facts.pace is not None:
            sub += " · " + t("pace_sub", lang, pace=fmt.pct(facts.pace, 0))
        card(t("attainment", lang), fmt.pct(facts.attainment, 0), sub,
             attainment_color(facts.attainment, expected_share(data.kpi)))
    else:
        card(t("attainment", lang), fmt.DASH, t("no_target", lang), "#9CA3AF")
    card(t("findings", lang), f"{facts.errors} / {facts.warnings}",
         t("findings_sub", lang, e=facts.errors, w=facts.warnings, i=facts.infos),
         POOR if facts.errors else FAIR if facts.warnings else GOOD)
    return f'<div class="cards">{"".join(out)}</div>'


# --- sections ----------------------------------------------------------------------------------------------------

def gantt_section(data: ReportData) -> str:
    lang = data.lang
    if not any(task.has_bar for task in data.gantt.tasks):
        body = f'<p class="note">{e(t("no_tasks", lang))}</p>'
    else:
        body = (f'<figure><div class="scroll">{gantt_svg(data.gantt, lang)}</div>'
                f'<figcaption>{e(t("gantt_caption", lang))}</figcaption></figure>')
    return f'<section id="gantt"><h2>{e(t("sec_gantt", lang))}</h2>{body}</section>'


def budget_section(data: ReportData) -> str:
    lang, budget = data.lang, data.budget
    cur = data.facts.currency
    totals = budget.totals
    segments = [Segment(CATEGORY.label(c.key, lang), float(c.planned), CATEGORY_COLORS[c.key], fmt.money(c.planned, cur))
                for c in budget.categories if c.planned > 0]
    unallocated = totals.total_budget - totals.lines_planned - totals.reserve
    if unallocated > 0:
        segments.append(Segment(t("unallocated", lang), float(unallocated), UNALLOCATED, fmt.money(unallocated, cur)))
    parts = [f'<h3>{e(t("allocation", lang))} · {e(fmt.money(totals.total_budget, cur))}</h3>',
             share_bar(segments, t("allocation", lang)) if segments else ""]
    if unallocated < 0:
        parts.append(f'<p class="note neg">{e(t("over_allocated", lang, amount=fmt.money(-unallocated, cur)))}</p>')
    cats = [c for c in budget.categories if c.planned or c.actual]
    chart = column_chart([CATEGORY.label(c.key, lang) for c in cats],
                         [Series(t("planned", lang), [float(c.planned) for c in cats], PLANNED),
                          Series(t("actual", lang), [float(c.actual) for c in cats], ACTUAL)],
                         t("by_category", lang), tick_format=lambda v: fmt.compact(v, lang),
                         value_format=lambda v: fmt.compact(v, lang))
    rows = [[e(CATEGORY.label(c.key, lang)), e(fmt.money(c.planned, cur)), e(fmt.money(c.actual, cur)),
             _signed(fmt.money(c.variance, cur), -c.variance), _signed(fmt.money(c.remaining, cur), c.remaining)]
            for c in cats]
    total_row = [e(t("total", lang)), e(fmt.money(budget.planned_total, cur)), e(fmt.money(budget.actual_total, cur)),
                 _signed(fmt.money(budget.variance, cur), -budget.variance),
                 _signed(fmt.money(budget.planned_total - budget.actual_total, cur),
                         budget.planned_total - budget.actual_total)]
    table = _table([(t("category", lang), False), (t("planned", lang), True), (t("actual", lang), True),
                    (t("variance", lang), True), (t("remaining", lang), True)], rows, total_row)
    left = f'<div><h3>{e(t("by_category", lang))}</h3>{chart}{table}</div>'
    right = ""
    if budget.channels:
        names = [c.name + ("" if c.listed else " " + t("not_listed", lang)) for c in budget.channels]
        share_chart = column_chart(names, [
            Series(t("share", lang), [float(c.share) if c.share is not None else None for c in budget.channels], ACTUAL),
            Series(t("target_share", lang),
                   [float(c.target_share) if c.target_share is not None else None for c in budget.channels], "#9CA3AF"),
        ], t("by_channel", lang), tick_format=lambda v: fmt.pct(v, 0), value_format=lambda v: fmt.pct(v, 0))
        rows = [[e(n), e(fmt.money(c.planned, cur)), e(fmt.money(c.actual, cur)), e(fmt.pct(c.share)),
                 e(fmt.pct(c.target_share))] for n, c in zip(names, budget.channels, strict=True)]
        table = _table([(t("channel", lang), False), (t("planned", lang), True), (t("actual", lang), True),
                        (t("share", lang), True), (t("target_share", lang), True)], rows,
                       [e(t("total", lang)), e(fmt.money(budget.channel_planned, cur)),
                        e(fmt.money(budget.channel_actual, cur)), "100%" if budget.channel_planned else fmt.DASH,
                        e(fmt.pct(budget.target_share_total))])
        right = f'<div><h3>{e(t("by_channel", lang))}</h3>{share_chart}{table}</div>'
    return (f'<section id="budget"><h2>{e(t("sec_budget", lang))}</h2>{"".join(parts)}'
            f'<div class="grid2">{left}{right}</div></section>')


def _kpi_cells(totals: object, cur: str | None) -> list[str]:
    from ...core.kpi import Totals

    assert isinstance(totals, Totals)
    return [e(fmt.integer(totals.impressions)), e(fmt.integer(totals.clicks)), e(fmt.pct(totals.ctr, 2)),
            e(fmt.integer(totals.conversions)), e(fmt.pct(totals.cvr, 2)), e(fmt.money(totals.revenue, cur)),
            e(fmt.money(totals.spend, cur)), e(fmt.money(totals.cpa, cur, places=2) if totals.cpa is not None else fmt.DASH),
            _signed(fmt.pct(totals.roi, 0), totals.roi), e(fmt.ratio(totals.roas))]


def _kpi_headers(first: str, lang: str) -> list[tuple[str, bool]]:
    return [(first, False)] + [(t(k, lang), True) for k in ("impressions", "clicks", "ctr", "conversions", "cvr",
                                                             "revenue", "spend", "cpa", "roi", "ratio")]


def kpi_section(data: ReportData) -> str:
    lang, kpi = data.lang, data.kpi
    cur = data.facts.currency
    if not kpi.days:
        return (f'<section id="kpi"><h2>{e(t("sec_kpi", lang))}</h2>'
                f'<p class="note">{e(t("no_kpi", lang))}</p></section>')
    bars = []
    for channel in kpi.channels:
        roi = channel.totals.roi
        label = channel.name + ("" if channel.listed else " " + t("not_listed", lang))
        if roi is None:
            bars.append(Bar(label, None, t("no_spend", lang), "#9CA3AF"))
            continue
        text = f"{fmt.pct(roi, 0)} · {fmt.ratio(channel.totals.roas)}"
        bars.append(Bar(label, float(roi), text, GOOD if roi >= 0 else POOR,
                        f"{label}: ROI {fmt.pct(roi, 1)}, {fmt.money(channel.totals.revenue, cur)} / "
                        f"{fmt.money(channel.totals.spend, cur)}"))
    roi_chart = hbar_chart(bars, t("roi_by_channel", lang), tick_format=lambda v: fmt.pct(v, 0))
    rows = [[e(c.name + ("" if c.listed else " " + t("not_listed", lang)))] + _kpi_cells(c.totals, cur)
            for c in kpi.channels]
    channel_table = _table(_kpi_headers(t("channel", lang), lang), rows, [e(t("total", lang))] + _kpi_cells(kpi.total, cur))
    stage_chart = ""
    stage_table = ""
    if kpi.stages:
        names = [STAGE.label(s.stage, lang) for s in kpi.stages]
        stage_chart = column_chart(names, [
            Series(t("revenue", lang), [float(s.totals.revenue) for s in kpi.stages], REVENUE),
            Series(t("spend", lang), [float(s.totals.spend) for s in kpi.stages], SPEND),
        ], t("revenue_spend_by_stage", lang), tick_format=lambda v: fmt.compact(v, lang),
            value_format=lambda v: fmt.compact(v, lang))
        rows = [[e(n) + f'<br><span class="note">{e(fmt.span(s.first, s.last, lang))}</span>']
                + _kpi_cells(s.totals, cur) for n, s in zip(names, kpi.stages, strict=True)]
        stage_table = _table(_kpi_headers(t("stage", lang), lang), rows)
    return (f'<section id="kpi"><h2>{e(t("sec_kpi", lang))}</h2><div class="grid2">'
            f'<div><h3>{e(t("roi_by_channel", lang))}</h3>{roi_chart}<p class="note">{e(t("roi_note", lang))}</p></div>'
            f'<div><h3>{e(t("revenue_spend_by_stage", lang))}</h3>{stage_chart}</div></div>'
            f'<h3>{e(t("channel", lang))}</h3><div class="scroll">{channel_table}</div>'
            f'<h3>{e(t("stage", lang))}</h3><div class="scroll">{stage_table}</div></section>')


def pacing_section(data: ReportData) -> str:
    lang = data.lang
    pacing = data.kpi.main_pacing
    title = e(t("sec_pacing", lang))
    if pacing is None or not pacing.days:
        return f'<section id="pacing"><h2>{title}</h2><p class="note">{e(t("no_pacing", lang))}</p></section>'
    metric = metric_label(pacing.metric, lang)
    money = pacing.metric in ("revenue", "spend")
    cur = data.facts.currency

    def show(value: Decimal | None) -> str:
        return fmt.money(value, cur) if money else fmt.integer(value)

    summary = ""
    if pacing.measured is not None:
        summary = t("pacing_summary", lang, day=fmt.day(pacing.measured, lang), actual=show(pacing.actual_to_date),
                    target=show(pacing.target_to_date), pace=fmt.pct(pacing.pace, 0),
                    projected=show(pacing.projected_total), att=fmt.pct(pacing.projected_attainment, 0))
        if pacing.projected_finish is not None and pacing.projected_finish <= pacing.end:
            summary += " " + t("reached_on", lang, day=fmt.day(pacing.projected_finish, lang))
        else:
            summary += " " + t("not_reached", lang)
    source = t("source_goal" if pacing.target_source == "goal" else "source_channels", lang)
    head = f'{e(t("pacing_title", lang, metric=metric))} <span class="note">({e(source)}: {e(show(pacing.target))})</span>'
    return (f'<section id="pacing"><h2>{title}</h2><h3>{head}</h3>{pacing_svg(pacing, lang)}'
            f'<p>{e(summary)}</p>{_daily_table(data)}</section>')


def _daily_table(data: ReportData) -> str:
    """The execution group's daily sync: each paced metric on the last day with numbers against its daily target
    ("2,000 new users today = 80% of the daily target")."""
    lang, cur = data.lang, data.facts.currency
    rows = []
    for pacing in data.kpi.pacing:
        if pacing.measured is None or not pacing.daily_target or pacing.today_value is None:
            continue
        money = pacing.metric in ("revenue", "spend")
        show = (lambda v: fmt.money(v, cur)) if money else fmt.integer
        metric = metric_label(pacing.metric, lang)
        share = pacing.today_share
        line = t("sync_line", lang, day=fmt.day(pacing.measured, lang), metric=metric, value=show(pacing.today_value),
                 share=fmt.pct(share, 0))
        rows.append([e(metric), e(show(pacing.today_value)), e(show(pacing.daily_target)),
                     _meter(share, Decimal(1)), e(line)])
    if not rows:
        return ""
    return f'<h3>{e(t("daily_title", lang))}</h3>' + _table(
        [(t("metric", lang), False), (t("today_value", lang), True), (t("daily_target", lang), True),
         (t("today_share", lang), False), ("", False)], rows)


def review_section(data: ReportData) -> str:
    """The stage-4 review: conclusions, the channels ranked by ROI 1:N, touchpoints, problems and fixes."""
    from ...core.review import review_of

    lang, cur = data.lang, data.facts.currency
    review = review_of(data.plan, data.kpi, lang)
    parts = [f'<h3>{e(t("conclusions", lang))}</h3><ul>' + "".join(f"<li>{e(c)}</li>" for c in review.conclusions)
             + "</ul>"]
    if review.ranking:
        rows = [[e(str(c.rank)), e(c.name), e(c.ratio_text), _signed(fmt.pct(c.net, 0), c.net),
                 e(fmt.money(c.revenue, cur)), e(fmt.money(c.spend, cur))] for c in review.ranking]
        parts.append(f'<h3>{e(t("roi_ranking", lang))}</h3>' + _table(
            [(t("rank", lang), True), (t("channel", lang), False), (t("ratio", lang), True), (t("roi", lang), True),
             (t("revenue", lang), True), (t("spend", lang), True)], rows))
    if review.touchpoints:
        rates = {top.metric: top.rate for top in review.tops}
        rows = [[e(tp.name or ""), e(tp.channel or "")]
                + [e(fmt.DASH if n not in tp.metrics else fmt.pct(tp.metrics[n], 1) if rates.get(n)
                     else fmt.integer(tp.metrics[n])) for n in review.metric_names] for tp in review.touchpoints]
        parts.append(f'<h3>{e(t("touchpoints", lang))}</h3>' + _table(
            [(t("touchpoint", lang), False), (t("channel", lang), False)]
            + [(n, True) for n in review.metric_names], rows))
    if review.problems:
        rows = [[e(i.problem or ""), e(i.cause or ""), e(join(i.owner, lang)), e(i.improvement or ""),
                 e(fmt.day(i.due, lang) if i.due else fmt.DASH)] for i in review.problems]
        parts.append(f'<h3>{e(t("problems", lang))}</h3>' + _table(
            [(t("problem", lang), False), (t("cause", lang), False), (t("responsible", lang), False),
             (t("improvement", lang), False), (t("due", lang), False)], rows))
    else:
        parts.append(f'<h3>{e(t("problems", lang))}</h3><p class="note">{e(t("no_problems", lang))}</p>')
    return f'<section id="review"><h2>{e(t("sec_review", lang))}</h2>{"".join(parts)}</section>'


def expected_share(kpi: KpiReport) -> Decimal | None:
    """The share of a whole-campaign target that should be reached by the day measured (straight line), or None
    without pacing; 1 once the campaign is over."""
    pacing = kpi.main_pacing
    if pacing is None or pacing.measured is None or not pacing.target:
        return None
    return min(Decimal(1), pacing.target_to_date / pacing.target)


def attainment_color(value: Decimal | None, expected: Decimal | None) -> str:
    """Green on target (or on pace while the campaign runs), amber within 80% of it, red below."""
    if value is None:
        return "#9CA3AF"
    bar = expected if expected is not None and expected > 0 else Decimal(1)
    return GOOD if value >= bar or value >= 1 else FAIR if value >= bar * Decimal("0.8") else POOR


def _meter(value: Decimal | None, expected: Decimal | None = None) -> str:
    """A bar of ``value`` (1 = the target, marked by a black line); a dashed line marks the share expected by
    the day measured."""
    if value is None:
        return ""
    scale = max(Decimal("1.25"), value * Decimal("1.05"))
    width = float(min(value, scale) / scale * 100)
    mark = float(1 / scale * 100)
    expected_mark = ""
    if expected is not None and 0 < expected < 1:
        expected_mark = (f'<i class="expected" style="left:{float(expected / scale * 100):.1f}%"></i>')
    return (f'<div class="meter"><span style="width:{width:.1f}%;background:{attainment_color(value, expected)}">'
            f'</span><i style="left:{mark:.1f}%"></i>{expected_mark}</div>')


def _target_value(target: object, cur: str | None, show: object) -> str:
    """A deliverable standard's required value: by its metric, else as written (a rate below 1 as a percent)."""
    from ...core.kpi import Target

    assert isinstance(target, Target) and callable(show)
    if target.metric is not None:
        return str(show(target.metric, target.value))
    if target.unit:
        return f"{fmt.number(target.value)}{target.unit}"
    return fmt.pct(target.value, 0) if target.value < 1 else fmt.number(target.value)


def attainment_section(data: ReportData) -> str:
    lang, kpi = data.lang, data.kpi
    cur = data.facts.currency
    expected = expected_share(kpi)
    parts = []

    def show(metric: str | None, value: object) -> str:
        if value is None:
            return fmt.DASH
        assert isinstance(value, int | Decimal)
        if metric in ("ctr", "cvr", "roi"):
            return fmt.pct(value, 2)
        if metric == "roas":
            return ratio_text(Decimal(value))
        if metric in ("revenue", "spend", "cpa"):
            return fmt.money(value, cur)
        return fmt.integer(value)

    if kpi.goals:
        rows = []
        for goal in kpi.goals:
            label = goal.text + (f" ({goal.unit})" if goal.unit else "")
            att = goal.attainment
            rows.append([e(label), e(show(goal.metric, goal.baseline) if goal.baseline is not None else fmt.DASH),
                         e(show(goal.metric, goal.target)),
                         e(show(goal.metric, goal.actual)) if goal.metric else e(t("not_measured", lang)),
                         e(fmt.pct(att, 0)), _signed(change_text(goal.versus_target), goal.versus_target),
                         e(fmt.day(goal.deadline, lang) if goal.deadline else fmt.DASH), _meter(att, expected)])
        parts.append(f'<h3>{e(t("goals", lang))}</h3>' + _table(
            [(t("metric", lang), False), (t("baseline", lang), True), (t("target", lang), True),
             (t("actual", lang), True), (t("attainment", lang), True), (t("versus", lang), True),
             (t("deadline", lang), False), ("", False)], rows))
    channel_rows = []
    for channel in kpi.channels:
        for metric in ("impressions", "clicks", "conversions", "revenue"):
            target = channel.targets.get(metric)
            if not target:
                continue
            att = channel.attainment(metric)
            channel_rows.append([e(channel.name), e(metric_label(metric, lang)), e(show(metric, target)),
                                 e(show(metric, channel.totals.value(metric))), e(fmt.pct(att, 0)), _meter(att, expected)])
    if channel_rows:
        parts.append(f'<h3>{e(t("channel_targets", lang))}</h3>' + _table(
            [(t("channel", lang), False), (t("metric", lang), False), (t("target", lang), True),
             (t("actual", lang), True), (t("attainment", lang), True), ("", False)], channel_rows))
    if kpi.deliverables:
        rows = []
        for check in kpi.deliverables:
            wanted = check.target
            requirement = f"{wanted.label} {wanted.op} {_target_value(wanted, cur, show)}"
            color = {"met": GOOD, "open": FAIR, "missed": POOR}.get(check.state, "#9CA3AF")
            rows.append([e(f"{check.task_id or ''} {check.task or ''}".strip()), e(requirement),
                         e(show(wanted.metric, check.actual)),
                         f'<span class="chip" style="background:{color}">{e(t("state_" + check.state, lang))}</span>'])
        parts.append(f'<h3>{e(t("deliverables", lang))}</h3>' + _table(
            [(t("task", lang), False), (t("requirement", lang), False), (t("actual", lang), True),
             (t("result", lang), False)], rows))
    if not parts:
        parts.append(f'<p class="note">{e(t("no_goals", lang))}</p>')
    elif expected is not None and expected < 1:
        parts.insert(0, f'<p class="note">{e(t("meter_legend", lang, pct=fmt.pct(expected, 0)))}</p>')
    return f'<section id="attainment"><h2>{e(t("sec_attainment", lang))}</h2>{"".join(parts)}</section>'


def _findings_table(findings: Sequence[Finding], lang: str) -> str:
    rows = []
    for finding in findings:
        sev = finding.severity.value
        rows.append([f'<span class="chip" style="background:{SEVERITY_COLORS[sev]}">{e(t("sev_" + sev, lang))}</span>',
                     f"<code>{e(finding.code)}</code><br><span class=\"note\">{e(finding.rule)}</span>",
                     e(place(finding)), e(finding.message), e(finding.hint or "")])
    return _table([(t("severity", lang), False), (t("code", lang), False), (t("where", lang), False),
                   (t("message", lang), False), (t("hint", lang), False)], rows)


def security_section(data: ReportData) -> str:
    """The SEC findings — what can run code or reach outside the file — at the top of the page; "" without any."""
    lang = data.lang
    found = sorted((f for f in data.findings if is_security(f.code)), key=lambda f: -f.severity.rank)
    if not found:
        return ""
    body = _findings_table(found[:MAX_FINDINGS], lang)
    if len(found) > MAX_FINDINGS:
        body += f'<p class="note">{e(t("more_findings", lang, n=len(found) - MAX_FINDINGS))}</p>'
    return (f'<section id="security" class="security"><h2>{e(t("sec_security", lang))}</h2>'
            f'<p class="note">{e(t("security_note", lang))}</p><div class="scroll">{body}</div></section>')


def findings_section(data: ReportData) -> str:
    lang = data.lang
    findings = list(data.findings)
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    chips = "".join(f'<span class="chip" style="background:{SEVERITY_COLORS[s.value] if counts[s] else "#9CA3AF"}">'
                    f'{e(t("sev_" + s.value, lang))} {counts[s]}</span>' for s in Severity)
    if not findings:
        body = f'<p>{e(t("no_findings", lang))}</p>'
    else:
        order = sorted(findings, key=lambda f: (not is_security(f.code), -f.severity.rank))
        body = _findings_table(order[:MAX_FINDINGS], lang)
        if len(order) > MAX_FINDINGS:
            body += f'<p class="note">{e(t("more_findings", lang, n=len(order) - MAX_FINDINGS))}</p>'
    return (f'<section id="findings"><h2>{e(t("sec_findings", lang))}</h2><p class="counts">{chips}</p>'
            f'<div class="scroll">{body}</div></section>')


def render_page(data: ReportData) -> str:
    """The whole HTML document."""
    lang = data.lang
    name = data.plan.overview.name or t("untitled", lang)
    footer = t("footer", lang, version=__version__, file=os.path.basename(data.plan.path or ""))
    body = "".join((header(data), security_section(data), cards(data), gantt_section(data), budget_section(data),
                    kpi_section(data), pacing_section(data), attainment_section(data), review_section(data),
                    findings_section(data)))
    html_lang = t_(lang, "zh-CN", "en")
    return (f'<!DOCTYPE html>\n<html lang="{html_lang}"><head><meta charset="utf-8">'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">'
            f'<meta name="generator" content="xl-campaign {e(__version__)}">'
            f"<title>{e(name)} · {e(t('report', lang))}</title><style>{CSS}</style></head>"
            f"<body><main>{body}<footer>{e(footer)}</footer></main></body></html>\n")
