"""Typed models of a campaign workbook, with the exact cell position of every value.

A reader (``xl_campaign.io.reader``) fills a :class:`Plan`; the rules, budget, schedule and KPI code read it. Field
names of the record classes equal the column keys of the sheet declarations (``spec.py``), so a position is
always ``plan.cell(sheet_key, record, field)``. Nothing here does I/O.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from .spec import SPECS


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
class Record:
    """Base of every table row: its 1-based Excel row and the problems met while parsing it."""

    row: int = 0
    problems: list[ValueProblem] = field(default_factory=list)

    def problem_for(self, field_key: str) -> ValueProblem | None:
        for problem in self.problems:
            if problem.field == field_key:
                return problem
        return None


@dataclass(slots=True)
class Goal(Record):
    """A SMART goal: a metric with a target (e.g. 新增用户 10000)."""

    metric: str | None = None
    target: Decimal | None = None
    unit: str | None = None
    note: str | None = None


@dataclass(slots=True)
class Member(Record):
    """A person on the team."""

    name: str | None = None
    role: str | None = None  # vocab ROLE key
    department: str | None = None
    contact: str | None = None


@dataclass(slots=True)
class Task(Record):
    """One row of the Tasks sheet (the source's task assignment and timeline tables joined)."""

    id: str | None = None
    stage: str | None = None  # vocab STAGE key
    module: str | None = None
    task: str | None = None
    owner: list[str] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)
    start: date | None = None
    end: date | None = None
    status: str | None = None  # vocab STATUS key
    progress: Decimal | None = None
    milestone: bool = False
    depends_on: list[str] = field(default_factory=list)
    deliverable: str | None = None

    @property
    def whole_campaign(self) -> bool:
        """True when the due date is written as text meaning "for the whole campaign" (活动全程)."""
        problem = self.problem_for("end")
        return problem is not None and problem.kind == "whole-campaign"


@dataclass(slots=True)
class Material(Record):
    """A material to prepare (poster, short video, H5 page, gifts, display stands …)."""

    name: str | None = None
    spec: str | None = None
    quantity: int | None = None
    due: date | None = None
    owner: list[str] = field(default_factory=list)
    task_id: str | None = None
    status: str | None = None
    note: str | None = None


@dataclass(slots=True)
class BudgetLine(Record):
    """A budget line; category ``reserve`` is the contingency reserve."""

    category: str | None = None  # vocab CATEGORY key
    item: str | None = None
    channel: str | None = None
    planned: Decimal | None = None
    actual: Decimal | None = None
    owner: list[str] = field(default_factory=list)
    note: str | None = None


@dataclass(slots=True)
class Channel(Record):
    """A channel with its target budget share and targets (computed columns are not read)."""

    name: str | None = None
    type: str | None = None  # online | offline
    share: Decimal | None = None
    target_impressions: int | None = None
    target_clicks: int | None = None
    target_conversions: int | None = None
    target_revenue: Decimal | None = None


@dataclass(slots=True)
class KpiRow(Record):
    """One day of one channel's results."""

    date: date | None = None
    channel: str | None = None
    impressions: int | None = None
    clicks: int | None = None
    conversions: int | None = None
    revenue: Decimal | None = None
    spend: Decimal | None = None
    new_users: int | None = None


@dataclass(slots=True)
class ReviewItem(Record):
    """A problem found in the review, with responsible party and fix."""

    problem: str | None = None
    cause: str | None = None
    owner: list[str] = field(default_factory=list)
    improvement: str | None = None
    due: date | None = None


@dataclass(slots=True)
class Overview:
    """The campaign's key facts (a form sheet: label, value)."""

    name: str | None = None
    theme: str | None = None
    product: str | None = None
    lifecycle: str | None = None
    launch: date | None = None
    end: date | None = None
    owner: list[str] = field(default_factory=list)
    currency: str | None = None
    total_budget: Decimal | None = None
    reserve_target: Decimal | None = None
    as_of: date | None = None
    # field key -> (row, col) of the value cell; fields not found are absent
    positions: dict[str, tuple[int, int]] = field(default_factory=dict)
    problems: list[ValueProblem] = field(default_factory=list)

    def problem_for(self, field_key: str) -> ValueProblem | None:
        for problem in self.problems:
            if problem.field == field_key:
                return problem
        return None


RECORD_TYPES: dict[str, type[Record]] = {
    "goals": Goal,
    "team": Member,
    "tasks": Task,
    "materials": Material,
    "budget": BudgetLine,
    "channels": Channel,
    "kpi": KpiRow,
    "review": ReviewItem,
}


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


@dataclass(frozen=True, slots=True)
class CellNote:
    """A cell worth reporting that is not a parsed value: an error value, a formula with no cached value."""

    sheet: str
    row: int
    col: int
    kind: str  # "error" | "uncalculated" | "formula"
    value: str = ""  # the error text (#REF!) or the formula


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
    tables: dict[str, TableInfo] = field(default_factory=dict)
    sheet_names: list[str] = field(default_factory=list)
    missing_sheets: list[str] = field(default_factory=list)  # spec keys not found at all
    date1904: bool = False
    cell_notes: list[CellNote] = field(default_factory=list)
    # the cached values of the native formula cells the template writes (defined name -> value), when present
    computed_values: dict[str, Any] = field(default_factory=dict)

    def records(self, key: str) -> list[Any]:
        """The records of the table with spec key ``key``."""
        return getattr(self, key)  # type: ignore[no-any-return]

    def cell(self, key: str, record: Record, field_key: str) -> tuple[str, int, int] | None:
        """(sheet, row, col) of ``field_key`` in ``record`` of table ``key``; None when the column is absent."""
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


def check_models_match_specs() -> list[str]:
    """Mismatches between record fields and declared input columns (empty when they agree); used by tests."""
    problems = []
    for key, record_type in RECORD_TYPES.items():
        declared = [c.key for c in SPECS[key].input_columns]
        fields = [f for f in record_type.__dataclass_fields__ if f not in ("row", "problems")]
        if declared != fields:
            problems.append(f"{key}: spec {declared} != model {fields}")
    declared = [c.key for c in SPECS["overview"].columns]
    fields = [f for f in Overview.__dataclass_fields__ if f not in ("positions", "problems")]
    if declared != fields:
        problems.append(f"overview: spec {declared} != model {fields}")
    return problems
