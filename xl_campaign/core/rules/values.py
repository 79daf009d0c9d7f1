"""Iterate the unparsed values the reader kept (ValueProblem entries) with their table and record."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from .. import spec as S
from ..model import Plan, Record, ValueProblem

Item = tuple[str, Record, ValueProblem]
# While run_rules runs, the list for its plan is kept here: a dozen rules ask for it, and going over every record
# of a 100,000-row sheet once is enough.
_cached: tuple[Plan, list[Item]] | None = None


def _collect(plan: Plan) -> list[Item]:
    return [(spec.key, record, problem) for spec in S.TABLE_SPECS for record in plan.records(spec.key)
            if record.problems for problem in record.problems]


@contextmanager
def cached_for(plan: Plan) -> Iterator[None]:
    """Keep ``plan``'s value problems for the duration of the block (run_rules)."""
    global _cached
    _cached = (plan, _collect(plan))
    try:
        yield
    finally:
        _cached = None


def value_problems(plan: Plan) -> list[Item]:
    """(table key, record, problem) for every value problem of every table record, in sheet order."""
    if _cached is not None and _cached[0] is plan:
        return _cached[1]
    return _collect(plan)
