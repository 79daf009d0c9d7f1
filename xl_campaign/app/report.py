"""The report use case: everything the campaign report shows, computed by the core on one status date.

:func:`report_data` gathers, for a plan and its findings, the campaign facts, the budget and KPI rollups and the
Gantt model; :func:`load_report` does it from a path through the load step (an unreadable workbook gives its XF
finding instead). The page itself is drawn by ``render.html`` (``render_page``, ``write_report``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ..core.budget import BudgetReport
from ..core.facts import CampaignFacts
from ..core.findings import Finding
from ..core.gantt import REPORT_DAY_SCALE_MAX_DAYS, GanttModel
from ..core.kpi import KpiReport
from ..core.model import Plan
from ..core.schedule import status_date
from ..core.text import resolve_lang
from .config import DEFAULT_SETTINGS, Settings
from .load import load

__all__ = ["ReportData", "load_report", "report_data"]


@dataclass(frozen=True)
class ReportData:
    """Everything the page shows: the plan, the core's rollups on the status date, and the findings."""

    plan: Plan
    facts: CampaignFacts
    budget: BudgetReport
    kpi: KpiReport
    gantt: GanttModel
    findings: Sequence[Finding]
    lang: str


def report_data(plan: Plan, findings: Sequence[Finding], *, lang: str | None = None,
                today: date | None = None, week_start: int = 0) -> ReportData:
    """The report's figures for ``plan`` with the validator's ``findings``, judged on the status date
    (``core.schedule.status_date``: ``today``, else the Overview's, else the current date) — the same day
    ``run_rules`` judges on. ``week_start``: where the Gantt's weeks start on a long campaign."""
    from ..core.budget import budget_report
    from ..core.facts import campaign_facts
    from ..core.gantt import build_gantt
    from ..core.kpi import kpi_report

    lang = resolve_lang(lang, plan.lang)
    day = status_date(today, plan.overview.as_of)
    return ReportData(plan, campaign_facts(plan, list(findings), day), budget_report(plan), kpi_report(plan, day),
                      build_gantt(plan, day, REPORT_DAY_SCALE_MAX_DAYS, week_start=week_start), tuple(findings), lang)


def load_report(path: str, *, lang: str | None = None, today: date | None = None,
                settings: Settings = DEFAULT_SETTINGS) -> ReportData | list[Finding]:
    """Read and validate ``path`` (under the team's ``settings``, as ``check``): its report data, or the XF finding
    of a file that cannot be read."""
    from ..core.policy import fill_overview
    from .check import judge

    loaded = load(path)
    if loaded.plan is None:
        return loaded.findings(resolve_lang(lang))
    plan = fill_overview(loaded.plan, settings.policy)
    lang = resolve_lang(lang, plan.lang)
    findings = judge(plan, path, settings, lang=lang, today=today, select=settings.select, ignore=settings.ignore)
    return report_data(plan, findings, lang=lang, today=today, week_start=settings.policy.week_start)
