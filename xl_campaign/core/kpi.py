"""KPI rollups: per channel, per stage, per day and in total; attainment; targets read from text; daily pacing.

Definitions (SEED.md glossary, ``metrics.py``): CTR = clicks / impressions, conversion rate = conversions / clicks,
CPA = spend / conversions, ROI = (revenue − spend) / spend, and the source's "1:N" form is spend : revenue (N =
revenue / spend). Sums are exact (ints and Decimals); rates are Decimal or None when undefined.

Targets come from three places: the Channels sheet (per channel; the total target is their sum), the SMART goals
on the Overview (a metric name such as 新增用户 or "Revenue" and a number), and the deliverable standard of a task
(``曝光量≥50万，点击率≥3%``), which :func:`parse_targets` reads.

Pacing compares the cumulative actual with a straight-line target curve over the campaign (launch … end, the
target to date on day *d* is target × elapsed days / campaign days, as ``CAMPAIGN_PACING`` computes it). It is
measured on the last day with numbers on or before the status date, so a status date whose numbers are not in
yet does not count as a day of zero. The projection continues the run rate of the campaign days so far.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from . import metrics
from .budget import name_key
from .model import Goal, KpiRow, Plan, Task
from .parse import RATIO_FORM, RELATIVE_TARGET
from .schedule import PLANNING_FIRST_DAY, WARMUP_MIN_DAYS, continuation_start, stage_of
from .vocab import Term, Vocabulary

ZERO = Decimal(0)

# The metrics people name in goals and deliverable standards. Keys are the KpiRow fields for counts and money,
# and the names of the derived rates.
METRIC = Vocabulary(
    "metric",
    (
        Term("impressions", "曝光量", "Impressions", ("曝光", "曝光数", "展示量", "浏览量", "views", "exposure",
                                                  "reach")),
        Term("clicks", "点击量", "Clicks", ("点击", "点击数", "点击次数")),
        Term("ctr", "点击率", "CTR", ("click rate", "click-through rate", "clickthrough rate")),
        Term("conversions", "转化数", "Conversions", ("转化", "转化量", "报名人数", "报名数", "报名", "订单数",
                                                    "订单", "orders", "sign-ups", "signups")),
        Term("cvr", "转化率", "Conversion rate", ("cvr",)),
        Term("revenue", "销售额", "Revenue", ("收入", "成交额", "营收", "gmv", "sales", "目标销售额")),
        Term("spend", "花费", "Spend", ("投放", "消耗", "费用", "cost", "投放金额")),
        Term("new_users", "新增用户", "New users", ("新用户", "新增用户数", "拉新", "新增", "用户增长",
                                                 "new user", "user growth")),
        Term("cpa", "单次转化成本", "CPA", ("转化成本", "获客成本", "cost per acquisition")),
        Term("roi", "ROI", "ROI", ("投资回报率", "return on investment")),
        Term("roas", "投入产出比", "Revenue : spend", ("roas", "产出比")),
    ),
)
RATE_METRICS = ("ctr", "cvr", "roi")
LOWER_IS_BETTER = ("cpa", "spend")
# Channels-sheet target columns per metric.
CHANNEL_TARGETS = {"impressions": "target_impressions", "clicks": "target_clicks",
                   "conversions": "target_conversions", "revenue": "target_revenue"}
# Which metric the pacing table follows first, when it has a target.
PACING_ORDER = ("revenue", "conversions", "new_users", "impressions", "clicks")


def metric_label(key: str, lang: str) -> str:
    return METRIC.label(key, lang)


def metric_of(text: str | None) -> str | None:
    """The metric key a goal or deliverable names (``新增用户`` → ``new_users``), or None."""
    if not text:
        return None
    folded = unicodedata.normalize("NFKC", text).strip().lower()
    folded = re.sub(r"[(（][^)）]*[)）]$", "", folded).strip()
    return METRIC.lookup(folded)


@dataclass(frozen=True, slots=True)
class Totals:
    """Sums of Daily KPI rows and the rates derived from them."""

    impressions: int = 0
    clicks: int = 0
    conversions: int = 0
    revenue: Decimal = ZERO
    spend: Decimal = ZERO
    new_users: int = 0
    rows: int = 0

    @property
    def ctr(self) -> Decimal | None:
        return metrics.ctr(self.clicks, self.impressions)

    @property
    def cvr(self) -> Decimal | None:
        return metrics.cvr(self.conversions, self.clicks)

    @property
    def cpa(self) -> Decimal | None:
        return metrics.cpa(self.spend, self.conversions)

    @property
    def roi(self) -> Decimal | None:
        """(revenue − spend) / spend."""
        return metrics.roi(self.revenue, self.spend)

    @property
    def roas(self) -> Decimal | None:
        """Revenue / spend: the N of "1:N"."""
        return metrics.roas(self.revenue, self.spend)

    @property
    def ratio_text(self) -> str | None:
        """The source's "1:5" form (spend : revenue)."""
        return metrics.ratio_text(self.revenue, self.spend)

    def value(self, metric: str) -> int | Decimal | None:
        """The value of ``metric`` (a METRIC key)."""
        return getattr(self, metric)  # type: ignore[no-any-return]


def total_of(rows: Iterable[KpiRow]) -> Totals:
    """Add up ``rows`` exactly (missing numbers count as 0)."""
    impressions = clicks = conversions = new_users = count = 0
    revenue = spend = ZERO
    for row in rows:
        impressions += row.impressions or 0
        clicks += row.clicks or 0
        conversions += row.conversions or 0
        new_users += row.new_users or 0
        revenue += row.revenue or ZERO
        spend += row.spend or ZERO
        count += 1
    return Totals(impressions, clicks, conversions, revenue, spend, new_users, count)


@dataclass(frozen=True)
class ChannelKpi:
    """One channel's totals against its targets from the Channels sheet."""

    name: str
    totals: Totals
    targets: dict[str, int | Decimal] = field(default_factory=dict)  # metric -> target
    listed: bool = True  # on the Channels sheet (else only seen in Daily KPI)

    def attainment(self, metric: str) -> Decimal | None:
        target = self.targets.get(metric)
        return metrics.attainment(self.totals.value(metric), target) if target else None


@dataclass(frozen=True)
class StageKpi:
    """Totals of the days that fall in one stage (schedule.stage_of), with the stage's first and last day."""

    stage: str
    first: date | None
    last: date | None
    totals: Totals


@dataclass(frozen=True)
class DayKpi:
    day: date
    stage: str | None
    totals: Totals


@dataclass(frozen=True)
class GoalProgress:
    """A SMART goal with the actual value of the metric it names (None when the metric is not measured).

    ``metric`` is what is compared: a goal named ROI is compared like with like — ``roas`` (revenue : spend, the
    source's "1:5") when its target is typed that way (``1:5``, or a bare number such as ``5``), ``roi`` (net,
    (revenue − spend) / spend) when typed as a percentage. ``target`` is the computed target: a relative target
    (``+30%``, kept in ``relative``) is the baseline × 1.3; None when it has no baseline to be computed from.
    """

    row: int
    text: str
    metric: str | None
    target: Decimal | None
    unit: str | None
    actual: int | Decimal | None
    baseline: Decimal | None = None
    relative: Decimal | None = None
    deadline: date | None = None
    daily_target: Decimal | None = None
    named: str | None = None  # the metric the goal's name says (roi for a goal named ROI compared as roas)

    @property
    def attainment(self) -> Decimal | None:
        if self.metric in LOWER_IS_BETTER:
            return metrics.ratio(self.target, self.actual)
        return metrics.attainment(self.actual, self.target)

    @property
    def versus_target(self) -> Decimal | None:
        """The source's "+20%": how far the actual is above (or below) the target."""
        attainment = self.attainment
        return attainment - 1 if attainment is not None else None


@dataclass(frozen=True, slots=True)
class Target:
    """One target read from text: ``点击率≥3%`` → label 点击率, metric ctr, op ≥, value 0.03."""

    label: str
    metric: str | None
    op: str  # one of ≥ > ≤ < =
    value: Decimal
    unit: str = ""

    def met_by(self, actual: int | Decimal | None) -> bool | None:
        if actual is None:
            return None
        a = Decimal(actual)
        return {"≥": a >= self.value, ">": a > self.value, "≤": a <= self.value, "<": a < self.value,
                "=": a == self.value}[self.op]


_OPS = {">=": "≥", "≥": "≥", "≧": "≥", "不低于": "≥", "不少于": "≥", "至少": "≥", "达到": "≥", "at least": "≥",
        "<=": "≤", "≤": "≤", "≦": "≤", "不超过": "≤", "不高于": "≤", "at most": "≤", "within": "≤",
        ">": ">", "<": "<", "=": "=", "==": "="}
_OP_PATTERN = "|".join(re.escape(op) for op in sorted(_OPS, key=len, reverse=True))
_TARGET = re.compile(
    rf"^(?P<label>.*?)\s*(?P<op>{_OP_PATTERN})\s*(?P<cur>[¥$€£])?\s*(?P<ratio>1\s*:\s*)?"
    rf"(?P<num>\d+(?:,\d{{3}})*(?:\.\d+)?)\s*"
    r"(?P<mult>万|亿|千|百万|[kKmMwW](?![a-zA-Z]))?\s*(?P<pct>%)?\s*(?P<unit>.*)$"
)
_SPLIT = re.compile(r"\s*(?:[;；、\n]|[,，](?!\d{3}(?:\D|$)))\s*")
_MULTIPLIER = {"万": 10_000, "w": 10_000, "亿": 100_000_000, "千": 1000, "k": 1000, "百万": 1_000_000,
               "m": 1_000_000}


def parse_targets(text: str | None) -> list[Target]:
    """Targets written in a deliverable standard: ``曝光量≥50万，点击率≥3%`` →
    [Target(曝光量, impressions, ≥, 500000), Target(点击率, ctr, ≥, 0.03)].

    Understands ≥ >= 不低于 至少 ≤ <= 不超过 > < =, multipliers 万 亿 千 k m, percentages, a trailing unit
    (``响应时长≤30分钟`` → label 响应时长, no metric, ≤ 30, unit 分钟) and an ROI typed the source's way
    (``ROI≥1:3`` → metric roas, ≥ 3: revenue : spend). Parts without a comparison are skipped.
    """
    if not text:
        return []
    normalized = unicodedata.normalize("NFKC", text)
    out = []
    for part in _SPLIT.split(normalized):
        m = _TARGET.match(part.strip())
        if not m or not m["label"].strip():
            continue
        value = Decimal(m["num"].replace(",", ""))
        if m["mult"]:
            value *= _MULTIPLIER[m["mult"].lower()]
        label = m["label"].strip().rstrip(":：")
        metric = metric_of(label)
        if m["ratio"] and metric in ("roi", "roas"):  # "ROI≥1:3", the source's revenue : spend
            out.append(Target(label, "roas", _OPS[m["op"].lower()], value))
            continue
        if m["pct"]:
            value /= 100
        elif metric in RATE_METRICS and value > 1:
            value /= 100  # "点击率≥3" means 3%
        out.append(Target(label, metric, _OPS[m["op"].lower()], value, (m["unit"] or "").strip()))
    return out


@dataclass(frozen=True)
class DeliverableCheck:
    """A target of a task's deliverable standard, measured on the Daily KPI rows it is about.

    The rows are those of the channel the task names (its text, module or deliverable contains a channel's
    name), else all channels, between the task's start and end (the whole campaign for 活动全程).
    ``state``: met · open (not met yet, the task is still running) · missed · unmeasured (not a KPI metric, or
    no rows).
    """

    task_id: str | None
    task_row: int
    task: str | None
    target: Target
    channel: str | None
    first: date | None
    last: date | None
    actual: int | Decimal | None
    state: str


@dataclass(frozen=True)
class PacingDay:
    day: date
    actual: Decimal | None  # None after the measured day
    cumulative: Decimal | None
    target_to_date: Decimal


@dataclass(frozen=True)
class Pacing:
    """Cumulative actual of one metric against the straight-line target curve, with a projected finish."""

    metric: str
    target: Decimal
    target_source: str  # "goal" | "channels"
    launch: date
    end: date
    measured: date | None  # last day with numbers on or before the status date
    days: tuple[PacingDay, ...]
    actual_to_date: Decimal
    target_to_date: Decimal
    run_rate: Decimal | None  # per campaign day so far
    projected_total: Decimal | None
    projected_finish: date | None  # the day the target is (or, at the run rate, would be) reached
    daily_target: Decimal | None = None  # typed on the goal, else the target spread evenly over the days
    today_value: Decimal | None = None  # the metric on the measured day ("today" in the daily sync)

    @property
    def today_share(self) -> Decimal | None:
        """The source's "2,000 new users today = 80% of the daily target"."""
        return metrics.ratio(self.today_value, self.daily_target)

    @property
    def pace(self) -> Decimal | None:
        """Actual to date / target to date: 1 on pace, 0.8 twenty percent behind."""
        return metrics.ratio(self.actual_to_date, self.target_to_date)

    @property
    def projected_attainment(self) -> Decimal | None:
        return metrics.attainment(self.projected_total, self.target)

    @property
    def campaign_days(self) -> int:
        return (self.end - self.launch).days + 1


@dataclass(frozen=True)
class KpiReport:
    """Every KPI rollup the Summary shows."""

    total: Totals
    channels: tuple[ChannelKpi, ...]
    stages: tuple[StageKpi, ...]
    days: tuple[DayKpi, ...]
    goals: tuple[GoalProgress, ...]
    deliverables: tuple[DeliverableCheck, ...]
    pacing: tuple[Pacing, ...]
    as_of: date
    channel_targets: dict[str, int | Decimal] = field(default_factory=dict)  # sum over channels, per metric

    def total_attainment(self, metric: str) -> Decimal | None:
        target = self.channel_targets.get(metric)
        return metrics.attainment(self.total.value(metric), target) if target else None

    @property
    def main_pacing(self) -> Pacing | None:
        return self.pacing[0] if self.pacing else None


def stage_bounds(launch: date, end: date) -> dict[str, tuple[date | None, date | None]]:
    """First and last day of each period as ``schedule.stage_of`` assigns days (None: open-ended)."""
    day = timedelta(days=1)
    cont = continuation_start(launch, end)
    bounds: dict[str, tuple[date | None, date | None]] = {
        "research": (None, launch - (PLANNING_FIRST_DAY + 1) * day),
        "planning": (launch - PLANNING_FIRST_DAY * day, launch - (WARMUP_MIN_DAYS + 1) * day),
        "warmup": (launch - WARMUP_MIN_DAYS * day, launch - day),
        "burst": (launch, cont - day if cont > launch else end),
    }
    if cont > launch:
        bounds["continuation"] = (cont, end)
    bounds["review"] = (end + day, end + 7 * day)
    return bounds


def _channel_rollups(plan: Plan) -> tuple[tuple[ChannelKpi, ...], dict[str, int | Decimal]]:
    groups: dict[str, list[KpiRow]] = {}
    for row in plan.kpi:
        groups.setdefault(name_key(row.channel), []).append(row)
    out: list[ChannelKpi] = []
    seen: set[str] = set()
    sums: dict[str, int | Decimal] = {}
    for channel in plan.channels:
        key = name_key(channel.name)
        if not key or key in seen:
            continue
        seen.add(key)
        targets: dict[str, int | Decimal] = {}
        for metric, attr in CHANNEL_TARGETS.items():
            target = getattr(channel, attr)
            if target:
                targets[metric] = target
                sums[metric] = sums.get(metric, 0) + target
        out.append(ChannelKpi(channel.name or "", total_of(groups.get(key, [])), targets, True))
    for key, rows in groups.items():
        if key and key not in seen:
            seen.add(key)
            out.append(ChannelKpi(rows[0].channel or "", total_of(rows), {}, False))
    return tuple(out), sums


PERCENT_UNITS = ("%", "％", "百分比")
ADDITIVE_METRICS = ("impressions", "clicks", "conversions", "revenue", "spend", "new_users")


def goal_progress(goal: Goal, total: Totals, launch: date | None, end: date | None) -> GoalProgress:
    """A SMART goal measured on ``total``: ROI compared like with like, relative targets computed from the
    baseline, the daily target typed or spread over the days from the launch to the goal's deadline."""
    named = metric = metric_of(goal.metric)
    problem = goal.problem_for("target")
    kind = problem.kind if problem is not None else None
    target, relative = goal.target, None
    if kind == RELATIVE_TARGET:
        relative = target
        target = goal.baseline * (1 + relative) if goal.baseline is not None and relative is not None else None
        if target is not None and target == target.to_integral_value():
            target = Decimal(int(target))
    percent_text = problem is not None and isinstance(problem.raw, str) and \
        problem.raw.strip().endswith(("%", "％"))  # "400%": already read as 4
    typed_percent = (goal.unit or "").strip() in PERCENT_UNITS or percent_text
    if metric == "roi" and (kind == RATIO_FORM or (target is not None and target >= 1 and not typed_percent)):
        metric = "roas"  # the source's ROI: revenue per unit of spend, "1:5"
    if metric in RATE_METRICS and not percent_text and relative is None:
        target = _goal_target(metric, target, goal.unit)
    deadline = goal.deadline or end
    daily = goal.daily_target
    if daily is None and target is not None and metric in ADDITIVE_METRICS and launch and deadline \
            and deadline >= launch:
        daily = target / ((deadline - launch).days + 1)
    actual = _metric_value(total, metric) if metric else None
    return GoalProgress(goal.row, goal.metric or "", metric, target, goal.unit, actual, goal.baseline, relative,
                        deadline, daily, named)


def _goal_target(goal_metric: str | None, target: Decimal | None, unit: str | None) -> Decimal | None:
    if target is None:
        return None
    if goal_metric in RATE_METRICS and target > 1 and (unit or "%").strip() in ("%", "％", "百分比"):
        return target / 100
    return target


def _metric_value(totals: Totals, metric: str | None) -> int | Decimal | None:
    if metric is None:
        return None
    return totals.value(metric)


def _task_window(task: Task, plan: Plan) -> tuple[date | None, date | None]:
    start, end = task.start, task.end
    if task.whole_campaign:
        start = start or plan.overview.launch
        end = plan.overview.end
    return start, end


def _deliverables(plan: Plan, as_of: date) -> tuple[DeliverableCheck, ...]:
    channel_keys = [(name_key(c.name), c.name) for c in plan.channels if name_key(c.name)]
    channel_keys += [(name_key(r.channel), r.channel) for r in plan.kpi if name_key(r.channel)]
    out = []
    for task in plan.tasks:
        targets = parse_targets(task.deliverable)
        if not targets:
            continue
        text_key = name_key(" ".join(t for t in (task.task, task.module, task.deliverable) if t))
        channel = next((name for key, name in sorted(channel_keys, key=lambda kn: -len(kn[0]))
                        if key in text_key), None)
        first, last = _task_window(task, plan)
        rows = [r for r in plan.kpi
                if (channel is None or name_key(r.channel) == name_key(channel))
                and (first is None or (r.date is not None and r.date >= first))
                and (last is None or (r.date is not None and r.date <= last))]
        totals = total_of(rows)
        running = last is None or last >= as_of
        for target in targets:
            actual = _metric_value(totals, target.metric) if rows else None
            met = target.met_by(actual)
            if met is None:
                state = "unmeasured"
            elif met:
                state = "met"
            else:
                state = "open" if running else "missed"
            out.append(DeliverableCheck(task.id, task.row, task.task, target, channel, first, last, actual, state))
    return tuple(out)


def pacing_for(plan: Plan, metric: str, target: Decimal, source: str, as_of: date, deadline: date | None = None,
               daily_target: Decimal | None = None) -> Pacing | None:
    """Pacing of ``metric`` towards ``target`` from the launch to ``deadline`` (default: the campaign's end), with
    the day's figure against the daily target (typed, else the target spread evenly); None without dates."""
    launch, end = plan.overview.launch, deadline or plan.overview.end
    if launch is None or end is None or end < launch or target <= 0:
        return None
    per_day: dict[date, Decimal] = {}
    for row in plan.kpi:
        value = getattr(row, metric)
        if row.date is None or value is None:
            continue
        per_day[row.date] = per_day.get(row.date, ZERO) + Decimal(value)
    reported = [d for d in per_day if d <= as_of]
    measured = max(reported) if reported else None
    first = min([launch, *per_day])
    last = max([end, *[d for d in per_day if d <= as_of]])
    campaign_days = (end - launch).days + 1

    def target_to(day: date) -> Decimal:
        elapsed = max(0, min((day - launch).days + 1, campaign_days))
        return target * elapsed / campaign_days

    days: list[PacingDay] = []
    cumulative = ZERO
    reached: date | None = None
    day = first
    while day <= last:
        if measured is not None and day <= measured:
            actual = per_day.get(day, ZERO)
            cumulative += actual
            if reached is None and cumulative >= target:
                reached = day
            days.append(PacingDay(day, actual, cumulative, target_to(day)))
        else:
            days.append(PacingDay(day, None, None, target_to(day)))
        day += timedelta(days=1)
    actual_to_date = cumulative
    target_to_date = target_to(measured) if measured else ZERO
    run_rate = projected = None
    finish = reached
    if measured is not None and measured >= launch:
        elapsed = min((measured - launch).days + 1, campaign_days)
        in_window = sum((v for d, v in per_day.items() if launch <= d <= measured), ZERO)
        run_rate = in_window / elapsed
        projected = actual_to_date + run_rate * (campaign_days - elapsed)
        if finish is None and run_rate > 0:
            finish = measured + timedelta(days=math.ceil((target - actual_to_date) / run_rate))
    daily = daily_target if daily_target is not None else target / campaign_days
    today_value = per_day.get(measured, ZERO) if measured is not None else None
    return Pacing(metric, target, source, launch, end, measured, tuple(days), actual_to_date, target_to_date,
                  run_rate, projected, finish, daily, today_value)


def kpi_report(plan: Plan, as_of: date) -> KpiReport:
    """Every rollup of ``plan``'s Daily KPI, judged on the status date ``as_of``."""
    total = total_of(plan.kpi)
    channels, channel_targets = _channel_rollups(plan)
    launch, end = plan.overview.launch, plan.overview.end
    valid_window = launch is not None and end is not None and end >= launch

    by_day: dict[date, list[KpiRow]] = {}
    for row in plan.kpi:
        if row.date is not None:
            by_day.setdefault(row.date, []).append(row)
    days = tuple(
        DayKpi(day, stage_of(day, launch, end) if valid_window and launch and end else None, total_of(rows))
        for day, rows in sorted(by_day.items())
    )
    stages: list[StageKpi] = []
    if valid_window and launch is not None and end is not None:
        bounds = stage_bounds(launch, end)
        for stage, (first, last) in bounds.items():
            rows = [r for d in days if d.stage == stage for r in by_day[d.day]]
            if rows or stage in ("warmup", "burst", "continuation"):
                if first is None:
                    first = min((d.day for d in days if d.stage == stage), default=None)
                stages.append(StageKpi(stage, first, last, total_of(rows)))

    goals = [goal_progress(goal, total, launch, end if valid_window else None) for goal in plan.goals]

    pacing: list[Pacing] = []
    goal_of = {g.metric: g for g in goals if g.metric and g.target}
    for metric in PACING_ORDER:
        target: Decimal | None = None
        source, deadline, daily = "goal", None, None
        if metric in goal_of:
            target, deadline, daily = goal_of[metric].target, goal_of[metric].deadline, goal_of[metric].daily_target
        elif metric in channel_targets:
            target, source = Decimal(channel_targets[metric]), "channels"
        if target:
            result = pacing_for(plan, metric, target, source, as_of, deadline, daily)
            if result is not None:
                pacing.append(result)
    return KpiReport(total, channels, tuple(stages), days, tuple(goals), _deliverables(plan, as_of),
                     tuple(pacing), as_of, channel_targets)
