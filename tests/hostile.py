"""Hostile and odd inputs, made in code: one small builder per kind of file the checker and the update must
survive, so that the tests run anywhere (the real-world corpus adds real files when a path to it is given, see
``conftest.corpus``).

Every builder writes one file at the path it is given and returns that path. Nothing here copies a file from
anywhere: the workbooks start from the project's own template writer (``campaign``), and the formats nobody here
writes (legacy ``.xls``, ``.ods``, encrypted OOXML, …) are assembled from their published layouts:

- legacy ``.xls``: a compound file ([MS-CFB]) holding a BIFF8 ``Workbook`` stream ([MS-XLS]) that python-calamine
  and LibreOffice read; the password-protected variant has a FILEPASS record with RC4 encryption ([MS-OFFCRYPTO]
  2.3.6) and its records really are encrypted (msoffcrypto-tool decrypts it with the password);
- encrypted OOXML: the workbook encrypted by msoffcrypto-tool (agile encryption, as Excel writes it);
- ``.ods``: the smallest OpenDocument package LibreOffice and calamine open;
- the parts an openpyxl round trip would drop (VBA, text boxes, charts, extensions, …): added to a template
  workbook with the content types, relationships and sheet elements Excel writes for them, each reduced to its
  essentials.
"""

from __future__ import annotations

import hashlib
import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

Builder = Callable[[Path], Path]

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
REL = NS_R + "/"
MS_REL = "http://schemas.microsoft.com/office/"
CT = "application/vnd.openxmlformats-officedocument."
PASSWORD = "secret"

# --- the base: a campaign workbook from the project's own template writer ------------------------------------------


@cache
def _campaign_bytes(lang: str) -> bytes:
    from xl_campaign.core.content import example
    from xl_campaign.io.template import build_workbook

    buffer = io.BytesIO()
    build_workbook(example(lang)).save(buffer)
    return buffer.getvalue()


def campaign(path: Path, lang: str = "en") -> Path:
    """The example campaign as the template writer saves it: the ordinary workbook every kind below starts from."""
    path.write_bytes(_campaign_bytes(lang))
    return path


def read_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def write_parts(path: Path, parts: dict[str, bytes]) -> Path:
    """A package of ``parts`` (``[Content_Types].xml`` first, as Office writes it)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(parts, key=lambda n: n != "[Content_Types].xml"):
            archive.writestr(name, parts[name])
    return path


def _rels_name(part: str) -> str:
    folder, _, base = part.rpartition("/")
    return f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"


def relationship_targets(rels_name: str, data: bytes) -> list[tuple[str, str]]:
    """(target part name or URL, target mode) of each relationship in the part ``rels_name``."""
    import posixpath

    from defusedxml import ElementTree

    owner_folder = posixpath.dirname(posixpath.dirname(rels_name))
    out = []
    for rel in ElementTree.fromstring(data):
        target, mode = rel.get("Target", ""), rel.get("TargetMode", "")
        if mode != "External":
            target = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(owner_folder,
                                                                                                 target))
        out.append((target, mode))
    return out


class Package:
    """A workbook package opened for editing part by part: add parts with their content types and relationships,
    insert elements into a worksheet in the order the schema wants them."""

    # CT_Worksheet's child elements, in schema order.
    SHEET_ORDER = ["sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetCalcPr",
                   "sheetProtection", "protectedRanges", "scenarios", "autoFilter", "sortState", "dataConsolidate",
                   "customSheetViews", "mergeCells", "phoneticPr", "conditionalFormatting", "dataValidations",
                   "hyperlinks", "printOptions", "pageMargins", "pageSetup", "headerFooter", "rowBreaks",
                   "colBreaks", "customProperties", "cellWatches", "ignoredErrors", "smartTags", "drawing",
                   "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls",
                   "webPublishItems", "tableParts", "extLst"]

    def __init__(self, path: Path) -> None:
        self.path = path
        self.parts = read_parts(path)
        self._next_id = 0

    def save(self) -> Path:
        return write_parts(self.path, self.parts)

    def add(self, name: str, data: bytes, content_type: str | None = None) -> None:
        """A new part; ``content_type`` becomes its Override (None: the extension's Default applies)."""
        self.parts[name] = data
        if content_type is not None:
            types = self.parts["[Content_Types].xml"].decode()
            override = f'<Override PartName="/{name}" ContentType="{content_type}"/>'
            self.parts["[Content_Types].xml"] = types.replace("</Types>", override + "</Types>").encode()

    def set_content_type(self, name: str, content_type: str) -> None:
        types = self.parts["[Content_Types].xml"].decode()
        types, count = re.subn(rf'(PartName="/{re.escape(name)}"\s+ContentType=")[^"]*"', rf'\g<1>{content_type}"',
                               types)
        assert count == 1, name
        self.parts["[Content_Types].xml"] = types.encode()

    def relate(self, owner: str, rel_type: str, target: str, external: bool = False) -> str:
        """A relationship from ``owner`` ("" for the package) to the part ``target`` (``external``: to the address
        ``target`` outside the package); returns its id."""
        self._next_id += 1
        rid = f"rIdHostile{self._next_id}"
        rels_name = _rels_name(owner) if owner else "_rels/.rels"
        rels = self.parts.get(rels_name, b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                                         b'relationships"></Relationships>').decode()
        # an absolute part name as the target, as openpyxl writes them
        to = f'Target="{escape(target, {chr(34): "&quot;"})}" TargetMode="External"' if external else f'Target="/{target}"'
        rels = rels.replace("</Relationships>", f'<Relationship Id="{rid}" Type="{rel_type}" {to}/></Relationships>')
        self.parts[rels_name] = rels.encode()
        return rid

    def sheet_insert(self, sheet: str, element: str) -> None:
        """Insert ``element`` (one child of ``<worksheet>``) into the worksheet part ``sheet`` at its schema place;
        an ``<ext>`` goes into the sheet's ``<extLst>`` (made when missing)."""
        xml = self.parts[sheet].decode()
        if element.startswith("<ext "):
            if "<extLst>" in xml:
                xml = xml.replace("</extLst>", element + "</extLst>")
                self.parts[sheet] = xml.encode()
                return
            element = f"<extLst>{element}</extLst>"
        name = re.match(r"<(\w+)", element)[1]  # type: ignore[index]
        later = self.SHEET_ORDER[self.SHEET_ORDER.index(name) + 1:]
        at = min((m.start() for tag in later for m in [re.search(rf"<{tag}\b", xml)] if m), default=None)
        if at is None:
            at = xml.rindex("</worksheet>")
        self.parts[sheet] = (xml[:at] + element + xml[at:]).encode()

    def workbook_insert(self, element: str, before: str) -> None:
        xml = self.parts["xl/workbook.xml"].decode()
        at = xml.index(f"<{before}")
        self.parts["xl/workbook.xml"] = (xml[:at] + element + xml[at:]).encode()


FIRST_SHEET = "xl/worksheets/sheet1.xml"  # the Guide sheet of the template: a user's sheet like any other


def _edited(path: Path, edit: Callable[[Package], None], lang: str = "en") -> Path:
    campaign(path, lang)
    package = Package(path)
    edit(package)
    return package.save()


# --- legacy binary formats: a compound file writer and a BIFF8 workbook ----------------------------------------------

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_FREE, _END, _FAT, _NONE = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
_SECTOR = 512
MINI_CUTOFF = 4096


def compound_file(streams: dict[str, bytes]) -> bytes:
    """A compound file (MS-CFB version 3, 512-byte sectors) with ``streams`` in its root storage.

    Every stream must be at least 4096 bytes (the mini-stream cutoff): smaller ones would belong in the mini
    stream, which this writer does not make (callers pad them)."""
    names = list(streams)
    for name in names:
        assert len(streams[name]) >= MINI_CUTOFF, f"{name}: {len(streams[name])} bytes is below the cutoff"
    entries = 1 + len(names)
    directory_sectors = -(-entries * 128 // _SECTOR)
    data_sectors = [-(-len(streams[n]) // _SECTOR) for n in names]
    fat_sectors = 1
    while fat_sectors * 128 < fat_sectors + directory_sectors + sum(data_sectors):
        fat_sectors += 1
    assert fat_sectors <= 109
    fat = [_FAT] * fat_sectors
    directory_start = len(fat)
    fat += [directory_start + i + 1 for i in range(directory_sectors - 1)] + [_END]
    starts = []
    for count in data_sectors:
        starts.append(len(fat))
        fat += [len(fat) + i + 1 for i in range(count - 1)] + [_END]
    fat += [_FREE] * (fat_sectors * 128 - len(fat))

    header = bytearray(_SECTOR)
    header[0:8] = OLE_MAGIC
    struct.pack_into("<HHHHH", header, 24, 0x003E, 0x0003, 0xFFFE, 9, 6)
    struct.pack_into("<IIIIIIIII", header, 40, 0, fat_sectors, directory_start, 0, MINI_CUTOFF, _END, 0, _END, 0)
    difat = list(range(fat_sectors)) + [_FREE] * (109 - fat_sectors)
    struct.pack_into("<109I", header, 76, *difat)

    # the root's children as a binary search tree in the order CFB compares names (length, then upper case)
    order = sorted(range(len(names)), key=lambda i: (len(names[i]), names[i].upper()))
    left, right = [_NONE] * len(names), [_NONE] * len(names)

    def tree(items: list[int]) -> int:
        """The directory entry id of the subtree's root (the middle item), its halves as siblings."""
        if not items:
            return _NONE
        middle = len(items) // 2
        node = items[middle]
        left[node], right[node] = tree(items[:middle]), tree(items[middle + 1:])
        return node + 1  # entry 0 is the root

    child = tree(order)

    def entry(name: str, kind: int, left_id: int, right_id: int, child_id: int, start: int, size: int) -> bytes:
        raw = bytearray(128)
        encoded = name.encode("utf-16-le")
        raw[0:len(encoded)] = encoded
        struct.pack_into("<HBBIII", raw, 64, len(encoded) + 2, kind, 1, left_id, right_id, child_id)
        struct.pack_into("<IQ", raw, 116, start, size)
        return bytes(raw)

    directory = entry("Root Entry", 5, _NONE, _NONE, child, _END, 0)
    for i, name in enumerate(names):
        directory += entry(name, 2, left[i], right[i], _NONE, starts[i], len(streams[name]))
    unused = entry("", 0, _NONE, _NONE, _NONE, 0, 0)
    directory += unused * (directory_sectors * _SECTOR // 128 - entries)

    body = struct.pack(f"<{len(fat)}I", *fat) + directory
    for name in names:
        data = streams[name]
        body += data + b"\0" * (-len(data) % _SECTOR)
    return bytes(header) + body


def _record(kind: int, data: bytes = b"") -> bytes:
    return struct.pack("<HH", kind, len(data)) + data


BOF, EOF, FILEPASS, BOUNDSHEET, SST, LABELSST, NUMBER = 0x0809, 0x000A, 0x002F, 0x0085, 0x00FC, 0x00FD, 0x0203
_CLEAR_RECORDS = {BOF, FILEPASS, 0x0194, 0x0195, 0x00E1, 0x0138, 0x0196}  # never encrypted ([MS-XLS] 2.2.10)


def _unicode(text: str, length_bytes: int = 2) -> bytes:
    """An XLUnicodeString (UTF-16, fHighByte set); ``length_bytes`` 1 for the short form."""
    return struct.pack("<H" if length_bytes == 2 else "<B", len(text)) + b"\x01" + text.encode("utf-16-le")


def _xls_globals(sheet_name: str, strings: list[str], sheet_offset: int, filepass: bytes) -> list[bytes]:
    font = struct.pack("<HHHHHBBBB", 200, 0, 0x7FFF, 400, 0, 0, 0, 0, 0) + _unicode("Arial", 1)
    style_xf = struct.pack("<HHHBBBBIIH", 0, 0, 0xFFF5, 0x20, 0, 0, 0, 0, 0, 0x20C0)
    cell_xf = struct.pack("<HHHBBBBIIH", 0, 0, 0x0001, 0x20, 0, 0, 0, 0, 0, 0x20C0)
    sst = struct.pack("<II", len(strings), len(strings)) + b"".join(_unicode(s) for s in strings)
    return [
        _record(BOF, struct.pack("<HHHHII", 0x0600, 0x0005, 0x0DBB, 0x07CC, 0, 0x06)),
        *([_record(FILEPASS, filepass)] if filepass else []),
        _record(0x0042, struct.pack("<H", 1200)),  # CODEPAGE: UTF-16
        _record(0x003D, struct.pack("<hhHHHHHHH", 0, 0, 0x3000, 0x2000, 0x38, 0, 0, 1, 600)),  # WINDOW1
        *[_record(0x0031, font)] * 5,  # FONT (index 4 is never used; Excel wants at least five)
        *[_record(0x00E0, style_xf)] * 15, _record(0x00E0, cell_xf),  # XF: 15 style XFs, then the cell XF
        _record(0x0293, struct.pack("<HBB", 0x8000, 0, 0xFF)),  # STYLE: Normal
        _record(BOUNDSHEET, struct.pack("<IBB", sheet_offset, 0, 0) + _unicode(sheet_name, 1)),
        _record(SST, sst),
        _record(EOF),
    ]


def biff8_workbook(rows: list[list[str | float]], sheet_name: str = "Tasks", password: str | None = None) -> bytes:
    """A BIFF8 Workbook stream with one sheet of ``rows`` (text and numbers); with ``password``, RC4-encrypted
    as Excel 97–2003 does it. Padded to the mini-stream cutoff (a record of zeros after the end), so that the
    stream lives in the compound file's regular sectors, as Excel's does."""
    strings = sorted({v for row in rows for v in row if isinstance(v, str)})
    filepass = b""
    key_salt = b""
    if password is not None:
        salt = hashlib.md5(b"xl-campaign salt").digest()
        verifier = hashlib.md5(b"xl-campaign verifier").digest()
        encrypted = _rc4(_rc4_key(password, salt, 0), verifier + hashlib.md5(verifier).digest())
        filepass = struct.pack("<HHH", 0x0001, 0x0001, 0x0001) + salt + encrypted
        key_salt = salt
    cells = []
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, str):
                cells.append(_record(LABELSST, struct.pack("<HHHI", r, c, 15, strings.index(value))))
            else:
                cells.append(_record(NUMBER, struct.pack("<HHHd", r, c, 15, float(value))))
    width = max((len(row) for row in rows), default=0)
    sheet = [_record(BOF, struct.pack("<HHHHII", 0x0600, 0x0010, 0x0DBB, 0x07CC, 0, 0x06)),
             _record(0x0200, struct.pack("<IIHHH", 0, len(rows), 0, width, 0)),  # DIMENSIONS
             *cells,
             _record(EOF)]
    size = len(b"".join(_xls_globals(sheet_name, strings, 0, filepass)))
    records = _xls_globals(sheet_name, strings, size, filepass) + sheet
    stream = b"".join(records)
    if password is not None:
        stream = _encrypt_biff(records, password, key_salt)
    if len(stream) < MINI_CUTOFF:  # the padding as one record of zeros after the last EOF
        stream += _record(0, b"\0" * max(0, MINI_CUTOFF - len(stream) - 4))
    return stream


def _rc4(key: bytes, data: bytes) -> bytes:
    box = list(range(256))
    j = 0
    for i in range(256):
        j = (j + box[i] + key[i % len(key)]) % 256
        box[i], box[j] = box[j], box[i]
    out, i, j = bytearray(), 0, 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + box[i]) % 256
        box[i], box[j] = box[j], box[i]
        out.append(byte ^ box[(box[i] + box[j]) % 256])
    return bytes(out)


def _rc4_key(password: str, salt: bytes, block: int) -> bytes:
    """[MS-OFFCRYPTO] 2.3.6.2: the RC4 key of one 1024-byte block."""
    truncated = hashlib.md5(password.encode("utf-16-le")).digest()[:5]
    intermediate = hashlib.md5((truncated + salt) * 16).digest()[:5]
    return hashlib.md5(intermediate + struct.pack("<I", block)).digest()


def _encrypt_biff(records: list[bytes], password: str, salt: bytes) -> bytes:
    """RC4 over the stream's positions (rekeyed every 1024 bytes): record bodies are encrypted, record headers,
    BOF, FILEPASS and a few others are not, nor the sheet offset at the start of BOUNDSHEET ([MS-XLS] 2.2.10)."""
    stream = bytearray(b"".join(records))
    keystream = b"".join(_rc4(_rc4_key(password, salt, block), b"\0" * 1024)
                         for block in range(len(stream) // 1024 + 1))
    at = 0
    for record in records:
        kind = struct.unpack_from("<H", record)[0]
        start = at + 4 + (4 if kind == BOUNDSHEET else 0)
        end = at + len(record)
        if kind not in _CLEAR_RECORDS:
            for i in range(start, end):
                stream[i] ^= keystream[i]
        at = end
    return bytes(stream)


XLS_ROWS: list[list[str | float]] = [["Task", "Owner", "Budget"], ["Posters", "小明", 1200.0],
                                     ["Launch event", "Li Hua", 5000.5]]


def legacy_xls(path: Path) -> Path:
    """A legacy Excel 97–2003 workbook (.xls): a compound file with a BIFF8 Workbook stream."""
    path.write_bytes(compound_file({"Workbook": biff8_workbook(XLS_ROWS)}))
    return path


def password_xls(path: Path) -> Path:
    """A legacy .xls encrypted with the password ``secret`` (RC4, a FILEPASS record right after BOF)."""
    path.write_bytes(compound_file({"Workbook": biff8_workbook(XLS_ROWS, password=PASSWORD)}))
    return path


def encrypted_xlsx(path: Path) -> Path:
    """The campaign workbook encrypted with the password ``secret`` by msoffcrypto-tool (agile encryption, as
    Excel's *Encrypt with Password* writes it): an OLE2 container with EncryptionInfo and EncryptedPackage."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(_campaign_bytes("en"))).encrypt(PASSWORD, out)
    path.write_bytes(out.getvalue())
    return path


# --- other formats and not-a-workbook files --------------------------------------------------------------------------


def empty(path: Path) -> Path:
    path.write_bytes(b"")
    return path


def truncated(path: Path) -> Path:
    """A workbook cut in half (an interrupted download): the zip directory at its end is gone."""
    whole = _campaign_bytes("en")
    path.write_bytes(whole[: len(whole) // 2])
    return path


def csv_renamed(path: Path) -> Path:
    path.write_text("Task,Owner,Start\nPosters,Li Hua,2024-05-10\n", encoding="utf-8")
    return path


def html_export(path: Path) -> Path:
    """An HTML table saved with an .xls name, as web applications and Excel's *Save as Web Page* write them."""
    path.write_text('<html xmlns:x="urn:schemas-microsoft-com:office:excel"><body><table>'
                    "<tr><td>Task</td><td>Owner</td></tr><tr><td>Posters</td><td>Li Hua</td></tr>"
                    "</table></body></html>\n", encoding="utf-8")
    return path


def lock_file(path: Path) -> Path:
    """Excel's owner file while someone has a workbook open (``~$`` + the workbook's name): the user name, once
    as a length-prefixed byte string padded to 54 bytes, once in UTF-16, 165 bytes in all."""
    user = "Li Hua"
    data = bytes([len(user)]) + user.encode("ascii").ljust(53, b" ") + struct.pack("<H", len(user))
    data += user.encode("utf-16-le")
    path.write_bytes(data.ljust(165, b"\x20"))
    return path


def xlsb(path: Path) -> Path:
    """The package layout of a binary workbook (.xlsb): BIFF12 parts; the records hold only begin and end."""
    book = b"\x83\x01\x00" + b"\x84\x01\x00"  # BrtBeginBook, BrtEndBook
    sheet = b"\x81\x01\x00" + b"\x82\x01\x00"  # BrtBeginSheet, BrtEndSheet
    ms = "application/vnd.ms-excel."
    return write_parts(path, {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            f'<Default Extension="bin" ContentType="{ms}sheet.binary.macroEnabled.main"/>'
            f'<Override PartName="/xl/worksheets/sheet1.bin" ContentType="{ms}worksheet"/></Types>').encode(),
        "_rels/.rels": _rels([("rId1", REL + "officeDocument", "xl/workbook.bin")]),
        "xl/_rels/workbook.bin.rels": _rels([("rId1", REL + "worksheet", "worksheets/sheet1.bin")]),
        "xl/workbook.bin": book,
        "xl/worksheets/sheet1.bin": sheet,
    })


def _rels(items: list[tuple[str, str, str]]) -> bytes:
    body = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{target}"/>' for i, t, target in items)
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.'
            f'openxmlformats.org/package/2006/relationships">{body}</Relationships>').encode()


ODS_CONTENT = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    '<office:body><office:spreadsheet><table:table table:name="Tasks"><table:table-row>'
    '<table:table-cell office:value-type="string"><text:p>Task</text:p></table:table-cell>'
    '<table:table-cell office:value-type="string"><text:p>Budget</text:p></table:table-cell></table:table-row>'
    '<table:table-row><table:table-cell office:value-type="string"><text:p>Posters</text:p></table:table-cell>'
    '<table:table-cell office:value-type="float" office:value="1200"><text:p>1200</text:p></table:table-cell>'
    "</table:table-row></table:table></office:spreadsheet></office:body></office:document-content>")
ODS_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">
<manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>
"""


def ods(path: Path) -> Path:
    """An OpenDocument spreadsheet (.ods) with one small table; the mimetype entry first and stored."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", ODS_MANIFEST, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", ODS_CONTENT, zipfile.ZIP_DEFLATED)
    return path


def strict_ooxml(path: Path) -> Path:
    """The campaign workbook in Strict Open XML: the transitional namespaces replaced by the purl.oclc.org ones,
    as Excel's *Strict Open XML Spreadsheet* writes them."""
    campaign(path)
    strict = {
        b"http://schemas.openxmlformats.org/spreadsheetml/2006/main": b"http://purl.oclc.org/ooxml/spreadsheetml/main",
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships":
            b"http://purl.oclc.org/ooxml/officeDocument/relationships",
        b"http://schemas.openxmlformats.org/drawingml/2006/main": b"http://purl.oclc.org/ooxml/drawingml/main",
    }
    parts = read_parts(path)
    for name, data in parts.items():
        for old, new in strict.items():
            data = data.replace(old, new)
        parts[name] = data
    return write_parts(path, parts)


def corrupt_relationships(path: Path) -> Path:
    """A whole zip whose package relationships (``_rels/.rels``) are not XML: the reader cannot find the
    workbook."""
    return _edited(path, lambda p: p.parts.update({"_rels/.rels": b'<?xml version="1.0" encoding="UTF-8"?>\n'
                                                                   b"CORRUPTED"}))


# --- XML attacks ---------------------------------------------------------------------------------------------------

BOMB_DOCTYPE = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<!DOCTYPE sst [\n'
                '<!ENTITY a0 "aaaaaaaaa">\n'
                + "".join(f'<!ENTITY a{i} "{f"&a{i - 1};" * 4}">\n' for i in range(1, 6)) + "]>\n")


def xml_bomb(path: Path) -> Path:
    """Nested entities ("billion laughs") in the shared strings, referenced 50,000 times: 200 KB of XML that
    compresses below 1% and would expand to gigabytes."""
    def edit(package: Package) -> None:
        body = f'<sst xmlns="{NS_MAIN}" count="1" uniqueCount="1"><si><t>{"&a5;" * 50_000}</t></si></sst>'
        package.add("xl/sharedStrings.xml", (BOMB_DOCTYPE + body).encode(), CT + "spreadsheetml.sharedStrings+xml")
        package.relate("xl/workbook.xml", REL + "sharedStrings", "xl/sharedStrings.xml")
    return _edited(path, edit)


def xxe(path: Path) -> Path:
    """A worksheet whose DOCTYPE declares an external entity (XXE): a parser that resolves it reads a local
    file into the cell."""
    def edit(package: Package) -> None:
        doctype = b'<?xml version="1.0"?>\n<!DOCTYPE worksheet [<!ENTITY e SYSTEM "file:///etc/hostname">]>\n'
        xml = package.parts[FIRST_SHEET]
        package.parts[FIRST_SHEET] = doctype + xml.split(b"?>", 1)[1].lstrip() if xml.startswith(b"<?xml") \
            else doctype + xml
    return _edited(path, edit)


def xxe_in_schema(path: Path) -> Path:
    """An XML map whose schema redefines itself from a network address (``schemaLocation``)."""
    def edit(package: Package) -> None:
        maps = (f'<MapInfo xmlns="{NS_MAIN}" SelectionNamespaces=""><Schema ID="Schema1">'
                '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" elementFormDefault="qualified">'
                '<xs:redefine schemaLocation="http://localhost/schema.xsd"/>'
                '<xs:element name="Task" type="xs:string"/></xs:schema></Schema>'
                '<Map ID="1" Name="Task_Map" RootElement="Task" SchemaID="Schema1" ShowImportExportValidationErrors='
                '"false" AutoFit="true" Append="false" PreserveSortAFLayout="true" PreserveFormat="true"/></MapInfo>')
        package.add("xl/xmlMaps.xml", maps.encode(), "application/xml")
        package.relate("xl/workbook.xml", REL + "xmlMaps", "xl/xmlMaps.xml")
    return _edited(path, edit)


# --- odd but readable workbooks ------------------------------------------------------------------------------------


def _sheet_data_append(package: Package, rows: str) -> None:
    xml = package.parts[FIRST_SHEET].decode()
    if "<sheetData/>" in xml or "<sheetData />" in xml:
        xml = re.sub(r"<sheetData\s*/>", f"<sheetData>{rows}</sheetData>", xml)
    else:
        xml = xml.replace("</sheetData>", rows + "</sheetData>")
    xml = re.sub(r'<dimension ref="[^"]*"\s*/>', "", xml)  # the dimension would lie about the used range
    package.parts[FIRST_SHEET] = xml.encode()


def far_cell(path: Path) -> Path:
    """A value in the very last cell of a sheet, XFD1048576: a reader that builds the used rectangle needs
    17 billion cells."""
    return _edited(path, lambda p: _sheet_data_append(p, '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'))


def styled_last_row(path: Path) -> Path:
    """One formatted, empty cell in the last row (A1048576): the used range is inflated, the file still reads."""
    return _edited(path, lambda p: _sheet_data_append(p, '<row r="1048576"><c r="A1048576" s="1"/></row>'))


def error_values(path: Path) -> Path:
    """Cells holding Excel's error values (#REF!, #DIV/0!) as their cached results."""
    def edit(package: Package) -> None:
        _sheet_data_append(package, '<row r="60"><c r="A60" t="e"><f>#REF!+1</f><v>#REF!</v></c>'
                                    '<c r="B60" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>')
    return _edited(path, edit)


def date1904(path: Path, lang: str = "en") -> Path:
    """The campaign saved with the 1904 date system (the old Mac Excel default): every date serial is 1,462
    smaller than in the 1900 system."""
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    from xl_campaign.core.content import example
    from xl_campaign.io.template import build_workbook

    wb = build_workbook(example(lang))
    wb.epoch = CALENDAR_MAC_1904
    wb.save(path)
    return path


def structure_protected(path: Path) -> Path:
    """Review ▸ Protect Workbook with a password: the structure is locked (sheets cannot be added)."""
    def edit(package: Package) -> None:
        xml = package.parts["xl/workbook.xml"].decode()
        xml = re.sub(r"<workbookProtection\s*/>", "", xml)
        package.parts["xl/workbook.xml"] = xml.encode()
        package.workbook_insert('<workbookProtection workbookPassword="CBEB" lockStructure="1"/>', "bookViews")
    return _edited(path, edit)


# --- parts an openpyxl round trip would drop (the update's pre-flight must name them) -------------------------------

DRAWING_NS = ('xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
              'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
              f'xmlns:r="{NS_R}"')
ANCHOR = "<xdr:from><xdr:col>5</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>2</xdr:row><xdr:rowOff>0</xdr:rowOff>" \
         "</xdr:from><xdr:to><xdr:col>9</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>8</xdr:row><xdr:rowOff>0" \
         "</xdr:rowOff></xdr:to>"
TEXT_BOX = ('<xdr:sp macro="" textlink=""><xdr:nvSpPr><xdr:cNvPr id="2" name="TextBox 1"/><xdr:cNvSpPr txBox="1"/>'
            '</xdr:nvSpPr><xdr:spPr><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr><xdr:txBody>'
            '<a:bodyPr/><a:lstStyle/><a:p><a:r><a:t>Remember the venue deposit</a:t></a:r></a:p></xdr:txBody>'
            "</xdr:sp>")


def _drawing(package: Package, content: str, sheet: str = FIRST_SHEET) -> str:
    """A drawing part with one anchored ``content`` on ``sheet``; returns the drawing's part name."""
    name = "xl/drawings/drawing1.xml"
    xml = f'<xdr:wsDr {DRAWING_NS}><xdr:twoCellAnchor>{ANCHOR}{content}<xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>'
    package.add(name, xml.encode(), CT + "drawing+xml")
    rid = package.relate(sheet, REL + "drawing", name)
    package.sheet_insert(sheet, f'<drawing xmlns:r="{NS_R}" r:id="{rid}"/>')
    return name


def _shapes(package: Package) -> None:
    _drawing(package, TEXT_BOX)


CHART = (f'<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
         f'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="{NS_R}"><c:chart><c:plotArea>'
         "<c:layout/><c:barChart><c:barDir val=\"col\"/><c:grouping val=\"clustered\"/><c:ser><c:idx val=\"0\"/>"
         "<c:order val=\"0\"/><c:val><c:numRef><c:f>Budget!$D$4:$D$8</c:f></c:numRef></c:val></c:ser>"
         "<c:axId val=\"1\"/><c:axId val=\"2\"/></c:barChart><c:catAx><c:axId val=\"1\"/><c:scaling>"
         "<c:orientation val=\"minMax\"/></c:scaling><c:axPos val=\"b\"/><c:crossAx val=\"2\"/></c:catAx><c:valAx>"
         "<c:axId val=\"2\"/><c:scaling><c:orientation val=\"minMax\"/></c:scaling><c:axPos val=\"l\"/>"
         "<c:crossAx val=\"1\"/></c:valAx></c:plotArea></c:chart></c:chartSpace>")


def _chart(package: Package) -> str:
    drawing = "xl/drawings/drawing1.xml"
    chart = "xl/charts/chart1.xml"
    package.add(chart, CHART.encode(), CT + "drawingml.chart+xml")
    rid = package.relate(drawing, REL + "chart", chart)
    frame = ('<xdr:graphicFrame macro=""><xdr:nvGraphicFramePr><xdr:cNvPr id="3" name="Chart 1"/>'
             '<xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr><xdr:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/>'
             '</xdr:xfrm><a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/chart">'
             '<c:chart xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" '
             f'r:id="{rid}"/></a:graphicData></a:graphic></xdr:graphicFrame>')
    _drawing(package, frame)
    return chart


def _charts(package: Package) -> None:
    _chart(package)


def _chart_styles(package: Package) -> None:
    chart = _chart(package)
    style = '<cs:chartStyle xmlns:cs="http://schemas.microsoft.com/office/drawing/2012/chartStyle" id="201"/>'
    colors = '<cs:colorStyle xmlns:cs="http://schemas.microsoft.com/office/drawing/2012/chartStyle" meth="cycle"/>'
    package.add("xl/charts/style1.xml", style.encode(), "application/vnd.ms-office.chartstyle+xml")
    package.add("xl/charts/colors1.xml", colors.encode(), "application/vnd.ms-office.chartcolorstyle+xml")
    package.relate(chart, MS_REL + "2011/relationships/chartStyle", "xl/charts/style1.xml")
    package.relate(chart, MS_REL + "2011/relationships/chartColorStyle", "xl/charts/colors1.xml")


def _vba(package: Package) -> None:
    project = "ID=\"{00000000-0000-0000-0000-000000000000}\"\r\nDocument=ThisWorkbook/&H00000000\r\nName=\"VBAProject\"\r\n"
    blob = compound_file({"PROJECT": project.encode("latin-1").ljust(MINI_CUTOFF, b"\0")})
    package.add("xl/vbaProject.bin", blob, "application/vnd.ms-office.vbaProject")
    package.relate("xl/workbook.xml", MS_REL + "2006/relationships/vbaProject", "xl/vbaProject.bin")
    package.set_content_type("xl/workbook.xml", "application/vnd.ms-excel.sheet.macroEnabled.main+xml")


def _macro_sheets(package: Package) -> None:
    """An Excel 4 macro sheet (XLM) beside the user's sheets, in a macro-enabled workbook."""
    _vba(package)
    sheet = (f'<xm:macrosheet xmlns="{NS_MAIN}" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
             '<sheetData><row r="1"><c r="A1"><f>HALT()</f></c></row></sheetData></xm:macrosheet>')
    package.add("xl/macrosheets/sheet1.xml", sheet.encode(), "application/vnd.ms-excel.macrosheet+xml")
    rid = package.relate("xl/workbook.xml", MS_REL + "2006/relationships/xlMacrosheet", "xl/macrosheets/sheet1.xml")
    xml = package.parts["xl/workbook.xml"].decode()
    package.parts["xl/workbook.xml"] = xml.replace(
        "</sheets>", f'<sheet name="Macro1" sheetId="99" state="hidden" r:id="{rid}"/></sheets>').encode()


def _threaded_comments(package: Package) -> None:
    threaded = ('<ThreadedComments xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments">'
                '<threadedComment ref="B2" dT="2024-05-01T09:00:00.00" personId="{11111111-1111-1111-1111-111111111111}" '
                'id="{22222222-2222-2222-2222-222222222222}"><text>Is this final?</text></threadedComment>'
                "</ThreadedComments>")
    persons = ('<personList xmlns="http://schemas.microsoft.com/office/spreadsheetml/2018/threadedcomments">'
               '<person displayName="Li Hua" id="{11111111-1111-1111-1111-111111111111}" userId="lihua" '
               'providerId="None"/></personList>')
    package.add("xl/threadedComments/threadedComment1.xml", threaded.encode(),
                "application/vnd.ms-excel.threadedcomments+xml")
    package.add("xl/persons/person.xml", persons.encode(), "application/vnd.ms-excel.person+xml")
    package.relate(FIRST_SHEET, MS_REL + "2017/10/relationships/threadedComment",
                   "xl/threadedComments/threadedComment1.xml")
    package.relate("xl/workbook.xml", MS_REL + "2017/10/relationships/person", "xl/persons/person.xml")


def _connections(package: Package) -> None:
    connections = (f'<connections xmlns="{NS_MAIN}"><connection id="1" name="Sales" type="1" refreshedVersion="6">'
                   '<dbPr connection="DSN=sales;" command="SELECT * FROM orders"/></connection></connections>')
    package.add("xl/connections.xml", connections.encode(), CT + "spreadsheetml.connections+xml")
    package.relate("xl/workbook.xml", REL + "connections", "xl/connections.xml")


def _xml_maps(package: Package) -> None:
    maps = (f'<MapInfo xmlns="{NS_MAIN}" SelectionNamespaces=""><Schema ID="Schema1">'
            '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="Task" type="xs:string"/>'
            '</xs:schema></Schema><Map ID="1" Name="Task_Map" RootElement="Task" SchemaID="Schema1" '
            'ShowImportExportValidationErrors="false" AutoFit="true" Append="false" PreserveSortAFLayout="true" '
            'PreserveFormat="true"/></MapInfo>')
    package.add("xl/xmlMaps.xml", maps.encode(), "application/xml")
    package.relate("xl/workbook.xml", REL + "xmlMaps", "xl/xmlMaps.xml")


X14 = 'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"'
XM = 'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"'


def _validation_extensions(package: Package) -> None:
    """A drop-down list from another sheet: Excel 2010 writes it as an x14 extension."""
    package.sheet_insert(FIRST_SHEET, (
        f'<ext uri="{{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}}" {X14}><x14:dataValidations count="1" {XM}>'
        '<x14:dataValidation type="list" allowBlank="1"><x14:formula1><xm:f>Team!$A$4:$A$20</xm:f></x14:formula1>'
        "<xm:sqref>C5:C20</xm:sqref></x14:dataValidation></x14:dataValidations></ext>"))


def _conditional_format_extensions(package: Package) -> None:
    """A data bar with Excel 2010's gradient and negative-value settings (an x14 extension)."""
    package.sheet_insert(FIRST_SHEET, (
        f'<ext uri="{{78C0D931-6437-407d-A8EE-F0AAD7539E65}}" {X14}><x14:conditionalFormattings>'
        f'<x14:conditionalFormatting {XM}><x14:cfRule type="dataBar" id="{{33333333-3333-3333-3333-333333333333}}">'
        '<x14:dataBar minLength="0" maxLength="100" gradient="0"><x14:cfvo type="autoMin"/><x14:cfvo type="autoMax"/>'
        "</x14:dataBar></x14:cfRule><xm:sqref>D5:D20</xm:sqref></x14:conditionalFormatting>"
        "</x14:conditionalFormattings></ext>"))


def _sparklines(package: Package) -> None:
    package.sheet_insert(FIRST_SHEET, (
        f'<ext uri="{{05C60535-1F16-4fd2-B633-F4F36F0B64E0}}" {X14}><x14:sparklineGroups {XM}><x14:sparklineGroup>'
        "<x14:sparklines><x14:sparkline><xm:f>Budget!D4:D8</xm:f><xm:sqref>F5</xm:sqref></x14:sparkline>"
        "</x14:sparklines></x14:sparklineGroup></x14:sparklineGroups></ext>"))


def _custom_xml(package: Package) -> None:
    """A custom XML data part with its properties, as SharePoint and document templates attach them."""
    item = b'<?xml version="1.0"?><campaign xmlns="urn:example:campaign"><owner>Li Hua</owner></campaign>'
    props = ('<ds:datastoreItem ds:itemID="{44444444-4444-4444-4444-444444444444}" '
             'xmlns:ds="http://schemas.openxmlformats.org/officeDocument/2006/customXml"><ds:schemaRefs/>'
             "</ds:datastoreItem>")
    package.add("customXml/item1.xml", item, None)
    package.add("customXml/itemProps1.xml", props.encode(), CT + "customXmlProperties+xml")
    package.relate("xl/workbook.xml", REL + "customXml", "customXml/item1.xml")
    package.relate("customXml/item1.xml", REL + "customXmlProps", "customXml/itemProps1.xml")


def _dynamic_arrays(package: Package) -> None:
    """A spilling formula (=SORT(...)): the cell points into the dynamic-array metadata part."""
    metadata = (f'<metadata xmlns="{NS_MAIN}" xmlns:xda="http://schemas.microsoft.com/office/spreadsheetml/2017/'
                'dynamicarray"><metadataTypes count="1"><metadataType name="XLDAPR" minSupportedVersion="120000" '
                'copy="1" pasteAll="1" pasteValues="1" merge="1" splitFirst="1" rowColShift="1" clearFormats="1" '
                'clearComments="1" assign="1" coerce="1" cellMeta="1"/></metadataTypes><futureMetadata name="XLDAPR" '
                'count="1"><bk><extLst><ext uri="{bdbb8cdc-fa1e-496e-a857-3c3f30c029c3}"><xda:dynamicArrayProperties '
                'fDynamic="1" fCollapsed="0"/></ext></extLst></bk></futureMetadata><cellMetadata count="1"><bk>'
                '<rc t="1" v="0"/></bk></cellMetadata></metadata>')
    package.add("xl/metadata.xml", metadata.encode(), CT + "spreadsheetml.sheetMetadata+xml")
    package.relate("xl/workbook.xml", REL + "sheetMetadata", "xl/metadata.xml")
    _sheet_data_append(package, '<row r="60"><c r="A60" cm="1"><f t="array" ref="A60:A62">_xlfn._xlws.SORT('
                                'Tasks!A4:A6)</f><v>0</v></c></row>')


VML_HEAD = ('<xml xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" '
            'xmlns:x="urn:schemas-microsoft-com:office:excel">')


def _controls(package: Package) -> None:
    """A form control (a check box) as Excel 2010+ writes it: a VML shape for older readers, a control part."""
    vml = (VML_HEAD + '<v:shape id="_x0000_s1025" type="#_x0000_t201" style="position:absolute;width:60pt;'
           'height:15pt"><v:textbox><div>Approved</div></v:textbox><x:ClientData ObjectType="Checkbox">'
           "<x:Anchor>5, 0, 2, 0, 7, 0, 3, 0</x:Anchor><x:Checked>1</x:Checked></x:ClientData></v:shape></xml>")
    package.add("xl/drawings/vmlDrawingHostile1.vml", vml.encode(), CT + "vmlDrawing")
    vml_id = package.relate(FIRST_SHEET, REL + "vmlDrawing", "xl/drawings/vmlDrawingHostile1.vml")
    props = '<formControlPr xmlns="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main" objectType="CheckBox" checked="Checked"/>'
    package.add("xl/ctrlProps/ctrlProp1.xml", props.encode(), "application/vnd.ms-excel.controlproperties+xml")
    ctrl_id = package.relate(FIRST_SHEET, REL + "ctrlProp", "xl/ctrlProps/ctrlProp1.xml")
    package.sheet_insert(FIRST_SHEET, f'<legacyDrawing xmlns:r="{NS_R}" r:id="{vml_id}"/>')
    package.sheet_insert(FIRST_SHEET, f'<controls xmlns:r="{NS_R}"><control shapeId="1025" r:id="{ctrl_id}" '
                                      'name="Check Box 1"/></controls>')


def _embedded_objects(package: Package) -> None:
    """An embedded OLE object (an attached document) shown as an icon."""
    blob = compound_file({"\x01Ole10Native": b"attachment".ljust(MINI_CUTOFF, b"\0")})
    package.add("xl/embeddings/oleObject1.bin", blob, CT + "oleObject")
    rid = package.relate(FIRST_SHEET, REL + "oleObject", "xl/embeddings/oleObject1.bin")
    package.sheet_insert(FIRST_SHEET, f'<oleObjects xmlns:r="{NS_R}"><oleObject progId="Package" dvAspect='
                                      f'"DVASPECT_ICON" shapeId="1026" r:id="{rid}"/></oleObjects>')


def _sensitivity_labels(package: Package) -> None:
    """A Microsoft Purview sensitivity label ("Confidential") on the document."""
    label = ('<clbl:labelList xmlns:clbl="http://schemas.microsoft.com/office/2020/mipLabelMetadata">'
             '<clbl:label id="{55555555-5555-5555-5555-555555555555}" enabled="1" method="Standard" '
             'siteId="{66666666-6666-6666-6666-666666666666}" removed="0"/></clbl:labelList>')
    package.add("docMetadata/LabelInfo.xml", label.encode(), "application/vnd.ms-office.classificationlabels+xml")
    package.relate("", MS_REL + "2020/02/relationships/classificationlabels", "docMetadata/LabelInfo.xml")




def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


# a 1×1 opaque orange PNG
PNG = b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)) + \
    _png_chunk(b"IDAT", zlib.compress(b"\x00\xff\x99\x00")) + _png_chunk(b"IEND", b"")


def _background(package: Package) -> None:
    """Page Layout ▸ Background: a picture behind the sheet's cells."""
    package.add("xl/media/background1.png", PNG, "image/png")
    rid = package.relate(FIRST_SHEET, REL + "image", "xl/media/background1.png")
    package.sheet_insert(FIRST_SHEET, f'<picture xmlns:r="{NS_R}" r:id="{rid}"/>')


def emf() -> bytes:
    """The smallest Enhanced Metafile: an EMR_HEADER record and an EMR_EOF record."""
    header = struct.pack("<II4i4iIIIIHHIII2i2i", 1, 88, 0, 0, 10, 10, 0, 0, 264, 264, 0x464D4520, 0x00010000,
                         108, 2, 1, 0, 0, 0, 0, 1920, 1080, 508, 286)
    end = struct.pack("<IIIII", 14, 20, 0, 16, 20)
    return header + end


def _images(package: Package) -> None:
    """A picture in a format openpyxl cannot keep (EMF, as pasted from Office or Visio)."""
    drawing = "xl/drawings/drawing1.xml"
    package.add("xl/media/image1.emf", emf(), "image/x-emf")
    rid = package.relate(drawing, REL + "image", "xl/media/image1.emf")
    picture = ('<xdr:pic><xdr:nvPicPr><xdr:cNvPr id="4" name="Picture 1"/><xdr:cNvPicPr/></xdr:nvPicPr>'
               f'<xdr:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></xdr:blipFill>'
               '<xdr:spPr><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr></xdr:pic>')
    _drawing(package, picture)


def _header_images(package: Package) -> None:
    """A logo in the page header (&G): a VML drawing for the header and footer."""
    vml = (VML_HEAD + '<v:shape id="LH" o:spid="_x0000_s2049" type="#_x0000_t75" style="position:absolute;'
           'width:40pt;height:20pt"><v:imagedata o:relid="rId1" o:title="logo"/></v:shape></xml>')
    package.add("xl/drawings/vmlDrawingHF1.vml", vml.encode(), CT + "vmlDrawing")
    package.add("xl/media/logo1.png", PNG, "image/png")
    package.relate("xl/drawings/vmlDrawingHF1.vml", REL + "image", "xl/media/logo1.png")
    rid = package.relate(FIRST_SHEET, REL + "vmlDrawing", "xl/drawings/vmlDrawingHF1.vml")
    package.sheet_insert(FIRST_SHEET, f'<legacyDrawingHF xmlns:r="{NS_R}" r:id="{rid}"/>')


# kind of loss (io.preflight) → what adds it to a workbook
LOSSY: dict[str, Callable[[Package], None]] = {
    "shapes": _shapes,
    "vba": _vba,
    "macro-sheets": _macro_sheets,
    "threaded-comments": _threaded_comments,
    "charts": _charts,
    "chart-styles": _chart_styles,
    "connections": _connections,
    "xml-maps": _xml_maps,
    "validation-extensions": _validation_extensions,
    "conditional-format-extensions": _conditional_format_extensions,
    "sparklines": _sparklines,
    "custom-xml": _custom_xml,
    "dynamic-arrays": _dynamic_arrays,
    "controls": _controls,
    "embedded-objects": _embedded_objects,
    "sensitivity-labels": _sensitivity_labels,
    "background": _background,
    "images": _images,
    "header-images": _header_images,
}
# kinds that come with others (a control brings its VML shape, a macro sheet a macro-enabled workbook)
LOSSY_ALSO = {"controls": {"legacy-shapes"}, "macro-sheets": {"vba"}, "chart-styles": {"charts"}}


def lossy(path: Path, kind: str, lang: str = "en") -> Path:
    """The campaign workbook with something of ``kind`` that an openpyxl round trip would drop (.xlsm for the
    kinds that make the workbook macro-enabled)."""
    return _edited(path, LOSSY[kind], lang)


def lossy_name(kind: str) -> str:
    return f"{kind}.xlsm" if kind in ("vba", "macro-sheets") else f"{kind}.xlsx"


# --- every hostile input, by file name: (builder, the check's finding code) ----------------------------------------

HOSTILE: dict[str, tuple[Builder, str]] = {
    "empty.xlsx": (empty, "XF002"),
    "truncated.xlsx": (truncated, "XF008"),
    "corrupt_rels.xlsx": (corrupt_relationships, "XF008"),
    "csv_renamed.xlsx": (csv_renamed, "XF001"),
    "html_export.xls": (html_export, "XF001"),
    "legacy.xls": (legacy_xls, "XF003"),
    "password.xls": (password_xls, "XF003"),
    "binary.xlsb": (xlsb, "XF004"),
    "calc.ods": (ods, "XF005"),
    "strict.xlsx": (strict_ooxml, "XF006"),
    "encrypted.xlsx": (encrypted_xlsx, "XF007"),
    "xml_bomb.xlsx": (xml_bomb, "XF009"),
    "xxe.xlsx": (xxe, "XF010"),
    "far_cell.xlsx": (far_cell, "XF012"),
    "~$Campaign.xlsx": (lock_file, "XF014"),
    "xxe_in_schema.xlsx": (xxe_in_schema, "SEC006"),
    "styled_last_row.xlsx": (styled_last_row, "XF021"),
    "protected.xlsx": (structure_protected, "XF022"),
    "date1904.xlsx": (date1904, "XF023"),
    "errors.xlsx": (error_values, "WB004"),
}


def build_all(folder: Path) -> dict[Path, str]:
    """Every hostile input in ``folder``: path → the finding code the check must give it."""
    folder.mkdir(parents=True, exist_ok=True)
    return {builder(folder / name): code for name, (builder, code) in HOSTILE.items()}

