"""The headline facts of one campaign: what a portfolio row and the report's header show.

Pure (no I/O): computed from a :class:`~xl_campaign.core.model.Plan` and its findings with the core's own budget
and KPI rollups, so the portfolio, the report and the Summary sheet give the same numbers.

Definitions:

- *today* is the workbook's status date (Overview), else the date the facts are made — the same day the
  validator judges overdue work on.
- *stage* is the period *today* falls in (``schedule.stage_of``), ``upcoming`` before the research window
  (two weeks before launch) and ``ended`` after the review week; None without launch and end dates.
- *spent* is every actual amount of the Budget sheet (reserve drawn included); *channel spend* and *revenue*
  are the Daily KPI sums, and ROI = (revenue − channel spend) / channel spend, as on the Summary sheet.
- *attainment* follows the campaign's main target: the first of revenue, conversions, new users, impressions,
  clicks with a target (a SMART goal, else the sum of the channel targets); actual / target over all days.
  *pace* is actual to date / the straight-line target to date (1 = on pace).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from .findings import Finding, Severity
from .kpi import Pacing
from .model import Plan
from .schedule import stage_of, status_date

UPCOMING_DAYS = 14  # the research window opens two weeks before the launch


@dataclass(frozen=True)
class CampaignFacts:
    """One campaign in one line. Amounts are exact Decimals; rates are Decimal or None when undefined."""

    path: str
    lang: str  # the workbook's language
    name: str | None
    owner: tuple[str, ...]
    launch: date | None
    end: date | None
    today: date
    status_date_given: bool
    stage: str | None  # a STAGE key, "upcoming", "ended" or None
    currency: str | None
    total_budget: Decimal
    reserve: Decimal
    reserve_rate: Decimal | None
    reserve_target: Decimal | None
    spent: Decimal
    revenue: Decimal
    channel_spend: Decimal
    roi: Decimal | None
    roas: Decimal | None
    main_metric: str | None
    main_target: Decimal | None
    main_actual: Decimal | None
    attainment: Decimal | None
    pace: Decimal | None
    errors: int
    warnings: int
    infos: int

    @property
    def spent_rate(self) -> Decimal | None:
        return self.spent / self.total_budget if self.total_budget else None


def stage_today(day: date, launch: date | None, end: date | None) -> str | None:
    """The campaign period ``day`` falls in: a STAGE key, ``upcoming``, ``ended``; None without valid dates."""
    if launch is None or end is None or end < launch:
        return None
    if day < launch - timedelta(days=UPCOMING_DAYS):
        return "upcoming"
    return stage_of(day, launch, end) or "ended"


def count(findings: list[Finding], severity: Severity) -> int:
    return sum(1 for f in findings if f.severity is severity)


def main_pacing(plan: Plan, day: date) -> Pacing | None:
    """The pacing of the campaign's main target — what ``kpi_report(plan, day).main_pacing`` gives — computed for
    that one metric only (``kpi_report`` paces every metric with a target and measures every deliverable
    standard, four times the work a portfolio row needs)."""
    from .budget import name_key
    from .kpi import CHANNEL_TARGETS, PACING_ORDER, GoalProgress, Totals, goal_progress, pacing_for

    launch, end = plan.overview.launch, plan.overview.end
    valid = launch is not None and end is not None and end >= launch
    goal_of: dict[str, GoalProgress] = {}
    for goal in plan.goals:  # the goals read as kpi_report reads them (relative targets, deadlines, daily targets)
        progress = goal_progress(goal, Totals(), launch, end if valid else None)
        if progress.metric and progress.target:
            goal_of[progress.metric] = progress
    channel_targets: dict[str, Decimal] = {}
    seen: set[str] = set()
    for channel in plan.channels:
        key = name_key(channel.name)
        if not key or key in seen:
            continue
        seen.add(key)
        for metric, attr in CHANNEL_TARGETS.items():
            target = getattr(channel, attr)
            if target:
                channel_targets[metric] = channel_targets.get(metric, Decimal(0)) + Decimal(target)
    for metric in PACING_ORDER:
        deadline = daily = None
        if metric in goal_of:
            target, source = goal_of[metric].target, "goal"
            deadline, daily = goal_of[metric].deadline, goal_of[metric].daily_target
        elif metric in channel_targets:
            target, source = channel_targets[metric], "channels"
        else:
            continue
        assert target is not None
        pacing = pacing_for(plan, metric, target, source, day, deadline, daily)
        if pacing is not None:
            return pacing
    return None


def campaign_facts(plan: Plan, findings: list[Finding], today: date | None = None) -> CampaignFacts:
    """The facts of ``plan`` judged on ``today`` (default: the status date, else the current date)."""
    from .budget import budget_report
    from .kpi import kpi_report, total_of

    overview = plan.overview
    day = status_date(today, overview.as_of)
    budget = budget_report(plan)
    totals = budget.totals
    total = total_of(plan.kpi)

    metric: str | None = None
    target: Decimal | None = None
    pace: Decimal | None = None
    main = main_pacing(plan, day)
    if main is not None:
        metric, target, pace = main.metric, main.target, main.pace
    else:  # no pacing (no campaign dates): the first goal the daily data measures
        goal = next((g for g in kpi_report(plan, day).goals if g.metric and g.target and g.actual is not None), None)
        if goal is not None:
            metric, target = goal.metric, goal.target
    actual = Decimal(total.value(metric) or 0) if metric else None  # type: ignore[arg-type]
    attainment = actual / target if actual is not None and target else None
    return CampaignFacts(
        path=plan.path or "",
        lang=plan.lang,
        name=overview.name,
        owner=tuple(overview.owner),
        launch=overview.launch,
        end=overview.end,
        today=day,
        status_date_given=overview.as_of is not None,
        stage=stage_today(day, overview.launch, overview.end),
        currency=overview.currency,
        total_budget=totals.total_budget,
        reserve=totals.reserve,
        reserve_rate=totals.reserve_rate,
        reserve_target=overview.reserve_target,
        spent=budget.actual_total,
        revenue=total.revenue,
        channel_spend=total.spend,
        roi=total.roi,
        roas=total.roas,
        main_metric=metric,
        main_target=target,
        main_actual=actual,
        attainment=attainment,
        pace=pace,
        errors=count(findings, Severity.ERROR),
        warnings=count(findings, Severity.WARNING),
        infos=count(findings, Severity.INFO),
    )
