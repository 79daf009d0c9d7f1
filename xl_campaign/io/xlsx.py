"""Small, safe reads of an .xlsx package's XML parts (defusedxml; nothing is inflated past the guard's limits).

What python-calamine does not tell: defined names, the 1904 date system, the part path of each sheet.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"

_REF = re.compile(r"^(?:'((?:[^']|'')+)'|([^!]+))!\$?([A-Z]{1,3})\$?(\d+)$")


def column_index(letters: str) -> int:
    """A → 1, AA → 27."""
    index = 0
    for char in letters:
        index = index * 26 + (ord(char) - 64)
    return index


@dataclass
class WorkbookXml:
    """Facts from xl/workbook.xml and its relationships."""

    date1904: bool = False
    sheet_parts: dict[str, str] = field(default_factory=dict)  # sheet name -> zip path of its XML
    defined_names: dict[str, str] = field(default_factory=dict)  # name -> formula text ("'Sheet'!$B$3")

    def name_cell(self, name: str) -> tuple[str, int, int] | None:
        """(sheet, row, col) of a defined name that points at one cell."""
        text = self.defined_names.get(name)
        if not text:
            return None
        m = _REF.match(text.strip())
        if not m:
            return None
        sheet = (m[1] or "").replace("''", "'") or m[2]
        return sheet, int(m[4]), column_index(m[3])


def read_workbook_xml(path: str) -> WorkbookXml:
    """Parse the workbook part; an unreadable part gives an empty result (the reader reports the file)."""
    from defusedxml import ElementTree

    out = WorkbookXml()
    try:
        with zipfile.ZipFile(path) as archive:
            root = ElementTree.fromstring(archive.read("xl/workbook.xml"))
            rels_root = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (KeyError, zipfile.BadZipFile, OSError, ValueError):
        return out
    except Exception:  # defusedxml refuses entity tricks with its own exceptions; treat as unreadable
        return out
    targets = {}
    for rel in rels_root.iter(f"{{{NS_PKG_REL}}}Relationship"):
        target = rel.get("Target", "")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        targets[rel.get("Id")] = target
    pr = root.find(f"{{{NS_MAIN}}}workbookPr")
    if pr is not None and pr.get("date1904") in ("1", "true"):
        out.date1904 = True
    for sheet in root.iter(f"{{{NS_MAIN}}}sheet"):
        rid = sheet.get(f"{{{NS_REL}}}id")
        name = sheet.get("name")
        if name and rid in targets:
            out.sheet_parts[name] = targets[rid]
    for defined in root.iter(f"{{{NS_MAIN}}}definedName"):
        name = defined.get("name")
        if name and defined.get("localSheetId") is None and defined.text:
            out.defined_names[name] = defined.text
    return out
