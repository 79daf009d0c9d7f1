"""The campaign report: one self-contained HTML page for the people a campaign lead reports to.

``build_report(plan, findings)`` returns the page as text; ``report_file(path, out)`` reads a workbook, runs the
validator and writes the page. The page has no script and fetches nothing: styles are inline, pictures are inline
SVG (see :mod:`.svg` for why SVG rather than matplotlib PNGs), so it can be mailed or archived as one file.
Labels follow the workbook's language (``lang`` overrides).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ..core.findings import Finding
from ..core.model import Plan

__all__ = ["ReportResult", "build_report", "report_file"]


def build_report(plan: Plan, findings: Sequence[Finding], *, lang: str | None = None,
                 today: date | None = None) -> str:
    """The HTML page for ``plan`` with the validator's ``findings``, judged on ``today`` (default: the status
    date, else the current date) — the same day ``run_rules`` judges on."""
    from ..core.budget import budget_report
    from ..core.facts import campaign_facts
    from ..core.gantt import build_gantt
    from ..core.kpi import kpi_report
    from ..render.html.page import ReportInput, render_page

    lang = lang if lang in ("zh", "en") else plan.lang if plan.lang in ("zh", "en") else "en"
    day = today or plan.overview.as_of or date.today()
    data = ReportInput(plan, campaign_facts(plan, list(findings), day), budget_report(plan), kpi_report(plan, day),
                       build_gantt(plan, day), tuple(findings), lang)
    return render_page(data)


@dataclass(frozen=True)
class ReportResult:
    """What ``report_file`` did: the page written (None when the workbook could not be read) and the findings."""

    out: str | None
    findings: list[Finding]
    lang: str  # the language of the page and the messages


def report_file(path: str, out: str, *, lang: str | None = None, today: date | None = None) -> ReportResult:
    """Read ``path``, validate it and write the report to ``out``. An unreadable workbook writes nothing and
    returns its file-level (XF) findings; the input is only read."""
    from ..core.rules import file_findings, run_rules
    from ..io.reader import UnreadableWorkbook, read_plan

    try:
        plan = read_plan(path)
    except UnreadableWorkbook as exc:
        return ReportResult(None, file_findings(exc.problem.kind, exc.problem.detail, path=path, lang=lang or "en"),
                            lang or "en")
    except OSError as exc:
        return ReportResult(None, file_findings("unreadable", exc.strerror or str(exc), path=path, lang=lang or "en"),
                            lang or "en")
    lang = lang if lang in ("zh", "en") else plan.lang if plan.lang in ("zh", "en") else "en"
    findings = [f.with_file(path) for f in run_rules(plan, lang=lang, today=today)]
    page = build_report(plan, findings, lang=lang, today=today)
    folder = os.path.dirname(os.path.abspath(out))
    os.makedirs(folder, exist_ok=True)
    temp = out + ".part"
    with open(temp, "w", encoding="utf-8") as handle:
        handle.write(page)
    os.replace(temp, out)
    return ReportResult(out, findings, lang)
