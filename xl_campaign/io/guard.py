"""Open a workbook safely before any parser sees it.

Sniffs the file type from its first bytes (zip / OLE2 / text), refuses Excel lock files, and checks the zip
directory against limits modelled on Apache POI's zip-bomb guard (entry count, total uncompressed size, inflate
ratio) without inflating anything. The prolog of every XML part is read (a few KB, never the whole part) so that a
DOCTYPE — entity expansion ("XML bomb") or external entities (XXE) — is refused before any parser sees it; Office
never writes one. Returns a :class:`FileProblem` for a file that must not be parsed, else None.

Each problem carries the code of its XF rule (``core/rules/xf.py`` documents it and says it in zh and en): XF014
lock file, XF019 unreadable, XF002 empty, XF013 too large, XF007 encrypted, XF003 legacy .xls (variant
``encrypted`` when it has a password), XF001 not a workbook, XF011 zip bomb, XF009 XML bomb, XF010 XXE, XF004
.xlsb, XF005 .ods, XF006 strict OOXML, XF008 corrupt package; the reader adds XF008 (variant ``parts``) and XF012
(a sheet whose cells span too many positions).
"""

from __future__ import annotations

import os
import struct
import zipfile
import zlib

from ..core.findings import FileProblem

MAX_ENTRIES = 1000  # POI: at most 1000 entries
MIN_INFLATE_RATIO = 0.01  # POI: compressed/uncompressed must be >= 1% ...
RATIO_THRESHOLD = 100 * 1024  # ... for entries larger than 100 KiB
MAX_UNCOMPRESSED = 512 * 1024 * 1024  # total XML we are willing to inflate
MAX_FILE_SIZE = 200 * 1024 * 1024

XML_BOMB, XXE = "XF009", "XF010"  # the codes of a DOCTYPE with entities / with external identifiers
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
ZIP_EMPTY = b"PK\x05\x06"


__all__ = ["FileProblem", "check_archive", "check_zip", "doctype_kind", "doctypes", "inspect", "sniff"]


def sniff(path: str, data: bytes | None = None) -> FileProblem | None:
    """Problems visible from the name and the first bytes (``data``: the file's bytes when already read)."""
    name = os.path.basename(path)
    if name.startswith("~$") or (name.startswith(".~lock.") and name.endswith("#")):
        return FileProblem("XF014", name[2:] if name.startswith("~$") else name[7:-1])
    try:
        if data is not None:
            size, head = len(data), data[:8]
        else:
            size = os.path.getsize(path)
            with open(path, "rb") as handle:
                head = handle.read(8)
    except OSError as exc:
        return FileProblem("XF019", exc.strerror or str(exc))
    if size == 0:
        return FileProblem("XF002")
    if size > MAX_FILE_SIZE:
        return FileProblem("XF013", f"{size:,} bytes (limit {MAX_FILE_SIZE:,})")
    if head.startswith(OLE_MAGIC):
        return _ole_problem(path)
    if head.startswith(ZIP_EMPTY):
        return FileProblem("XF001", "empty zip")
    if not head.startswith(ZIP_MAGIC):
        text = head.lstrip().lower()
        if text.startswith((b"<html", b"<!doc", b"<?xml", b"<table")):
            return FileProblem("XF001", "html")
        return FileProblem("XF001", "text" if _looks_text(path) else "binary")
    return None


def _looks_text(path: str) -> bool:
    with open(path, "rb") as handle:
        chunk = handle.read(4096)
    return b"\x00" not in chunk


def _ole_problem(path: str) -> FileProblem:
    """An OLE2 container is an encrypted OOXML package (told by its stream names: XF007), a password-protected
    legacy .xls (its workbook stream starts with a FILEPASS record: XF003, variant ``encrypted``) or a legacy .xls
    (XF003)."""
    with open(path, "rb") as handle:
        blob = handle.read(1 << 20)
    if "EncryptionInfo".encode("utf-16-le") in blob or "EncryptedPackage".encode("utf-16-le") in blob:
        return FileProblem("XF007")
    try:
        return FileProblem("XF003", variant="encrypted") if _xls_has_filepass(blob) else FileProblem("XF003")
    except (struct.error, ValueError, OverflowError):
        return FileProblem("XF003")


BIFF_BOF, BIFF_FILEPASS = 0x0809, 0x002F


def _xls_has_filepass(blob: bytes) -> bool:
    """Whether the Workbook stream of the compound file whose first bytes are ``blob`` declares encryption.

    Reads only what Excel puts first: the first directory sector (the Workbook stream's entry), then the first
    sector of that stream, where a FILEPASS record follows the BOF record. Anything unusual reads as False."""
    sector = 1 << struct.unpack_from("<H", blob, 30)[0]
    if sector not in (512, 4096):
        return False
    directory, cutoff = struct.unpack_from("<I", blob, 48)[0], struct.unpack_from("<I", blob, 56)[0]
    entries = blob[(directory + 1) * sector:(directory + 2) * sector]
    for at in range(0, len(entries) - 127, 128):
        length = min(struct.unpack_from("<H", entries, at + 64)[0], 64)
        name = entries[at:at + max(0, length - 2)].decode("utf-16-le", "replace")
        start, size = struct.unpack_from("<II", entries, at + 116)
        if name not in ("Workbook", "Book") or size < cutoff:  # a small stream lives in the mini stream: not read
            continue
        stream = blob[(start + 1) * sector:(start + 2) * sector]
        position = 0
        for _ in range(16):  # FILEPASS comes right after BOF, before any sheet or string
            if position + 4 > len(stream):
                return False
            record, record_length = struct.unpack_from("<HH", stream, position)
            if position == 0 and record != BIFF_BOF:
                return False
            if record == BIFF_FILEPASS:
                return True
            position += 4 + record_length
        return False
    return False


def check_zip(path: str) -> FileProblem | None:
    """Zip-level checks: a readable directory, sane entry count, sizes and ratios, an OOXML workbook part."""
    try:
        with zipfile.ZipFile(path) as archive:
            return check_archive(path, archive)
    except zipfile.BadZipFile as exc:
        return FileProblem("XF008", str(exc))
    except (OSError, EOFError, ValueError, NotImplementedError) as exc:
        return FileProblem("XF008", str(exc))


SHEET_FOLDER = "xl/worksheets/"


def is_sheet_part(name: str) -> bool:
    """A worksheet part (not its relationships)."""
    return name.startswith(SHEET_FOLDER) and name.endswith(".xml") and "/_rels/" not in name


def check_archive(path: str, archive: zipfile.ZipFile, sheets_deferred: bool = False,
                  data: bytes | None = None) -> FileProblem | None:
    """``check_zip`` on an archive already open (the package scan shares it: the directory is read once).

    ``sheets_deferred``: the caller inflates every worksheet part whole and looks for a DOCTYPE there itself
    (the package scan), so their prologs are not read here a first time. ``data``: the package's bytes, when the
    caller holds them (parts are then sliced from memory)."""
    try:
        infos = archive.infolist()
        names = {info.filename for info in infos}
        if len(infos) > MAX_ENTRIES:
            return FileProblem("XF011", f"{len(infos)} entries (limit {MAX_ENTRIES})")
        total = 0
        for info in infos:
            total += info.file_size
            if info.file_size > RATIO_THRESHOLD and info.compress_size / info.file_size < MIN_INFLATE_RATIO:
                ratio = f"{info.filename}: {info.file_size} bytes from {info.compress_size} " \
                        f"(ratio below {MIN_INFLATE_RATIO})"
                if _doctype(archive, info) == XML_BOMB:
                    return FileProblem("XF009", ratio)
                return FileProblem("XF011", ratio)
        if total > MAX_UNCOMPRESSED:
            return FileProblem("XF011", f"{total} bytes uncompressed (limit {MAX_UNCOMPRESSED})")
        found = doctypes(archive, [i for i in infos if not is_sheet_part(i.filename)]
                         if sheets_deferred else infos, data)
        if found is not None:
            return found
        if "xl/workbook.bin" in names:
            return FileProblem("XF004")
        if "content.xml" in names and "mimetype" in names:
            return FileProblem("XF005")
        if "xl/workbook.xml" not in names:
            return FileProblem("XF001", "zip without xl/workbook.xml")
        info = archive.getinfo("xl/workbook.xml")
        head = _raw_head(archive.fp, info, 2048, data) if archive.fp is not None else None
        if head is None:
            with archive.open(info) as part:
                head = part.read(2048)
        if b"purl.oclc.org/ooxml/spreadsheetml" in head:
            return FileProblem("XF006")
    except zipfile.BadZipFile as exc:
        return FileProblem("XF008", str(exc))
    except (OSError, EOFError, ValueError, NotImplementedError) as exc:
        return FileProblem("XF008", str(exc))
    return None


PROLOG_BYTES = 4096
FIRST_BYTES = 256  # enough for the prolog of every part Office writes; a longer one is read up to PROLOG_BYTES
_XML_SUFFIXES = (".xml", ".rels", ".vml")


def doctypes(archive: zipfile.ZipFile, infos: list[zipfile.ZipInfo], data: bytes | None = None
             ) -> FileProblem | None:
    """The first of the XML parts ``infos`` whose prolog declares a DOCTYPE, as a problem; None when there is
    none (``data``: the package's bytes, when ``archive`` was opened on them).

    Reads each part's first compressed bytes straight from the archive's file (no per-part stream objects: this
    runs on every file checked) and inflates only its prolog: the bytes before the root element."""
    handle = archive.fp
    if handle is None:
        return None
    for info in infos:
        if not info.filename.lower().endswith(_XML_SUFFIXES) or info.file_size == 0:
            continue
        head = _raw_head(handle, info, FIRST_BYTES, data)
        if head is not None and not _has_root(head) and info.file_size > FIRST_BYTES:
            head = _raw_head(handle, info, PROLOG_BYTES, data)
        kind = _doctype_kind(head) if head is not None else _doctype(archive, info)
        if kind is not None:
            return FileProblem(kind, f"DOCTYPE in {info.filename}")
    return None


def _has_root(head: bytes) -> bool:
    """Whether ``head`` reaches the root element's start (a ``<`` followed by a name, not ``<?`` or ``<!``)."""
    at = head.find(b"<")
    while 0 <= at < len(head) - 1:
        following = head[at + 1]
        if following not in b"?!/":
            return True
        at = head.find(b"<", at + 1)
    return False


def data_start(data: bytes, info: zipfile.ZipInfo) -> int | None:
    """Where a part's compressed bytes start in the package ``data`` (after its local header), or None when
    the local header is not where the directory says."""
    offset = info.header_offset
    if data[offset:offset + 4] != b"PK\x03\x04" or len(data) < offset + 30:
        return None
    name_length, extra_length = struct.unpack_from("<HH", data, offset + 26)
    return offset + 30 + name_length + extra_length


def _raw_head(handle: object, info: zipfile.ZipInfo, size: int = PROLOG_BYTES,
              data: bytes | None = None) -> bytes | None:
    """The first ``size`` bytes of a stored or deflated part, or None when that needs the general reader
    (``data``: the package's bytes, when in memory)."""
    if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        return None
    if data is not None:
        start = data_start(data, info)
        if start is None:
            return None
        raw = data[start:start + min(info.compress_size, size)]
    else:
        handle.seek(info.header_offset)  # type: ignore[attr-defined]
        local = handle.read(30)  # type: ignore[attr-defined]
        if len(local) < 30 or local[:4] != b"PK\x03\x04":
            return None
        name_length, extra_length = struct.unpack("<HH", local[26:30])
        handle.seek(info.header_offset + 30 + name_length + extra_length)  # type: ignore[attr-defined]
        raw = handle.read(min(info.compress_size, size))  # type: ignore[attr-defined]
    if info.compress_type == zipfile.ZIP_STORED:
        return bytes(raw)
    try:
        return zlib.decompressobj(-15).decompress(raw, size)
    except zlib.error:
        return None


def _doctype(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> str | None:
    """XF009 / XF010 when the part's prolog declares a DOCTYPE (entities / external ids), else None.

    Only the first few KB are inflated: a DOCTYPE must come before the root element."""
    if not info.filename.lower().endswith(_XML_SUFFIXES) or info.file_size == 0:
        return None
    with archive.open(info) as part:
        head = part.read(PROLOG_BYTES)
    return _doctype_kind(head)


def doctype_kind(head: bytes) -> str | None:
    """XF009 (entities: an XML bomb) / XF010 (external identifiers: XXE) when the start of a part declares a
    DOCTYPE, else None."""
    return _doctype_kind(head, PROLOG_BYTES)


def _doctype_kind(head: bytes, limit: int | None = None) -> str | None:
    """The DOCTYPE verdict for the first ``limit`` bytes of a part (any letter case, which no parser accepts
    but which is still not a workbook's)."""
    end = len(head) if limit is None else min(limit, len(head))
    at = head.find(b"<!", 0, end)
    while at >= 0:
        if head[at + 2:at + 9].upper() == b"DOCTYPE":
            # only the declaration itself (up to "]>" after an internal subset, else its first ">"): the text of
            # the part after it ("public holidays" in a sheet) says nothing about external identifiers
            close = head.find(b">", at, end)
            subset = head.find(b"[", at, close if close >= 0 else end)
            closing = head.find(b"]>", subset, end) if subset >= 0 else close
            stop = end if closing < 0 else closing + (2 if subset >= 0 else 1)
            body = head[at:stop].upper()
            if b"SYSTEM" in body or b"PUBLIC" in body:
                return XXE
            return XML_BOMB
        at = head.find(b"<!", at + 2, end)
    return None


def inspect(path: str) -> FileProblem | None:
    """Everything that must be true before a parser may open ``path``; None when it is safe to read."""
    return sniff(path) or check_zip(path)
