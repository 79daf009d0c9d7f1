"""One fixture per file-level XF code: a file made in code that cannot (or must not) be read, and its finding.

Worker failures (XF016 crash, XF017 time limit, XF018 memory limit) are provoked inside real worker processes:
the pool forks its workers, so a replacement for ``check_file`` set before the run is what they execute.
"""

from __future__ import annotations

import os
import time
import zipfile
from pathlib import Path

import pytest

from xl_campaign.app import check as C
from xl_campaign.core.rules import RULES
from xl_campaign.io import guard

from . import rule_fixtures as F

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504


def _zip(path: Path, parts: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return path


def _workbook(path: Path) -> Path:
    return F.write(F.baseline("en"), path)


def _with_sheet_xml(path: Path, edit: bytes, doctype: bytes = b"") -> Path:
    _workbook(path)
    with zipfile.ZipFile(path) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    if doctype:
        sheet = doctype + sheet
    F.patch_parts(path, {"xl/worksheets/sheet1.xml": sheet.replace(b"</sheetData>", edit + b"</sheetData>")})
    return path


def make(code: str, tmp: Path) -> Path:
    """A file that gets exactly the finding ``code``."""
    match code:
        case "XF001":
            return tmp.joinpath("csv.xlsx").write_bytes(b"Task,Start\nPosters,2024-05-10\n") and tmp / "csv.xlsx"
        case "XF002":
            (tmp / "empty.xlsx").write_bytes(b"")
            return tmp / "empty.xlsx"
        case "XF003":
            (tmp / "old.xlsx").write_bytes(OLE + b"Workbook".ljust(512, b"\0"))
            return tmp / "old.xlsx"
        case "XF004":
            return _zip(tmp / "binary.xlsx", {"[Content_Types].xml": b"<Types/>", "xl/workbook.bin": b"\0\1"})
        case "XF005":
            return _zip(tmp / "calc.xlsx", {"mimetype": b"application/vnd.oasis.opendocument.spreadsheet",
                                            "content.xml": b"<office:document-content/>"})
        case "XF006":
            return _zip(tmp / "strict.xlsx", {"xl/workbook.xml": b'<workbook xmlns="http://purl.oclc.org/ooxml/'
                                                                 b'spreadsheetml/main"/>'})
        case "XF007":
            (tmp / "secret.xlsx").write_bytes(OLE + "EncryptionInfo".encode("utf-16-le").ljust(512, b"\0"))
            return tmp / "secret.xlsx"
        case "XF008":
            whole = _workbook(tmp / "whole.xlsx").read_bytes()
            (tmp / "cut.xlsx").write_bytes(whole[: len(whole) // 2])
            return tmp / "cut.xlsx"
        case "XF009":
            bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>\n'
            return _with_sheet_xml(tmp / "bomb.xlsx", b"", doctype=bomb)
        case "XF010":
            xxe = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/hostname">]>\n'
            return _with_sheet_xml(tmp / "xxe.xlsx", b"", doctype=xxe)
        case "XF011":
            path = _workbook(tmp / "zipbomb.xlsx")
            F.patch_parts(path, {"xl/media/padding.bin": b"\0" * (2 << 20)})
            return path
        case "XF012":
            return _with_sheet_xml(tmp / "corner.xlsx", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
        case "XF013":
            return _workbook(tmp / "huge.xlsx")  # with the size limit lowered by the test
        case "XF014":
            (tmp / "~$Plan.xlsx").write_bytes(b"\x07someone" + b"\0" * 100)
            return tmp / "~$Plan.xlsx"
        case "XF015":
            path = _workbook(tmp / "plan.xlsx")
            return path.rename(tmp / "plan.txt")
        case "XF019":
            return tmp / "missing.xlsx"
    raise AssertionError(code)


IN_PROCESS = ["XF001", "XF002", "XF003", "XF004", "XF005", "XF006", "XF007", "XF008", "XF009", "XF010",
              "XF011", "XF012", "XF013", "XF014", "XF015", "XF019"]
IN_WORKER = ["XF016", "XF017", "XF018"]
ENGINE = ["XF024"]  # raised by run_rules itself (test below)


def test_every_file_rule_has_a_fixture() -> None:
    file_rules = {code for code, r in RULES.items() if r.func is None}
    assert file_rules == set(IN_PROCESS + IN_WORKER + ENGINE)


def test_a_failing_rule_is_reported_and_the_others_still_run(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    from dataclasses import replace

    from xl_campaign.core.rules import run_rules
    from xl_campaign.io.reader import read_plan

    def broken(plan: object, ctx: object) -> object:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setitem(RULES, "DATE013", replace(RULES["DATE013"], func=broken))
    plan = read_plan(F.write(F.baseline("en"), tmp_path / "plan.xlsx"))
    found = run_rules(plan, select=["DATE", "WB005"])
    assert [(f.code, f.field) for f in found if f.code == "XF024"] == [("XF024", "DATE013")]
    assert "ZeroDivisionError" in found[0].message or any("ZeroDivisionError" in f.message for f in found)
    assert "WB005" in {f.code for f in found}


@pytest.mark.parametrize("code", IN_PROCESS)
def test_file_fixture(code: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if code == "XF013":
        monkeypatch.setattr(guard, "MAX_FILE_SIZE", 1000)
    path = make(code, tmp_path)
    for lang in ("en", "zh"):
        result = C.check_file(path, lang=lang)
        assert [(f.code, f.sheet, f.cell) for f in result.findings] == [(code, None, None)]
        assert result.findings[0].file == str(path) and result.findings[0].message
    assert result.valid == (RULES[code].severity.value != "error")


def _crash(path: str, **_: object) -> C.FileResult:
    if "bad" in os.path.basename(path):
        os.abort()
    return C.FileResult(path, "x")


def _hang(path: str, **_: object) -> C.FileResult:
    if "bad" in os.path.basename(path):
        time.sleep(30)
    return C.FileResult(path, "x")


def _greedy(path: str, **_: object) -> C.FileResult:
    if "bad" in os.path.basename(path):
        hog = bytearray(1 << 30)  # a GiB: over the 128 MB limit of this test
        hog[-1] = 1
    return C.FileResult(path, "x")


@pytest.mark.parametrize(("code", "replacement"), [("XF016", _crash), ("XF017", _hang), ("XF018", _greedy)])
def test_worker_failures_cost_one_file(code: str, replacement: object, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    paths = []
    for name in ("a.xlsx", "bad.xlsx", "c.xlsx", "d.xlsx"):
        (tmp_path / name).write_bytes(b"PK")
        paths.append(str(tmp_path / name))
    monkeypatch.setattr(C, "check_file", replacement)
    started = time.monotonic()
    report = C.check_paths(paths, jobs=2, timeout=2, memory_mb=128)
    assert time.monotonic() - started < 20
    assert [r.path for r in report.files] == paths  # every file has a result, in input order
    bad = report.files[1]
    assert [(f.code, f.file) for f in bad.findings] == [(code, paths[1])]
    assert all(r.findings == [] for i, r in enumerate(report.files) if i != 1)


def test_empty_rows_and_formatting_far_away_are_not_too_large(tmp_path: Path) -> None:
    # LibreOffice writes empty row elements down to the last row; they hold nothing.
    empty_rows = _with_sheet_xml(tmp_path / "rows.xlsx", b'<row r="1048575" customFormat="false"></row>'
                                                          b'<row r="1048576" customFormat="false"></row>')
    assert [f.code for f in C.check_file(empty_rows).findings if f.code.startswith("XF")] == []
    # A formatted but empty cell in the last corner: the used range is inflated (a warning), the file still reads.
    styled = _with_sheet_xml(tmp_path / "styled.xlsx", b'<row r="1048576"><c r="XFD1048576" s="1"/></row>')
    found = [(f.code, f.cell) for f in C.check_file(styled).findings if f.code.startswith("XF")]
    assert found == [("XF021", "XFD1048576")]


def test_a_doctype_is_judged_by_its_declaration_not_by_the_text_after_it() -> None:
    from xl_campaign.io.guard import doctype_kind

    bomb = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><sheetData>public holidays</sheetData>'
    assert doctype_kind(bomb) == "XF009"  # the sheet's words ("public") are not an external identifier
    assert doctype_kind(b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/hostname">]><a/>') == "XF010"
    assert doctype_kind(b'<!DOCTYPE x PUBLIC "-//x" "http://example.invalid/x.dtd"><a/>') == "XF010"
    assert doctype_kind(b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/hostname"') == "XF010"  # cut off
