"""Validation rules for campaign workbooks: a registry of small functions, run by :func:`run_rules`.

``run_rules(plan)`` returns the findings of every selected rule, sorted by place, with messages in the
workbook's language (or ``lang``). "Today" is the Overview's status date when given. A rule never raises on bad
data; a rule that fails because of a bug is reported as such and the other rules still run.

File-level XF findings (a file that cannot be read at all) come from :func:`file_findings`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ..findings import Finding
from ..model import Plan
from ..policy import DEFAULT_POLICY, Policy
from ..schedule import status_date
from ..text import resolve_lang, t
from . import bud, dates, kpi, mat, own, rev, sec, wb, xf  # noqa: F401  (registration)
from .context import Context
from .registry import AREAS, RULES, Rule, all_rules, get_rule, is_selected, unknown_selectors
from .values import cached_for
from .xf import FILE_MESSAGES, file_findings


def _rule_failed(plan: Plan, failed: Rule, exc: Exception, lang: str) -> Finding:
    reporter = RULES["XF024"]
    error = f"{type(exc).__name__}: {exc}"
    message = t(lang, f"校验规则 {failed.code}（{failed.name}）出错：{error}",
                f"rule {failed.code} ({failed.name}) failed: {error}")
    hint = t(lang, "请把此信息报告给维护者", "please report this message to the maintainers")
    return Finding(code=reporter.code, rule=reporter.name, severity=reporter.severity, message=message,
                   file=plan.path, field=failed.code, value=error, hint=hint)


__all__ = ["AREAS", "RULES", "Context", "Rule", "all_rules", "FILE_MESSAGES", "file_findings", "get_rule",
           "is_selected", "run_rules", "unknown_selectors"]


def run_rules(plan: Plan, *, lang: str | None = None, today: date | None = None, select: Sequence[str] = (),
              ignore: Sequence[str] = (), policy: Policy = DEFAULT_POLICY) -> list[Finding]:
    """Run the selected rules on ``plan``.

    ``lang``: "zh" or "en" for the messages (None: the workbook's language ``plan.lang``). ``today``: the status
    date overdue work and pacing are judged on (None: the Overview's status date, else ``date.today()``).
    ``select``/``ignore``: codes or prefixes (``"DATE"``, ``"BUD01"``, ``"OWN004"``); ignore wins. ``policy``: the
    thresholds (a team's policy file, ``core.policy``; the built-in defaults when not given).
    Returns the findings sorted by sheet, row, column and code.
    """
    lang = resolve_lang(lang, plan.lang)
    today = status_date(today, plan.overview.as_of)
    ctx = Context(plan, lang, today, policy)
    findings: list[Finding] = []
    with cached_for(plan):
        everything = not select and not ignore
        for registered in all_rules():
            if registered.func is None or not (everything or is_selected(registered.code, select, ignore)):
                continue
            ctx.rule = registered
            try:
                findings.extend(registered.func(plan, ctx))
            except Exception as exc:  # a bug in one rule must not hide what the others found
                findings.append(_rule_failed(plan, registered, exc, lang))
    order = {s: i for i, s in enumerate(plan.sheet_names)}
    findings.sort(key=lambda f: (order.get(f.sheet or "", -1), f.row or 0, f.column or 0, f.code))
    return findings
