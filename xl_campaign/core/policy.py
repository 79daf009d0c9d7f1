"""A team's policy: the thresholds the rules judge a campaign by, as one plain frozen value.

The defaults are the source document's (SEED.md) and are what every rule uses when no policy file exists: a
10%–15% reserve, channel lines within 2 points of their target share, SEED.md's stage calendar, a channel behind
when below 90% of the straight-line pace, overdue from the day after the due date, Monday-started weeks.

A team changes them in ``xl-campaign.toml`` (or ``[tool.xl-campaign]`` in ``pyproject.toml``); the file is read
and validated above the core (``app/config.py``) and arrives here as a :class:`Policy`, passed to the rules
through ``rules.Context``. Nothing here reads a file.

Precedence with a workbook's own cells (``fill_overview``): what a campaign states about itself on its Overview
(its currency; its holiday region where the workbook has that cell) wins over the team's file, which fills the
cell only when it is empty — the file is the team's default, the workbook the campaign's own decision.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal

from .budget import RESERVE_MAX, RESERVE_MIN, name_key
from .model import Plan
from .schedule import DEFAULT_STAGE_RULES, StageRules

# A channel line more than this far from its target share of the channel budget is reported (BUD006).
CHANNEL_SHARE_TOLERANCE = Decimal("0.02")  # two percentage points
# A channel is behind when its results are below this share of the straight-line pace (KPI008).
PACING_TOLERANCE = Decimal("0.9")
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

# Overview fields a policy fills when the workbook leaves them empty: Overview field -> Policy field.
OVERVIEW_DEFAULTS = {"currency": "currency", "region": "holiday_region"}


@dataclass(frozen=True)
class Policy:
    """The thresholds the rules use. Every field has the built-in default the rules had before policies existed.

    Money and rates are Decimal (exact, as the core's sums are); days are whole days.
    """

    reserve_min: Decimal = RESERVE_MIN  # BUD001: the reserve below this share of the total budget
    reserve_max: Decimal = RESERVE_MAX  # BUD002: the reserve above this share
    # BUD006: the team's channel split (channel name -> share of the channel budget), for channels whose target
    # share the Channels sheet leaves empty (the sheet's own share wins: it is the campaign's decision).
    channel_split: tuple[tuple[str, Decimal], ...] = ()
    channel_share_tolerance: Decimal = CHANNEL_SHARE_TOLERANCE  # BUD006
    stages: StageRules = DEFAULT_STAGE_RULES  # DATE005–DATE009, DATE012, KPI006: the stage windows
    pacing_tolerance: Decimal = PACING_TOLERANCE  # KPI008
    overdue_grace_days: int = 0  # DATE013, DATE015, MAT001: days past the due date before work is overdue
    holiday_region: str | None = None  # the region whose public holidays count, when the Overview names none
    currency: str | None = None  # the currency of campaigns whose Overview names none
    week_start: int = 0  # 0 = Monday … 6 = Sunday: where the Gantt's weeks start on a long campaign

    def __post_init__(self) -> None:
        if not Decimal(0) <= self.reserve_min <= self.reserve_max < 1:
            raise ValueError(f"reserve range {self.reserve_min}..{self.reserve_max} is not within 0..1")
        if not 0 <= self.week_start <= 6:
            raise ValueError(f"week_start {self.week_start} is not 0 (Monday) .. 6 (Sunday)")

    def split_share(self, channel: str | None) -> Decimal | None:
        """The team's target share for ``channel`` (names compared as ``budget.name_key`` compares them)."""
        key = name_key(channel)
        for name, share in self.channel_split:
            if name_key(name) == key:
                return share
        return None

    def is_overdue(self, days_late: int) -> bool:
        """Whether work ``days_late`` days past its due date counts as overdue (after the grace days)."""
        return days_late > self.overdue_grace_days


DEFAULT_POLICY = Policy()


def band(low: Decimal, high: Decimal) -> str:
    """``10%–15%``: a range of rates as the messages show it."""
    return f"{percent(low)}–{percent(high)}"


def percent(rate: Decimal) -> str:
    """``0.1`` → ``10%``, ``0.085`` → ``8.5%``: a rate without needless decimals."""
    text = f"{rate * 100:.2f}".rstrip("0").rstrip(".")
    return f"{text}%"


def fill_overview(plan: Plan, policy: Policy) -> Plan:
    """``plan`` with the Overview cells it leaves empty filled from ``policy`` (currency, holiday region).

    The workbook's own cell wins; the policy is the team's default. Returns ``plan`` itself when nothing is filled,
    else a copy whose overview is a new value (the plan read from the file is not changed)."""
    fields = {f.name for f in dataclasses.fields(plan.overview)}
    filled = {key: getattr(policy, attr) for key, attr in OVERVIEW_DEFAULTS.items()
              if key in fields and getattr(policy, attr) and getattr(plan.overview, key) in (None, "")}
    if not filled:
        return plan
    return dataclasses.replace(plan, overview=dataclasses.replace(plan.overview, **filled))


__all__ = ["CHANNEL_SHARE_TOLERANCE", "DEFAULT_POLICY", "PACING_TOLERANCE", "Policy", "StageRules", "WEEKDAYS",
           "band", "fill_overview", "percent"]
