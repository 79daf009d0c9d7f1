"""Active content of a workbook package: what can run code, reach outside the file or hide content, noted for the
SEC rules (``core/rules/sec.py``) while the package scan (``io/xlsx.py``) has the zip open.

The sheet scan already collected, at C speed, the formulas that name a function worth a look, the hyperlinks that
point at a relationship, the embedded objects and the controls of each sheet. Here the parts that carry the rest
are read — only when they exist, so a plain workbook costs a walk over its part names: the VBA project
(``io/vba.py``), Excel 4.0 macro sheets, external links (other workbooks, DDE, OLE links), XML maps, data
connections and query tables, Power Query mashups (custom XML), embedded objects, ActiveX controls, and the
hyperlinks of drawings. Nothing here runs, fetches or follows anything.
"""

from __future__ import annotations

import base64
import io
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Callable

from ..core.model import SecurityNote
from .xlsx import PackageScan, _parse, _unescape, member_bytes

MAX_PART = 4 << 20  # bytes of a small part read whole (relationships, links, connections, custom XML)
_REL = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)>")
_REL_ATTR = {name: re.compile(rb"\b" + name + rb'="([^"]*)"') for name in (b"Id", b"Type", b"Target", b"TargetMode")}
_ATTRS = re.compile(rb'\b([\w:]+)="([^"]*)"')


class _Package:
    """Reads of the open archive: part bytes (bounded) and relationships."""

    def __init__(self, archive: zipfile.ZipFile, data: bytes | None, names: set[str]) -> None:
        self.archive, self.data, self.names = archive, data, names
        self.lower = {n.lower(): n for n in names}

    def read(self, part: str, limit: int = MAX_PART) -> bytes:
        name = self.lower.get(part.lower())
        if name is None:
            return b""
        info = self.archive.getinfo(name)
        if info.file_size <= limit:
            return member_bytes(self.archive, name, self.data)
        with self.archive.open(name) as stream:
            return stream.read(limit)

    def rels(self, part: str) -> dict[str, tuple[str, str, bool]]:
        """Id -> (type's last word, target, external) of the relationships of ``part``; internal targets resolved
        to part names."""
        folder, base = posixpath.split(part)
        out: dict[str, tuple[str, str, bool]] = {}
        for m in _REL.finditer(self.read(posixpath.join(folder, "_rels", base + ".rels"))):
            attrs = {k: (r.search(m[1]) or [b"", b""])[1] for k, r in _REL_ATTR.items()}
            target = _unescape(attrs[b"Target"].decode("utf-8", "replace"))
            external = attrs[b"TargetMode"] == b"External"
            if not external:
                target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                    posixpath.join(folder, target))
                target = self.lower.get(target.lower(), target)
            out[attrs[b"Id"].decode("utf-8", "replace")] = (
                attrs[b"Type"].decode("utf-8", "replace").rsplit("/", 1)[-1], target, external)
        return out


def _attrs(text: bytes) -> dict[str, str]:
    return {k.decode("ascii", "replace").rsplit(":", 1)[-1]: _unescape(v.decode("utf-8", "replace"))
            for k, v in _ATTRS.findall(text)}


def package_notes(archive: zipfile.ZipFile, scan: PackageScan, names: set[str]) -> list[SecurityNote]:
    """Every piece of active content of the package ``archive`` (already checked by the guard), given the sheet
    scan's findings in ``scan``. A part that cannot be read is skipped (the reader reports broken packages)."""
    package = _Package(archive, scan.data, names)
    workbook = scan.workbook
    notes: list[SecurityNote] = []
    sheet_of = {part: sheet for sheet, part in workbook.sheet_parts.items()}
    for sheet, sheet_scan in scan.sheets.items():
        part = workbook.sheet_parts.get(sheet, "")
        notes += [SecurityNote("formula", part, sheet, row, col, target=text) for row, col, text in sheet_scan.active]
    notes += [SecurityNote("name-formula", "xl/workbook.xml", name=name, target=text)
              for name, text in workbook.active_names]
    for sheet, state in workbook.sheet_states.items():
        notes.append(SecurityNote("sheet-state", workbook.sheet_parts.get(sheet, ""), sheet, target=state))
    special = [n for n in names if n.startswith(_SPECIAL) or n.lower().endswith("vbaproject.bin")]
    if not special and not any(s.links or s.objects for s in scan.sheets.values()):
        return notes
    macro_parts = {n for n in names if n.lower().startswith(("xl/macrosheets/", "xl/intlmacrosheets/"))
                   and n.endswith(".xml") and "/_rels/" not in n}
    for part in sorted(macro_parts):
        sheet = sheet_of.get(part, "")
        autos = tuple(f"{name} → {ref}" for name, ref in workbook.auto_names)
        notes.append(SecurityNote("macro-sheet", part, sheet, target=workbook.sheet_states.get(sheet, "visible"),
                                  details=autos))
    signed = any(n.lower().endswith("vbaprojectsignature.bin") for n in names)
    for part in sorted(n for n in names if n.lower().endswith("vbaproject.bin")):
        notes += _guarded("vba", part, _vba_reader(package, part, signed))
    notes += _guarded("ole-object", "", lambda: _sheet_objects(package, scan, sheet_of))
    notes += _guarded("external-link", "xl/externalLinks", lambda: _external_links(package, names))
    notes += _guarded("connection", "xl/connections.xml", lambda: _connections(package, names, sheet_of))
    notes += _guarded("power-query", "customXml", lambda: _mashups(package, names))
    notes += _guarded("hyperlink", "xl/drawings", lambda: _drawing_links(package, names, scan, sheet_of))
    return notes


def _vba_reader(package: _Package, part: str, signed: bool) -> Callable[[], list[SecurityNote]]:
    def read() -> list[SecurityNote]:
        from .vba import vba_notes

        return vba_notes(part, package.read(part, 64 << 20), signed)

    return read


def _guarded(kind: str, part: str, read: Callable[[], list[SecurityNote]]) -> list[SecurityNote]:
    """``read()``, or — when a part it needs is broken — one note of ``kind`` saying it could not be read (the
    content is there; what it does is unknown)."""
    try:
        return read()
    except (KeyError, zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, zlib.error) as exc:
        return [SecurityNote(kind, part, details=("unreadable", f"{type(exc).__name__}: {exc}"))]


_SPECIAL = ("xl/macrosheets/", "xl/intlmacrosheets/", "xl/externalLinks/", "xl/connections.xml", "xl/queryTables/",
            "customXml/item", "xl/embeddings/", "xl/activeX/", "xl/drawings/_rels/", "xl/xmlMaps.xml")


def _sheet_objects(package: _Package, scan: PackageScan, sheet_of: dict[str, str]) -> list[SecurityNote]:
    """Hyperlinks to addresses, embedded and linked objects, ActiveX controls — each on its sheet; objects no sheet
    refers to are noted without one."""
    notes: list[SecurityNote] = []
    seen_parts: set[str] = set()
    for sheet, sheet_scan in scan.sheets.items():
        if not (sheet_scan.links or sheet_scan.objects):
            continue
        part = scan.workbook.sheet_parts.get(sheet, "")
        rels = package.rels(part)
        for row, col, rid in sheet_scan.links:
            kind, target, external = rels.get(rid, ("", "", False))
            if kind == "hyperlink" and external:
                notes.append(SecurityNote("hyperlink", part, sheet, row, col, name="cell", target=target))
        done: set[str] = set()
        for kind, rid, name, linked in sheet_scan.objects:
            if rid in done:
                continue  # an mc:AlternateContent choice and its fallback name the same object
            done.add(rid)
            _, target, external = rels.get(rid, ("", "", False))
            if kind == "ole":
                if external or linked:
                    notes.append(SecurityNote("ole-object", part, sheet, name=name, target=target if external
                                              else linked, details=("linked",)))
                elif target:
                    seen_parts.add(target)
                    notes.append(SecurityNote("ole-object", target, sheet, name=name,
                                              target=_packaged_file(package, target)))
            elif target.lower().startswith("xl/activex/"):
                seen_parts.add(target)
                notes.append(SecurityNote("activex", target, sheet, name=name, target=_activex_class(package, target)))
    for name in sorted(package.names):
        lowered = name.lower()
        if name in seen_parts or "/_rels/" in lowered:
            continue
        if lowered.startswith("xl/embeddings/"):
            notes.append(SecurityNote("ole-object", name, target=_packaged_file(package, name)))
        elif lowered.startswith("xl/activex/") and lowered.endswith(".xml"):
            notes.append(SecurityNote("activex", name, target=_activex_class(package, name)))
    return notes


_OLE_NATIVE = "\x01Ole10Native".encode("utf-16-le")


def _packaged_file(package: _Package, part: str) -> str:
    """The name of the file an OLE Packager object carries (what double-clicking it opens or runs), else ""."""
    data = package.read(part, 16 << 20)
    if not data.startswith(b"\xd0\xcf\x11\xe0") or _OLE_NATIVE not in data:
        return ""
    try:
        import olefile

        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            stream = ole.openstream("\x01Ole10Native").read(4096)
        # size (4), flags (2), label, original path, … each NUL-terminated
        fields = stream[6:].split(b"\x00", 2)
        label = fields[0].decode("latin-1") if fields else ""
        path = fields[1].decode("latin-1") if len(fields) > 1 else ""
        return label or path.rsplit("\\", 1)[-1]
    except Exception:  # olefile's errors for a broken container, or olefile missing: the name stays unknown
        return "?"


_CLASSID = re.compile(rb'classid="\{?([0-9A-Fa-f-]{36})\}?"')


def _activex_class(package: _Package, part: str) -> str:
    """``{CLSID}`` of an ActiveX control, with its name when oletools knows it."""
    m = _CLASSID.search(package.read(part, 1 << 16))
    if m is None:
        return ""
    clsid = m[1].decode("ascii").upper()
    try:
        from oletools.common.clsid import KNOWN_CLSIDS

        name = KNOWN_CLSIDS.get(clsid, "")
    except ImportError:
        name = ""
    return f"{{{clsid}}} {name}".strip()


_DDE_LINK = re.compile(rb"<(?:\w+:)?ddeLink\b([^>]*)>")
_DDE_ITEM = re.compile(rb"<(?:\w+:)?ddeItem\b([^>]*)>")
_OLE_LINK = re.compile(rb"<(?:\w+:)?oleLink\b([^>]*)>")
_SCHEMA_LOCATION = re.compile(rb'schemaLocation="([^"]*)"')
_SCHEMA_ID = re.compile(rb'<(?:\w+:)?Schema\b[^>]*?\bID="([^"]*)"')


def _external_links(package: _Package, names: set[str]) -> list[SecurityNote]:
    """Links to other workbooks, DDE links (a program Excel starts and asks for data), OLE links, XML map schemas."""
    notes: list[SecurityNote] = []
    for part in sorted(n for n in names if n.startswith("xl/externalLinks/") and n.endswith(".xml")
                       and "/_rels/" not in n):
        text = package.read(part)
        rels = package.rels(part)
        targets = [target for _, target, external in rels.values() if external]
        dde = _DDE_LINK.search(text)
        ole = _OLE_LINK.search(text)
        if dde is not None:
            attrs = _attrs(dde[1])
            items = tuple(_attrs(m[1]).get("name", "") for m in _DDE_ITEM.finditer(text))
            notes.append(SecurityNote("dde-link", part, name=attrs.get("ddeService", ""),
                                      target=attrs.get("ddeTopic", ""), details=items))
        elif ole is not None:
            attrs = _attrs(ole[1])
            notes.append(SecurityNote("ole-link", part, name=attrs.get("progId", ""),
                                      target=targets[0] if targets else ""))
        else:
            notes += [SecurityNote("external-link", part, target=target) for target in targets or [""]]
    if "xl/xmlMaps.xml" in names:
        maps = package.read("xl/xmlMaps.xml", 1 << 20)
        inside = set(_SCHEMA_ID.findall(maps))  # a location naming another schema of the same map stays inside
        for m in _SCHEMA_LOCATION.finditer(maps):
            if m[1] and m[1] not in inside:
                notes.append(SecurityNote("xml-map", "xl/xmlMaps.xml",
                                          target=_unescape(m[1].decode("utf-8", "replace"))))
    return notes


# connections.xml: a connection's type attribute (ECMA-376 18.13.1) and the child that names its source
_CONNECTION_TYPES = {"1": "database", "2": "database", "3": "database", "4": "web", "5": "database", "6": "text",
                     "7": "database", "8": "database"}
NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _connections(package: _Package, names: set[str], sheet_of: dict[str, str]) -> list[SecurityNote]:
    """One note per data connection (name; source: URL, connection string or file; details: its kind, whether it
    refreshes on open, whether it saves a password, the sheets its query tables fill)."""
    connections: list[dict[str, str]] = []
    if "xl/connections.xml" in names:
        current: dict[str, str] = {}

        def start(tag: str, attrs: dict[str, str]) -> None:
            local = tag.rsplit("}", 1)[-1]
            if local == "connection":
                current.clear()
                current.update(attrs)
                current["_source"] = attrs.get("sourceFile") or attrs.get("odcFile") or ""
                connections.append(current.copy())
            elif connections and local in ("dbPr", "olapPr"):
                connections[-1]["_source"] = attrs.get("connection", "") or connections[-1]["_source"]
                connections[-1]["_command"] = attrs.get("command", "")
            elif connections and local == "webPr":
                connections[-1]["_source"] = attrs.get("url", "") or connections[-1]["_source"]
            elif connections and local == "textPr":
                connections[-1]["_source"] = attrs.get("sourceFile", "") or connections[-1]["_source"]

        try:
            _parse(package.read("xl/connections.xml"), start)
        except Exception:  # broken XML: one note says the part is there
            connections.append({"name": "", "_source": ""})
    # the sheets each connection's query tables fill
    filled: dict[str, list[str]] = {}
    tables = sorted(n for n in names if n.startswith("xl/queryTables/") and n.endswith(".xml"))
    if tables:
        table_sheet: dict[str, str] = {}
        for part, sheet in sheet_of.items():
            for kind, target, _ in package.rels(part).values():
                if kind == "queryTable":
                    table_sheet[target] = sheet
        for part in tables:
            m = re.search(rb'connectionId="(\d+)"', package.read(part, 1 << 16))
            key = m[1].decode("ascii") if m else ""
            filled.setdefault(key, []).append(table_sheet.get(part, part))
    notes: list[SecurityNote] = []
    ids = set()
    for conn in connections:
        ids.add(conn.get("id", ""))
        source = conn.get("_source", "")
        kind = _CONNECTION_TYPES.get(conn.get("type", ""), "database")
        if "microsoft.mashup" in source.lower():
            kind = "mashup"
        flags = [kind]
        if conn.get("refreshOnLoad") in ("1", "true"):
            flags.append("refresh-on-open")
        if conn.get("savePassword") in ("1", "true"):
            flags.append("saves-password")
        filling = tuple(f"sheet:{s}" for s in filled.get(conn.get("id", ""), []))
        notes.append(SecurityNote("connection", "xl/connections.xml", name=conn.get("name", ""), target=source,
                                  details=(*flags, *filling)))
    for key, sheets in filled.items():  # query tables whose connection is not in connections.xml
        if key not in ids:
            notes.append(SecurityNote("connection", tables[0], name="", target="",
                                      details=("database", *(f"sheet:{s}" for s in sheets))))
    return notes


_MASHUP = re.compile(r"<(?:\w+:)?DataMashup\b[^>]*>\s*([A-Za-z0-9+/=\s]+?)\s*</(?:\w+:)?DataMashup>")
_M_SOURCE = re.compile(r'\b((?:Web|File|Folder|Sql|Odbc|OleDb|OData|SharePoint|Excel|Csv|Json|Xml|Access|Oracle|'
                       r'MySQL|PostgreSQL|AzureStorage|Exchange|ActiveDirectory|Salesforce|Hdfs|AnalysisServices|'
                       r'Pdf|Python|R)\.[A-Za-z]+)\s*\(\s*(?:"((?:[^"]|"")*)")?')
_M_ACCESS = re.compile(r"\.(?:Contents|Database|Databases|DataSource|Feed|Files|Query|Tables)$")
_M_QUERY = re.compile(r'\bshared\s+(#"(?:[^"]|"")+"|[A-Za-z_][\w.]*)\s*=')


def _mashups(package: _Package, names: set[str]) -> list[SecurityNote]:
    """Power Query: a ``DataMashup`` custom XML part holds, base64-encoded, a zip whose ``Formulas/Section1.m`` is
    the queries' M code. Noted: the queries' names and each source function with its first argument."""
    notes: list[SecurityNote] = []
    for part in sorted(n for n in names if n.startswith("customXml/item") and n.endswith(".xml")
                       and "props" not in n.lower()):
        raw = package.read(part, 32 << 20)
        text = _decode(raw)
        if "DataMashup" not in text[:4096]:
            continue
        queries: list[str] = []
        sources: list[str] = []
        m = _MASHUP.search(text)
        code = _mashup_code(m[1]) if m else ""
        for q in _M_QUERY.finditer(code):
            queries.append(q[1].strip('#"'))
        for s in _M_SOURCE.finditer(code):
            if s[2] is None and not _M_ACCESS.search(s[1]):
                continue  # a parser of content (Csv.Document, Excel.Workbook): its source is named elsewhere
            source = f"{s[1]} {s[2]}".strip() if s[2] else s[1]
            if source not in sources:
                sources.append(source)
        notes.append(SecurityNote("power-query", part, target="\n".join(queries), details=tuple(sources)))
    return notes


def _decode(raw: bytes) -> str:
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw.decode("utf-16", "replace")
    if raw[:2] in (b"<\x00",):
        return raw.decode("utf-16-le", "replace")
    return raw.decode("utf-8", "replace")


def _mashup_code(encoded: str) -> str:
    """The M code of a DataMashup's package part (MS-QDEFF: version, package size, then the zip), "" when it cannot
    be read."""
    try:
        blob = base64.b64decode("".join(encoded.split()), validate=False)
        size = struct.unpack_from("<I", blob, 4)[0]
        with zipfile.ZipFile(io.BytesIO(blob[8:8 + size])) as inner:
            for info in inner.infolist():
                if info.filename.lower().endswith(".m") and info.file_size <= MAX_PART:
                    return inner.read(info).decode("utf-8-sig", "replace")
    except (ValueError, struct.error, zipfile.BadZipFile, OSError, EOFError, NotImplementedError):
        return ""
    return ""


def _drawing_links(package: _Package, names: set[str], scan: PackageScan,
                   sheet_of: dict[str, str]) -> list[SecurityNote]:
    """Hyperlinks of shapes and pictures (a drawing's relationships of type hyperlink), on the sheet showing it."""
    found: list[tuple[str, str]] = []
    for rels_part in sorted(n for n in names if n.startswith("xl/drawings/_rels/") and n.endswith(".rels")):
        drawing = "xl/drawings/" + rels_part.rsplit("/", 1)[-1][:-len(".rels")]
        found += [(drawing, target) for kind, target, external in package.rels(drawing).values()
                  if kind == "hyperlink" and external]
    if not found:
        return []
    drawing_sheet: dict[str, str] = {}
    for part, sheet in sheet_of.items():
        for kind, target, _ in package.rels(part).values():
            if kind in ("drawing", "vmlDrawing"):
                drawing_sheet[target] = sheet
    return [SecurityNote("hyperlink", drawing, drawing_sheet.get(drawing, ""), name="shape", target=target)
            for drawing, target in found]

