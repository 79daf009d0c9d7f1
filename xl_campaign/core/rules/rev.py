"""REV: the review (stage 4) — problems with a responsible party, a fix and a date; a review actually written
after the campaign; touchpoint metrics that can be read."""

from __future__ import annotations

from collections.abc import Iterator

from .. import spec as S
from ..findings import Finding, Severity
from ..model import Plan
from .context import Context
from .registry import rule

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

_NEEDED = (("owner", "责任人", "who fixes it"), ("improvement", "改进措施", "what is done next time"),
           ("due", "完成时间", "by when"))


@rule("REV001", "review-item-incomplete", W, "复盘问题缺少责任人、改进措施或完成时间", doc_zh="""
复盘表中的问题没有责任人、改进措施或完成时间。

检查内容：
    「复盘」表中每个写了「问题」的行：「责任人」「改进措施」「完成时间」都要填写；缺哪一项就在哪个单元格报告。
为什么重要：
    源文档的复盘要求每个问题都有负责方和改进办法（“物流延迟导致奖品发放延迟 → 下次提前与物流确认时效”）。
    没人负责、没有措施、没有期限的问题，下一次活动会再发生一次。
示例：
    问题“部分地区物流延迟”，责任人为空。
如何修复：
    填上负责改进的人（团队表中的姓名）、具体的改进措施和完成时间。
""")
def review_item_incomplete(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A problem in the review has no responsible party, no fix or no due date.

    What it checks:
        Every row of the Review table with a *Problem*: its *Owner*, *Improvement* and *Due* must be filled; each
        missing one is reported at its cell.
    Why it matters:
        The source's review gives each problem a responsible party and a fix ("logistics delay in one region
        delayed prize delivery → confirm lead times with the carrier next time"). A problem nobody owns, with
        no fix and no date, happens again in the next campaign.
    Example:
        Problem "logistics delay in one region" with the owner left empty.
    How to fix:
        Fill in who fixes it (a name from the Team sheet), the concrete improvement and the date it is due.
    """
    for item in plan.review:
        if not item.problem:
            continue
        for field, zh, en in _NEEDED:
            value = getattr(item, field)
            if value or item.problem_for(field) is not None:
                continue
            header = S.REVIEW.column(field)
            yield ctx.finding(ctx.where("review", item, field),
                              f"复盘问题「{item.problem}」没有{header.zh}", f'review problem "{item.problem}" has no '
                              f"{header.en.lower()} ({en})", field=field, expected=header.header(ctx.lang),
                              hint=(f"填写「{zh}」", f'fill in "{header.en}"'))


@rule("REV002", "review-missing-after-window", W, "复盘期已过仍未填写复盘", doc_zh="""
复盘期（活动结束后一周）已经过去，复盘表仍是空的。

检查内容：
    状态日期晚于复盘时间窗的最后一天（活动结束后 7 天，节假日顺延）时，「复盘」表中至少要有一个问题。
为什么重要：
    源文档的第四阶段在活动结束一周内完成：目标与实际对比、渠道 ROI、高转化触点、问题与改进，并沉淀到知识库。
    过了这一周还没写，数字和教训就散了。
示例：
    活动 2024-05-31 结束，状态日期 2024-06-12，复盘表没有任何行。
如何修复：
    在「复盘」表中写下问题、原因、责任人、改进措施和完成时间，再用 ``xl-campaign review`` 生成复盘文档。
""")
def review_missing_after_window(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """The review window (a week after the end) has passed and the review is still empty.

    What it checks:
        When the status date is after the last day of the review window (7 days after the end date, holidays
        stepped over), the Review table must hold at least one problem.
    Why it matters:
        The source's stage 4 is done within a week of the end: target vs actual, ROI per channel, the best
        touchpoints, problems with fixes, all kept in a knowledge base. A week later the numbers and lessons are
        scattered.
    Example:
        The campaign ended 2024-05-31, the status date is 2024-06-12, the Review table has no row.
    How to fix:
        Write the problems, causes, owners, improvements and due dates into the Review table, then write the
        review document with ``xl-campaign review``.
    """
    windows = ctx.windows
    if windows is None or ctx.today <= windows["review"].end or any(item.problem for item in plan.review):
        return
    info = plan.tables.get("review")
    where = (info.sheet, info.header_row + 1, 1) if info is not None else ctx.overview_where("end")
    last = windows["review"].end
    yield ctx.finding(where, f"复盘期已于 {last} 结束（状态日期 {ctx.today}），复盘表仍为空",
                      f"the review window ended {last} (status date {ctx.today}) and the review is still empty",
                      field="problem", expected=f"<= {last}",
                      hint=("填写复盘问题与改进措施，再运行 xl-campaign review 生成复盘文档",
                            "write the problems and fixes, then run xl-campaign review for the document"))


@rule("REV003", "touchpoint-metric-not-a-number", W, "触点指标不是数字", doc_zh="""
触点表中自定义指标列的值不是数字。

检查内容：
    「触点」表中除触点、渠道、备注以外的每一列都是用户自己的指标（访问量、分享率 …）；其中的值必须是数字，
    比率可写作 15% 或 0.15。
为什么重要：
    不是数字的值无法比较：复盘文档里“分享率最高的触点”会漏掉它。
示例：
    分享率写作 ``约一成五``。
如何修复：
    输入数字，比率如 ``15%``。
""")
def touchpoint_metric_not_a_number(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A value in a touchpoint's own metric column is not a number.

    What it checks:
        Every column of the Touchpoints table other than touchpoint, channel and note is a metric of the
        user's own (visits, share rate …); its values must be numbers, rates as 15% or 0.15.
    Why it matters:
        A value that is not a number cannot be compared: the review document's "highest share rate" leaves the
        touchpoint out.
    Example:
        Share rate typed as ``about fifteen``.
    How to fix:
        Type the number; rates as ``15%``.
    """
    info = plan.tables.get("touchpoints")
    if info is None:
        return
    for touchpoint in plan.touchpoints:
        for header, raw, col in touchpoint.unread:
            yield ctx.finding((info.sheet, touchpoint.row, col),
                              f"触点「{touchpoint.name or ''}」的「{header}」值 {raw!r} 不是数字",
                              f'touchpoint "{touchpoint.name or ""}": "{header}" value {raw!r} is not a number',
                              field=header, value=raw, expected=ctx.t("数字，比率如 15%", "a number, rates as 15%"),
                              hint=("输入数字，比率如 15%", "type a number, rates as 15%"))
