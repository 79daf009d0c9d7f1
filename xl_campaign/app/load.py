"""The one load step every use case starts from: a path becomes a plan, or the problem that says why not.

``check``, ``update``, ``report``, ``rollup``, ``show`` and the ribbon button all read a workbook through
:func:`load`, so the same file gives the same answer everywhere: a missing file, a folder, a legacy ``.xls``, an
encrypted or broken package each become one :class:`~xl_campaign.core.findings.FileProblem` (an XF code), said in
zh or en by ``core.rules.file_findings`` — never an exception. Inputs are only read.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass

from ..core.findings import FileProblem, Finding
from ..core.model import Plan

WORKBOOK_EXTENSIONS = (".xlsx", ".xlsm", ".xltx", ".xltm", ".xlam")  # .xlam: an add-in is checked for its code (SEC)


@dataclass
class Loaded:
    """What :func:`load` found: the plan of a readable workbook, else the problem; the hash of the bytes read."""

    path: str
    plan: Plan | None = None
    problem: FileProblem | None = None
    sha256: str | None = None

    def findings(self, lang: str) -> list[Finding]:
        """The XF finding of a file that could not be read, in ``lang`` (empty for a readable workbook)."""
        if self.problem is None:
            return []
        from ..core.rules import file_findings

        return file_findings(self.problem, path=self.path, lang=lang)


def sha256_of(path: str) -> str | None:
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def unreadable_reason(path: str) -> str:
    """Why ``path`` cannot be opened: no such file, a folder, or no permission."""
    if not os.path.exists(path):
        return "no such file"
    return "a folder" if os.path.isdir(path) else "no permission"


def load(path: str | os.PathLike[str], *, user_sheets_only: bool = False) -> Loaded:
    """Read ``path`` into a plan, or say why it cannot be read. Never raises for a bad input.

    ``user_sheets_only``: leave out the sheets xl-campaign generated (Gantt, Summary, Issues), so that what is
    judged is the user's own work and an update never feeds on its own output (``update`` and the ribbon button).
    """
    from ..io import guard
    from ..io.reader import UnreadableWorkbook, read_plan
    from ..io.xlsx import read_small

    path = os.fspath(path)
    try:
        data = read_small(path)  # one read: the hash is of the very bytes that are checked
    except OSError:
        data = None
    sha = hashlib.sha256(data).hexdigest() if data is not None else sha256_of(path)
    if sha is None:
        return Loaded(path, problem=FileProblem("XF019", unreadable_reason(path)))
    if not path.lower().endswith(WORKBOOK_EXTENSIONS):
        problem = guard.sniff(path) or guard.inspect(path)
        return Loaded(path, problem=problem or FileProblem("XF015", os.path.splitext(path)[1] or "no extension"),
                      sha256=sha)
    try:
        plan = read_plan(path, data)
    except UnreadableWorkbook as exc:
        return Loaded(path, problem=exc.problem, sha256=sha)
    except MemoryError:
        return Loaded(path, problem=FileProblem("XF018", "MemoryError"), sha256=sha)
    except OSError as exc:
        return Loaded(path, problem=FileProblem("XF019", exc.strerror or str(exc)), sha256=sha)
    if user_sheets_only:
        drop_generated(plan)
    return Loaded(path, plan, sha256=sha)


def drop_generated(plan: Plan) -> Plan:
    """Leave the generated sheets' names and the notes about their cells out of ``plan`` (the reader already
    never takes a table from a generated sheet)."""
    from ..core import spec as S

    generated = {name for sheet in S.GENERATED_SHEETS for name in sheet.names()}
    plan.cell_notes = [note for note in plan.cell_notes if note.sheet not in generated]
    plan.sheet_names = [name for name in plan.sheet_names if name not in generated]
    return plan
