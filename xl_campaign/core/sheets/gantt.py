"""The Gantt sheet described for any writer: a date header, bars coloured by stage, progress, milestones, today,
weekends, overdue work, print setup.

Live (the default): the bars are conditional formatting over the date header. Each row's start, end and progress
cells refer to the Tasks sheet (when the value there is a real date or number), the status date refers to the
Overview, and the rules compare the header dates with them, so bars move in Excel as soon as a date changes,
without another update. Only the text columns (status, owner, dependencies) wait for the next update.
Static (``live=False``): the same picture as plain fills, computed here — kept to measure the two against each
other (benchmarks/bench_update.py) and for writers that cannot do conditional formatting.

Layout: rows 1–2 title and status line, rows 3–5 the header (month, day or week start, weekday or week number),
then one row per stage followed by its tasks, then the legend. Columns A–I describe the task, the grid starts at J.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from ..gantt import DAY_SCALE_MAX_DAYS, GanttGroup, GanttModel, GanttTask
from ..model import Plan, Task
from ..text import is_zh, join
from ..text import t as t_
from ..vocab import STAGE, STATUS
from . import paper
from .labels import t
from .look import body_font
from .model import (
    CondFormat,
    Link,
    PageSetup,
    SheetDoc,
    Style,
    area,
    column_letter,
    quote_sheet,
    ref,
    sheet_ref,
)

LEFT_COLUMNS = ("id", "task", "owner", "start", "end", "days", "progress", "status", "depends")
COL = {key: index for index, key in enumerate(LEFT_COLUMNS, start=1)}
GRID = len(LEFT_COLUMNS) + 1  # first grid column (J)
TITLE_ROW, INFO_ROW, MONTH_ROW, DATE_ROW, WEEKDAY_ROW = 1, 2, 3, 4, 5
FIRST_ROW = 6
DAY_WIDTH, WEEK_WIDTH = 2.4, 3.4  # grid column widths (characters)
PAGE_COLUMNS = 46  # grid columns that still print on one landscape page
ONE_PAGE_SCALE = 55  # a Gantt whose rows fit one page at this scale (percent) or more prints on one page
LOOKUP_ROWS = 2000  # the lookups reach this far below the Tasks header (rows typed later are found too)
STATUS_DATE = (INFO_ROW, COL["owner"])  # C2 holds the status date every rule compares with
DATE_FMT = "yyyy-mm-dd"
MILESTONE = "◆"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# (done part, planned part, stage row) per stage; RRGGBB
STAGE_COLORS: dict[str | None, tuple[str, str, str]] = {
    "research": ("2F5597", "B4C7E7", "8FAADC"),
    "planning": ("7030A0", "D9C3E9", "B28DD0"),
    "warmup": ("C55A11", "F8CBAD", "F4B183"),
    "burst": ("548235", "C5E0B4", "A9D18E"),
    "continuation": ("1F7A7A", "B7E1E1", "7CC7C7"),
    "review": ("595959", "D0CECE", "AFABAB"),
    None: ("404040", "D9D9D9", "BFBFBF"),
}
HEADER_FILL = "1F4E78"
OVERDUE_FILL = "C00000"
TODAY_FILL = "FF0000"
TODAY_TINT = "FFD7D7"
WEEKEND_FILL = "EDEDED"
BAR_GAP = "FFFFFF"  # white lines above and below each bar: bars of adjacent rows stay apart
HOLIDAY_FILL = "F8CBAD"  # a public holiday of the campaign's region (weekends stay grey)
STATUS_STYLES = {
    "done": Style(color="375623", fill="E2EFDA", align="center", valign="center"),
    "in_progress": Style(color="1F4E78", fill="DDEBF7", align="center", valign="center"),
    "not_started": Style(color="595959", align="center", valign="center"),
    "blocked": Style(color="9C0006", fill="FFC7CE", align="center", valign="center"),
    "cancelled": Style(color="7F7F7F", italic=True, align="center", valign="center"),
}


def _styles(doc: SheetDoc) -> None:
    s = doc.styles
    s["title"] = Style(bold=True, size=16, color=HEADER_FILL)
    s["label"] = Style(bold=True, align="right", color="595959")
    s["as_of"] = Style(bold=True, color=TODAY_FILL, align="center")
    s["info"] = Style(color="595959")
    s["head"] = Style(bold=True, color="FFFFFF", fill=HEADER_FILL, align="center", valign="center", wrap=True,
                      border="FFFFFF")
    s["month"] = Style(bold=True, color="FFFFFF", fill=HEADER_FILL, align="center", border="FFFFFF")
    s["month_one"] = Style(bold=True, color="FFFFFF", fill=HEADER_FILL, align="center", border="FFFFFF", size=6,
                           valign="center")  # a month of one column: "4月" still fits
    s["day"] = Style(bold=True, color="1F4E78", fill="DDEBF7", align="center", size=9)
    s["weekday"] = Style(color="1F4E78", fill="DDEBF7", align="center", size=8)
    s["week"] = Style(bold=True, color="1F4E78", fill="DDEBF7", align="center", size=8)
    s["text"] = Style(valign="center")
    s["task"] = Style(valign="center", indent=1)
    s["task_wrap"] = Style(valign="center", indent=1, wrap=True)
    s["center"] = Style(align="center", valign="center")
    s["link"] = Style(color="0563C1", underline=True, align="center", valign="center")
    s["conflict"] = Style(color="C00000", bold=True, align="center", valign="center")
    s["overdue"] = Style(color="9C0006", fill="FFC7CE", bold=True, align="center", valign="center")
    s["milestone"] = Style(bold=True, color="000000", align="center", valign="center")
    s["today_head"] = Style(bold=True, color="FFFFFF", fill=TODAY_FILL)
    s["today"] = Style(fill=TODAY_TINT)
    s["weekend"] = Style(fill=WEEKEND_FILL)
    s["holiday"] = Style(fill=HOLIDAY_FILL, size=9)  # the size: the day number still fits (see workday_head)
    s["workday"] = Style()
    s["workday_head"] = Style(bold=True, color="1F4E78", fill="DDEBF7", size=9)
    s["workday_weekday"] = Style(color="1F4E78", fill="DDEBF7", size=8)  # as "weekday": not bold
    s["bar_overdue"] = Style(fill=OVERDUE_FILL, gap=BAR_GAP)
    s["key_overdue"] = Style(fill=OVERDUE_FILL)
    s["legend_title"] = Style(bold=True, color=HEADER_FILL)
    s["legend_text"] = Style(color="404040")
    for key, status_style in STATUS_STYLES.items():
        s[f"status_{key}"] = status_style
    for stage, (done, planned, group) in STAGE_COLORS.items():
        name = stage or "none"
        s[f"done_{name}"] = Style(fill=done, gap=BAR_GAP)
        s[f"planned_{name}"] = Style(fill=planned, gap=BAR_GAP)
        s[f"group_{name}"] = Style(fill=group, gap=BAR_GAP)
        s[f"key_done_{name}"] = Style(fill=done)  # the legend's swatches: no gap lines
        s[f"key_planned_{name}"] = Style(fill=planned)
        s[f"group_text_{name}"] = Style(bold=True, fill=planned, valign="center")
        s[f"group_cell_{name}"] = Style(bold=True, fill=planned, align="center", valign="center")


def _month_label(day: date, lang: str, columns: int) -> str:
    """``2024年5月`` / ``May 2024``; only the month when it spans fewer than four columns (in small type when it
    spans one: see ``month_one``)."""
    if columns < 4:
        return t_(lang, f"{day.month}月", MONTHS[day.month - 1])
    return t("month_fmt", lang, y=day.year, m=day.month, mon=MONTHS[day.month - 1])


def _header(doc: SheetDoc, model: GanttModel, lang: str) -> None:
    scale = model.scale
    heads = {"id": "id", "task": "task", "owner": "owner", "start": "start", "end": "end",
             "days": "working_days" if model.working_days is not None else "days",
             "progress": "progress", "status": "status", "depends": "depends"}
    for key, col in COL.items():
        doc.put(MONTH_ROW, col, t(heads[key], lang), style="head")
        for row in (DATE_ROW, WEEKDAY_ROW):
            doc.put(row, col, None, style="head")
        doc.merges.append(area(MONTH_ROW, col, WEEKDAY_ROW, col))
    weekdays = t("weekdays", lang)
    month_start = GRID
    for index, first_day in enumerate(scale.columns):
        col = GRID + index
        if scale.unit == "day":
            doc.put(DATE_ROW, col, first_day, fmt="d", style="day", note=scale.holidays.get(index))
            doc.put(WEEKDAY_ROW, col, weekdays[first_day.weekday()], style="weekday")
        else:
            doc.put(DATE_ROW, col, first_day, fmt="m/d", style="week")
            # the ISO week that holds most of the column's days (its Thursday, for a week starting on Monday)
            week_no = (first_day + timedelta(days=3)).isocalendar()[1]
            doc.put(WEEKDAY_ROW, col, t("week_no", lang, n=week_no), style="weekday")
        nxt = scale.columns[index + 1] if index + 1 < len(scale.columns) else None
        if nxt is None or (nxt.year, nxt.month) != (first_day.year, first_day.month):
            span = col - month_start + 1
            doc.put(MONTH_ROW, month_start, _month_label(scale.columns[month_start - GRID], lang, span),
                    style="month" if span > 1 else "month_one")
            for filler in range(month_start + 1, col + 1):
                doc.put(MONTH_ROW, filler, None, style="month")
            if col > month_start:
                doc.merges.append(area(MONTH_ROW, month_start, MONTH_ROW, col))
            month_start = col + 1


def _status_date(doc: SheetDoc, plan: Plan, model: GanttModel, source_refs: bool, today_fixed: bool,
                 lang: str) -> None:
    """C2: the Overview's status date when it holds one, else today (TODAY(), or the day the caller fixed)."""
    row, col = STATUS_DATE
    doc.put(row, col - 1, t("as_of", lang), style="label")
    where = plan.overview_cell("as_of") if source_refs else None
    fixed = model.as_of
    fallback = f"DATE({fixed.year},{fixed.month},{fixed.day})" if today_fixed else "TODAY()"
    if where is not None and plan.overview.problem_for("as_of") is None:
        source = sheet_ref(*where)
        doc.put(row, col, model.as_of, formula=f"=IF(ISNUMBER({source}),{source},{fallback})", fmt=DATE_FMT,
                style="as_of")
    elif source_refs and plan.overview.as_of is None and not today_fixed:
        doc.put(row, col, model.as_of, formula="=TODAY()", fmt=DATE_FMT, style="as_of")
    else:
        doc.put(row, col, model.as_of, fmt=DATE_FMT, style="as_of")


def _days_formula(row: int) -> str:
    start, end = ref(row, COL["start"]), ref(row, COL["end"])
    return f'=IF(AND(ISNUMBER({start}),ISNUMBER({end})),IF({end}>={start},{end}-{start}+1,""),"")'


class _Lookup:
    """Formulas that find a task on the Tasks sheet by its ID — ``INDEX(column, MATCH(ID, ID column, 0))`` — so
    that names, owners, dates, statuses and progress follow the Tasks table when rows are sorted, inserted or
    deleted in Excel. Only for IDs that are text, unique and free of wildcards (``*?~``); other tasks are copied."""

    def __init__(self, plan: Plan, enabled: bool) -> None:
        self.info = plan.tables.get("tasks") if enabled else None
        if self.info is not None and "id" not in self.info.columns:
            self.info = None
        counts: dict[str, int] = {}
        for task in plan.tasks:
            if task.id:
                counts[task.id.casefold()] = counts.get(task.id.casefold(), 0) + 1
        self.unique = {key for key, n in counts.items() if n == 1}

    def usable(self, task: Task) -> bool:
        raw = task.typed.get("id")
        elsewhere = bool(task.cells) and "" in (task.cells or {})  # a row of a second table: not in the range
        return (self.info is not None and not elsewhere and isinstance(raw, str) and raw == task.id and bool(task.id)
                and task.id.casefold() in self.unique and not any(ch in task.id for ch in "*?~"))

    def column(self, key: str) -> str | None:
        """The whole column ``key`` of the Tasks table as an absolute range, rows the table may grow into too."""
        info = self.info
        if info is None or key not in info.columns:
            return None
        col = info.columns[key]
        last = max(info.last_row, info.header_row + LOOKUP_ROWS)
        return f"{quote_sheet(info.sheet)}!{area(info.header_row + 1, col, last, col, absolute=True)}"

    def of(self, key: str, row: int) -> str | None:
        """``INDEX(<key column>, MATCH($A<row>, <ID column>, 0))``, or None when the column is missing."""
        target, ids = self.column(key), self.column("id")
        if target is None or ids is None:
            return None
        return f"INDEX({target},MATCH($A{row},{ids},0))"


def _text(raw: object) -> str | None:
    """What ``INDEX(...)&""`` gives for a cell holding ``raw``: its text, "" for an empty cell; None when the
    cell holds something else (a number or a date: the task is then copied, not looked up)."""
    if raw is None:
        return ""
    return raw if isinstance(raw, str) else None


def _task_row(doc: SheetDoc, plan: Plan, item: GanttTask, row: int, lang: str, source_refs: bool,
              link_prefix: str | None, lookup: _Lookup, model: GanttModel | None = None) -> None:
    task = item.task
    where = None
    if source_refs or link_prefix:
        where = plan.cell("tasks", task, "id") or plan.cell("tasks", task, "task")
    link = None
    if where is not None:
        sheet, r, c = where
        if link_prefix:
            link = Link(url=f"{link_prefix}#{Link(sheet=sheet, cell=ref(r, c)).location}")
        else:
            link = Link(sheet=sheet, cell=ref(r, c))
    doc.put(row, COL["id"], task.id, style="link" if link else "center", link=link)
    live = lookup.usable(task)

    def looked_up(key: str) -> str | None:
        return lookup.of(key, row) if live else None

    prefix = f"{MILESTONE} " if task.milestone else ""
    note = t("whole_campaign_note", lang) if task.whole_campaign else None
    name, name_text = looked_up("task"), _text(task.typed.get("task"))
    if name is not None and name_text is not None:
        formula = f'="{prefix}"&{name}&""' if prefix else f'={name}&""'
        doc.put(row, COL["task"], prefix + name_text, formula=formula, style="task", note=note)
    else:
        doc.put(row, COL["task"], prefix + (task.task or ""), style="task", note=note)
    owner, owner_text = looked_up("owner"), _text(task.typed.get("owner"))
    if owner is not None and owner_text is not None:
        doc.put(row, COL["owner"], owner_text.replace("*", ""), formula=f'=SUBSTITUTE({owner}&"","*","")',
                style="center")
    else:
        doc.put(row, COL["owner"], join(task.owner, lang) or None, style="center")
    for key, value, from_sheet in (("start", item.start, item.start_from_sheet),
                                   ("end", item.end, item.end_from_sheet)):
        lookup_date = looked_up(key) if source_refs and from_sheet else None
        if lookup_date is not None and value is not None:
            doc.put(row, COL[key], value, formula="=" + lookup_date, fmt=DATE_FMT, style="center")
        else:
            doc.put(row, COL[key], value, fmt=DATE_FMT, style="center")
    if model is not None and model.working_days is not None:  # working days: make-up days have no formula
        doc.put(row, COL["days"], model.duration(item) if item.has_bar else "", style="center")
    else:
        doc.put(row, COL["days"], item.days if item.has_bar else "", formula=_days_formula(row), style="center")
    progress = looked_up("progress")
    if (progress is not None and task.progress is not None and task.problem_for("progress") is None
            and isinstance(task.typed.get("progress"), int | float) and Decimal(0) <= task.progress <= Decimal(1)):
        doc.put(row, COL["progress"], item.progress, formula="=" + progress, fmt="0%", style="center")
    else:
        doc.put(row, COL["progress"], item.progress, fmt="0%", style="center")
    status = task.status
    style = "overdue" if item.overdue else f"status_{status}" if status else "center"
    suffix = f" · {t('overdue', lang)}"
    status_formula, status_text = looked_up("status"), _text(task.typed.get("status"))
    if status_formula is not None and status_text is not None:
        formula = f"={status_formula}&\"\""
        if status not in ("done", "cancelled"):  # overdue: the end (looked up too) before the status date
            e, p = ref(row, COL["end"]), ref(row, COL["progress"])
            today = ref(*STATUS_DATE, abs_row=True, abs_col=True)
            formula += f'&IF(AND(ISNUMBER({e}),{e}<{today},N({p})<1),"{suffix}","")'
        shown = status_text + (suffix if item.overdue else "")
        doc.put(row, COL["status"], shown, formula=formula, style=style)
    else:
        label = STATUS.label(status, lang) if status else ""
        if item.overdue:
            label = f"{label}{suffix}" if label else t("overdue", lang)
        doc.put(row, COL["status"], label or None, style=style)
    depends_formula, depends_text = looked_up("depends_on"), _text(task.typed.get("depends_on"))
    conflict = item.conflicts
    depends_style = "conflict" if conflict else "center"
    depends_note = t("conflict_note", lang, ids=", ".join(conflict)) if conflict else None
    if depends_formula is not None and depends_text is not None:
        doc.put(row, COL["depends"], depends_text, formula=f'={depends_formula}&""', style=depends_style,
                note=depends_note)
    else:
        doc.put(row, COL["depends"], ", ".join(task.depends_on) or None, style=depends_style, note=depends_note)


def _group_row(doc: SheetDoc, group: GanttGroup, row: int, first: int, last: int, lang: str) -> None:
    name = group.stage or "none"
    label = STAGE.label(group.stage, lang) if group.stage else t("no_stage", lang)
    for col in COL.values():
        doc.put(row, col, None, style=f"group_cell_{name}")
    doc.put(row, COL["task"], f"{label} ({len(group.tasks)})", style=f"group_text_{name}")
    start, end = area(first, COL["start"], last, COL["start"]), area(first, COL["end"], last, COL["end"])
    days, progress = area(first, COL["days"], last, COL["days"]), area(first, COL["progress"], last, COL["progress"])
    doc.put(row, COL["start"], group.start or "", formula=f'=IF(COUNT({start}),MIN({start}),"")', fmt=DATE_FMT,
            style=f"group_cell_{name}")
    doc.put(row, COL["end"], group.end or "", formula=f'=IF(COUNT({end}),MAX({end}),"")', fmt=DATE_FMT,
            style=f"group_cell_{name}")
    span = (group.end - group.start).days + 1 if group.start and group.end else ""
    doc.put(row, COL["days"], span, formula=_days_formula(row), style=f"group_cell_{name}")
    doc.put(row, COL["progress"], group.progress,
            formula=f"=IFERROR(SUMPRODUCT({days},{progress})/SUM({days}),AVERAGE({progress}))", fmt="0%",
            style=f"group_cell_{name}")


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """Contiguous runs of ``rows`` as (first, last)."""
    runs: list[tuple[int, int]] = []
    for row in sorted(rows):
        if runs and runs[-1][1] == row - 1:
            runs[-1] = (runs[-1][0], row)
        else:
            runs.append((row, row))
    return runs


def _rules(rows: list[int], last_col: int, days_per_column: int, formula: str, style: str) -> list[CondFormat]:
    """One rule per contiguous run of ``rows``, each written relative to its own first row: spreadsheet programs
    do not agree on what a relative reference means in a rule over several disjoint ranges."""
    return [CondFormat(area(first, GRID, last, last_col), getattr(_Rule(first, days_per_column), formula), style,
                       stop=True)
            for first, last in _runs(rows)]


class _Rule:
    """The formulas of the bar rules, written for a range whose first row is ``row``."""

    def __init__(self, row: int, days_per_column: int) -> None:
        self.c = f"{column_letter(GRID)}${DATE_ROW}"
        self.s, self.e = f"$D{row}", f"$E{row}"
        self.f, self.p = f"($E{row}-$D{row}+1)", f"$G{row}"  # calendar days, whatever the Days column counts
        self.n = days_per_column
        self.today = ref(*STATUS_DATE, abs_row=True, abs_col=True)

    @property
    def bar(self) -> str:
        return f"AND(ISNUMBER({self.s}),{self.c}<={self.e},{self.c}+{self.n}>{self.s})"

    @property
    def done(self) -> str:
        return (f"AND(ISNUMBER({self.s}),{self.c}<={self.e},{self.c}+{self.n}>{self.s},{self.p}>0,"
                f"{self.c}<{self.s}+ROUND({self.f}*{self.p},0))")

    @property
    def overdue(self) -> str:
        return (f"AND(ISNUMBER({self.s}),{self.c}<={self.e},{self.c}+{self.n}>{self.s},{self.e}<{self.today},"
                f"{self.p}<1)")

    @property
    def milestone(self) -> str:
        return f'=IF(AND(ISNUMBER({self.e}),{self.c}<={self.e},{self.e}<{self.c}+{self.n}),"{MILESTONE}","")'

    @property
    def today_column(self) -> str:
        return f"AND({self.c}<={self.today},{self.today}<{self.c}+{self.n})"

    @property
    def weekend(self) -> str:
        return f"WEEKDAY({self.c},2)>5"

    @property
    def always(self) -> str:
        return "TRUE"


def _grid_live(doc: SheetDoc, model: GanttModel, layout: list[tuple[GanttGroup, int, list[tuple[GanttTask, int]]]],
               last_row: int) -> None:
    n = model.scale.days_per_column
    last_col = GRID + len(model.scale.columns) - 1
    rules: list[CondFormat] = []
    head = area(DATE_ROW, GRID, WEEKDAY_ROW, last_col)
    rules.append(CondFormat(head, _Rule(DATE_ROW, n).today_column, "today_head", stop=True))
    for group, _, tasks in layout:
        rules += _rules([row for _, row in tasks], last_col, n, "done", f"done_{group.stage or 'none'}")
    overdue_rows = [row for _, _, tasks in layout for item, row in tasks if item.task.status != "cancelled"]
    rules += _rules(overdue_rows, last_col, n, "overdue", "bar_overdue")
    for group, group_row, tasks in layout:
        name = group.stage or "none"
        rules += _rules([group_row], last_col, n, "bar", f"group_{name}")
        rules += _rules([row for _, row in tasks], last_col, n, "bar", f"planned_{name}")
    body = area(FIRST_ROW, GRID, last_row, last_col)
    rules.append(CondFormat(body, _Rule(FIRST_ROW, n).today_column, "today", stop=True))
    if model.scale.unit == "day":
        for index in sorted(model.scale.holidays):  # a holiday's column, below the bars
            rules.append(CondFormat(area(DATE_ROW, GRID + index, last_row, GRID + index), "TRUE", "holiday",
                                    stop=True))
        for index in model.scale.workdays:  # a Saturday worked instead of a holiday (调休) is no weekend
            # the header keeps its look (LibreOffice builds a conditional style on the default one: an empty rule
            # would give the day number the default size, too wide for the column)
            rules.append(CondFormat(area(DATE_ROW, GRID + index, DATE_ROW, GRID + index), "TRUE",
                                    "workday_head", stop=True))
            rules.append(CondFormat(area(WEEKDAY_ROW, GRID + index, WEEKDAY_ROW, GRID + index), "TRUE",
                                    "workday_weekday", stop=True))
            rules.append(CondFormat(area(FIRST_ROW, GRID + index, last_row, GRID + index), "TRUE", "workday",
                                    stop=True))
        rules.append(CondFormat(area(DATE_ROW, GRID, last_row, last_col), _Rule(DATE_ROW, n).weekend, "weekend"))
    doc.cond_formats.extend(rules)
    for _, _, tasks in layout:
        for item, row in tasks:
            if not item.task.milestone:
                continue
            formula = _Rule(row, n).milestone
            for index, first_day in enumerate(model.scale.columns):
                col = GRID + index
                hit = item.end is not None and first_day <= item.end < first_day + timedelta(days=n)
                doc.put(row, col, MILESTONE if hit else "", formula=formula.replace(f"{column_letter(GRID)}$",
                                                                                    f"{column_letter(col)}$"),
                        style="milestone")


def _grid_static(doc: SheetDoc, model: GanttModel,
                 layout: list[tuple[GanttGroup, int, list[tuple[GanttTask, int]]]], last_row: int) -> None:
    scale = model.scale
    n = timedelta(days=scale.days_per_column)
    today = model.as_of
    weekend_cols = {GRID + i for i in scale.weekends}
    holiday_cols = {GRID + i for i in scale.holidays}
    today_col = scale.column_of(today)
    for index in range(len(scale.columns)):
        col = GRID + index
        style = "today_head" if index == today_col else "holiday" if col in holiday_cols else \
            "weekend" if col in weekend_cols else None
        if style:
            for row in (DATE_ROW, WEEKDAY_ROW):
                doc.cells[(row, col)].style = style
    background: dict[int, str] = {c: "weekend" for c in weekend_cols} | {c: "holiday" for c in holiday_cols}
    if today_col is not None:
        background[GRID + today_col] = "today"
    rows_done: set[int] = set()
    for group, group_row, tasks in layout:
        name = group.stage or "none"
        bars = [(group_row, None)] + [(row, item) for item, row in tasks]
        for row, item in bars:
            rows_done.add(row)
            start = group.start if item is None else item.start
            end = group.end if item is None else item.end
            for index, first_day in enumerate(scale.columns):
                col = GRID + index
                in_bar = (start is not None and end is not None and first_day <= end and first_day + n > start)
                style = background.get(col)
                if in_bar and item is None:
                    style = f"group_{name}"
                elif in_bar and item is not None and start is not None:
                    done_days = (Decimal(item.days) * item.progress).quantize(Decimal(1), ROUND_HALF_UP)
                    if item.progress > 0 and Decimal((first_day - start).days) < done_days:
                        style = f"done_{name}"
                    elif item.overdue:
                        style = "bar_overdue"
                    else:
                        style = f"planned_{name}"
                text = None
                if item is not None and item.task.milestone and item.end is not None and \
                        first_day <= item.end < first_day + n:
                    text = MILESTONE
                if style or text:
                    doc.put(row, col, text, style="milestone" if text and not style else style)
                    if text and style:
                        doc.styles.setdefault(f"{style}_ms", Style(bold=True, align="center",
                                                                   fill=doc.styles[style].fill))
                        doc.cells[(row, col)].style = f"{style}_ms"
    for row in range(FIRST_ROW, last_row + 1):
        if row in rows_done:
            continue
        for col, style in background.items():
            doc.put(row, col, None, style=style)


def _legend(doc: SheetDoc, model: GanttModel, row: int, lang: str) -> int:
    doc.put(row, COL["task"], t("legend", lang), style="legend_title")
    row += 1
    for group in model.groups:
        name = group.stage or "none"
        label = STAGE.label(group.stage, lang) if group.stage else t("no_stage", lang)
        doc.put(row, COL["id"], None, style=f"key_done_{name}")
        doc.put(row, COL["task"], f"{label}: {t('done_part', lang)}", style="legend_text")
        doc.put(row, COL["owner"], None, style=f"key_planned_{name}")
        doc.put(row, COL["start"], t("planned_part", lang), style="legend_text")
        row += 1
    for style, key in (("key_overdue", "overdue_legend"), ("today_head", "today"), ("weekend", "weekend"),
                       ("holiday", "holiday")):
        if key in ("weekend", "holiday") and model.scale.unit != "day" or key == "holiday" and not model.scale.holidays:
            continue
        doc.put(row, COL["id"], None, style=style)
        doc.put(row, COL["task"], t(key, lang), style="legend_text")
        row += 1
    doc.put(row, COL["id"], MILESTONE, style="milestone")
    doc.put(row, COL["task"], t("milestone", lang), style="legend_text")
    return row


def gantt_sheet(plan: Plan, model: GanttModel, lang: str, *, name: str, live: bool = True,
                source_refs: bool = True, link_prefix: str | None = None, today_fixed: bool = False) -> SheetDoc:
    """The Gantt sheet of ``model``.

    ``source_refs``: start, end, progress and the status date refer to the Tasks and Overview cells (off for a
    companion workbook, which holds copies). ``link_prefix``: the file the task IDs link into (a companion
    workbook links back to the campaign workbook); None links inside this workbook. ``today_fixed``: the caller
    fixed the status date (tests, a replay of another day), so an empty Overview status date means that day, not
    TODAY().
    """
    doc = SheetDoc("gantt", name, tab_color="548235")
    _styles(doc)
    title = t("gantt_title", lang) + (f" · {plan.overview.name}" if plan.overview.name else "")
    doc.put(TITLE_ROW, 1, title, style="title")
    _status_date(doc, plan, model, source_refs, today_fixed, lang)
    facts = []
    if model.launch:
        facts.append(f"{t('launch', lang)} {model.launch.isoformat()}")
    if model.end:
        facts.append(f"{t('campaign_end', lang)} {model.end.isoformat()}")
    tasks = model.tasks
    facts.append(t("tasks_count", lang, n=len(tasks)))
    overdue = len(model.overdue)
    facts.append(t("overdue_count", lang, n=overdue))
    if model.scale.unit == "week":
        facts.append(t("week_scale", lang, days=DAY_SCALE_MAX_DAYS))
    doc.put(INFO_ROW, COL["end"], " · ".join(facts), style="info")
    doc.merges.append(area(INFO_ROW, COL["owner"], INFO_ROW, COL["start"]))  # the status date, wide enough
    _header(doc, model, lang)

    layout: list[tuple[GanttGroup, int, list[tuple[GanttTask, int]]]] = []
    lookup = _Lookup(plan, source_refs)
    row = FIRST_ROW
    for group in model.groups:
        group_row = row
        row += 1
        placed = []
        for item in group.tasks:
            _task_row(doc, plan, item, row, lang, source_refs, link_prefix, lookup, model)
            placed.append((item, row))
            row += 1
        _group_row(doc, group, group_row, group_row + 1, row - 1, lang)
        layout.append((group, group_row, placed))
    last_row = max(row - 1, FIRST_ROW)
    if live:
        _grid_live(doc, model, layout, last_row)
    else:
        _grid_static(doc, model, layout, last_row)
    legend_end = _legend(doc, model, last_row + 2, lang)

    zh = is_zh(lang)
    widths = {"id": 5, "task": 24 if zh else 30, "owner": 8 if zh else 11, "start": 10.5, "end": 10.5, "days": 5,
              "progress": 7 if zh else 8.5, "status": 12 if zh else 19, "depends": 6}
    depends = [c.value for (r, col), c in doc.cells.items() if col == COL["depends"] and r >= FIRST_ROW]
    widths["depends"] = min(12.0, max([6.0] + [paper.text_units(str(v)) + paper.PAD for v in depends if v]))
    for key, col in COL.items():
        doc.col_widths[col] = widths[key]
    grid_width = DAY_WIDTH if model.scale.unit == "day" else WEEK_WIDTH
    for index in range(len(model.scale.columns)):
        doc.col_widths[GRID + index] = grid_width
    doc.row_heights[WEEKDAY_ROW] = 14
    for row in range(FIRST_ROW, last_row + 1):  # a task name longer than its column wraps, its row grows
        cell = doc.cells.get((row, COL["task"]))
        if cell is not None and cell.style == "task" and isinstance(cell.value, str) and \
                paper.wrapped_lines(cell.value, widths["task"] - 0.5) > 1:  # the indent
            cell.style = "task_wrap"
    paper.fit_heights(doc, range(FIRST_ROW, last_row + 1))
    doc.freeze = ref(FIRST_ROW, GRID)
    columns = len(model.scale.columns)
    # one landscape page wide; a year of weeks on two, the task columns repeated on the second; a plan whose rows
    # fit one page at a readable scale prints on one page
    one_page = columns <= PAGE_COLUMNS and paper.print_scale(
        list(doc.col_widths.values()), [sum(doc.row_heights.get(r, paper.ROW) for r in range(1, legend_end + 1))]
    ) >= ONE_PAGE_SCALE
    doc.page = PageSetup(landscape=True, fit_width=1 if columns <= PAGE_COLUMNS else 2, fit_height=1 if one_page else 0,
                         title_rows=f"{MONTH_ROW}:{WEEKDAY_ROW}", title_cols=f"A:{column_letter(GRID - 1)}")
    doc.gridlines = True
    doc.zoom = 90
    doc.font = body_font(lang)
    return doc
