"""Pre-flight: what saving a workbook through openpyxl would lose, found by reading its zip parts (nothing is
loaded into openpyxl).

openpyxl rewrites a workbook from what it understood; everything else is silently dropped (DESIGN.md). Three
levels are checked:

1. **Parts** by content type. A part openpyxl does not read back is lost: VBA, custom XML, XML maps, connections and
   query tables, slicers and timelines, threaded comments and their persons, dynamic-array metadata, in-cell
   images (rich data), ActiveX and form controls, embedded objects, Excel 4 macro sheets, chart styles and colours,
   sensitivity labels, web extensions, the data model, ribbon customisations — and any part of a type not known to
   be kept.
2. **Inside the sheets** of the user (generated sheets are rebuilt, so theirs do not count): Excel 2010+ extensions
   (sparklines, conditional formatting and data validation extensions, slicer and timeline lists, …), header and
   footer pictures, sheet background pictures, controls, embedded objects.
3. **Drawings** of the user's sheets: shapes and text boxes, connectors, groups, SmartArt, charts (openpyxl rebuilds
   charts and drops their style parts and extensions), pictures (kept only when Pillow is installed and Pillow can
   read the format — not EMF/WMF), and legacy VML drawings holding anything else than comment boxes.

Harmless drops are reported as notes, not losses: the calculation chain (rebuilt by Excel), printer driver
settings (the page setup itself is kept), the document thumbnail and the Excel 2010 look of data bars that mirror Excel
2007 rules (the bars stay). Cached formula values are not lost: ``update``
writes them back (``io.cached``).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass

from ..core.sheets.model import MARKER_NAME
from ..core.text import t

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
NS_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
NS_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
NS_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
CHART_URI = "http://schemas.openxmlformats.org/drawingml/2006/chart"

# Content types (the part after the last "/") that openpyxl reads and writes back.
KEPT = {
    "vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
    "vnd.openxmlformats-officedocument.spreadsheetml.template.main+xml",
    "vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
    "vnd.openxmlformats-officedocument.spreadsheetml.chartsheet+xml",
    "vnd.openxmlformats-officedocument.spreadsheetml.styles+xml",
    "vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml",
    "vnd.openxmlformats-officedocument.theme+xml",
    "vnd.openxmlformats-officedocument.spreadsheetml.table+xml",
    "vnd.openxmlformats-officedocument.spreadsheetml.comments+xml",
    "vnd.openxmlformats-officedocument.spreadsheetml.pivotTable+xml",
    "vnd.openxmlformats-officedocument.spreadsheetml.pivotCacheDefinition+xml",
    "vnd.openxmlformats-officedocument.spreadsheetml.pivotCacheRecords+xml",
    "vnd.openxmlformats-officedocument.spreadsheetml.externalLink+xml",
    "vnd.openxmlformats-package.core-properties+xml",
    "vnd.openxmlformats-officedocument.extended-properties+xml",
    "vnd.openxmlformats-officedocument.custom-properties+xml",
    "vnd.openxmlformats-package.relationships+xml",
    "vnd.openxmlformats-officedocument.drawing+xml",  # checked inside
    "vnd.openxmlformats-officedocument.drawingml.chart+xml",  # checked with its drawing
    "vnd.openxmlformats-officedocument.vmlDrawing",  # checked inside
}
# Dropped, but nothing of value is lost.
HARMLESS = {
    "vnd.openxmlformats-officedocument.spreadsheetml.calcChain+xml": "calc-chain",
    "vnd.openxmlformats-officedocument.spreadsheetml.printerSettings": "printer-settings",
}
# Dropped, with what it means (kind of loss).
LOST_TYPES = {
    "vnd.ms-office.vbaProject": "vba",
    "vnd.ms-office.vbaProjectSignature": "vba",
    "vnd.ms-office.vbaProjectSignatureAgile": "vba",
    "vnd.ms-excel.sheet.macroEnabled.main+xml": "vba",
    "vnd.ms-excel.template.macroEnabled.main+xml": "vba",
    "vnd.ms-excel.addin.macroEnabled.main+xml": "vba",
    "vnd.openxmlformats-officedocument.customXmlProperties+xml": "custom-xml",
    "vnd.openxmlformats-officedocument.spreadsheetml.tableSingleCells+xml": "xml-maps",
    "vnd.openxmlformats-officedocument.spreadsheetml.connections+xml": "connections",
    "vnd.openxmlformats-officedocument.spreadsheetml.queryTable+xml": "connections",
    "vnd.ms-excel.slicer+xml": "slicers",
    "vnd.ms-excel.slicerCache+xml": "slicers",
    "vnd.ms-excel.timeline+xml": "slicers",
    "vnd.ms-excel.timelineCache+xml": "slicers",
    "vnd.ms-excel.threadedcomments+xml": "threaded-comments",
    "vnd.ms-excel.person+xml": "threaded-comments",
    "vnd.openxmlformats-officedocument.spreadsheetml.sheetMetadata+xml": "dynamic-arrays",
    "vnd.ms-excel.rdrichvalue+xml": "cell-images",
    "vnd.ms-excel.rdrichvaluestructure+xml": "cell-images",
    "vnd.ms-excel.rdrichvaluetypes+xml": "cell-images",
    "vnd.ms-excel.rdarray+xml": "cell-images",
    "vnd.ms-excel.rdsupportingpropertybag+xml": "cell-images",
    "vnd.ms-excel.rdsupportingpropertybagstructure+xml": "cell-images",
    "vnd.ms-excel.richvaluerel+xml": "cell-images",
    "vnd.ms-office.activeX+xml": "controls",
    "vnd.ms-office.activeX": "controls",
    "vnd.ms-excel.controlproperties+xml": "controls",
    "vnd.openxmlformats-officedocument.oleObject": "embedded-objects",
    "vnd.openxmlformats-officedocument.spreadsheetml.sheet": "embedded-objects",
    "vnd.openxmlformats-officedocument.presentationml.presentation": "embedded-objects",
    "vnd.openxmlformats-officedocument.wordprocessingml.document": "embedded-objects",
    "msword": "embedded-objects",
    "vnd.ms-excel.macrosheet+xml": "macro-sheets",
    "vnd.ms-excel.intlmacrosheet+xml": "macro-sheets",
    "vnd.openxmlformats-officedocument.spreadsheetml.dialogsheet+xml": "macro-sheets",
    "vnd.ms-office.chartstyle+xml": "chart-styles",
    "vnd.ms-office.chartcolorstyle+xml": "chart-styles",
    "vnd.openxmlformats-officedocument.drawingml.chartshapes+xml": "chart-styles",
    "vnd.openxmlformats-officedocument.spreadsheetml.customProperty": "sheet-properties",
    "vnd.ms-office.classificationlabels+xml": "sensitivity-labels",
    "vnd.ms-office.webextension+xml": "web-extensions",
    "vnd.ms-office.webextensiontaskpanes+xml": "web-extensions",
    "vnd.openxmlformats-officedocument.model+data": "data-model",
    "vnd.ms-excel.pivotTable+xml": "slicers",
    "vnd.openxmlformats-officedocument.spreadsheetml.revisionHeaders+xml": "revisions",
    "vnd.openxmlformats-officedocument.spreadsheetml.revisionLog+xml": "revisions",
    "vnd.openxmlformats-officedocument.spreadsheetml.userNames+xml": "revisions",
    "vnd.openxmlformats-officedocument.spreadsheetml.volatileDependencies+xml": "connections",
    "x-emf": "images",
    "x-wmf": "images",
}
IMAGE_TYPES = {"png", "jpeg", "jpg", "gif", "bmp", "tiff", "x-png", "pjpeg"}
THUMBNAIL = re.compile(r"^docProps/thumbnail\.\w+$")
TRASH = re.compile(r"^\[trash\]/")
XML_MAPS = "xl/xmlMaps.xml"
CUSTOM_UI = re.compile(r"^customUI/")

# Excel 2010+ worksheet extensions (extLst) by URI; any other URI is reported as an unknown extension.
SHEET_EXTENSIONS = {
    "{78C0D931-6437-407d-A8EE-F0AAD7539E65}": "conditional-format-extensions",
    "{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}": "validation-extensions",
    "{05C60535-1F16-4fd2-B633-F4F36F0B64E0}": "sparklines",
    "{A8765BA9-456A-4dab-B4F3-ACF838C121DE}": "slicers",
    "{3A4CF648-6AED-40f4-86FF-DC5316D8AED3}": "slicers",
    "{7E03D99C-DC04-49d9-9315-930204A7B6E9}": "slicers",  # timelines
    "{FC87AEE6-9EDD-4A0A-B7FB-166176984837}": "protected-ranges",
    "{01252117-D84E-4E92-8308-4BE1C098FCBB}": "ignored-errors",
    "{F7C9EE02-42E1-4005-9D12-6889AFFD525C}": "web-extensions",
    "{3E2802C4-A4D2-4D8B-9148-E3BE6C30E623}": "sheet-extension",
}
# Extensions whose loss changes nothing a user sees in the sheet: the Mac page-layout-view setting.
HARMLESS_EXTENSIONS = {"{64002731-A6B0-56B0-2670-7721B7C09600}": "mac-layout",
                       "HTTP://SCHEMAS.MICROSOFT.COM/OFFICE/MAC/EXCEL/2008/MAIN": "mac-layout"}

# (zh, en) per kind of loss
MESSAGES: dict[str, tuple[str, str]] = {
    "vba": ("宏（VBA）或启用宏的工作簿", "macros (VBA) or a macro-enabled workbook"),
    "custom-xml": ("自定义 XML 部件", "custom XML parts"),
    "xml-maps": ("XML 映射", "XML maps"),
    "connections": ("数据连接或查询表", "data connections or query tables"),
    "slicers": ("切片器或日程表", "slicers or timelines"),
    "threaded-comments": ("线程批注（新式批注）", "threaded comments"),
    "dynamic-arrays": ("动态数组公式的元数据", "dynamic-array formula metadata"),
    "cell-images": ("单元格内图片", "pictures in cells"),
    "controls": ("ActiveX 或表单控件", "ActiveX or form controls"),
    "embedded-objects": ("嵌入的对象（OLE）", "embedded objects (OLE)"),
    "macro-sheets": ("Excel 4 宏表或对话框表", "Excel 4 macro or dialog sheets"),
    "chart-styles": ("图表样式与配色", "chart styles and colours"),
    "sheet-properties": ("工作表自定义属性", "custom sheet properties"),
    "sensitivity-labels": ("敏感度标签", "sensitivity labels"),
    "web-extensions": ("Office 加载项（Web 扩展）", "Office add-ins (web extensions)"),
    "data-model": ("数据模型（Power Pivot）", "the data model (Power Pivot)"),
    "revisions": ("共享工作簿的修订记录", "shared-workbook revisions"),
    "ribbon": ("自定义功能区", "ribbon customisations"),
    "conditional-format-extensions": ("Excel 2010 条件格式扩展（数据条、图标集等）",
                                      "Excel 2010 conditional-formatting extensions (data bars, icon sets …)"),
    "validation-extensions": ("Excel 2010 数据验证扩展（引用其他工作表的下拉列表）",
                              "Excel 2010 data-validation extensions (lists from other sheets)"),
    "sparklines": ("迷你图", "sparklines"),
    "protected-ranges": ("受保护区域的扩展设置", "protected-range extensions"),
    "ignored-errors": ("忽略错误的扩展设置", "ignored-error extensions"),
    "data-bar-look": ("数据条的 Excel 2010 外观（数据条保留，按 Excel 2007 样式显示）",
                      "the Excel 2010 look of data bars (the bars stay, drawn the Excel 2007 way)"),
    "sheet-extension": ("工作表扩展", "a worksheet extension"),
    "unknown-extension": ("未知的 Excel 扩展", "an unknown Excel extension"),
    "shapes": ("形状、文本框或连接线", "shapes, text boxes or connectors"),
    "smartart": ("SmartArt 或其他图形对象", "SmartArt or other graphic objects"),
    "charts": ("图表（openpyxl 会重建图表并丢失样式）", "charts (openpyxl rebuilds them and drops their styles)"),
    "images": ("图片", "pictures"),
    "header-images": ("页眉页脚中的图片", "pictures in headers or footers"),
    "background": ("工作表背景图片", "sheet background pictures"),
    "legacy-shapes": ("旧式图形或表单控件（VML）", "legacy shapes or form controls (VML)"),
    "unknown-part": ("openpyxl 不会保留的部件", "a part openpyxl does not keep"),
    "unreadable": ("无法检查的部件", "a part that could not be inspected"),
    "calc-chain": ("计算链（Excel 会重建）", "the calculation chain (Excel rebuilds it)"),
    "printer-settings": ("打印机驱动设置（页面设置保留）", "printer driver settings (the page setup is kept)"),
    "thumbnail": ("文档缩略图", "the document thumbnail"),
    "trash": ("Excel 留下的废弃部件", "discarded parts Excel left behind"),
    "mac-layout": ("Mac 版 Excel 的页面布局视图设置", "the page-layout-view setting of Excel for Mac"),
}


@dataclass(frozen=True, slots=True)
class Loss:
    """Something an openpyxl round trip would drop. ``blocking`` False: a harmless drop, reported as a note."""

    kind: str
    part: str
    sheet: str | None = None
    blocking: bool = True
    detail: str = ""

    def label(self, lang: str) -> str:
        """What is lost, without where."""
        return t(lang, *MESSAGES.get(self.kind, MESSAGES["unknown-part"]))

    def message(self, lang: str) -> str:
        where = f" [{self.sheet}]" if self.sheet else ""
        text = self.label(lang)
        extra = f" ({self.detail})" if self.detail else ""
        return f"{text}{where}: {self.part}{extra}"


def _content_types(archive: zipfile.ZipFile) -> tuple[dict[str, str], dict[str, str]]:
    from defusedxml import ElementTree

    root = ElementTree.fromstring(archive.read("[Content_Types].xml"))
    defaults = {e.get("Extension", "").lower(): e.get("ContentType", "") for e in root.iter(f"{{{NS_CT}}}Default")}
    overrides = {e.get("PartName", "").lstrip("/"): e.get("ContentType", "")
                 for e in root.iter(f"{{{NS_CT}}}Override")}
    return defaults, overrides


def _rels(archive: zipfile.ZipFile, names: dict[str, str], part: str) -> list[tuple[str, str, str]]:
    """(type, target part, mode) of the relationships of ``part``. Part names compare case-insensitively, as
    Excel compares them; ``names`` maps lower-case names to the names in the zip."""
    from defusedxml import ElementTree

    folder, base = posixpath.split(part)
    rels_name = names.get(posixpath.join(folder, "_rels", base + ".rels").lower())
    if rels_name is None:
        return []
    root = ElementTree.fromstring(archive.read(rels_name))
    out = []
    for rel in root.iter(f"{{{NS_PKG_REL}}}Relationship"):
        target = rel.get("Target", "")
        mode = rel.get("TargetMode", "")
        if mode != "External":
            target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join(folder, target))
            target = names.get(target.lower(), target)
        out.append((rel.get("Type", "").rsplit("/", 1)[-1], target, mode))
    return out


def _pillow() -> bool:
    try:
        import PIL  # noqa: F401
    except ImportError:
        return False
    return True


class _Inspector:
    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.archive = archive
        self.names = {n for n in archive.namelist() if not n.endswith("/")}
        self.lower = {n.lower(): n for n in sorted(self.names, reverse=True)}
        self.defaults, self.overrides = _content_types(archive)
        self.overrides_lower = {k.lower(): v for k, v in self.overrides.items()}
        self.losses: list[Loss] = []
        self.pillow = _pillow()

    def content_type(self, part: str) -> str:
        full = (self.overrides.get(part) or self.overrides_lower.get(part.lower())
                or self.defaults.get(part.rsplit(".", 1)[-1].lower(), ""))
        return full.rsplit("/", 1)[-1] if "/" in full else full

    def add(self, kind: str, part: str, sheet: str | None = None, blocking: bool = True, detail: str = "") -> None:
        loss = Loss(kind, part, sheet, blocking, detail)
        if loss not in self.losses:
            self.losses.append(loss)

    def owned(self, part: str, seen: set[str] | None = None) -> set[str]:
        """``part`` and every part reachable from it through relationships."""
        seen = set() if seen is None else seen
        if part in seen or part not in self.names:
            return seen
        seen.add(part)
        folder, base = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", base + ".rels")
        seen.add(self.lower.get(rels_name.lower(), rels_name))
        for _, target, mode in _rels(self.archive, self.lower, part):
            if mode != "External":
                self.owned(target, seen)
        return seen


def _workbook(inspector: _Inspector) -> tuple[str, list[tuple[str, str]], set[int]]:
    """(workbook part, [(sheet name, part)], indexes of generated sheets)."""
    from defusedxml import ElementTree

    archive, names = inspector.archive, inspector.names
    main = "xl/workbook.xml"
    for rel_type, target, _ in _rels(archive, inspector.lower, ""):
        if rel_type == "officeDocument":
            main = target
    root = ElementTree.fromstring(archive.read(main))
    targets = {}
    folder, base = posixpath.split(main)
    rels_name = inspector.lower.get(posixpath.join(folder, "_rels", base + ".rels").lower(), "")
    if rels_name in names:
        rels_root = ElementTree.fromstring(archive.read(rels_name))
        for rel in rels_root.iter(f"{{{NS_PKG_REL}}}Relationship"):
            target = rel.get("Target", "")
            target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join(folder, target))
            targets[rel.get("Id")] = inspector.lower.get(target.lower(), target)
    sheets = [(s.get("name", ""), targets.get(s.get(f"{{{NS_REL}}}id"), ""))
              for s in root.iter(f"{{{NS_MAIN}}}sheet")]
    generated = set()
    for defined in root.iter(f"{{{NS_MAIN}}}definedName"):
        local = defined.get("localSheetId")
        if defined.get("name") == MARKER_NAME and local is not None and local.isdigit():
            generated.add(int(local))
    for ext in root.iter(f"{{{NS_MAIN}}}ext"):
        uri = ext.get("uri", "")
        if uri in ("{BBE1A952-AA13-448e-AADC-164F8A28A991}", "{46BE6895-7355-4a93-B00E-2C351335B9C9}"):
            inspector.add("slicers", main)
        elif uri == "{FCE2AD5D-F65C-4FA6-A056-5C36A1767C68}":
            inspector.add("data-model", main)
    return main, sheets, generated


_EXT = re.compile(rb'<(?:\w+:)?ext\b[^>]*\buri="([^"]+)"')


def _sheet_xml(inspector: _Inspector, part: str, sheet: str) -> None:
    data = inspector.archive.read(part)
    ext_at = data.rfind(b"<extLst")
    if ext_at < 0:
        ext_at = data.rfind(b":extLst")
    if ext_at >= 0:
        for uri in _EXT.findall(data[ext_at:]):
            text = uri.decode("ascii", "replace")
            if text.upper() in HARMLESS_EXTENSIONS:
                inspector.add(HARMLESS_EXTENSIONS[text.upper()], part, sheet, blocking=False)
                continue
            kind = next((v for k, v in SHEET_EXTENSIONS.items() if k.upper() == text.upper()), None)
            if kind == "conditional-format-extensions" and _data_bar_mirrors(data):
                inspector.add("data-bar-look", part, sheet, blocking=False)
                continue
            inspector.add(kind or "unknown-extension", part, sheet, detail="" if kind else text)
    if b"legacyDrawingHF" in data:
        inspector.add("header-images", part, sheet)
    if re.search(rb"<(?:\w+:)?picture\b", data):
        inspector.add("background", part, sheet)
    if re.search(rb"<(?:\w+:)?controls\b", data):
        inspector.add("controls", part, sheet)
    if re.search(rb"<(?:\w+:)?oleObjects\b", data):
        inspector.add("embedded-objects", part, sheet)


_X14_RULE = re.compile(rb'<x14:cfRule\b([^>]*)>')
_X14_ID = re.compile(rb'<x14:id>([^<]*)</x14:id>')


def _data_bar_mirrors(data: bytes) -> bool:
    """True when the sheet's Excel 2010 conditional-format extension holds only data bars that mirror data bars of
    its Excel 2007 rules (Excel and LibreOffice save every data bar twice: the 2007 rule, which openpyxl keeps, and
    its 2010 look). Losing the mirror changes only the look (gradient, border, negative axis): the bars stay."""
    rules = _X14_RULE.findall(data)
    if not rules:
        return False
    mirrored = set(_X14_ID.findall(data))
    for attrs in rules:
        kind = re.search(rb'type="([^"]*)"', attrs)
        rule_id = re.search(rb'id="([^"]*)"', attrs)
        if kind is None or kind[1] != b"dataBar" or rule_id is None or rule_id[1] not in mirrored:
            return False
    return True


def _drawing(inspector: _Inspector, part: str, sheet: str) -> None:
    from defusedxml import ElementTree

    root = ElementTree.fromstring(inspector.archive.read(part))
    anchors = [a for a in root if a.tag.rsplit("}", 1)[-1] in ("twoCellAnchor", "oneCellAnchor", "absoluteAnchor")]
    for anchor in anchors:
        for child in anchor:
            tag = child.tag.rsplit("}", 1)[-1]
            if child.tag.startswith(f"{{{NS_MC}}}"):
                inspector.add("shapes", part, sheet, detail="AlternateContent")
            elif tag in ("sp", "cxnSp", "grpSp"):
                inspector.add("shapes", part, sheet)
            elif tag == "graphicFrame":
                data = child.find(f".//{{{NS_A}}}graphicData")
                uri = data.get("uri", "") if data is not None else ""
                inspector.add("charts" if uri == CHART_URI else "smartart", part, sheet)
            elif tag == "pic":
                if not inspector.pillow:
                    inspector.add("images", part, sheet, detail="Pillow is not installed")
    for rel_type, target, mode in _rels(inspector.archive, inspector.lower, part):
        if rel_type == "image" and mode != "External":
            image_type = inspector.content_type(target).lower()
            if image_type.split("+")[0] not in IMAGE_TYPES:
                inspector.add("images", target, sheet, detail=image_type or target.rsplit(".", 1)[-1])
        elif rel_type == "image" and mode == "External":
            inspector.add("images", target, sheet, detail="linked")


def _vml(inspector: _Inspector, part: str, sheet: str) -> None:
    data = inspector.archive.read(part)
    kinds = set(re.findall(rb'ObjectType="(\w+)"', data))
    shapes = len(re.findall(rb"<v:shape\b", data))
    notes = len(re.findall(rb'ObjectType="Note"', data))
    if kinds - {b"Note"} or shapes > notes or b"<v:rect" in data or b"<v:oval" in data or b"<v:line" in data:
        inspector.add("legacy-shapes", part, sheet)


def preflight(path: str) -> list[Loss]:
    """Everything an openpyxl round trip of ``path`` would drop, blocking losses first. Call it only on a file
    the guard (``io.guard.inspect``) accepted."""
    try:
        with zipfile.ZipFile(path) as archive:
            return _preflight(archive)
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        return [Loss("unreadable", path, detail=str(exc))]
    except Exception as exc:  # defusedxml refusals and broken XML: we cannot vouch for the file
        return [Loss("unreadable", path, detail=f"{type(exc).__name__}: {exc}")]


def _preflight(archive: zipfile.ZipFile) -> list[Loss]:
    inspector = _Inspector(archive)
    main, sheets, generated = _workbook(inspector)
    generated_parts: set[str] = set()
    user_parts: dict[str, str] = {}  # part -> sheet name, for everything reachable from a user's sheet
    for index, (name, part) in enumerate(sheets):
        reachable = inspector.owned(part)
        if index in generated:
            generated_parts |= reachable
        else:
            for owned in reachable:
                user_parts.setdefault(owned, name)
    generated_parts -= set(user_parts)
    for part in sorted(inspector.names):
        if part in generated_parts or part == "[Content_Types].xml":
            continue
        sheet = user_parts.get(part)
        ctype = inspector.content_type(part)
        if part == main and ctype != "vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml":
            inspector.add(LOST_TYPES.get(ctype, "unknown-part"), part, detail=ctype)
            continue
        if ctype in HARMLESS:
            inspector.add(HARMLESS[ctype], part, blocking=False)
        elif THUMBNAIL.match(part):
            inspector.add("thumbnail", part, blocking=False)
        elif TRASH.match(part):
            inspector.add("trash", part, blocking=False)
        elif part.lower() == XML_MAPS.lower():
            inspector.add("xml-maps", part)
        elif CUSTOM_UI.match(part):
            inspector.add("ribbon", part)
        elif ctype in LOST_TYPES:
            inspector.add(LOST_TYPES[ctype], part, sheet)
        elif part.startswith("customXml/"):
            inspector.add("custom-xml", part)
        elif ctype == "vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml" and sheet:
            _sheet_xml(inspector, part, sheet)
        elif ctype == "vnd.openxmlformats-officedocument.drawing+xml" and sheet:
            _drawing(inspector, part, sheet)
        elif ctype == "vnd.openxmlformats-officedocument.vmlDrawing" and sheet:
            _vml(inspector, part, sheet)
        elif ctype in KEPT or ctype.lower().split("+")[0] in IMAGE_TYPES:
            continue
        else:
            inspector.add("unknown-part", part, sheet, detail=ctype or "no content type")
    return sorted(inspector.losses, key=lambda loss: (not loss.blocking, loss.kind, loss.part))


def blocking(losses: list[Loss]) -> list[Loss]:
    return [loss for loss in losses if loss.blocking]
