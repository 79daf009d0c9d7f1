"""The Gantt model: tasks grouped by stage on a time scale, judged on the status date.

Pure data for the Gantt sheet (``core.sheets.gantt`` lays it out, a writer renders it). Rules of the model:

- Tasks are grouped by stage in the campaign's order (research … review; tasks without a known stage last) and
  ordered by task ID inside a group (numbers in IDs compare as numbers: T2 before T10; tasks without an ID last,
  in sheet order).
- A task's bar runs from start to end inclusive. A due date written as 活动全程 ("whole campaign") ends on the
  campaign's end date and starts, when no start is given, on the launch date; a task with only one of start and
  end is a one-day bar; a task with neither has no bar.
- Progress is the task's 完成度 when given, else 1 for done and 0 otherwise.
- Overdue: the end is before the status date and the task is neither done (progress 1) nor cancelled.
- A dependency conflict: the task starts before a task it depends on ends (the same day is a hand-over, as
  the validator's DATE010 reads it).
- The scale is days for spans up to ``DAY_SCALE_MAX_DAYS`` (about six weeks: one landscape page) and weeks
  (starting Monday, or the team policy's week start) beyond, so a year-long campaign stays printable; weekends and
  the public holidays of the campaign's region are shaded on the day scale only (a weekend day worked instead of a
  holiday, 调休, is not shaded). The HTML report, wider than a page, passes its own limit.
- Durations are calendar days, or working days (weekends and public holidays out, make-up working days in) when
  the Overview's *Durations* says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from .model import Plan, Task
from .schedule import STAGE_ORDER
from .workdays import Calendar, plan_calendar

DAY_SCALE_MAX_DAYS = 44  # about six weeks (with a day either side): beyond this, one column per week
REPORT_DAY_SCALE_MAX_DAYS = 92  # the HTML report, wider than a printed page: about a quarter
PAD_DAYS = 1  # empty days shown before the first and after the last bar
ONE = Decimal(1)
ZERO = Decimal(0)


@dataclass(frozen=True)
class GanttTask:
    """One task as the Gantt shows it."""

    task: Task
    start: date | None
    end: date | None
    progress: Decimal
    overdue: bool
    conflicts: tuple[str, ...] = ()  # ids of predecessors that end after this task starts
    start_from_sheet: bool = False  # start/end are real dates in the Tasks sheet (a live reference is safe)
    end_from_sheet: bool = False

    @property
    def days(self) -> int:
        """Length of the bar in days (0 without a bar)."""
        if not self.has_bar or self.start is None or self.end is None:
            return 0
        return (self.end - self.start).days + 1

    @property
    def has_bar(self) -> bool:
        return self.start is not None and self.end is not None and self.end >= self.start


@dataclass(frozen=True)
class GanttGroup:
    """The tasks of one stage (``stage`` None: tasks without a known stage)."""

    stage: str | None
    tasks: tuple[GanttTask, ...]

    @property
    def start(self) -> date | None:
        return min((t.start for t in self.tasks if t.has_bar and t.start), default=None)

    @property
    def end(self) -> date | None:
        return max((t.end for t in self.tasks if t.has_bar and t.end), default=None)

    @property
    def progress(self) -> Decimal:
        """Progress weighted by task length in days; the plain average when no task has a bar."""
        total = sum((Decimal(t.days) for t in self.tasks), ZERO)
        if total:
            return sum((Decimal(t.days) * t.progress for t in self.tasks), ZERO) / total
        return sum((t.progress for t in self.tasks), ZERO) / len(self.tasks) if self.tasks else ZERO


@dataclass(frozen=True)
class Scale:
    """The time axis: one column per day or per week; ``columns`` holds each column's first day."""

    unit: str  # "day" | "week"
    columns: tuple[date, ...]
    # public holidays of the campaign's region on the axis (day scale: 0-based column -> name) and the weekend
    # days worked instead (调休), which are not shaded as weekends
    holidays: dict[int, str] = field(default_factory=dict)
    workdays: tuple[int, ...] = ()

    @property
    def days_per_column(self) -> int:
        return 1 if self.unit == "day" else 7

    @property
    def first(self) -> date:
        return self.columns[0]

    @property
    def last(self) -> date:
        return self.columns[-1] + timedelta(days=self.days_per_column - 1)

    @property
    def weekends(self) -> tuple[int, ...]:
        """0-based columns that are a Saturday or Sunday (day scale only: a week column holds both kinds)."""
        if self.unit != "day":
            return ()
        return tuple(i for i, day in enumerate(self.columns)
                     if day.weekday() >= 5 and i not in self.workdays and i not in self.holidays)

    def column_of(self, day: date) -> int | None:
        """0-based column that contains ``day``; None outside the axis."""
        if day < self.first or day > self.last:
            return None
        return (day - self.first).days // self.days_per_column


@dataclass(frozen=True)
class GanttModel:
    groups: tuple[GanttGroup, ...]
    scale: Scale
    as_of: date
    launch: date | None
    end: date | None
    milestones: tuple[GanttTask, ...] = field(default_factory=tuple)
    working_days: Calendar | None = None  # durations in working days of this calendar (the Overview's choice)

    def duration(self, item: GanttTask) -> int:
        """A bar's length: calendar days, or working days when the Overview chose them."""
        if self.working_days is None or item.start is None or item.end is None or not item.has_bar:
            return item.days
        return self.working_days.working_days(item.start, item.end)

    @property
    def tasks(self) -> list[GanttTask]:
        return [t for g in self.groups for t in g.tasks]

    @property
    def overdue(self) -> list[GanttTask]:
        return [t for t in self.tasks if t.overdue]


def id_order(task_id: str | None, row: int) -> tuple[bool, tuple[tuple[int, int | str], ...], int]:
    """How tasks are ordered by ID: numbers inside IDs as numbers (T2 < T10), case-insensitive; no ID last."""
    import re

    if not task_id or not task_id.strip():
        return True, (), row
    parts = re.split(r"(\d+)", task_id.strip().casefold())
    return False, tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts if p), row


def task_progress(task: Task) -> Decimal:
    if task.progress is not None:
        return max(ZERO, min(ONE, task.progress))
    return ONE if task.status == "done" else ZERO


def _dates(task: Task, plan: Plan) -> tuple[date | None, date | None]:
    start, end = task.start, task.end
    if task.whole_campaign:
        end = plan.overview.end or end
        start = start or plan.overview.launch
    if start is None and end is not None:
        start = end
    if end is None and start is not None:
        end = start
    return start, end


def build_scale(first: date, last: date, max_day_columns: int = DAY_SCALE_MAX_DAYS,
                cal: Calendar | None = None, week_start: int = 0) -> Scale:
    """Days from ``first`` to ``last``, or weeks when that is more than ``max_day_columns``; on the day scale the
    public holidays and make-up working days of ``cal``. A week starts on ``week_start`` (0 = Monday … 6 = Sunday:
    the team policy's ``week-start``)."""
    span = (last - first).days + 1
    if span <= max_day_columns:
        columns = tuple(first + timedelta(days=i) for i in range(span))
        if cal is None or not cal.holidays:
            return Scale("day", columns)
        holidays = {i: cal.name(day) for i, day in enumerate(columns) if cal.is_holiday(day)}
        workdays = tuple(i for i, day in enumerate(columns) if day.weekday() >= 5 and cal.is_working_day(day))
        return Scale("day", columns, holidays, workdays)
    week_first = first - timedelta(days=(first.weekday() - week_start) % 7)
    weeks = (last - week_first).days // 7 + 1
    return Scale("week", tuple(week_first + timedelta(weeks=i) for i in range(weeks)))


def build_gantt(plan: Plan, as_of: date, max_day_columns: int = DAY_SCALE_MAX_DAYS,
                cal: Calendar | None = None, week_start: int = 0) -> GanttModel:
    """The Gantt of ``plan`` on the status date ``as_of``, with the public holidays of its region (``cal``,
    default: ``workdays.plan_calendar``) and, when the Overview asks for working days, durations in working days;
    weeks, on a long campaign, start on ``week_start``."""
    if cal is None:
        cal = plan_calendar(plan)
    ends: dict[str, date] = {}
    resolved: list[tuple[Task, date | None, date | None]] = []
    for task in plan.tasks:
        start, end = _dates(task, plan)
        resolved.append((task, start, end))
        if task.id and end is not None:
            ends.setdefault(task.id.strip(), end)
    by_stage: dict[str | None, list[GanttTask]] = {}
    for task, start, end in resolved:
        progress = task_progress(task)
        overdue = (end is not None and end < as_of and progress < ONE
                   and task.status not in ("done", "cancelled"))
        conflicts = tuple(dep for dep in task.depends_on
                          if start is not None and dep.strip() in ends and ends[dep.strip()] > start)
        item = GanttTask(task, start, end, progress, overdue, conflicts,
                         start_from_sheet=task.start is not None and task.problem_for("start") is None,
                         end_from_sheet=task.end is not None and task.problem_for("end") is None)
        stage = task.stage if task.stage in STAGE_ORDER else None
        by_stage.setdefault(stage, []).append(item)
    groups = []
    for stage in (*STAGE_ORDER, None):
        items = by_stage.get(stage)
        if items:
            items.sort(key=lambda t: id_order(t.task.id, t.task.row))
            groups.append(GanttGroup(stage, tuple(items)))
    days = [d for g in groups for t in g.tasks for d in (t.start, t.end) if d is not None]
    launch, end = plan.overview.launch, plan.overview.end
    days += [d for d in (launch, end) if d is not None]
    if not days:
        days = [as_of]
    first = min(days) - timedelta(days=PAD_DAYS)
    last = max(days) + timedelta(days=PAD_DAYS)
    scale = build_scale(first, last, max_day_columns, cal, week_start)
    milestones = tuple(t for g in groups for t in g.tasks if t.task.milestone)
    working = plan.overview.durations == "working" and bool(cal.region)
    return GanttModel(tuple(groups), scale, as_of, launch, end, milestones, cal if working else None)
