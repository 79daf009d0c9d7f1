"""The committed example workbooks give a short, sensible list of findings (not noise)."""

from __future__ import annotations

from datetime import date

import pytest

from xl_campaign.core.rules import run_rules
from xl_campaign.io.reader import read_plan

from .conftest import WORKBOOK_DIR

EXPECTED = {
    # (code, sheet key, cell): the new-users goal behind its pace (66%) and below its daily target on the last day
    # with numbers, T06 overdue, the display stands overdue, "活动全程" read as the end date, the truncated status
    # "未开" (every formula carries its value: no WB005).
    "zh": [("KPI008", "活动概览", "B19"), ("KPI010", "活动概览", "B19"), ("DATE013", "任务", "H9"), ("DATE016", "任务", "H15"),
           ("WB008", "任务", "I16"), ("MAT001", "物料", "D8")],
    "en": [("KPI008", "Overview", "B19"), ("KPI010", "Overview", "B19"), ("DATE013", "Tasks", "H9"), ("DATE016", "Tasks", "H15"),
           ("WB008", "Tasks", "I16"), ("MAT001", "Materials", "D8")],
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_example_findings(lang: str) -> None:
    plan = read_plan(WORKBOOK_DIR / f"example_{lang}.xlsx")
    found = [(f.code, f.sheet, f.cell) for f in run_rules(plan)]
    assert sorted(found) == sorted(EXPECTED[lang])


def test_messages_follow_lang_and_today() -> None:
    plan = read_plan(WORKBOOK_DIR / "example_zh.xlsx")
    english = run_rules(plan, lang="en", select=["DATE013"])
    assert [f.code for f in english] == ["DATE013"] and "overdue" in english[0].message
    assert "逾期" in run_rules(plan, select=["DATE013"])[0].message
    # on T06's due day nothing is overdue yet; two weeks after the end every open task is
    assert run_rules(plan, today=date(2024, 5, 14), select=["DATE013"]) == []
    late = run_rules(plan, today=date(2024, 6, 20), select=["DATE013"])
    assert len(late) > 5


def test_select_and_ignore_by_prefix() -> None:
    plan = read_plan(WORKBOOK_DIR / "example_zh.xlsx")
    assert {f.code for f in run_rules(plan, select=["DATE"])} == {"DATE013", "DATE016"}
    assert {f.code for f in run_rules(plan, select=["DATE", "KPI"], ignore=["DATE01"])} == {"KPI008", "KPI010"}
    assert {f.code[:3] for f in run_rules(plan, ignore=["DATE", "WB"])} == {"MAT", "KPI"}
