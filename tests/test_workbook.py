"""Declarations -> template -> reader gives back the same rows; the committed workbooks are current."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from xl_campaign.app.regenerate import committed_workbooks
from xl_campaign.core import spec as S
from xl_campaign.core.content import Content, example, starter
from xl_campaign.core.schedule import stage_windows
from xl_campaign.io.reader import _parser, read_plan
from xl_campaign.io.template import write_workbook

from .conftest import WORKBOOK_DIR


def expected_rows(content: Content, key: str) -> list[dict[str, Any]]:
    """What the reader must give back for ``content``'s rows: each raw value through the declared parser."""
    spec = S.SPECS[key]
    out = []
    for raw_row in content.tables.get(key, []):
        row = {}
        for column in spec.input_columns:
            parsed = _parser(column, False)(raw_row.get(column.key))
            row[column.key] = parsed.value if parsed.value not in (None, []) else None
        out.append(row)
    return out


def read_rows(plan: Any, key: str) -> list[dict[str, Any]]:
    spec = S.SPECS[key]
    return [
        {c.key: (getattr(r, c.key) if getattr(r, c.key) not in (None, []) else None) for c in spec.input_columns}
        for r in plan.records(key)
    ]


CONTENTS = {
    "example-zh": lambda: example("zh"),
    "example-en": lambda: example("en"),
    "starter-zh": lambda: starter("zh", "双11", date(2025, 11, 11), 10),
    "starter-en": lambda: starter("en", "Launch", date(2025, 6, 18)),
    "empty-en": lambda: starter("en"),
}


@pytest.mark.parametrize("name", sorted(CONTENTS))
def test_round_trip(name: str, tmp_path: Path) -> None:
    content = CONTENTS[name]()
    path = tmp_path / f"{name}.xlsx"
    write_workbook(content, str(path))
    plan = read_plan(path)
    assert plan.lang == content.lang
    assert plan.missing_sheets == []
    for spec in S.TABLE_SPECS:
        info = plan.tables[spec.key]
        assert info.found_by == "table" and info.table_name == spec.table
        assert info.missing == []
        assert read_rows(plan, spec.key) == expected_rows(content, spec.key), spec.key
    for column in S.OVERVIEW.columns:
        parsed = _parser(column, False)(content.overview.get(column.key))
        assert getattr(plan.overview, column.key) == (parsed.value if parsed.value is not None else
                                                      ([] if column.type is S.ColType.PEOPLE else None))


def test_positions_are_real_excel_cells(tmp_path: Path) -> None:
    """The reader's row/column for a value is where openpyxl finds that value."""
    import openpyxl

    path = tmp_path / "ex.xlsx"
    write_workbook(example("zh"), str(path))
    plan = read_plan(path)
    wb = openpyxl.load_workbook(path)
    task = plan.tasks[11]
    sheet, row, col = plan.cell("tasks", task, "end")  # type: ignore[misc]
    assert wb[sheet].cell(row=row, column=col).value == "活动全程"
    assert task.whole_campaign
    sheet, row, col = plan.overview_cell("launch")  # type: ignore[misc]
    assert wb[sheet].cell(row=row, column=col).value.date() == date(2024, 5, 16)
    kpi = plan.kpi[-1]
    sheet, row, col = plan.cell("kpi", kpi, "spend")  # type: ignore[misc]
    assert wb[sheet].cell(row=row, column=col).value == kpi.spend


def test_launch_schedules_the_four_stages(tmp_path: Path) -> None:
    launch = date(2025, 6, 18)
    path = tmp_path / "618.xlsx"
    write_workbook(starter("zh", "618", launch, 14), str(path))
    plan = read_plan(path)
    assert plan.overview.launch == launch and plan.overview.end == launch + timedelta(days=13)
    windows = stage_windows(launch, plan.overview.end)
    stages = [t.stage for t in plan.tasks]
    assert set(stages) == set(windows)
    for task in plan.tasks:
        window = windows[task.stage]
        assert window.contains(task.start) and window.contains(task.end), (task.id, task.stage)
    warmup = [t for t in plan.tasks if t.stage == "warmup"]
    assert 3 <= (launch - min(t.start for t in warmup)).days <= 7
    assert min(t.start for t in plan.tasks if t.stage == "burst") == launch


def test_never_overwrites_without_force(tmp_path: Path) -> None:
    path = tmp_path / "mine.xlsx"
    path.write_bytes(b"my own data")
    with pytest.raises(FileExistsError):
        write_workbook(starter("zh"), str(path))
    assert path.read_bytes() == b"my own data"


def _snapshot(path: Path) -> dict[str, Any]:
    """Content of a workbook as openpyxl sees it: cells, formats, tables, validations, names."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    out: dict[str, Any] = {"sheets": wb.sheetnames, "names": sorted((n, d.attr_text) for n, d in wb.defined_names.items())}
    for ws in wb.worksheets:
        out[ws.title] = {
            "cells": [(c.coordinate, c.value, c.number_format) for row in ws.iter_rows() for c in row
                      if c.value is not None],
            "tables": sorted((t.displayName, t.ref) for t in ws.tables.values()),
            "validations": sorted((dv.formula1, str(dv.sqref)) for dv in ws.data_validations.dataValidation),
            "freeze": ws.freeze_panes,
        }
    return out


@pytest.mark.parametrize("name", sorted(committed_workbooks()))
def test_committed_workbooks_match_the_code(name: str, tmp_path: Path) -> None:
    committed = WORKBOOK_DIR / name
    assert committed.exists(), f"{committed} missing: run python -m xl_campaign.app.regenerate"
    fresh = tmp_path / name
    write_workbook(committed_workbooks()[name], str(fresh))  # type: ignore[arg-type]
    assert _snapshot(committed) == _snapshot(fresh), "stale: run python -m xl_campaign.app.regenerate"


def test_wheel_package_exposes_the_template() -> None:
    from xl_campaign import workbook

    assert Path(workbook.path("template_zh.xlsx")).is_file()
