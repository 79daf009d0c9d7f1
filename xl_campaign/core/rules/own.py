"""OWN: ownership — every task, material and budget line has one accountable person who is on the team."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date, timedelta

from ..findings import Finding, Severity
from ..model import Plan
from ..text import t
from .context import Context
from .registry import rule

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO
OVERLAP_LIMIT = 3  # tasks owned at the same time that make a person "overloaded"

_OWNED = (("tasks", "任务", "task"), ("materials", "物料", "material"), ("budget", "预算项", "budget line"))


def _missing_owner(plan: Plan, ctx: Context, key: str, zh: str, en: str) -> Iterator[Finding]:
    info = plan.tables.get(key)
    if info is None or "owner" not in info.columns:
        return  # the missing column is WB003
    for record in plan.records(key):
        if not record.owner and record.problem_for("owner") is None:
            name = ctx.task_label(record) if key == "tasks" else (getattr(record, "name", None)
                                                                    or getattr(record, "item", None) or "")
            yield ctx.finding(ctx.where(key, record, "owner"), f"{zh} {name} 没有负责人",
                              f"{en} {name} has no owner".replace("  ", " "), field="owner",
                              expected=("团队中的一位成员", "one person from the Team sheet"),
                              hint=("填写一位负责人（团队表中的姓名）", "name one owner from the Team sheet"))


@rule("OWN001", "task-without-owner", E, "任务没有负责人", doc_zh="""
任务没有负责人。

检查内容：
    每一行任务的「负责人」单元格。
为什么重要：
    没人负责的工作，就是没人去做的工作；源模板的第一条规矩就是每个任务有一位负责人。
示例：
    ``T07 预热内容发布`` 的「负责人」为空。
如何修复：
    填写「团队」工作表中的一位成员。
""")
def task_without_owner(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A task has no owner.

    What it checks:
        The Owner (负责人) cell of every task row.
    Why it matters:
        Work nobody owns is work nobody does; the source template's first rule is one owner per task.
    Example:
        ``T07 预热内容发布`` with 负责人 empty.
    How to fix:
        Name one person from the Team sheet.
    """
    yield from _missing_owner(plan, ctx, "tasks", "任务", "task")


@rule("OWN002", "material-without-owner", E, "物料没有负责人", doc_zh="""
物料没有负责人。

检查内容：
    「物料」工作表每一行的「负责人」单元格。
为什么重要：
    没有负责人的海报、视频和礼品，是活动上线前最常见的临时意外。
示例：
    ``线下展架`` 的「负责人」为空。
如何修复：
    填写「团队」工作表中的一位成员。
""")
def material_without_owner(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A material has no owner.

    What it checks:
        The Owner cell of every row of the Materials sheet.
    Why it matters:
        Posters, videos and gifts without an owner are the classic last-minute surprise of a launch.
    Example:
        ``线下展架`` with 负责人 empty.
    How to fix:
        Name one person from the Team sheet.
    """
    yield from _missing_owner(plan, ctx, "materials", "物料", "material")


@rule("OWN003", "budget-line-without-owner", E, "预算项没有负责人", doc_zh="""
预算项没有负责人。

检查内容：
    「预算」工作表每一行（包括应急资金）的「负责人」单元格。
为什么重要：
    每笔花费都需要有人审批，并对实际支出负责。
示例：
    ``KOL合作 75,000`` 的「负责人」为空。
如何修复：
    填写审批这笔花费的人。
""")
def budget_line_without_owner(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A budget line has no owner.

    What it checks:
        The Owner cell of every row of the Budget sheet (the reserve included).
    Why it matters:
        Spend needs someone who approves it and answers for the actuals.
    Example:
        ``KOL合作 75,000`` with 负责人 empty.
    How to fix:
        Name the person who approves this spend.
    """
    yield from _missing_owner(plan, ctx, "budget", "预算项", "budget line")


@rule("OWN004", "owner-not-on-team", W, "负责人不在团队表中", doc_zh="""
负责人不在「团队」工作表的名单中。

检查内容：
    任务、物料、预算项、复盘事项的每位负责人以及活动总负责人，都与「团队」工作表中的姓名比对。源模板中写
    在姓名前的 ``*`` 标记（``*小明``）会被忽略。
为什么重要：
    名字写错或人已离开，意味着这项工作实际上没有负责人；团队名单也是记录联系方式的地方。
示例：
    「负责人」写成 ``小名``，而团队名单中是 ``小明``。
如何修复：
    改正姓名（单元格的下拉列表列出了团队成员），或者把此人添加到「团队」工作表。
""")
def owner_not_on_team(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """An owner is not listed on the Team sheet.

    What it checks:
        Every owner of a task, material, budget line or review item, and the campaign lead, against the names
        on the Team sheet. The source template's ``*`` marker before a name (``*小明``) is ignored.
    Why it matters:
        A misspelt or departed owner means the work has no real owner; the team list is also where contact
        details are kept.
    Example:
        负责人 ``小名`` while the team lists ``小明``.
    How to fix:
        Correct the name (the cell's dropdown lists the team), or add the person to the Team sheet.
    """
    team = ctx.team_names
    if not team:
        return  # no team sheet (WB002) or an empty one: nothing to compare with
    folded = {n.casefold() for n in team}
    for key in ("tasks", "materials", "budget", "review"):
        for record in plan.records(key):
            for name in record.owner:
                if name.casefold() not in folded:
                    yield ctx.finding(ctx.where(key, record, "owner"), f"负责人「{name}」不在团队表中",
                                      f'owner "{name}" is not on the Team sheet', field="owner", value=name,
                                      expected=ctx.people(sorted(team)),
                                      hint=(_suggest(name, team, "zh"), _suggest(name, team, "en")))
    for name in plan.overview.owner:
        if name.casefold() not in folded:
            yield ctx.finding(ctx.overview_where("owner"), f"活动总负责人「{name}」不在团队表中",
                              f'campaign lead "{name}" is not on the Team sheet', field="owner", value=name,
                              hint=(_suggest(name, team, "zh"), _suggest(name, team, "en")))


def _suggest(name: str, team: set[str], lang: str) -> str:
    import difflib

    close = difflib.get_close_matches(name, sorted(team), n=1, cutoff=0.5)
    if close:
        return t(lang, f"是否应为「{close[0]}」？或把此人加入团队表",
                 f'did you mean "{close[0]}"? Or add the person to the Team sheet')
    return t(lang, "改为团队表中的姓名，或把此人加入团队表", "use a name from the Team sheet, or add the person to it")


@rule("OWN005", "several-owners-in-one-cell", W, "一个单元格中有多位负责人", doc_zh="""
一个「负责人」单元格中写了多个人。

检查内容：
    任务、物料和预算项的「负责人」单元格中是否写了不止一个人（``小明、小红``）。
为什么重要：
    共同负责会让责任变得模糊；协作者应该写在「协作部门」列中。
示例：
    「负责人」为 ``小明、小红``。
如何修复：
    只保留一位真正负责的人，其他人移到协作列。
""")
def several_owners_in_one_cell(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """Several owners are named in one Owner cell.

    What it checks:
        Owner cells of tasks, materials and budget lines that name more than one person (``小明、小红``).
    Why it matters:
        Shared ownership blurs accountability; collaborators belong in 协作部门 (collaborating departments).
    Example:
        负责人 ``小明、小红``.
    How to fix:
        Keep the one accountable person; move the others to the collaborators column.
    """
    for key, zh, en in _OWNED:
        for record in plan.records(key):
            if len(record.owner) > 1:
                who = ctx.people(record.owner)
                yield ctx.finding(ctx.where(key, record, "owner"), f"{zh}有 {len(record.owner)} 位负责人（{who}），"
                                  "应只有一位", f"{en} has {len(record.owner)} owners ({who}); keep one",
                                  field="owner", value=who, expected=("一位负责人", "one owner"),
                                  hint=("只保留一位负责人，其他人写入协作部门", "keep one owner; list the others as "
                                        "collaborators"))


@rule("OWN006", "campaign-lead-missing", E, "缺少活动总负责人", doc_zh="""
活动没有指定活动总负责人。

检查内容：
    「活动概览」工作表中的「活动总负责人」字段。
为什么重要：
    源模板在各小组之上设一位总负责人：决策、预算和问题升级都需要这个人。
示例：
    「活动总负责人」留空。
如何修复：
    填写活动总负责人的姓名（并在「团队」工作表中列出此人，角色为「活动总负责人」）。
""")
def campaign_lead_missing(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """The campaign has no overall owner (活动总负责人).

    What it checks:
        The Campaign lead field of the Overview sheet.
    Why it matters:
        The source template puts one overall owner above the groups: decisions, budget and escalations need
        that person.
    Example:
        活动总负责人 left empty.
    How to fix:
        Fill in the campaign lead's name (and list them on the Team sheet with role 活动总负责人).
    """
    if plan.overview_sheet is not None and not plan.overview.owner:
        yield ctx.finding(ctx.overview_where("owner"), "缺少活动总负责人", "the campaign lead is missing",
                          field="owner", hint=("填写活动总负责人", "name the campaign lead"))


@rule("OWN007", "owner-overloaded", INFO, "负责人同时负责的任务过多", doc_zh="""
有人在同一时间负责三个或更多未完成的任务。

检查内容：
    对每位负责人，统计在同一天重叠的任务（未完成、未取消）数量，任务的时间段从开始时间算到结束时间；完成
    时间为“活动全程”的任务算到活动结束日期。
为什么重要：
    一个人同时扛着好几个并行任务，既是瓶颈，也是单点故障。
示例：
    小红负责的「预热发布」「短视频投放」和「KOL直播」都在 2024-05-16 进行。
如何修复：
    把其中一个任务交给别人，或者把它们错开。
""")
def owner_overloaded(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """Someone owns three or more open tasks on the same days.

    What it checks:
        For each owner, the number of tasks (not done or cancelled) whose start–end ranges overlap on one day;
        a "whole campaign" due date counts to the campaign's end.
    Why it matters:
        One person carrying several parallel tasks is a bottleneck and a single point of failure.
    Example:
        小红 owns 预热发布, 短视频投放 and KOL直播, all on 2024-05-16.
    How to fix:
        Hand one of the tasks to someone else, or stagger them.
    """
    spans: dict[str, list[tuple[date, date]]] = defaultdict(list)
    for task in plan.tasks:
        if task.status in ("done", "cancelled") or task.start is None:
            continue
        end = ctx.task_end(task)
        if end is None or end < task.start:
            continue
        for name in task.owner:
            spans[name].append((task.start, end))
    for name, ranges in spans.items():
        events = sorted([(s, 1) for s, _ in ranges] + [(e + timedelta(days=1), -1) for _, e in ranges],
                        key=lambda ev: (ev[0], ev[1]))
        current = peak = 0
        peak_day: date | None = None
        for day, step in events:
            current += step
            if current > peak:
                peak, peak_day = current, day
        if peak >= OVERLAP_LIMIT:
            task = next(t for t in plan.tasks if name in t.owner and t.start is not None)
            yield ctx.finding(ctx.where("tasks", task, "owner"),
                              f"{name} 在 {ctx.day(peak_day)} 同时负责 {peak} 项未完成任务",
                              f"{name} owns {peak} open tasks at the same time on {ctx.day(peak_day)}",
                              field="owner", value=name, expected=f"< {OVERLAP_LIMIT}",
                              hint=("把其中一项任务交给他人，或错开时间", "hand a task to someone else or stagger them"))
