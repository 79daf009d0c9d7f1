"""Workbooks typed by people, not by our template: the source document's own tables, odd positions, messy values."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from xl_campaign.core import parse as P
from xl_campaign.io.guard import inspect
from xl_campaign.io.reader import UnreadableWorkbook, read_plan

from . import hostile

# SEED.md template 1 (任务分工表), exactly as the source writes it.
TEMPLATE_1 = [
    ["任务模块", "具体任务内容", "负责人", "协作部门", "完成时间", "交付标准（示例）"],
    ["方案策划", "活动主题、规则、流程设计", "*小明", "市场部、设计部", "2024-05-10", "输出《活动方案V1.0》及评审意见"],
    ["渠道执行", "短视频平台内容投放与优化", "*小红", "运营部", "2024-05-20", "曝光量≥50万，点击率≥3%"],
    ["物料准备", "活动海报、H5页面制作", "*小刚", "设计部、技术部", "2024-05-12", "素材符合品牌调性，H5无bug"],
    ["客服支持", "用户咨询解答、问题记录", "*小丽", "客服部", "活动全程", "响应时长≤30分钟，问题解决率≥95%"],
]
# SEED.md template 2 (时间进度表（甘特图示例）), with the source's truncated status "未开".
TEMPLATE_2 = [
    ["阶段", "关键任务", "负责人", "开始时间", "结束时间", "状态"],
    ["前期调研", "目标用户画像分析", "*小明", "2024-05-01", "2024-05-05", "已完成"],
    ["方案细化", "活动规则设计", "*小明", "2024-05-06", "2024-05-10", "进行中"],
    ["执行准备", "物料设计定稿", "*小刚", "2024-05-11", "2024-05-12", "未开"],
]


def write_grid(path: Path, sheets: dict[str, tuple[int, int, list[list[Any]]]]) -> Path:
    """Write each sheet's rows with the top-left cell at (row, col), 1-based; no Excel Tables."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)  # type: ignore[arg-type]
    for name, (top, left, rows) in sheets.items():
        ws = wb.create_sheet(name)
        for r, values in enumerate(rows):
            for c, value in enumerate(values):
                if value is not None:
                    ws.cell(row=top + r, column=left + c, value=value)
    wb.save(path)
    return path


def test_source_template_1_reads_as_tasks(tmp_path: Path) -> None:
    path = write_grid(tmp_path / "source1.xlsx", {"任务分工表": (3, 2, TEMPLATE_1)})
    plan = read_plan(path)
    info = plan.tables["tasks"]
    assert (info.sheet, info.header_row, info.found_by) == ("任务分工表", 3, "sheet")
    assert info.columns == {"module": 2, "task": 3, "owner": 4, "departments": 5, "end": 6, "deliverable": 7}
    assert [t.owner for t in plan.tasks] == [["小明"], ["小红"], ["小刚"], ["小丽"]]
    assert plan.tasks[0].departments == ["市场部", "设计部"]
    assert plan.tasks[0].end == date(2024, 5, 10)
    assert [t.row for t in plan.tasks] == [4, 5, 6, 7]
    last = plan.tasks[3]
    assert last.end is None and last.whole_campaign
    assert plan.cell("tasks", last, "end") == ("任务分工表", 7, 6)  # F7, where "活动全程" was typed
    assert last.deliverable == "响应时长≤30分钟，问题解决率≥95%"


def test_source_template_2_reads_with_status_and_stage(tmp_path: Path) -> None:
    path = write_grid(tmp_path / "source2.xlsx", {"时间进度表（甘特图示例）": (1, 1, TEMPLATE_2)})
    plan = read_plan(path)
    assert plan.tables["tasks"].found_by == "sheet"  # the name's "（甘特图示例）" is ignored
    assert [t.stage for t in plan.tasks] == ["research", "planning", "planning"]
    assert [t.status for t in plan.tasks] == ["done", "in_progress", "not_started"]
    truncated = plan.tasks[2].problem_for("status")
    assert truncated is not None and truncated.kind == P.UNKNOWN_CHOICE and truncated.raw == "未开"
    assert [(t.start, t.end) for t in plan.tasks][0] == (date(2024, 5, 1), date(2024, 5, 5))


def test_a_table_is_found_by_its_headers_on_any_sheet(tmp_path: Path) -> None:
    path = write_grid(tmp_path / "anon.xlsx", {"Sheet1": (5, 3, TEMPLATE_1)})
    plan = read_plan(path)
    info = plan.tables["tasks"]
    assert (info.sheet, info.header_row, info.found_by, info.columns["owner"]) == ("Sheet1", 5, "headers", 5)
    assert len(plan.tasks) == 4


def test_english_headers_and_aliases(tmp_path: Path) -> None:
    rows = [["Channel", "Date", "Impressions", "Clicks", "Spend"],
            ["KOL", date(2024, 5, 16), "50万", "1,200", "¥3,000"],
            ["KOL", "2024/5/17", 48000, 1100, 2800.5]]
    path = write_grid(tmp_path / "en.xlsx", {"Daily KPI": (2, 1, rows)})
    plan = read_plan(path)
    assert plan.lang == "en"
    first, second = plan.kpi
    assert (first.impressions, first.clicks, first.spend) == (500000, 1200, Decimal(3000))
    assert {p.kind for p in first.problems} == {P.TEXT_NUMBER}
    assert second.date == date(2024, 5, 17) and second.spend == Decimal("2800.5")
    assert plan.cell("kpi", first, "impressions") == ("Daily KPI", 3, 3)


def test_unparseable_values_are_kept_with_their_cells(tmp_path: Path) -> None:
    rows = [["日期", "渠道", "曝光量", "点击量"],
            ["10/05/2024", "KOL", "很多", 10],
            ["5月11日", "KOL", 100, 12.5]]
    path = write_grid(tmp_path / "messy.xlsx", {"每日数据": (1, 1, rows)})
    plan = read_plan(path)
    found = [(r.row, p.field, p.kind, p.raw) for r in plan.kpi for p in r.problems]
    assert found == [
        (2, "date", P.AMBIGUOUS_DATE, "10/05/2024"),
        (2, "impressions", P.UNPARSEABLE, "很多"),
        (3, "date", P.MISSING_YEAR, "5月11日"),
        (3, "clicks", P.NOT_INTEGER, 12.5),
    ]
    assert len(plan.kpi) == 2  # rows with problems are kept


def test_missing_sheets_are_listed(tmp_path: Path) -> None:
    path = write_grid(tmp_path / "bare.xlsx", {"Notes": (1, 1, [["hello"]])})
    plan = read_plan(path)
    assert {"overview", "team", "tasks", "budget", "channels", "kpi"} <= set(plan.missing_sheets)


def test_1904_workbook_dates(tmp_path: Path) -> None:
    """The same campaign saved in the 1904 date system: its serials are 1,462 smaller, its dates the same days."""
    plain = read_plan(hostile.campaign(tmp_path / "1900.xlsx"))
    mac = read_plan(hostile.date1904(tmp_path / "1904.xlsx"))
    assert mac.date1904 is True and plain.date1904 is False
    dates = [(t.start, t.end) for t in plain.tasks]
    assert any(start for start, _ in dates) and [(t.start, t.end) for t in mac.tasks] == dates


def test_1904_workbook_dates_of_the_corpus(corpus: Path) -> None:
    assert read_plan(corpus / "bad-inputs" / "date1904.xlsx").date1904 is True


# generated inputs (tests/hostile.py) the guard refuses, each with its XF code
GUARDED = ["empty.xlsx", "truncated.xlsx", "csv_renamed.xlsx", "html_export.xls", "legacy.xls", "password.xls",
           "binary.xlsb", "calc.ods", "strict.xlsx", "encrypted.xlsx", "xml_bomb.xlsx", "xxe.xlsx", "~$Campaign.xlsx"]


def _refused_before_parsing(path: Path, code: str) -> None:
    problem = inspect(str(path))
    assert problem is not None and problem.code == code
    with pytest.raises(UnreadableWorkbook) as raised:
        read_plan(path)
    assert raised.value.problem.code == code


@pytest.mark.parametrize("name", GUARDED)
def test_guard_refuses_before_parsing(tmp_path: Path, name: str) -> None:
    builder, code = hostile.HOSTILE[name]
    _refused_before_parsing(builder(tmp_path / name), code)


@pytest.mark.parametrize(
    ("name", "code"),
    [("empty.xlsx", "XF002"), ("truncated.xlsx", "XF008"), ("csv_renamed.xlsx", "XF001"),
     ("html_export.xls", "XF001"), ("SampleSS.xls", "XF003"), ("WithTextBox.xlsb", "XF004"),
     ("SampleSS.ods", "XF005"), ("SampleSS.strict.xlsx", "XF006"), ("enc_pw_secret.xlsx", "XF007"),
     ("poc-xmlbomb.xlsx", "XF009"), ("~$Campaign.xlsx", "XF014")],
)
def test_guard_refuses_the_corpus_before_parsing(corpus: Path, name: str, code: str) -> None:
    _refused_before_parsing(corpus / "bad-inputs" / name, code)


def _told_apart(encrypted_xlsx: Path, legacy_xls: Path, password_xls: Path) -> None:
    encrypted, legacy, locked = (inspect(str(p)) for p in (encrypted_xlsx, legacy_xls, password_xls))
    assert encrypted is not None and encrypted.code == "XF007"
    assert legacy is not None and (legacy.code, legacy.variant) == ("XF003", "")
    assert locked is not None and (locked.code, locked.variant) == ("XF003", "encrypted")


def test_encrypted_is_told_apart_from_legacy_xls(tmp_path: Path) -> None:
    _told_apart(hostile.encrypted_xlsx(tmp_path / "secret.xlsx"), hostile.legacy_xls(tmp_path / "old.xls"),
                hostile.password_xls(tmp_path / "locked.xls"))


def test_encrypted_is_told_apart_from_legacy_xls_in_the_corpus(corpus: Path) -> None:
    folder = corpus / "bad-inputs"
    _told_apart(folder / "enc_pw_secret.xlsx", folder / "SampleSS.xls", folder / "password.xls")


def test_a_materials_sheet_is_not_taken_for_the_missing_tasks(tmp_path: Path) -> None:
    rows = [["物料名称", "规格", "数量", "完成时间", "负责人", "状态"], ["海报", "A2", 200, "2024-05-12", "小刚", "已完成"]]
    path = write_grid(tmp_path / "no-tasks.xlsx", {"物料": (1, 1, rows)})
    plan = read_plan(path)
    assert "tasks" in plan.missing_sheets and plan.tasks == []
    assert plan.tables["materials"].sheet == "物料" and len(plan.materials) == 1


def test_generated_sheets_are_never_read_as_data(tmp_path: Path) -> None:
    summary = [["类别", "项目", "预算金额", "负责人"], ["人力", "合计", 100, "小明"]]
    path = write_grid(tmp_path / "gen.xlsx", {"汇总": (1, 1, summary)})
    plan = read_plan(path)
    assert "budget" in plan.missing_sheets and plan.budget == []
