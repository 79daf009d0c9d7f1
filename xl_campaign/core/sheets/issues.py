"""The Issues sheet described for any writer: every finding of the validator, worst first, with severity colours
and a hyperlink to the cell it is about."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from ..findings import Finding, Severity, counts_line
from ..security import is_security
from .labels import t
from .look import body_font
from .model import Link, PageSetup, SheetDoc, Style, area, fit_rows

HEADER_ROW = 4
COLUMNS = ("no", "severity", "code", "rule", "sheet", "cell", "message", "value", "expected", "hint")
WIDTHS = {"no": 5, "severity": 8, "code": 9, "rule": 18, "sheet": 9, "cell": 8, "message": 48, "value": 12,
          "expected": 12, "hint": 30}
SEVERITY_STYLES = {
    Severity.ERROR: Style(bold=True, color="9C0006", fill="FFC7CE", align="center", valign="top"),
    Severity.WARNING: Style(bold=True, color="7F6000", fill="FFEB9C", align="center", valign="top"),
    Severity.INFO: Style(bold=True, color="1F4E78", fill="DDEBF7", align="center", valign="top"),
}


def _shown(value: Any) -> Any:
    """A finding's value as a cell shows it: numbers and dates stay typed, anything else becomes text."""
    if value is None or isinstance(value, bool):
        return "" if value is None else str(value)
    if isinstance(value, int | float | date):
        return value
    return str(value)


def ordered(findings: Iterable[Finding], sheet_order: Sequence[str] = ()) -> list[Finding]:
    """Security findings (SEC: what can run code or reach out) first, then worst first, then in workbook order:
    sheet, row, column, code."""
    position = {name: index for index, name in enumerate(sheet_order)}
    return sorted(findings, key=lambda f: (not is_security(f.code), -Severity(f.severity).rank,
                                           position.get(f.sheet or "", len(position)), f.sheet or "", f.row or 0,
                                           f.column or 0, f.code))


def issues_sheet(findings: Iterable[Finding], lang: str, *, name: str, sheet_names: Sequence[str] = (),
                 title: str | None = None, as_of: date | None = None, link_prefix: str | None = None
                 ) -> SheetDoc:
    """One row per finding. A finding placed on a sheet of ``sheet_names`` links to its cell (into
    ``link_prefix``'s workbook when given — a companion workbook links back to the campaign workbook)."""
    doc = SheetDoc("issues", name, tab_color="C00000", gridlines=False)
    s = doc.styles
    s["title"] = Style(bold=True, size=16, color="1F4E78")
    s["note"] = Style(italic=True, color="595959")
    s["counts"] = Style(bold=True, color="404040")
    s["head"] = Style(bold=True, color="FFFFFF", fill="1F4E78", align="center", valign="center", wrap=True)
    s["text"] = Style(valign="top", border_bottom="D9D9D9")
    s["wrap"] = Style(valign="top", wrap=True, border_bottom="D9D9D9")
    s["center"] = Style(valign="top", align="center", border_bottom="D9D9D9")
    s["link"] = Style(color="0563C1", underline=True, align="center", valign="top", border_bottom="D9D9D9")
    for severity, style in SEVERITY_STYLES.items():
        s[f"sev_{severity.value}"] = style

    items = ordered(findings, sheet_names)
    heading = t("issues_title", lang) + (f" · {title}" if title else "")
    doc.put(1, 1, heading, style="title")
    line = counts_line(items, lang) if items else t("no_issues", lang)
    if as_of is not None:
        line += f" · {t('as_of', lang)} {as_of.isoformat()}"
    doc.put(2, 1, line, style="counts")
    doc.put(3, 1, t("generated", lang), style="note")
    for col, key in enumerate(COLUMNS, start=1):
        doc.put(HEADER_ROW, col, t(key, lang), style="head")
        doc.col_widths[col] = WIDTHS[key]
    known = set(sheet_names)
    row = HEADER_ROW
    for number, finding in enumerate(items, start=1):
        row += 1
        severity = Severity(finding.severity)
        doc.put(row, 1, number, style="center")
        doc.put(row, 2, t(f"sev_{severity.value}", lang), style=f"sev_{severity.value}")
        doc.put(row, 3, finding.code, style="center")
        doc.put(row, 4, finding.rule, style="wrap")
        doc.put(row, 5, finding.sheet or "", style="text")
        link = None
        if finding.sheet and finding.sheet in known:
            target = Link(sheet=finding.sheet, cell=finding.cell or "A1")
            link = Link(url=f"{link_prefix}#{target.location}") if link_prefix else target
        doc.put(row, 6, finding.cell or ("→" if link else ""), style="link" if link else "center", link=link)
        doc.put(row, 7, finding.message, style="wrap")
        doc.put(row, 8, _shown(finding.value), style="wrap")
        doc.put(row, 9, finding.expected or "", style="wrap")
        doc.put(row, 10, finding.hint or "", style="wrap")
    if items:
        doc.autofilter = area(HEADER_ROW, 1, row, len(COLUMNS))
    doc.freeze = f"A{HEADER_ROW + 1}"
    doc.page = PageSetup(landscape=True, fit_width=1, fit_height=0, title_rows=f"{HEADER_ROW}:{HEADER_ROW}")
    doc.font = body_font(lang)
    fit_rows(doc)
    return doc
