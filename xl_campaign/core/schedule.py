"""The four campaign stages placed on the calendar, relative to the launch date (SEED.md).

research & goals 1–2 weeks before launch; plan & resources the week before; warm-up 3–7 days before; burst from
the launch; continuation to the end date; review within a week after the end. ``stage_windows`` gives the window
each stage's work must fall in; ``default_tasks`` schedules a starter plan back and forward from the launch.

Public holidays (``workdays.Calendar``): preparation and review are office work, so their weeks are counted in days
that are not public holidays — "the week before launch" during a seven-day National Day holiday reaches back past
it. Warm-up, burst and continuation run on holidays on purpose (618, 双11) and keep calendar days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .workdays import Calendar, days_after, days_back

STAGE_ORDER = ("research", "planning", "warmup", "burst", "continuation", "review")
# Where the execution stage splits: continuation is the last quarter of launch..end (at least one day).
CONTINUATION_SHARE = 0.25
DEFAULT_CAMPAIGN_DAYS = 14
WARMUP_MIN_DAYS, WARMUP_MAX_DAYS = 3, 7
REVIEW_WITHIN_DAYS = 7
# Research & goals 1–2 weeks before launch, plan & resources the week before (SEED.md), in days before the launch.
RESEARCH_FIRST_DAY, RESEARCH_LAST_DAY = 14, 7
PLANNING_FIRST_DAY = 7


@dataclass(frozen=True, slots=True)
class StageRules:
    """How wide the stage windows are, in days around the launch and end dates (a team's policy may change them;
    the defaults are SEED.md's calendar). Days *before* the launch count back from it: 14 means launch − 14 days.

    ``research_first_day``/``research_last_day``: research & goals from launch − 14 to launch − 7 days;
    ``planning_first_day``: plan & resources from launch − 7; ``warmup_min_days``/``warmup_max_days``: the
    warm-up is 3–7 days long; ``review_within_days``: the review ends within 7 days after the end date.
    """

    research_first_day: int = RESEARCH_FIRST_DAY
    research_last_day: int = RESEARCH_LAST_DAY
    planning_first_day: int = PLANNING_FIRST_DAY
    warmup_min_days: int = WARMUP_MIN_DAYS
    warmup_max_days: int = WARMUP_MAX_DAYS
    review_within_days: int = REVIEW_WITHIN_DAYS


DEFAULT_STAGE_RULES = StageRules()


@dataclass(frozen=True, slots=True)
class Window:
    """An inclusive date range."""

    start: date
    end: date

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def status_date(today: date | None = None, as_of: date | None = None, clock: date | None = None) -> date:
    """The day a campaign is judged on (overdue work, stages, pacing) — the one place that decides it.

    Precedence, highest first: ``today`` (a ``--today`` option or an argument of the library call: the caller's
    explicit choice, so CI can pin a date whatever the workbook says), ``as_of`` (the Overview's 状态日期 /
    Status date cell), ``clock`` (the current date; ``date.today()`` when not given).
    """
    return today or as_of or clock or date.today()


def continuation_start(launch: date, end: date) -> date:
    """First day of the continuation period (延续期)."""
    length = (end - launch).days + 1
    tail = max(1, round(length * CONTINUATION_SHARE))
    return max(launch + timedelta(days=1), end - timedelta(days=tail - 1)) if length > 1 else launch


def stage_windows(launch: date, end: date, cal: Calendar | None = None,
                  rules: StageRules = DEFAULT_STAGE_RULES) -> dict[str, Window]:
    """The window each stage's tasks must fall in (SEED.md's four stages; stage 3 as its three periods).

    These are *allowed* windows, not a partition: planning and warm-up share the week before launch, and burst
    work (customer service, say) may run on to the end date. ``stage_of`` partitions days into periods. With a
    holiday calendar, the research, planning and review windows count days that are not public holidays.
    ``rules``: the widths of the windows (a team's policy; SEED.md's calendar by default).
    """
    day = timedelta(days=1)
    cont = continuation_start(launch, end)
    return {
        "research": Window(days_back(launch, rules.research_first_day, cal),
                           days_back(launch, rules.research_last_day, cal)),
        "planning": Window(days_back(launch, rules.planning_first_day, cal), launch - day),
        "warmup": Window(launch - rules.warmup_max_days * day, launch - 1 * day),
        "burst": Window(launch, end),
        "continuation": Window(cont, end),
        "review": Window(end + day, days_after(end, rules.review_within_days, cal)),
    }


def stage_of(day: date, launch: date, end: date) -> str | None:
    """Which period ``day`` falls in (calendar days): research until a week before launch, planning in the week
    before launch up to the last ``WARMUP_MIN_DAYS`` days, which are warm-up; burst, continuation, review; None
    after the review window."""
    if day < launch - timedelta(days=PLANNING_FIRST_DAY):
        return "research"
    if day < launch - timedelta(days=WARMUP_MIN_DAYS):
        return "planning"
    if day < launch:
        return "warmup"
    if day <= end:
        return "continuation" if day >= continuation_start(launch, end) and day > launch else "burst"
    if day <= end + timedelta(days=REVIEW_WITHIN_DAYS):
        return "review"
    return None


@dataclass(frozen=True, slots=True)
class PlannedTask:
    """A task of the starter plan, in both languages."""

    id: str
    stage: str
    module_zh: str
    module_en: str
    task_zh: str
    task_en: str
    start: date
    end: date
    role: str  # vocab ROLE key of the group that usually owns it
    milestone: bool = False
    depends_on: tuple[str, ...] = ()
    deliverable_zh: str = ""
    deliverable_en: str = ""


def default_tasks(launch: date, end: date | None = None, cal: Calendar | None = None) -> list[PlannedTask]:
    """A starter plan scheduled from ``launch`` (and ``end``, default launch + 13 days), one or more tasks per
    stage, with dependencies and milestones, following the source document's process.

    It passes the date rules it is checked by, for any launch date: research 1–2 weeks before launch, planning
    the week before, each task starting when its predecessors end, a 3-day warm-up, the review within a week
    after the end. With a holiday calendar the preparation and review tasks are counted in days that are not
    public holidays (``workdays.days_back``), so none of them is due on a holiday."""
    end = end or launch + timedelta(days=DEFAULT_CAMPAIGN_DAYS - 1)
    d = timedelta(days=1)
    cont = continuation_start(launch, end)
    burst_end = max(launch, cont - d)
    warm = launch - WARMUP_MIN_DAYS * d

    def back(days: int) -> date:
        return days_back(launch, days, cal)

    def after(days: int) -> date:
        return days_after(end, days, cal)

    p = PlannedTask
    return [
        p("T01", "research", "市场调研", "Research", "市场与竞品调研、历史活动数据分析",
          "Market, competitor and past-campaign research", back(14), back(11), "data",
          deliverable_zh="输出《调研报告》", deliverable_en="Research report"),
        p("T02", "research", "市场调研", "Research", "目标用户画像分析", "Target user persona",
          back(12), back(10), "planning", depends_on=()),
        p("T03", "research", "目标设定", "Goals", "设定 SMART 目标与核心 KPI，评估预算、人力与渠道可行性",
          "Set SMART goals and core KPIs; check budget, people and channel feasibility",
          back(10), back(8), "lead", milestone=True, depends_on=("T01", "T02"),
          deliverable_zh="目标与 KPI 获批", deliverable_en="Goals and KPIs approved"),
        p("T04", "planning", "方案策划", "Planning", "活动主题、规则、流程设计", "Theme, rules and flow design",
          back(7), back(6), "planning", depends_on=("T03",),
          deliverable_zh="输出《活动方案V1.0》及评审意见", deliverable_en="Campaign plan v1.0 with review comments"),
        p("T05", "planning", "资源统筹", "Resources", "统筹人员、物料、渠道与预算（含10%–15%应急资金）",
          "Allocate people, materials, channels and budget (10–15% reserve)", back(7), back(5),
          "lead", milestone=True, depends_on=("T03",)),
        p("T06", "planning", "物料准备", "Materials", "活动海报、H5页面制作", "Posters and H5 page",
          back(6), back(4), "design", depends_on=("T04",),
          deliverable_zh="素材符合品牌调性，H5无bug", deliverable_en="On-brand assets, H5 page without bugs"),
        p("T07", "warmup", "预热", "Warm-up", "预热内容发布：悬念海报、倒计时", "Teasers and countdown posts",
          warm, launch - d, "execution", depends_on=("T06",)),
        p("T08", "warmup", "预热", "Warm-up", "测试报名/支付流程与物料", "Test sign-up/payment flow and materials",
          warm, warm + d, "execution", depends_on=("T06",)),
        p("T09", "burst", "渠道执行", "Channels", "按渠道计划发布内容并优化投放", "Publish per channel plan and optimise",
          launch, burst_end, "execution", milestone=True, depends_on=("T07",),
          deliverable_zh="曝光量≥50万，点击率≥3%", deliverable_en="Impressions ≥ 500k, CTR ≥ 3%"),
        p("T10", "burst", "数据监控", "Monitoring", "监控曝光、点击、报名与目标差距，每日同步进度",
          "Monitor impressions, clicks and sign-ups against targets; daily sync", launch, burst_end, "data"),
        p("T11", "burst", "客服支持", "Customer service", "用户咨询解答、问题记录（7×12小时）",
          "Answer questions and log problems (7×12 h)", launch, end, "service",
          deliverable_zh="响应时长≤30分钟，问题解决率≥95%",
          deliverable_en="Response ≤ 30 min, resolution rate ≥ 95%"),
        p("T12", "continuation", "二次触达", "Re-engagement", "二次触达未参与用户，“最后24小时”提醒，收集反馈",
          "Re-reach non-participants, last-24-hours reminder, collect feedback", cont, end, "execution"),
        p("T13", "review", "复盘", "Review", "目标与实际对比、渠道ROI分析、问题与改进",
          "Target vs actual, ROI per channel, problems and fixes", after(1), after(4), "data"),
        p("T14", "review", "复盘", "Review", "输出复盘报告并沉淀知识库", "Review report and knowledge base",
          after(4), after(6), "lead", milestone=True, depends_on=("T13",),
          deliverable_zh="《活动复盘报告》", deliverable_en="Campaign review report"),
    ]
