"""BUD: budget and the contingency reserve (10%–15%, SEED.md), amounts, categories and the channel split."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation

from .. import parse as P
from .. import spec as S
from ..budget import budget_totals
from ..findings import Finding, Severity
from ..model import BudgetLine, Channel, Plan
from ..policy import band, percent
from ..vocab import CATEGORY
from .context import Context
from .registry import rule

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
SUM_TOLERANCE = Decimal("0.005")


def _reserve_where(plan: Plan, ctx: Context) -> object:
    for line in plan.budget:
        if line.category == "reserve":
            return ctx.where("budget", line, "planned")
    return ctx.overview_where("total_budget")


@rule("BUD001", "reserve-below-floor", W, "应急资金低于 10%", doc_zh="""
应急资金低于总预算的 10%。

检查内容：
    应急资金行（类别为「应急资金」）的预算金额占总预算的比例（总预算取「活动概览」中的总预算，未填则为各
    预算行加应急资金之和）。没有应急资金行的预算，应急资金比例为 0%。
    团队可在策略文件 xl-campaign.toml 的 ``thresholds.reserve-range`` 中修改此范围。
为什么重要：
    源文档为意外情况预留 10%–15%（某个渠道效果超出预期需要追加、物料重印、物流出问题）；低于这个比例，一
    次意外就会挤占其他预算项的钱。
示例：
    总预算 500,000，应急资金 30,000：6%。
如何修复：
    从其他预算项中调出资金，把应急资金提高到总预算的 10%–15%。
""")
def reserve_below_floor(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """The contingency reserve (应急资金) is below 10% of the total budget.

    What it checks:
        The planned amount of the reserve lines (category 应急资金) over the total budget (the Overview's
        total, else the lines plus the reserve). A budget without a reserve line has a 0% reserve.
        A team can change the range in its policy file (``thresholds.reserve-range`` in xl-campaign.toml).
    Why it matters:
        The source document keeps 10%–15% for the unexpected (a channel that over-delivers, a reprint, a
        logistics problem); below that one surprise eats another line's money.
    Example:
        Total 500,000 with a reserve of 30,000: 6%.
    How to fix:
        Raise the reserve line to 10%–15% of the total, taking the money from the other lines.
    """
    if not plan.budget:
        return
    totals = budget_totals(plan)
    rate = totals.reserve_rate
    low, high = ctx.policy.reserve_min, ctx.policy.reserve_max
    if rate is not None and rate < low:
        yield ctx.finding(_reserve_where(plan, ctx),  # type: ignore[arg-type]
                          f"应急资金 {ctx.money(totals.reserve)} 仅占总预算 {ctx.money(totals.total_budget)} 的 "
                          f"{ctx.pct(rate)}（应为 {band(low, high)}）",
                          f"the reserve {ctx.money(totals.reserve)} is {ctx.pct(rate)} of the total budget "
                          f"{ctx.money(totals.total_budget)} ({band(low, high)} expected)", field="planned",
                          value=float(rate), expected=f"{percent(low)}..{percent(high)}",
                          hint=(f"应急资金至少 {ctx.money(totals.total_budget * low)}",
                                f"keep at least {ctx.money(totals.total_budget * low)} in reserve"))


@rule("BUD002", "reserve-above-ceiling", W, "应急资金高于 15%", doc_zh="""
应急资金高于总预算的 15%。

检查内容：
    应急资金占总预算的比例，计算方法同 BUD001。
    团队可在策略文件 xl-campaign.toml 的 ``thresholds.reserve-range`` 中修改此范围。
为什么重要：
    留在应急资金里的钱没有发挥作用：超过 15% 时，渠道和奖励的投入就不足了。
示例：
    总预算 500,000，应急资金 100,000：20%。
如何修复：
    把多出的部分转给能带来效果的预算项（通常是渠道）。
""")
def reserve_above_ceiling(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """The contingency reserve is above 15% of the total budget.

    What it checks:
        The reserve's share of the total budget, as in BUD001.
        A team can change the range in its policy file (``thresholds.reserve-range`` in xl-campaign.toml).
    Why it matters:
        Money parked in the reserve is not working: above 15% the channels and rewards are underfunded.
    Example:
        Total 500,000 with a reserve of 100,000: 20%.
    How to fix:
        Move the excess to the lines that drive results (usually channels).
    """
    if not plan.budget:
        return
    totals = budget_totals(plan)
    rate = totals.reserve_rate
    low, high = ctx.policy.reserve_min, ctx.policy.reserve_max
    if rate is not None and rate > high:
        yield ctx.finding(_reserve_where(plan, ctx),  # type: ignore[arg-type]
                          f"应急资金 {ctx.money(totals.reserve)} 占总预算的 {ctx.pct(rate)}（应为 {band(low, high)}）",
                          f"the reserve {ctx.money(totals.reserve)} is {ctx.pct(rate)} of the total budget "
                          f"({band(low, high)} expected)", field="planned", value=float(rate),
                          expected=f"{percent(low)}..{percent(high)}",
                          hint=(f"应急资金不超过 {ctx.money(totals.total_budget * high)}",
                                f"keep at most {ctx.money(totals.total_budget * high)} in reserve"))


@rule("BUD003", "amount-not-a-number", E, "金额不是数字", doc_zh="""
预算金额（预算金额、实际金额、总预算）无法读成数字。

检查内容：
    「预算」工作表的「预算金额」和「实际金额」列，以及「活动概览」中的「总预算」。带千位分隔符、货币符号
    或“万”的数字都能识别（以文本存储的，由 WB006 报告）。
为什么重要：
    这笔金额不会计入任何合计：预算看起来比实际的少。
示例：
    「预算金额」写成 ``待定`` 或 ``约5万左右``。
如何修复：
    输入纯数字；说明性的文字写在「备注」列。
""")
def amount_not_a_number(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A budget amount (planned, actual, total budget) cannot be read as a number.

    What it checks:
        The Planned and Actual columns of the Budget sheet and the Overview's total budget. Numbers with
        separators, currency signs or 万 are understood (and reported by WB006 when stored as text).
    Why it matters:
        The amount is left out of every total: the budget looks smaller than it is.
    Example:
        预算金额 ``待定`` or ``约5万左右``.
    How to fix:
        Type a plain number; use the note column for remarks.
    """
    for line in plan.budget:
        for problem in line.problems:
            if problem.kind == P.UNPARSEABLE and problem.field in ("planned", "actual"):
                column = S.BUDGET.column(problem.field)
                yield ctx.finding(ctx.where("budget", line, problem.field),
                                  f"「{column.zh}」的值 {problem.raw!r} 不是数字",
                                  f'"{column.en}" value {problem.raw!r} is not a number', field=problem.field,
                                  value=problem.raw, expected=("金额", "an amount"),
                                  hint=("输入纯数字，备注写在备注列", "type a plain number; remarks go in the note"))
    total_problem = plan.overview.problem_for("total_budget")
    if total_problem is not None and total_problem.kind == P.UNPARSEABLE:
        yield ctx.finding(ctx.overview_where("total_budget"), f"总预算 {total_problem.raw!r} 不是数字",
                          f"the total budget {total_problem.raw!r} is not a number", field="total_budget",
                          value=total_problem.raw, hint=("输入纯数字", "type a plain number"))


@rule("BUD004", "negative-amount", E, "金额为负数", doc_zh="""
预算金额或实际金额为负数。

检查内容：
    每个预算项的「预算金额」和「实际金额」，以及总预算。
为什么重要：
    负数行会悄悄拉低合计；退款和折扣应写在备注里，或者作为其他类别下单独的一行正数。
示例：
    「实际金额」为 ``-3,000``（把退款当作负成本录入）。
如何修复：
    填写净额，或者在备注中说明退款。
""")
def negative_amount(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A planned or actual amount is negative.

    What it checks:
        Planned and Actual of every budget line, and the total budget.
    Why it matters:
        A negative line silently lowers the totals; refunds and discounts belong in a note or their own
        positive line of another category.
    Example:
        实际金额 ``-3,000`` (a refund typed as a negative cost).
    How to fix:
        Type the net amount, or explain the refund in the note.
    """
    for line in plan.budget:
        for field in ("planned", "actual"):
            value = getattr(line, field)
            if value is not None and value < 0:
                column = S.BUDGET.column(field)
                yield ctx.finding(ctx.where("budget", line, field), f"「{column.zh}」为负数：{ctx.money(value)}",
                                  f'"{column.en}" is negative: {ctx.money(value)}', field=field, value=value,
                                  expected=">= 0", hint=("输入净额，退款写在备注中", "type the net amount; note refunds"))
    total = plan.overview.total_budget
    if total is not None and total < 0:
        yield ctx.finding(ctx.overview_where("total_budget"), f"总预算为负数：{ctx.money(total)}",
                          f"the total budget is negative: {ctx.money(total)}", field="total_budget", value=total,
                          expected=">= 0", hint=("更正总预算", "correct the total budget"))


@rule("BUD005", "unknown-budget-category", E, "未知的预算类别", doc_zh="""
预算行的类别不在预算类别之中。

检查内容：
    「类别」列与以下类别比对：人力、物料、渠道、奖励、其他和应急资金（中文或英文，以及“投放”“备用金”等常
    见别名）。
为什么重要：
    这一行会被算作“其他”；而写成 ``备用`` 或 ``预留`` 的应急资金根本不会被算作应急资金，应急资金比例因此
    出错。
示例：
    类别 ``宣传``（不是预算类别），或者把应急资金写成 ``应急``（能识别，但会提示）。
如何修复：
    从单元格的下拉列表中选择类别。
""")
def unknown_budget_category(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A budget line's category is not one of the budget categories.

    What it checks:
        The Category column against 人力 personnel, 物料 materials, 渠道 channels, 奖励 rewards, 其他 other and
        应急资金 reserve (zh or en, and common aliases such as 投放 or 备用金).
    Why it matters:
        The line is counted under "other", and a reserve typed as ``备用``/``预留`` is not counted as reserve at
        all, so the reserve rate is wrong.
    Example:
        类别 ``宣传`` (not a category) or ``应急`` for the reserve (understood, but reported).
    How to fix:
        Pick the category from the cell's dropdown.
    """
    labels = ctx.people(CATEGORY.labels(ctx.lang))
    for line in plan.budget:
        problem = line.problem_for("category")
        if problem is None or problem.kind != P.UNKNOWN_CHOICE:
            continue
        suggestion = problem.detail if problem.detail in CATEGORY.keys() else None
        if suggestion:
            label = CATEGORY.label(suggestion, ctx.lang)
            severity = Severity.WARNING if line.category else None
            yield ctx.finding(ctx.where("budget", line, "category"),
                              f"预算类别 {problem.raw!r} 不是可选值；是否应为「{CATEGORY.label(suggestion, 'zh')}」？",
                              f'budget category {problem.raw!r} is not a category; did you mean '
                              f'"{CATEGORY.label(suggestion, "en")}"?', field="category", value=problem.raw,
                              expected=label, severity=severity,
                              hint=(f"改为「{CATEGORY.label(suggestion, 'zh')}」", f'change it to "{CATEGORY.label(suggestion, "en")}"'))
        else:
            yield ctx.finding(ctx.where("budget", line, "category"),
                              f"预算类别 {problem.raw!r} 不是可选值（可选：{labels}），按“其他”计算",
                              f"budget category {problem.raw!r} is not a category (one of: {labels}); counted as other",
                              field="category", value=problem.raw, expected=labels,
                              hint=("从下拉列表中选择类别", "pick a category from the dropdown"))


def _channel_key(name: str | None) -> str:
    return (name or "").strip().casefold()


@rule("BUD006", "channel-split-mismatch", W, "渠道预算分配与目标占比不符", doc_zh="""
各渠道的预算行没有按照渠道的目标占比分配。

检查内容：
    渠道类预算行（类别为「渠道」）的预算金额，按其「渠道」列分组，计算在全部渠道预算中的占比，再与「渠道
    」工作表中各渠道的「目标预算占比」比较（相差超过 2 个百分点即报告）。
    团队可在策略文件 xl-campaign.toml 的 ``thresholds.channel-share-tolerance`` 中修改2 个百分点（以及 `channel-split`：渠道表未填目标占比时团队的渠道分配）。
为什么重要：
    渠道分配体现了计划对效果来源的判断（源文档的例子：短视频 60%，KOL 30%）；预算不按它分配，就等于悄悄
    改变了策略。
示例：
    短视频的目标占比为 60%，但 250,000 的渠道预算中只给它安排了 100,000（40%）。
如何修复：
    在各渠道预算行之间调整资金；如果策略确实变了，就修改目标占比。
""")
def channel_split_mismatch(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """The channel budget lines do not follow the channels' target shares.

    What it checks:
        The planned amounts of the channel lines (category 渠道), grouped by their 渠道 column, as a share of all
        channel lines, against each channel's 目标预算占比 on the Channels sheet (more than 2 percentage points
        apart is reported).
        A team can change the two points (and `channel-split`, the team's split for channels without a target share) in its policy file (``thresholds.channel-share-tolerance`` in xl-campaign.toml).
    Why it matters:
        The split is the plan's bet on where results come from (the source's example: 60% short video, 30%
        KOL); a budget that does not follow it quietly changes the strategy.
    Example:
        Target 60% short video, but 100,000 of 250,000 channel budget (40%) planned for it.
    How to fix:
        Move money between the channel lines, or change the target shares if the strategy changed.
    """
    # key -> (name, target share, its Channels row or None, whether the target is the team policy's)
    targets: dict[str, tuple[str, Decimal, Channel | None, bool]] = {
        _channel_key(c.name): (c.name, c.share, c, False) for c in plan.channels if c.name and c.share is not None}
    listed = {_channel_key(c.name): c for c in plan.channels if c.name}
    for name, share in ctx.policy.channel_split:  # the team's split, for channels the sheet gives no share
        key = _channel_key(name)
        if key not in targets:
            row = listed.get(key)
            targets[key] = (row.name if row is not None and row.name else name, share, row, True)
    if not targets:
        return
    planned: dict[str, Decimal] = defaultdict(Decimal)
    first_line: dict[str, BudgetLine] = {}
    for line in plan.budget:
        if line.category == "channels" and line.planned is not None and line.channel:
            planned[_channel_key(line.channel)] += line.planned
            first_line.setdefault(_channel_key(line.channel), line)
    total = sum(planned.values(), Decimal(0))
    if total <= 0:
        return
    for key, (name, target, row, from_policy) in targets.items():
        if row is None and key not in first_line:
            continue  # a channel of the team's split that this campaign does not use
        share = planned.get(key, Decimal(0)) / total
        if abs(share - target) > ctx.policy.channel_share_tolerance:
            where = ctx.where("channels", row, "share") if row is not None else \
                ctx.where("budget", first_line[key], "planned")
            source = ctx.t("（团队策略）", " (team policy)") if from_policy else ""
            yield ctx.finding(where,
                              f"渠道「{name}」的预算占渠道预算的 {ctx.pct(share)}，目标占比为 {ctx.pct(target)}{source}",
                              f'channel "{name}" gets {ctx.pct(share)} of the channel budget; its target '
                              f"share is {ctx.pct(target)}{source}", field="share", value=float(share),
                              expected=ctx.pct(target),
                              hint=("调整渠道预算行，或更新目标占比", "adjust the channel lines or the target share"))


@rule("BUD007", "channel-shares-not-100", W, "渠道目标占比合计不是 100%", doc_zh="""
各渠道的目标预算占比加起来不是 100%。

检查内容：
    「渠道」工作表中「目标预算占比」的总和（允许 0.5 个百分点的舍入误差）。
为什么重要：
    加起来是 90% 或 120% 的占比构不成分配方案；BUD006 也无法据此比较预算。
示例：
    短视频 60%、KOL 30%、公众号 20%：合计 110%。
如何修复：
    修改各项占比，使合计为 100%。
""")
def channel_shares_not_100(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """The channels' target budget shares do not add up to 100%.

    What it checks:
        The sum of 目标预算占比 over the Channels sheet (half a percentage point of rounding is accepted).
    Why it matters:
        Shares that add up to 90% or 120% are not a split; BUD006 cannot compare the budget with them.
    Example:
        短视频 60%, KOL 30%, 公众号 20%: 110%.
    How to fix:
        Correct the shares so that they add up to 100%.
    """
    shares = [c for c in plan.channels if c.share is not None]
    if not shares:
        return
    total = sum((c.share for c in shares if c.share is not None), Decimal(0))
    if abs(total - 1) > SUM_TOLERANCE:
        yield ctx.finding(ctx.where("channels", shares[0], "share"),
                          f"渠道目标预算占比合计为 {ctx.pct(total)}，应为 100%",
                          f"the channels' target shares add up to {ctx.pct(total)}, not 100%", field="share",
                          value=float(total), expected="100%",
                          hint=("调整各渠道占比使合计为 100%", "make the shares add up to 100%"))


@rule("BUD008", "budget-over-allocated", E, "预算超出总额", doc_zh="""
各预算行加上应急资金，超出了总预算。

检查内容：
    所有预算行（含应急资金）的预算金额之和，与「活动概览」中的总预算比较。
为什么重要：
    计划花的是活动并没有的钱；等发票到了，超支才会暴露出来。
示例：
    总预算 500,000；各预算行 460,000 加应急资金 60,000 = 520,000。
如何修复：
    削减预算行（不是应急资金），直到不超出为止，或者申请提高总预算。
""")
def budget_over_allocated(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """The planned lines plus the reserve exceed the total budget.

    What it checks:
        Sum of all planned lines (reserve included) against the Overview's total budget.
    Why it matters:
        The plan spends money the campaign does not have; the overrun surfaces when the invoices arrive.
    Example:
        Total 500,000; lines 460,000 plus reserve 60,000 = 520,000.
    How to fix:
        Cut lines (not the reserve) until they fit, or get the total budget raised.
    """
    totals = budget_totals(plan)
    if not totals.total_from_overview or not plan.budget:
        return
    if totals.unallocated < 0:
        planned = totals.lines_planned + totals.reserve
        yield ctx.finding(ctx.overview_where("total_budget"),
                          f"预算行与应急资金合计 {ctx.money(planned)}，超出总预算 {ctx.money(totals.total_budget)} "
                          f"{ctx.money(-totals.unallocated)}",
                          f"budget lines plus reserve ({ctx.money(planned)}) exceed the total budget "
                          f"({ctx.money(totals.total_budget)}) by {ctx.money(-totals.unallocated)}",
                          field="total_budget", value=float(planned), expected=f"<= {totals.total_budget}",
                          hint=("削减预算行或申请增加总预算", "cut lines or raise the total budget"))


@rule("BUD009", "actual-over-planned", W, "实际花费超出预算", doc_zh="""
预算项的实际花费超出了预算金额。

检查内容：
    每个预算项的「实际金额」是否大于「预算金额」。
为什么重要：
    超支部分必须由应急资金或其他预算项来弥补，这需要有人拍板。
示例：
    KOL合作 预算 75,000，实际 82,000。
如何修复：
    批准动用应急资金弥补超支（调低应急资金行、调高本行），或者停止这项花费。
""")
def actual_over_planned(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A budget line's actual spend exceeds its planned amount.

    What it checks:
        Actual > Planned on every budget line.
    Why it matters:
        An overrun must be covered from the reserve or another line, and someone should decide that.
    Example:
        KOL合作 planned 75,000, actual 82,000.
    How to fix:
        Approve the overrun against the reserve (lower the reserve line, raise this one) or stop the spend.
    """
    for line in plan.budget:
        if line.planned is not None and line.actual is not None and line.actual > line.planned:
            over = line.actual - line.planned
            yield ctx.finding(ctx.where("budget", line, "actual"),
                              f"「{line.item or ''}」实际花费 {ctx.money(line.actual)} 超出预算 {ctx.money(line.planned)}"
                              f"（超 {ctx.money(over)}）", f'"{line.item or ""}" spent {ctx.money(line.actual)}, '
                              f"{ctx.money(over)} over its plan of {ctx.money(line.planned)}", field="actual",
                              value=line.actual, expected=f"<= {line.planned}",
                              hint=("从应急资金中调拨并更新预算，或停止花费", "cover it from the reserve or stop the spend"))


def _computed(plan: Plan) -> dict[str, Decimal | None]:
    totals = budget_totals(plan)
    return {"Budget_LinesTotal": totals.lines_planned, "Budget_Reserve": totals.reserve,
            "Budget_ReserveRate": totals.reserve_rate, "Budget_TotalBudget": totals.total_budget,
            "Budget_Remaining": totals.unallocated}


def typed_total_difference(plan: Plan, name: str) -> tuple[Decimal, Decimal] | None:
    """(typed, computed) when the Budget summary cell ``name`` holds a typed number that differs from the
    computed total; None otherwise (a formula, the same number, or nothing)."""
    typed = plan.computed_values.get(name)
    computed = _computed(plan).get(name)
    if computed is None or isinstance(typed, bool) or not isinstance(typed, int | float | Decimal | str):
        return None
    try:
        typed_dec = Decimal(str(typed).replace(",", "")) if isinstance(typed, str) else Decimal(repr(typed)) \
            if isinstance(typed, float) else Decimal(typed)
    except InvalidOperation:
        return None
    tolerance = Decimal("0.0001") if name == "Budget_ReserveRate" else Decimal("0.005")
    if abs(typed_dec - computed) > tolerance:
        return typed_dec, computed
    return None


@rule("BUD010", "typed-total-differs", E, "手填合计与计算结果不符", doc_zh="""
预算汇总中的某个合计是手填的数字，且与计算结果不一致。

检查内容：
    模板中的预算汇总单元格（预算行合计、应急资金、应急资金比例、总预算、未分配——即 ``Budget_*`` 名称）里
    存放的是数字而不是公式时，与根据各预算行算出的合计比较。
为什么重要：
    有人覆盖了公式：工作表显示的合计已经和各行对不上，大家却在用错误的数字做决定。
示例：
    「合计（不含应急资金）」手填为 420,000，而各预算行加起来是 440,000。
如何修复：
    恢复公式（或者运行「校验并更新」，它会重写模板的公式）。
""")
def typed_total_differs(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A Budget summary total holds a typed number that differs from the computed one.

    What it checks:
        The template's Budget summary cells (lines total, reserve, reserve rate, total budget, unallocated —
        the ``Budget_*`` names) that hold a number instead of their formula, compared with the totals computed
        from the budget lines.
    Why it matters:
        Someone overwrote a formula: the sheet shows a total that no longer matches its lines, and decisions
        are made on the wrong number.
    Example:
        合计（不含应急资金） typed as 420,000 while the lines add up to 440,000.
    How to fix:
        Restore the formula (or run *Check & Update*, which rewrites the template's formulas).
    """
    for note in plan.cell_notes:
        if note.kind != "constant" or not note.value.startswith("Budget_"):
            continue
        diff = typed_total_difference(plan, note.value)
        if diff is None:
            continue
        typed, computed = diff
        label = next(((zh, en) for key, zh, en in S.BUDGET_SUMMARY_ROWS if f"Budget_{key}" == note.value),
                     (note.value, note.value))
        show = ctx.pct if note.value == "Budget_ReserveRate" else ctx.money
        yield ctx.finding((note.sheet, note.row, note.col),
                          f"「{label[0]}」是手填的 {show(typed)}，按预算行计算应为 {show(computed)}",
                          f'"{label[1]}" is a typed {show(typed)}; the budget lines give {show(computed)}',
                          field=note.value, value=float(typed), expected=show(computed),
                          hint=("恢复公式，或运行“校验并更新”", "restore the formula, or run Check & Update"))


@rule("BUD011", "budget-channel-unknown", W, "预算行的渠道不在渠道表中", doc_zh="""
渠道类预算行写的渠道不在「渠道」工作表中。

检查内容：
    预算行的「渠道」列，与「渠道」工作表中的渠道名称比对。
为什么重要：
    这一行不会计入渠道分配（BUD006），也不会计入各渠道的 ROI。
示例：
    「渠道」写成 ``抖音``，而「渠道」工作表中叫 ``短视频平台``。
如何修复：
    使用「渠道」工作表中的渠道名称（下拉列表中有），或者在那里添加该渠道。
""")
def budget_channel_unknown(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A channel budget line names a channel that is not on the Channels sheet.

    What it checks:
        The 渠道 column of budget lines against the channel names of the Channels sheet.
    Why it matters:
        The line is left out of the channel split (BUD006) and of ROI by channel.
    Example:
        渠道 ``抖音`` while the Channels sheet calls it ``短视频平台``.
    How to fix:
        Use the channel's name from the Channels sheet (the dropdown lists them), or add the channel there.
    """
    names = ctx.channel_names
    if not names:
        return
    for line in plan.budget:
        if line.channel and _channel_key(line.channel) not in names:
            yield ctx.finding(ctx.where("budget", line, "channel"), f"渠道「{line.channel}」不在渠道表中",
                              f'channel "{line.channel}" is not on the Channels sheet', field="channel",
                              value=line.channel, expected=ctx.people(sorted(c.name or "" for c in plan.channels)),
                              hint=("使用渠道表中的名称，或在渠道表中添加", "use a name from the Channels sheet or add it"))


@rule("BUD012", "budget-under-allocated", W, "预算未分配完", doc_zh="""
预算行与应急资金的合计少于总预算：有一部分钱没有落到任何预算行上。

检查内容：
    所有预算行（含应急资金行）的计划金额合计，与活动概览中的总预算比较；少于总预算即报告，并给出差额。
为什么重要：
    没有落到预算行的钱，没有人负责，也不在应急资金里：超支时没人知道还能动用它；汇总表和应急资金比例都按
    预算行计算，这部分钱是看不见的。
示例：
    总预算 500,000；预算行 380,000 加应急资金 60,000，共 440,000，差 60,000。
如何修复：
    把差额分配到具体的预算行（或应急资金行），或者把总预算改为实际计划的金额。
""")
def budget_under_allocated(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """The planned lines plus the reserve fall short of the total budget.

    What it checks:
        Sum of all planned lines (reserve included) against the Overview's total budget; a shortfall is reported
        with the gap.
    Why it matters:
        Money that is in no line has no owner and is not in the reserve: nobody knows it can be drawn on, and the
        Summary and the reserve rate, computed from the lines, do not show it.
    Example:
        Total 500,000; lines 380,000 plus reserve 60,000 = 440,000, 60,000 short.
    How to fix:
        Put the gap into budget lines (or the reserve line), or set the total budget to what is planned.
    """
    totals = budget_totals(plan)
    if not totals.total_from_overview or not plan.budget:
        return
    if totals.unallocated > 0:
        planned = totals.lines_planned + totals.reserve
        yield ctx.finding(ctx.overview_where("total_budget"),
                          f"预算行与应急资金合计 {ctx.money(planned)}，比总预算 {ctx.money(totals.total_budget)} "
                          f"少 {ctx.money(totals.unallocated)}（未分配）",
                          f"budget lines plus reserve ({ctx.money(planned)}) fall {ctx.money(totals.unallocated)} "
                          f"short of the total budget ({ctx.money(totals.total_budget)}): unallocated",
                          field="total_budget", value=float(planned), expected=f"= {totals.total_budget}",
                          hint=(f"把 {ctx.money(totals.unallocated)} 分配到预算行，或把总预算改为 {ctx.money(planned)}",
                                f"put {ctx.money(totals.unallocated)} into budget lines, or type {ctx.money(planned)} "
                                "as the total budget"))
