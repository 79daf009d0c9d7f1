"""Budget totals and the contingency reserve, exact (Decimal).

Which reserve wins: the explicit reserve lines (category ``reserve``/应急资金) are the reserve. The *total budget*
is the Overview's total when it is given, else the planned lines plus the reserve; the reserve rate is the
reserve over that total budget, and what the lines and the reserve leave of the total is *unallocated*. These
are the same definitions the Budget sheet's native formulas use (io.template), so both give the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .model import Plan
from .vocab import CATEGORY

ZERO = Decimal(0)
RESERVE_MIN = Decimal("0.10")
RESERVE_MAX = Decimal("0.15")


@dataclass(frozen=True)
class BudgetTotals:
    """Planned and actual by category, the reserve and what is left."""

    planned_by_category: dict[str, Decimal] = field(default_factory=dict)
    actual_by_category: dict[str, Decimal] = field(default_factory=dict)
    lines_planned: Decimal = ZERO  # every line but the reserve
    lines_actual: Decimal = ZERO
    reserve: Decimal = ZERO
    reserve_actual: Decimal = ZERO
    total_budget: Decimal = ZERO  # Overview total, else lines + reserve
    total_from_overview: bool = False

    @property
    def reserve_rate(self) -> Decimal | None:
        """Reserve / total budget; None when there is no budget."""
        return self.reserve / self.total_budget if self.total_budget > 0 else None

    @property
    def unallocated(self) -> Decimal:
        """Total budget − planned lines − reserve (negative: over-allocated)."""
        return self.total_budget - self.lines_planned - self.reserve


def budget_totals(plan: Plan) -> BudgetTotals:
    """Sum the Budget table of ``plan`` (lines with an unknown category count under ``other``)."""
    planned = {key: ZERO for key in CATEGORY.keys()}
    actual = {key: ZERO for key in CATEGORY.keys()}
    for line in plan.budget:
        category = line.category or "other"
        planned[category] += line.planned or ZERO
        actual[category] += line.actual or ZERO
    reserve = planned["reserve"]
    lines_planned = sum((v for k, v in planned.items() if k != "reserve"), ZERO)
    lines_actual = sum((v for k, v in actual.items() if k != "reserve"), ZERO)
    overview_total = plan.overview.total_budget
    from_overview = overview_total is not None and overview_total > 0
    total = overview_total if from_overview and overview_total is not None else lines_planned + reserve
    return BudgetTotals(planned, actual, lines_planned, lines_actual, reserve, actual["reserve"], total,
                        from_overview)
