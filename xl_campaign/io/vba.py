"""The VBA project of a workbook (``xl/vbaProject.bin``), read without running it: its modules' source code through
oletools' olevba (a well-kept analyser that decompresses the MS-OVBA streams of the OLE container), then the
procedures Excel runs by itself and the calls that do what malware does, found with ``core.security``'s tables.

olevba is imported only here, and only for a workbook that holds a VBA project (its import costs ~0.1–0.3 s and
pulls in pyparsing and msoffcrypto-tool): the package scan of every other workbook never pays for it. Its own
``analyze_macros`` is not used: it runs a regular expression per keyword over the whole code and took 7 s on a
500 KB project; one combined pattern per question takes milliseconds.
"""

from __future__ import annotations

import warnings

from ..core.model import SecurityNote
from ..core.security import VBA_CALL_PATTERN, VBA_PROCEDURE_PATTERN, VBA_URL_PATTERN, vba_trigger

MAX_URLS = 10


def _parser() -> type | None:
    try:
        with warnings.catch_warnings():  # oletools 0.60 calls pyparsing names that pyparsing 3 deprecates
            warnings.simplefilter("ignore")
            from oletools.olevba import VBA_Parser
    except ImportError:
        return None
    return VBA_Parser  # type: ignore[no-any-return]


def modules(data: bytes) -> list[tuple[str, str]]:
    """(module name, source code) of every module of the VBA project ``data`` (the bytes of vbaProject.bin).
    Raises ImportError without oletools, and what olevba raises for a project it cannot read."""
    parser_type = _parser()
    if parser_type is None:
        raise ImportError("oletools is not installed")
    parser = parser_type("vbaProject.bin", data=data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            found = [(str(name or stream).rsplit(".", 1)[0], code if isinstance(code, str) else
                      code.decode("latin-1")) for _, stream, name, code in parser.extract_macros()]
    finally:
        parser.close()
    return found


def vba_notes(part: str, data: bytes, signed: bool = False) -> list[SecurityNote]:
    """What the SEC rules need to know about the VBA project at ``part``: one ``vba`` note (its modules; details
    ``signed``, or ``unreadable``/``not-analysed`` and why), a ``vba-procedure`` note per procedure Excel runs by
    itself (name, module), a ``vba-call`` note per suspicious keyword (keyword, module) and ``vba-url`` notes."""
    flags = ("signed",) if signed else ()
    try:
        found = modules(data)
    except ImportError as exc:
        return [SecurityNote("vba", part, details=(*flags, "not-analysed", str(exc)))]
    except Exception as exc:  # olevba's own errors for a broken or disguised project
        return [SecurityNote("vba", part, details=(*flags, "unreadable", f"{type(exc).__name__}: {exc}"))]
    notes = [SecurityNote("vba", part, name=str(len(found)), details=(*flags, *(name for name, _ in found)))]
    calls: set[str] = set()
    urls: list[str] = []
    for module, code in found:
        for m in VBA_PROCEDURE_PATTERN.finditer(code):
            if vba_trigger(m[1]) is not None:
                notes.append(SecurityNote("vba-procedure", part, name=m[1], target=module))
        for m in VBA_CALL_PATTERN.finditer(code):
            if m[1].lower() not in calls:
                calls.add(m[1].lower())
                notes.append(SecurityNote("vba-call", part, name=m[1], target=module))
        for m in VBA_URL_PATTERN.finditer(code):
            if m[0] not in urls and len(urls) < MAX_URLS:
                urls.append(m[0])
    notes += [SecurityNote("vba-url", part, target=url) for url in urls]
    return notes
