"""The campaign report: one self-contained HTML page for the people a campaign lead reports to.

The page has no script and fetches nothing: styles are inline, pictures are inline SVG (see :mod:`.svg` for why
SVG rather than matplotlib PNGs), so it can be mailed or archived as one file. Labels follow the workbook's
language (``lang`` overrides). The figures come from the report use case (``app.report``).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ...core.findings import Finding
from ...core.model import Plan

__all__ = ["ReportResult", "build_report", "write_report"]


def build_report(plan: Plan, findings: Sequence[Finding], *, lang: str | None = None,
                 today: date | None = None) -> str:
    """The HTML page for ``plan`` with the validator's ``findings``, judged on the status date."""
    from ...app.report import report_data
    from .page import render_page

    return render_page(report_data(plan, findings, lang=lang, today=today))


@dataclass(frozen=True)
class ReportResult:
    """What ``write_report`` did: the page written (None when the workbook could not be read) and the findings."""

    out: str | None
    findings: list[Finding]
    lang: str  # the language of the page and the messages


def write_report(path: str, out: str, *, lang: str | None = None, today: date | None = None,
                 settings: Any = None) -> ReportResult:
    """Read ``path``, validate it (under the team's policy ``settings``, ``app.config.Settings``; None: the
    defaults) and write the report to ``out`` (atomically). An unreadable workbook writes nothing and returns its
    file-level (XF) finding; the input is only read."""
    from ...app.report import load_report
    from ...core.text import resolve_lang
    from .page import render_page

    data = load_report(path, lang=lang, today=today) if settings is None else \
        load_report(path, lang=lang, today=today, settings=settings)
    if isinstance(data, list):
        return ReportResult(None, data, resolve_lang(lang))
    page = render_page(data)
    folder = os.path.dirname(os.path.abspath(out))
    os.makedirs(folder, exist_ok=True)
    temp = out + ".part"
    with open(temp, "w", encoding="utf-8") as handle:
        handle.write(page)
    os.replace(temp, out)
    return ReportResult(out, list(data.findings), data.lang)
