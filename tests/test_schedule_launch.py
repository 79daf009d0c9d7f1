"""``new --launch`` lays out a schedule that passes its own date rules, for any launch date: every day of three
years (month and year ends, Spring Festival, National Day and their make-up working days), in a Chinese workbook
(holidays of CN) and an English one (weekends only); a few of them also written as real workbooks and checked by
the CLI. Stage windows as the source states them, and the planning period in CAMPAIGN_STAGE."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from xl_campaign.core.model import Overview, Plan, TableInfo, Task
from xl_campaign.core.rules import run_rules
from xl_campaign.core.schedule import default_tasks, stage_of, stage_windows
from xl_campaign.core.udf_logic import stage
from xl_campaign.core.workdays import calendar_around, plan_region


def _starter_plan(launch: date, lang: str) -> Plan:
    end = launch + timedelta(days=13)
    region = plan_region(None, lang)
    cal = calendar_around(region, launch - timedelta(days=30), end + timedelta(days=30), lang)
    plan = Plan(lang=lang, overview=Overview(name="x", launch=launch, end=end, region=region),
                overview_sheet="Overview")
    plan.tables["tasks"] = TableInfo("tasks", "Tasks", 3, {"id": 1, "stage": 2, "start": 7, "end": 8,
                                                          "depends_on": 12}, "table")
    for row, planned in enumerate(default_tasks(launch, end, cal), start=4):
        plan.tasks.append(Task(row=row, id=planned.id, stage=planned.stage, task=planned.task_en, owner=["A"],
                               start=planned.start, end=planned.end, status="not_started",
                               depends_on=list(planned.depends_on)))
    return plan


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_starter_plan_passes_its_own_date_rules_for_every_launch_date(lang: str) -> None:
    failures = []
    day = date(2024, 1, 1)
    while day < date(2027, 1, 1):
        plan = _starter_plan(day, lang)
        before_work = min(t.start for t in plan.tasks if t.start) - timedelta(days=1)
        found = run_rules(plan, select=["DATE"], today=before_work)
        failures += [(day, f.code, f.message) for f in found]
        day += timedelta(days=1)
    assert failures == []


def test_preparation_steps_around_a_long_holiday() -> None:
    # National Day 2025 (Oct 1-8 off, Sep 28 and Oct 11 worked): a launch on Oct 9 prepares before the holiday
    plan = _starter_plan(date(2025, 10, 9), "zh")
    ends = {t.id: t.end for t in plan.tasks}
    cal = calendar_around("CN", date(2025, 9, 1), date(2025, 11, 1))
    assert cal.is_holiday(date(2025, 10, 3)) and cal.is_working_day(date(2025, 9, 28))  # 调休: a Sunday worked
    assert not any(cal.is_holiday(ends[i]) for i in ("T01", "T02", "T03", "T04", "T05", "T06", "T13", "T14"))
    assert ends["T06"] < date(2025, 10, 1)
    windows = stage_windows(date(2025, 10, 9), date(2025, 10, 22), cal)
    assert windows["planning"].start == date(2025, 9, 26)  # seven days that are not holidays before the launch
    # without holidays the windows are the source's plain weeks
    plain = stage_windows(date(2025, 10, 9), date(2025, 10, 22))
    assert (plain["research"].start, plain["research"].end) == (date(2025, 9, 25), date(2025, 10, 2))
    assert plain["planning"].start == date(2025, 10, 2) and plain["review"].end == date(2025, 10, 29)


def test_research_days_before_launch_are_outside_the_research_window() -> None:
    plan = _starter_plan(date(2024, 6, 18), "en")
    research = next(t for t in plan.tasks if t.id == "T03")
    research.start, research.end = date(2024, 6, 14), date(2024, 6, 15)  # 3-4 days before launch
    found = [(f.code, f.cell) for f in run_rules(plan, select=["DATE006"], today=date(2024, 5, 1))]
    assert found == [("DATE006", "H6")]


def test_campaign_stage_knows_the_planning_period() -> None:
    launch, end = date(2024, 5, 16), date(2024, 5, 31)
    assert stage_of(launch - timedelta(days=8), launch, end) == "research"
    assert stage_of(launch - timedelta(days=7), launch, end) == "planning"
    assert stage_of(launch - timedelta(days=4), launch, end) == "planning"
    assert stage_of(launch - timedelta(days=3), launch, end) == "warmup"
    assert stage([date(2024, 5, 9), date(2024, 5, 14)], launch, end, "en") == ["Plan & resources", "Warm-up"]


@pytest.mark.parametrize("launch", ["2025-01-02", "2025-10-09", "2026-02-20", "2024-12-31"])
def test_new_launch_workbooks_pass_check_for_dates(tmp_path: Path, launch: str) -> None:
    out = tmp_path / "plan.xlsx"
    cli = [sys.executable, "-m", "xl_campaign.cli"]
    subprocess.run([*cli, "new", str(out), "--launch", launch, "--lang", "zh"], check=True, capture_output=True)
    first = date.fromisoformat(launch) - timedelta(days=40)
    done = subprocess.run([*cli, "check", str(out), "--format", "json", "--select", "DATE", "--today",
                           first.isoformat()], capture_output=True, text=True)
    assert json.loads(done.stdout)["files"][0]["findings"] == [], done.stdout
