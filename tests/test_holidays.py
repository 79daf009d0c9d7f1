"""Holidays and working days from the maintained ``holidays`` library: the region from the Overview (CN by default
in a Chinese workbook), make-up working days (调休), holidays shaded on both Gantts (the generated sheet, static and
live, and the report's picture), durations in working days when the Overview asks for them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from xl_campaign.app.report import load_report
from xl_campaign.core.gantt import build_gantt
from xl_campaign.core.sheets.gantt import gantt_sheet
from xl_campaign.core.workdays import calendar, calendar_around, plan_region, region_code
from xl_campaign.io.reader import read_plan
from xl_campaign.render.html.charts import gantt_svg

from . import rule_fixtures as F
from .conftest import WORKBOOK_DIR


def test_regions() -> None:
    assert [region_code(t) for t in ("CN", "中国", "China", " us ", "无", "none", "East China")] == \
        ["CN", "CN", "CN", "US", "", "", None]
    assert plan_region(None, "zh") == "CN" and plan_region(None, "en") is None and plan_region("无", "zh") is None
    us = calendar("US", 2024, 2024, "en")
    assert us.is_holiday(date(2024, 7, 4)) and not us.is_holiday(date(2024, 10, 1))
    assert not calendar("", 2024, 2024).holidays


def test_china_and_its_make_up_working_days() -> None:
    cn = calendar_around("CN", date(2024, 9, 1), date(2024, 10, 31), "zh")
    assert cn.is_holiday(date(2024, 10, 1)) and cn.name(date(2024, 10, 1)) == "国庆节"
    assert cn.is_working_day(date(2024, 9, 29)) and date(2024, 9, 29).weekday() == 6  # a Sunday worked (调休)
    # Sep 29 (a Sunday worked), 30, Oct 8-11 and Oct 12 (a Saturday worked): 7
    assert cn.working_days(date(2024, 9, 28), date(2024, 10, 12)) == 7
    english = calendar_around("CN", date(2024, 9, 1), date(2024, 10, 31), "en")
    assert english.name(date(2024, 10, 1)) == "National Day"


def test_the_gantt_sheet_shades_holidays_but_not_make_up_days() -> None:
    plan = read_plan(WORKBOOK_DIR / "example_zh.xlsx")
    model = build_gantt(plan, date(2024, 5, 24))
    days = {model.scale.columns[i]: name for i, name in model.scale.holidays.items()}
    assert days[date(2024, 5, 1)] == "劳动节" and date(2024, 5, 3) in days
    worked = [model.scale.columns[i] for i in model.scale.workdays]
    assert worked == [date(2024, 5, 11)]  # a Saturday worked after the Labour Day holiday
    saturday = model.scale.columns.index(date(2024, 5, 11))
    assert saturday not in model.scale.weekends and model.scale.columns.index(date(2024, 5, 12)) in model.scale.weekends
    static = gantt_sheet(plan, model, "zh", name="甘特图", live=False)
    holiday_cells = [c for (row, col), c in static.cells.items() if c.style == "holiday"]
    assert holiday_cells and any(c.note == "劳动节" for c in static.cells.values())
    live = gantt_sheet(plan, model, "zh", name="甘特图")
    assert [r.style for r in live.cond_formats].count("holiday") == 3
    assert [r.style for r in live.cond_formats].count("workday") == 1


def test_the_report_gantt_names_the_holidays(tmp_path: Path) -> None:
    data = load_report(str(WORKBOOK_DIR / "example_en.xlsx"))
    assert not isinstance(data, list)
    picture = gantt_svg(data.gantt, "en")
    assert "2024-05-01 Labor Day" in picture or "2024-05-01 Labour Day" in picture


def test_durations_in_working_days(tmp_path: Path) -> None:
    content = F.baseline("zh")
    F.overview(content, durations="工作日")
    plan = read_plan(F.write(content, tmp_path / "working.xlsx"))
    assert plan.overview.durations == "working"
    model = build_gantt(plan, date(2024, 5, 24))
    t01 = next(item for item in model.tasks if item.task.id == "T01")  # 2024-05-02 … 05-05: holidays and a weekend
    assert (t01.days, model.duration(t01)) == (4, 0)
    t03 = next(item for item in model.tasks if item.task.id == "T03")  # Thu 05-09 … Fri 05-10
    assert model.duration(t03) == 2
    sheet = gantt_sheet(plan, model, "zh", name="甘特图")
    assert any(c.value == "工作日" for c in sheet.cells.values())


def test_an_english_workbook_without_a_region_has_weekends_only(tmp_path: Path) -> None:
    content = F.baseline("en")
    F.overview(content, region=None)
    plan = read_plan(F.write(content, tmp_path / "plain.xlsx"))
    assert build_gantt(plan, date(2024, 5, 24)).scale.holidays == {}
