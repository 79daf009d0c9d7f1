"""Write a campaign workbook from the sheet declarations (openpyxl).

Every sheet, header, Table, dropdown, number format and native formula comes from ``core.spec``; the values come
from a ``core.content.Content``. Used by ``xl-campaign new`` and to regenerate the committed files in ``workbook/``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..core import spec as S
from ..core.budget import BudgetTotals
from ..core.content import Content
from ..core.model import Plan, a1, column_letter
from ..core.sheets.model import text_width
from ..core.text import join, t
from ..core.vocab import CATEGORY, VOCABULARIES

if TYPE_CHECKING:
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

TITLE_ROW = 1
NOTE_ROW = 2
HEADER_ROW = 3  # every table sheet: title, note, header, data
VALIDATION_ROWS = 2000  # dropdowns and formats reach this far below the header
HEADER_FILL = "1F4E78"
TITLE_COLOR = "1F4E78"
FORMULA_FILL = "EDEDED"

GUIDE_TEXT: dict[str, list[tuple[str, str]]] = {
    # (style, text): style "h" heading, "p" paragraph
    "zh": [
        ("h", "产品推广活动执行计划 — 使用说明"),
        ("p", "本工作簿是 xl-campaign 的活动模板。按顺序填写各工作表，然后点击功能区「活动 ▸ 校验并更新」，"
              "或在命令行运行 xl-campaign update 本文件.xlsx。"),
        ("h", "活动四阶段"),
        ("p", "1 前期调研与目标锚定：上线前 1–2 周；市场/竞品调研、用户画像、SMART 目标与核心 KPI。"),
        ("p", "2 方案细化与资源统筹：上线前 1 周；主题、时间、形式、规则，以及人员、物料、渠道、预算。"),
        ("p", "3 执行落地与过程管控：预热期（上线前 3–7 天）、爆发期（从上线日开始）、延续期（活动最后阶段）。"),
        ("p", "4 复盘优化与成果沉淀：活动结束后 1 周内；目标与实际对比、渠道 ROI、问题与改进。"),
        ("h", "各工作表"),
        ("p", "活动概览：名称、上线与结束日期、总负责人、总预算、应急资金比例目标（10%–15%）、地区（节假日与调休）、"
              "SMART 目标（基线、截止日期、每日目标；ROI 可写作 1:5，相对目标写作 +30%）。"),
        ("p", "团队：每位成员的姓名与角色。任务、物料、预算的负责人必须是团队成员，且只能有一位。"),
        ("p", "任务：任务分工与时间进度合为一张表；阶段、负责人、开始与结束时间、状态、前置任务。"),
        ("p", "物料：规格、数量、完成时间、负责人、关联任务。"),
        ("p", "预算：按人力、物料、渠道、奖励、其他分项，另列应急资金；右侧为自动汇总。"),
        ("p", "渠道：目标预算占比与目标值；灰色列为公式，按每日数据自动计算。"),
        ("p", "每日数据：每天每个渠道一行：曝光量、点击量、转化数、销售额、花费、新增用户。"),
        ("p", "复盘：问题、原因、责任人、改进措施、完成时间。"),
        ("p", "触点：每个触点一行，除触点、渠道、备注外的每一列都是你自己的指标（访问量、分享率 …）。"),
        ("h", "指标口径"),
        ("p", "点击率 = 点击量 ÷ 曝光量；转化率 = 转化数 ÷ 点击量；单次转化成本 = 花费 ÷ 转化数；"
              "净ROI = (销售额 − 花费) ÷ 花费；ROI 1:N（源文档的写法，销售额 : 花费）表示每花 1 元带来 N 元销售额。"),
        ("p", "甘特图、汇总、问题清单三个工作表由工具生成，每次更新都会重写，请勿在其中手工编辑。"),
    ],
    "en": [
        ("h", "Product promotion campaign plan — guide"),
        ("p", "This workbook is an xl-campaign template. Fill in the sheets in order, then press the ribbon button "
              "Campaign ▸ Check & Update, or run xl-campaign update this-file.xlsx on the command line."),
        ("h", "The four stages"),
        ("p", "1 Research & goals: 1–2 weeks before launch; market/competitor research, persona, SMART goals, KPIs."),
        ("p", "2 Plan & resources: 1 week before launch; theme, dates, format, rules; people, materials, channels, "
              "budget."),
        ("p", "3 Execution: warm-up (3–7 days before launch), burst (from the launch day), continuation (the last "
              "part of the campaign)."),
        ("p", "4 Review: within 1 week after the end; target vs actual, ROI per channel, problems and fixes."),
        ("h", "The sheets"),
        ("p", "Overview: name, launch and end dates, campaign lead, total budget, reserve-rate target (10–15%), "
              "region (public holidays), SMART goals (baseline, deadline, daily target; ROI as 1:5, relative "
              "targets as +30%)."),
        ("p", "Team: everyone's name and role. Every task, material and budget line has exactly one owner who is "
              "on the team."),
        ("p", "Tasks: task assignment and timeline in one table: stage, owner, start and end, status, "
              "dependencies."),
        ("p", "Materials: specification, quantity, due date, owner, the task that uses it."),
        ("p", "Budget: lines by personnel, materials, channels, rewards, other, plus the reserve; totals on the "
              "right."),
        ("p", "Channels: target budget share and targets; grey columns are formulas over the daily data."),
        ("p", "Daily KPI: one row per day and channel: impressions, clicks, conversions, revenue, spend, new users."),
        ("p", "Review: problem, cause, owner, improvement, due date."),
        ("p", "Touchpoints: one row per touchpoint; every column besides touchpoint, channel and note is a metric "
              "of your own (visits, share rate …)."),
        ("h", "Metric definitions"),
        ("p", "CTR = clicks ÷ impressions; conversion rate = conversions ÷ clicks; CPA = spend ÷ conversions; "
              "net ROI = (revenue − spend) ÷ spend; ROI 1:N (the source's way, revenue : spend) means N of revenue "
              "for every 1 spent."),
        ("p", "Gantt, Summary and Issues are generated by the tool and rewritten on every update: do not edit them "
              "by hand."),
    ],
}


def _styles(lang: str, currency: str | None) -> dict[str, Any]:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    from ..core.sheets.look import (
        BODY_SIZE,
        NOTE_COLOR,
        NOTE_SIZE,
        SECTION_SIZE,
        TITLE_SIZE,
        body_font,
        font_charset,
        money_format,
    )

    face = body_font(lang)

    def font(**kwargs: Any) -> Any:
        kwargs.setdefault("size", BODY_SIZE)
        return Font(name=face, charset=font_charset(lang), family=2, scheme="minor", **kwargs)

    thin = Side(style="thin", color="BFBFBF")
    return {
        "face": face,
        "money": money_format(currency, lang),
        "title": font(size=TITLE_SIZE, bold=True, color=TITLE_COLOR),
        "note": font(size=NOTE_SIZE, italic=True, color=NOTE_COLOR),
        "header_font": font(bold=True, color="FFFFFF"),
        "header_fill": PatternFill("solid", fgColor=HEADER_FILL),
        "label_font": font(bold=True),
        "formula_fill": PatternFill("solid", fgColor=FORMULA_FILL),
        "wrap": Alignment(wrap_text=True, vertical="top"),
        "title_align": Alignment(vertical="center"),
        "top": Alignment(vertical="top"),
        "center": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "border": Border(bottom=thin),
        "h": font(size=SECTION_SIZE, bold=True, color=TITLE_COLOR),
    }


def _fmt(number_format: str | None, styles: dict[str, Any]) -> str | None:
    """A declared number format as written: amounts in the campaign's currency."""
    return styles["money"] if number_format == S.MONEY_FORMAT else number_format


def quote_sheet(name: str) -> str:
    """A sheet name as it must appear in a formula reference."""
    return "'" + name.replace("'", "''") + "'"


def structured_formula(spec: S.SheetSpec, template: str, lang: str) -> str:
    """A computed column's formula for the file: placeholders resolved, ``[@Col]`` spelled out as
    ``Table[[#This Row],[Col]]`` (the form Excel stores; ``[@…]`` is only shown in its formula bar)."""
    import re

    text = S.resolve_formula(template)[lang]
    return re.sub(r"\[@([^\]]+)\]", lambda m: f"{spec.table}[[#This Row],[{m[1]}]]", text)


def _write(ws: Worksheet, row: int, col: int, value: Any, number_format: str | None = None) -> None:
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") and len(value) > 1:
        cell.value = value
        cell.data_type = "s"  # never a live formula from user or example text
    else:
        cell.value = value
    if number_format and not isinstance(value, str):
        cell.number_format = number_format


def _title(ws: Worksheet, spec_title: str, note: str, styles: dict[str, Any]) -> None:
    ws.cell(row=TITLE_ROW, column=1, value=spec_title).font = styles["title"]
    ws.row_dimensions[TITLE_ROW].height = 24
    if note:
        ws.cell(row=NOTE_ROW, column=1, value=note).font = styles["note"]


def _sheet_note(spec: S.SheetSpec, lang: str) -> str:
    required = [c.header(lang) for c in spec.input_columns if c.required]
    return t(lang, "必填列：", "Required columns: ") + join(required, lang)


def _add_list_validation(ws: Worksheet, col: int, first_row: int, formula: str, lang: str,
                         strict: bool = True) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(type="list", formula1=formula, allow_blank=True, showDropDown=False)
    dv.error = t(lang, "请从下拉列表中选择", "Choose a value from the list")
    dv.errorTitle = "xl-campaign"
    dv.errorStyle = "stop" if strict else "warning"
    dv.showErrorMessage = True
    letter = column_letter(col)
    dv.add(f"{letter}{first_row}:{letter}{first_row + VALIDATION_ROWS}")
    ws.add_data_validation(dv)


def _table_sheet(wb: Workbook, spec: S.SheetSpec, rows: list[dict[str, Any]], lang: str,
                 styles: dict[str, Any], ws: Worksheet | None = None, header_row: int = HEADER_ROW,
                 title: bool = True, computed: list[dict[str, Any]] | None = None,
                 cached: dict[tuple[int, int], Any] | None = None) -> tuple[Worksheet, int]:
    """Write one table sheet (or a table into ``ws`` at ``header_row``); returns the sheet and its last row.
    ``computed``: per row, the values of the computed columns (put into ``cached`` by cell)."""
    from openpyxl.worksheet.table import Table, TableColumn, TableFormula, TableStyleInfo

    if ws is None:
        ws = wb.create_sheet(spec.name(lang))
    if title:
        _title(ws, spec.title(lang), _sheet_note(spec, lang), styles)
    columns = _layout(spec)
    for col_index, column in enumerate(columns, start=1):
        cell = ws.cell(row=header_row, column=col_index, value=column.header(lang))
        cell.font = styles["header_font"]
        cell.fill = styles["header_fill"]
        cell.alignment = styles["center"]
        if column.note(lang):
            from openpyxl.comments import Comment

            cell.comment = Comment(column.note(lang), "xl-campaign")
        ws.column_dimensions[column_letter(col_index)].width = column.width
    first = header_row + 1
    last = first + max(len(rows), 1) - 1
    for offset, values in enumerate(rows or [{}]):
        row = first + offset
        for col_index, column in enumerate(columns, start=1):
            if column.formula:
                cell = ws.cell(row=row, column=col_index, value="=" + structured_formula(spec, column.formula, lang))
                cell.fill = styles["formula_fill"]
                if column.number_format:
                    cell.number_format = _fmt(column.number_format, styles)
                if computed is not None and cached is not None and offset < len(computed):
                    cached[(row, col_index)] = computed[offset].get(column.key)
                continue
            _write(ws, row, col_index, values.get(column.key), _fmt(column.number_format, styles))
    # no formats below the table: Excel carries a Table's column formats into each row typed under it
    ref = f"A{header_row}:{column_letter(len(columns))}{last}"
    table = Table(displayName=spec.table, ref=ref)
    table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium2", showRowStripes=True)
    table.tableColumns = [TableColumn(id=i, name=c.header(lang)) for i, c in enumerate(columns, start=1)]
    for table_column, column in zip(table.tableColumns, columns, strict=True):
        if column.formula:
            table_column.calculatedColumnFormula = TableFormula(
                attr_text=structured_formula(spec, column.formula, lang))
    ws.add_table(table)
    for col_index, column in enumerate(columns, start=1):
        if column.formula:
            continue
        if column.vocab:
            labels = VOCABULARIES[column.vocab].labels(lang)
            if column.vocab == "yes_no":
                labels = labels[:2]
            _add_list_validation(ws, col_index, first, '"' + ",".join(labels) + '"', lang)
        elif column.type is S.ColType.PEOPLE:
            _add_list_validation(ws, col_index, first, "=TeamNames", lang, strict=False)
        elif column.key == "channel":
            _add_list_validation(ws, col_index, first, "=ChannelNames", lang, strict=False)
    if title:
        ws.freeze_panes = f"A{header_row + 1}"
        print_setup(ws, landscape=True, title_rows=f"{header_row}:{header_row}",
                    area=f"A:{column_letter(len(spec.columns))}" if spec is S.TASKS else None)
    return ws, last


FOOTER = "&A · &P / &N"  # sheet name, page of pages: a printout says which sheet it is


def print_setup(ws: Worksheet, *, landscape: bool, title_rows: str | None = None, area: str | None = None,
                fit_height: int = 0) -> None:
    """A4, one page wide (``fit_height`` pages tall, 0: as many as needed), narrow margins, the header row
    repeated on every page, the sheet's name and page number in the footer."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = fit_height
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.left = ws.page_margins.right = 0.3
    ws.page_margins.top = ws.page_margins.bottom = 0.45
    ws.page_margins.header = ws.page_margins.footer = 0.2
    if title_rows:
        ws.print_title_rows = title_rows
    if area:  # whole columns ("A:M", which openpyxl's print_area refuses): rows typed later print too
        from openpyxl.workbook.defined_name import DefinedName

        first_col, last_col = area.split(":")
        ws.defined_names["_xlnm.Print_Area"] = DefinedName(
            "_xlnm.Print_Area", attr_text=f"{quote_sheet(ws.title)}!${first_col}$1:${last_col}${HEADER_ROW + VALIDATION_ROWS}")
    ws.oddFooter.center.text = FOOTER
    ws.oddFooter.center.size = 8


# --- the timeline beside the Tasks table ---------------------------------------------------------------------
TIMELINE_GAP = 1  # an empty column between the Tasks table and the timeline
TIMELINE_COLUMNS = 56  # 8 weeks of days, or 13 months of weeks
TIMELINE_WIDTH = 2.9
TIMELINE_DAY_SPAN = TIMELINE_COLUMNS - 2  # plans longer than this open on the week scale
TIMELINE_TEXTS = {
    "start": ("时间轴起始", "Timeline starts"),
    "scale": ("刻度", "Scale"),
    "day": ("日", "Day"),
    "week": ("周", "Week"),
    "today": ("状态日期", "Status date"),
    "start_note": ("改这个日期即可左右移动时间轴；留空则从本周一开始。",
                   "Type another date to scroll the timeline; empty: this week's Monday."),
    "scale_note": ("日：每列一天；周：每列一周（从周一开始）。", "Day: one column per day; Week: one column per week (from Monday)."),
    "today_note": ("活动概览的状态日期，留空则为今天：今日线与逾期按此日期判断。",
                   "The Overview's status date, else today: the today line and overdue work are judged on it."),
}


@dataclass(frozen=True)
class Timeline:
    """Where the timeline's controls and grid are (1-based columns), and the formula pieces its rules share."""

    first_col: int
    start_cell: str  # "$T$1": the first day shown (typed by the user)
    scale_cell: str  # "$AC$1": 日/周 (Day/Week)
    today_cell: str  # "$AK$1": the status date
    week: str  # the label that means the week scale

    @property
    def last_col(self) -> int:
        return self.first_col + TIMELINE_COLUMNS - 1

    @property
    def step(self) -> str:
        return f'IF({self.scale_cell}="{self.week}",7,1)'


def _timeline_plan(plan: Plan, lang: str) -> tuple[date | None, str]:
    """The first day the timeline shows and its scale when the workbook is made: from the first task, in days
    when the plan fits, else in weeks."""
    from ..core.gantt import build_gantt

    if not plan.tasks:
        return None, "day"
    model = build_gantt(plan, plan.overview.as_of or date.today())
    days = [d for t in model.tasks for d in (t.start, t.end) if d is not None]
    if not days:
        return None, "day"
    first, last = min(days) - timedelta(days=1), max(days)
    return first, "day" if (last - first).days + 1 <= TIMELINE_DAY_SPAN else "week"


def _timeline(wb: Workbook, ws: Worksheet, plan: Plan, content: Content, styles: dict[str, Any],
              cached: dict[tuple[int, int], Any]) -> None:
    """A Gantt to the right of the Tasks table, in the same rows, drawn only by conditional formatting over each
    row's own start, end, progress, status and milestone cells: typing, sorting, inserting or deleting tasks in
    Excel moves the bars with no Python. Row 1 holds the controls — the first day shown (scroll), the scale
    (Day/Week, zoom) and the status date (the Overview's, else today) —, row 3 the date of each column."""
    from openpyxl.formatting.rule import DataBarRule, Rule
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.styles.differential import DifferentialStyle

    from ..core.sheets.gantt import HEADER_FILL as GANTT_HEAD
    from ..core.sheets.gantt import OVERDUE_FILL, STATUS_STYLES, TODAY_FILL, WEEKEND_FILL
    from ..core.vocab import STATUS, WHOLE_CAMPAIGN, YES_NO

    lang = content.lang
    spec = S.TASKS
    col = {c.key: i for i, c in enumerate(spec.columns, start=1)}
    first_col = len(spec.columns) + TIMELINE_GAP + 1
    letter = column_letter

    def at(offset: int) -> int:
        return first_col + offset

    def say(key: str) -> str:
        return t(lang, *TIMELINE_TEXTS[key])

    start_col, scale_col, today_col = at(5), at(14), at(23)
    line = Timeline(first_col, f"${letter(start_col)}$1", f"${letter(scale_col)}$1", f"${letter(today_col)}$1",
                    say("week"))
    start, scale = _timeline_plan(plan, lang)
    label_font = Font(name=styles["face"], charset=styles["title"].charset, family=2, scheme="minor", bold=True,
                      color="595959", size=10)
    input_fill = PatternFill("solid", fgColor="FFF2CC")
    thin = Side(style="thin", color="BF9000")
    for value_at, key in ((start_col, "start"), (scale_col, "scale"), (today_col, "today")):
        cell = ws.cell(row=1, column=value_at - 1, value=say(key))  # right-aligned: runs on to the left
        cell.font = label_font
        cell.alignment = Alignment(horizontal="right", vertical="center")
        ws.merge_cells(start_row=1, start_column=value_at, end_row=1, end_column=value_at + 3)
        from openpyxl.comments import Comment

        cell.comment = Comment(say(f"{key}_note"), "xl-campaign")
    start_cell = ws.cell(row=1, column=start_col, value=start)
    start_cell.number_format = S.DATE_FORMAT
    scale_cell = ws.cell(row=1, column=scale_col, value=say(scale))
    for cell in (start_cell, scale_cell):
        cell.fill = input_fill
        cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
        cell.alignment = Alignment(horizontal="center", vertical="center")
    _add_list_validation(ws, scale_col, 1, f'"{say("day")},{say("week")}"', lang)
    ws.data_validations.dataValidation[-1].sqref = _sqref(f"{letter(scale_col)}1")
    as_of_name = S.OVERVIEW_NAMES["as_of"]
    today_cell = ws.cell(row=1, column=today_col,
                         value=f"=IF(ISNUMBER({as_of_name}),{as_of_name},TODAY())")
    today_cell.number_format = S.DATE_FORMAT
    today_cell.font = Font(name=styles["face"], charset=styles["title"].charset, family=2, scheme="minor", bold=True,
                           color=TODAY_FILL)
    today_cell.alignment = Alignment(horizontal="center", vertical="center")
    today = plan.overview.as_of or date.today()
    cached[(1, today_col)] = today

    # row 3: each column's first day (rotated, like the header of the table beside it)
    shown = start or today - timedelta(days=today.weekday())
    step = 7 if scale == "week" else 1
    if scale == "week":
        shown -= timedelta(days=shown.weekday())
    head = PatternFill("solid", fgColor=GANTT_HEAD)
    head_font = Font(name=styles["face"], charset=styles["title"].charset, family=2, scheme="minor", bold=True,
                     color="FFFFFF", size=9)
    anchor = f"IF(ISNUMBER({line.start_cell}),{line.start_cell},TODAY()-WEEKDAY(TODAY(),2)+1)"
    for offset in range(TIMELINE_COLUMNS):
        column = at(offset)
        if offset == 0:
            formula = f"={anchor}-IF({line.scale_cell}=\"{line.week}\",WEEKDAY({anchor},2)-1,0)"
        else:
            formula = f"={letter(column - 1)}{HEADER_ROW}+{line.step}"
        cell = ws.cell(row=HEADER_ROW, column=column, value=formula)
        cell.number_format = "mm-dd"
        cell.fill = head
        cell.font = head_font
        cell.alignment = Alignment(horizontal="center", vertical="center", text_rotation=90)
        cached[(HEADER_ROW, column)] = shown + timedelta(days=step * offset)
        ws.column_dimensions[letter(column)].width = TIMELINE_WIDTH
    ws.column_dimensions[letter(first_col - 1)].width = 2
    ws.row_dimensions[HEADER_ROW].height = 42

    # the rules, written for the grid's first row; each row reads only its own cells
    first, last = HEADER_ROW + 1, HEADER_ROW + VALIDATION_ROWS
    c = f"{letter(first_col)}${HEADER_ROW}"
    g, h = f"${letter(col['start'])}{first}", f"${letter(col['end'])}{first}"
    i, j, k = (f"${letter(col[key])}{first}" for key in ("status", "progress", "milestone"))
    whole = WHOLE_CAMPAIGN.terms[0].label(lang)
    end_name = S.OVERVIEW_NAMES["end"]
    bar_start = f"IF(ISNUMBER({g}),{g},{h})"
    bar_end = f'IF(ISNUMBER({h}),{h},IF(AND(ISNUMBER({g}),{h}="{whole}",ISNUMBER({end_name})),{end_name},{g}))'
    bar = f"AND(ISNUMBER({bar_start}),ISNUMBER({bar_end}),{c}<={bar_end},{c}+{line.step}>{bar_start})"
    done, cancelled = STATUS.label("done", lang), STATUS.label("cancelled", lang)
    today_ref = line.today_cell
    is_open = f'N({j})<1,{i}<>"{done}",{i}<>"{cancelled}"'
    rules: list[tuple[str, Any]] = []

    def fill_rule(formula: str, color: str | None = None, *, stop: bool = True, border: Any = None,
                  font: Any = None) -> Any:
        dxf = DifferentialStyle(fill=PatternFill("solid", start_color=color, end_color=color) if color else None,
                                border=border, font=font)
        return Rule(type="expression", dxf=dxf, formula=[formula], stopIfTrue=stop or None)

    grid = f"{letter(first_col)}{first}:{letter(line.last_col)}{last}"
    red = Side(style="medium", color=TODAY_FILL)
    white = Side(style="thin", color="FFFFFF")
    rules.append((grid, fill_rule(f"AND({c}<={today_ref},{today_ref}<{c}+{line.step})", None, stop=False,
                                  border=Border(left=red, right=red))))
    yes = YES_NO.label("yes", lang)
    rules.append((grid, fill_rule(f'AND({k}="{yes}",ISNUMBER({bar_end}),{c}<={bar_end},{bar_end}<{c}+{line.step})',
                                  "FFC000", border=Border(top=white, bottom=white))))
    rules.append((grid, fill_rule(
        f"AND({bar},N({j})>0,{c}<{bar_start}+ROUND(({bar_end}-{bar_start}+1)*N({j}),0))", "2F5597",
        border=Border(top=white, bottom=white))))
    rules.append((grid, fill_rule(f"AND({bar},{bar_end}<{today_ref},{is_open})", OVERDUE_FILL,
                                  border=Border(top=white, bottom=white))))
    rules.append((grid, fill_rule(bar, "B4C7E7", border=Border(top=white, bottom=white))))
    rules.append((grid, fill_rule(f"AND({line.step}=1,WEEKDAY({c},2)>5)", WEEKEND_FILL)))
    rules.append((f"{letter(first_col)}{HEADER_ROW}:{letter(line.last_col)}{HEADER_ROW}",
                  fill_rule(f"AND({c}<={today_ref},{today_ref}<{c}+{line.step})", TODAY_FILL)))
    # on the table: status chips, overdue rows, progress bars
    status_range = f"{letter(col['status'])}{first}:{letter(col['status'])}{last}"
    for key, style in STATUS_STYLES.items():
        font = Font(color=style.color, bold=key in ("blocked",), italic=style.italic or None)
        rules.append((status_range, fill_rule(f'{i}="{STATUS.label(key, lang)}"', style.fill, font=font)))
    overdue = f"AND(ISNUMBER({bar_end}),{bar_end}<{today_ref},{is_open})"
    rules.append((f"A{first}:{letter(len(spec.columns))}{last}",
                  fill_rule(overdue, "FDE9E7", font=Font(color="9C0006"))))
    for area_, rule in rules:
        ws.conditional_formatting.add(area_, rule)
    progress = f"{letter(col['progress'])}{first}:{letter(col['progress'])}{last}"
    ws.conditional_formatting.add(progress, DataBarRule(start_type="num", start_value=0, end_type="num",
                                                        end_value=1, color="5B9BD5", showValue=True))


def _sqref(ref: str) -> Any:
    from openpyxl.worksheet.cell_range import MultiCellRange

    return MultiCellRange(ref)


def _layout(spec: S.SheetSpec) -> list[S.Column]:
    """The columns a new table starts with: the declared ones, with the user's own metric columns (Touchpoints'
    访问量, 分享率 …) before the last declared column; their values in content rows are keyed ``metric:<en>``."""
    columns = list(spec.columns)
    if not spec.metric_columns:
        return columns
    metrics = [S.Column(f"metric:{en}", S.ColType.TEXT, zh, en, number_format=fmt, width=12)
               for zh, en, fmt in spec.metric_columns]
    return columns[:-1] + metrics + columns[-1:]


def _defined_name(wb: Workbook, name: str, sheet: str, row: int, col: int) -> None:
    from openpyxl.workbook.defined_name import DefinedName

    ref = f"{quote_sheet(sheet)}!${column_letter(col)}${row}"
    wb.defined_names[name] = DefinedName(name, attr_text=ref)


def _overview_sheet(wb: Workbook, content: Content, styles: dict[str, Any]) -> None:
    lang = content.lang
    spec = S.OVERVIEW
    ws = wb.create_sheet(spec.name(lang))
    _title(ws, spec.title(lang), "", styles)
    row = HEADER_ROW
    for column in spec.columns:
        label = ws.cell(row=row, column=1, value=column.header(lang))
        label.font = styles["label_font"]
        label.alignment = styles["top"]  # beside a note that wraps onto several lines
        _write(ws, row, 2, content.overview.get(column.key), _fmt(column.number_format, styles))
        ws.cell(row=row, column=2).alignment = styles["top"]
        if column.note(lang):
            note = ws.cell(row=row, column=3, value=column.note(lang))
            note.font = styles["note"]
            note.alignment = styles["wrap"]
            lines = -(-int(text_width(column.note(lang)) * 0.95) // 30)
            if lines > 1:
                ws.row_dimensions[row].height = 14.5 * lines
        if column.vocab:
            labels = VOCABULARIES[column.vocab].labels(lang)
            _add_list_validation(ws, 2, row, '"' + ",".join(labels) + '"', lang)
        if column.key in S.OVERVIEW_NAMES:
            _defined_name(wb, S.OVERVIEW_NAMES[column.key], ws.title, row, 2)
        row += 1
    goals_header = row + 2
    ws.cell(row=goals_header - 1, column=1, value=S.GOALS.title(lang)).font = styles["h"]
    _table_sheet(wb, S.GOALS, content.tables.get("goals", []), lang, styles, ws=ws, header_row=goals_header,
                 title=False)
    # the form's label, value and note columns are the goals table's first three: one set of widths for both
    for letter_, width in (("A", 18), ("B", 24), ("C", 32), ("D", 14)):
        ws.column_dimensions[letter_].width = width
    ws.column_dimensions[column_letter(len(_layout(S.GOALS)))].width = 34  # the goal's note
    _percent_when_unit_is_percent(ws, goals_header)
    print_setup(ws, landscape=True, fit_height=1)  # the goals table (baseline, deadline, daily target) is wide


def _percent_when_unit_is_percent(ws: Worksheet, header_row: int) -> None:
    """A goal whose unit is % shows its target (a fraction, 0.03) as a percentage (3.00%): a conditional number
    format, so a goal typed later gets it too."""
    from openpyxl.formatting.rule import Rule
    from openpyxl.styles.differential import DifferentialStyle
    from openpyxl.styles.numbers import NumberFormat

    target = column_letter(list(S.GOALS.columns).index(S.GOALS.column("target")) + 1)
    unit = column_letter(list(S.GOALS.columns).index(S.GOALS.column("unit")) + 1)
    first = header_row + 1
    dxf = DifferentialStyle(numFmt=NumberFormat(numFmtId=10, formatCode="0.00%"))  # a built-in format
    rule = Rule(type="expression", dxf=dxf, formula=[f'OR(${unit}{first}="%",${unit}{first}="％")'])
    ws.conditional_formatting.add(f"{target}{first}:{target}{first + VALIDATION_ROWS}", rule)


def _budget_summary(wb: Workbook, ws: Worksheet, lang: str, styles: dict[str, Any], totals: BudgetTotals,
                    cached: dict[tuple[int, int], Any]) -> None:
    """The native-formula summary right of the Budget table: planned and actual by category, totals, reserve;
    each formula's value (``cached``) from the core's ``totals``."""
    spec = S.BUDGET
    first_col = len(spec.columns) + 1 + S.BUDGET_SUMMARY_GAP_COLUMNS
    label_col, planned_col, actual_col = first_col, first_col + 1, first_col + 2
    heads = (t(lang, "汇总", "Summary"), S.BUDGET.column("planned").header(lang), S.BUDGET.column("actual").header(lang))
    for offset, text in enumerate(heads):
        cell = ws.cell(row=HEADER_ROW, column=first_col + offset, value=text)
        cell.font = styles["header_font"]
        cell.fill = styles["header_fill"]
        cell.alignment = styles["center"]
    ws.column_dimensions[column_letter(label_col)].width = 22
    ws.column_dimensions[column_letter(planned_col)].width = 13
    ws.column_dimensions[column_letter(actual_col)].width = 13
    ws.column_dimensions[column_letter(label_col - 1)].width = 2
    cat_header = spec.column("category").header(lang)
    planned_header = spec.column("planned").header(lang)
    actual_header = spec.column("actual").header(lang)
    row = HEADER_ROW + 1
    category_rows: dict[str, int] = {}
    for term in CATEGORY.terms:
        ws.cell(row=row, column=label_col, value=term.label(lang)).font = styles["label_font"]
        for col, header in ((planned_col, planned_header), (actual_col, actual_header)):
            cell = ws.cell(row=row, column=col,
                           value=f"=SUMIFS(Budget[{header}],Budget[{cat_header}],{a1(row, label_col)})")
            cell.number_format = styles["money"]
            cell.fill = styles["formula_fill"]
        cached[(row, planned_col)] = totals.planned_by_category.get(term.key, 0)
        cached[(row, actual_col)] = totals.actual_by_category.get(term.key, 0)
        category_rows[term.key] = row
        row += 1
    non_reserve = [r for k, r in category_rows.items() if k != "reserve"]
    reserve_row = category_rows["reserve"]

    def lines_total(col: int) -> str:
        return f"=SUM({a1(min(non_reserve), col)}:{a1(max(non_reserve), col)})"

    planned = column_letter(planned_col)
    rows_by_key: dict[str, int] = {}
    for key, _zh, _en in S.BUDGET_SUMMARY_ROWS:
        rows_by_key[key] = row
        row += 1
    lt, rs, tb = (f"${planned}${rows_by_key[k]}" for k in ("LinesTotal", "Reserve", "TotalBudget"))
    formulas = {
        "LinesTotal": (lines_total(planned_col), lines_total(actual_col)),
        "Reserve": (f"={a1(reserve_row, planned_col)}", f"={a1(reserve_row, actual_col)}"),
        "ReserveRate": (f'=IF({tb}>0,{rs}/{tb},"")', None),
        "TotalBudget": (f"=IF(N(Campaign_TotalBudget)>0,Campaign_TotalBudget,{lt}+{rs})", None),
        "Remaining": (f"={tb}-{lt}-{rs}", None),
    }
    lines = sum((v for k, v in totals.planned_by_category.items() if k != "reserve"), Decimal(0))
    lines_actual = sum((v for k, v in totals.actual_by_category.items() if k != "reserve"), Decimal(0))
    reserve = totals.planned_by_category.get("reserve", Decimal(0))
    total = totals.total_budget if totals.total_from_overview else lines + reserve
    expected: dict[str, tuple[Any, Any]] = {
        "LinesTotal": (lines, lines_actual),
        "Reserve": (reserve, totals.actual_by_category.get("reserve", Decimal(0))),
        "ReserveRate": (reserve / total if total > 0 else "", None),
        "TotalBudget": (total, None),
        "Remaining": (total - lines - reserve, None),
    }
    for key, zh, en in S.BUDGET_SUMMARY_ROWS:
        r = rows_by_key[key]
        cached[(r, planned_col)] = expected[key][0]
        if expected[key][1] is not None:
            cached[(r, actual_col)] = expected[key][1]
        ws.cell(row=r, column=label_col, value=t(lang, zh, en)).font = styles["label_font"]
        planned_formula, actual_formula = formulas[key]
        fmt = S.PERCENT_FORMAT if key == "ReserveRate" else styles["money"]
        cell = ws.cell(row=r, column=planned_col, value=planned_formula)
        cell.number_format = fmt
        cell.fill = styles["formula_fill"]
        if actual_formula:
            cell = ws.cell(row=r, column=actual_col, value=actual_formula)
            cell.number_format = fmt
            cell.fill = styles["formula_fill"]
        _defined_name(wb, f"Budget_{key}", ws.title, r, planned_col)


def _guide_sheet(wb: Workbook, lang: str, styles: dict[str, Any]) -> None:
    ws = wb.active
    assert ws is not None
    ws.title = S.GUIDE.name(lang)
    width = 92
    ws.column_dimensions["A"].width = width
    for row, (style, text) in enumerate(GUIDE_TEXT[lang], start=1):
        cell = ws.cell(row=row, column=1, value=text)
        if row == 1 or style == "h":
            cell.font = styles["title"] if row == 1 else styles["h"]
            ws.row_dimensions[row].height = 30 if row == 1 else 24
        else:
            lines = -(-int(text_width(text) * 1.08) // (width - 2))
            ws.row_dimensions[row].height = 15 * lines + 3
        cell.alignment = styles["wrap"] if row > 1 else styles["title_align"]
    ws.sheet_view.showGridLines = False
    print_setup(ws, landscape=False, fit_height=1)


def _channel_values(plan: Plan, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The computed columns of each Channels row as its formulas give them: SUMIFS over the Daily KPI rows of
    the channel (names compared as Excel's criteria do: whole text, any case), the rates over those sums."""
    from ..core.kpi import total_of

    out = []
    for row in rows:
        name = str(row.get("name") or "").strip().casefold()
        totals = total_of(k for k in plan.kpi if name and (k.channel or "").strip().casefold() == name)
        out.append({"impressions": totals.impressions, "clicks": totals.clicks, "conversions": totals.conversions,
                    "revenue": totals.revenue, "spend": totals.spend,
                    **{key: blank(getattr(totals, key)) for key in ("ctr", "cvr", "cpa", "roi")},
                    "roas": blank(totals.ratio_text)})  # "1:"&ROUND(revenue/spend,1), as the core writes it
    return out


def blank(value: Any) -> Any:
    """None as a formula's ``""``."""
    return "" if value is None else value


def build(content: Content) -> tuple[Workbook, dict[str, dict[tuple[int, int], Any]]]:
    """An openpyxl Workbook with every declared sheet, filled with ``content``, and the value of each formula it
    holds (sheet -> cell -> value), computed by the core from the same content."""
    from openpyxl import Workbook

    from ..core.budget import budget_totals
    from .reader import plan_of_values
    from .writer import typeset

    lang = content.lang
    styles = _styles(lang, content.overview.get("currency"))
    plan = plan_of_values(lang, content.overview, content.tables)
    wb = Workbook()
    typeset(wb, styles["face"])
    cached: dict[str, dict[tuple[int, int], Any]] = {}
    _guide_sheet(wb, lang, styles)
    _overview_sheet(wb, content, styles)
    for spec in (S.TEAM, S.TASKS, S.MATERIALS, S.BUDGET, S.CHANNELS, S.KPI, S.REVIEW, S.TOUCHPOINTS):
        rows = content.tables.get(spec.key, [])
        sheet_cached = cached.setdefault(spec.name(lang), {})
        computed = _channel_values(plan, rows or [{}]) if spec is S.CHANNELS else None
        ws, _ = _table_sheet(wb, spec, rows, lang, styles, computed=computed, cached=sheet_cached)
        if spec is S.TASKS:
            _timeline(wb, ws, plan, content, styles, sheet_cached)
            ws.freeze_panes = f"E{HEADER_ROW + 1}"  # ID to task stay beside the timeline
        if spec is S.BUDGET:
            _budget_summary(wb, ws, lang, styles, budget_totals(plan), sheet_cached)
    team_sheet = quote_sheet(S.TEAM.name(lang))
    channel_sheet = quote_sheet(S.CHANNELS.name(lang))
    from openpyxl.workbook.defined_name import DefinedName

    first = HEADER_ROW + 1
    wb.defined_names["TeamNames"] = DefinedName(
        "TeamNames", attr_text=f"{team_sheet}!$A${first}:$A${first + VALIDATION_ROWS}")
    wb.defined_names["ChannelNames"] = DefinedName(
        "ChannelNames", attr_text=f"{channel_sheet}!$A${first}:$A${first + VALIDATION_ROWS}")
    wb.calculation.fullCalcOnLoad = True
    wb.properties.creator = "xl-campaign"
    wb.properties.title = str(content.overview.get("name") or "")
    wb.properties.language = t(lang, "zh-CN", "en-US")
    return wb, {sheet: values for sheet, values in cached.items() if values}


def build_workbook(content: Content) -> Workbook:
    """An openpyxl Workbook with every declared sheet, filled with ``content`` (saved by openpyxl alone, its
    formulas have no cached values: :func:`write_workbook` writes them)."""
    return build(content)[0]


def write_workbook(content: Content, path: str, force: bool = False) -> str:
    """Write ``content`` to ``path`` atomically, every formula with its cached value; refuses to replace an
    existing file unless ``force``."""
    if os.path.exists(path) and not force:
        raise FileExistsError(path)
    from .writer import save_atomic

    wb, values = build(content)
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    save_atomic(wb, path, values)
    return path
