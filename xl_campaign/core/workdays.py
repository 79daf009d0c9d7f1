"""Public holidays and working days of a region, from the maintained ``holidays`` library.

The source document plans around holidays and industry dates (national holidays, 618, 双11). A campaign's region
is the Overview's *Region* (地区) cell — an ISO code (``CN``, ``US`` …), a name (``中国``, ``China``) or ``无`` /
``none`` for weekends only; empty means ``CN`` in a Chinese workbook and weekends only in an English one.

China moves working days around its holidays (调休): a Saturday or Sunday can be a working day, and the weekdays
around a festival become days off. ``holidays`` knows both (its ``weekend_workdays``); :class:`Calendar` keeps the
two sets for the years a campaign needs, so the rules, the Gantt and the scheduler ask it without the library.

The library is imported on first use only, and only the one country's module is loaded: ``holidays``' own
lookup imports every country module (~0.4 s), which ``check`` must not pay for one calendar.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from .model import Plan
from .text import is_zh

# Names people type for a region, beside the ISO codes the library knows.
REGION_NAMES: dict[str, str] = {
    "中国": "CN", "中国大陆": "CN", "大陆": "CN", "内地": "CN", "china": "CN", "prc": "CN", "mainland china": "CN",
    "香港": "HK", "hong kong": "HK", "澳门": "MO", "macau": "MO", "macao": "MO", "台湾": "TW", "taiwan": "TW",
    "美国": "US", "usa": "US", "united states": "US", "英国": "GB", "uk": "GB", "united kingdom": "GB",
    "日本": "JP", "japan": "JP", "韩国": "KR", "korea": "KR", "新加坡": "SG", "singapore": "SG",
    "德国": "DE", "germany": "DE", "法国": "FR", "france": "FR", "澳大利亚": "AU", "australia": "AU",
    "加拿大": "CA", "canada": "CA", "马来西亚": "MY", "malaysia": "MY", "泰国": "TH", "thailand": "TH",
}
NO_REGION = ("无", "不适用", "仅周末", "none", "no", "n/a", "-", "—", "weekends only")
DEFAULT_REGION_ZH = "CN"


@dataclass(frozen=True)
class Calendar:
    """The public holidays (day → name) and the weekend days worked instead (调休) of one region."""

    region: str | None
    holidays: dict[date, str] = field(default_factory=dict)
    workdays: frozenset[date] = frozenset()  # Saturdays and Sundays that are working days

    def is_holiday(self, day: date) -> bool:
        """A public holiday (a day off by law, including the weekdays given off around a festival)."""
        return day in self.holidays

    def is_working_day(self, day: date) -> bool:
        if day in self.holidays:
            return False
        return day.weekday() < 5 or day in self.workdays

    def name(self, day: date) -> str:
        return self.holidays.get(day, "")

    def working_days(self, first: date, last: date) -> int:
        """Working days from ``first`` to ``last``, both included (0 when ``last`` is before ``first``)."""
        count, day = 0, first
        while day <= last:
            count += self.is_working_day(day)
            day += timedelta(days=1)
        return count


NO_CALENDAR = Calendar(None)


def region_code(text: str | None) -> str | None:
    """The ISO code a Region cell names, ``""`` for "no holidays", None when it names nothing known."""
    if text is None:
        return None
    folded = " ".join(unicodedata.normalize("NFKC", text).strip().lower().split())
    if folded in NO_REGION:
        return ""
    if folded in REGION_NAMES:
        return REGION_NAMES[folded]
    code = folded.upper()
    return code if _module_of(code) is not None else None


def plan_region(text: str | None, lang: str) -> str | None:
    """The region a campaign's holidays come from: the Overview's, else CN for a Chinese workbook."""
    if text is None or not text.strip():
        return DEFAULT_REGION_ZH if is_zh(lang) else None
    return region_code(text) or None


def _module_of(code: str) -> tuple[str, str] | None:
    """(module, class name) of the ``holidays`` country with ISO code ``code``."""
    if not code.isalpha() or not 2 <= len(code) <= 3:
        return None
    from holidays.registry import COUNTRIES

    for module, names in COUNTRIES.items():
        if code in names[1:]:
            return module, names[0]
    return None


@functools.lru_cache(maxsize=16)
def _country(code: str) -> type:
    """The holidays class of one country, loading only that country's module (see the module docstring)."""
    import importlib.util
    import os

    import holidays

    module, class_name = _module_of(code) or ("", "")
    path = os.path.join(os.path.dirname(holidays.__file__), "countries", f"{module}.py")
    spec = importlib.util.spec_from_file_location(f"xl_campaign._holidays_{module}", path)
    if spec is None or spec.loader is None:  # pragma: no cover - the library's layout changed
        return holidays.country_holidays(code).__class__  # type: ignore[no-any-return]
    loaded = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(loaded)
    return getattr(loaded, class_name)  # type: ignore[no-any-return]


@functools.lru_cache(maxsize=64)
def calendar(region: str | None, first_year: int, last_year: int, lang: str = "zh") -> Calendar:
    """The holidays of ``region`` from ``first_year`` to ``last_year``, named in ``lang`` where the library can."""
    if not region or _module_of(region) is None:
        return Calendar(None)
    country = _country(region)
    languages = getattr(country, "supported_languages", ()) or ()
    wanted = ("zh_CN" if is_zh(lang) else "en_US")
    kwargs = {"language": wanted} if wanted in languages else {}
    years = range(first_year, last_year + 1)
    table = country(years=years, **kwargs)
    workdays = frozenset(d for d in getattr(table, "weekend_workdays", ()) if first_year <= d.year <= last_year)
    return Calendar(region, {day: str(name) for day, name in sorted(table.items())}, workdays)


def calendar_around(region: str | None, first: date | None, last: date | None, lang: str = "zh") -> Calendar:
    """The calendar of ``region`` for the years from a month before ``first`` to a month after ``last``."""
    if not region or first is None:
        return Calendar(region or None)
    last = last or first
    return calendar(region, (first - timedelta(days=45)).year, (last + timedelta(days=45)).year, lang)


def days_back(day: date, count: int, cal: Calendar | None = None) -> date:
    """The ``count``-th day before ``day`` that is not a public holiday (``day - count`` without holidays)."""
    if cal is None or not cal.holidays:
        return day - timedelta(days=count)
    found = 0
    while found < count:
        day -= timedelta(days=1)
        if not cal.is_holiday(day):
            found += 1
    return day


def days_after(day: date, count: int, cal: Calendar | None = None) -> date:
    """The ``count``-th day after ``day`` that is not a public holiday (``day + count`` without holidays)."""
    if cal is None or not cal.holidays:
        return day + timedelta(days=count)
    found = 0
    while found < count:
        day += timedelta(days=1)
        if not cal.is_holiday(day):
            found += 1
    return day


def plan_calendar(plan: Plan, lang: str | None = None) -> Calendar:
    """The holiday calendar of a campaign: its region (``plan_region``) for the years around its dates."""
    overview = plan.overview
    region = plan_region(overview.region, plan.lang)
    first = overview.launch or overview.end
    days = [d for t in plan.tasks for d in (t.start, t.end) if d is not None]
    if first is None and days:
        first = min(days)
    if first is None:
        return Calendar(region)
    last = max([overview.end or first, first, *days])
    first = min([first, *days])
    return calendar_around(region, first, last, lang or plan.lang)
