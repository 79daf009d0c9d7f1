"""`xl-campaign rollup`: many real workbooks in, one portfolio workbook out, read back with openpyxl and calamine."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from xl_campaign.app.check import check_paths
from xl_campaign.app.rollup import rollup_paths
from xl_campaign.cli import app
from xl_campaign.core.content import example
from xl_campaign.core.facts import campaign_facts, stage_today
from xl_campaign.core.rules import run_rules
from xl_campaign.core.sheets.portfolio import COL, FIRST_ROW, HEADER_ROW, LABELS
from xl_campaign.io.reader import read_plan
from xl_campaign.io.template import write_workbook

from .conftest import WORKBOOK_DIR


def sheet_rows(path: Path, sheet: str) -> list[list[object]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python(skip_empty_area=False)


def cell(rows: list[list[object]], row: int, key: str) -> object:
    return rows[row - 1][COL[key] - 1]


@pytest.fixture
def campaigns(tmp_path: Path) -> Path:
    """A folder like a marketing director's: two examples, a USD campaign with a bad reserve and a loss, a
    broken file, and a sub-folder."""
    folder = tmp_path / "campaigns"
    (folder / "2025").mkdir(parents=True)
    shutil.copy(WORKBOOK_DIR / "example_zh.xlsx", folder / "a-618.xlsx")
    shutil.copy(WORKBOOK_DIR / "example_en.xlsx", folder / "2025" / "b-summer.xlsx")
    usd = example("en")
    usd.overview.update(name="US launch", currency="USD", total_budget=100000)
    for line in usd.tables["budget"]:
        if str(line.get("category")).lower().startswith("reserve"):
            line["planned"] = 2000  # reserve 2%: below the 10% floor
    for row in usd.tables["kpi"]:
        row["revenue"] = 10  # a loss: ROI < 0
    write_workbook(usd, str(folder / "c-us.xlsx"))
    (folder / "d-broken.xlsx").write_text("Task,Start\nposter,2024-05-01\n", encoding="utf-8")
    return folder


def test_rollup_writes_one_row_per_campaign_and_totals(campaigns: Path, tmp_path: Path) -> None:
    out = tmp_path / "portfolio.xlsx"
    result = CliRunner().invoke(app, ["rollup", str(campaigns), "-o", str(out), "--lang", "en", "--jobs", "2"])
    assert result.exit_code == 1, result.output  # one workbook could not be read
    assert "d-broken.xlsx: XF001" in result.output
    rows = sheet_rows(out, "Portfolio")
    assert rows[HEADER_ROW - 1][:3] == ["File", "Campaign", "Lead"]
    files = [cell(rows, r, "file") for r in range(FIRST_ROW, FIRST_ROW + 4)]
    assert files == ["b-summer.xlsx", "a-618.xlsx", "c-us.xlsx", "d-broken.xlsx"]  # check's order: sorted paths
    # every readable row equals the facts computed directly from the workbook
    for index, name in enumerate(("2025/b-summer.xlsx", "a-618.xlsx", "c-us.xlsx")):
        path = str(campaigns / name)
        plan = read_plan(path)
        facts = campaign_facts(plan, run_rules(plan, lang="en"))
        row = FIRST_ROW + index
        assert cell(rows, row, "name") == facts.name
        assert cell(rows, row, "launch") == facts.launch and cell(rows, row, "end") == facts.end
        assert cell(rows, row, "budget") == float(facts.total_budget)
        assert cell(rows, row, "spent") == float(facts.spent)
        assert cell(rows, row, "revenue") == float(facts.revenue)
        assert cell(rows, row, "roi") == pytest.approx(float(facts.roi or 0))
        assert cell(rows, row, "attainment") == pytest.approx(float(facts.attainment or 0))
        assert cell(rows, row, "errors") == facts.errors and cell(rows, row, "warnings") == facts.warnings
        assert cell(rows, row, "stage") == "Burst"  # status date 2024-05-24
    assert cell(rows, FIRST_ROW + 2, "reserve_rate") == pytest.approx(0.02)
    assert cell(rows, FIRST_ROW + 2, "roi") < 0
    # the broken file is a row that says why
    broken = FIRST_ROW + 3
    assert cell(rows, broken, "stage") == "Not readable"
    assert str(cell(rows, broken, "problem")).startswith("XF001")
    assert cell(rows, broken, "errors") == 1
    # one totals row per currency: CNY (two campaigns) and USD (one); amounts never added across currencies
    totals = rows[FIRST_ROW + 3:FIRST_ROW + 5]
    assert [t[COL["name"] - 1] for t in totals] == ["Total CNY (2 campaigns)", "Total USD (1 campaigns)"]
    assert totals[0][COL["budget"] - 1] == 1_000_000.0 and totals[1][COL["budget"] - 1] == 100_000.0
    assert totals[0][COL["revenue"] - 1] == 2 * cell(rows, FIRST_ROW + 1, "revenue")  # type: ignore[operator]
    assert totals[1][COL["errors"] - 1] == sum(cell(rows, r, "errors") for r in range(FIRST_ROW, FIRST_ROW + 4))  # type: ignore[misc]


def test_portfolio_has_native_charts_and_reads_back_with_openpyxl(campaigns: Path, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    out = tmp_path / "portfolio.xlsx"
    result = CliRunner().invoke(app, ["rollup", str(campaigns), "-o", str(out), "--lang", "zh", "--jobs", "0"])
    assert result.exit_code == 1, result.output
    with zipfile.ZipFile(out) as package:
        charts = [n for n in package.namelist() if n.startswith("xl/charts/chart")]
    assert len(charts) == 4  # budget/spent/revenue, ROI, attainment, campaigns by stage
    wb = load_workbook(out)
    assert wb.sheetnames == ["组合", "图表"]
    ws = wb["组合"]
    assert [ws.cell(HEADER_ROW, COL[k]).value for k in ("file", "name", "stage", "roi")] == \
        ["文件", "活动名称", "当前阶段", "净ROI"]
    assert ws.cell(FIRST_ROW, COL["stage"]).value == "爆发期"
    assert ws.cell(FIRST_ROW, COL["file"]).hyperlink.target == "campaigns/2025/b-summer.xlsx"
    assert ws.cell(FIRST_ROW, COL["reserve_rate"]).number_format == "0.0%"
    assert ws.freeze_panes == f"C{FIRST_ROW}" and ws.auto_filter.ref
    charts_sheet = wb["图表"]
    names = [charts_sheet.cell(r, 1).value for r in range(4, 7)]
    assert names == ["618 new product promotion", "618 新品推广活动", "US launch"]  # biggest budgets first
    assert [charts_sheet.cell(r, 2).value for r in range(4, 7)] == [500000, 500000, 100000]


def test_library_rows_equal_check_findings(campaigns: Path) -> None:
    """rollup runs check's own pool: the same files, in the same order, with the same findings."""
    rollup = rollup_paths([str(campaigns)], jobs=2, lang="en")
    report = check_paths([str(campaigns)], jobs=2, lang="en")
    assert [r.path for r in rollup.rows] == [r.path for r in report.files]
    assert [f.to_dict() for f in rollup.report.findings] == [f.to_dict() for f in report.findings]
    assert [r.path for r in rollup.unreadable] == [str(campaigns / "d-broken.xlsx")]
    # the facts were made in the workers, from the plan check read (not read again here)
    brought = [r.extra is not None for r in rollup.report.files]
    assert brought == [not r.path.endswith("d-broken.xlsx") for r in rollup.report.files]
    for row, result in zip(rollup.rows, report.files, strict=True):
        assert row.errors == sum(1 for f in result.findings if f.severity.value == "error")


def test_a_worker_that_dies_costs_one_row(campaigns: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A workbook that kills its worker (as python-calamine does on some files) is a row; the others are fine."""
    from xl_campaign.app import rollup as module

    real = module.file_facts

    def dying(plan: Any, findings: Any, today: Any) -> Any:
        if str(plan.path).endswith("c-us.xlsx"):
            os._exit(3)
        return real(plan, findings, today)

    monkeypatch.setattr(module, "file_facts", dying)
    rollup = rollup_paths([str(campaigns)], jobs=2, lang="en")
    by_name = {os.path.basename(r.path): r for r in rollup.rows}
    assert by_name["c-us.xlsx"].facts is None and "XF" in (by_name["c-us.xlsx"].problem or "")
    assert by_name["a-618.xlsx"].facts is not None and by_name["b-summer.xlsx"].facts is not None


def test_clean_set_exits_0_and_output_in_input_folder_is_not_an_input(tmp_path: Path) -> None:
    folder = tmp_path / "set"
    folder.mkdir()
    shutil.copy(WORKBOOK_DIR / "example_en.xlsx", folder / "one.xlsx")
    out = folder / "portfolio.xlsx"
    runner = CliRunner()
    first = runner.invoke(app, ["rollup", str(folder), "-o", str(out)])
    assert first.exit_code == 0, first.output
    assert runner.invoke(app, ["rollup", str(folder), "-o", str(out)]).exit_code == 2  # exists: needs --force
    again = runner.invoke(app, ["rollup", str(folder), "-o", str(out), "--force"])
    assert again.exit_code == 0, again.output
    rows = sheet_rows(out, "Portfolio")
    assert [r[0] for r in rows[FIRST_ROW - 1:]] == ["one.xlsx", "Total"]  # the portfolio did not roll itself up
    assert rows[0][0] == LABELS["title"][1]  # headers follow the workbooks' language (en)


def test_bad_arguments_exit_2(tmp_path: Path) -> None:
    runner = CliRunner()
    source = str(WORKBOOK_DIR / "example_en.xlsx")
    assert runner.invoke(app, ["rollup", source, "-o", str(tmp_path / "p.json")]).exit_code == 2  # .xlsx, .csv, .parquet
    assert runner.invoke(app, ["rollup", str(tmp_path / "nothing-*.xlsx"), "-o", str(tmp_path / "p.xlsx")]).exit_code in (1, 2)
    assert runner.invoke(app, ["rollup", source, "-o", str(tmp_path / "p.xlsx"), "--today", "tomorrow"]).exit_code == 2


def test_rollup_as_a_real_process_with_a_glob(campaigns: Path, tmp_path: Path) -> None:
    out = tmp_path / "p.xlsx"
    done = subprocess.run([sys.executable, "-m", "xl_campaign.cli", "rollup", str(campaigns / "*.xlsx"), "-o", str(out),
                           "--today", "2024-06-03", "--lang", "zh"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "d-broken.xlsx" in done.stderr
    rows = sheet_rows(out, "组合")
    assert [cell(rows, r, "file") for r in (FIRST_ROW, FIRST_ROW + 1, FIRST_ROW + 2)] == \
        ["a-618.xlsx", "c-us.xlsx", "d-broken.xlsx"]  # the glob does not reach into 2025/
    assert cell(rows, FIRST_ROW, "stage") == "复盘"
    assert cell(rows, FIRST_ROW, "status_date") == date(2024, 6, 3)


@pytest.mark.parametrize(("day", "stage"), [
    (date(2024, 4, 1), "upcoming"), (date(2024, 5, 2), "research"), (date(2024, 5, 12), "planning"), (date(2024, 5, 14), "warmup"),
    (date(2024, 5, 16), "burst"), (date(2024, 5, 30), "continuation"), (date(2024, 6, 3), "review"),
    (date(2024, 7, 1), "ended"),
])
def test_stage_today(day: date, stage: str) -> None:
    assert stage_today(day, date(2024, 5, 16), date(2024, 5, 31)) == stage
    assert stage_today(day, None, date(2024, 5, 31)) is None


def test_facts_follow_the_core() -> None:
    plan = read_plan(str(WORKBOOK_DIR / "example_en.xlsx"))
    facts = campaign_facts(plan, run_rules(plan))
    assert facts.total_budget == Decimal(500000) and facts.reserve_rate == Decimal("0.12")
    assert facts.main_metric == "revenue" and facts.main_target == Decimal(1000000)
    assert facts.attainment == facts.revenue / Decimal(1000000)
    assert facts.roi == (facts.revenue - facts.channel_spend) / facts.channel_spend


def _variants(tmp_path: Path) -> list[Path]:
    no_goals = example("en")
    no_goals.tables["goals"] = []  # the target comes from the channels' targets
    no_revenue_goal = example("zh")
    no_revenue_goal.tables["goals"] = [g for g in no_revenue_goal.tables["goals"] if "销售" not in str(g["metric"])]
    for channel in no_revenue_goal.tables["channels"]:
        channel["target_revenue"] = channel["target_conversions"] = None  # next in line: the new-users goal
    no_dates = example("en")
    no_dates.overview.pop("launch")
    paths = [WORKBOOK_DIR / "example_zh.xlsx", WORKBOOK_DIR / "example_en.xlsx"]
    for name, content in (("no-goals", no_goals), ("no-revenue-goal", no_revenue_goal), ("no-dates", no_dates)):
        path = tmp_path / f"{name}.xlsx"
        write_workbook(content, str(path))
        paths.append(path)
    return paths


def test_main_pacing_is_kpi_reports_main_pacing(tmp_path: Path) -> None:
    """The portfolio paces one metric only; it must be the one the Summary sheet's kpi_report picks."""
    from xl_campaign.core.facts import main_pacing
    from xl_campaign.core.kpi import kpi_report

    picked = []
    for path in _variants(tmp_path):
        plan = read_plan(str(path))
        for day in (date(2024, 5, 20), date(2024, 6, 10)):
            ours, theirs = main_pacing(plan, day), kpi_report(plan, day).main_pacing
            assert ours == theirs, path.name
            picked.append((path.stem, ours.metric if ours else None, ours.target_source if ours else None))
    assert sorted(set(picked)) == [("example_en", "revenue", "goal"), ("example_zh", "revenue", "goal"),
                                   ("no-dates", None, None), ("no-goals", "revenue", "channels"),
                                   ("no-revenue-goal", "new_users", "goal")]


def test_check_file_analyse_hook_sees_the_plan_it_read(campaigns: Path) -> None:
    """``analyse`` runs on the plan check read; an unreadable file gets no facts and the same findings."""
    from xl_campaign.app.check import check_file
    from xl_campaign.app.rollup import file_facts, rollup_file, row_of

    for name in ("a-618.xlsx", "c-us.xlsx"):
        path = str(campaigns / name)
        plain = check_file(path, lang="en")
        rich = rollup_file(path, lang="en")
        assert plain.extra is None and rich.findings == plain.findings
        assert rich.extra == file_facts(read_plan(path), plain.findings, None)
    broken = rollup_file(str(campaigns / "d-broken.xlsx"), lang="en")
    assert broken.extra is None and row_of(broken, "en", None).facts is None
