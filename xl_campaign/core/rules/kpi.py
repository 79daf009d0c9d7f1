"""KPI: the daily results — consistent funnels, known channels, dates in the campaign, pacing vs targets."""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterator
from datetime import timedelta
from functools import partial
from operator import attrgetter, is_not

from .. import parse as P
from .. import spec as S
from ..findings import Finding, Severity
from ..kpi import ADDITIVE_METRICS, GoalProgress, Pacing, goal_progress, pacing_for, total_of
from ..model import Goal, KpiRow, Plan
from .context import Context
from .registry import rule

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
_not_none = partial(is_not, None)
_VALUES = ("impressions", "clicks", "conversions", "revenue", "spend", "new_users")


@rule("KPI001", "clicks-exceed-impressions", E, "点击量大于曝光量", doc_zh="""
某天的点击量大于曝光量。

检查内容：
    「每日数据」中两者都已填写的每一行，点击量都应 ≤ 曝光量。
为什么重要：
    没人会点击自己没看到的内容：要么两列填反了，要么数字输错了；而超过 100% 的点击率会扭曲所有渠道之间的
    比较。
示例：
    「曝光量」1,520，「点击量」42,000（两列填反了）。
如何修复：
    按渠道的报表改正这一行。
""")
def clicks_exceed_impressions(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A day's clicks exceed its impressions.

    What it checks:
        Clicks ≤ impressions on every Daily KPI row that has both.
    Why it matters:
        Nobody clicks what they did not see: the columns are swapped or a number was mistyped, and the CTR
        above 100% distorts every channel comparison.
    Example:
        曝光量 1,520, 点击量 42,000 (the columns swapped).
    How to fix:
        Correct the row from the channel's report.
    """
    for row in plan.kpi:
        if row.clicks is not None and row.impressions is not None and row.clicks > row.impressions:
            yield ctx.finding(ctx.where("kpi", row, "clicks"),
                              f"{ctx.day(row.date)} {row.channel or ''} 点击量 {row.clicks:,} 大于曝光量 {row.impressions:,}",
                              f"{ctx.day(row.date)} {row.channel or ''}: clicks {row.clicks:,} exceed impressions "
                              f"{row.impressions:,}", field="clicks", value=row.clicks,
                              expected=f"<= {row.impressions}", hint=("核对渠道报表", "check the channel's report"))


@rule("KPI002", "conversions-exceed-clicks", E, "转化数大于点击量", doc_zh="""
某天的转化数大于点击量。

检查内容：
    「每日数据」中两者都已填写的每一行，转化数都应 ≤ 点击量。
为什么重要：
    转化率（转化数 / 点击量）会超过 100%；通常是数字输错了，或者把其他来源的订单记到了这个渠道上。
示例：
    「点击量」500，「转化数」800。
如何修复：
    改正这一行，或者把其他来源的转化记到它们自己的渠道上。
""")
def conversions_exceed_clicks(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A day's conversions exceed its clicks.

    What it checks:
        Conversions ≤ clicks on every Daily KPI row that has both.
    Why it matters:
        The conversion rate (conversions / clicks) comes out above 100%; usually a mistyped number or orders
        from another source booked on this channel.
    Example:
        点击量 500, 转化数 800.
    How to fix:
        Correct the row, or book conversions from other sources on their own channel.
    """
    for row in plan.kpi:
        if row.conversions is not None and row.clicks is not None and row.conversions > row.clicks:
            yield ctx.finding(ctx.where("kpi", row, "conversions"),
                              f"{ctx.day(row.date)} {row.channel or ''} 转化数 {row.conversions:,} 大于点击量 {row.clicks:,}",
                              f"{ctx.day(row.date)} {row.channel or ''}: conversions {row.conversions:,} exceed clicks "
                              f"{row.clicks:,}", field="conversions", value=row.conversions,
                              expected=f"<= {row.clicks}", hint=("核对渠道报表", "check the channel's report"))


@rule("KPI003", "negative-kpi-value", E, "数据为负数", doc_zh="""
某天的数据为负数。

检查内容：
    「每日数据」每一行的曝光量、点击量、转化数、销售额、花费和新增用户。
为什么重要：
    负数会悄悄拉低渠道合计；更正应体现在当天的真实数字里。
示例：
    因为退款，「销售额」写成了 ``-1,200``。
如何修复：
    填写当天的净数（不低于零），退款另行记录。
""")
def negative_kpi_value(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A daily result is negative.

    What it checks:
        Impressions, clicks, conversions, revenue, spend and new users on every Daily KPI row.
    Why it matters:
        Negative results lower the channel totals silently; corrections belong in the day's real figure.
    Example:
        销售额 ``-1,200`` for a refund.
    How to fix:
        Type the day's net figure (not below zero), and note refunds elsewhere.
    """
    hits = []
    for index, field in enumerate(_VALUES):
        get = attrgetter(field)
        if min(filter(_not_none, map(get, plan.kpi)), default=0) >= 0:
            continue  # the common case, decided at C speed
        hits += [(row.row, index, row, field) for row in plan.kpi if (value := get(row)) is not None and value < 0]
    for _, _, row, field in sorted(hits, key=lambda hit: hit[:2]):
        value = getattr(row, field)
        column = S.KPI.column(field)
        yield ctx.finding(ctx.where("kpi", row, field), f"{ctx.day(row.date)} 「{column.zh}」为负数：{value}",
                          f'{ctx.day(row.date)}: "{column.en}" is negative: {value}', field=field,
                          value=value, expected=">= 0", hint=("更正为当天的实际数", "type the day's real figure"))


@rule("KPI004", "duplicate-day-channel", E, "同一天同一渠道重复", doc_zh="""
同一天、同一渠道在「每日数据」中出现了两行。

检查内容：
    每个（日期，渠道）组合只能出现一次（比较渠道名称时不区分大小写、忽略空格）。
为什么重要：
    这一天会在每个渠道合计中被算两次，点击率看上去依然合理，进度却显得比实际的好。
示例：
    报表被粘贴了两次，出现两行 ``2024-05-18 短视频平台``。
如何修复：
    删除重复的行（如果两行分别是当天的两部分数据，就把它们合并相加）。
""")
def duplicate_day_channel(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """The same day and channel appear on two Daily KPI rows.

    What it checks:
        Each (date, channel) pair must appear once (channel names compared without case and spaces).
    Why it matters:
        The day is counted twice in every channel total, CTR stays plausible, and pacing looks better than it is.
    Example:
        Two rows ``2024-05-18 短视频平台`` after a report was pasted twice.
    How to fix:
        Delete the duplicate row (or add the two if they are two halves of the day).
    """
    pairs = [(row.date, row.channel) for row in plan.kpi if row.date is not None and row.channel]
    names = {name for _, name in pairs if name}
    if len(set(pairs)) == len(pairs) and len({n.strip().casefold() for n in names}) == len(names):
        return  # every (day, channel) once, and no two spellings of one channel: nothing to look for
    seen: dict[tuple[object, str], int] = {}
    folded: dict[str, str] = {}
    for row in plan.kpi:
        if row.date is None or not row.channel:
            continue
        name = folded.get(row.channel)
        if name is None:
            name = folded[row.channel] = row.channel.strip().casefold()
        key = (row.date, name)
        if key in seen:
            yield ctx.finding(ctx.where("kpi", row, "date"),
                              f"{row.date} {row.channel} 与第 {seen[key]} 行重复",
                              f"{row.date} {row.channel} repeats row {seen[key]}", field="date", value=row.date,
                              hint=("删除重复行，或合并为一行", "delete the duplicate or merge the rows"))
        else:
            seen[key] = row.row


@rule("KPI005", "kpi-channel-unknown", W, "数据的渠道不在渠道表中", doc_zh="""
「每日数据」中某一行的渠道不在「渠道」工作表中。

检查内容：
    「每日数据」工作表的「渠道」列，与「渠道」工作表中的名称比对（每个名称只在它第一次出现的行报告一次，
    并给出最接近的已知名称）。
为什么重要：
    「渠道」工作表的实际数据是按名称精确匹配的 SUMIFS：这些行不会计入任何渠道。
示例：
    每日数据中写的是 ``抖音``，而渠道名称是 ``短视频平台``。
如何修复：
    使用「渠道」工作表中的渠道名称（下拉列表中有），或者在那里添加该渠道。
""")
def kpi_channel_unknown(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A Daily KPI row names a channel that is not on the Channels sheet.

    What it checks:
        The 渠道 column of the Daily KPI sheet against the Channels sheet's names (reported once per name,
        on its first row, with the closest known name).
    Why it matters:
        The Channels sheet's actuals are SUMIFS over the exact name: these rows count for no channel.
    Example:
        ``抖音`` in the daily data while the channel is called ``短视频平台``.
    How to fix:
        Use the channel's name from the Channels sheet (the dropdown lists them), or add the channel there.
    """
    names = {c.name.strip().casefold(): c.name for c in plan.channels if c.name}
    if not names:
        return
    counts: dict[str, int] = defaultdict(int)
    for row in plan.kpi:
        if row.channel:
            counts[row.channel] += 1
    unknown: dict[str, int] = defaultdict(int)
    for raw, count in counts.items():
        if raw.strip().casefold() not in names:
            unknown[raw.strip().casefold()] += count
    reported: set[str] = set()
    for row in plan.kpi if unknown else ():
        if not row.channel:
            continue
        key = row.channel.strip().casefold()
        if key not in unknown or key in reported:
            continue
        reported.add(key)
        count = unknown[key]
        close = difflib.get_close_matches(row.channel, list(names.values()), n=1, cutoff=0.4)
        hint = (f"是否应为「{close[0]}」？", f'did you mean "{close[0]}"?') if close else \
            ("使用渠道表中的名称，或在渠道表中添加", "use a name from the Channels sheet or add it")
        yield ctx.finding(ctx.where("kpi", row, "channel"), f"渠道「{row.channel}」不在渠道表中（{count} 行）",
                          f'channel "{row.channel}" is not on the Channels sheet ({count} rows)', field="channel",
                          value=row.channel, expected=ctx.people(list(names.values())), hint=hint)


@rule("KPI006", "kpi-date-outside-campaign", W, "数据日期不在活动期间", doc_zh="""
「每日数据」中某一行的日期在活动期间（预热到结束）之外，或晚于状态日期。

检查内容：
    每一行的日期都必须在预热时间窗开始（上线前 7 天）到结束日期之间，并且不晚于状态日期。
    团队可在策略文件 xl-campaign.toml 的 ``thresholds.stage-windows.warmup`` 中修改预热期的长度。
为什么重要：
    其他时期的数据会虚增活动的合计；未来的日期一定是输错了（月份或年份不对）。
示例：
    上线 2024-05-16，结束 2024-05-31：有一行的日期是 2023-05-18。
如何修复：
    改正日期，或者把这一行移到它所属活动的工作簿中。
""")
def kpi_date_outside_campaign(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A Daily KPI row is dated outside the campaign (warm-up to end), or after the status date.

    What it checks:
        Each row's date must fall between the start of the warm-up window (7 days before launch) and the end
        date, and not after the status date.
        A team can change the warm-up's length in its policy file (``thresholds.stage-windows.warmup`` in xl-campaign.toml).
    Why it matters:
        Results from another period inflate the campaign's totals; a future date is a typo (wrong month or year).
    Example:
        Launch 2024-05-16, end 2024-05-31: a row dated 2023-05-18.
    How to fix:
        Correct the date, or move the row to the workbook of the campaign it belongs to.
    """
    launch, end = ctx.launch, ctx.end
    first = launch - timedelta(days=ctx.policy.stages.warmup_max_days) if launch else None
    for row in plan.kpi:
        if row.date is None:
            continue
        if first is not None and end is not None and not first <= row.date <= end:
            yield ctx.finding(ctx.where("kpi", row, "date"),
                              f"数据日期 {row.date} 不在活动期间（{first}～{end}）",
                              f"the row's date {row.date} is outside the campaign ({first} to {end})", field="date",
                              value=row.date, expected=f"{first}..{end}",
                              hint=("更正日期", "correct the date"))
        elif row.date > ctx.today:
            yield ctx.finding(ctx.where("kpi", row, "date"), f"数据日期 {row.date} 晚于状态日期 {ctx.today}",
                              f"the row's date {row.date} is after the status date {ctx.today}", field="date",
                              value=row.date, expected=f"<= {ctx.today}", hint=("更正日期", "correct the date"))


@rule("KPI007", "channel-without-targets", W, "渠道没有目标", doc_zh="""
渠道没有设置任何目标（曝光量、点击量、转化数、销售额）。

检查内容：
    「渠道」工作表的每一行都至少要有一个目标。
为什么重要：
    没有目标，就无从判断这个渠道是否有效；进度（KPI008）和复盘中的目标与实际对比也无法计算。
示例：
    ``社群`` 的所有目标列都为空。
如何修复：
    至少设置对该渠道最重要的那个目标（做品牌曝光看曝光量，做销售看转化数或销售额）。
""")
def channel_without_targets(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A channel has no target at all (impressions, clicks, conversions, revenue).

    What it checks:
        Every row of the Channels sheet must have at least one target.
    Why it matters:
        Without a target nothing says whether the channel works; pacing (KPI008) and the review's
        target-vs-actual cannot be computed.
    Example:
        ``社群`` with all target columns empty.
    How to fix:
        Set at least the target that matters for the channel (impressions for awareness, conversions or revenue
        for sales).
    """
    for channel in plan.channels:
        if all(getattr(channel, f) is None for f in ("target_impressions", "target_clicks", "target_conversions",
                                                     "target_revenue")):
            yield ctx.finding(ctx.where("channels", channel, "target_impressions"),
                              f"渠道「{channel.name or ''}」没有任何目标", f'channel "{channel.name or ""}" has no target',
                              field="target_impressions", hint=("至少填写一个目标", "set at least one target"))


def _elapsed_share(plan: Plan, ctx: Context, rows: list[KpiRow]) -> float | None:
    launch, end = ctx.launch, ctx.end
    if launch is None or end is None or ctx.today <= launch:
        return None
    last_data = max((r.date for r in rows if r.date is not None), default=None)
    if last_data is None:
        return None
    upto = min(last_data, ctx.today, end)
    if upto < launch:
        return None
    return ((upto - launch).days + 1) / ((end - launch).days + 1)


@rule("KPI008", "pacing-behind-target", W, "进度落后于目标", doc_zh="""
渠道的数据落后于完成目标所需的进度。

检查内容：
    对每个渠道的每项目标（曝光量、点击量、转化数、销售额）：把目前为止的累计数据（含预热期）与“目标 × 已
    过去的活动时间占比”比较（时间从上线日算到有数据的最后一天，且不晚于状态日期）。低于这一匀速进度的 90%
    即报告。
    团队可在策略文件 xl-campaign.toml 的 ``thresholds.pacing-tolerance`` 中修改90% 这一比例。
为什么重要：
    源文档中的执行组每天都把数据与当日目标对比（“今日新增用户 2,000，完成当日目标的 80%”），以便趁还有时
    间调整渠道。
示例：
    活动过半时，KOL 的曝光量只有 30,000，而目标是 200,000（完成 15%，应达 50%）。
如何修复：
    调整渠道（内容、出价、预算），或者与活动总负责人商定修改目标。
""")
def pacing_behind_target(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A channel's results are behind the pace its target needs.

    What it checks:
        For each channel and target (impressions, clicks, conversions, revenue): the results so far (warm-up
        included) against the target times the share of the campaign elapsed (launch to the last day with data,
        not after the status date). Below 90% of that straight-line pace is reported. Every SMART goal of a
        metric the daily data adds up (new users, revenue, conversions, impressions, clicks, spend) is paced the
        same way from the launch to its deadline, and reported on the goal's target cell.
        A team can change the 90% in its policy file (``thresholds.pacing-tolerance`` in xl-campaign.toml).
    Why it matters:
        The source document's execution group compares results with the daily target every day ("2,000 new
        users today = 80% of the daily target") so that channels can be adjusted while there is time.
    Example:
        Halfway through the campaign, KOL has 30,000 of its 200,000 target impressions (15% vs 50%); the goal of
        10,000 new users has 3,278 after 8 of 16 days (66% of the pace).
    How to fix:
        Adjust the channel (content, bids, budget) or revise the target with the campaign lead.
    """
    yield from _goal_pacing(plan, ctx)
    share = _elapsed_share(plan, ctx, plan.kpi)
    if share is None:
        return
    tolerance = float(ctx.policy.pacing_tolerance)  # behind when below 90% (by default) of the straight-line pace
    fields = ("impressions", "clicks", "conversions", "revenue")
    getters = [attrgetter(f) for f in fields]
    groups: dict[str | None, list[KpiRow]] = defaultdict(list)
    for row in plan.kpi:
        groups[row.channel].append(row)
    totals: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0, 0.0])
    for raw_name, rows in groups.items():
        if not raw_name:
            continue
        merged = totals[raw_name.strip().casefold()]
        for index, get in enumerate(getters):
            merged[index] += float(sum(filter(None, map(get, rows))))
    for channel in plan.channels:
        channel_totals = totals.get((channel.name or "").strip().casefold(), [0.0, 0.0, 0.0, 0.0])
        for index, field in enumerate(fields):
            target_field = f"target_{field}"
            target = getattr(channel, target_field)
            if not target:
                continue
            actual = channel_totals[index]
            expected = float(target) * share
            if actual < tolerance * expected:
                column = S.KPI.column(field)
                yield ctx.finding(ctx.where("channels", channel, target_field),
                                  f"渠道「{channel.name}」{column.zh}已完成目标的 {actual / float(target):.0%}，"
                                  f"按进度应达 {share:.0%}", f'channel "{channel.name}" has {actual / float(target):.0%} '
                                  f"of its {column.en.lower()} target; the pace needs {share:.0%}",
                                  field=target_field, value=actual, expected=f">= {expected:,.0f}",
                                  hint=("调整该渠道的投放，或与总负责人修订目标", "adjust the channel or revise the target"))


@rule("KPI009", "kpi-value-not-a-number", E, "数据不是数字", doc_zh="""
某天的数据无法读成数字。

检查内容：
    「每日数据」工作表中的曝光量、点击量、转化数、销售额、花费和新增用户。
为什么重要：
    这个值不会计入渠道合计、比率和进度。
示例：
    「点击量」写成 ``约1.5k左右`` 或 ``n/a``。
如何修复：
    填写渠道报表中的数字；没有数据时留空。
""")
def kpi_value_not_a_number(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A daily result cannot be read as a number.

    What it checks:
        Impressions, clicks, conversions, revenue, spend and new users of the Daily KPI sheet.
    Why it matters:
        The value is left out of the channel totals, rates and pacing.
    Example:
        点击量 ``约1.5k左右`` or ``n/a``.
    How to fix:
        Type the number from the channel's report; leave the cell empty when there is none.
    """
    for row in plan.kpi:
        for problem in row.problems:
            if problem.kind == P.UNPARSEABLE and problem.field in _VALUES:
                column = S.KPI.column(problem.field)
                yield ctx.finding(ctx.where("kpi", row, problem.field),
                                  f"「{column.zh}」的值 {problem.raw!r} 不是数字",
                                  f'"{column.en}" value {problem.raw!r} is not a number', field=problem.field,
                                  value=problem.raw, expected=("数字", "a number"),
                                  hint=("输入报表中的数字，没有则留空", "type the report's number, or leave it empty"))


def _paced_goals(plan: Plan, ctx: Context) -> list[tuple[Goal, GoalProgress, Pacing]]:
    """Each SMART goal of an additive metric with its pacing on the status date (computed once per run)."""
    if "paced_goals" in ctx.memo:
        return ctx.memo["paced_goals"]  # type: ignore[no-any-return]
    ctx.memo["paced_goals"] = out = _pace_goals(plan, ctx)
    return out


def _pace_goals(plan: Plan, ctx: Context) -> list[tuple[Goal, GoalProgress, Pacing]]:
    launch, end = ctx.launch, ctx.end
    if launch is None or end is None or not plan.goals:
        return []
    total = total_of(plan.kpi)
    out = []
    for goal in plan.goals:
        progress = goal_progress(goal, total, launch, end)
        if progress.metric not in ADDITIVE_METRICS or not progress.target or progress.metric == "spend":
            continue
        pacing = pacing_for(plan, progress.metric, progress.target, "goal", ctx.today, progress.deadline,
                            progress.daily_target)
        if pacing is not None and pacing.measured is not None and pacing.measured >= launch:
            out.append((goal, progress, pacing))
    return out


def _goal_pacing(plan: Plan, ctx: Context) -> Iterator[Finding]:
    for goal, progress, pacing in _paced_goals(plan, ctx):
        pace = pacing.pace
        if pace is None or pace >= ctx.policy.pacing_tolerance:
            continue
        name = progress.text
        yield ctx.finding(ctx.where("goals", goal, "target"),
                          f"目标「{name}」截至 {pacing.measured} 完成 {_n(pacing.actual_to_date)}，按进度应达 "
                          f"{_n(pacing.target_to_date)}（{float(pace):.0%}）",
                          f'goal "{name}" has {_n(pacing.actual_to_date)} by {pacing.measured}; the pace needs '
                          f"{_n(pacing.target_to_date)} ({float(pace):.0%})", field="target",
                          value=float(pacing.actual_to_date), expected=f">= {float(pacing.target_to_date):,.0f}",
                          hint=("调整渠道投放，或与总负责人修订目标", "adjust the channels or revise the goal"))


def _n(value: object) -> str:
    number = float(value)  # type: ignore[arg-type]
    return f"{number:,.0f}" if number == int(number) or abs(number) >= 100 else f"{number:,.2f}"


@rule("KPI010", "daily-target-missed", INFO, "当天未达每日目标", doc_zh="""
最近一天的数据低于该目标的每日目标（执行组每日同步的那句话：“今日新增用户 2,000，完成每日目标的 80%”）。

检查内容：
    每个可按天累加的 SMART 目标（新增用户、销售额、转化数、曝光量、点击量）：状态日期当天或之前最近一个有数据
    的日子，该指标的当天合计与每日目标（目标表中填写的「每日目标」，否则为目标值按上线到截止日期的天数平均）
    相比，低于 100% 即提示。
为什么重要：
    源文档的执行组每天对照每日目标同步进度，以便当天调整渠道；累计进度（KPI008）看得到趋势，当天的缺口要当天
    看到。
示例：
    2024-05-23 新增用户 365，每日目标 625：完成 58%。
如何修复：
    当天调整渠道（内容、出价、预算）；目标本身不合理时，在目标表中修订「每日目标」。
""")
def daily_target_missed(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """The latest day's figure is below the goal's daily target ("2,000 new users today = 80% of the daily
    target").

    What it checks:
        For each SMART goal of a metric that adds up by day (new users, revenue, conversions, impressions,
        clicks): the metric on the last day with numbers on or before the status date against the daily target
        (the goal's *Daily target*, else the target spread evenly from the launch to its deadline). Below 100% is
        reported.
    Why it matters:
        The source's execution group syncs progress against the daily target every day so that channels are
        adjusted the same day; cumulative pacing (KPI008) shows the trend, today's gap should be seen today.
    Example:
        2024-05-23: 365 new users against a daily target of 625: 58%.
    How to fix:
        Adjust the channels the same day (content, bids, budget); if the target is wrong, revise the goal's
        *Daily target*.
    """
    for goal, progress, pacing in _paced_goals(plan, ctx):
        share = pacing.today_share
        if share is None or share >= 1 or pacing.today_value is None or pacing.daily_target is None:
            continue
        name = progress.text
        yield ctx.finding(ctx.where("goals", goal, "daily_target" if goal.daily_target is not None else "target"),
                          f"{pacing.measured} {name} {_n(pacing.today_value)} = 每日目标 {_n(pacing.daily_target)} 的 "
                          f"{float(share):.0%}",
                          f"{pacing.measured}: {name} {_n(pacing.today_value)} = {float(share):.0%} of the daily "
                          f"target {_n(pacing.daily_target)}", field="daily_target",
                          value=float(pacing.today_value), expected=f">= {_n(pacing.daily_target)}",
                          hint=("当天调整渠道投放，或修订每日目标", "adjust the channels today, or revise the daily target"))


@rule("KPI011", "relative-goal-without-baseline", W, "相对目标缺少基线", doc_zh="""
目标写作相对值（如“销售额 +30%”），但没有填写基线，无法算出目标。

检查内容：
    SMART 目标表中目标值写作 ``+30%``、``-10%`` 的行，其「基线」是否已填写。
为什么重要：
    “比上次活动 +30%”要有上次的数字才能算出目标：没有基线，这一目标不计算达成率，也不参与进度跟踪。
示例：
    销售额，目标值 ``+30%``，基线为空。
如何修复：
    在「基线」中填写上次活动（或活动前）的数值，如 800000；目标就是 1,040,000。
""")
def relative_goal_without_baseline(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A goal is typed relative to a baseline ("sales +30%") but has no baseline, so its target is unknown.

    What it checks:
        Rows of the SMART goals whose target is typed as ``+30%`` or ``-10%``: the *Baseline* must be filled.
    Why it matters:
        "+30% on the last campaign" needs the last campaign's number: without it the goal has no target, no
        attainment and no pacing.
    Example:
        Revenue, target ``+30%``, baseline empty.
    How to fix:
        Type the last campaign's (or the pre-campaign) figure as the *Baseline*, e.g. 800000: the target is then
        1,040,000.
    """
    for goal in plan.goals:
        problem = goal.problem_for("target")
        if problem is None or problem.kind != P.RELATIVE_TARGET or goal.baseline is not None:
            continue
        where = ctx.where("goals", goal, "baseline")
        if where is None or where[2] is None:
            where = ctx.where("goals", goal, "target")
        yield ctx.finding(where, f"目标「{goal.metric or ''}」写作 {problem.raw!r}，但没有基线，无法计算目标值",
                          f'goal "{goal.metric or ""}" is {problem.raw!r} but has no baseline to compute it from',
                          field="baseline", value=problem.raw,
                          hint=("在「基线」中填写上次活动或活动前的数值", "type the last campaign's figure as the Baseline"))
