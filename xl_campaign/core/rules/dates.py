"""DATE: dates and schedule — readable dates, the four stages around the launch date (SEED.md), dependencies,
overdue work and statuses that contradict the calendar. "Today" is the Overview's status date when given."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta

from .. import parse as P
from .. import spec as S
from ..findings import Finding, Severity
from ..model import Plan, Record, Task, ValueProblem
from ..workdays import region_code
from .context import Context
from .registry import rule
from .values import value_problems

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
OPEN = (None, "not_started", "in_progress", "blocked")


def _date_findings(plan: Plan, ctx: Context, kind: str, zh: str, en: str, hint: tuple[str, str]
                   ) -> Iterator[Finding]:
    for key, record, problem in value_problems(plan):
        column = S.SPECS[key].column(problem.field)
        if column.type is S.ColType.DATE and problem.kind == kind:
            yield _date_finding(ctx, ctx.where(key, record, problem.field), column, problem, zh, en, hint)
    for problem in plan.overview.problems:
        column = S.OVERVIEW.column(problem.field)
        if column.type is S.ColType.DATE and problem.kind == kind:
            yield _date_finding(ctx, ctx.overview_where(problem.field), column, problem, zh, en, hint)


def _date_finding(ctx: Context, where: object, column: S.Column, problem: ValueProblem, zh: str, en: str,
                  hint: tuple[str, str]) -> Finding:
    raw = repr(problem.raw)
    if problem.kind == P.UNPARSEABLE and problem.detail:  # Excel's day number typed as text: name its date
        day = problem.detail
        return ctx.finding(where, f"「{column.zh}」的值 {raw} 是以文本存储的 Excel 日期序号，即 {day}",  # type: ignore[arg-type]
                           f'"{column.en}" value {raw} is Excel\'s day number for {day}, stored as text',
                           field=problem.field, value=problem.raw, expected=day,
                           hint=(f"输入日期 {day}", f"type the date {day}"))
    detail = ctx.t(f"（{problem.detail}）", f" ({problem.detail})") if problem.detail else ""
    return ctx.finding(where, zh.format(col=column.zh, raw=raw) + detail,  # type: ignore[arg-type]
                       en.format(col=column.en, raw=raw) + detail,
                       field=problem.field, value=problem.raw, expected="YYYY-MM-DD", hint=hint)


@rule("DATE001", "unparseable-date", E, "无法识别的日期", doc_zh="""
日期单元格中的内容不是日期。

检查内容：
    所有日期列（开始时间、结束时间/完成时间、每日数据的日期、上线日期、结束日期、状态日期……）。可接受的
    写法：真正的日期单元格、``2024-05-10``、``2024/5/10``、``2024.5.10``、``2024年5月10日``、
    ``20240510``、全角数字，以及日和月不会混淆时的 ``10/05/2024``。
为什么重要：
    这个任务会从排期、甘特图和所有日期检查中消失。
示例：
    「完成时间」写成 ``下周五`` 或 ``TBD``。
如何修复：
    把日期写成 ``2024-05-10``；持续整个活动期间的工作，写 ``活动全程``。
""")
def unparseable_date(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A date cell holds something that is not a date.

    What it checks:
        Every date column (start, end/due, KPI date, launch, end, status date …). Accepted: real date cells,
        ``2024-05-10``, ``2024/5/10``, ``2024.5.10``, ``2024年5月10日``, ``20240510``, full-width digits, and
        ``10/05/2024`` when day and month cannot be confused.
    Why it matters:
        The task is missing from the schedule, the Gantt and every date check.
    Example:
        完成时间 ``下周五`` or ``TBD``.
    How to fix:
        Type the date as ``2024-05-10``; for work that lasts the whole campaign write ``活动全程``.
    """
    yield from _date_findings(plan, ctx, P.UNPARSEABLE, "「{col}」的值 {raw} 不是日期", '"{col}" value {raw} is not a date',
                              ("按 2024-05-10 的格式输入日期", "type the date as 2024-05-10"))


@rule("DATE002", "ambiguous-date", E, "日期有歧义", doc_zh="""
以文本输入的日期有两种读法（日/月或月/日）。

检查内容：
    像 ``05/06/2024`` 这样、两个部分都可能是月份的文本日期。
为什么重要：
    5 月 6 日和 6 月 5 日相差一个月；靠猜测会悄悄把任务挪走。
示例：
    「开始时间」为 ``05/06/2024``：是 2024-06-05 还是 2024-05-06？
如何修复：
    按“年-月-日”输入日期，例如 ``2024-06-05``。
""")
def ambiguous_date(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A date typed as text that reads two ways (day/month or month/day).

    What it checks:
        Text dates such as ``05/06/2024`` where both parts could be the month.
    Why it matters:
        May 6 and June 5 are a month apart; guessing would silently move the task.
    Example:
        开始时间 ``05/06/2024``: 2024-06-05 or 2024-05-06.
    How to fix:
        Type the date as ``2024-06-05`` (year-month-day).
    """
    yield from _date_findings(plan, ctx, P.AMBIGUOUS_DATE, "「{col}」的值 {raw} 有两种读法",
                              '"{col}" value {raw} reads two ways', ("按 年-月-日 输入", "type it as year-month-day"))


@rule("DATE003", "date-without-year", E, "日期缺少年份", doc_zh="""
以文本输入的日期没有年份。

检查内容：
    像 ``5月10日`` 或 ``5/10`` 这样的文本日期。
为什么重要：
    跨年的活动会横跨两个年份；本工具不做猜测。
示例：
    「完成时间」为 ``5月10日``。
如何修复：
    补上年份：``2024-05-10``。
""")
def date_without_year(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A date typed as text without a year.

    What it checks:
        Text dates such as ``5月10日`` or ``5/10``.
    Why it matters:
        Around the new year a campaign spans two years; the checker does not guess.
    Example:
        完成时间 ``5月10日``.
    How to fix:
        Add the year: ``2024-05-10``.
    """
    yield from _date_findings(plan, ctx, P.MISSING_YEAR, "「{col}」的值 {raw} 缺少年份",
                              '"{col}" value {raw} has no year', ("补上年份，如 2024-05-10", "add the year, e.g. 2024-05-10"))


@rule("DATE004", "end-before-start", E, "结束早于开始", doc_zh="""
结束日期早于开始日期（任务或活动本身）。

检查内容：
    每个任务的开始时间和结束时间，以及「活动概览」中的上线日期和结束日期。
为什么重要：
    工期为负一定是输错了；这个任务乃至整个排期都无法放到日历上。
示例：
    「开始时间」2024-05-12，「结束时间」2024-05-02。
如何修复：
    改正其中错误的那个日期。
""")
def end_before_start(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """An end date before its start date (a task, or the campaign itself).

    What it checks:
        Each task's start and end, and the Overview's launch and end dates.
    Why it matters:
        A negative duration is a typo; the task or the whole schedule cannot be placed on the calendar.
    Example:
        开始时间 2024-05-12, 结束时间 2024-05-02.
    How to fix:
        Correct whichever date is wrong.
    """
    launch, end = plan.overview.launch, plan.overview.end
    if launch is not None and end is not None and end < launch:
        yield ctx.finding(ctx.overview_where("end"), f"活动结束日期 {end} 早于上线日期 {launch}",
                          f"the campaign ends ({end}) before it launches ({launch})", field="end", value=end,
                          expected=f">= {launch}", hint=("更正上线或结束日期", "correct the launch or end date"))
    for task in plan.tasks:
        if task.start is not None and task.end is not None and task.end < task.start:
            yield ctx.finding(ctx.where("tasks", task, "end"),
                              f"任务 {ctx.task_label(task)} 的结束时间 {task.end} 早于开始时间 {task.start}",
                              f"task {ctx.task_label(task)} ends ({task.end}) before it starts ({task.start})",
                              field="end", value=task.end, expected=f">= {task.start}",
                              hint=("更正开始或结束时间", "correct the start or end date"))


@rule("DATE005", "task-outside-campaign-window", W, "任务超出活动时间范围", doc_zh="""
未设阶段的任务落在活动的时间范围之外。

检查内容：
    没有（可识别的）阶段的任务，必须位于上线前两周（调研）到结束后一周（复盘）之间。设置了阶段的任务，由
    DATE006 按其阶段的时间窗检查。
    团队可在策略文件 xl-campaign.toml 的 ``thresholds.stage-windows`` 中修改各时间窗。
为什么重要：
    排在活动之外的工作，要么是日期输错了（月份或年份不对），要么属于另一份计划。
示例：
    上线 2024-05-16，结束 2024-05-31，却有一个任务的日期是 2024-07-01。
如何修复：
    改正日期，或者设置任务的阶段，并把它移到该阶段的时间窗内。
""")
def task_outside_campaign_window(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A task without a stage lies outside the campaign's time frame.

    What it checks:
        Tasks with no (known) stage must lie between two weeks before the launch (research) and one week after
        the end (review). Tasks with a stage are checked against their stage's window by DATE006.
        A team can change the windows in its policy file (``thresholds.stage-windows`` in xl-campaign.toml).
    Why it matters:
        Work scheduled outside the campaign is either a typo in the date (wrong month or year) or belongs to
        another plan.
    Example:
        Launch 2024-05-16, end 2024-05-31, a task dated 2024-07-01.
    How to fix:
        Correct the date, or set the task's stage and move it into that stage's window.
    """
    windows = ctx.windows
    if windows is None:
        return
    first, last = windows["research"].start, windows["review"].end
    for task in plan.tasks:
        if task.stage is not None:
            continue
        end = ctx.task_end(task)
        for field, day in (("start", task.start), ("end", end)):
            if day is not None and not first <= day <= last:
                yield ctx.finding(ctx.where("tasks", task, field),
                                  f"任务 {ctx.task_label(task)} 的日期 {day} 超出活动时间范围 {first}～{last}",
                                  f"task {ctx.task_label(task)} date {day} is outside the campaign ({first} to {last})",
                                  field=field, value=day, expected=f"{first}..{last}",
                                  hint=("更正日期或填写任务阶段", "correct the date or set the task's stage"))
                break


@rule("DATE006", "task-outside-stage-window", W, "任务不在所属阶段的时间窗内", doc_zh="""
任务的排期超出了其所属阶段的时间窗（以上线日期为基准）。

检查内容：
    源文档中的四个阶段，围绕上线日期排布：前期调研在上线前 1–2 周（上线日−14 … 上线日−1）；方案细化在上
    线前一周（上线日−7 … 上线日−1）；预热期在上线前 3–7 天（上线日−7 … 上线日−1）；爆发期从上线日到结束
    日期；延续期为活动的最后四分之一，直到结束。完成时间写作 ``活动全程`` 的任务，按结束日期计算。复盘任
    务由 DATE009 检查。
    团队可在策略文件 xl-campaign.toml 的 ``thresholds.stage-windows`` 中修改各时间窗。
为什么重要：
    调研开始得太早会过时，方案细化拖到上线会耽误一切，而排在活动之外的爆发期任务，会在没人购买的时候执行
    。
示例：
    上线日期为 2024-05-16：调研任务 ``T01`` 于 2024-05-01 开始，比它的时间窗（2024-05-02 … 2024-05-15）
    早了一天。
如何修复：
    把任务的日期移进时间窗，或者改正它的阶段。
""")
def task_outside_stage_window(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A task is scheduled outside its stage's window (relative to the launch date).

    What it checks:
        The four stages of the source document, placed around the launch date: research & goals 1–2 weeks
        before launch (launch−14 … launch−7); plan & resources in the week before (launch−7 … launch−1);
        warm-up 3–7 days before (launch−7 … launch−1); burst from the launch to the end; continuation in the
        last quarter of the campaign up to the end. Research and planning count days that are not public
        holidays of the campaign's region (the Overview's *Region*), so a week that holds a holiday reaches
        back past it. A "whole campaign" (活动全程) due date counts as the end date. Review tasks are checked
        by DATE009.
        A team can change the windows in its policy file (``thresholds.stage-windows`` in xl-campaign.toml).
    Why it matters:
        Research that starts too early goes stale, planning that runs into the launch delays everything, and a
        burst task outside the campaign runs while nobody is buying.
    Example:
        Launch 2024-05-16, no holidays: the research task ``T01`` starting 2024-05-01 starts one day before its
        window (2024-05-02 … 2024-05-09); a research task ending 2024-05-13 ends four days after it.
    How to fix:
        Move the task's dates into the window, or correct its stage.
    """
    windows = ctx.windows
    if windows is None:
        return
    for task in plan.tasks:
        if task.stage is None or task.stage == "review" or task.stage not in windows:
            continue
        window = windows[task.stage]
        stage = ctx.label("stage", task.stage)
        end = ctx.task_end(task)
        if task.start is not None and task.start < window.start:
            days = (window.start - task.start).days
            yield ctx.finding(ctx.where("tasks", task, "start"),
                              f"{stage}任务 {ctx.task_label(task)} 开始于 {task.start}，早于该阶段时间窗"
                              f"（{window.start}～{window.end}）{days} 天",
                              f"{stage} task {ctx.task_label(task)} starts {task.start}, {days} day(s) before its "
                              f"stage window ({window.start} to {window.end})", field="start", value=task.start,
                              expected=f"{window.start}..{window.end}",
                              hint=("把任务移入阶段时间窗，或更正阶段", "move it into the window or correct its stage"))
        elif end is not None and end > window.end:
            days = (end - window.end).days
            yield ctx.finding(ctx.where("tasks", task, "end"),
                              f"{stage}任务 {ctx.task_label(task)} 结束于 {end}，晚于该阶段时间窗"
                              f"（{window.start}～{window.end}）{days} 天",
                              f"{stage} task {ctx.task_label(task)} ends {end}, {days} day(s) after its stage "
                              f"window ({window.start} to {window.end})", field="end", value=end,
                              expected=f"{window.start}..{window.end}",
                              hint=("把任务移入阶段时间窗，或更正阶段", "move it into the window or correct its stage"))
        elif task.start is not None and task.start > window.end:
            yield ctx.finding(ctx.where("tasks", task, "start"),
                              f"{stage}任务 {ctx.task_label(task)} 开始于 {task.start}，晚于该阶段时间窗"
                              f"（{window.start}～{window.end}）",
                              f"{stage} task {ctx.task_label(task)} starts {task.start}, after its stage window "
                              f"({window.start} to {window.end})", field="start", value=task.start,
                              expected=f"{window.start}..{window.end}",
                              hint=("把任务移入阶段时间窗，或更正阶段", "move it into the window or correct its stage"))


def _warmup_days(plan: Plan, ctx: Context) -> tuple[int, Task] | None:
    launch = ctx.launch
    starts = [t for t in plan.tasks if t.stage == "warmup" and t.start is not None and t.start < (launch or t.start)]
    if launch is None or not starts:
        return None
    first = min(starts, key=lambda t: t.start)  # type: ignore[arg-type,return-value]
    return (launch - first.start).days, first  # type: ignore[operator]


@rule("DATE007", "warmup-too-short", W, "预热期过短", doc_zh="""
预热期短于 3 天。

检查内容：
    从第一个预热任务开始到上线日期之间的天数。
    团队可在策略文件 xl-campaign.toml 的 ``thresholds.stage-windows.warmup`` 中修改3–7 天。
为什么重要：
    源文档为预热安排 3–7 天：发布悬念内容、倒计时，并测试报名和支付流程；时间再短，测试中发现的问题就来
    不及修复。
示例：
    上线 2024-05-16，预热从 2024-05-15 开始：只有 1 天。
如何修复：
    在上线前 3–7 天开始预热任务。
""")
def warmup_too_short(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """The warm-up (预热期) is shorter than 3 days.

    What it checks:
        The days from the first warm-up task's start to the launch date.
        A team can change the 3–7 days in its policy file (``thresholds.stage-windows.warmup`` in xl-campaign.toml).
    Why it matters:
        The source document plans 3–7 days of teasers, countdown and testing the sign-up and payment flow:
        less leaves no time to fix what the test finds.
    Example:
        Launch 2024-05-16, warm-up starts 2024-05-15: 1 day.
    How to fix:
        Start the warm-up tasks 3–7 days before the launch.
    """
    found = _warmup_days(plan, ctx)
    low, high = ctx.policy.stages.warmup_min_days, ctx.policy.stages.warmup_max_days
    if found and found[0] < low:
        days, task = found
        yield ctx.finding(ctx.where("tasks", task, "start"), f"预热期只有 {days} 天（应为 {low}–{high} 天）",
                          f"the warm-up lasts {days} day(s) ({low}–{high} expected)", field="start",
                          value=task.start, expected=f"{low}..{high}",
                          hint=(f"把预热任务提前到上线前 {low}–{high} 天开始",
                                f"start warm-up {low}–{high} days before the launch"))


@rule("DATE008", "warmup-too-long", W, "预热期过长", doc_zh="""
预热期长于 7 天。

检查内容：
    从第一个预热任务开始到上线日期之间的天数。
    团队可在策略文件 xl-campaign.toml 的 ``thresholds.stage-windows.warmup`` 中修改3–7 天。
为什么重要：
    持续好几周的悬念内容会失去效果，还会在用户能够购买之前就把预算花掉。
示例：
    上线 2024-05-16，预热从 2024-05-01 开始：15 天。
如何修复：
    在上线前 3–7 天开始预热；更早的工作属于方案细化，而不是预热。
""")
def warmup_too_long(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """The warm-up (预热期) is longer than 7 days.

    What it checks:
        The days from the first warm-up task's start to the launch date.
        A team can change the 3–7 days in its policy file (``thresholds.stage-windows.warmup`` in xl-campaign.toml).
    Why it matters:
        Teasers that run for weeks lose their effect and spend budget before anything can be bought.
    Example:
        Launch 2024-05-16, warm-up starts 2024-05-01: 15 days.
    How to fix:
        Start the warm-up 3–7 days before the launch; earlier work is planning, not warm-up.
    """
    found = _warmup_days(plan, ctx)
    low, high = ctx.policy.stages.warmup_min_days, ctx.policy.stages.warmup_max_days
    if found and found[0] > high:
        days, task = found
        yield ctx.finding(ctx.where("tasks", task, "start"), f"预热期长达 {days} 天（应为 {low}–{high} 天）",
                          f"the warm-up lasts {days} days ({low}–{high} expected)", field="start",
                          value=task.start, expected=f"{low}..{high}",
                          hint=(f"预热期控制在上线前 {low}–{high} 天", f"keep the warm-up to {low}–{high} days before the launch"))


@rule("DATE009", "review-not-within-week", W, "复盘不在活动结束后一周内", doc_zh="""
复盘没有安排在活动结束后的一周内。

检查内容：
    复盘阶段的任务必须在结束日期之后开始，并在结束后 7 天内完成。如果任务都设置了阶段，却没有一个是复盘
    任务，就在结束日期处报告缺少复盘。
    团队可在策略文件 xl-campaign.toml 的 ``thresholds.stage-windows.review-within`` 中修改一周的期限。
为什么重要：
    源文档要求每次活动结束后一周内完成复盘：目标与实际对比、各渠道的 ROI、问题及其责任人和改进措施。拖得
    越久，记忆越模糊，数字也就没人去对比了。
示例：
    活动 2024-05-31 结束，复盘报告却要到 2024-06-20 才完成。
如何修复：
    把复盘任务安排在结束后的第二天到一周之内。
""")
def review_not_within_week(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """The review is not planned within one week after the campaign's end.

    What it checks:
        Review-stage tasks must start after the end date and end within 7 days of it (days that are not public
        holidays of the campaign's region). When tasks carry stages but none is a review task, the missing review
        is reported on the end date.
        A team can change the week in its policy file (``thresholds.stage-windows.review-within`` in xl-campaign.toml).
    Why it matters:
        The source document closes every campaign with a review within a week: target vs actual, ROI per
        channel, problems with owners and fixes. Later, memories fade and the numbers are not compared.
    Example:
        End 2024-05-31, review report due 2024-06-20.
    How to fix:
        Schedule the review tasks between the day after the end and a week later.
    """
    end, windows = ctx.end, ctx.windows
    if end is None:
        return
    within = ctx.policy.stages.review_within_days
    last = windows["review"].end if windows else end + timedelta(days=within)
    week_zh, week_en = ("一周", "a week") if within == 7 else (f" {within} 天", f"{within} days")
    hint = (f"复盘安排在活动结束后{week_zh}内", f"schedule the review within {week_en} after the end")
    reviews = [t for t in plan.tasks if t.stage == "review"]
    for task in reviews:
        task_end = ctx.task_end(task)
        if task.start is not None and task.start <= end:
            yield ctx.finding(ctx.where("tasks", task, "start"),
                              f"复盘任务 {ctx.task_label(task)} 开始于 {task.start}，活动（{end} 结束）尚未结束",
                              f"review task {ctx.task_label(task)} starts {task.start}, before the campaign ends ({end})",
                              field="start", value=task.start, expected=f"{end + timedelta(days=1)}..{last}",
                              hint=hint)
        elif task_end is not None and task_end > last:
            yield ctx.finding(ctx.where("tasks", task, "end"),
                              f"复盘任务 {ctx.task_label(task)} 结束于 {task_end}，超过活动结束后{week_zh}（{last}）",
                              f"review task {ctx.task_label(task)} ends {task_end}, more than {week_en} after the end "
                              f"({last})", field="end", value=task_end, expected=f"<= {last}",
                              hint=hint)
    if not reviews and any(t.stage for t in plan.tasks):
        yield ctx.finding(ctx.overview_where("end"), f"没有安排复盘任务（应在 {end} 后{week_zh}内）",
                          f"no review task is planned (due within {week_en} after {end})", field="end",
                          hint=("添加阶段为“复盘”的任务", "add tasks with stage Review"))


@rule("DATE010", "dependency-starts-before-predecessor-ends", W, "任务早于前置任务完成就开始", doc_zh="""
任务在它所依赖的任务结束之前就开始了。

检查内容：
    对任务「前置任务」中的每个编号，该任务的开始日期不得早于前置任务的结束日期（在前置任务结束当天开始，
    视为当天交接，可以接受）。
为什么重要：
    计划让工作依赖于尚不存在的输入：后续任务要么推迟，要么只能基于草稿开工。
示例：
    T04（海报）依赖 T03（主题设计，2024-05-10 结束），却在 2024-05-08 就开始了。
如何修复：
    把任务移到前置任务之后；如果依赖关系并不真实存在，就删除它。
""")
def dependency_starts_before_predecessor_ends(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A task starts before a task it depends on ends.

    What it checks:
        For each ID in a task's 前置任务 (depends on), the task's start must not be before that predecessor's
        end (starting on the day it ends is accepted as a same-day hand-over).
    Why it matters:
        The plan promises work on inputs that do not exist yet: the dependent task slips or starts on drafts.
    Example:
        T04 (posters) depends on T03 (theme design, ends 2024-05-10) but starts 2024-05-08.
    How to fix:
        Move the task after its predecessor, or remove the dependency if it is not real.
    """
    in_cycle = {ident for cycle in dependency_cycles(plan) for ident in cycle}
    for task in plan.tasks:
        if task.start is None:
            continue
        for ident in task.depends_on:
            before = ctx.tasks_by_id.get(ident)
            before_end = ctx.task_end(before) if before is not None else None
            if before is None or before is task or before_end is None:
                continue
            if task.id in in_cycle and ident in in_cycle:
                continue  # a cycle is DATE020: no order of dates can satisfy it
            if task.start < before_end:
                yield ctx.finding(ctx.where("tasks", task, "start"),
                                  f"任务 {ctx.task_label(task)} 开始于 {task.start}，早于前置任务 {ident} 的结束时间 "
                                  f"{before_end}", f"task {ctx.task_label(task)} starts {task.start}, before its "
                                  f"predecessor {ident} ends ({before_end})", field="start", value=task.start,
                                  expected=f">= {before_end}",
                                  hint=("推迟任务开始时间，或删除不成立的依赖", "start it later, or drop the dependency"))


@rule("DATE011", "unknown-dependency", E, "前置任务不存在", doc_zh="""
任务依赖的任务编号不存在（或依赖了自己）。

检查内容：
    「前置任务」列中的每个编号，与「任务」工作表中的编号比对。
为什么重要：
    这条依赖关系无法检查，也无法画出来；通常是任务被重新编号或删除了。
示例：
    「前置任务」为 ``T3``，而编号是 ``T01``…``T16``。
如何修复：
    使用前置任务的准确编号，或者删除该引用。
""")
def unknown_dependency(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A task depends on a task ID that does not exist (or on itself).

    What it checks:
        Every ID in the 前置任务 (depends on) column against the IDs of the Tasks sheet.
    Why it matters:
        The dependency cannot be checked or drawn; usually a renumbered or deleted task.
    Example:
        前置任务 ``T3`` while the IDs are ``T01``…``T16``.
    How to fix:
        Use the predecessor's exact ID, or remove the reference.
    """
    for task in plan.tasks:
        for ident in task.depends_on:
            if ident not in ctx.tasks_by_id or ident == task.id:
                zh = f"任务 {ctx.task_label(task)} 的前置任务 {ident} " + ("是它自己" if ident == task.id else "不存在")
                en = f"task {ctx.task_label(task)} depends on {ident}, " + (
                    "itself" if ident == task.id else "which does not exist")
                yield ctx.finding(ctx.where("tasks", task, "depends_on"), zh, en, field="depends_on", value=ident,
                                  hint=("填写正确的任务编号", "use the predecessor's exact ID"))


@rule("DATE012", "material-due-after-use", W, "物料晚于使用时间完成", doc_zh="""
物料的完成时间晚于需要它的工作开始的时间。

检查内容：
    关联到任务（「关联任务」）的物料，必须在该任务开始前完成。如果物料的完成时间正好是该任务的最后一天，
    就视为该任务的产出（例如“制作海报”任务），可以接受。没有关联任务的物料必须在预热开始前备好（即第一个
    预热任务的开始日期；没有预热任务时为上线前 3 天）。
为什么重要：
    预热时没有海报，直播时没有礼品：任务开始时两手空空。
示例：
    礼品 2024-05-20 才完成，而要用它的 KOL 直播 2024-05-18 就开始了。
如何修复：
    提前物料的完成时间，或者推迟使用该物料的任务。
""")
def material_due_after_use(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A material is due after the work that needs it has started.

    What it checks:
        A material linked to a task (关联任务) must be due by that task's start. When its due date is the
        task's last day it is taken to be that task's output (a "make posters" task) and accepted. A material
        without a task must be ready by the warm-up (the first warm-up task's start, else 3 days before launch).
    Why it matters:
        Teasers without posters, a live stream without the gifts: the task starts empty-handed.
    Example:
        Gifts due 2024-05-20 for the KOL live stream that starts 2024-05-18.
    How to fix:
        Bring the due date forward, or move the task that uses the material.
    """
    warmups = [t.start for t in plan.tasks if t.stage == "warmup" and t.start is not None]
    warmup_start = min(warmups) if warmups else (ctx.launch - timedelta(days=ctx.policy.stages.warmup_min_days) if ctx.launch else None)
    for material in plan.materials:
        if material.due is None:
            continue
        task = ctx.tasks_by_id.get(material.task_id or "")
        if task is not None:
            task_end = ctx.task_end(task)
            if task.start is None or material.due <= task.start or material.due == task_end:
                continue
            yield ctx.finding(ctx.where("materials", material, "due"),
                              f"物料「{material.name}」{material.due} 才完成，但使用它的任务 {ctx.task_label(task)} "
                              f"{task.start} 就开始了", f'material "{material.name}" is due {material.due}, after '
                              f"task {ctx.task_label(task)} that uses it starts ({task.start})", field="due",
                              value=material.due, expected=f"<= {task.start}",
                              hint=("提前物料完成时间，或推迟任务", "bring the due date forward or move the task"))
        elif material.task_id is None and warmup_start is not None and material.due > warmup_start:
            yield ctx.finding(ctx.where("materials", material, "due"),
                              f"物料「{material.name}」{material.due} 才完成，晚于预热开始（{warmup_start}）",
                              f'material "{material.name}" is due {material.due}, after the warm-up starts '
                              f"({warmup_start})", field="due", value=material.due, expected=f"<= {warmup_start}",
                              hint=("物料应在预热开始前完成，或填写使用它的任务", "have it ready before the warm-up, "
                                    "or link the task that uses it"))


@rule("DATE013", "task-overdue", W, "任务已逾期", doc_zh="""
任务的结束日期已过，但尚未完成。

检查内容：
    结束（或完成）日期早于状态日期（「活动概览」中的「状态日期」，未填则为今天），且状态不是已完成或已取
    消的任务。完成时间为“活动全程”的任务，按活动结束日期计算。
    团队可在策略文件 xl-campaign.toml 的 ``thresholds.overdue-grace-days`` 中修改宽限天数（默认不宽限）。
为什么重要：
    延误的工作会拖累依赖它的工作；进度会议应该首先看到它。
示例：
    状态日期 2024-05-24：``T06 线下展架制作`` 于 2024-05-14 结束，状态仍是「进行中」。
如何修复：
    完成它并把状态设为「已完成」，或者商定新的结束日期并更新。
""")
def task_overdue(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A task's end date has passed and it is not done.

    What it checks:
        Tasks whose end (or due) date is before the status date (the Overview's 状态日期, else today) and whose
        status is not done or cancelled. A "whole campaign" due date counts as the campaign's end date.
        A team can allow days of grace (none by default) in its policy file (``thresholds.overdue-grace-days`` in xl-campaign.toml).
    Why it matters:
        Late work delays what depends on it; the status meeting should see it first.
    Example:
        Status date 2024-05-24: ``T06 线下展架制作`` ended 2024-05-14, still 进行中.
    How to fix:
        Finish it and set 已完成, or agree a new end date and update it.
    """
    for task in plan.tasks:
        end = ctx.task_end(task)
        if end is None or task.status not in OPEN or not ctx.policy.is_overdue((ctx.today - end).days):
            continue
        days = (ctx.today - end).days
        status = ctx.label("status", task.status) or ctx.t("空", "empty")
        yield ctx.finding(ctx.where("tasks", task, "end"),
                          f"任务 {ctx.task_label(task)} 已逾期 {days} 天（截止 {end}，状态：{status}）",
                          f"task {ctx.task_label(task)} is {days} day(s) overdue (due {end}, status: {status})",
                          field="end", value=end, expected=f">= {ctx.today}",
                          hint=("完成后改为“已完成”，或约定新的截止时间", "finish it and mark it done, or agree a new end date"))


@rule("DATE014", "status-contradicts-dates", W, "状态与日期矛盾", doc_zh="""
任务的状态与其日期或完成度相矛盾。

检查内容：
    开始日期还在未来，状态却是已完成或进行中；状态为已完成，完成度却低于 100%；状态为未开始，完成度却高
    于 0%。
为什么重要：
    要么状态错了，要么日期错了，据此生成的进度报告会误导大家。
示例：
    状态日期 2024-05-24：一个 2024-05-28 才开始的任务被标为「已完成」。
如何修复：
    改正状态、日期或完成度。
""")
def status_contradicts_dates(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A task's status contradicts its dates or its progress.

    What it checks:
        Done or in progress although the start date is still in the future; done with progress below 100%;
        not started with progress above 0%.
    Why it matters:
        Either the status or the dates are wrong, and the status report built from them misleads.
    Example:
        Status date 2024-05-24: a task 已完成 that starts 2024-05-28.
    How to fix:
        Correct the status, the dates or the progress.
    """
    for task in plan.tasks:
        status = ctx.label("status", task.status)
        if task.status in ("done", "in_progress") and task.start is not None and task.start > ctx.today:
            yield ctx.finding(ctx.where("tasks", task, "status"),
                              f"任务 {ctx.task_label(task)} 状态为「{status}」，但开始时间 {task.start} 尚未到"
                              f"（状态日期 {ctx.today}）", f'task {ctx.task_label(task)} is "{status}" but starts '
                              f"{task.start}, after the status date {ctx.today}", field="status", value=status,
                              hint=("更正状态或开始时间", "correct the status or the start date"))
        elif task.status == "done" and task.progress is not None and task.progress < 1:
            yield ctx.finding(ctx.where("tasks", task, "progress"),
                              f"任务 {ctx.task_label(task)} 已完成，但完成度为 {ctx.pct(task.progress)}",
                              f"task {ctx.task_label(task)} is done but its progress is {ctx.pct(task.progress)}",
                              field="progress", value=task.progress, expected="100%",
                              hint=("更正状态或完成度", "correct the status or the progress"))
        elif task.status == "not_started" and task.progress is not None and task.progress > 0:
            yield ctx.finding(ctx.where("tasks", task, "progress"),
                              f"任务 {ctx.task_label(task)} 未开始，但完成度为 {ctx.pct(task.progress)}",
                              f"task {ctx.task_label(task)} is not started but its progress is {ctx.pct(task.progress)}",
                              field="progress", value=task.progress, expected="0%",
                              hint=("更正状态或完成度", "correct the status or the progress"))


@rule("DATE015", "task-start-missed", W, "任务应开始但未开始", doc_zh="""
任务已过开始日期，状态仍是“未开始”（但尚未逾期）。

检查内容：
    状态为「未开始」、开始日期早于状态日期、且结束日期尚未过去的任务（结束日期已过的，由 DATE013 报告）
    。
    团队可在策略文件 xl-campaign.toml 的 ``thresholds.overdue-grace-days`` 中修改宽限天数（默认不宽限）。
为什么重要：
    开始晚了，是完成晚了的第一个信号。
示例：
    状态日期 2024-05-24：一个排在 2024-05-20 … 2024-05-27 的任务仍是「未开始」。
如何修复：
    开始执行并把状态设为「进行中」，或者调整它的日期。
""")
def task_start_missed(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A task is still "not started" after its start date (and is not overdue yet).

    What it checks:
        Tasks with status 未开始 whose start date is before the status date while the end date is not yet
        past (past ends are DATE013).
        A team can allow days of grace (none by default) in its policy file (``thresholds.overdue-grace-days`` in xl-campaign.toml).
    Why it matters:
        A late start is the first sign of a late finish.
    Example:
        Status date 2024-05-24: a task 未开始 scheduled 2024-05-20 … 2024-05-27.
    How to fix:
        Start it and set 进行中, or move its dates.
    """
    for task in plan.tasks:
        end = ctx.task_end(task)
        if task.status != "not_started" or task.start is None or task.start >= ctx.today:
            continue
        if end is not None and ctx.policy.is_overdue((ctx.today - end).days):
            continue  # overdue: DATE013 says it
        yield ctx.finding(ctx.where("tasks", task, "status"),
                          f"任务 {ctx.task_label(task)} 应于 {task.start} 开始，至 {ctx.today} 仍未开始",
                          f"task {ctx.task_label(task)} should have started on {task.start}; still not started "
                          f"on {ctx.today}", field="status", value=ctx.label("status", task.status),
                          hint=("开始任务并改为“进行中”，或调整日期", "start it and set In progress, or move its dates"))


@rule("DATE016", "whole-campaign-due-date", INFO, "截止时间为“活动全程”", doc_zh="""
完成时间写成了表示“整个活动期间”的文字（活动全程）。

检查内容：
    内容为 ``活动全程``（或 全程、活动期间、"whole campaign"、"throughout"）的日期单元格，源模板中客服支
    持那一行就是这样写的。
为什么重要：
    这是一个含义，而不是日期：本工具把它理解为“任务一直持续到活动结束日期”（用于逾期、阶段时间窗、工作量
    和依赖关系的检查），并在这里说明，免得有人意外。Excel 本身无法对它排序、筛选或制作图表。
示例：
    在 2024-05-31 结束的活动中，「完成时间」为 ``活动全程`` 的客服支持任务，按 2024-05-31 到期处理。
如何修复：
    无需修改。若想让 Excel 也能识别，就填写结束日期，并把“活动全程”写进交付标准或备注。
""")
def whole_campaign_due_date(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A due date written as text meaning "for the whole campaign" (活动全程).

    What it checks:
        Date cells holding ``活动全程`` (or 全程, 活动期间, "whole campaign", "throughout"), as in the source
        template's customer-service row.
    Why it matters:
        It is a meaning, not a date: the checker reads it as *the task runs until the campaign's end date*
        (for overdue work, stage windows, workload and dependencies) and says so here, so that nobody is
        surprised. Excel itself cannot sort, filter or chart it.
    Example:
        客服支持 with 完成时间 ``活动全程`` in a campaign ending 2024-05-31 is treated as due 2024-05-31.
    How to fix:
        Nothing is required. To make it explicit for Excel, type the end date and keep "活动全程" in the
        deliverable or a note.
    """
    for key, record, problem in value_problems(plan):
        if problem.kind != P.WHOLE_CAMPAIGN_DATE:
            continue
        column = S.SPECS[key].column(problem.field)
        end = ctx.end
        target = ctx.t(f"活动结束日期 {end}", f"the campaign end date {end}") if end else \
            ctx.t("活动结束日期（概览中尚未填写）", "the campaign end date (not yet set on the Overview)")
        yield ctx.finding(ctx.where(key, record, problem.field),
                          f"「{column.zh}」写作 {problem.raw!r}，按{target} 处理",
                          f'"{column.en}" is {problem.raw!r}; treated as {target}', field=problem.field,
                          value=problem.raw, expected=str(end) if end else None,
                          hint=("如需在 Excel 中排序/筛选，可改填结束日期", "type the end date if Excel must sort "
                                "or filter by it"))


@rule("DATE017", "task-not-scheduled", W, "任务没有日期", doc_zh="""
任务既没有开始日期，也没有结束日期。

检查内容：
    没有任何日期的任务行（``活动全程`` 之类的文字完成时间也算作日期）。
为什么重要：
    这个任务不会出现在甘特图上，不会被判为逾期，也无法按阶段检查：它会被遗忘。
示例：
    ``物料设计定稿`` 的「开始时间」和「结束时间」都为空。
如何修复：
    为任务填写开始日期和结束日期。
""")
def task_not_scheduled(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A task has neither a start nor an end date.

    What it checks:
        Task rows without any date (text due dates such as 活动全程 count as a date).
    Why it matters:
        The task is not on the Gantt, cannot be overdue and cannot be checked against its stage: it will be
        forgotten.
    Example:
        ``物料设计定稿`` with 开始时间 and 结束时间 empty.
    How to fix:
        Give the task a start and an end date.
    """
    info = plan.tables.get("tasks")
    if info is None or not ({"start", "end"} & info.columns.keys()):
        return
    for task in plan.tasks:
        if task.start is None and task.end is None and task.problem_for("start") is None \
                and task.problem_for("end") is None:
            yield ctx.finding(ctx.where("tasks", task, "start" if "start" in info.columns else "end"),
                              f"任务 {ctx.task_label(task)} 没有开始和结束时间",
                              f"task {ctx.task_label(task)} has no start or end date", field="start",
                              hint=("填写开始和结束时间", "give it a start and an end date"))


EXECUTION_STAGES = ("warmup", "burst", "continuation")


@rule("DATE018", "deliverable-due-on-holiday", W, "交付日期是法定节假日", doc_zh="""
交付日期落在活动所在地区的法定节假日。

检查内容：
    调研、方案、复盘阶段（以及没有阶段）的任务的结束/完成时间，和物料的完成时间，是否是活动概览「地区」的
    法定节假日（中文工作簿默认 CN；节假日与调休来自维护中的 ``holidays`` 库）。预热、爆发、延续期的任务在
    节假日照常进行（618、双11 正是节日），不检查。
为什么重要：
    节假日没人上班：方案评审、物料交付、复盘报告会顺延到假期之后，后续任务跟着推迟。
示例：
    2024-05-05（劳动节假期）交付《用户画像报告》。
如何修复：
    把完成时间改到假期前的最后一个工作日（信息中给出日期），或者改到假期之后并相应调整后续任务。
""")
def deliverable_due_on_holiday(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A deliverable is due on a public holiday of the campaign's region.

    What it checks:
        The end / due date of research, planning and review tasks (and of tasks without a stage), and the due
        date of materials, against the public holidays of the Overview's *Region* (CN by default in a Chinese
        workbook; holidays and make-up working days come from the maintained ``holidays`` library). Warm-up,
        burst and continuation work runs through holidays on purpose (618 and 双11 are holidays) and is not
        checked.
    Why it matters:
        Nobody is in the office: the plan review, the materials or the review report slip past the holiday and
        everything after them slips too.
    Example:
        A persona report due 2024-05-05, the last day of the Labour Day holiday in China.
    How to fix:
        Move the date to the last working day before the holiday (the message names it), or after the holiday
        and move what depends on it.
    """
    cal = ctx.calendar
    if not cal.holidays:
        return
    due: list[tuple[str, Record, str, date, str]] = [
        ("tasks", task, "end", task.end, ctx.t(f"任务 {ctx.task_label(task)}", f"task {ctx.task_label(task)}"))
        for task in plan.tasks if task.end is not None and task.stage not in EXECUTION_STAGES]
    due += [("materials", material, "due", material.due, ctx.t(f"物料「{material.name or ''}」",
                                                              f'material "{material.name or ""}"'))
            for material in plan.materials if material.due is not None]
    for key, record, field, day, what in due:
        if not cal.is_holiday(day):
            continue
        before = day
        while not cal.is_working_day(before):
            before -= timedelta(days=1)
        name = cal.name(day)
        yield ctx.finding(ctx.where(key, record, field), f"{what}的完成时间 {day} 是法定节假日（{name}）",
                          f"{what} is due {day}, a public holiday ({name})", field=field, value=day,
                          expected=str(before),
                          hint=(f"改为假期前的最后一个工作日 {before}", f"make it due {before}, the last working "
                                "day before the holiday"))


@rule("DATE019", "unknown-holiday-region", W, "无法识别的节假日地区", doc_zh="""
活动概览的「地区」不是可识别的地区。

检查内容：
    活动概览中「地区」单元格的值：ISO 代码（CN、US、HK …）、常见名称（中国、美国、China …）或 ``无``
    （``none``，只看周末）。
为什么重要：
    不认识地区，就不知道哪天是法定节假日：节假日上的交付不会被提醒，阶段时间窗也不会避开长假。
示例：
    地区写作 ``华东``。
如何修复：
    填写国家或地区代码，如 ``CN``；只看周末则填 ``无``（``none``）。
""")
def unknown_holiday_region(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """The Overview's *Region* names no known country or region.

    What it checks:
        The Overview's *Region* (地区) cell: an ISO code (CN, US, HK …), a common name (中国, 美国, China …) or
        ``none`` / ``无`` for weekends only.
    Why it matters:
        Without a region no public holiday is known: deliverables due on a holiday are not flagged and the stage
        windows do not step around a long holiday.
    Example:
        Region ``华东`` (East China).
    How to fix:
        Type the country or region code, such as ``CN``; type ``none`` (``无``) for weekends only.
    """
    text = plan.overview.region
    if text and text.strip() and region_code(text) is None:
        yield ctx.finding(ctx.overview_where("region"), f"地区 {text!r} 无法识别，未考虑节假日",
                          f"region {text!r} is not known; no public holidays are taken into account",
                          field="region", value=text, expected="CN, US, HK, …",
                          hint=("填写国家或地区代码，如 CN；只看周末则填“无”", 'type a code such as CN, or "none"'))


def dependency_cycles(plan: Plan) -> list[list[str]]:
    """Every cycle of the depends-on graph, each as its task IDs in order (the first ID is the smallest)."""
    graph: dict[str, list[str]] = {}
    for task in plan.tasks:
        if task.id and task.id not in graph:
            graph[task.id] = [d for d in task.depends_on if d != task.id]
    cycles: list[list[str]] = []
    seen: set[frozenset[str]] = set()
    state: dict[str, int] = {}  # 1 on the path, 2 done
    path: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        path.append(node)
        for nxt in graph.get(node, ()):
            if nxt not in graph:
                continue
            if state.get(nxt) == 1:
                cycle = path[path.index(nxt):]
                key = frozenset(cycle)
                if key not in seen:
                    seen.add(key)
                    start = cycle.index(min(cycle))
                    cycles.append(cycle[start:] + cycle[:start])
            elif state.get(nxt) is None:
                visit(nxt)
        path.pop()
        state[node] = 2

    for node in graph:
        if state.get(node) is None:
            visit(node)
    return cycles


@rule("DATE020", "dependency-cycle", E, "前置任务形成循环", doc_zh="""
前置任务首尾相连，形成循环。

检查内容：
    任务表「前置任务」列构成的依赖关系中是否有环：T03 依赖 T05，T05 又依赖 T03（或经过更多任务绕回来）。
为什么重要：
    环里的每个任务都要等另一个先完成，谁也开始不了；任何日期安排都满足不了它，甘特图上的顺序也失去意义。
示例：
    T04 的前置任务是 T06，T06 的前置任务是 T04。
如何修复：
    找出环里不成立的那条依赖（信息中列出整个环），把它从「前置任务」中删除。
""")
def dependency_cycle(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """Tasks depend on each other in a circle.

    What it checks:
        The dependencies of the Tasks sheet's *Depends on* column for cycles: T03 depends on T05 and T05 on T03,
        or a longer way round.
    Why it matters:
        Each task of the cycle waits for another to finish first, so none can start; no dates satisfy it, and the
        Gantt's order means nothing. (Each pair is otherwise reported as "starts before its predecessor ends".)
    Example:
        T04 depends on T06 and T06 depends on T04.
    How to fix:
        Find the dependency of the cycle that is not real (the message lists the whole cycle) and delete it from
        *Depends on*.
    """
    for cycle in dependency_cycles(plan):
        task = ctx.tasks_by_id[cycle[0]]
        ring = " → ".join([*cycle, cycle[0]])
        yield ctx.finding(ctx.where("tasks", task, "depends_on"), f"前置任务形成循环：{ring}",
                          f"the dependencies form a cycle: {ring}", field="depends_on", value=ring,
                          hint=(f"从 {ring} 中删除不成立的那条依赖", f"delete the dependency of {ring} that is not real"))
