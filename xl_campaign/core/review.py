"""The stage-4 review of a campaign (复盘优化与成果沉淀), as values any page can show: target vs actual in the
source's "+20%" phrasing, ROI per channel ranked (revenue : spend, "1:5", and net), the touchpoints that convert
or spread best, the problems with their owners and fixes, and conclusions written from the numbers.

``review_of(plan, kpi)`` computes it; ``render.review`` writes it as Markdown or HTML (``xl-campaign review``), the
Summary sheet and the HTML report show the same goals, ranking and review items.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from . import metrics
from .kpi import METRIC, GoalProgress, KpiReport, Totals
from .model import Plan, ReviewItem, Touchpoint
from .text import Texts, t

TEXTS = Texts({
    "goals_met": ("{all} 个目标中 {met} 个达成", "{met} of {all} goals met"),
    "behind": ("未达成", "behind"),
    "best_channel": ("{best}的 ROI 为 {best_ratio}，高于{worst}的 {worst_ratio}",
                     "{best}'s ROI of {best_ratio} is higher than {worst}'s {worst_ratio}"),
    "one_channel": ("{best}的 ROI 为 {best_ratio}", "{best}'s ROI is {best_ratio}"),
    "top_touchpoint": ("{metric}最高的触点：{name}（{value}）", "highest {metric}: {name} ({value})"),
    "problems": ("{count} 个问题已记录，{owned} 个有责任人和改进措施", "{count} problem(s) recorded, {owned} with an "
                                                               "owner and a fix"),
    "no_problems": ("复盘表中还没有记录问题", "no problem has been recorded in the review yet"),
})


def change_text(change: Decimal | None) -> str:
    """The source's phrasing of actual vs target: ``+20%``, ``-19%``, ``±0%``."""
    if change is None:
        return "—"
    percent = round(change * 100)
    return "±0%" if percent == 0 else f"{percent:+d}%"


def ratio_text(value: Decimal | None) -> str:
    """Revenue per unit of spend as the source writes it: ``1:5.3`` (one decimal, trailing zero dropped)."""
    if value is None:
        return "—"
    return "1:" + metrics.ratio_number(Decimal(value))


@dataclass(frozen=True)
class ChannelRoi:
    """One channel in the ROI ranking: revenue : spend (the source's "1:5") and net ROI ((revenue − spend) / spend)."""

    rank: int
    name: str
    revenue: Decimal
    spend: Decimal
    ratio: Decimal | None  # revenue / spend: the N of "1:N"
    net: Decimal | None

    @property
    def ratio_text(self) -> str:
        return ratio_text(self.ratio)


@dataclass(frozen=True)
class TouchpointTop:
    """The touchpoint with the highest value of one of the user's metrics."""

    metric: str
    name: str
    value: Decimal
    rate: bool  # shown as a percentage


@dataclass(frozen=True)
class Review:
    """Everything the review document says."""

    name: str
    launch: date | None
    end: date | None
    as_of: date
    lead: list[str]
    goals: tuple[GoalProgress, ...]
    ranking: tuple[ChannelRoi, ...]
    total: Totals
    touchpoints: tuple[Touchpoint, ...]
    metric_names: tuple[str, ...]  # the user's touchpoint metric columns, in order
    tops: tuple[TouchpointTop, ...]
    problems: tuple[ReviewItem, ...]
    conclusions: tuple[str, ...]


def roi_ranking(kpi: KpiReport) -> tuple[ChannelRoi, ...]:
    """Channels with spend, best revenue : spend first (ties: more revenue first)."""
    spent = [c for c in kpi.channels if c.totals.spend > 0]
    spent.sort(key=lambda c: (-(c.totals.roas or 0), -c.totals.revenue, c.name))
    return tuple(ChannelRoi(i, c.name, c.totals.revenue, c.totals.spend, c.totals.roas, c.totals.roi)
                 for i, c in enumerate(spent, start=1))


def _is_rate(name: str, values: list[Decimal]) -> bool:
    return any(mark in name.lower() for mark in ("率", "rate", "%", "占比")) or all(0 <= v <= 1 for v in values)


def _tops(touchpoints: list[Touchpoint], names: list[str]) -> tuple[TouchpointTop, ...]:
    out = []
    for name in names:
        measured = [(t.metrics[name], t.name or "") for t in touchpoints if name in t.metrics]
        if not measured:
            continue
        value, who = max(measured, key=lambda vn: vn[0])
        out.append(TouchpointTop(name, who, value, _is_rate(name, [v for v, _ in measured])))
    return tuple(out)


def _value(goal: GoalProgress, value: int | Decimal | None, lang: str) -> str:
    if value is None:
        return "—"
    if goal.metric == "roas":
        return ratio_text(Decimal(value))
    if goal.metric in ("ctr", "cvr", "roi"):
        return f"{float(value):.1%}"
    number = float(value)
    return f"{number:,.0f}" if abs(number) >= 100 or number == int(number) else f"{number:,.2f}"


def goals_line(judged: list[GoalProgress], lang: str) -> str:
    """``5 个目标中 2 个达成：点击率 +11%、ROI +36%；未达成：销售额 -19%``: the goals met, then those behind, each
    with actual vs target in the source's phrasing (the table beside it has the figures)."""
    met = [g for g in judged if g.attainment is not None and g.attainment >= 1]
    behind = [g for g in judged if g not in met]
    listed = t(lang, "、", ", ")

    def names(goals: list[GoalProgress]) -> str:
        return listed.join(f"{g.text} {change_text(g.versus_target)}" for g in goals)

    line = TEXTS("goals_met", lang, met=len(met), all=len(judged))
    if met:
        line += t(lang, "：", ": ") + names(met)
    if behind:
        line += t(lang, "；", "; ") + TEXTS("behind", lang) + t(lang, "：", ": ") + names(behind)
    return line


def top_text(top: TouchpointTop) -> str:
    return f"{float(top.value):.1%}" if top.rate else f"{float(top.value):,.0f}"


def review_of(plan: Plan, kpi: KpiReport, lang: str) -> Review:
    """The review of ``plan`` with its KPI rollups, the conclusions written in ``lang``."""
    goals = tuple(g for g in kpi.goals if g.metric)
    ranking = roi_ranking(kpi)
    names: list[str] = []
    for touchpoint in plan.touchpoints:
        names += [n for n in touchpoint.metrics if n not in names]
    tops = _tops(plan.touchpoints, names)
    conclusions: list[str] = []
    judged = [g for g in goals if g.attainment is not None]
    if judged:
        conclusions.append(goals_line(judged, lang))
    if len(ranking) >= 2:
        best, worst = ranking[0], ranking[-1]
        conclusions.append(TEXTS("best_channel", lang, best=best.name, best_ratio=best.ratio_text, worst=worst.name,
                                 worst_ratio=worst.ratio_text))
    elif ranking:
        conclusions.append(TEXTS("one_channel", lang, best=ranking[0].name, best_ratio=ranking[0].ratio_text))
    for top in tops:
        conclusions.append(TEXTS("top_touchpoint", lang, metric=top.metric, name=top.name, value=top_text(top)))
    problems = tuple(item for item in plan.review if item.problem)
    if problems:
        owned = sum(1 for item in problems if item.owner and item.improvement)
        conclusions.append(TEXTS("problems", lang, count=len(problems), owned=owned))
    else:
        conclusions.append(TEXTS("no_problems", lang))
    return Review(plan.overview.name or "", plan.overview.launch, plan.overview.end, kpi.as_of,
                  list(plan.overview.owner), goals, ranking, kpi.total, tuple(plan.touchpoints), tuple(names), tops,
                  problems, tuple(conclusions))


def metric_name(key: str | None, lang: str) -> str:
    return METRIC.label(key, lang) if key else ""
