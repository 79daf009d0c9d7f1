"""A campaign workbook as pandas DataFrames: ``xl_campaign.frames(path)``.

One DataFrame per table — ``tasks``, ``team``, ``materials``, ``budget``, ``channels``, ``kpi``, ``review``,
``goals`` — and ``findings`` (what ``xl-campaign check`` reports, with the policy file found for the workbook).
Each table has a column per declared field, named by its key (``owner``, ``start``, ``planned`` …: the same in
zh and en workbooks), then ``sheet`` and ``row``: where the row is in the workbook (1-based Excel row). The cell of
any value is ``frame.attrs["columns"][field]`` (its column letter) and the row: :func:`source_cell` says it.
``frame.attrs["headers"]`` holds each field's header as the workbook writes it.

dtypes, by the column's declared type:

- dates → ``datetime64[ns]`` (NaT when empty);
- counts → ``Int64`` (nullable integers); rates (budget shares, progress) → ``float64`` (0.12 for 12%);
- money → ``float64`` by default. The rule: the core adds money up exactly (Decimal), and every amount a workbook
  holds is a number Excel itself stores as a double, so a float loses nothing that was in the cell; sums over many
  rows in pandas may differ from the Summary's exact ones in the last cents' digits. ``money="decimal"`` keeps
  the exact ``Decimal`` values (``object`` dtype) for accounting-grade sums;
- text and dropdown columns → ``string`` (dropdowns as their stable keys: ``in_progress``, ``reserve`` …);
- people, departments, task IDs → ``object`` (Python lists); yes/no → ``boolean``.

pandas is an extra (``pip install 'xl-campaign[pandas]'``); without it :func:`frames` raises ``ImportError``
saying so. A file that cannot be read raises ``ValueError`` with its XF finding's message.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from ..core import spec as S
from ..core.columns import ColType
from ..core.model import Plan, column_letter

TABLES = ("tasks", "team", "materials", "budget", "channels", "kpi", "review", "goals")
FINDING_COLUMNS = ("code", "rule", "severity", "message", "sheet", "cell", "row", "column", "field", "value",
                   "expected", "hint")
MONEY = ("float", "decimal")


def _pandas() -> Any:
    try:
        import pandas as pd
    except ImportError:
        raise ImportError("xl_campaign.frames() needs pandas: pip install 'xl-campaign[pandas]' "
                          "/ 需要 pandas：pip install 'xl-campaign[pandas]'") from None
    return pd


@dataclass
class Frames:
    """The DataFrames of one workbook (see the module docstring), its overview values and its language."""

    path: str
    lang: str
    tasks: Any
    team: Any
    materials: Any
    budget: Any
    channels: Any
    kpi: Any
    review: Any
    goals: Any
    findings: Any
    overview: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Any:
        if name not in (*TABLES, "findings"):
            raise KeyError(name)
        return getattr(self, name)

    def items(self) -> list[tuple[str, Any]]:
        return [(name, getattr(self, name)) for name in (*TABLES, "findings")]


def _series(pd: Any, column: S.Column, values: list[Any], money: str) -> Any:
    kind = column.type
    if kind is ColType.DATE:
        return pd.to_datetime(pd.Series([datetime.combine(v, datetime.min.time()) if isinstance(v, date) else None
                                         for v in values], dtype="object"), errors="coerce").astype("datetime64[ns]")
    if kind is ColType.INT:
        return pd.Series(values, dtype="Int64")
    if kind is ColType.MONEY and money == "decimal":
        return pd.Series(values, dtype="object")
    if kind in (ColType.MONEY, ColType.PERCENT):
        return pd.Series([None if v is None else float(v) for v in values], dtype="float64")
    if kind in (ColType.PEOPLE, ColType.LIST, ColType.IDS):
        return pd.Series([list(v) for v in values], dtype="object")
    if kind is ColType.FLAG:
        return pd.Series(values, dtype="boolean")
    return pd.Series(values, dtype="string")


def table_frame(plan: Plan, key: str, *, money: str = "float") -> Any:
    """The DataFrame of the table ``key`` of ``plan`` (columns by field key, then ``sheet`` and ``row``)."""
    pd = _pandas()
    spec = S.SPECS[key]
    records = plan.records(key)
    info = plan.tables.get(key)
    data: dict[str, Any] = {}
    for column in spec.input_columns:
        data[column.key] = _series(pd, column, [getattr(r, column.key) for r in records], money)
    data["sheet"] = pd.Series([info.sheet if info else None] * len(records), dtype="string")
    data["row"] = pd.Series([r.row for r in records], dtype="Int64")
    frame = pd.DataFrame(data)
    frame.attrs["table"] = spec.table
    frame.attrs["columns"] = {k: column_letter(c) for k, c in (info.columns.items() if info else ())}
    frame.attrs["headers"] = {c.key: c.header(plan.lang) for c in spec.input_columns}
    return frame


def source_cell(frame: Any, index: Any, field_key: str) -> str | None:
    """``"预算!E7"``: the cell the value ``frame.loc[index, field_key]`` was read from (None when the column is not
    in the workbook)."""
    letter = frame.attrs.get("columns", {}).get(field_key)
    sheet, row = frame.at[index, "sheet"], frame.at[index, "row"]
    if letter is None or sheet is None or row is None:
        return None
    return f"{sheet}!{letter}{int(row)}"


def findings_frame(findings: list[Any]) -> Any:
    """Findings as a DataFrame: one row per finding, the columns of ``check``'s JSON output."""
    pd = _pandas()
    rows = [{key: value for key, value in f.to_dict().items() if key in FINDING_COLUMNS} for f in findings]
    frame = pd.DataFrame(rows, columns=list(FINDING_COLUMNS))
    for key in ("row", "column"):
        frame[key] = frame[key].astype("Int64")
    for key in ("code", "rule", "severity", "message", "sheet", "cell", "field", "expected", "hint"):
        frame[key] = frame[key].astype("string")
    return frame


def frames(path: str | os.PathLike[str], *, money: str = "float", lang: str | None = None,
           today: date | None = None, config: str | None = None) -> Frames:
    """Every table of the workbook at ``path`` and its findings, as DataFrames (see the module docstring).

    ``money``: ``"float"`` (default) or ``"decimal"``. ``lang``/``today``: as ``xl-campaign check``'s options, for
    the findings. ``config``: the policy file to use (default: the one found above the workbook, as ``check``)."""
    if money not in MONEY:
        raise ValueError(f"money={money!r}: use 'float' or 'decimal'")
    _pandas()
    from ..core.policy import fill_overview
    from ..core.text import resolve_lang
    from .check import judge
    from .config import Resolver
    from .load import load

    loaded = load(path)
    if loaded.plan is None:
        message = "; ".join(f.message for f in loaded.findings(resolve_lang(lang)))
        raise ValueError(f"{loaded.path}: {message}")
    settings = Resolver(explicit=config).settings_for(loaded.path)
    plan = fill_overview(loaded.plan, settings.policy)
    findings = judge(plan, loaded.path, settings, lang=lang, today=today, select=settings.select,
                     ignore=settings.ignore)
    tables = {key: table_frame(plan, key, money=money) for key in TABLES}
    overview = {c.key: getattr(plan.overview, c.key) for c in S.OVERVIEW.input_columns}
    return Frames(loaded.path, plan.lang, findings=findings_frame(findings), overview=overview, **tables)
