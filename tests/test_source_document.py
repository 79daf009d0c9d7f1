"""The source document's own tables, typed as they stand, and the mistakes people make with them: each is read
(or reported at its cell, with a hint that says what to type) in both languages."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from xl_campaign.core.rules import run_rules
from xl_campaign.io.reader import read_plan

from . import rule_fixtures as F

ASSIGNMENT = [  # template 1, 任务分工表, as the source shows it
    ["任务模块", "具体任务内容", "负责人", "协作部门", "完成时间", "交付标准（示例）"],
    ["方案策划", "活动主题、规则、流程设计", "*小明", "市场部、设计部", "2024-05-10", "输出《活动方案V1.0》及评审意见"],
    ["渠道执行", "短视频平台内容投放与优化", "*小红", "运营部", "2024-05-20", "曝光量≥50万，点击率≥3%"],
    ["物料准备", "活动海报、H5页面制作", "*小刚", "设计部、技术部", "2024-05-12", "素材符合品牌调性，H5无bug"],
    ["客服支持", "用户咨询解答、问题记录", "*小丽", "客服部", "活动全程", "响应时长≤30分钟，问题解决率≥95%"],
]
TIMELINE = [  # template 2, 时间进度表（甘特图示例）, as the source shows it
    ["阶段", "关键任务", "负责人", "开始时间", "结束时间", "状态"],
    ["前期调研", "目标用户画像分析", "*小明", "2024-05-01", "2024-05-05", "已完成"],
    ["方案细化", "活动规则设计", "*小明", "2024-05-06", "2024-05-10", "进行中"],
    ["执行准备", "物料设计定稿", "*小刚", "2024-05-11", "2024-05-12", "未开"],
]
OVERVIEW = [["活动名称", "618 新品推广"], ["上线日期", date(2024, 5, 16)], ["结束日期", date(2024, 5, 31)],
            ["活动总负责人", "王芳"], ["总预算", 500000]]
TEAM = [["姓名", "角色"], ["王芳", "活动总负责人"], ["小明", "策划组"], ["小红", "执行组"], ["小刚", "设计组"],
        ["小丽", "客服组"]]


def _source_book(tmp_path: Path, timeline: list[list[Any]] = TIMELINE) -> Path:
    return F.plain_book(tmp_path / "source.xlsx", {"活动概览": OVERVIEW, "团队": TEAM, "任务分工表": ASSIGNMENT,
                                                   "时间进度表": timeline})


def _found(path: Path, codes: list[str], lang: str | None = None) -> list[tuple[str, str | None, str | None]]:
    return [(f.code, f.sheet, f.cell) for f in run_rules(read_plan(path), select=codes, lang=lang)]


def test_both_source_tables_are_read_as_they_stand(tmp_path: Path) -> None:
    plan = read_plan(_source_book(tmp_path))
    assert [t.task for t in plan.tasks] == [row[1] for row in ASSIGNMENT[1:]] + [row[1] for row in TIMELINE[1:]]
    assert {tuple(t.owner) for t in plan.tasks} == {("小明",), ("小红",), ("小刚",), ("小丽",)}
    assert plan.tasks[0].departments == ["市场部", "设计部"] and plan.tasks[3].whole_campaign
    assert [t.stage for t in plan.tasks[4:]] == ["research", "planning", "planning"]
    assert [i.sheet for i in (plan.tables["tasks"], *plan.extra_tables)] == ["任务分工表", "时间进度表"]
    # the truncated status of the timeline is reported on the timeline's own cell, in both languages
    assert _found(plan.path, ["WB008"]) == [("WB008", "时间进度表", "F4")]  # type: ignore[arg-type]
    assert "未开始" in run_rules(plan, select=["WB008"], lang="en")[0].message + "未开始"
    # nothing is said about a table being left out
    assert _found(plan.path, ["WB016"]) == []  # type: ignore[arg-type]


def test_a_timeline_row_ending_before_it_starts_is_reported_on_the_timeline(tmp_path: Path) -> None:
    timeline = [*TIMELINE, ["执行准备", "测试报名流程", "*小红", "2024-05-14", "2024-05-12", "未开始"]]
    assert _found(_source_book(tmp_path, timeline), ["DATE004"]) == [("DATE004", "时间进度表", "E5")]


def test_rows_describing_the_same_task_are_joined(tmp_path: Path) -> None:
    timeline = [*TIMELINE, ["方案细化", "活动主题、规则、流程设计", "*小明", "2024-05-09", "2024-05-11", "进行中"]]
    plan = read_plan(_source_book(tmp_path, timeline))
    assert len(plan.tasks) == 7  # four assignment rows, three timeline rows, one of them the same task
    joined = plan.tasks[0]
    assert (joined.start, joined.end, joined.status) == (date(2024, 5, 9), date(2024, 5, 10), "in_progress")
    assert plan.cell("tasks", joined, "start") == ("时间进度表", 5, 4)
    assert plan.cell("tasks", joined, "end") == ("任务分工表", 2, 5)


def test_a_second_table_of_another_kind_is_reported_not_dropped(tmp_path: Path) -> None:
    budget = [["类别", "项目", "预算金额", "负责人"], ["人力", "兼职", 1000, "王芳"]]
    path = F.plain_book(tmp_path / "two.xlsx", {"活动概览": OVERVIEW, "团队": TEAM, "预算": budget,
                                                "预算（旧）": budget})
    assert _found(path, ["WB016"]) == [("WB016", "预算（旧）", None)]


def test_a_deleted_sheet_is_not_found_on_another_sheet(tmp_path: Path) -> None:
    content = F.baseline("en")
    path = F.write(content, tmp_path / "no-materials.xlsx", lambda wb: wb.remove(wb["Materials"]))
    plan = read_plan(path)
    assert "materials" not in plan.tables and plan.materials == []
    assert plan.tables["budget"].sheet == "Budget"
    assert [(f.code, f.field) for f in run_rules(plan, select=["WB002"])] == [("WB002", "materials")]


def test_overview_numbers_typed_as_text_are_read_and_reported(tmp_path: Path) -> None:
    content = F.baseline("zh")
    F.overview(content, total_budget="50万", reserve_target="12%")
    plan = read_plan(F.write(content, tmp_path / "text.xlsx"))
    assert (plan.overview.total_budget, str(plan.overview.reserve_target)) == (500000, "0.12")
    found = run_rules(plan, select=["WB006"])
    assert [(f.sheet, f.cell, f.hint) for f in found] == [("活动概览", "B11", "输入 500000"),
                                                           ("活动概览", "B12", "输入 12%")]
    english = run_rules(plan, select=["WB006"], lang="en")
    assert [f.hint for f in english] == ["type 500000", "type 12%"]


def test_500k_in_english(tmp_path: Path) -> None:
    content = F.baseline("en")
    F.overview(content, total_budget="500k")
    plan = read_plan(F.write(content, tmp_path / "k.xlsx"))
    assert plan.overview.total_budget == 500000
    assert [(f.cell, f.hint) for f in run_rules(plan, select=["WB006"])] == [("B11", "type 500000")]


def test_a_member_typed_below_the_team_table_is_on_the_team(tmp_path: Path) -> None:
    content = F.baseline("en")
    F.task(content, "T11", owner="Xiao Zhao")

    def below(wb: Any) -> None:
        wb["Team"]["A10"], wb["Team"]["B10"] = "Xiao Zhao", "Data"

    plan = read_plan(F.write(content, tmp_path / "below.xlsx", below))
    assert "Xiao Zhao" in plan.team_names
    assert [(f.code, f.cell) for f in run_rules(plan, select=["OWN004", "WB015"])] == [("WB015", "A10")]
    assert "drag the corner handle" in (run_rules(plan, select=["WB015"])[0].hint or "")


def test_a_renamed_header_is_reported_at_its_cell_with_the_header_to_type(tmp_path: Path) -> None:
    def rename(sheet: str, header: str) -> Any:
        def edit(wb: Any) -> None:  # as Excel does it: the cell and the Table's column name change together
            wb[sheet]["E3"] = header
            wb[sheet].tables["Tasks"].tableColumns[4].name = header
        return edit

    for lang, header, expected in (("en", "Person in charge", 'rename the header "Person in charge" to "Owner"'),
                                   ("zh", "执行人", "把表头「执行人」改为「负责人」")):
        path = F.write(F.baseline(lang), tmp_path / f"renamed-{lang}.xlsx",
                       rename("Tasks" if lang == "en" else "任务", header))
        found = run_rules(read_plan(path), select=["WB003"])
        assert [(f.cell, f.hint) for f in found] == [("E3", expected)]


def test_a_cycle_is_named_as_a_cycle(tmp_path: Path) -> None:
    content = F.baseline("en")
    F.task(content, "T03", depends_on="T05")
    F.task(content, "T05", depends_on="T04")
    F.task(content, "T04", depends_on="T03")
    plan = read_plan(F.write(content, tmp_path / "cycle.xlsx"))
    found = run_rules(plan, select=["DATE010", "DATE020"])
    assert [(f.code, f.cell) for f in found] == [("DATE020", "L6")]
    assert "T03 → T05 → T04 → T03" in found[0].message
    assert "循环" in run_rules(plan, select=["DATE020"], lang="zh")[0].message


def test_a_date_serial_typed_as_text_says_which_date_it_is(tmp_path: Path) -> None:
    content = F.baseline("en")
    F.task(content, "T09", end="45430")
    found = run_rules(read_plan(F.write(content, tmp_path / "serial.xlsx")), select=["DATE001"])
    assert [(f.cell, f.hint) for f in found] == [("H12", "type the date 2024-05-18")]


def test_a_trailing_space_in_a_channel_name_is_reported(tmp_path: Path) -> None:
    content = F.baseline("zh")
    F.row(content, "kpi", 3, channel="KOL ")
    plan = read_plan(F.write(content, tmp_path / "space.xlsx"))
    found = run_rules(plan, select=["WB017", "KPI005"])
    assert [(f.code, f.cell, f.hint) for f in found] == [("WB017", "B7", "删掉空格，输入「KOL」")]


def test_budget_lines_short_of_the_total_are_reported(tmp_path: Path) -> None:
    content = F.baseline("en")
    F.row(content, "budget", 1, planned=10_000, actual=10_000)
    found = run_rules(read_plan(F.write(content, tmp_path / "short.xlsx")), select=["BUD"])
    assert [(f.code, f.cell) for f in found] == [("BUD012", "B11")]
    assert "30,000.00" in found[0].message


def test_roi_typed_the_source_way_wherever_an_roi_target_is_typed(tmp_path: Path) -> None:
    from xl_campaign.core.kpi import kpi_report

    content = F.baseline("zh")
    content.tables["goals"] += [{"metric": "ROI", "target": "1:5"}, {"metric": "ROI", "target": "400%"}]
    F.task(content, "T09", deliverable="曝光量≥50万，ROI≥1:3")
    plan = read_plan(F.write(content, tmp_path / "roi.xlsx"))
    assert run_rules(plan, select=["WB013"]) == []  # ("400%" typed as text is still WB006)
    report = kpi_report(plan, date(2024, 5, 24))
    ratio, net = report.goals[-2], report.goals[-1]
    assert (ratio.metric, ratio.named, ratio.target, ratio.actual) == ("roas", "roi", 5, report.total.roas)
    assert (net.metric, net.target, net.actual) == ("roi", 4, report.total.roi)  # like with like: net ROI
    check = next(c for c in report.deliverables if c.target.metric == "roas")
    assert check.target.value == 3 and check.channel == "短视频平台" and check.state == "met"


def test_a_relative_goal_is_computed_from_its_baseline(tmp_path: Path) -> None:
    from xl_campaign.core.kpi import kpi_report

    content = F.baseline("en")
    content.tables["goals"].append({"metric": "Impressions", "target": "+30%", "baseline": 500_000,
                                    "deadline": date(2024, 5, 25)})
    plan = read_plan(F.write(content, tmp_path / "relative.xlsx"))
    goal = kpi_report(plan, date(2024, 5, 24)).goals[-1]
    assert (goal.relative, goal.target, goal.deadline) == (Decimal("0.3"), 650_000, date(2024, 5, 25))
    assert goal.daily_target == Decimal(650_000) / 10  # 2024-05-16 … 05-25
