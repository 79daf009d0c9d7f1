"""One declaration per sheet.

Every template sheet is declared here once: a stable ASCII table name, localized sheet names, and the columns
with key, type, zh/en header, header aliases, number format, width and dropdown vocabulary. The template writer,
the reader, the validator, the UDF converters and the docs all derive from these declarations; no other module
names a header or a cell address of a template sheet.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from enum import StrEnum


class ColType(StrEnum):
    """How a column's cells are parsed."""

    TEXT = "text"
    INT = "int"  # counts: impressions, clicks, quantity
    MONEY = "money"  # exact amounts (Decimal)
    PERCENT = "percent"  # a rate: 0.1, "10%", 10 (read as 10%)
    DATE = "date"
    PEOPLE = "people"  # owner cells: "*小明", "小明、小红"
    LIST = "list"  # several values in a cell: departments "市场部、设计部"
    IDS = "ids"  # task IDs: "T1, T2"
    CHOICE = "choice"  # one value of a vocabulary (vocab.py)
    FLAG = "flag"  # yes/no


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a table sheet (or one field of a form sheet)."""

    key: str
    type: ColType
    zh: str
    en: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    vocab: str | None = None  # vocabulary name for CHOICE / FLAG columns
    number_format: str | None = None
    width: float = 14.0
    # A computed column: its template formula (Excel syntax, structured references; "{zh}"-style header
    # placeholders are resolved by the writer per language). Computed columns are not read as input.
    formula: str | None = None
    note_zh: str = ""
    note_en: str = ""

    def header(self, lang: str) -> str:
        """The header text of this column in a workbook of language ``lang``."""
        return self.zh if lang == "zh" else self.en

    def note(self, lang: str) -> str:
        return self.note_zh if lang == "zh" else self.note_en

    def names(self) -> tuple[str, ...]:
        """Every header text that identifies this column."""
        return (self.zh, self.en, self.key, *self.aliases)


@dataclass(frozen=True)
class SheetSpec:
    """One template sheet: a table (header row + records) or a form (label/value pairs)."""

    key: str
    table: str  # stable ASCII Excel Table name (for forms: the prefix of defined names)
    zh: str
    en: str
    columns: tuple[Column, ...]
    aliases: tuple[str, ...] = ()
    kind: str = "table"  # "table" | "form"
    required: bool = True
    title_zh: str = ""
    title_en: str = ""
    # The first row of the table header (1-based) in the template; readers search, they do not assume it.
    header_row: int = 3
    _by_key: dict[str, Column] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for col in self.columns:
            self._by_key[col.key] = col

    def name(self, lang: str) -> str:
        """Sheet name in a workbook of language ``lang``."""
        return self.zh if lang == "zh" else self.en

    def title(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title_en

    def names(self) -> tuple[str, ...]:
        return (self.zh, self.en, self.key, self.table, *self.aliases)

    def column(self, key: str) -> Column:
        return self._by_key[key]

    @functools.cached_property
    def input_columns(self) -> tuple[Column, ...]:
        """Columns a user types into (not computed)."""
        return tuple(c for c in self.columns if c.formula is None)


MONEY_FORMAT = "#,##0.00"
INT_FORMAT = "#,##0"
PERCENT_FORMAT = "0.0%"
DATE_FORMAT = "yyyy-mm-dd"

C = Column
T = ColType

OVERVIEW = SheetSpec(
    key="overview",
    table="Campaign",
    zh="活动概览",
    en="Overview",
    aliases=("概览", "活动信息", "campaign", "campaign overview"),
    kind="form",
    title_zh="活动概览",
    title_en="Campaign overview",
    columns=(
        C("name", T.TEXT, "活动名称", "Campaign name", ("活动", "name"), required=True, width=40),
        C("theme", T.TEXT, "活动主题", "Theme", ("主题",)),
        C("product", T.TEXT, "推广产品", "Product", ("产品",)),
        C("lifecycle", T.CHOICE, "产品阶段", "Product stage", ("生命周期", "lifecycle stage"), vocab="lifecycle"),
        C("launch", T.DATE, "上线日期", "Launch date", ("启动日期", "开始日期", "活动开始", "launch"),
          required=True, number_format=DATE_FORMAT,
          note_zh="爆发期从这一天开始", note_en="The burst period starts on this day"),
        C("end", T.DATE, "结束日期", "End date", ("活动结束", "截止日期", "end"), required=True,
          number_format=DATE_FORMAT, note_zh="延续期的最后一天", note_en="Last day of the continuation period"),
        C("owner", T.PEOPLE, "活动总负责人", "Campaign lead", ("总负责人", "负责人", "owner", "lead"), required=True),
        C("currency", T.TEXT, "币种", "Currency", ("货币",)),
        C("total_budget", T.MONEY, "总预算", "Total budget", ("预算总额", "budget"), required=True,
          number_format=MONEY_FORMAT),
        C("reserve_target", T.PERCENT, "应急资金比例目标", "Reserve-rate target", ("应急资金比例", "reserve rate"),
          number_format=PERCENT_FORMAT, note_zh="10%–15%", note_en="10%–15%"),
        C("as_of", T.DATE, "状态日期", "Status date", ("今天", "as of", "today"), number_format=DATE_FORMAT,
          note_zh="留空则为今天；逾期与进度按此日期判断",
          note_en="Empty means today; overdue work and pacing are judged on this date"),
    ),
)

GOALS = SheetSpec(
    key="goals",
    table="Goals",
    zh="活动概览",
    en="Overview",
    required=False,
    title_zh="SMART 目标",
    title_en="SMART goals",
    columns=(
        C("metric", T.TEXT, "指标", "Metric", ("目标指标", "kpi"), required=True, width=18),
        C("target", T.MONEY, "目标值", "Target", ("目标",), required=True, number_format="#,##0.##"),
        C("unit", T.TEXT, "单位", "Unit", (), width=10),
        C("note", T.TEXT, "说明", "Note", ("备注",), width=40),
    ),
)

TEAM = SheetSpec(
    key="team",
    table="Team",
    zh="团队",
    en="Team",
    aliases=("团队成员", "人员", "members", "people"),
    title_zh="团队与角色",
    title_en="Team and roles",
    columns=(
        C("name", T.TEXT, "姓名", "Name", ("成员", "人员", "member"), required=True, width=14),
        C("role", T.CHOICE, "角色", "Role", ("职责", "小组"), required=True, vocab="role", width=18),
        C("department", T.TEXT, "部门", "Department", ("所属部门", "dept"), width=14),
        C("contact", T.TEXT, "联系方式", "Contact", ("电话", "邮箱", "email", "phone"), width=24),
    ),
)

TASKS = SheetSpec(
    key="tasks",
    table="Tasks",
    zh="任务",
    en="Tasks",
    aliases=("任务分工表", "时间进度表", "任务分工", "进度表", "甘特图示例", "schedule", "task assignment"),
    title_zh="任务分工与进度",
    title_en="Tasks and schedule",
    columns=(
        C("id", T.TEXT, "编号", "ID", ("任务编号", "序号", "no", "task id"), width=8),
        C("stage", T.CHOICE, "阶段", "Stage", ("活动阶段", "phase"), vocab="stage", width=12),
        C("module", T.TEXT, "任务模块", "Module", ("模块", "task module"), width=12),
        C("task", T.TEXT, "具体任务内容", "Task", ("关键任务", "任务内容", "任务", "task content", "key task"),
          required=True, width=30),
        C("owner", T.PEOPLE, "负责人", "Owner", ("责任人", "owner(s)"), required=True, width=12),
        C("departments", T.LIST, "协作部门", "Collaborating departments", ("协作", "collaborators"), width=18),
        C("start", T.DATE, "开始时间", "Start", ("开始日期", "开始", "start date"), number_format=DATE_FORMAT,
          width=12),
        C("end", T.DATE, "结束时间", "End / due", ("完成时间", "截止时间", "结束日期", "截止日期", "due", "end",
                                                   "due date", "end date"),
          number_format=DATE_FORMAT, width=12),
        C("status", T.CHOICE, "状态", "Status", ("进度状态",), vocab="status", width=10),
        C("progress", T.PERCENT, "完成度", "Progress", ("进度", "完成比例", "% complete"),
          number_format="0%", width=9),
        C("milestone", T.FLAG, "里程碑", "Milestone", (), vocab="yes_no", width=8),
        C("depends_on", T.IDS, "前置任务", "Depends on", ("依赖", "前置", "predecessors"), width=10),
        C("deliverable", T.TEXT, "交付标准", "Deliverable standard", ("交付标准（示例）", "交付物", "deliverable"),
          width=36),
    ),
)

MATERIALS = SheetSpec(
    key="materials",
    table="Materials",
    zh="物料",
    en="Materials",
    aliases=("物料准备表", "物料准备", "assets"),
    title_zh="物料准备",
    title_en="Materials",
    columns=(
        C("name", T.TEXT, "物料名称", "Material", ("物料", "名称", "item", "name"), required=True, width=18),
        C("spec", T.TEXT, "规格", "Specification", ("尺寸", "spec"), width=20),
        C("quantity", T.INT, "数量", "Quantity", ("qty",), number_format=INT_FORMAT, width=8),
        C("due", T.DATE, "完成时间", "Due", ("截止时间", "交付时间", "due date"), number_format=DATE_FORMAT,
          width=12),
        C("owner", T.PEOPLE, "负责人", "Owner", ("责任人",), required=True, width=12),
        C("task_id", T.TEXT, "关联任务", "Used by task", ("任务编号", "task"), width=10),
        C("status", T.CHOICE, "状态", "Status", (), vocab="status", width=10),
        C("note", T.TEXT, "备注", "Note", (), width=24),
    ),
)

BUDGET = SheetSpec(
    key="budget",
    table="Budget",
    zh="预算",
    en="Budget",
    aliases=("预算表", "费用", "costs"),
    title_zh="预算与应急资金",
    title_en="Budget and reserve",
    columns=(
        C("category", T.CHOICE, "类别", "Category", ("预算类别", "费用类别", "类型"), required=True,
          vocab="category", width=12),
        C("item", T.TEXT, "项目", "Item", ("预算项目", "明细", "line item"), required=True, width=26),
        C("channel", T.TEXT, "渠道", "Channel", ("投放渠道",), width=14),
        C("planned", T.MONEY, "预算金额", "Planned", ("计划金额", "预算", "金额", "planned amount", "budget"),
          required=True, number_format=MONEY_FORMAT, width=14),
        C("actual", T.MONEY, "实际金额", "Actual", ("实际花费", "实际", "actual spend"), number_format=MONEY_FORMAT,
          width=14),
        C("owner", T.PEOPLE, "负责人", "Owner", ("责任人",), required=True, width=12),
        C("note", T.TEXT, "备注", "Note", (), width=24),
    ),
)

CHANNELS = SheetSpec(
    key="channels",
    table="Channels",
    zh="渠道",
    en="Channels",
    aliases=("渠道计划", "投放渠道"),
    title_zh="渠道与目标",
    title_en="Channels and targets",
    columns=(
        C("name", T.TEXT, "渠道名称", "Channel", ("渠道", "name"), required=True, width=14),
        C("type", T.CHOICE, "线上/线下", "Online/offline", ("类型", "type"), vocab="channel_type", width=10),
        C("share", T.PERCENT, "目标预算占比", "Target budget share", ("预算占比", "占比", "share"),
          number_format=PERCENT_FORMAT, width=12),
        C("target_impressions", T.INT, "目标曝光量", "Target impressions", (), number_format=INT_FORMAT),
        C("target_clicks", T.INT, "目标点击量", "Target clicks", (), number_format=INT_FORMAT),
        C("target_conversions", T.INT, "目标转化数", "Target conversions", (), number_format=INT_FORMAT),
        C("target_revenue", T.MONEY, "目标销售额", "Target revenue", (), number_format=MONEY_FORMAT),
        # Computed columns: native formulas over the Daily KPI table, so the workbook works without Python.
        C("impressions", T.INT, "实际曝光量", "Impressions",
          formula="SUMIFS(KPI[{kpi.impressions}],KPI[{kpi.channel}],[@{channels.name}])",
          number_format=INT_FORMAT),
        C("clicks", T.INT, "实际点击量", "Clicks",
          formula="SUMIFS(KPI[{kpi.clicks}],KPI[{kpi.channel}],[@{channels.name}])", number_format=INT_FORMAT),
        C("conversions", T.INT, "实际转化数", "Conversions",
          formula="SUMIFS(KPI[{kpi.conversions}],KPI[{kpi.channel}],[@{channels.name}])", number_format=INT_FORMAT),
        C("revenue", T.MONEY, "实际销售额", "Revenue",
          formula="SUMIFS(KPI[{kpi.revenue}],KPI[{kpi.channel}],[@{channels.name}])", number_format=MONEY_FORMAT),
        C("spend", T.MONEY, "实际花费", "Spend",
          formula="SUMIFS(KPI[{kpi.spend}],KPI[{kpi.channel}],[@{channels.name}])", number_format=MONEY_FORMAT),
        C("ctr", T.PERCENT, "点击率", "CTR",
          formula='IF([@{channels.impressions}]>0,[@{channels.clicks}]/[@{channels.impressions}],"")',
          number_format="0.00%", width=9),
        C("cvr", T.PERCENT, "转化率", "Conversion rate",
          formula='IF([@{channels.clicks}]>0,[@{channels.conversions}]/[@{channels.clicks}],"")',
          number_format="0.00%", width=9),
        C("cpa", T.MONEY, "单次转化成本", "CPA",
          formula='IF([@{channels.conversions}]>0,[@{channels.spend}]/[@{channels.conversions}],"")',
          number_format=MONEY_FORMAT, width=11),
        C("roi", T.PERCENT, "ROI", "ROI",
          formula='IF([@{channels.spend}]>0,([@{channels.revenue}]-[@{channels.spend}])/[@{channels.spend}],"")',
          number_format="0.0%", width=9, note_zh="(销售额−花费)/花费", note_en="(revenue − spend) / spend"),
    ),
)

KPI = SheetSpec(
    key="kpi",
    table="KPI",
    zh="每日数据",
    en="Daily KPI",
    aliases=("每日KPI", "日报", "数据", "kpi", "daily data", "daily"),
    title_zh="每日数据",
    title_en="Daily KPI",
    columns=(
        C("date", T.DATE, "日期", "Date", ("统计日期", "day"), required=True, number_format=DATE_FORMAT, width=12),
        C("channel", T.TEXT, "渠道", "Channel", ("渠道名称",), required=True, width=14),
        C("impressions", T.INT, "曝光量", "Impressions", ("曝光", "展示量", "views"), number_format=INT_FORMAT),
        C("clicks", T.INT, "点击量", "Clicks", ("点击", "点击数"), number_format=INT_FORMAT),
        C("conversions", T.INT, "转化数", "Conversions", ("转化", "转化量", "报名人数", "orders"),
          number_format=INT_FORMAT),
        C("revenue", T.MONEY, "销售额", "Revenue", ("收入", "成交额", "gmv", "sales"), number_format=MONEY_FORMAT),
        C("spend", T.MONEY, "花费", "Spend", ("投放", "消耗", "费用", "cost"), number_format=MONEY_FORMAT),
        C("new_users", T.INT, "新增用户", "New users", ("新用户", "拉新"), number_format=INT_FORMAT),
    ),
)

REVIEW = SheetSpec(
    key="review",
    table="Review",
    zh="复盘",
    en="Review",
    aliases=("复盘表", "问题复盘", "retrospective", "lessons"),
    required=False,
    title_zh="复盘：问题与改进",
    title_en="Review: problems and fixes",
    columns=(
        C("problem", T.TEXT, "问题", "Problem", ("问题描述",), required=True, width=30),
        C("cause", T.TEXT, "原因", "Cause", ("原因分析",), width=26),
        C("owner", T.PEOPLE, "责任人", "Owner", ("负责人", "责任方"), width=12),
        C("improvement", T.TEXT, "改进措施", "Improvement", ("改进", "解决方案", "fix"), width=34),
        C("due", T.DATE, "完成时间", "Due", ("截止时间",), number_format=DATE_FORMAT, width=12),
    ),
)

# Sheets the user fills in, in workbook order (Guide first, generated sheets last).
INPUT_SPECS: tuple[SheetSpec, ...] = (OVERVIEW, TEAM, TASKS, MATERIALS, BUDGET, CHANNELS, KPI, REVIEW)
TABLE_SPECS: tuple[SheetSpec, ...] = (GOALS, TEAM, TASKS, MATERIALS, BUDGET, CHANNELS, KPI, REVIEW)
SPECS: dict[str, SheetSpec] = {s.key: s for s in (OVERVIEW, *TABLE_SPECS)}


@dataclass(frozen=True, slots=True)
class SheetName:
    """A sheet that is not read as data: the guide and the sheets the tool generates."""

    key: str
    zh: str
    en: str
    aliases: tuple[str, ...] = ()

    def name(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    def names(self) -> tuple[str, ...]:
        return (self.zh, self.en, self.key, *self.aliases)


GUIDE = SheetName("guide", "使用说明", "Guide", ("说明", "readme"))
GANTT = SheetName("gantt", "甘特图", "Gantt")
SUMMARY = SheetName("summary", "汇总", "Summary", ("汇总看板", "dashboard"))
ISSUES = SheetName("issues", "问题清单", "Issues", ("校验结果", "findings"))
GENERATED_SHEETS: tuple[SheetName, ...] = (GANTT, SUMMARY, ISSUES)

# Budget summary block on the Budget sheet (native formulas), one column right of the Budget table. Each row is
# (key, zh label, en label); categories come first (vocab CATEGORY order). Each non-category row's value cell
# gets a workbook-level defined name ``Budget_<Key>`` so formulas, the reader and the validator find it.
BUDGET_SUMMARY_GAP_COLUMNS = 1
BUDGET_SUMMARY_ROWS: tuple[tuple[str, str, str], ...] = (
    ("LinesTotal", "合计（不含应急资金）", "Lines total (without reserve)"),
    ("Reserve", "应急资金", "Reserve"),
    ("ReserveRate", "应急资金比例", "Reserve rate"),
    ("TotalBudget", "总预算", "Total budget"),
    ("Remaining", "未分配", "Unallocated"),
)
# Defined names for the Overview form's value cells: ``Campaign_<Key>``.
OVERVIEW_NAMES: dict[str, str] = {
    "launch": "Campaign_Launch",
    "end": "Campaign_End",
    "total_budget": "Campaign_TotalBudget",
    "reserve_target": "Campaign_ReserveTarget",
    "as_of": "Campaign_AsOf",
}


def resolve_formula(template: str) -> dict[str, str]:
    """The formula ``template`` of a computed column in each language ({"zh": ..., "en": ...}).

    Placeholders ``{sheet.column}`` become that column's header in the language.
    """
    out: dict[str, str] = {}
    for lang in ("zh", "en"):
        text = template
        for spec in SPECS.values():
            for col in spec.columns:
                text = text.replace("{" + f"{spec.key}.{col.key}" + "}", col.header(lang))
        out[lang] = text
    return out


def languages() -> tuple[str, str]:
    return ("zh", "en")
