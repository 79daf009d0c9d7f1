"""Write a compound file (MS-CFB version 3) from named streams: test fixtures only.

Used to make "an add-in as Excel saved it after importing the functions": the template's VBA project with one more
module (``xlwings_udfs``) — Excel would write it, nothing here can. Read back with olefile (an independent reader).
Streams under 4096 bytes go to the mini stream, as MS-CFB requires; the directory is a balanced binary tree of each
storage's children, ordered as MS-CFB compares names (length first, then upper case).
"""

from __future__ import annotations

import struct

SECTOR, MINI_SECTOR, CUTOFF = 512, 64, 4096
FREE, END, FAT_SECTOR, NO_STREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
STORAGE, STREAM, ROOT = 1, 2, 5


def _sectors(size: int, unit: int) -> int:
    return (size + unit - 1) // unit


def write_compound_file(streams: dict[str, bytes]) -> bytes:
    """``streams``: "PROJECT", "VBA/dir", … -> bytes. Storages are made from the paths."""
    # directory entries: 0 is the root
    entries: list[dict] = [{"name": "Root Entry", "type": ROOT, "children": [], "data": b""}]
    by_path = {"": 0}
    for path in sorted(streams):
        parts = path.split("/")
        for depth in range(1, len(parts) + 1):
            key = "/".join(parts[:depth])
            if key in by_path:
                continue
            is_stream = depth == len(parts)
            entries.append({"name": parts[depth - 1], "type": STREAM if is_stream else STORAGE, "children": [],
                            "data": streams[path] if is_stream else b""})
            by_path[key] = len(entries) - 1
            entries[by_path["/".join(parts[:depth - 1])]]["children"].append(len(entries) - 1)

    # mini stream: the small streams, each in whole mini sectors
    mini = bytearray()
    mini_fat: list[int] = []
    for entry in entries:
        if entry["type"] == STREAM and len(entry["data"]) < CUTOFF:
            count = _sectors(len(entry["data"]), MINI_SECTOR)
            entry["start"] = len(mini_fat) if count else END
            mini_fat += [len(mini_fat) + i + 1 for i in range(count - 1)] + ([END] if count else [])
            mini += entry["data"] + b"\0" * (count * MINI_SECTOR - len(entry["data"]))

    # regular sectors: big streams, the mini stream, the mini FAT, the directory, then the FAT itself
    chains: list[tuple[str, bytes]] = []
    for index, entry in enumerate(entries):
        if entry["type"] == STREAM and len(entry["data"]) >= CUTOFF:
            chains.append((f"entry{index}", entry["data"]))
    chains.append(("mini", bytes(mini)))
    chains.append(("minifat", b"".join(struct.pack("<I", v) for v in mini_fat)))
    directory_size = _sectors(len(entries), SECTOR // 128) * SECTOR
    chains.append(("directory", b"\0" * directory_size))
    data_sectors = sum(_sectors(len(data), SECTOR) for _, data in chains)
    fat_sectors = 1
    while fat_sectors * (SECTOR // 4) < data_sectors + fat_sectors:
        fat_sectors += 1
    assert fat_sectors <= 109, "one header's worth of FAT sectors is enough for a fixture"

    fat: list[int] = []
    starts: dict[str, int] = {}
    body = bytearray()
    for name, data in chains:
        count = _sectors(len(data), SECTOR)
        starts[name] = len(fat) if count else END
        fat += [len(fat) + i + 1 for i in range(count - 1)] + ([END] if count else [])
        body += data + b"\0" * (count * SECTOR - len(data))
    fat_start = len(fat)
    fat += [FAT_SECTOR] * fat_sectors
    fat += [FREE] * (fat_sectors * (SECTOR // 4) - len(fat))

    for index, entry in enumerate(entries):
        if entry["type"] == STREAM and len(entry["data"]) >= CUTOFF:
            entry["start"] = starts[f"entry{index}"]
    entries[0]["start"], entries[0]["data"] = starts["mini"], bytes(mini)

    # the tree of each storage's children
    for entry in entries:
        entry.setdefault("left", NO_STREAM)
        entry.setdefault("right", NO_STREAM)
        entry["child"] = NO_STREAM
    for entry in entries:
        ordered = sorted(entry["children"], key=lambda i: (len(entries[i]["name"]), entries[i]["name"].upper()))
        entry["child"] = _balance(ordered, entries)

    directory = bytearray()
    for entry in entries:
        name = entry["name"].encode("utf-16-le") + b"\0\0"
        size = len(entry["data"]) if entry["type"] in (STREAM, ROOT) else 0
        start = entry.get("start", END) if size else (END if entry["type"] != STORAGE else 0)
        directory += (name.ljust(64, b"\0") + struct.pack("<HBBIII", len(name), entry["type"], 1, entry["left"],
                                                           entry["right"], entry["child"])
                      + b"\0" * 16 + struct.pack("<I", 0) + b"\0" * 16 + struct.pack("<IQ", start, size))
    directory += b"\0" * (directory_size - len(directory))
    dir_offset = starts["directory"] * SECTOR
    body[dir_offset:dir_offset + directory_size] = directory
    body += b"".join(struct.pack("<I", v) for v in fat)

    difat = [fat_start + i for i in range(fat_sectors)] + [FREE] * (109 - fat_sectors)
    header = (bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 16
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\0" * 6
              + struct.pack("<IIIIIIIII", 0, fat_sectors, starts["directory"], 0, CUTOFF,
                            starts["minifat"] if mini_fat else END, _sectors(len(mini_fat) * 4, SECTOR), END, 0)
              + b"".join(struct.pack("<I", v) for v in difat))
    assert len(header) == SECTOR
    return header + bytes(body)


def _balance(ordered: list[int], entries: list[dict]) -> int:
    """Link ``ordered`` (sorted siblings) as a balanced binary tree; return its root."""
    if not ordered:
        return NO_STREAM
    middle = len(ordered) // 2
    root = ordered[middle]
    entries[root]["left"] = _balance(ordered[:middle], entries)
    entries[root]["right"] = _balance(ordered[middle + 1:], entries)
    return root


# ----------------------------------------------------------------------------------------------------------------
# a VBA project with one more module

def compress(data: bytes) -> bytes:
    """MS-OVBA 2.4.1 compressed container of ``data``: each full 4096-byte chunk stored raw, the last one as literal
    tokens only (a flag byte of 0 before every 8 bytes) — valid, not small. Enough for fixtures."""
    out = bytearray(b"\x01")  # SignatureByte
    for start in range(0, len(data), 4096):
        chunk = data[start:start + 4096]
        if len(chunk) == 4096:
            out += struct.pack("<H", (4098 - 3) | (0b011 << 12)) + chunk  # flag 0: uncompressed
            continue
        body = bytearray()
        for index in range(0, len(chunk), 8):
            body += b"\0" + chunk[index:index + 8]
        assert len(body) <= 4096, "a fixture's last chunk must stay small"
        out += struct.pack("<H", (len(body) + 2 - 3) | (0b011 << 12) | (1 << 15)) + body
    return bytes(out)


def _records(dir_stream: bytes) -> list[tuple[int, bytes]]:
    """The dir stream's records (id, data); PROJECTVERSION (0x0009) has 6 data bytes against its size field 4."""
    records = []
    index = 0
    while index < len(dir_stream):
        record, size = struct.unpack_from("<HI", dir_stream, index)
        size = 6 if record == 0x0009 else size
        records.append((record, bytes(dir_stream[index + 6:index + 6 + size])))
        index += 6 + size
    return records


def _pack(records: list[tuple[int, bytes]]) -> bytes:
    return b"".join(struct.pack("<HI", record, 4 if record == 0x0009 else len(data)) + data
                    for record, data in records)


def with_module(vba_project: bytes, name: str, source: str, like: str = "RibbonMyAddin") -> bytes:
    """``vba_project`` (a vbaProject.bin) with a standard module ``name`` holding ``source``, its records copied from
    the module ``like``: what Excel's VBComponents.Import and a save would leave (source only, no compiled code)."""
    import io

    import olefile
    from oletools.olevba import decompress_stream

    with olefile.OleFileIO(io.BytesIO(vba_project)) as ole:
        streams = {"/".join(path): ole.openstream(path).read() for path in ole.listdir()}
    records = _records(decompress_stream(bytearray(streams["VBA/dir"])))
    start = records.index((0x0019, like.encode("latin-1")))
    end = next(i for i in range(start, len(records)) if records[i][0] == 0x002B) + 2  # terminator + reserved
    replaced = {0x0019: name.encode("latin-1"), 0x0047: name.encode("utf-16-le"), 0x001A: name.encode("latin-1"),
                0x0032: name.encode("utf-16-le"), 0x0031: struct.pack("<I", 0)}
    module = [(record, replaced.get(record, data)) for record, data in records[start:end]]
    count = next(i for i, (record, _) in enumerate(records) if record == 0x000F)
    records[count] = (0x000F, struct.pack("<H", struct.unpack("<H", records[count][1])[0] + 1))
    last = next(i for i in range(len(records) - 1, -1, -1) if records[i][0] == 0x0010)
    records[last:last] = module
    streams["VBA/dir"] = compress(_pack(records))
    streams[f"VBA/{name}"] = compress(source.replace("\r\n", "\n").replace("\n", "\r\n").encode("latin-1"))
    project = streams["PROJECT"].decode("latin-1")
    anchor = project.index("Name=")
    streams["PROJECT"] = (project[:anchor] + f"Module={name}\r\n" + project[anchor:]).encode("latin-1")
    return write_compound_file(streams)
