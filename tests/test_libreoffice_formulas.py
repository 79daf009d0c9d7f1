"""A real spreadsheet engine (LibreOffice, headless) recalculates the template's native formulas; its numbers
equal what the Python core computes from the same data."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from xl_campaign.core import metrics
from xl_campaign.core.budget import budget_totals
from xl_campaign.core.content import example, starter
from xl_campaign.io.reader import read_plan
from xl_campaign.io.template import write_workbook

from .conftest import libreoffice_convert, strip_cached_values

pytestmark = pytest.mark.libreoffice


def close(engine: object, python: Decimal | None) -> bool:
    if python is None:
        return engine in ("", None)
    return isinstance(engine, int | float) and abs(Decimal(repr(float(engine))) - python) <= Decimal("1e-9") * max(
        1, abs(python))


@pytest.fixture(scope="module", params=["zh", "en"])
def recalculated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    lang = request.param
    folder = tmp_path_factory.mktemp(f"lo-{lang}")
    source = folder / f"example_{lang}.xlsx"
    write_workbook(example(lang), str(source))
    return source, libreoffice_convert(strip_cached_values(source, folder / source.name.replace(".", "-bare.")),
                                       folder / "out")


def test_budget_summary_formulas_match_core(recalculated: tuple[Path, Path]) -> None:
    source, converted = recalculated
    ours = read_plan(source)
    engine = read_plan(converted).computed_values
    assert set(ours.computed_values) == set(engine)  # stored by the tool, recalculated by the engine
    totals = budget_totals(ours)
    expected = {
        "Budget_LinesTotal": totals.lines_planned,
        "Budget_Reserve": totals.reserve,
        "Budget_ReserveRate": totals.reserve_rate,
        "Budget_TotalBudget": totals.total_budget,
        "Budget_Remaining": totals.unallocated,
    }
    assert set(engine) == set(expected)
    for name, value in expected.items():
        assert close(engine[name], value), (name, engine[name], value)
    assert totals.reserve_rate == Decimal("0.12")
    for name, value in expected.items():
        assert close(ours.computed_values[name], value), (name, ours.computed_values[name], value)


def test_channel_formulas_match_core(recalculated: tuple[Path, Path]) -> None:
    import python_calamine

    source, converted = recalculated
    plan = read_plan(source)
    sums: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for row in plan.kpi:
        for key in ("impressions", "clicks", "conversions", "revenue", "spend"):
            sums[row.channel or ""][key] += Decimal(getattr(row, key) or 0)
    info = plan.tables["channels"]
    grid = python_calamine.CalamineWorkbook.from_path(str(converted)).get_sheet_by_name(info.sheet).to_python(
        skip_empty_area=False)
    assert plan.channels
    for channel in plan.channels:
        cells = grid[channel.row - 1]
        got = {key: cells[info.columns[key] - 1] for key in
               ("impressions", "clicks", "conversions", "revenue", "spend", "ctr", "cvr", "cpa", "roi", "roas")}
        s = sums[channel.name or ""]
        expected = {
            **s,
            "ctr": metrics.ctr(s["clicks"], s["impressions"]),
            "cvr": metrics.cvr(s["conversions"], s["clicks"]),
            "cpa": metrics.cpa(s["spend"], s["conversions"]),
            "roi": metrics.roi(s["revenue"], s["spend"]),
        }
        assert got.pop("roas") == metrics.ratio_text(s["revenue"], s["spend"])  # the source's 1:N, a live formula
        for key, value in expected.items():
            assert close(got[key], value), (channel.name, key, got[key], value)


def test_empty_template_recalculates_without_errors(tmp_path: Path) -> None:
    source = tmp_path / "template_en.xlsx"
    write_workbook(starter("en"), str(source))
    bare = strip_cached_values(source, tmp_path / "bare.xlsx")
    engine = read_plan(libreoffice_convert(bare, tmp_path / "out")).computed_values
    assert engine["Budget_TotalBudget"] == 0 and engine["Budget_ReserveRate"] == ""
