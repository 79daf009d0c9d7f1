"""Iterate the unparsed values the reader kept (ValueProblem entries) with their table and record."""

from __future__ import annotations

from collections.abc import Iterator

from .. import spec as S
from ..model import Plan, Record, ValueProblem


def value_problems(plan: Plan, keys: tuple[str, ...] | None = None) -> Iterator[tuple[str, Record, ValueProblem]]:
    """(table key, record, problem) for every value problem of every table record, in sheet order."""
    for spec in S.TABLE_SPECS:
        if keys is not None and spec.key not in keys:
            continue
        for record in plan.records(spec.key):
            for problem in record.problems:
                yield spec.key, record, problem
