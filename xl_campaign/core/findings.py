"""Findings are values: what the validator reports about one file, sheet or cell.

A :class:`Finding` is frozen and carries everything a person or a CI system needs: the stable code and rule name,
severity, a message already rendered in the report's language, and the exact place (file, sheet, A1 cell,
1-based row and column, field), the offending value, what was expected and how to fix it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import asdict, dataclass, replace
from enum import StrEnum
from typing import Any

from .model import a1
from .text import is_zh, t


@dataclass(frozen=True, slots=True)
class FileProblem:
    """Why a file could not be read at all: the code of its XF rule (``core/rules/xf.py``), a detail for the
    message (a part name, a size, a reason), and a ``variant`` of that code's message (XF003 ``encrypted``: a
    legacy .xls that also has a password; XF008 ``parts``: the package opens but its parts do not parse)."""

    code: str
    detail: str = ""
    variant: str = ""


class Severity(StrEnum):
    """How bad a finding is; ``--fail-on`` compares by rank."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"error": 3, "warning": 2, "info": 1}[self.value]

    def label(self, lang: str | None) -> str:
        """错误 / 警告 / 提示 — error / warning / info: the one way every output names a severity."""
        return t(lang, *_SEVERITY_LABELS[self.value])


_SEVERITY_LABELS = {"error": ("错误", "error"), "warning": ("警告", "warning"), "info": ("提示", "info")}


def counts_line(findings: Iterable[Finding], lang: str | None) -> str:
    """``错误 1 · 警告 4 · 提示 2`` / ``1 error · 4 warnings · 2 info``: how every command counts findings."""
    counts = Counter(f.severity for f in findings)
    if is_zh(lang):
        return " · ".join(f"{s.label(lang)} {counts[s]}" for s in Severity)
    plural = {Severity.ERROR: "errors", Severity.WARNING: "warnings", Severity.INFO: "info"}
    return " · ".join(f"{counts[s]} {s.label(lang) if counts[s] == 1 else plural[s]}" for s in Severity)


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found in a workbook. Rows and columns are real 1-based Excel positions."""

    code: str
    rule: str
    severity: Severity
    message: str
    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    row: int | None = None
    column: int | None = None
    field: str | None = None
    value: Any = None
    expected: str | None = None
    hint: str | None = None

    @classmethod
    def at(cls, where: tuple[str, int, int] | None, **kwargs: Any) -> Finding:
        """A finding placed at ``(sheet, row, col)`` (as returned by ``Plan.cell``), or unplaced when None."""
        if where is None:
            return cls(**kwargs)
        sheet, row, col = where
        return cls(sheet=sheet, row=row, column=col, cell=a1(row, col), **kwargs)

    def with_file(self, path: str) -> Finding:
        return replace(self, file=path)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: values that JSON cannot hold (dates, Decimals) become text."""
        out = asdict(self)
        out["severity"] = self.severity.value
        value = out["value"]
        if value is not None and not isinstance(value, str | int | float | bool):
            out["value"] = str(value)
        return out
