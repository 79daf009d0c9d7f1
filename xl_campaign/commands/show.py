"""``xl-campaign show``: what the reader found in a workbook — sheets, tables, rows, the overview.

Exit codes (as every command): 0 shown; 1 the file could not be read (its XF finding, as ``check`` prints it);
2 bad arguments."""

from __future__ import annotations

from typing import Any

import typer

from ..core.text import Texts, join, resolve_lang
from ._common import LANG_HELP, check_lang, console, print_findings

TEXTS = Texts({
    "table": ("表", "Table"), "sheet": ("工作表", "Sheet"), "header": ("表头行", "Header row"),
    "found": ("识别方式", "Found by"), "rows": ("行数", "Rows"), "problems": ("无法解析的值", "Unparsed values"),
    "missing": ("未找到的列", "Missing columns"), "by.table": ("Excel 表名", "Excel Table name"),
    "by.sheet": ("工作表名", "sheet name"), "by.headers": ("表头", "headers"), "absent": ("未找到工作表", "sheet not found"),
    "overview": ("活动概览", "Overview"),
    "joined": ("第二张表，已合并", "second table, joined"),
    "not_read": ("同类表已在别处读取，未读取（WB016）", "not read: read from another sheet (WB016)"),
})


def plan_tables(plan: Any, lang: str) -> Any:
    """A rich Table describing what was read from ``plan``."""
    from rich.table import Table

    from ..core import spec as S

    table = Table(title=plan.path)
    for head in ("table", "sheet", "header", "found", "rows", "problems", "missing"):
        table.add_column(TEXTS(head, lang))
    for spec in S.TABLE_SPECS:
        info = plan.tables.get(spec.key)
        if info is None:
            table.add_row(spec.table, "—", "—", TEXTS("absent", lang), "0", "", "")
            continue
        records = plan.records(spec.key)
        problems = sum(len(r.problems) for r in records)
        missing = ", ".join(spec.column(k).header(lang) for k in info.missing)
        table.add_row(spec.table, info.sheet, str(info.header_row), TEXTS(f"by.{info.found_by}", lang), str(len(records)),
                      str(problems), missing)
    for extra in plan.extra_tables:  # a second task table, read and joined into the tasks
        rows = sum(1 for task in plan.tasks if task.cells and any(c[0] == extra.sheet for c in task.cells.values()))
        table.add_row(S.SPECS[extra.key].table, extra.sheet, str(extra.header_row), TEXTS("joined", lang), str(rows),
                      "", ", ".join(S.SPECS[extra.key].column(k).header(lang) for k in extra.missing))
    for key, sheet, header_row in plan.unread_tables:
        table.add_row(S.SPECS[key].table, sheet, str(header_row), TEXTS("not_read", lang), "0", "", "")
    return table


def overview_lines(plan: Any, lang: str) -> list[str]:
    from ..core import spec as S
    from ..core.vocab import VOCABULARIES

    lines = []
    for column in S.OVERVIEW.columns:
        value = getattr(plan.overview, column.key)
        if value in (None, []):
            continue
        if column.vocab:
            value = VOCABULARIES[column.vocab].label(value, lang)
        elif column.type is S.ColType.PERCENT:
            value = f"{value:.1%}"
        elif column.type is S.ColType.MONEY:
            value = f"{value:,.2f}"
        elif isinstance(value, list):
            value = join(value, lang)
        lines.append(f"  {column.header(lang)}: {value}")
    return lines


def show(
    path: str = typer.Argument(..., metavar="FILE", help="A campaign workbook (.xlsx). / 活动工作簿。"),
    lang: str | None = typer.Option(None, "--lang", callback=check_lang, help=LANG_HELP),
) -> None:
    """Show what is read from a workbook. / 显示从工作簿读取到的内容。"""
    from ..app.load import load

    loaded = load(path)
    if loaded.plan is None:
        language = resolve_lang(lang)
        print_findings(path, loaded.findings(language), language)
        raise typer.Exit(1)
    plan = loaded.plan
    out = console()
    lang = resolve_lang(lang, plan.lang)
    out.print(f"[bold]{TEXTS('overview', lang)}[/]")
    for line in overview_lines(plan, lang):
        out.print(line)
    out.print(plan_tables(plan, lang))


def register(app: typer.Typer) -> None:
    app.command("show")(show)
