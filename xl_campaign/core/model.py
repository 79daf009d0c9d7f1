"""Typed models of a campaign workbook, with the exact cell position of every value.

Each record class declares its sheet's input columns, once: a field per column, whose :func:`~.columns.column`
default carries the headers (zh/en), aliases, type, format and vocabulary; ``spec.py`` builds the sheet
declarations from these fields. A reader (``xl_campaign.io.reader``) fills a :class:`Plan`; the rules, budget,
schedule and KPI code read it. A position is always ``plan.cell(sheet_key, record, field)``. Nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from .columns import DATE_FORMAT, INT_FORMAT, MONEY_FORMAT, PERCENT_FORMAT, column
from .columns import ColType as T


def column_letter(col: int) -> str:
    """1 → A, 27 → AA (1-based)."""
    letters = ""
    while col > 0:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def a1(row: int, col: int) -> str:
    """The A1 address of a 1-based (row, column)."""
    return f"{column_letter(col)}{row}"


@dataclass(frozen=True, slots=True)
class ValueProblem:
    """A cell whose value could not be used as typed (kept for the validator, never dropped)."""

    field: str
    raw: Any
    kind: str  # a parse.* problem kind
    detail: str = ""


@dataclass(slots=True)
class Parsed:
    """Values read from cells, with the problems met while parsing them (never dropped: the validator reports
    them)."""

    problems: list[ValueProblem] = field(default_factory=list)

    def problem_for(self, field_key: str) -> ValueProblem | None:
        for problem in self.problems:
            if problem.field == field_key:
                return problem
        return None


@dataclass(slots=True)
class Record(Parsed):
    """Base of every table row: its 1-based Excel row and the problems met while parsing it."""

    row: int = 0
    # Positions of values that do not sit in the table's own columns on ``row``: (sheet, row, col) per field, for a
    # row read from a second table of the same kind (key "" is the row's own place) or a value joined from one.
    cells: dict[str, tuple[str, int, int]] | None = None


@dataclass(slots=True)
class Goal(Record):
    """A SMART goal: a metric with a target (e.g. 新增用户 10000)."""

    metric: str | None = column(T.TEXT, "指标", "Metric", ("目标指标", "kpi"), required=True, width=18)
    target: Decimal | None = column(
        T.TARGET, "目标值", "Target", ("目标",), required=True, number_format=INT_FORMAT,
        note_zh="数字；比率如 3%；ROI 按源文档写作 1:5；相对基线写作 +30%",
        note_en="A number; a rate such as 3%; ROI the source's way, 1:5; against the baseline, +30%",
    )
    unit: str | None = column(T.TEXT, "单位", "Unit", width=10)
    baseline: Decimal | None = column(
        T.MONEY, "基线", "Baseline", ("基线值", "基准", "基准值", "上次活动", "last campaign"),
        number_format="#,##0.##", note_zh="上次活动或活动前的值；+30% 这样的目标按它计算",
        note_en="The value before the campaign (or the last one's); a target such as +30% is computed from it",
    )
    deadline: date | None = column(
        T.DATE, "截止日期", "Deadline", ("期限", "完成时间", "due", "by"), number_format=DATE_FORMAT, width=12,
        note_zh="留空则为活动结束日期", note_en="Empty means the campaign's end date",
    )
    daily_target: Decimal | None = column(
        T.MONEY, "每日目标", "Daily target", ("日目标", "每天目标", "per day"), number_format="#,##0.##",
        note_zh="留空则为目标值按活动天数平均", note_en="Empty means the target spread evenly over the campaign's days",
    )
    note: str | None = column(T.TEXT, "说明", "Note", ("备注",), width=40)


@dataclass(slots=True)
class Member(Record):
    """A person on the team."""

    name: str | None = column(T.TEXT, "姓名", "Name", ("成员", "人员", "member"), required=True)
    role: str | None = column(
        T.CHOICE, "角色", "Role", ("职责", "小组"), required=True, vocab="role", width=18
    )
    department: str | None = column(T.TEXT, "部门", "Department", ("所属部门", "dept"))
    contact: str | None = column(T.TEXT, "联系方式", "Contact", ("电话", "邮箱", "email", "phone"), width=24)


@dataclass(slots=True)
class Task(Record):
    """One row of the Tasks sheet (the source's task assignment and timeline tables joined)."""

    id: str | None = column(T.TEXT, "编号", "ID", ("任务编号", "序号", "no", "task id"), width=6)
    stage: str | None = column(T.CHOICE, "阶段", "Stage", ("活动阶段", "phase"), vocab="stage", width=12)
    module: str | None = column(T.TEXT, "任务模块", "Module", ("模块", "task module"), width=10)
    task: str | None = column(
        T.TEXT,
        "具体任务内容",
        "Task",
        ("关键任务", "任务内容", "任务", "task content", "key task"),
        required=True,
        width=24,
    )
    owner: list[str] = column(T.PEOPLE, "负责人", "Owner", ("责任人", "owner(s)"), required=True, width=10)
    departments: list[str] = column(
        T.LIST, "协作部门", "Collaborating departments", ("协作", "collaborators"), width=14
    )
    start: date | None = column(
        T.DATE, "开始时间", "Start", ("开始日期", "开始", "start date"), number_format=DATE_FORMAT, width=11
    )
    end: date | None = column(
        T.DATE,
        "结束时间",
        "End / due",
        ("完成时间", "截止时间", "结束日期", "截止日期", "due", "end", "due date", "end date"),
        number_format=DATE_FORMAT,
        width=11,
    )
    status: str | None = column(T.CHOICE, "状态", "Status", ("进度状态",), vocab="status", width=9)
    progress: Decimal | None = column(
        T.PERCENT, "完成度", "Progress", ("进度", "完成比例", "% complete"), number_format="0%", width=9
    )
    milestone: bool = column(T.FLAG, "里程碑", "Milestone", vocab="yes_no", width=9)
    depends_on: list[str] = column(
        T.IDS, "前置任务", "Depends on", ("依赖", "前置", "predecessors"), width=9
    )
    deliverable: str | None = column(
        T.TEXT, "交付标准", "Deliverable standard", ("交付标准（示例）", "交付物", "deliverable"), width=24
    )

    # the row's cells as typed (column key -> raw value): what a formula looking the task up by its ID gives
    typed: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def whole_campaign(self) -> bool:
        """True when the due date is written as text meaning "for the whole campaign" (活动全程)."""
        problem = self.problem_for("end")
        return problem is not None and problem.kind == "whole-campaign"


@dataclass(slots=True)
class Material(Record):
    """A material to prepare (poster, short video, H5 page, gifts, display stands …)."""

    name: str | None = column(
        T.TEXT, "物料名称", "Material", ("物料", "名称", "item", "name"), required=True, width=18
    )
    spec: str | None = column(T.TEXT, "规格", "Specification", ("尺寸", "spec"), width=20)
    quantity: int | None = column(T.INT, "数量", "Quantity", ("qty",), number_format=INT_FORMAT, width=8)
    due: date | None = column(
        T.DATE, "完成时间", "Due", ("截止时间", "交付时间", "due date"), number_format=DATE_FORMAT, width=12
    )
    owner: list[str] = column(T.PEOPLE, "负责人", "Owner", ("责任人",), required=True, width=12)
    task_id: str | None = column(T.TEXT, "关联任务", "Used by task", ("任务编号", "task"), width=10)
    status: str | None = column(T.CHOICE, "状态", "Status", vocab="status", width=10)
    note: str | None = column(T.TEXT, "备注", "Note", width=24)


@dataclass(slots=True)
class BudgetLine(Record):
    """A budget line; category ``reserve`` is the contingency reserve."""

    category: str | None = column(
        T.CHOICE,
        "类别",
        "Category",
        ("预算类别", "费用类别", "类型"),
        required=True,
        vocab="category",
        width=10,
    )
    item: str | None = column(
        T.TEXT, "项目", "Item", ("预算项目", "明细", "line item"), required=True, width=22
    )
    channel: str | None = column(T.TEXT, "渠道", "Channel", ("投放渠道",), width=12)
    planned: Decimal | None = column(
        T.MONEY,
        "预算金额",
        "Planned",
        ("计划金额", "预算", "金额", "planned amount", "budget"),
        required=True,
        number_format=MONEY_FORMAT,
        width=13,
    )
    actual: Decimal | None = column(
        T.MONEY, "实际金额", "Actual", ("实际花费", "实际", "actual spend"), number_format=MONEY_FORMAT,
        width=13,
    )
    owner: list[str] = column(T.PEOPLE, "负责人", "Owner", ("责任人",), required=True, width=10)
    note: str | None = column(T.TEXT, "备注", "Note", width=18)


@dataclass(slots=True)
class Channel(Record):
    """A channel with its target budget share and targets (computed columns are not read)."""

    name: str | None = column(T.TEXT, "渠道名称", "Channel", ("渠道", "name"), required=True, width=11)
    type: str | None = column(
        T.CHOICE, "线上/线下", "Online/offline", ("类型", "type"), vocab="channel_type", width=8
    )
    share: Decimal | None = column(
        T.PERCENT,
        "目标预算占比",
        "Target budget share",
        ("预算占比", "占比", "share"),
        number_format=PERCENT_FORMAT,
        width=9,
    )
    target_impressions: int | None = column(
        T.INT, "目标曝光量", "Target impressions", number_format=INT_FORMAT, width=9
    )
    target_clicks: int | None = column(T.INT, "目标点击量", "Target clicks", number_format=INT_FORMAT, width=8)
    target_conversions: int | None = column(
        T.INT, "目标转化数", "Target conversions", number_format=INT_FORMAT, width=8
    )
    target_revenue: Decimal | None = column(
        T.MONEY, "目标销售额", "Target revenue", number_format=MONEY_FORMAT, width=12
    )


@dataclass(slots=True)
class KpiRow(Record):
    """One day of one channel's results."""

    date: date | None = column(
        T.DATE, "日期", "Date", ("统计日期", "day"), required=True, number_format=DATE_FORMAT, width=12
    )
    channel: str | None = column(T.TEXT, "渠道", "Channel", ("渠道名称",), required=True)
    impressions: int | None = column(
        T.INT, "曝光量", "Impressions", ("曝光", "展示量", "views"), number_format=INT_FORMAT
    )
    clicks: int | None = column(T.INT, "点击量", "Clicks", ("点击", "点击数"), number_format=INT_FORMAT)
    conversions: int | None = column(
        T.INT, "转化数", "Conversions", ("转化", "转化量", "报名人数", "orders"), number_format=INT_FORMAT
    )
    revenue: Decimal | None = column(
        T.MONEY, "销售额", "Revenue", ("收入", "成交额", "gmv", "sales"), number_format=MONEY_FORMAT
    )
    spend: Decimal | None = column(
        T.MONEY, "花费", "Spend", ("投放", "消耗", "费用", "cost"), number_format=MONEY_FORMAT
    )
    new_users: int | None = column(
        T.INT, "新增用户", "New users", ("新用户", "拉新"), number_format=INT_FORMAT
    )


@dataclass(slots=True)
class ReviewItem(Record):
    """A problem found in the review, with responsible party and fix."""

    problem: str | None = column(T.TEXT, "问题", "Problem", ("问题描述",), required=True, width=30)
    cause: str | None = column(T.TEXT, "原因", "Cause", ("原因分析",), width=26)
    owner: list[str] = column(T.PEOPLE, "责任人", "Owner", ("负责人", "责任方"), width=12)
    improvement: str | None = column(T.TEXT, "改进措施", "Improvement", ("改进", "解决方案", "fix"), width=34)
    due: date | None = column(T.DATE, "完成时间", "Due", ("截止时间",), number_format=DATE_FORMAT, width=12)


@dataclass(slots=True)
class Touchpoint(Record):
    """A touchpoint of the campaign (an H5 page, a live-stream room, a store display) with the metrics the user
    measures on it: every header of the Touchpoints table that is not a declared column is a metric column of
    the user's own (访问量, 分享率 …), read into ``metrics``."""

    name: str | None = column(
        T.TEXT, "触点", "Touchpoint", ("触点名称", "接触点", "touch point", "touchpoints"), required=True, width=20
    )
    channel: str | None = column(T.TEXT, "渠道", "Channel", ("渠道名称",))
    note: str | None = column(T.TEXT, "备注", "Note", ("说明",), width=30)
    metrics: dict[str, Decimal] = field(default_factory=dict)  # header -> value of the user's metric columns
    unread: list[tuple[str, Any, int]] = field(default_factory=list)  # (header, raw, column) not a number


@dataclass(slots=True)
class Overview(Parsed):
    """The campaign's key facts (a form sheet: label, value)."""

    name: str | None = column(T.TEXT, "活动名称", "Campaign name", ("活动", "name"), required=True, width=40)
    theme: str | None = column(T.TEXT, "活动主题", "Theme", ("主题",))
    product: str | None = column(T.TEXT, "推广产品", "Product", ("产品",))
    lifecycle: str | None = column(
        T.CHOICE, "产品阶段", "Product stage", ("生命周期", "lifecycle stage"), vocab="lifecycle"
    )
    launch: date | None = column(
        T.DATE,
        "上线日期",
        "Launch date",
        ("启动日期", "开始日期", "活动开始", "launch"),
        required=True,
        number_format=DATE_FORMAT,
        note_zh="爆发期从这一天开始",
        note_en="The burst period starts on this day",
    )
    end: date | None = column(
        T.DATE,
        "结束日期",
        "End date",
        ("活动结束", "截止日期", "end"),
        required=True,
        number_format=DATE_FORMAT,
        note_zh="延续期的最后一天",
        note_en="Last day of the continuation period",
    )
    owner: list[str] = column(
        T.PEOPLE, "活动总负责人", "Campaign lead", ("总负责人", "负责人", "owner", "lead"), required=True
    )
    currency: str | None = column(T.TEXT, "币种", "Currency", ("货币",))
    total_budget: Decimal | None = column(
        T.MONEY, "总预算", "Total budget", ("预算总额", "budget"), required=True, number_format=MONEY_FORMAT
    )
    reserve_target: Decimal | None = column(
        T.PERCENT,
        "应急资金比例目标",
        "Reserve-rate target",
        ("应急资金比例", "reserve rate"),
        number_format=PERCENT_FORMAT,
        note_zh="10%–15%",
        note_en="10%–15%",
    )
    as_of: date | None = column(
        T.DATE,
        "状态日期",
        "Status date",
        ("今天", "as of", "today"),
        number_format=DATE_FORMAT,
        note_zh="留空则为今天；逾期与进度按此日期判断",
        note_en="Empty means today; overdue work and pacing are judged on this date",
    )
    region: str | None = column(
        T.TEXT,
        "地区",
        "Region",
        ("节假日地区", "国家/地区", "国家", "country", "holiday region", "holidays"),
        note_zh="节假日与调休按此地区（如 CN、US；留空：中文工作簿为 CN；填“无”则只看周末）",
        note_en="Public holidays of this region (CN, US …; empty: CN in a Chinese workbook, weekends only in an "
                "English one; \"none\": weekends only)",
    )
    durations: str | None = column(
        T.CHOICE,
        "工期计算",
        "Durations",
        ("工期单位", "工期", "duration unit"),
        vocab="duration",
        note_zh="甘特图中的工期：日历日或工作日（扣除周末与节假日，计入调休上班日）",
        note_en="Task durations on the Gantt: calendar days, or working days (without weekends and public "
                "holidays, with make-up working days)",
    )

    # field key -> (row, col) of the value cell; fields not found are absent
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)


@dataclass(slots=True)
class TableInfo:
    """Where a table was found and how: the positions that turn a record field into a cell address."""

    key: str  # spec key
    sheet: str
    header_row: int  # 1-based
    columns: dict[str, int]  # field key -> 1-based column
    found_by: str  # "table" (Excel Table name) | "sheet" (sheet name + headers) | "headers" (headers only)
    table_name: str | None = None
    last_row: int = 0  # last data row read (1-based), header_row when empty
    headers: list[str] = field(default_factory=list)  # header texts as found, in column order
    missing: list[str] = field(default_factory=list)  # keys of declared input columns not found
    unmatched: list[tuple[int, str]] = field(default_factory=list)  # (1-based column, text) of unknown headers
    outside_rows: list[int] = field(default_factory=list)  # rows typed just below an Excel Table's range (read)


@dataclass(frozen=True, slots=True)
class CellNote:
    """A cell worth reporting that is not a parsed value: an error value, a formula with no cached value."""

    sheet: str
    row: int
    col: int
    kind: str  # "error" | "uncalculated" | "formula"
    value: str = ""  # the error text (#REF!) or the formula


@dataclass(frozen=True, slots=True)
class SecurityNote:
    """Something in the package that can run code, reach outside the file or hide content, as the package scan
    found it (``core/rules/sec.py`` judges it; ``core/security.py`` says what each kind holds).

    ``part`` is the zip part it lives in; ``sheet``/``row``/``col`` place it when it belongs to a sheet or a cell
    (0 when not); ``name`` and ``target`` are the kind's two facts (a function and its argument, a procedure and
    its module, a connection and its source …); ``details`` anything more (procedures, calls, sources)."""

    kind: str
    part: str
    sheet: str = ""
    row: int = 0
    col: int = 0
    name: str = ""
    target: str = ""
    details: tuple[str, ...] = ()


@dataclass(slots=True)
class Plan:
    """Everything read from one campaign workbook."""

    path: str | None = None
    lang: str = "zh"
    overview: Overview = field(default_factory=Overview)
    overview_sheet: str | None = None
    goals: list[Goal] = field(default_factory=list)
    team: list[Member] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    materials: list[Material] = field(default_factory=list)
    budget: list[BudgetLine] = field(default_factory=list)
    channels: list[Channel] = field(default_factory=list)
    kpi: list[KpiRow] = field(default_factory=list)
    review: list[ReviewItem] = field(default_factory=list)
    touchpoints: list[Touchpoint] = field(default_factory=list)
    tables: dict[str, TableInfo] = field(default_factory=dict)
    sheet_names: list[str] = field(default_factory=list)
    missing_sheets: list[str] = field(default_factory=list)  # spec keys not found at all
    extra_tables: list[TableInfo] = field(default_factory=list)  # further task tables, read and joined into tasks
    # tables of a kind already read from another sheet, so not read: (spec key, sheet, header row)
    unread_tables: list[tuple[str, str, int]] = field(default_factory=list)
    date1904: bool = False
    cell_notes: list[CellNote] = field(default_factory=list)
    security_notes: list[SecurityNote] = field(default_factory=list)  # what the SEC rules judge
    # the cached values of the native formula cells the template writes (defined name -> value), when present
    computed_values: dict[str, Any] = field(default_factory=dict)

    def records(self, key: str) -> list[Any]:
        """The records of the table with spec key ``key``."""
        return getattr(self, key)  # type: ignore[no-any-return]

    def cell(self, key: str, record: Record, field_key: str) -> tuple[str, int, int] | None:
        """(sheet, row, col) of ``field_key`` in ``record`` of table ``key``; None when the column is absent."""
        cells = record.cells
        if cells:
            if field_key in cells:
                return cells[field_key]
            if "" in cells:  # a row of another table that lacks this column
                return None
        info = self.tables.get(key)
        if info is None or field_key not in info.columns:
            return None
        return info.sheet, record.row, info.columns[field_key]

    def overview_cell(self, field_key: str) -> tuple[str, int, int] | None:
        pos = self.overview.positions.get(field_key)
        if pos is None or self.overview_sheet is None:
            return None
        return self.overview_sheet, pos[0], pos[1]

    @property
    def team_names(self) -> set[str]:
        return {m.name for m in self.team if m.name}
