"""MAT: materials — due dates, links to tasks, quantities."""

from __future__ import annotations

from collections.abc import Iterator

from ..findings import Finding, Severity
from ..model import Plan
from .context import Context
from .registry import rule

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


@rule("MAT001", "material-overdue", W, "物料已逾期", doc_zh="""
物料的完成时间已过，但尚未完成。

检查内容：
    完成时间早于状态日期、且状态不是已完成或已取消的物料。
    团队可在策略文件 xl-campaign.toml 的 ``thresholds.overdue-grace-days`` 中修改宽限天数（默认不宽限）。
为什么重要：
    需要它的任务只能干等，或者在缺少它的情况下进行。
示例：
    状态日期 2024-05-24：``线下展架`` 的完成时间是 2024-05-14，状态仍是「进行中」。
如何修复：
    交付物料并把状态设为「已完成」，或者商定新的完成时间（并检查使用它的任务）。
""")
def material_overdue(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A material's due date has passed and it is not done.

    What it checks:
        Materials whose due date is before the status date and whose status is not done or cancelled.
        A team can allow days of grace (none by default) in its policy file (``thresholds.overdue-grace-days`` in xl-campaign.toml).
    Why it matters:
        The tasks that need it are waiting or running without it.
    Example:
        Status date 2024-05-24: 线下展架 due 2024-05-14, still 进行中.
    How to fix:
        Deliver it and set 已完成, or agree a new due date (and check the tasks that use it).
    """
    for material in plan.materials:
        if material.due is None or not ctx.policy.is_overdue((ctx.today - material.due).days) \
                or material.status in ("done", "cancelled"):
            continue
        days = (ctx.today - material.due).days
        status = ctx.label("status", material.status) or ctx.t("空", "empty")
        yield ctx.finding(ctx.where("materials", material, "due"),
                          f"物料「{material.name or ''}」已逾期 {days} 天（截止 {material.due}，状态：{status}）",
                          f'material "{material.name or ""}" is {days} day(s) overdue (due {material.due}, '
                          f"status: {status})", field="due", value=material.due, expected=f">= {ctx.today}",
                          hint=("交付后改为“已完成”，或约定新的完成时间", "deliver it and mark it done, or agree a new date"))


@rule("MAT002", "material-task-not-found", E, "物料关联的任务不存在", doc_zh="""
物料关联的任务编号不存在。

检查内容：
    「物料」工作表的「关联任务」列，与「任务」工作表中的编号比对。
为什么重要：
    无法拿物料的完成时间与需要它的任务比对（DATE012）。
示例：
    「关联任务」写成 ``T4``，而任务编号是 ``T04``。
如何修复：
    使用任务的准确编号。
""")
def material_task_not_found(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A material is linked to a task ID that does not exist.

    What it checks:
        The 关联任务 (used by task) column of the Materials sheet against the IDs of the Tasks sheet.
    Why it matters:
        The material's due date cannot be checked against the task that needs it (DATE012).
    Example:
        关联任务 ``T4`` while the task is ``T04``.
    How to fix:
        Use the task's exact ID.
    """
    if not plan.tasks:
        return
    for material in plan.materials:
        if material.task_id and material.task_id not in ctx.tasks_by_id:
            yield ctx.finding(ctx.where("materials", material, "task_id"),
                              f"物料「{material.name or ''}」关联的任务 {material.task_id} 不存在",
                              f'material "{material.name or ""}" is linked to task {material.task_id}, which does '
                              "not exist", field="task_id", value=material.task_id,
                              hint=("填写任务表中的准确编号", "use the task's exact ID"))


@rule("MAT003", "material-quantity-not-positive", W, "物料数量不大于零", doc_zh="""
物料的数量为零或负数。

检查内容：
    「物料」工作表中已填写的「数量」。
为什么重要：
    什么也不会被制作或采购；通常是一个从未更新过的占位值。
示例：
    礼品的「数量」为 ``0``。
如何修复：
    填写要制作的数量，或者删除这一行。
""")
def material_quantity_not_positive(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A material's quantity is zero or negative.

    What it checks:
        The 数量 column of the Materials sheet, where filled.
    Why it matters:
        Nothing will be produced or ordered; usually a placeholder that was never updated.
    Example:
        礼品 数量 ``0``.
    How to fix:
        Type the quantity to produce, or delete the row.
    """
    for material in plan.materials:
        if material.quantity is not None and material.quantity <= 0:
            yield ctx.finding(ctx.where("materials", material, "quantity"),
                              f"物料「{material.name or ''}」数量为 {material.quantity}",
                              f'material "{material.name or ""}" has quantity {material.quantity}', field="quantity",
                              value=material.quantity, expected="> 0", hint=("填写数量", "type the quantity"))


@rule("MAT004", "material-without-due-date", W, "物料没有完成时间", doc_zh="""
物料没有完成时间。

检查内容：
    「物料」工作表的「完成时间」列。
为什么重要：
    它无法与预热期或使用它的任务比对，也永远不会被判为逾期：迟交了也没人发现。
示例：
    ``宣传海报`` 的「完成时间」为空。
如何修复：
    填写一个早于使用它的任务开始日期的完成时间。
""")
def material_without_due_date(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A material has no due date.

    What it checks:
        The 完成时间 (due) column of the Materials sheet.
    Why it matters:
        It cannot be checked against the warm-up or the task that uses it, and cannot be overdue: it will be
        late without anybody noticing.
    Example:
        宣传海报 with 完成时间 empty.
    How to fix:
        Give it a due date before the task that uses it starts.
    """
    info = plan.tables.get("materials")
    if info is None or "due" not in info.columns:
        return
    for material in plan.materials:
        if material.due is None and material.problem_for("due") is None and material.status not in ("done",
                                                                                                      "cancelled"):
            yield ctx.finding(ctx.where("materials", material, "due"),
                              f"物料「{material.name or ''}」没有完成时间", f'material "{material.name or ""}" has no due date',
                              field="due", hint=("填写完成时间", "give it a due date"))
