"""Budget totals and the contingency reserve, exact (Decimal).

Which reserve wins: the explicit reserve lines (category ``reserve``/应急资金) are the reserve. The *total budget*
is the Overview's total when it is given, else the planned lines plus the reserve; the reserve rate is the
reserve over that total budget, and what the lines and the reserve leave of the total is *unallocated*. These
are the same definitions the Budget sheet's native formulas use (io.template), so both give the same numbers.

The gap to the total budget is never counted as reserve: money nobody has set aside in a line is not a
contingency anyone can draw on, and counting it would hide a missing reserve line from the reserve-rate check.
The Summary shows it as *unallocated*, next to the reserve.
"""

from __future__ import annotations

import unicodedata
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


# --- the budget report: categories, channels, variance, remaining -----------------------------------------


def name_key(text: str | None) -> str:
    """How names of channels are compared: NFKC, case-folded, without spaces, hyphens and underscores
    ("Short video" = "short-video" = "ShortVideo"; "短视频平台" = "短视频平台 ")."""
    if not text:
        return ""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


@dataclass(frozen=True, slots=True)
class CategoryBudget:
    """Planned and actual money of one budget category (vocab CATEGORY key)."""

    key: str
    planned: Decimal
    actual: Decimal

    @property
    def variance(self) -> Decimal:
        """Actual − planned: positive means over budget."""
        return self.actual - self.planned

    @property
    def remaining(self) -> Decimal:
        """Planned − actual: what is left to spend (negative: overspent)."""
        return self.planned - self.actual


@dataclass(frozen=True, slots=True)
class ChannelBudget:
    """The money planned and spent on one channel, and its share of the channel budget against its target."""

    name: str
    planned: Decimal
    actual: Decimal
    share: Decimal | None  # planned / planned of all lines with a channel
    target_share: Decimal | None  # Channels' target budget share
    listed: bool  # the channel is on the Channels sheet

    @property
    def variance(self) -> Decimal:
        return self.actual - self.planned

    @property
    def remaining(self) -> Decimal:
        return self.planned - self.actual

    @property
    def share_gap(self) -> Decimal | None:
        """Share − target share (0.05 = five points more than planned for this channel)."""
        if self.share is None or self.target_share is None:
            return None
        return self.share - self.target_share


@dataclass(frozen=True)
class BudgetReport:
    """Everything the Summary shows about money.

    *Channel budget* is the planned money of every non-reserve line that names a channel; a channel's share is
    its part of that (SEED.md: "60% of the budget on short-video ads" is 60% of the channel budget). Lines of
    category *channels* that name no channel are counted in ``unassigned_channel_planned``.
    """

    totals: BudgetTotals
    categories: tuple[CategoryBudget, ...]
    channels: tuple[ChannelBudget, ...]
    channel_planned: Decimal
    channel_actual: Decimal
    unassigned_channel_planned: Decimal
    target_share_total: Decimal | None  # sum of the Channels' target shares (should be 1)

    @property
    def planned_total(self) -> Decimal:
        """Every planned line including the reserve."""
        return self.totals.lines_planned + self.totals.reserve

    @property
    def actual_total(self) -> Decimal:
        """Every actual amount including reserve drawn."""
        return self.totals.lines_actual + self.totals.reserve_actual

    @property
    def variance(self) -> Decimal:
        """Actual − planned over all lines (reserve included)."""
        return self.actual_total - self.planned_total

    @property
    def remaining(self) -> Decimal:
        """Total budget − everything spent so far (reserve drawn included)."""
        return self.totals.total_budget - self.actual_total


def budget_report(plan: Plan) -> BudgetReport:
    """Budget by category and by channel, variance and remaining money, channel split against target shares."""
    totals = budget_totals(plan)
    categories = tuple(
        CategoryBudget(key, totals.planned_by_category[key], totals.actual_by_category[key]) for key in CATEGORY.keys()
    )
    order: list[str] = []
    names: dict[str, str] = {}
    targets: dict[str, Decimal | None] = {}
    for channel in plan.channels:
        key = name_key(channel.name)
        if not key or key in names:
            continue
        order.append(key)
        names[key] = channel.name or ""
        targets[key] = channel.share
    planned: dict[str, Decimal] = {}
    actual: dict[str, Decimal] = {}
    unassigned = ZERO
    for line in plan.budget:
        if line.category == "reserve":
            continue
        key = name_key(line.channel)
        if not key:
            if line.category == "channels":
                unassigned += line.planned or ZERO
            continue
        if key not in names:
            order.append(key)
            names[key] = line.channel or ""
        planned[key] = planned.get(key, ZERO) + (line.planned or ZERO)
        actual[key] = actual.get(key, ZERO) + (line.actual or ZERO)
    channel_planned = sum(planned.values(), ZERO)
    channel_actual = sum(actual.values(), ZERO)
    channels = tuple(
        ChannelBudget(
            names[key],
            planned.get(key, ZERO),
            actual.get(key, ZERO),
            planned.get(key, ZERO) / channel_planned if channel_planned > 0 else None,
            targets.get(key),
            key in targets,
        )
        for key in order
    )
    shares = [s for s in targets.values() if s is not None]
    return BudgetReport(totals, categories, channels, channel_planned, channel_actual, unassigned,
                        sum(shares, ZERO) if shares else None)
