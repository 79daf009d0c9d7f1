"""WB: workbook structure and hygiene — missing sheets and columns, error cells, uncalculated or overwritten
formulas, values stored as text, unknown dropdown values, required values left empty."""

from __future__ import annotations

from collections.abc import Iterator
from operator import attrgetter

from .. import parse as P
from .. import spec as S
from ..findings import Finding, Severity
from ..model import Plan
from ..vocab import VOCABULARIES
from .context import Context
from .registry import rule
from .values import value_problems

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


def _sheet_label(ctx: Context, key: str) -> str:
    spec = S.SPECS[key]
    return ctx.quote(spec.name("zh"), spec.name("en"))


def _nothing_found(plan: Plan) -> bool:
    return plan.overview_sheet is None and not plan.tables


@rule("WB001", "not-a-campaign-workbook", E, "不是活动计划工作簿", doc_zh="""
没有找到任何活动工作表：这个工作簿不是活动计划。

检查内容：
    读取器是否通过 Excel 表格名称、工作表名称或表头行，找到了「活动概览」表单或任意一张活动表格（团队、
    任务、物料、预算、渠道、每日数据、复盘）。
为什么重要：
    其他每条规则都至少需要其中之一；一张都没有的工作簿，通常是拿错了文件。这一条结果代替了逐个列出所有缺
    少的工作表。
示例：
    一份销售导出文件，只有一个工作表 ``Data``，表头为 ``Budget, Spend, Ratio``。
如何修复：
    确认文件是否正确，或者从模板开始：运行 ``xl-campaign new plan.xlsx``，再把数据粘贴进去。
""")
def not_a_campaign_workbook(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """None of the campaign sheets was found: the workbook is not a campaign plan.

    What it checks:
        Whether the reader found the Overview form or any campaign table (Team, Tasks, Materials, Budget,
        Channels, Daily KPI, Review) by Excel Table name, sheet name or header row.
    Why it matters:
        Every other rule needs at least one of them; a workbook without any is usually the wrong file.
        One finding replaces the list of every missing sheet.
    Example:
        A sales export with one sheet ``Data`` and headers ``Budget, Spend, Ratio``.
    How to fix:
        Check the right file, or start from the template: ``xl-campaign new plan.xlsx`` and paste the data in.
    """
    if _nothing_found(plan):
        found = ctx.people([ctx.quote(n) for n in plan.sheet_names]) or "—"
        yield ctx.finding(None, f"未找到任何活动计划工作表或表格；找到的工作表：{found}",
                          f"no campaign sheet or table was found; sheets found: {found}",
                          value=", ".join(plan.sheet_names),
                          hint=("确认文件是否正确，或用 xl-campaign new 从模板新建",
                                "check the file, or start from the template with xl-campaign new"))


@rule("WB002", "missing-sheet", E, "缺少工作表", doc_zh="""
缺少一个必需的工作表（或其中的表格）。

检查内容：
    每个必需的工作表——活动概览、团队、任务、物料、预算、渠道、每日数据——都必须能通过 Excel 表格名称、工
    作表名称（中文、英文或别名）或其表头行找到。
为什么重要：
    该领域的规则无法运行，「校验并更新」也无法生成甘特图和汇总。
示例：
    工作簿中有「活动概览」「任务」和「预算」工作表，但没有「渠道」。
如何修复：
    添加该工作表及其表头行（可以从 ``xl-campaign new`` 生成的模板中复制），或者把存放该表格的工作表改成
    预期的名称。
""")
def missing_sheet(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A required sheet (or its table) is missing.

    What it checks:
        Each required declaration — Overview, Team, Tasks, Materials, Budget, Channels, Daily KPI — must be
        found by Excel Table name, sheet name (zh or en, or an alias) or its header row.
    Why it matters:
        The rules of that area cannot run, and *Check & Update* cannot build the Gantt or the Summary.
    Example:
        A workbook with sheets 活动概览, 任务 and 预算 but no 渠道 (Channels).
    How to fix:
        Add the sheet with its header row (copy it from ``xl-campaign new``'s template), or rename the sheet
        that holds the table to the expected name.
    """
    if _nothing_found(plan):
        return
    found = ctx.people(plan.sheet_names) or "—"
    for key in plan.missing_sheets:
        spec = S.SPECS[key]
        yield ctx.finding(None, f"缺少工作表{_sheet_label(ctx, key)}（表 {spec.table}）；找到的工作表：{found}",
                          f"missing sheet {_sheet_label(ctx, key)} (table {spec.table}); sheets found: {found}",
                          field=key, expected=spec.name(ctx.lang),
                          hint=(f"添加工作表「{spec.name('zh')}」及其表头行", f'add the sheet "{spec.name("en")}" '
                                                                          "with its header row"))


@rule("WB003", "missing-column", E, "缺少必填列", doc_zh="""
表格缺少一个必填列。

检查内容：
    找到的每张表格，其表头行都必须包含所有必填列（中文或英文表头，或别名）。
为什么重要：
    缺了这一列，对应的值就无法读取：没有「负责人」列，所有任务看起来都没人负责；没有「预算金额」，预算就
    无法汇总。
示例：
    「任务」工作表的表头是「任务模块」「具体任务内容」「完成时间」，但没有「负责人」。
如何修复：
    添加该列及其表头（结果中会写明列名，并列出找到的表头），或者把存放这些值的列改成预期的名称。
""")
def missing_column(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A required column is missing from a table.

    What it checks:
        The header row of each table found must name every required column (zh or en header, or an alias).
        When the header row has a header that names no column (a renamed one), the finding points at it.
    Why it matters:
        Without the column the values cannot be read: tasks without an Owner column all look unowned,
        a budget without Planned amounts cannot be totalled.
    Example:
        A Tasks sheet with headers 任务模块, 具体任务内容, 完成时间 but no 负责人.
    How to fix:
        Add the column with its header (the finding names it and lists the headers found), or rename the
        column that holds these values.
    """
    for info in (*plan.tables.values(), *plan.extra_tables):
        key = info.key
        spec = S.SPECS[key]
        unknown = list(info.unmatched)  # header cells that name no column: a renamed one is among them
        for column_key in info.missing:
            column = spec.column(column_key)
            if not column.required:
                continue
            found = ctx.people(info.headers) or "—"
            header = column.header(plan.lang)
            if unknown:
                col, text = unknown.pop(0)
                yield ctx.finding((info.sheet, info.header_row, col),
                                  f"表{_sheet_label(ctx, key)}缺少必填列「{column.zh}」；表头「{text}」不是可识别的列名，"
                                  f"是否就是它？", f'table {_sheet_label(ctx, key)} lacks the required column '
                                  f'"{column.en}"; the header "{text}" names no known column: is it this one?',
                                  field=column_key, value=text, expected=header,
                                  hint=(f"把表头「{text}」改为「{header}」", f'rename the header "{text}" to "{header}"'))
                continue
            yield ctx.finding((info.sheet, info.header_row, None),
                              f"表{_sheet_label(ctx, key)}缺少必填列「{column.zh}」；找到的表头：{found}",
                              f'table {_sheet_label(ctx, key)} lacks the required column "{column.en}"; '
                              f"headers found: {found}", field=column_key, expected=header,
                              hint=(f"在表头行添加「{header}」列", f'add a "{header}" column to the header row'))


@rule("WB004", "error-value-cell", E, "单元格为错误值", doc_zh="""
单元格中是 ``#REF!``、``#DIV/0!`` 之类的错误值。

检查内容：
    所有工作表中以错误值存储的单元格（工作表 XML 中的 ``t="e"``）：``#REF!``、``#DIV/0!``、``#N/A``、
    ``#VALUE!``、``#NAME?``、``#NUM!``、``#NULL!``、``#SPILL!``、``#CALC!``。
为什么重要：
    错误会蔓延到所有引用该单元格的公式（合计、ROI、汇总），读取程序看到的则是空值。``#REF!`` 表示被引用
    的内容已被删除：公式算的已经不是它看上去的那个意思了。
示例：
    A3 为 0 时，``=B3/A3`` 得到 ``#DIV/0!``；被引用的行删除后，公式变成 ``=#REF!+1``。
如何修复：
    单击该单元格，查看公式，修复引用，或者给除法加上保护（``=IF(A3=0,"",B3/A3)``）。
""")
def error_value_cell(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A cell holds an error value such as ``#REF!`` or ``#DIV/0!``.

    What it checks:
        Every cell of every sheet stored as an error (``t="e"`` in the sheet XML): ``#REF!``, ``#DIV/0!``,
        ``#N/A``, ``#VALUE!``, ``#NAME?``, ``#NUM!``, ``#NULL!``, ``#SPILL!``, ``#CALC!``.
    Why it matters:
        An error spreads to every formula that uses the cell (totals, ROI, the Summary) and readers see an
        empty value. ``#REF!`` means a reference was deleted: the formula no longer computes what it says.
    Example:
        ``=B3/A3`` with A3 = 0 gives ``#DIV/0!``; ``=#REF!+1`` after the referenced row was deleted.
    How to fix:
        Click the cell, read the formula, repair the reference or guard the division (``=IF(A3=0,"",B3/A3)``).
    """
    for note in plan.cell_notes:
        if note.kind == "error":
            yield ctx.finding((note.sheet, note.row, note.col), f"单元格为错误值 {note.value}",
                              f"the cell holds the error value {note.value}", value=note.value,
                              hint=("检查公式引用或除数为零的情况", "check the formula's references or a division by zero"))


@rule("WB005", "formula-without-cached-value", INFO, "公式没有计算结果", doc_zh="""
公式保存时没有计算结果（每个工作簿只报告一次）。

检查内容：
    文件中缺少缓存值的公式单元格。不带计算引擎就写出工作簿的程序（openpyxl、xlsxwriter、各种脚本）会让这
    些值留空；Excel 要到打开时才计算。
为什么重要：
    不经过 Excel 读取数值的工具——pandas、BI 导入，以及本工具读取手填合计时——看到的是空单元格，而不是合计
    。
示例：
    脚本写入的 ``C2 = A2+B2``：Excel 中显示 120，读取程序却什么也看不到。
如何修复：
    在 Excel（或 LibreOffice）中打开工作簿并保存一次；「校验并更新」会替你完成这一步。
""")
def formula_without_cached_value(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """Formulas were saved without a calculated value (one finding per workbook).

    What it checks:
        Formula cells whose cached value is missing in the file. Programs that write workbooks without a
        calculation engine (openpyxl, xlsxwriter, scripts) leave them empty; Excel calculates them on opening.
    Why it matters:
        Any tool that reads values without Excel — pandas, a BI import, this checker's value of a typed total —
        sees an empty cell instead of the total.
    Example:
        ``C2 = A2+B2`` written by a script: Excel shows 120, a reader sees nothing.
    How to fix:
        Open the workbook in Excel (or LibreOffice) and save it once; *Check & Update* does this for you.
    """
    notes = [n for n in plan.cell_notes if n.kind == "uncalculated"]
    if notes:
        first = notes[0]
        where_zh = f"{first.sheet}!{_a1(first.row, first.col)}"
        yield ctx.finding((first.sheet, first.row, first.col),
                          f"{len(notes)} 个公式没有计算结果（首个：{where_zh}）；在 Excel 中打开并保存一次即可",
                          f"{len(notes)} formulas have no calculated value (first: {where_zh}); "
                          "open and save the workbook in Excel once", value=len(notes),
                          hint=("在 Excel 中打开并保存", "open and save it in Excel"))


def _a1(row: int, col: int) -> str:
    from ..model import a1

    return a1(row, col)


@rule("WB006", "number-stored-as-text", W, "数字以文本存储", doc_zh="""
数字以文本形式存储。

检查内容：
    数字列（金额、数量、比率）中，内容是文本、但能读成数字的单元格：``"1,200"``、``"¥5000"``、``"50万"``
    、``"10%"``。本工具能理解这些值，Excel 却不能。
为什么重要：
    Excel 的 SUM、SUMIFS 和模板中的合计都会跳过文本：预算汇总和渠道的实际数据会在毫无提示的情况下偏低（
    这正是 Excel 用绿色三角标出的“以文本形式存储的数字”）。
示例：
    「预算金额」输入成 ``50万``，或从聊天记录中粘贴成 ``"80,000"``。
如何修复：
    输入纯数字（千位分隔符和货币符号交给单元格格式来显示），或者点击绿色三角，使用 Excel 的「转换为数字
    」。
""")
def number_stored_as_text(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A number is stored as text.

    What it checks:
        Number columns (amounts, counts, rates) and the Overview's numbers (total budget, reserve-rate target)
        whose cell holds text that reads as a number: ``"1,200"``, ``"¥5000"``, ``"50万"``, ``"500k"``,
        ``"10%"``. The checker understands the value; Excel does not.
    Why it matters:
        Excel's SUM, SUMIFS and the template's totals skip text: the Budget summary and the Channels actuals
        come out too low without any warning (Excel's own "number stored as text" triangle).
    Example:
        预算金额 typed as ``50万`` or pasted as ``"80,000"`` from a chat.
    How to fix:
        Type the plain number (the cell's format shows separators and currency), or use Excel's
        *Convert to Number* on the green triangle.
    """
    for key, record, problem in value_problems(plan):
        if problem.kind == P.TEXT_NUMBER:
            column = S.SPECS[key].column(problem.field)
            yield ctx.finding(ctx.where(key, record, problem.field),
                              f"「{column.zh}」的值 {problem.raw!r} 是文本，不是数字（Excel 求和会忽略它）",
                              f'"{column.en}" value {problem.raw!r} is text, not a number (Excel sums skip it)',
                              field=problem.field, value=problem.raw, expected=("数字", "a number"),
                              hint=("输入纯数字，或使用“转换为数字”", "type the plain number or use Convert to Number"))
    for problem in plan.overview.problems:
        if problem.kind == P.TEXT_NUMBER:
            column = S.OVERVIEW.column(problem.field)
            number = _plain_number(getattr(plan.overview, problem.field), column)
            yield ctx.finding(ctx.overview_where(problem.field),
                              f"「{column.zh}」的值 {problem.raw!r} 是文本，不是数字（Excel 公式按 0 计算）",
                              f'"{column.en}" value {problem.raw!r} is text, not a number (Excel\'s formulas count '
                              "it as 0)", field=problem.field, value=problem.raw, expected=number,
                              hint=(f"输入 {number}", f"type {number}"))


def _plain_number(value: object, column: S.Column) -> str:
    """What to type for a value read from text: 500000 for "50万", 0.12 for "12%"."""
    from decimal import Decimal

    if not isinstance(value, Decimal | int):
        return ""
    if column.type is S.ColType.PERCENT:
        return f"{(Decimal(value) * 100).normalize():f}%"
    return f"{Decimal(value).normalize():f}"


@rule("WB007", "date-stored-as-text", W, "日期以文本存储", doc_zh="""
日期以文本形式存储。

检查内容：
    日期列中，内容是文本、但能读成一个日期的单元格：``"2024/5/10"``、``"2024年5月10日"``、``"20240510"``
    。本工具能理解，Excel 却不把它当作日期。
为什么重要：
    Excel 的日期计算、排序、筛选、甘特图的条件格式，以及所有引用该单元格的公式都会把它当作文本：Excel 中
    的工期和逾期标记会悄悄出错。
示例：
    「完成时间」输入成 ``2024.5.12``（点号并不是在所有环境下都被 Excel 认作日期分隔符）。
如何修复：
    把日期重新输入为 ``2024-05-12``（或者使用「数据 ▸ 分列」，在向导第 3 步的“列数据格式”中选择“日期”）
    。
""")
def date_stored_as_text(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A date is stored as text.

    What it checks:
        Date columns whose cell holds text that reads as one date: ``"2024/5/10"``, ``"2024年5月10日"``,
        ``"20240510"``. The checker understands it; Excel does not treat it as a date.
    Why it matters:
        Excel's date arithmetic, sorting, filters, the Gantt's conditional formats and any formula using the
        cell treat it as text: durations and overdue flags in Excel silently go wrong.
    Example:
        完成时间 typed as ``2024.5.12`` (dots are not a date separator Excel recognises everywhere).
    How to fix:
        Retype the date as ``2024-05-12`` (or use *Data ▸ Text to Columns ▸ Date*).
    """
    for key, record, problem in value_problems(plan):
        if problem.kind == P.TEXT_DATE:
            column = S.SPECS[key].column(problem.field)
            yield ctx.finding(ctx.where(key, record, problem.field),
                              f"「{column.zh}」的值 {problem.raw!r} 是文本，不是日期",
                              f'"{column.en}" value {problem.raw!r} is text, not a date',
                              field=problem.field, value=problem.raw, expected="YYYY-MM-DD",
                              hint=("按 2024-05-12 的格式重新输入", "retype it as 2024-05-12"))
    for problem in plan.overview.problems:
        if problem.kind == P.TEXT_DATE:
            column = S.OVERVIEW.column(problem.field)
            yield ctx.finding(ctx.overview_where(problem.field),
                              f"「{column.zh}」的值 {problem.raw!r} 是文本，不是日期",
                              f'"{column.en}" value {problem.raw!r} is text, not a date',
                              field=problem.field, value=problem.raw, expected="YYYY-MM-DD",
                              hint=("按 2024-05-12 的格式重新输入", "retype it as 2024-05-12"))


@rule("WB008", "unknown-choice-value", W, "下拉选项之外的值", doc_zh="""
值不在该列的下拉选项中（状态、阶段、角色……）。

检查内容：
    选项类的列——状态、阶段、角色、线上/线下、产品阶段、里程碑——与其中英文词表（以及已知的别名）比对。被
    截断的标签，例如 ``未开``（即 ``未开始``，源模板中就是这样写的），能被识别，但会提示改成完整的标签；
    其他值会给出最接近的标签作为建议。预算类别由 BUD005 检查。
为什么重要：
    按状态计数、甘特图的颜色和筛选都要求标签完全一致：标为 ``未开`` 的任务不属于任何一个状态分组。
示例：
    状态 ``未开`` → ``未开始``；状态 ``Finished`` 是别名，没有问题；``Pending`` 则无法识别。
如何修复：
    从单元格的下拉列表中选择。
""")
def unknown_choice_value(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A value that is not one of the column's dropdown choices (status, stage, role …).

    What it checks:
        Choice columns — Status, Stage, Role, Online/offline, Product stage, Milestone — against their
        vocabulary in zh and en (and known aliases). A truncated label such as ``未开`` (for ``未开始``, as in
        the source template) is understood but reported with the full label; other values get the closest
        label as a suggestion. Budget categories are checked by BUD005.
    Why it matters:
        Counts by status, the Gantt's colours and the filters match exact labels: a task marked ``未开`` is
        in no status group.
    Example:
        状态 ``未开`` → ``未开始``; Status ``Finished`` is an alias and fine; ``Pending`` is unknown.
    How to fix:
        Pick the value from the cell's dropdown.
    """
    for key, record, problem in value_problems(plan):
        column = S.SPECS[key].column(problem.field)
        if problem.kind != P.UNKNOWN_CHOICE or column.vocab is None or column.vocab == "category":
            continue
        yield from _choice_finding(ctx, ctx.where(key, record, problem.field), column, problem.raw,
                                   problem.detail, getattr(record, problem.field, None))
    for problem in plan.overview.problems:
        column = S.OVERVIEW.column(problem.field)
        if problem.kind == P.UNKNOWN_CHOICE and column.vocab:
            yield from _choice_finding(ctx, ctx.overview_where(problem.field), column, problem.raw,
                                       problem.detail, getattr(plan.overview, problem.field, None))


def _choice_finding(ctx: Context, where: object, column: S.Column, raw: object, suggestion: str,
                    understood: object) -> Iterator[Finding]:
    vocab = VOCABULARIES[column.vocab or ""]
    labels = ctx.people(vocab.labels(ctx.lang))
    if suggestion and suggestion in vocab.keys():
        label = vocab.label(suggestion, ctx.lang)
        if understood:
            zh = f"「{column.zh}」的值 {raw!r} 不完整，按「{vocab.label(suggestion, 'zh')}」处理；请改为完整选项"
            en = f'"{column.en}" value {raw!r} is truncated and read as "{vocab.label(suggestion, "en")}"; ' \
                 "use the full label"
        else:
            zh = f"「{column.zh}」的值 {raw!r} 不是可选值；是否应为「{vocab.label(suggestion, 'zh')}」？"
            en = f'"{column.en}" value {raw!r} is not a valid choice; did you mean "{vocab.label(suggestion, "en")}"?'
        hint = (f"改为「{vocab.label(suggestion, 'zh')}」", f'change it to "{vocab.label(suggestion, "en")}"')
        yield ctx.finding(where, zh, en, field=column.key, value=raw, expected=label, hint=hint)  # type: ignore[arg-type]
    else:
        yield ctx.finding(where, f"「{column.zh}」的值 {raw!r} 不是可选值（可选：{labels}）",  # type: ignore[arg-type]
                          f'"{column.en}" value {raw!r} is not a valid choice (one of: {labels})',
                          field=column.key, value=raw, expected=labels,
                          hint=("从下拉列表中选择", "pick a value from the dropdown"))


@rule("WB009", "computed-cell-overwritten", W, "公式被数值覆盖", doc_zh="""
模板中的公式单元格被手填的值覆盖了。

检查内容：
    模板中的计算单元格——「渠道」工作表中由每日数据算出的列（实际数据、点击率、转化率、单次转化成本、ROI
    ）和预算汇总单元格（``Budget_*`` 名称）——必须是公式。如果预算合计还与计算结果不一致，则由 BUD010 报
    告。
为什么重要：
    手填的数字不会随数据变化：输入当天是对的，之后就一直是错的。
示例：
    有人为了“冻结”报表，把数值粘贴到了 渠道!H4:P6 上。
如何修复：
    恢复该列的公式（在表格中选中该列，重新输入公式，Excel 会自动填满整列），或者运行「校验并更新」，它会
    重写模板的公式。
""")
def computed_cell_overwritten(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A template formula cell holds a typed value instead of its formula.

    What it checks:
        The template's computed cells — the Channels columns computed from the Daily KPI (actuals, CTR,
        conversion rate, CPA, ROI) and the Budget summary cells (``Budget_*`` names) — must hold formulas.
        A Budget total that also differs from the computed one is BUD010.
    Why it matters:
        A typed number does not follow the data: it is right the day it was typed and wrong ever after.
    Example:
        Someone pastes values over 渠道!H4:P6 to "freeze" a report.
    How to fix:
        Restore the column's formula (select the column in the Table and re-enter it; Excel fills the column),
        or run *Check & Update* which rewrites the template's formulas.
    """
    for note in plan.cell_notes:
        if note.kind != "constant":
            continue
        name = note.value
        if name.startswith("Budget_") and _budget_total_differs(plan, name):
            continue  # reported by BUD010 with both numbers
        label = _computed_label(name, ctx)
        yield ctx.finding((note.sheet, note.row, note.col),
                          f"{label}应为公式，但单元格中是输入的数值",
                          f"{label} should be a formula but holds a typed value", field=name,
                          expected=("公式", "a formula"),
                          hint=("恢复该列/单元格的公式，或运行“校验并更新”", "restore the formula, or run Check & Update"))


def _computed_label(name: str, ctx: Context) -> str:
    if name.startswith("channels."):
        column = S.CHANNELS.column(name.split(".", 1)[1])
        return ctx.quote(column.zh, column.en)
    for key, zh, en in S.BUDGET_SUMMARY_ROWS:
        if name == f"Budget_{key}":
            return ctx.quote(zh, en)
    return name


def _budget_total_differs(plan: Plan, name: str) -> bool:
    from .bud import typed_total_difference

    return typed_total_difference(plan, name) is not None


@rule("WB010", "required-value-missing", E, "必填值为空", doc_zh="""
某一行的必填单元格为空。

检查内容：
    在有任何值的每一行中，必填列——任务内容、预算类别、项目和预算金额、每日数据的日期和渠道、团队成员的角
    色、物料名称、渠道名称——都不能为空。负责人由 OWN 系列规则检查。
为什么重要：
    缺少关键值的行无法计数、排期或汇总，而且很容易被忽略。
示例：
    一行预算有项目和类别，却没有「预算金额」。
如何修复：
    填写该单元格；如果这一行不需要，就删除它。
""")
def required_value_missing(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A required cell of a row is empty.

    What it checks:
        In every row that has any value, the required columns — task content, budget category, item and
        planned amount, KPI date and channel, team member's role, material name, channel name — must not be
        empty. Owners are checked by the OWN rules.
    Why it matters:
        A row without its key value cannot be counted, scheduled or totalled, and is easy to overlook.
    Example:
        A budget row with an item and a category but no 预算金额.
    How to fix:
        Fill the cell, or delete the row if it is not needed.
    """
    for spec in S.TABLE_SPECS:
        info = plan.tables.get(spec.key)
        if info is None:
            continue
        required = [c for c in spec.input_columns if c.required and c.type is not S.ColType.PEOPLE
                    and c.key in info.columns]
        empty = []
        for index, column in enumerate(required):
            get = attrgetter(column.key)
            empty += [(record.row, index, record, column) for record in plan.records(spec.key)
                      if (value := get(record)) is None or value == "" or value == []]
        for _, _, record, column in sorted(empty, key=lambda hit: hit[:2]):
            if record.problem_for(column.key) is None:
                yield ctx.finding(ctx.where(spec.key, record, column.key),
                                  f"必填项「{column.zh}」为空", f'required "{column.en}" is empty',
                                  field=column.key, expected=column.header(ctx.lang),
                                  hint=("填写该单元格，或删除此行", "fill the cell or delete the row"))


@rule("WB011", "overview-value-missing", E, "活动概览缺少关键信息", doc_zh="""
「活动概览」工作表缺少活动的关键信息（名称、上线日期、结束日期、总预算）。

检查内容：
    「活动概览」表单中除活动总负责人（见 OWN006）以外的必填项：活动名称、上线日期、结束日期和总预算。
为什么重要：
    各阶段的时间窗、逾期任务、进度和应急资金比例都要根据这些信息计算。
示例：
    「上线日期」留空：没有任何任务能与其阶段的时间窗比对。
如何修复：
    在「活动概览」工作表中，填写标签右侧的值单元格。
""")
def overview_value_missing(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A key fact of the campaign is missing on the Overview sheet (name, launch date, end date, total budget).

    What it checks:
        The Overview form's required fields other than the campaign lead (OWN006): campaign name, launch date,
        end date and total budget.
    Why it matters:
        Stage windows, overdue work, pacing and the reserve rate are all computed from these.
    Example:
        上线日期 left empty: no task can be checked against its stage window.
    How to fix:
        Fill the value cell right of the label on the Overview sheet.
    """
    if plan.overview_sheet is None:
        return
    for column in S.OVERVIEW.columns:
        if not column.required or column.type is S.ColType.PEOPLE:
            continue
        if getattr(plan.overview, column.key) is None and plan.overview.problem_for(column.key) is None:
            yield ctx.finding(ctx.overview_where(column.key), f"活动概览缺少「{column.zh}」",
                              f'the Overview lacks "{column.en}"', field=column.key,
                              expected=column.header(ctx.lang),
                              hint=(f"在「{column.zh}」右侧单元格填写", f'fill the cell right of "{column.en}"'))


@rule("WB012", "duplicate-task-id", E, "任务编号重复", doc_zh="""
两个任务使用了同一个编号。

检查内容：
    「任务」工作表的「编号」列必须唯一。
为什么重要：
    依赖关系（「前置任务」）和物料（「关联任务」）都按编号引用任务：编号重复时，它们会指向错误的任务。
示例：
    有两行的编号都是 ``T05``。
如何修复：
    给第二个任务换一个新编号，并更新引用它的地方。
""")
def duplicate_task_id(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """Two tasks share one ID.

    What it checks:
        The ID column of the Tasks sheet must be unique.
    Why it matters:
        Dependencies (前置任务) and materials (关联任务) refer to tasks by ID: with a duplicate they point at
        the wrong task.
    Example:
        Two rows with ID ``T05``.
    How to fix:
        Give the second task a new ID and update the references to it.
    """
    first: dict[str, int] = {}
    for task in plan.tasks:
        if not task.id:
            continue
        if task.id in first:
            yield ctx.finding(ctx.where("tasks", task, "id"),
                              f"任务编号 {task.id} 与第 {first[task.id]} 行重复",
                              f"task ID {task.id} repeats the one in row {first[task.id]}", field="id", value=task.id,
                              hint=("改用新的编号并更新引用", "use a new ID and update references to it"))
        else:
            first[task.id] = task.row


@rule("WB013", "unparseable-value", E, "无法识别的值", doc_zh="""
值无法按该列的类型读取（日期、预算和每日数据另有专门的规则）。

检查内容：
    「团队」「任务」「物料」「渠道」工作表、「SMART 目标」表和「活动概览」中的数字、比率和数量：例如数量
    ``约200``、占比 ``六成``、完成度 ``half``。
为什么重要：
    所有计算（占比、完成度、合计）都会忽略这个值。
示例：
    「目标预算占比」输入成 ``六成``。
如何修复：
    输入纯数字（比率写成 ``60%`` 或 ``0.6``）。
""")
def unparseable_value(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A value that cannot be read as the column's type (outside dates, budget and KPI, which have their own).

    What it checks:
        Numbers, rates and counts in the Team, Tasks, Materials, Channels, Goals and Overview sheets: a
        quantity ``约200``, a share ``六成``, progress ``half``.
    Why it matters:
        The value is ignored by every computation (shares, progress, totals).
    Example:
        目标预算占比 typed as ``六成``.
    How to fix:
        Type a plain number (rates as ``60%`` or ``0.6``).
    """
    for key, record, problem in value_problems(plan):
        column = S.SPECS[key].column(problem.field)
        if problem.kind != P.UNPARSEABLE or column.type is S.ColType.DATE or key in ("budget", "kpi"):
            continue
        yield ctx.finding(ctx.where(key, record, problem.field),
                          f"「{column.zh}」的值 {problem.raw!r} 无法识别", f'"{column.en}" value {problem.raw!r} '
                          "cannot be read", field=problem.field, value=problem.raw,
                          expected=_type_text(ctx, column), hint=("输入纯数字", "type a plain number"))
    for problem in plan.overview.problems:
        column = S.OVERVIEW.column(problem.field)
        if problem.kind == P.UNPARSEABLE and column.type is not S.ColType.DATE:
            yield ctx.finding(ctx.overview_where(problem.field), f"「{column.zh}」的值 {problem.raw!r} 无法识别",
                              f'"{column.en}" value {problem.raw!r} cannot be read', field=problem.field,
                              value=problem.raw, expected=_type_text(ctx, column),
                              hint=("输入纯数字", "type a plain number"))


def _type_text(ctx: Context, column: S.Column) -> str:
    return {
        S.ColType.INT: ctx.t("整数", "a whole number"),
        S.ColType.MONEY: ctx.t("金额", "an amount"),
        S.ColType.PERCENT: ctx.t("百分比，如 60%", "a rate such as 60%"),
    }.get(column.type, ctx.t("有效值", "a valid value"))


@rule("WB014", "value-not-integer", W, "数量不是整数", doc_zh="""
计数类的值（曝光量、点击量、数量……）带有小数。

检查内容：
    计数列：数量、目标和实际的曝光量、点击量、转化数、新增用户。
为什么重要：
    计数中出现小数，通常是把公式结果粘贴成了数值，或者把比率填到了错误的列；这个值不会被使用。
示例：
    「点击量」为 ``1520.5``。
如何修复：
    输入整数；比率请填到比率列中。
""")
def value_not_integer(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A count (impressions, clicks, quantity …) has a fractional part.

    What it checks:
        Count columns: quantities, target and actual impressions, clicks, conversions, new users.
    Why it matters:
        A fraction in a count is usually a formula result pasted as a value or a rate typed in the wrong column;
        the value is not used.
    Example:
        点击量 ``1520.5``.
    How to fix:
        Type the whole number; put rates in the rate columns.
    """
    for key, record, problem in value_problems(plan):
        if problem.kind == P.NOT_INTEGER:
            column = S.SPECS[key].column(problem.field)
            yield ctx.finding(ctx.where(key, record, problem.field),
                              f"「{column.zh}」应为整数，实际为 {problem.raw!r}",
                              f'"{column.en}" should be a whole number, not {problem.raw!r}', field=problem.field,
                              value=problem.raw, expected=("整数", "a whole number"),
                              hint=("输入整数", "type a whole number"))


@rule("WB015", "row-outside-table", W, "行在表格范围之外", doc_zh="""
紧接在 Excel 表格下方输入的行，不在表格范围内。

检查内容：
    每个 Excel 表格（Team、Tasks、Budget …）最后一行下方紧挨着的非空行。校验器会读取这些行（所以下方补录的
    成员仍算在团队中），但会报告它们。
为什么重要：
    Excel 的公式、汇总、下拉列表和条件格式只作用于表格范围：渠道实际值的 SUMIFS、预算合计都会漏掉这些行，
    甘特图也看不到它们。
示例：
    在「团队」表最后一行下面直接输入了一位新成员，表格没有自动扩展（例如从别处粘贴时）。
如何修复：
    拖动表格右下角的控制柄把这些行包含进来（或在表格内插入行后再输入）。
""")
def row_outside_table(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """Rows typed right below an Excel Table, outside its range.

    What it checks:
        The non-empty rows right below the last row of each Excel Table (Team, Tasks, Budget …). The checker
        reads them (a member typed below the Team table is on the team), and reports them.
    Why it matters:
        Excel's formulas, totals, dropdowns and conditional formats cover the Table's range only: the Channels
        actuals (SUMIFS), the Budget totals and the Gantt all miss these rows.
    Example:
        A new member typed under the last row of the Team table, which did not grow (pasted from elsewhere).
    How to fix:
        Drag the Table's corner handle down over the rows (or insert rows inside the Table and type there).
    """
    for info in plan.tables.values():
        if not info.outside_rows:
            continue
        table = info.table_name or S.SPECS[info.key].table
        first_col = min(info.columns.values(), default=1)
        for row in info.outside_rows:
            yield ctx.finding((info.sheet, row, first_col), f"第 {row} 行在表格 {table} 的范围之外（公式与汇总不包含它）",
                              f"row {row} is outside the Table {table} (its formulas and totals leave it out)",
                              field=info.key, value=row,
                              hint=(f"拖动表格 {table} 右下角的控制柄，把第 {row} 行包含进表格",
                                    f"drag the corner handle of the Table {table} down over row {row}"))


@rule("WB016", "table-not-read", W, "表格未被读取", doc_zh="""
另一个工作表上有同类的表格，但只读取了一个。

检查内容：
    没有被读取的工作表中，表头与某个活动表格（预算、物料、渠道 …）完全对得上的表格。任务表例外：第二个任务表
    （如源文档的「时间进度表」与「任务分工表」）会被读取并与第一个合并。
为什么重要：
    这个表中的行不会被校验、汇总，也不会出现在汇总表中：两份预算表中只有一份被计算。
示例：
    「预算」工作表之外，还有一张「预算（旧）」，表头相同。
如何修复：
    把需要的行合并到被读取的表格中，然后删除或改名（如「存档」）多余的工作表。
""")
def table_not_read(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A sheet holds a table of a kind that is already read from another sheet, so it is not read.

    What it checks:
        Sheets not read whose header row fully matches a campaign table (Budget, Materials, Channels …). Task
        tables are the exception: a second one (the source's 时间进度表 beside its 任务分工表) is read and joined.
    Why it matters:
        Its rows are not checked, totalled or shown on the Summary: of two budget tables only one is counted.
    Example:
        Besides the sheet 预算, a sheet 预算（旧） with the same headers.
    How to fix:
        Merge the rows you need into the table that is read, then delete the extra sheet or rename it (Archive).
    """
    for key, sheet, header_row in plan.unread_tables:
        used = plan.tables[key].sheet
        label = _sheet_label(ctx, key)
        yield ctx.finding((sheet, header_row, None),
                          f"工作表「{sheet}」中的{label}表格未被读取（已从「{used}」读取）",
                          f'the {label} table on sheet "{sheet}" is not read (it is read from "{used}")',
                          field=key, value=sheet,
                          hint=(f"把需要的行合并到「{used}」，再删除或改名「{sheet}」",
                                f'merge the rows you need into "{used}", then delete or rename "{sheet}"'))


# Columns Excel looks rows up by exact text (SUMIFS criteria, lookups): a space around the name breaks the match.
LOOKUP_COLUMNS = {("channels", "name"), ("kpi", "channel"), ("budget", "channel"), ("team", "name"),
                  ("tasks", "id"), ("materials", "task_id")}


@rule("WB017", "name-with-surrounding-spaces", W, "名称前后有空格", doc_zh="""
用于匹配的名称（渠道、成员、任务编号）前后带有空格。

检查内容：
    渠道表的渠道名称、每日数据与预算的「渠道」、团队的「姓名」、任务「编号」和物料「关联任务」中，文字前后
    有空格的单元格。
为什么重要：
    校验器会忽略空格，Excel 不会：渠道表中的 SUMIFS 把 ``KOL `` 和 ``KOL`` 当成两个渠道，这一行的数据不计入
    任何渠道，而校验器的汇总却计入了——两边的数字对不上。
示例：
    每日数据中的渠道写成 ``KOL ``（末尾有空格）。
如何修复：
    删掉空格，按信息中给出的名称重新输入。
""")
def name_with_surrounding_spaces(plan: Plan, ctx: Context) -> Iterator[Finding]:
    """A name that rows are matched by (channel, member, task ID) has spaces around it.

    What it checks:
        The channel names of the Channels sheet, the *Channel* of Daily KPI and Budget rows, the team members'
        names, task IDs and materials' *Used by task*: cells whose text starts or ends with a space.
    Why it matters:
        The checker ignores the spaces, Excel does not: the Channels sheet's SUMIFS treats ``KOL `` and ``KOL``
        as two channels, so the row counts for no channel in Excel while the checker counts it — the numbers
        disagree.
    Example:
        A Daily KPI row with channel ``KOL `` (a trailing space).
    How to fix:
        Delete the spaces: type the name the message shows.
    """
    for key, record, problem in value_problems(plan):
        if problem.kind != P.PADDED_TEXT or (key, problem.field) not in LOOKUP_COLUMNS:
            continue
        column = S.SPECS[key].column(problem.field)
        clean = str(problem.raw).strip()
        yield ctx.finding(ctx.where(key, record, problem.field),
                          f"「{column.zh}」的值 {problem.raw!r} 前后有空格，Excel 按名称匹配时认不出「{clean}」",
                          f'"{column.en}" value {problem.raw!r} has spaces around it; Excel\'s lookups do not '
                          f'match it to "{clean}"', field=problem.field, value=problem.raw, expected=clean,
                          hint=(f"删掉空格，输入「{clean}」", f'delete the spaces: type "{clean}"'))
