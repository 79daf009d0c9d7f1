"""The review use case: the stage-4 review of a campaign workbook, read through the one load step and judged on
the status date (``--today``, else the Overview's, else the clock), with the validator's findings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..core.findings import Finding
from ..core.review import Review
from ..core.schedule import status_date
from ..core.text import resolve_lang
from .config import DEFAULT_SETTINGS, Settings
from .load import load


@dataclass(frozen=True)
class ReviewResult:
    """The review of a readable workbook (``review``) with its findings, else the XF findings of one that is not."""

    path: str
    lang: str
    review: Review | None
    findings: list[Finding]


def load_review(path: str, *, lang: str | None = None, today: date | None = None,
                settings: Settings = DEFAULT_SETTINGS) -> ReviewResult:
    """Read ``path`` and write its review in ``lang`` (default: the workbook's language), judged under the team's
    policy ``settings`` as ``check`` judges it."""
    from ..core.kpi import kpi_report
    from ..core.policy import fill_overview
    from ..core.review import review_of
    from .check import judge

    loaded = load(path)
    if loaded.plan is None:
        lang = resolve_lang(lang)
        return ReviewResult(path, lang, None, loaded.findings(lang))
    plan = fill_overview(loaded.plan, settings.policy)
    lang = resolve_lang(lang, plan.lang)
    day = status_date(today, plan.overview.as_of)
    findings = judge(plan, path, settings, lang=lang, today=day, select=settings.select, ignore=settings.ignore)
    return ReviewResult(path, lang, review_of(plan, kpi_report(plan, day), lang), findings)
