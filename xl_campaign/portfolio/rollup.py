"""``rollup``: many campaign workbooks into one portfolio workbook, through ``check``'s own worker pool.

Each file is handled exactly as ``xl-campaign check`` handles it — same expansion of folders and globs, same
isolated workers with their time and memory limits, same findings — and, while its plan is in the worker's memory,
its :class:`~.facts.CampaignFacts` are computed there too, so only a small row travels back and nothing is read
twice. A file that cannot be read becomes a row that says why (its XF finding).

How the facts ride along: ``io.check.check_paths`` runs ``io.check.check_file`` in its workers and has no hook
for extra per-file work yet. :func:`rollup_paths` therefore runs ``check_paths`` with ``check_file`` replaced by
:func:`rollup_file` for the duration of the call (the workers are forked inside it and inherit the replacement);
``rollup_file`` calls the real ``check_file`` and keeps the plan that ``read_plan`` returned on the way. Where
workers are spawned rather than forked (Windows), they run the plain ``check_file``; the facts of readable files
are then computed afterwards in this process, with the same result, only slower.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..core.findings import Finding, Severity
from ..io import check as check_module
from ..io.check import FileResult
from .facts import CampaignFacts, campaign_facts
from .sheets import PortfolioRow, portfolio_docs

_check_file = check_module.check_file  # the real one, whatever is patched later


@dataclass
class RollupResult(FileResult):
    """A check result that also carries the campaign's facts (None when the file could not be read)."""

    facts: CampaignFacts | None = field(default=None)


@contextmanager
def _patched(module: Any, name: str, replacement: Any) -> Iterator[None]:
    original = getattr(module, name)
    setattr(module, name, replacement)
    try:
        yield
    finally:
        setattr(module, name, original)


def rollup_file(path: str | os.PathLike[str], *, lang: str | None = None, select: Sequence[str] = (),
                ignore: Sequence[str] = (), today: date | None = None) -> RollupResult:
    """``check_file`` plus the campaign facts, from one read of the workbook."""
    from ..io import reader

    plans: list[Any] = []
    read_plan = reader.read_plan

    def keep(*args: Any, **kwargs: Any) -> Any:
        plan = read_plan(*args, **kwargs)
        plans.append(plan)
        return plan

    with _patched(reader, "read_plan", keep):
        result = _check_file(path, lang=lang, select=select, ignore=ignore, today=today)
    facts = campaign_facts(plans[-1], result.findings, today) if plans else None
    return RollupResult(result.path, result.sha256, result.findings, facts)


def _problem(findings: Sequence[Finding]) -> str:
    """Why a file could not be read: its error findings (code and message)."""
    errors = [f for f in findings if f.severity is Severity.ERROR] or list(findings)
    return "; ".join(f"{f.code} {f.message}" for f in errors[:3]) or "?"


def row_of(result: FileResult, lang: str | None, today: date | None) -> PortfolioRow:
    """The portfolio row of one check result (facts computed here when the worker did not bring them)."""
    facts = getattr(result, "facts", None)
    if facts is None and not any(f.code.startswith("XF") and f.severity is Severity.ERROR for f in result.findings):
        facts = _facts_here(result, today)
    errors = sum(1 for f in result.findings if f.severity is Severity.ERROR)
    warnings = sum(1 for f in result.findings if f.severity is Severity.WARNING)
    if facts is None:
        return PortfolioRow(result.path, None, errors, warnings, _problem(result.findings))
    return PortfolioRow(result.path, facts, errors, warnings)


def _facts_here(result: FileResult, today: date | None) -> CampaignFacts | None:
    from ..io.reader import UnreadableWorkbook, read_plan

    if not result.path.lower().endswith(check_module.WORKBOOK_EXTENSIONS):
        return None
    try:
        plan = read_plan(result.path)
    except (UnreadableWorkbook, OSError, MemoryError):
        return None
    return campaign_facts(plan, result.findings, today)


@dataclass
class Rollup:
    """The rows of a rollup run, in input order, and the check report they came from."""

    rows: list[PortfolioRow]
    report: check_module.Report

    @property
    def unreadable(self) -> list[PortfolioRow]:
        return [r for r in self.rows if r.facts is None]


def rollup_paths(paths: Sequence[str], *, jobs: int | None = None, lang: str | None = None,
                 today: date | None = None, timeout: float = check_module.DEFAULT_TIMEOUT,
                 memory_mb: int = check_module.DEFAULT_MEMORY_MB,
                 on_result: Callable[[FileResult], None] | None = None) -> Rollup:
    """Check and summarise every workbook in ``paths`` (files, folders, globs) with ``check``'s worker pool."""
    with _patched(check_module, "check_file", rollup_file):
        report = check_module.check_paths(paths, jobs=jobs, lang=lang, today=today, timeout=timeout,
                                          memory_mb=memory_mb, on_result=on_result)
    return Rollup([row_of(result, lang, today) for result in report.files], report)


def write_portfolio(rollup: Rollup, out: str, lang: str) -> str:
    """Write the portfolio workbook ``out`` (atomically) and return its path."""
    from ..io.writer import write_companion

    folder = os.path.dirname(os.path.abspath(out))
    os.makedirs(folder, exist_ok=True)
    docs = portfolio_docs(rollup.rows, lang, folder)
    return write_companion(docs, out, title=docs[0].name)
