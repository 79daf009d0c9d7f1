"""The results of a check run: one :class:`FileResult` per file, gathered in a :class:`Report` (what every output
format in ``render/formats.py`` renders, and what ``xl-campaign check --format json`` prints)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .. import __version__
from ..core.findings import FileProblem, Finding, Severity


@dataclass
class FileResult:
    """The result for one file: its content hash, whether it is valid (no error finding), the findings."""

    path: str
    sha256: str | None
    findings: list[Finding] = field(default_factory=list)
    # what an ``analyse`` hook computed from the plan in the worker (rollup's campaign facts); not in the JSON
    extra: Any = None
    # why a file could not be read: its XF finding can be told again in another language
    problem: FileProblem | None = None
    lang: str | None = None  # the workbook's language ("zh" / "en"), when it was read
    fail_on: str | None = None  # the policy file's fail-on for this workbook (the command line's wins)
    # the settings it was checked with: a file that could not be read is told again with them in another language
    settings: Any = None

    @property
    def valid(self) -> bool:
        return not any(f.severity is Severity.ERROR for f in self.findings)

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "sha256": self.sha256, "valid": self.valid,
                "findings": [f.to_dict() for f in self.findings]}


@dataclass
class Report:
    """The results of one check run, in input order."""

    files: list[FileResult] = field(default_factory=list)

    @property
    def findings(self) -> list[Finding]:
        return [f for result in self.files for f in result.findings]

    def summary(self) -> dict[str, Any]:
        findings = self.findings
        by_code = Counter(f.code for f in findings)
        return {
            "files": len(self.files),
            "invalid_files": sum(1 for r in self.files if not r.valid),
            "errors": sum(1 for f in findings if f.severity is Severity.ERROR),
            "warnings": sum(1 for f in findings if f.severity is Severity.WARNING),
            "by_code": dict(sorted(by_code.items())),
        }

    def to_dict(self) -> dict[str, Any]:
        """The JSON report: ``{"tool", "summary", "files": [{"path", "sha256", "valid", "findings"}]}``."""
        return {"tool": {"name": "xl-campaign", "version": __version__}, "summary": self.summary(),
                "files": [r.to_dict() for r in self.files]}

    def common_lang(self) -> str | None:
        """The language most of the workbooks read are in (zh on a tie); None when none could be read."""
        counts = Counter(result.lang for result in self.files if result.lang is not None)
        if not counts:
            return None
        return "zh" if counts["zh"] >= counts["en"] else "en"

    def in_language(self, lang: str) -> None:
        """Tell the findings of files that could not be read (which have no language of their own) in ``lang``."""
        from ..core.rules import file_findings

        for result in self.files:
            if result.problem is not None and result.findings:
                codes = {f.code for f in result.findings}
                findings = [f.with_file(result.path) for f in file_findings(result.problem, path=result.path,
                                                                            lang=lang) if f.code in codes]
                result.findings = result.settings.apply(findings) if result.settings is not None else findings

    def fails(self, fail_on: Severity | str | None) -> bool:
        """True when a finding is at or above ``fail_on`` (exit code 1). None: each file's own ``fail-on`` (its
        policy file's), else ``error``."""
        for result in self.files:
            threshold = Severity(fail_on or result.fail_on or "error").rank
            if any(f.severity.rank >= threshold for f in result.findings):
                return True
        return False
