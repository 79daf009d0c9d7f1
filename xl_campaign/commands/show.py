"""``xl-campaign show``: what the reader found in a workbook — sheets, tables, rows, the overview."""

from __future__ import annotations

from typing import Any

import typer

from ._common import LANG_HELP, check_lang, console, fail

LABELS: dict[str, dict[str, Any]] = {
    "zh": {"table": "表", "sheet": "工作表", "header": "表头行", "found": "识别方式", "rows": "行数",
           "problems": "无法解析的值", "missing": "未找到的列", "by": {"table": "Excel 表名", "sheet": "工作表名",
           "headers": "表头"}, "absent": "未找到工作表", "overview": "活动概览"},
    "en": {"table": "Table", "sheet": "Sheet", "header": "Header row", "found": "Found by", "rows": "Rows",
           "problems": "Unparsed values", "missing": "Missing columns", "by": {"table": "Excel Table name",
           "sheet": "sheet name", "headers": "headers"}, "absent": "sheet not found", "overview": "Overview"},
}


def plan_tables(plan: Any, lang: str) -> Any:
    """A rich Table describing what was read from ``plan``."""
    from rich.table import Table

    from ..core import spec as S

    text = LABELS[lang]
    table = Table(title=plan.path)
    for head in (text["table"], text["sheet"], text["header"], text["found"], text["rows"], text["problems"],
                 text["missing"]):
        table.add_column(head)
    for spec in S.TABLE_SPECS:
        info = plan.tables.get(spec.key)
        if info is None:
            table.add_row(spec.table, "—", "—", text["absent"], "0", "", "")
            continue
        records = plan.records(spec.key)
        problems = sum(len(r.problems) for r in records)
        missing = ", ".join(spec.column(k).header(lang) for k in info.missing)
        table.add_row(spec.table, info.sheet, str(info.header_row), text["by"][info.found_by], str(len(records)),
                      str(problems), missing)
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
            value = "、".join(value) if lang == "zh" else ", ".join(value)
        lines.append(f"  {column.header(lang)}: {value}")
    return lines


def show(
    path: str = typer.Argument(..., help="A campaign workbook (.xlsx)."),
    lang: str | None = typer.Option(None, "--lang", callback=check_lang, help=LANG_HELP),
) -> None:
    """Show what is read from a workbook. / 显示从工作簿读取到的内容。"""
    from ..io.reader import UnreadableWorkbook, read_plan

    try:
        plan = read_plan(path)
    except UnreadableWorkbook as exc:
        fail(f"{path}: not readable ({exc.problem.kind}{': ' + exc.problem.detail if exc.problem.detail else ''})")
    except FileNotFoundError:
        fail(f"{path}: no such file")
    out = console()
    lang = lang or plan.lang
    out.print(f"[bold]{LABELS[lang]['overview']}[/]")
    for line in overview_lines(plan, lang):
        out.print(line)
    out.print(plan_tables(plan, lang))


def register(app: typer.Typer) -> None:
    app.command("show")(show)
