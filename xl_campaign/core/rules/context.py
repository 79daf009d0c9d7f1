"""What every rule gets besides the plan: the report language, the status date and shared lookups."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any

from .. import spec as S
from ..findings import Finding, Severity
from ..model import Plan, Record, Task, a1
from ..policy import DEFAULT_POLICY, Policy
from ..schedule import Window, stage_windows
from ..text import join, quote, t
from ..vocab import VOCABULARIES
from ..workdays import Calendar, plan_calendar
from .registry import Rule

Where = tuple[str, int, int | None] | None


@dataclass
class Context:
    """The report language (zh/en), the status date ("today"), the team's policy (the thresholds) and helpers
    shared by the rules."""

    plan: Plan
    lang: str
    today: date
    policy: Policy = DEFAULT_POLICY
    rule: Rule | None = None
    findings: list[Finding] = field(default_factory=list)
    memo: dict[str, Any] = field(default_factory=dict)  # what several rules compute alike, computed once

    # --- text ---------------------------------------------------------------------------------------------
    def t(self, zh: str, en: str) -> str:
        """The text in the report language."""
        return t(self.lang, zh, en)

    def header(self, key: str, field_key: str) -> str:
        """A column's header text in the report language."""
        return S.SPECS[key].column(field_key).header(self.lang)

    def quote(self, zh: str, en: str | None = None) -> str:
        """A name quoted the way the report language quotes: 「名称」 / "name"."""
        return quote(self.lang, zh, zh if en is None else en)

    def label(self, vocab: str, key: str | None) -> str:
        if key is None:
            return ""
        try:
            return VOCABULARIES[vocab].label(key, self.lang)
        except KeyError:
            return key

    def day(self, value: date | None) -> str:
        return value.isoformat() if value else "—"

    def people(self, names: list[str]) -> str:
        return join(names, self.lang)

    def task_label(self, task: Task) -> str:
        """``T06「线下展架制作」`` / ``T06 "Offline display stands"`` (or the row when there is no ID)."""
        ident = task.id or self.t(f"第 {task.row} 行", f"row {task.row}")
        if not task.task:
            return ident
        return self.t(f"{ident}「{task.task}」", f'{ident} "{task.task}"')

    def pct(self, value: Any) -> str:
        return f"{float(value):.1%}"

    def money(self, value: Any) -> str:
        return f"{float(value):,.2f}"

    # --- places ----------------------------------------------------------------------------------------------
    def where(self, key: str, record: Record, field_key: str | None = None) -> Where:
        """(sheet, row, col) of a record's field; (sheet, row, None) when that column is absent."""
        cells = record.cells
        if cells:
            if field_key is not None and field_key in cells:
                return cells[field_key]
            if "" in cells:  # a row of a second table of this kind
                return cells[""][0], cells[""][1], None
        info = self.plan.tables.get(key)
        if info is None:
            return None
        if field_key is not None and field_key in info.columns:
            return info.sheet, record.row, info.columns[field_key]
        return info.sheet, record.row, None

    def overview_where(self, field_key: str) -> Where:
        cell = self.plan.overview_cell(field_key)
        if cell is None and self.plan.overview_sheet:
            return self.plan.overview_sheet, 0, None
        return cell

    # --- findings --------------------------------------------------------------------------------------------
    def finding(self, where: Where, zh: str, en: str, *, field: str | None = None, value: Any = None,
                expected: tuple[str, str] | str | None = None, hint: tuple[str, str] | None = None,
                severity: Severity | None = None) -> Finding:
        """A finding of the current rule at ``where`` with the message in the report language."""
        assert self.rule is not None
        sheet = row = col = cell = None
        if where is not None:
            sheet, row_, col = where
            row = row_ or None
            if row and col:
                cell = a1(row, col)
        if isinstance(expected, tuple):
            expected = self.t(*expected)
        return Finding(
            code=self.rule.code, rule=self.rule.name, severity=severity or self.rule.severity,
            message=self.t(zh, en), file=self.plan.path, sheet=sheet, cell=cell, row=row, column=col,
            field=field, value=value, expected=expected, hint=self.t(*hint) if hint else None,
        )

    # --- shared lookups --------------------------------------------------------------------------------------
    @property
    def launch(self) -> date | None:
        return self.plan.overview.launch

    @property
    def end(self) -> date | None:
        """The campaign's end date (only when it is not before the launch)."""
        launch, end = self.plan.overview.launch, self.plan.overview.end
        if launch is not None and end is not None and end < launch:
            return None
        return end

    @cached_property
    def windows(self) -> dict[str, Window] | None:
        """The allowed window of each stage (schedule.stage_windows, as wide as the policy says), None without
        launch and end dates."""
        if self.launch is None or self.end is None:
            return None
        return stage_windows(self.launch, self.end, self.calendar, self.policy.stages)

    @cached_property
    def calendar(self) -> Calendar:
        """The campaign's public holidays and make-up working days (the Overview's region; ``core.workdays``)."""
        return plan_calendar(self.plan, self.lang)

    @cached_property
    def tasks_by_id(self) -> dict[str, Task]:
        out: dict[str, Task] = {}
        for task in self.plan.tasks:
            if task.id and task.id not in out:
                out[task.id] = task
        return out

    def task_end(self, task: Task) -> date | None:
        """A task's end; a "whole campaign" (活动全程) due date counts as the campaign's end date."""
        if task.end is not None:
            return task.end
        if task.whole_campaign:
            return self.end
        return None

    @cached_property
    def team_names(self) -> set[str]:
        return {name.strip() for name in self.plan.team_names}

    @cached_property
    def channel_names(self) -> set[str]:
        return {c.name.strip().casefold() for c in self.plan.channels if c.name}
