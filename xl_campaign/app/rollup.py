"""``rollup``: many campaign workbooks into one portfolio workbook, through ``check``'s own worker pool.

Each file is handled exactly as ``xl-campaign check`` handles it — same expansion of folders and globs, same
isolated workers with their time and memory limits, same findings — and, while its plan is in the worker's memory,
its :class:`~.facts.CampaignFacts` are computed there too, so only a small row travels back and nothing is read
twice. A file that cannot be read becomes a row that says why (its XF finding).

How the facts ride along: ``check_paths(..., analyse=file_facts)`` runs :func:`file_facts` in the worker on the
plan ``check_file`` has just read; the facts come back in ``FileResult.extra``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..core.facts import CampaignFacts, campaign_facts
from ..core.findings import Finding, Severity
from ..core.sheets.portfolio import PortfolioRow, portfolio_docs
from . import check as check_module
from .check import FileResult
from .config import Settings


def file_facts(plan: Any, findings: list[Finding], today: date | None) -> CampaignFacts:
    """The campaign facts of one readable workbook (the ``analyse`` hook of ``check_paths``)."""
    return campaign_facts(plan, findings, today)


def rollup_file(path: str | os.PathLike[str], *, lang: str | None = None, select: Sequence[str] = (),
                ignore: Sequence[str] = (), today: date | None = None) -> FileResult:
    """``check_file`` plus the campaign facts (in ``extra``), from one read of the workbook."""
    return check_module.check_file(path, lang=lang, select=select, ignore=ignore, today=today, analyse=file_facts)


def _problem(findings: Sequence[Finding]) -> str:
    """Why a file could not be read: its error findings (code and message)."""
    errors = [f for f in findings if f.severity is Severity.ERROR] or list(findings)
    return "; ".join(f"{f.code} {f.message}" for f in errors[:3]) or "?"


def row_of(result: FileResult, lang: str | None, today: date | None) -> PortfolioRow:
    """The portfolio row of one check result (facts computed here when the worker did not bring them)."""
    facts = result.extra if isinstance(result.extra, CampaignFacts) else None
    errors = sum(1 for f in result.findings if f.severity is Severity.ERROR)
    warnings = sum(1 for f in result.findings if f.severity is Severity.WARNING)
    if facts is None:
        return PortfolioRow(result.path, None, errors, warnings, _problem(result.findings))
    return PortfolioRow(result.path, facts, errors, warnings)


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
                 on_result: Callable[[FileResult], None] | None = None,
                 settings_for: Callable[[str], Settings] | None = None) -> Rollup:
    """Check and summarise every workbook in ``paths`` (files, folders, globs) with ``check``'s worker pool;
    ``settings_for``: each workbook's policy settings, as for ``check_paths``."""
    report = check_module.check_paths(paths, jobs=jobs, lang=lang, today=today, timeout=timeout,
                                      memory_mb=memory_mb, on_result=on_result, analyse=file_facts,
                                      settings_for=settings_for)
    return Rollup([row_of(result, lang, today) for result in report.files], report)


OUTPUTS = (".xlsx", ".csv", ".parquet")


def portfolio_records(rollup: Rollup) -> list[dict[str, object]]:
    """One flat record per input (``core.sheets.portfolio.RECORD_COLUMNS``), in input order."""
    from ..core.sheets.portfolio import portfolio_record

    return [portfolio_record(row) for row in rollup.rows]


def write_output(rollup: Rollup, out: str, lang: str) -> str:
    """Write the portfolio to ``out`` by its extension: a workbook (.xlsx), or one flat table for BI tools
    (.csv, or .parquet when pyarrow is installed); atomically. Returns the path."""
    extension = os.path.splitext(out)[1].lower()
    if extension == ".xlsx":
        return write_portfolio(rollup, out, lang)
    from ..core.sheets.portfolio import RECORD_COLUMNS
    from ..io.tables import write_csv, write_parquet

    writer = write_csv if extension == ".csv" else write_parquet
    return writer(portfolio_records(rollup), RECORD_COLUMNS, out)


def write_portfolio(rollup: Rollup, out: str, lang: str) -> str:
    """Write the portfolio workbook ``out`` (atomically) and return its path."""
    from ..io.writer import write_companion

    folder = os.path.dirname(os.path.abspath(out))
    os.makedirs(folder, exist_ok=True)
    docs = portfolio_docs(rollup.rows, lang, folder)
    return write_companion(docs, out, title=docs[0].name)
