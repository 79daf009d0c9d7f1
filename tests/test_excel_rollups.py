"""The spilling rollups =CAMPAIGN_KPI_BY / =CAMPAIGN_BUDGET_BY / =CAMPAIGN_PACING_TABLE, called on the example
workbooks' own Excel Tables through xlwings' UDF machinery (tests/excel_udf_probe.py: xlwings' decorators, its
conversion pipeline with the DataFrame converter, and the value cleaning of its Windows engine), give the numbers
the Summary sheet shows for the same workbook, in zh and en, with and without pandas; bad input gives Excel errors.

Not verified in Excel (no machine here has it): that Excel spills the returned array. xlwings returns a 2-D array
from the UDF, which Excel 365 spills as it spills any array formula result."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from xl_campaign.app.load import load
from xl_campaign.core import spec as S
from xl_campaign.core.budget import budget_report
from xl_campaign.core.kpi import kpi_report
from xl_campaign.core.schedule import status_date
from xl_campaign.core.sheets.labels import t
from xl_campaign.core.sheets.summary import summary_sheet
from xl_campaign.core.udf_tables import budget_by, kpi_by, pacing_table, week_of
from xl_campaign.excel import udfs

from .conftest import WORKBOOK_DIR

PROBE = Path(__file__).with_name("excel_udf_probe.py")


def _probe(*args: str) -> dict[str, Any]:
    result = subprocess.run([sys.executable, str(PROBE), *args], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def with_pandas() -> dict[str, Any]:
    data = _probe()
    assert data["pandas"] is True
    return data


@pytest.fixture(scope="module")
def without_pandas() -> dict[str, Any]:
    data = _probe("--no-pandas")
    assert data["pandas"] is False
    return data


def summary(lang: str) -> dict[tuple[int, int], Any]:
    """The Summary sheet of the example as ``update`` writes it: (row, col) -> the value the cell shows."""
    plan = load(WORKBOOK_DIR / f"example_{lang}.xlsx", user_sheets_only=True).plan
    assert plan is not None
    as_of = status_date(None, plan.overview.as_of)
    doc = summary_sheet(plan, budget_report(plan), kpi_report(plan, as_of), lang, name=S.SUMMARY.name(lang))
    return {place: cell.value for place, cell in doc.cells.items()}


def block(cells: dict[tuple[int, int], Any], title: str) -> tuple[list[Any], list[list[Any]]]:
    """The header and rows of the Summary block under the section ``title`` (rows up to the first blank one)."""
    start = next(row for (row, col), value in cells.items() if col == 1 and value == title)
    width = max(col for (row, col) in cells if row == start + 1)
    header = [cells.get((start + 1, col)) for col in range(1, width + 1)]
    rows = []
    row = start + 2
    while cells.get((row, 1)) not in (None, ""):
        rows.append([cells.get((row, col), "") for col in range(1, width + 1)])
        row += 1
    return header, rows


def same(shown: Any, spilled: Any) -> bool:
    """A Summary value (int, Decimal, date or "") and a spilled one (float, ISO date text or "") agree."""
    if shown in ("", None):
        return spilled in ("", None)
    if isinstance(shown, date | datetime):
        return str(spilled)[:10] == shown.isoformat()[:10]
    if isinstance(shown, int | float | Decimal):
        return spilled == pytest.approx(float(shown), rel=1e-9, abs=1e-9)
    return bool(shown == spilled)


def by_label(rows: list[list[Any]]) -> dict[str, list[Any]]:
    return {str(row[0]): row for row in rows}


LANGS = ["zh", "en"]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("machine", ["with_pandas", "without_pandas"])
def test_kpi_by_channel_and_stage_equal_the_summary(lang: str, machine: str, request: pytest.FixtureRequest) -> None:
    spilled = request.getfixturevalue(machine)["tables"][lang]
    cells = summary(lang)
    keys = ("impressions", "clicks", "ctr", "conversions", "cvr", "revenue", "spend", "cpa", "roi")
    header, rows = block(cells, t("kpi_by_channel", lang))
    rows = [row for row in rows if row[1] not in ("", None)]  # not the note under the block
    summary_cols = {key: 1 + i for i, key in enumerate(keys)}  # after the channel column
    written = spilled["kpi_channel"]["written"]
    assert written[0][0] == t("channel", lang) and written[0][1:] == [
        t(k, lang) for k in ("impressions", "clicks", "ctr", "conversions", "cvr", "spend", "cpa", "revenue", "roi",
                             "ratio")]
    udf_cols = {key: written[0].index(t(key, lang)) for key in keys}
    ours = by_label(written[1:])
    assert len(ours) == len(rows) >= 4  # the channels and the total
    for row in rows:
        label = str(row[0]).replace(" " + t("not_listed", lang), "")
        assert label in ours, (label, list(ours))
        for key in keys:
            assert same(row[summary_cols[key]], ours[label][udf_cols[key]]), (lang, label, key)
        ratio = row[10]  # the Summary's "1:N" text; the spill has N
        if ratio:
            assert ratio == f"1:{ours[label][10]:.1f}".rstrip("0").rstrip(".")
    # by stage: the Summary's periods, their numbers
    _, stage_rows = block(cells, t("kpi_by_stage", lang))
    stages = by_label(spilled["kpi_stage"]["written"][1:])
    for row in stage_rows:
        for index, key in enumerate(keys):
            assert same(row[3 + index], stages[row[0]][udf_cols[key]]), (lang, row[0], key)
    assert len(stages) == len(stage_rows) + 1  # + the total row


@pytest.mark.parametrize("lang", LANGS)
def test_kpi_by_day_and_week_add_up_the_summary_days(lang: str, with_pandas: dict[str, Any]) -> None:
    cells = summary(lang)
    _, days = block(cells, t("daily", lang))
    spilled = with_pandas["tables"][lang]
    written = spilled["kpi_day"]["written"]
    col = {t(key, lang): i for i, key in enumerate(["date", "impressions", "clicks", "ctr", "conversions", "cvr",
                                                    "spend", "cpa", "revenue", "roi", "ratio"])}
    ours = {str(row[0])[:10]: row for row in written[1:-1]}
    measured = [row for row in days if row[2] not in ("", None)]  # days with numbers
    assert len(ours) == len(measured) > 5
    daily_cols = {"impressions": 2, "clicks": 3, "conversions": 4, "revenue": 6, "spend": 7, "roi": 8}
    for row in measured:
        day = row[0].isoformat()
        for key, index in daily_cols.items():
            assert same(row[index], ours[day][col[t(key, lang)]]), (lang, day, key)
    for name, first_day in (("kpi_week", 0), ("kpi_week_sunday", 6)):
        weeks = {str(row[0])[:10]: row for row in spilled[name]["written"][1:-1]}
        for key in ("impressions", "revenue", "spend"):
            sums: dict[str, float] = {}
            for row in measured:
                week = week_of(row[0], first_day).isoformat()
                sums[week] = sums.get(week, 0.0) + float(row[daily_cols[key]])
            assert {w: weeks[w][col[t(key, lang)]] for w in weeks} == pytest.approx(sums)
        assert all(date.fromisoformat(w).weekday() == first_day for w in weeks)
    totals = [row[-1] for row in (spilled["kpi_day"]["written"], spilled["kpi_week"]["written"])]
    assert totals[0] == totals[1] and totals[0][0] == t("total", lang)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("machine", ["with_pandas", "without_pandas"])
def test_budget_by_equals_the_summary(lang: str, machine: str, request: pytest.FixtureRequest) -> None:
    spilled = request.getfixturevalue(machine)["tables"][lang]
    cells = summary(lang)
    _, categories = block(cells, t("budget_by_category", lang))
    written = spilled["budget_category"]["written"]
    assert written[0] == [t(k, lang) for k in ("category", "planned", "actual", "variance", "remaining",
                                                "share_of_budget")]
    ours = by_label(written[1:])
    for row in categories:
        label = t("total", lang) if row[0] == t("planned_total", lang) else row[0]
        if label == t("lines_total", lang):
            continue
        assert all(same(row[i], ours[label][i]) for i in range(1, 6)), (lang, label, row, ours[label])
    _, channels = block(cells, t("budget_by_channel", lang))
    ours = by_label(spilled["budget_channel"]["written"][1:])
    assert len(ours) == len(channels)
    for row in channels:
        assert all(same(row[i], ours[row[0]][i]) for i in range(1, 6)), (lang, row, ours[row[0]])


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("machine", ["with_pandas", "without_pandas"])
def test_pacing_table_equals_the_summary(lang: str, machine: str, request: pytest.FixtureRequest) -> None:
    spilled = request.getfixturevalue(machine)["tables"][lang]
    cells = summary(lang)
    header, rows = block(cells, t("pacing", lang))
    written = spilled["pacing"]["written"]
    ours = by_label(written[1:])
    assert len(ours) == len(rows) >= 2
    for row in rows:
        mine = ours[row[0]]
        for key in ("target", "to_date", "actual_to_date", "target_to_date", "pace", "run_rate", "projected_total",
                    "projected_attainment", "projected_finish"):
            assert same(row[header.index(t(key, lang))], mine[written[0].index(t(key, lang))]), (lang, row[0], key)
        daily = mine[written[0].index(t("daily_target", lang))]
        assert daily == pytest.approx(float(row[1]) / 16)  # the example runs 16 days
    # without the Channels table only the SMART goals' metrics are paced
    goals_only = {row[0] for row in spilled["pacing_goals_only"]["written"][1:]}
    assert goals_only < set(ours)


@pytest.mark.parametrize("machine", ["with_pandas", "without_pandas"])
def test_bad_input_gives_excel_errors(machine: str, request: pytest.FixtureRequest) -> None:
    spilled = request.getfixturevalue(machine)["tables"]["en"]
    assert spilled["stage_without_dates"]["written"] == [["#VALUE!"]]
    assert spilled["unknown_grouping"]["written"] == [["#VALUE!"]]
    assert spilled["error_cell"]["written"] == [["#DIV/0!"]]  # an error value in the table is passed on


KPI = [["Date", "Channel", "Impressions", "Clicks", "Conversions", "Revenue", "Spend"],
       [datetime(2024, 5, 16), "KOL", 1000.0, 30.0, 3.0, 600.0, 200.0],
       [datetime(2024, 5, 17), "KOL", 1000.0, 10.0, 1.0, None, 100.0],
       [None, None, None, None, None, None, None],
       ["2024-05-19", "短视频", "2,000", 60.0, 6.0, 900.0, 300.0]]


def test_the_core_rollups_on_rows() -> None:
    rows = kpi_by(KPI, "channel")
    assert isinstance(rows, list)
    assert rows[0][0] == "Channel"  # English headers in, English headers out
    kol = rows[1]
    assert kol[:3] == ["KOL", 2000.0, 40.0] and kol[3] == pytest.approx(0.02)
    assert rows[-1][0] == "Total" and rows[-1][1] == 4000.0
    zh = kpi_by([["日期", "渠道", "曝光量", "花费"], [datetime(2024, 5, 16), "KOL", 10.0, 0.0]], "渠道")
    assert isinstance(zh, list) and zh[0][:2] == ["渠道", "曝光量"]
    assert zh[1][7] == "" and zh[1][9] == ""  # no spend: CPA and ROI are undefined, shown empty
    stages = kpi_by(KPI, "stage", datetime(2024, 5, 16), datetime(2024, 5, 31))
    assert [row[0] for row in stages[1:]] == ["Warm-up", "Burst", "Continuation", "Total"]  # as on the Summary
    assert stages[2][1] == 4000.0
    assert kpi_by(KPI, "week", None, None, 7)[1][0] == date(2024, 5, 12)  # 7 = Sunday
    assert kpi_by(KPI, "week", None, None, 9) == "#NUM!"
    assert kpi_by(KPI, "week", None, None, "someday") == "#VALUE!"
    assert kpi_by(KPI, "stage", datetime(2024, 5, 31), datetime(2024, 5, 16)) == "#NUM!"
    assert kpi_by([row[:1] for row in KPI], "day") == "#VALUE!"  # no metric column
    assert kpi_by([KPI[0], [datetime(2024, 5, 16), "KOL", "lots", 1.0, 1.0, 1.0, 1.0]], "day") == "#VALUE!"
    assert kpi_by([KPI[0], [datetime(2024, 5, 16), "KOL", "#N/A", 1.0, 1.0, 1.0, 1.0]], "day") == "#N/A"
    assert kpi_by(KPI[:1], "day") == [rows[0][:0] + ["Date"] + rows[0][1:], ["Total"] + [0.0, 0.0, "", 0.0, "",
                                                                                      0.0, "", 0.0, "", ""]]
    budget = [["Category", "Item", "Channel", "Planned", "Actual"], ["Channels", "ads", "KOL", 300.0, 100.0],
              ["Reserve", "reserve", None, 100.0, None]]
    by_category = budget_by(budget, "category", 1000.0)
    assert isinstance(by_category, list) and by_category[-1] == ["Total", 400.0, 100.0, -300.0, 300.0, 0.4]
    assert budget_by(budget, "channel")[1] == ["KOL", 300.0, 100.0, -200.0, 200.0, 1.0]
    assert budget_by(budget, "category", -5.0) == "#NUM!"
    assert budget_by(budget, "owner") == "#VALUE!"
    assert pacing_table(KPI, [["Metric", "Target"]], datetime(2024, 5, 16), datetime(2024, 5, 31), None) == \
        "#VALUE!"


def test_the_edge_with_dataframes() -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame(KPI[1:], columns=KPI[0])
    result = udfs.CAMPAIGN_KPI_BY(frame, "day")
    assert isinstance(result, pd.DataFrame)
    assert list(result.columns)[:2] == ["Date", "Impressions"] and len(result) == 4  # three days + total
    assert result.iloc[-1, 1] == 4000.0
    assert udfs.CAMPAIGN_KPI_BY(frame, "quarter") == "#VALUE!"
    assert isinstance(udfs.CAMPAIGN_BUDGET_BY(pd.DataFrame([["Channels", "x", "KOL", 1.0, 0.0]],
                                                           columns=["Category", "Item", "Channel", "Planned",
                                                                    "Actual"]), "channel"), pd.DataFrame)
