"""The report's domain pictures: the Gantt and the pacing chart, drawn from the core's models as SVG."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from ...core.gantt import GanttModel, GanttTask
from ...core.kpi import Pacing, metric_label
from ...core.sheets.gantt import STAGE_COLORS as SHEET_STAGE_COLORS
from ...core.text import t as t_
from ...core.vocab import STAGE
from . import fmt
from .labels import t
from .svg import AXIS, GRID, INK, MUTED, Svg, clip, nice_ticks, text_width

# (done part, planned part, group band) per stage: the colours of the workbook's Gantt sheet, so that the
# report and the sheet look alike.
STAGE_COLORS: dict[str | None, tuple[str, str, str]] = {
    stage: ("#" + done, "#" + planned, "#" + band) for stage, (done, planned, band) in SHEET_STAGE_COLORS.items()
}
TODAY = "#DC2626"
OVERDUE = "#B91C1C"
WEEKEND = "#F3F4F6"
ACTUAL = "#2563EB"
TARGET = "#6B7280"


def stage_label(stage: str | None, lang: str) -> str:
    return STAGE.label(stage, lang) if stage else t("no_stage", lang)


HOLIDAY = "#FBE3D6"


def gantt_svg(model: GanttModel, lang: str) -> str:
    """The Gantt of ``model``: one row per task grouped by stage, a date header, weekends and public holidays
    (make-up working days unshaded), launch, end and the
    status date, progress inside each bar, milestones, overdue work outlined in red."""
    scale = model.scale
    columns = len(scale.columns)
    col_w = max(14.0, min(26.0, 760 / max(1, columns))) if scale.unit == "day" else max(18.0, min(40.0, 760 / columns))
    id_w, task_w, owner_w = 40.0, 210.0, 74.0
    left = id_w + task_w + owner_w
    head_h, group_h, row_h = 44.0, 24.0, 22.0
    rows = sum(1 + len(g.tasks) for g in model.groups)
    grid_h = sum(group_h + row_h * len(g.tasks) for g in model.groups)
    width = left + col_w * columns + 56
    height = head_h + grid_h + 30
    svg = Svg(width, height, t("sec_gantt", lang))
    first = scale.first
    per = scale.days_per_column

    def x(day: date) -> float:
        return left + (day - first).days / per * col_w

    def x_end(day: date) -> float:
        return x(day + timedelta(days=1))

    top, bottom = head_h, head_h + grid_h
    # header: months, then day numbers (or week starts)
    svg.rect(0, 0, width, head_h, "#1F4E78")
    svg.text(6, 27, t("task", lang), size=12, fill="#ffffff", font_weight="600")
    svg.text(id_w + task_w + 4, 27, t("task_owner", lang), size=11, fill="#ffffff")
    month_start = 0
    for index, day in enumerate(scale.columns):
        nxt = scale.columns[index + 1] if index + 1 < columns else None
        if nxt is None or (nxt.year, nxt.month) != (day.year, day.month):
            x0, x1 = left + month_start * col_w, left + (index + 1) * col_w
            first_day = scale.columns[month_start]
            label = t_(lang, f"{first_day.year}年{first_day.month}月", first_day.strftime("%b %Y"))
            if text_width(label, 11) <= x1 - x0 - 4:
                svg.text((x0 + x1) / 2, 16, label, size=11, fill="#ffffff", anchor="middle")
            svg.line(x1, 0, x1, 22, "#ffffff", stroke_opacity=0.5)
            month_start = index + 1
        cx = left + index * col_w
        if scale.unit == "day":
            if index in scale.holidays:  # a public holiday of the campaign's region, named in its tooltip
                svg.rect(cx, top, col_w, grid_h, HOLIDAY, tip=f"{day.isoformat()} {scale.holidays[index]}")
            elif day.weekday() >= 5 and index not in scale.workdays:
                svg.rect(cx, top, col_w, grid_h, WEEKEND)
            svg.text(cx + col_w / 2, 37, str(day.day), size=9.5 if col_w >= 16 else 8, fill="#DBEAFE",
                     anchor="middle")
        elif index % max(1, int(36 // col_w) + 1) == 0:
            svg.text(cx + col_w / 2, 37, f"{day.month}/{day.day}", size=9, fill="#DBEAFE", anchor="middle")
    # grid lines every week (Mondays) on the day scale, every column on the week scale
    for index, day in enumerate(scale.columns):
        if scale.unit == "week" or day.weekday() == 0:
            svg.line(left + index * col_w, top, left + index * col_w, bottom, GRID)
    # rows
    y = top
    for group in model.groups:
        done, planned, band = STAGE_COLORS.get(group.stage, STAGE_COLORS[None])
        svg.rect(0, y, width, group_h, planned, fill_opacity=0.45)
        svg.rect(0, y, 4, group_h, done)
        label = f"{stage_label(group.stage, lang)}  ·  {fmt.pct(group.progress, 0)}"
        svg.text(10, y + 16, label, size=12, fill=INK, font_weight="700")
        if group.start and group.end:
            svg.rect(x(group.start), y + 8, x_end(group.end) - x(group.start), 8, band, rx=2,
                     tip=f"{stage_label(group.stage, lang)} {fmt.span(group.start, group.end, lang)}")
        y += group_h
        for item in group.tasks:
            _task_row(svg, item, y, row_h, x, x_end, (done, planned), lang, (id_w, task_w, owner_w))
            y += row_h
        svg.line(0, y, width, y, GRID)
    # launch, end and the status date
    for marker, label, color, dash in ((model.launch, t("launch", lang), "#111827", "5 3"),
                                       (model.end, t("end", lang), "#111827", "5 3")):
        if marker is not None and scale.column_of(marker) is not None:
            edge = x(marker) if label == t("launch", lang) else x_end(marker)
            svg.line(edge, top, edge, bottom + 6, color, stroke_dasharray=dash, stroke_width=1.2)
            svg.text(edge, bottom + 18, label, size=10, fill=MUTED, anchor="middle")
    if scale.column_of(model.as_of) is not None:
        mid = x(model.as_of) + col_w / per / 2 if scale.unit == "day" else x(model.as_of)
        svg.line(mid, top - 4, mid, bottom + 6, TODAY, stroke_width=2)
        svg.text(mid, bottom + 18 + (12 if model.launch and abs(mid - x(model.launch)) < 60 else 0),
                 f"{t('today', lang)} {fmt.day(model.as_of, lang, year=False)}", size=10, fill=TODAY,
                 anchor="middle", font_weight="600")
    svg.line(left, top, left, bottom, AXIS)
    del rows
    return svg.render("chart gantt")


def _task_row(svg: Svg, item: GanttTask, y: float, row_h: float, x: object, x_end: object,
              colors: tuple[str, str], lang: str, widths: tuple[float, float, float]) -> None:
    assert callable(x) and callable(x_end)
    id_w, task_w, owner_w = widths
    task = item.task
    done, planned = colors
    name = task.task or ""
    svg.text(6, y + 15, clip(task.id or "", 10.5, id_w - 8), size=10.5, fill=MUTED)
    svg.text(id_w, y + 15, clip(name, 12, task_w - 8), size=12, fill=OVERDUE if item.overdue else INK,
             tip=name + (f" — {task.deliverable}" if task.deliverable else ""))
    svg.text(id_w + task_w + 4, y + 15, clip(fmt.people(task.owner, lang), 11, owner_w - 6), size=11, fill=MUTED)
    if not item.has_bar or item.start is None or item.end is None:
        return
    x0, x1 = x(item.start), x_end(item.end)
    bar_y, bar_h = y + 5, row_h - 10
    tip = f"{name}: {fmt.span(item.start, item.end, lang)} · {fmt.pct(item.progress, 0)}"
    if item.overdue:
        tip += f" · {t('overdue', lang)}"
    if item.conflicts:
        tip += f" · {t('conflict', lang, ids=', '.join(item.conflicts))}"
    svg.rect(x0, bar_y, x1 - x0, bar_h, planned, tip=tip, rx=3, class_="bar",
             stroke=OVERDUE if item.overdue else None, stroke_width=2 if item.overdue else None)
    if item.progress > 0:
        svg.rect(x0, bar_y, (x1 - x0) * float(item.progress), bar_h, done, tip=tip, rx=3)
    if task.milestone:
        cx, cy, r = x1, y + row_h / 2, 6.5
        svg.polygon([(cx, cy - r), (cx + r, cy), (cx, cy + r), (cx - r, cy)], "#111827", tip=tip,
                    stroke="#ffffff", stroke_width=1)
    note = t("overdue", lang) if item.overdue else fmt.pct(item.progress, 0)
    if item.conflicts:
        note += " ⚠"
    svg.text(x1 + (10 if task.milestone else 4), y + 15, note, size=10, fill=OVERDUE if item.overdue else MUTED,
             font_weight="600" if item.overdue else None)


def pacing_svg(pacing: Pacing, lang: str, *, width: float = 1000, height: float = 300) -> str:
    """Cumulative actual against the straight-line target curve, with the projection at the current run rate,
    the target level and the day measured."""
    metric = metric_label(pacing.metric, lang)
    svg = Svg(width, height, t("pacing_title", lang, metric=metric))
    days = pacing.days
    first, last = days[0].day, max(days[-1].day, pacing.end)
    values = [float(pacing.target)] + [float(d.cumulative) for d in days if d.cumulative is not None]
    if pacing.projected_total is not None:
        values.append(float(pacing.projected_total))
    ticks = nice_ticks(0, max(values) * 1.05, 5)
    money = pacing.metric in ("revenue", "spend")

    def tick_text(v: float) -> str:
        return fmt.compact(v, lang)

    axis_w = max(text_width(tick_text(v), 10) for v in ticks) + 10
    x0, x1 = axis_w, width - 12
    top, bottom = 34.0, height - 28
    span_days = max(1, (last - first).days)

    def x(day: date) -> float:
        return x0 + (day - first).days / span_days * (x1 - x0)

    def y(v: float | Decimal) -> float:
        return bottom - float(v) / ticks[-1] * (bottom - top)

    # legend
    lx = 0.0
    for name, color, dash in ((t("actual_cumulative", lang), ACTUAL, None), (t("target_curve", lang), TARGET, "6 4"),
                              (t("projection", lang), ACTUAL, "2 4")):
        svg.line(lx, 12, lx + 22, 12, color, stroke_width=3, stroke_dasharray=dash)
        svg.text(lx + 28, 16, name, size=11, fill=MUTED)
        lx += 28 + text_width(name, 11) + 22
    for tick in ticks:
        svg.line(x0, y(tick), x1, y(tick), GRID if tick else AXIS)
        svg.text(x0 - 6, y(tick) + 3.5, tick_text(tick), size=10, fill=MUTED, anchor="end")
    step = max(1, round(span_days / 10))
    day = first
    while day <= last:
        svg.line(x(day), bottom, x(day), bottom + 4, AXIS)
        svg.text(x(day), bottom + 16, fmt.day(day, lang, year=False), size=10, fill=MUTED, anchor="middle")
        day += timedelta(days=step)
    # campaign window
    svg.rect(x(pacing.launch), top, x(pacing.end) - x(pacing.launch), bottom - top, "#EFF6FF", fill_opacity=0.6)
    # target level
    svg.line(x0, y(pacing.target), x1, y(pacing.target), "#111827", stroke_dasharray="3 3", stroke_opacity=0.6)
    target_text = fmt.money(pacing.target) if money else fmt.integer(pacing.target)
    svg.text(x0 + 6, y(pacing.target) - 5, t("target_line", lang, value=target_text), size=10, fill=INK)
    # target curve
    svg.polyline([(x(d.day), y(d.target_to_date)) for d in days], TARGET, 2, stroke_dasharray="6 4")
    # actual
    actual = [(x(d.day), y(d.cumulative)) for d in days if d.cumulative is not None]
    if actual:
        area = [(actual[0][0], y(0)), *actual, (actual[-1][0], y(0))]
        svg.polygon(area, ACTUAL, fill_opacity=0.12)
        svg.polyline(actual, ACTUAL, 3)
        for d in days:
            if d.cumulative is not None:
                svg.circle(x(d.day), y(d.cumulative), 2.5, ACTUAL,
                           tip=f"{fmt.day(d.day, lang)}: {fmt.integer(d.cumulative)} / {fmt.integer(d.target_to_date)}")
    if pacing.measured is not None and pacing.projected_total is not None and pacing.measured < pacing.end:
        svg.polyline([(x(pacing.measured), y(pacing.actual_to_date)), (x(pacing.end), y(pacing.projected_total))],
                     ACTUAL, 2, stroke_dasharray="2 4")
        svg.circle(x(pacing.end), y(pacing.projected_total), 4, "#ffffff", stroke=ACTUAL, stroke_width=2,
                   tip=f"{t('projection', lang)}: {fmt.integer(pacing.projected_total)}")
    if pacing.measured is not None:
        mx = x(pacing.measured)
        svg.line(mx, top, mx, bottom, TODAY, stroke_width=1.5)
        svg.text(mx + 4, top + 10, fmt.day(pacing.measured, lang, year=False), size=10, fill=TODAY,
                 font_weight="600")
    return svg.render()
