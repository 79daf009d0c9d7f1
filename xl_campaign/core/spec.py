"""One declaration per sheet.

Every template sheet is declared here once: a stable ASCII table name, localized sheet names and aliases, a title,
and its columns — the input columns come from the fields of the sheet's record class in ``model.py`` (where each
column is declared, once), the computed columns (native formulas) are declared here. The template writer, the
reader, the validator, the UDF converters and the docs all derive from these declarations; no other module names a
header or a cell address of a template sheet.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field

from . import model as M
from .columns import COLUMN, DATE_FORMAT, INT_FORMAT, MONEY_FORMAT, PERCENT_FORMAT, ColType, Column
from .text import LANGS, t

__all__ = ["DATE_FORMAT", "INT_FORMAT", "MONEY_FORMAT", "PERCENT_FORMAT", "ColType", "Column", "SheetSpec"]


def record_columns(record_type: type) -> tuple[Column, ...]:
    """The columns a record class declares (its fields made with ``columns.column``), in field order."""
    return tuple(dataclasses.replace(f.metadata[COLUMN], key=f.name) for f in dataclasses.fields(record_type)
                 if COLUMN in f.metadata)


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
    record: type | None = None  # the record class a row (or the form) is read into
    # Headers of the user's own metric columns a new workbook starts with ((zh, en, number format), before the
    # last declared column); any header the table does not declare is read as such a column (Touchpoints).
    metric_columns: tuple[tuple[str, str, str], ...] = ()
    _by_key: dict[str, Column] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for col in self.columns:
            self._by_key[col.key] = col

    def name(self, lang: str) -> str:
        """Sheet name in a workbook of language ``lang``."""
        return t(lang, self.zh, self.en)

    def title(self, lang: str) -> str:
        return t(lang, self.title_zh, self.title_en)

    def names(self) -> tuple[str, ...]:
        return (self.zh, self.en, self.key, self.table, *self.aliases)

    def column(self, key: str) -> Column:
        return self._by_key[key]

    @functools.cached_property
    def input_columns(self) -> tuple[Column, ...]:
        """Columns a user types into (not computed)."""
        return tuple(c for c in self.columns if c.formula is None)


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
    record=M.Overview,
    columns=record_columns(M.Overview),
)

GOALS = SheetSpec(
    key="goals",
    table="Goals",
    zh="活动概览",
    en="Overview",
    required=False,
    title_zh="SMART 目标",
    title_en="SMART goals",
    record=M.Goal,
    columns=record_columns(M.Goal),
)

TEAM = SheetSpec(
    key="team",
    table="Team",
    zh="团队",
    en="Team",
    aliases=("团队成员", "人员", "members", "people"),
    title_zh="团队与角色",
    title_en="Team and roles",
    record=M.Member,
    columns=record_columns(M.Member),
)

TASKS = SheetSpec(
    key="tasks",
    table="Tasks",
    zh="任务",
    en="Tasks",
    aliases=("任务分工表", "时间进度表", "任务分工", "进度表", "甘特图示例", "schedule", "task assignment"),
    title_zh="任务分工与进度",
    title_en="Tasks and schedule",
    record=M.Task,
    columns=record_columns(M.Task),
)

MATERIALS = SheetSpec(
    key="materials",
    table="Materials",
    zh="物料",
    en="Materials",
    aliases=("物料准备表", "物料准备", "assets"),
    title_zh="物料准备",
    title_en="Materials",
    record=M.Material,
    columns=record_columns(M.Material),
)

BUDGET = SheetSpec(
    key="budget",
    table="Budget",
    zh="预算",
    en="Budget",
    aliases=("预算表", "费用", "costs"),
    title_zh="预算与应急资金",
    title_en="Budget and reserve",
    record=M.BudgetLine,
    columns=record_columns(M.BudgetLine),
)

CHANNELS = SheetSpec(
    key="channels",
    table="Channels",
    zh="渠道",
    en="Channels",
    aliases=("渠道计划", "投放渠道"),
    title_zh="渠道与目标",
    title_en="Channels and targets",
    record=M.Channel,
    columns=record_columns(M.Channel) + (
        # Computed columns: native formulas over the Daily KPI table, so the workbook works without Python.
        C("impressions", T.INT, "实际曝光量", "Impressions",
          formula="SUMIFS(KPI[{kpi.impressions}],KPI[{kpi.channel}],[@{channels.name}])",
          number_format=INT_FORMAT, width=9),
        C("clicks", T.INT, "实际点击量", "Clicks",
          formula="SUMIFS(KPI[{kpi.clicks}],KPI[{kpi.channel}],[@{channels.name}])", number_format=INT_FORMAT, width=9),
        C("conversions", T.INT, "实际转化数", "Conversions",
          formula="SUMIFS(KPI[{kpi.conversions}],KPI[{kpi.channel}],[@{channels.name}])", number_format=INT_FORMAT, width=9),
        C("revenue", T.MONEY, "实际销售额", "Revenue",
          formula="SUMIFS(KPI[{kpi.revenue}],KPI[{kpi.channel}],[@{channels.name}])", number_format=MONEY_FORMAT, width=12),
        C("spend", T.MONEY, "实际花费", "Spend",
          formula="SUMIFS(KPI[{kpi.spend}],KPI[{kpi.channel}],[@{channels.name}])", number_format=MONEY_FORMAT, width=12),
        C("ctr", T.PERCENT, "点击率", "CTR",
          formula='IF([@{channels.impressions}]>0,[@{channels.clicks}]/[@{channels.impressions}],"")',
          number_format="0.00%", width=8),
        C("cvr", T.PERCENT, "转化率", "Conversion rate",
          formula='IF([@{channels.clicks}]>0,[@{channels.conversions}]/[@{channels.clicks}],"")',
          number_format="0.00%", width=8),
        C("cpa", T.MONEY, "单次转化成本", "CPA",
          formula='IF([@{channels.conversions}]>0,[@{channels.spend}]/[@{channels.conversions}],"")',
          number_format=MONEY_FORMAT, width=10),
        C("roi", T.PERCENT, "净ROI", "Net ROI", ("ROI", "净 ROI", "net roi"),
          formula='IF([@{channels.spend}]>0,([@{channels.revenue}]-[@{channels.spend}])/[@{channels.spend}],"")',
          number_format="0.0%", width=8, note_zh="净ROI = (销售额−花费)/花费", note_en="Net ROI = (revenue − spend) / spend"),
        C("roas", T.TEXT, "ROI 1:N", "ROI 1:N", ("投入产出比", "revenue : spend"),
          formula='IF([@{channels.spend}]>0,"1:"&ROUND([@{channels.revenue}]/[@{channels.spend}],1),"")',
          width=9, note_zh="销售额 : 花费，源文档的写法（1:5 = 每花 1 元带来 5 元销售额）",
          note_en="revenue : spend, the source's way (1:5 = 5 of revenue for every 1 spent)"),
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
    record=M.KpiRow,
    columns=record_columns(M.KpiRow),
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
    record=M.ReviewItem,
    columns=record_columns(M.ReviewItem),
)

TOUCHPOINTS = SheetSpec(
    key="touchpoints",
    table="Touchpoints",
    zh="触点",
    en="Touchpoints",
    aliases=("触点数据", "触点分析", "touchpoint metrics"),
    required=False,
    title_zh="触点数据（复盘：高转化触点）",
    title_en="Touchpoints (review: high-converting touchpoints)",
    record=M.Touchpoint,
    columns=record_columns(M.Touchpoint),
    metric_columns=(("访问量", "Visits", INT_FORMAT), ("分享率", "Share rate", PERCENT_FORMAT),
                    ("转化率", "Conversion rate", PERCENT_FORMAT)),
)

# Sheets the user fills in, in workbook order (Guide first, generated sheets last).
INPUT_SPECS: tuple[SheetSpec, ...] = (OVERVIEW, TEAM, TASKS, MATERIALS, BUDGET, CHANNELS, KPI, REVIEW, TOUCHPOINTS)
TABLE_SPECS: tuple[SheetSpec, ...] = (GOALS, TEAM, TASKS, MATERIALS, BUDGET, CHANNELS, KPI, REVIEW, TOUCHPOINTS)
SPECS: dict[str, SheetSpec] = {s.key: s for s in (OVERVIEW, *TABLE_SPECS)}


@dataclass(frozen=True, slots=True)
class SheetName:
    """A sheet that is not read as data: the guide and the sheets the tool generates."""

    key: str
    zh: str
    en: str
    aliases: tuple[str, ...] = ()

    def name(self, lang: str) -> str:
        return t(lang, self.zh, self.en)

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
    for lang in LANGS:
        text = template
        for spec in SPECS.values():
            for col in spec.columns:
                text = text.replace("{" + f"{spec.key}.{col.key}" + "}", col.header(lang))
        out[lang] = text
    return out
