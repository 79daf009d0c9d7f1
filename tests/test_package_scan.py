"""The package scan before calamine: DOCTYPEs wherever they are, formula cells and their cached values, and
the bytes it reads being the bytes the reader parses. Real packages written by the template writer, then
edited part by part."""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import pytest

from xl_campaign.app import check as C
from xl_campaign.io.reader import read_plan
from xl_campaign.io.xlsx import scan_package, scan_sheet

from . import hostile
from . import rule_fixtures as F

BOMB = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n'


def _workbook(path: Path) -> Path:
    return F.write(F.baseline("en"), path)


def _codes(path: Path) -> list[str]:
    return [f.code for f in C.check_file(path).findings]


def test_doctype_in_a_sheet_part_no_sheet_points_to_is_still_found(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "stray.xlsx")
    F.patch_parts(path, {"xl/worksheets/sheet99.xml": BOMB + b"<worksheet><sheetData/></worksheet>"})
    assert _codes(path) == ["XF009"]
    assert "sheet99.xml" in C.check_file(path).findings[0].value


def test_doctype_after_a_long_prolog_in_another_part_is_found(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "padded.xlsx")
    with zipfile.ZipFile(path) as archive:
        styles = archive.read("xl/styles.xml")
    padded = b'<?xml version="1.0"?>\n<!--' + b" padding" * 80 + b"-->\n" + BOMB.split(b"\n", 1)[0][21:] + \
        b"\n" + styles.split(b"?>", 1)[-1]
    assert padded.index(b"<!DOCTYPE") > 256  # beyond the first bytes read of every part
    F.patch_parts(path, {"xl/styles.xml": padded})
    assert _codes(path) == ["XF009"]


def test_a_clean_workbook_has_no_file_finding(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "clean.xlsx")
    assert not [code for code in _codes(path) if code.startswith("XF")]


@pytest.mark.parametrize(("cell", "expected"), [
    (b'<c r="B2" s="3"><f>SUM(A1:A3)</f><v>440000</v></c>', 440000.0),
    (b'<c r="B2" t="str"><f>A1&amp;"x"</f><v>a &lt;b&gt; &#20013;</v></c>', "a <b> \u4e2d"),
    (b'<c r="B2" t="b"><f>A1&gt;0</f><v>1</v></c>', True),
    (b'<c r="B2" t="e"><f>1/0</f><v>#DIV/0!</v></c>', "#DIV/0!"),
    (b'<c r="B2" s="3"><f>SUM(A1:A3)</f><v /></c>', ""),
    (b'<c r="B2"><f t="shared" ref="B2:B3" si="0">A1*2</f><v>6</v></c>', 6.0),
])
def test_cached_values_of_formula_cells(cell: bytes, expected: object) -> None:
    part = b"<worksheet><sheetData><row r=\"2\">" + cell + b"</row></sheetData></worksheet>"
    scanned = scan_sheet(part)
    assert scanned.cached_value(2, 2) == expected
    assert scanned.cached_value(2, 1) is None  # no formula there
    uncalculated = [(r, c) for r, c, _ in scanned.uncalculated]
    assert uncalculated == ([(2, 2)] if expected == "" else [])


def test_formulas_found_by_the_general_loop_when_the_layout_is_unusual() -> None:
    # ``s`` before ``r`` and spaces between the elements: every formula is still found with its cell
    part = (b'<worksheet><sheetData><row r="4"><c s="1" r="C4">\n  <f>A4+B4</f>\n  <v>3</v>\n</c>'
            b'<c s="1" r="D4"><f>C4*2</f></c></row></sheetData></worksheet>')
    scanned = scan_sheet(part)
    assert set(scanned.formulas) == {(4, 3), (4, 4)}
    assert scanned.cached_value(4, 3) == 3.0
    assert [(r, c) for r, c, _ in scanned.uncalculated] == [(4, 4)]


def test_budget_summary_values_come_from_the_cached_formula_values(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "calculated.xlsx")
    with zipfile.ZipFile(path) as archive:
        budget_part = read_plan(path).tables["budget"].sheet
        parts = scan_package(str(path)).workbook.sheet_parts
        sheet = archive.read(parts[budget_part])
    # as if Excel had calculated J10 (the lines total): the value is the file's, not recomputed
    calculated = sheet.replace(b'<c r="J10" s=', b'<c r="J10" t="n" s=', 1)
    head, rest = calculated.split(b'<c r="J10"', 1)
    cell_end = rest.index(b"</c>")
    cell = rest[:cell_end].replace(b"<v />", b"<v>123456</v>").replace(b"<v/>", b"<v>123456</v>")
    F.patch_parts(path, {parts[budget_part]: head + b'<c r="J10"' + cell + rest[cell_end:]})
    plan = read_plan(path)
    assert plan.computed_values["Budget_LinesTotal"] == 123456.0
    assert "BUD010" not in _codes(path)  # a formula with a different cached value is not a typed total


def test_the_hash_is_of_the_bytes_checked(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "hashed.xlsx")
    assert C.check_file(path).sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def _broken_package_reason(path: Path) -> None:
    # read from memory calamine can only say "Cannot detect file format"; the finding says what is broken
    findings = C.check_file(path).findings
    assert [f.code for f in findings] == ["XF008"]
    assert "Cannot detect file format" not in str(findings[0].value)
    assert "Relationships" in str(findings[0].value)


def test_a_broken_package_gets_calamines_own_reason(tmp_path: Path) -> None:
    _broken_package_reason(hostile.corrupt_relationships(tmp_path / "broken-rels.xlsx"))


def test_a_broken_package_of_the_corpus_gets_calamines_own_reason(corpus: Path) -> None:
    _broken_package_reason(corpus / "poi" / "xlsx-corrupted.xlsx")
