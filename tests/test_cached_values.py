"""Every formula the tool writes carries the value it evaluates to — and LibreOffice agrees.

Each workbook the tool writes (template, example, updated example in zh and en, companion, portfolio) is copied with
its cached values stripped; LibreOffice opens the copy, must calculate every formula, and saves its results. Every
formula's LibreOffice value must equal the value the tool stored. Nothing here names a number: the stored values
come from the core, the engine judges them.
"""

from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from xl_campaign.app.rollup import rollup_paths, write_portfolio
from xl_campaign.app.update import update_workbook
from xl_campaign.core.content import example as example_content
from xl_campaign.core.content import starter
from xl_campaign.core.rules import run_rules
from xl_campaign.io.reader import read_plan
from xl_campaign.io.template import write_workbook
from xl_campaign.io.xlsx import scan_package

from .conftest import libreoffice_convert_many, strip_cached_values


def stored(path: Path) -> dict[tuple[str, int, int], Any]:
    """(sheet, row, col) -> the cached value of every formula cell of the workbook at ``path``."""
    scan = scan_package(str(path))
    return {(name, row, col): sheet.cached_value(row, col) for name, sheet in scan.sheets.items()
            for row, col in sheet.formulas}


def same(engine: Any, ours: Any) -> bool:
    if isinstance(ours, float) and isinstance(engine, float):
        return math.isclose(engine, ours, rel_tol=1e-9, abs_tol=1e-9)
    return bool(engine == ours) and type(engine) is type(ours)


def written(folder: Path) -> dict[str, Path]:
    """Every kind of workbook the tool writes, written into ``folder``."""
    out: dict[str, Path] = {}

    def new(name: str, content: Any) -> Path:
        out[name] = Path(write_workbook(content, str(folder / f"{name}.xlsx")))
        return out[name]

    new("template_zh", starter("zh", "双11", date(2025, 11, 1), 20))
    new("template_en", starter("en"))
    for lang in ("zh", "en"):
        new(f"example_{lang}", example_content(lang))
        updated = new(f"updated_{lang}", example_content(lang))
        update_workbook(updated, keep_backups=0)
    source = new("companion_source", example_content("en"))
    companion = folder / "companion.xlsx"
    update_workbook(source, out=str(companion), keep_backups=0)
    out["companion"] = companion
    portfolio = folder / "portfolio.xlsx"
    write_portfolio(rollup_paths([str(out["example_zh"]), str(out["updated_en"])], jobs=1), str(portfolio), "zh")
    out["portfolio"] = portfolio
    del out["companion_source"]
    return out


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, Path]]:
    folder = tmp_path_factory.mktemp("cached")
    books = written(folder)
    (folder / "stripped").mkdir()
    stripped = [strip_cached_values(path, folder / "stripped" / path.name) for path in books.values()]
    engine = libreoffice_convert_many(stripped, folder / "engine")
    return {name: (path, out) for (name, path), out in zip(books.items(), engine, strict=True)}


KINDS = ["template_zh", "template_en", "example_zh", "example_en", "updated_zh", "updated_en", "companion",
         "portfolio"]


@pytest.mark.libreoffice
@pytest.mark.parametrize("kind", KINDS)
def test_every_formula_has_the_value_libreoffice_computes(kind: str,
                                                         recalculated: dict[str, tuple[Path, Path]]) -> None:
    ours_path, engine_path = recalculated[kind]
    scan = scan_package(str(ours_path))
    assert all(not sheet.uncalculated for sheet in scan.sheets.values()), "a formula was written without a value"
    ours = stored(ours_path)
    engine = stored(engine_path)
    mismatches = [(key, ours[key], engine.get(key)) for key in sorted(ours) if not same(engine.get(key), ours[key])]
    assert mismatches == [], mismatches[:10]
    if kind != "portfolio":  # the portfolio holds values only
        assert len(ours) > 20


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_wb005_on_the_tools_own_output(lang: str, tmp_path: Path) -> None:
    """``check --fail-on info`` on a new example and on its updated copy reports no WB005."""
    path = Path(write_workbook(example_content(lang), str(tmp_path / "example.xlsx")))
    assert "WB005" not in {f.code for f in run_rules(read_plan(path))}
    update_workbook(path, keep_backups=0)
    assert "WB005" not in {f.code for f in run_rules(read_plan(path))}
    update_workbook(path, keep_backups=0)  # a second update keeps them too
    assert "WB005" not in {f.code for f in run_rules(read_plan(path))}


def test_update_keeps_the_values_of_the_users_formulas(tmp_path: Path) -> None:
    """openpyxl drops every cached value; update writes the user's back as the file held them, and a formula the
    user left without a value stays without one (WB005 keeps saying so)."""
    import zipfile

    import openpyxl

    path = tmp_path / "plan.xlsx"
    write_workbook(example_content("en"), str(path))
    wb = openpyxl.load_workbook(path)
    wb["Review"]["H2"] = "=1+1"  # the user's own formula, saved by a program without a value
    wb.save(path)
    with zipfile.ZipFile(path) as package:  # and one that Excel calculated: "kept" as text
        parts = {info.filename: package.read(info) for info in package.infolist()}
    sheet = next(name for name, data in parts.items() if b"<f>1+1</f>" in data)
    parts[sheet] = parts[sheet].replace(b'<c r="H2"><f>1+1</f><v /></c>',
                                        b'<c r="H2" t="str"><f>1+1</f><v>kept</v></c>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    before = stored(path)
    assert before[("Review", 2, 8)] == "kept"
    assert "WB005" in {f.code for f in run_rules(read_plan(path))}  # the budget summary lost its values
    update_workbook(path, keep_backups=0)
    after = stored(path)
    user = {key: value for key, value in before.items() if key[0] not in ("Gantt", "Summary", "Issues")}
    assert {key: after[key] for key in user} == user
