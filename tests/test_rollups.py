"""Budget, KPI and Gantt computations of the core: exact money, the reserve choice, rollups per channel / stage /
day, attainment, targets read from deliverable text, pacing, and the Gantt model — on the example workbook written
and read back, and on small plans built in code."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from xl_campaign.core.budget import budget_report, budget_totals
from xl_campaign.core.content import EXAMPLE_AS_OF, example
from xl_campaign.core.gantt import DAY_SCALE_MAX_DAYS, build_gantt, build_scale
from xl_campaign.core.kpi import Target, kpi_report, parse_targets, total_of
from xl_campaign.core.model import BudgetLine, Channel, KpiRow, Overview, Plan, Task
from xl_campaign.io.reader import read_plan
from xl_campaign.io.template import write_workbook

D = Decimal


@pytest.fixture(scope="module", params=["zh", "en"])
def example_plan(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Plan:
    path = tmp_path_factory.mktemp("ex") / f"example_{request.param}.xlsx"
    write_workbook(example(request.param), str(path))
    return read_plan(path)


# --- budget ---------------------------------------------------------------------------------------------


def test_budget_by_category_and_channel_on_the_example(example_plan: Plan) -> None:
    report = budget_report(example_plan)
    planned = {c.key: c.planned for c in report.categories}
    actual = {c.key: c.actual for c in report.categories}
    assert planned == {"personnel": D(80000), "materials": D(40000), "channels": D(250000), "rewards": D(70000),
                       "other": D(0), "reserve": D(60000)}
    assert actual["channels"] == D(198000) and actual["reserve"] == D(0)
    channels = {c.key: c for c in report.categories}
    assert channels["personnel"].variance == D(-30000) and channels["personnel"].remaining == D(30000)
    assert [(c.planned, c.actual, c.share, c.target_share, c.listed) for c in report.channels] == [
        (D(150000), D(120000), D("0.6"), D("0.6"), True),
        (D(75000), D(60000), D("0.3"), D("0.3"), True),
        (D(25000), D(18000), D("0.1"), D("0.1"), True),
    ]
    assert all(c.share_gap == 0 for c in report.channels)
    assert report.target_share_total == 1
    assert report.planned_total == D(500000) and report.actual_total == D(338500)
    assert report.remaining == D(161500) and report.variance == D(-161500)
    assert report.totals.reserve_rate == D("0.12") and report.totals.unallocated == 0


def _budget_plan(lines: list[BudgetLine], total: Decimal | None, channels: list[Channel] | None = None) -> Plan:
    return Plan(overview=Overview(total_budget=total), budget=lines, channels=channels or [])


def test_an_explicit_reserve_line_wins_over_the_gap_to_the_total() -> None:
    lines = [BudgetLine(category="channels", channel="KOL", planned=D(700)),
             BudgetLine(category="reserve", planned=D(100))]
    totals = budget_totals(_budget_plan(lines, D(1000)))
    assert totals.reserve == D(100) and totals.unallocated == D(200) and totals.reserve_rate == D("0.1")
    # no reserve line: the gap is unallocated, never reserve
    totals = budget_totals(_budget_plan(lines[:1], D(1000)))
    assert totals.reserve == 0 and totals.unallocated == D(300) and totals.reserve_rate == 0
    # no total on the Overview: the total is lines + reserve
    totals = budget_totals(_budget_plan(lines, None))
    assert totals.total_budget == D(800) and not totals.total_from_overview and totals.unallocated == 0


def test_money_is_exact() -> None:
    lines = [BudgetLine(category="materials", planned=D("0.1"), actual=D("0.1")) for _ in range(3)]
    lines += [BudgetLine(category="channels", channel="A", planned=D("0.2")),
              BudgetLine(category="channels", channel="a", planned=D("0.1"))]  # same channel, other case
    report = budget_report(_budget_plan(lines, None))
    assert report.totals.lines_planned == D("0.6")  # 0.1 + 0.1 + 0.1 + 0.2 + 0.1 exactly, no float drift
    assert [(c.name, c.planned) for c in report.channels] == [("A", D("0.3"))]
    assert report.channels[0].share == 1 and not report.channels[0].listed


def test_channel_split_against_target_shares() -> None:
    lines = [BudgetLine(category="channels", channel="短视频平台", planned=D(500)),
             BudgetLine(category="channels", channel="KOL ", planned=D(300)),
             BudgetLine(category="channels", planned=D(50)),  # a channel cost without a channel
             BudgetLine(category="rewards", channel="KOL", planned=D(200))]
    channels = [Channel(name="短视频平台", share=D("0.6")), Channel(name="KOL", share=D("0.3")),
                Channel(name="公众号", share=D("0.2"))]
    report = budget_report(_budget_plan(lines, None, channels))
    by_name = {c.name: c for c in report.channels}
    assert report.channel_planned == D(1000) and report.unassigned_channel_planned == D(50)
    assert by_name["短视频平台"].share == D("0.5") and by_name["短视频平台"].share_gap == D("-0.1")
    assert by_name["KOL"].share == D("0.5") and by_name["KOL"].share_gap == D("0.2")
    assert by_name["公众号"].planned == 0 and by_name["公众号"].share == 0
    assert report.target_share_total == D("1.1")


# --- KPI ------------------------------------------------------------------------------------------------


def test_kpi_totals_and_rates_on_the_example(example_plan: Plan) -> None:
    report = kpi_report(example_plan, EXAMPLE_AS_OF)
    total = report.total
    assert (total.impressions, total.clicks, total.conversions) == (545000, 18136, 2048)
    assert (total.revenue, total.spend, total.new_users) == (D(813480), D(148990), D(3278))
    assert total.ctr == D(18136) / D(545000) and total.cvr == D(2048) / D(18136)
    assert total.cpa == D(148990) / D(2048)
    assert total.roi == (D(813480) - D(148990)) / D(148990) and total.ratio_text == "1:5.5"
    # per channel, per stage and per day all add up to the total
    for parts in (report.channels, report.stages, report.days):
        assert sum(p.totals.impressions for p in parts) == total.impressions
        assert sum((p.totals.revenue for p in parts), D(0)) == total.revenue
    video = report.channels[0]
    assert video.totals.ratio_text == "1:4.7" and video.attainment("impressions") == D("0.7266")
    assert report.total_attainment("revenue") == D(813480) / D(1200000)
    assert [s.stage for s in report.stages] == ["warmup", "burst", "continuation"]
    warmup = report.stages[0]
    assert (warmup.first, warmup.last) == (date(2024, 5, 13), date(2024, 5, 15))
    assert warmup.totals.impressions == 9000 + 10500 + 12000
    assert report.stages[2].totals.rows == 0  # nothing reported yet for the continuation
    assert [d.day for d in report.days][:2] == [date(2024, 5, 13), date(2024, 5, 14)]


def test_goals_attainment(example_plan: Plan) -> None:
    report = kpi_report(example_plan, EXAMPLE_AS_OF)
    goals = {g.metric: g for g in report.goals}
    assert set(goals) == {"new_users", "revenue", "impressions", "ctr", "roas"}
    assert goals["revenue"].relative == D("0.25") and goals["revenue"].target == 1_000_000  # +25% on 800,000
    assert goals["roas"].named == "roi" and goals["roas"].target == 4  # "ROI 1:4": revenue : spend
    assert goals["roas"].actual == report.total.roas
    assert goals["new_users"].attainment == D(3278) / D(10000)
    assert goals["revenue"].attainment == D("0.81348")
    assert goals["ctr"].target == D("0.03") and goals["ctr"].actual == report.total.ctr


@pytest.mark.parametrize("text, expected", [
    ("曝光量≥50万，点击率≥3%", [("曝光量", "impressions", "≥", D(500000), ""), ("点击率", "ctr", "≥", D("0.03"), "")]),
    ("响应时长≤30分钟，问题解决率≥95%", [("响应时长", None, "≤", D(30), "分钟"), ("问题解决率", None, "≥", D("0.95"), "")]),
    ("Impressions ≥ 500k, CTR ≥ 3%", [("Impressions", "impressions", "≥", D(500000), ""),
                                       ("CTR", "ctr", "≥", D("0.03"), "")]),
    ("conversions >= 1,200; revenue ≥ ¥1.5m", [("conversions", "conversions", "≥", D(1200), ""),
                                               ("revenue", "revenue", "≥", D(1500000), "")]),
    ("新增用户不少于1万人", [("新增用户", "new_users", "≥", D(10000), "人")]),
    ("点击率≥3", [("点击率", "ctr", "≥", D("0.03"), "")]),
    ("输出《活动方案V1.0》及评审意见", []),
    ("", []),
])
def test_targets_from_deliverable_text(text: str, expected: list[tuple[object, ...]]) -> None:
    assert [(t.label, t.metric, t.op, t.value, t.unit) for t in parse_targets(text)] == expected


def test_deliverables_are_measured_on_the_channel_and_window_they_name(example_plan: Plan) -> None:
    report = kpi_report(example_plan, EXAMPLE_AS_OF)
    checks = [(c.task_id, c.target.metric, c.channel is not None, c.actual, c.state) for c in report.deliverables]
    video_impressions = round(42000 * 0.6) + round(42000 * 0.8) + 42000 + round(42000 * 1.3) + round(42000 * 1.2)
    assert checks[0] == ("T09", "impressions", True, video_impressions, "missed")  # ended 05-20, 205,800 < 500k
    assert checks[1][0:2] == ("T09", "ctr") and checks[1][4] == "met"
    assert [c[4] for c in checks[2:4]] == ["open", "open"]  # T10 runs to 05-27: not met yet
    assert [c[4] for c in checks[4:]] == ["unmeasured", "unmeasured"]  # response time: not in the daily data


def test_pacing_against_the_straight_line_target(example_plan: Plan) -> None:
    report = kpi_report(example_plan, EXAMPLE_AS_OF)
    pacing = report.main_pacing
    assert pacing is not None and pacing.metric == "revenue" and pacing.target_source == "goal"
    assert pacing.measured == date(2024, 5, 23)  # the last day with numbers on or before the status date
    assert pacing.target_to_date == D(1000000) * 8 / 16
    assert pacing.actual_to_date == D(813480)
    in_window = D(813480) - D(15600)  # the warm-up revenue counts in the total, not in the run rate
    assert pacing.run_rate == in_window / 8
    assert pacing.projected_total == D(813480) + in_window / 8 * 8
    assert pacing.projected_finish == date(2024, 5, 25)
    assert pacing.days[0].day == date(2024, 5, 13) and pacing.days[-1].day == date(2024, 5, 31)
    assert pacing.days[-1].cumulative is None and pacing.days[-1].target_to_date == D(1000000)
    assert [p.metric for p in report.pacing] == ["revenue", "conversions", "new_users", "impressions", "clicks"]


def test_kpi_without_dates_or_rows() -> None:
    plan = Plan(overview=Overview(), kpi=[KpiRow(channel="A", impressions=10, clicks=0)])
    report = kpi_report(plan, date(2024, 1, 1))
    assert report.stages == () and report.pacing == () and report.total.ctr == 0
    assert report.total.cvr is None and report.total.roi is None and report.total.ratio_text is None
    assert total_of([]).ctr is None


def test_target_comparisons() -> None:
    at_most = Target("响应时长", None, "≤", D(30))
    assert at_most.met_by(D(30)) and not at_most.met_by(31) and at_most.met_by(None) is None


# --- Gantt ----------------------------------------------------------------------------------------------


def test_gantt_model_of_the_example(example_plan: Plan) -> None:
    model = build_gantt(example_plan, EXAMPLE_AS_OF)
    assert [g.stage for g in model.groups] == ["research", "planning", "warmup", "burst", "continuation", "review"]
    assert model.scale.unit == "day"
    assert model.scale.first == date(2024, 4, 30) and model.scale.last == date(2024, 6, 8)
    by_id = {t.task.id: t for t in model.tasks}
    assert [t.task.id for t in model.overdue] == ["T06"]  # ended 05-14 at 80%
    assert by_id["T12"].end == date(2024, 5, 31) and by_id["T12"].start == date(2024, 5, 16)  # 活动全程
    assert not by_id["T12"].end_from_sheet and by_id["T09"].end_from_sheet
    assert by_id["T13"].progress == 0 and by_id["T01"].progress == 1
    assert [t.task.id for t in model.milestones] == ["T02", "T05", "T09", "T16"]
    assert all(not t.conflicts for t in model.tasks)
    burst = model.groups[3]
    assert [t.task.id for t in burst.tasks] == ["T09", "T10", "T11", "T12"]  # by task ID
    assert burst.start == date(2024, 5, 16) and burst.end == date(2024, 5, 31)


def test_gantt_orders_tasks_by_id_numbers_as_numbers() -> None:
    d = date(2024, 3, 1)
    ids = ["T10", None, "t2", "T1", "A-3", "T02b"]
    plan = Plan(tasks=[Task(row=4 + i, id=tid, stage="burst", task=f"task {i}", start=d - timedelta(days=i), end=d)
                       for i, tid in enumerate(ids)])
    model = build_gantt(plan, d)
    assert [t.task.id for t in model.groups[0].tasks] == ["A-3", "T1", "t2", "T02b", "T10", None]


def test_gantt_progress_overdue_and_dependencies() -> None:
    d = date(2024, 3, 1)
    tasks = [
        Task(row=4, id="A", stage="burst", task="a", start=d, end=d + timedelta(days=3), status="in_progress",
             progress=D("0.5")),
        Task(row=5, id="B", stage="burst", task="b", start=d + timedelta(days=2), end=d + timedelta(days=5),
             depends_on=["A"], status="done"),
        Task(row=6, id="C", stage="nonsense", task="c", end=d, status="cancelled"),
        Task(row=7, id="D", task="no dates"),
    ]
    model = build_gantt(Plan(tasks=tasks), d + timedelta(days=10))
    by_id = {t.task.id: t for t in model.tasks}
    assert by_id["A"].overdue and not by_id["B"].overdue and not by_id["C"].overdue  # done / cancelled
    assert by_id["B"].conflicts == ("A",) and by_id["B"].progress == 1
    assert by_id["C"].start == by_id["C"].end == d and by_id["C"].days == 1  # a due date only: a one-day bar
    assert not by_id["D"].has_bar and by_id["D"].days == 0
    assert [g.stage for g in model.groups] == ["burst", None]
    assert model.groups[0].progress == (4 * D("0.5") + 4 * 1) / 8


def test_long_campaigns_switch_to_weeks() -> None:
    first = date(2025, 1, 1)  # a Wednesday
    assert build_scale(first, first + timedelta(days=DAY_SCALE_MAX_DAYS - 1)).unit == "day"
    scale = build_scale(first, first + timedelta(days=364))
    assert scale.unit == "week" and scale.first == date(2024, 12, 30) and scale.first.weekday() == 0
    assert len(scale.columns) == 53 and scale.last >= first + timedelta(days=364) and scale.weekends == ()
    days = build_scale(first, first + timedelta(days=13))
    assert [days.columns[i] for i in days.weekends] == [date(2025, 1, d) for d in (4, 5, 11, 12)]
    assert scale.column_of(date(2025, 1, 6)) == 1 and scale.column_of(date(2024, 1, 1)) is None


def test_example_file_reads(tmp_path: Path) -> None:
    """The fixture's files are real: the committed example gives the same rollups as a fresh one."""
    from .conftest import WORKBOOK_DIR

    committed = read_plan(WORKBOOK_DIR / "example_zh.xlsx")
    fresh_path = tmp_path / "fresh.xlsx"
    write_workbook(example("zh"), str(fresh_path))
    assert kpi_report(committed, EXAMPLE_AS_OF).total == kpi_report(read_plan(fresh_path), EXAMPLE_AS_OF).total
