"""xl_campaign.frames(): the example's tables as DataFrames with proper dtypes and each value's source cell, its
findings as check reports them; rollup -o portfolio.csv / .parquet for BI tools."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

pd = pytest.importorskip("pandas")

import xl_campaign  # noqa: E402
from xl_campaign.app.frames import TABLES, source_cell  # noqa: E402

from . import rule_fixtures as F  # noqa: E402
from .conftest import WORKBOOK_DIR  # noqa: E402


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xl_campaign.cli", *args], capture_output=True, text=True,
                          timeout=300)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_example_as_dataframes(lang: str) -> None:
    from openpyxl import load_workbook

    path = WORKBOOK_DIR / f"example_{lang}.xlsx"
    frames = xl_campaign.frames(path)
    tasks = frames.tasks
    assert len(tasks) == 16 and frames.lang == lang
    assert str(tasks["start"].dtype) == "datetime64[ns]" and str(tasks["end"].dtype) == "datetime64[ns]"
    assert tasks["start"].iloc[0] == pd.Timestamp("2024-05-01")
    whole = tasks[tasks["end"].isna()]  # 活动全程 / "whole campaign": no date, not a wrong one
    assert len(whole) == 1
    assert str(tasks["progress"].dtype) == "float64" and str(tasks["milestone"].dtype) == "boolean"
    assert tasks["owner"].map(type).eq(list).all()
    kpi = frames.kpi
    assert str(kpi["impressions"].dtype) == "Int64" and str(kpi["revenue"].dtype) == "float64"
    assert str(kpi["date"].dtype) == "datetime64[ns]"
    assert kpi["revenue"].sum() == 813480.0
    assert frames.budget["planned"].sum() == 500000.0
    assert set(frames.budget["category"]) <= {"personnel", "materials", "channels", "rewards", "other", "reserve"}
    for name in TABLES:
        frame = frames[name]
        assert list(frame.columns)[-2:] == ["sheet", "row"]
    # every value's source cell holds that value in the workbook
    book = load_workbook(path, data_only=False)
    for name, field in (("budget", "planned"), ("kpi", "clicks"), ("tasks", "task"), ("team", "name")):
        frame = frames[name]
        for index in (0, len(frame) - 1):
            where = source_cell(frame, index, field)
            assert where is not None
            sheet, cell = where.split("!")
            raw = book[sheet][cell].value
            value = frame.at[index, field]
            assert (str(raw).strip() == value) if isinstance(value, str) else float(raw) == float(value)
    assert frames.tasks.attrs["headers"]["owner"] == ("负责人" if lang == "zh" else "Owner")
    # the findings are check's, policy and all
    checked = json.loads(cli("check", str(path), "--format", "json").stdout)["files"][0]["findings"]
    assert list(frames.findings["code"]) == [f["code"] for f in checked]
    assert list(frames.findings["cell"].fillna("")) == [f["cell"] or "" for f in checked]
    assert frames.overview["launch"].isoformat() == "2024-05-16"


def test_money_as_decimal_and_a_policy_file(tmp_path: Path) -> None:
    shutil.copy(WORKBOOK_DIR / "example_en.xlsx", tmp_path / "plan.xlsx")
    exact = xl_campaign.frames(tmp_path / "plan.xlsx", money="decimal")
    assert exact.budget["planned"].dtype == object and isinstance(exact.budget["planned"].iloc[0], Decimal)
    assert sum(exact.budget["planned"]) == Decimal(500000)
    (tmp_path / "xl-campaign.toml").write_text('ignore = ["DATE"]\n[severity]\nWB = "error"\n', encoding="utf-8")
    findings = xl_campaign.frames(tmp_path / "plan.xlsx").findings
    assert not findings["code"].str.startswith("DATE").any()
    assert (findings[findings["code"].str.startswith("WB")]["severity"] == "error").all()
    with pytest.raises(ValueError):
        xl_campaign.frames(tmp_path / "plan.xlsx", money="cents")


def test_unreadable_and_without_pandas(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    with pytest.raises(ValueError, match="XF|bad.xlsx"):
        xl_campaign.frames(bad)
    run = subprocess.run([sys.executable, "-c", "import sys; sys.modules['pandas'] = None\nimport xl_campaign\n"
                          f"xl_campaign.frames({str(WORKBOOK_DIR / 'example_en.xlsx')!r})"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1 and "pip install 'xl-campaign[pandas]'" in run.stderr


@pytest.fixture(scope="module")
def campaigns(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("campaigns")
    shutil.copy(WORKBOOK_DIR / "example_zh.xlsx", folder / "618.xlsx")
    content = F.baseline("en")
    F.overview(content, name="=HYPERLINK(\"http://x\",\"click\")", currency="USD")
    F.write(content, folder / "hostile.xlsx")
    (folder / "broken.xlsx").write_bytes(b"PK\x03\x04 nope")
    return folder


def test_rollup_writes_csv_for_bi_tools(campaigns: Path, tmp_path: Path) -> None:
    out = tmp_path / "portfolio.csv"
    run = cli("rollup", str(campaigns), "-o", str(out), "--lang", "en")
    assert run.returncode == 1, run.stderr  # the broken workbook is a row that says why
    with open(out, encoding="utf-8", newline="") as handle:
        rows = {Path(r["path"]).name: r for r in csv.DictReader(handle)}
    assert set(rows) == {"618.xlsx", "hostile.xlsx", "broken.xlsx"}
    example = rows["618.xlsx"]
    assert example["launch"] == "2024-05-16" and example["stage"] == "burst" and example["currency"] == "CNY"
    assert example["total_budget"] == "500000" and example["revenue"] == "813480"
    assert float(example["reserve_rate"]) == 0.12 and example["lead"] == "王芳"
    assert rows["hostile.xlsx"]["name"].startswith("'=HYPERLINK")  # not a live formula in a spreadsheet
    assert rows["broken.xlsx"]["name"] == "" and rows["broken.xlsx"]["problem"].startswith("XF")
    frame = pd.read_csv(out)
    assert frame["total_budget"].dtype == "float64"


def test_rollup_writes_parquet(campaigns: Path, tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    out = tmp_path / "portfolio.parquet"
    run = cli("rollup", str(campaigns / "618.xlsx"), str(campaigns / "hostile.xlsx"), "-o", str(out))
    assert run.returncode == 0, run.stderr
    frame = pd.read_parquet(out)
    assert len(frame) == 2 and frame["total_budget"].tolist() == [500000.0, 500000.0]
    assert str(frame["errors"].dtype) == "int64" and frame["currency"].tolist() == ["CNY", "USD"]
    assert str(frame["launch"].iloc[0]) == "2024-05-16"
    run = subprocess.run([sys.executable, "-c", "import sys; sys.modules['pyarrow'] = None\n"
                          "sys.argv = ['xl-campaign', 'rollup', sys.argv[1], '-o', sys.argv[2], '--lang', 'en']\n"
                          "from xl_campaign.cli import main\nmain()", str(campaigns / "618.xlsx"),
                          str(tmp_path / "again.parquet")], capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and "Parquet needs pyarrow" in run.stderr
    assert not (tmp_path / "again.parquet").exists()
    assert cli("rollup", str(campaigns), "-o", str(tmp_path / "p.json")).returncode == 2
