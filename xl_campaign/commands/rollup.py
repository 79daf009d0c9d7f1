"""``xl-campaign rollup PATH... -o portfolio.xlsx``: one portfolio workbook from many campaign workbooks.

Uses ``check``'s worker pool (same isolation, time and memory limits). Exit codes: 0 portfolio written and every
workbook read; 1 portfolio written but some workbooks could not be read (their rows say why); 2 bad arguments.
"""

from __future__ import annotations

import os

import typer

from ..core.text import Texts, resolve_lang
from ._common import (
    JOBS_HELP,
    MEMORY_HELP,
    TIMEOUT_HELP,
    TODAY_HELP,
    check_lang,
    console,
    fail,
    parse_today,
    print_findings,
)

TEXTS = Texts({"written": ("组合工作簿：{path}（{rows} 个工作簿，{bad} 个无法读取）",
                           "Portfolio: {path} ({rows} workbooks, {bad} could not be read)")})


def rollup(
    paths: list[str] = typer.Argument(..., metavar="PATH...", help="Workbooks, folders (recursive) or glob patterns. / 工作簿、文件夹或通配符。"),
    output: str = typer.Option(..., "--output", "-o", help="The portfolio workbook to write (.xlsx). / 输出的组合工作簿。"),
    lang: str | None = typer.Option(None, "--lang", callback=check_lang,
                                    help="Language of headers and messages: zh or en (default: that of most "
                                         "workbooks). / 表头与说明的语言。"),
    jobs: int | None = typer.Option(None, "--jobs", "-j", min=0, help=JOBS_HELP),
    timeout: float = typer.Option(60.0, "--timeout", min=1, help=TIMEOUT_HELP),
    memory_limit: int = typer.Option(2048, "--memory-limit", min=64, help=MEMORY_HELP),
    today: str | None = typer.Option(None, "--today", help=TODAY_HELP),
    force: bool = typer.Option(False, "--force", help="Replace OUTPUT if it exists."),
) -> None:
    """Roll many campaign workbooks up into one portfolio workbook. / 汇总多个活动工作簿。"""

    from ..app.check import expand_paths
    from ..app.rollup import rollup_paths, write_portfolio

    if not output.lower().endswith(".xlsx"):
        fail(lang, f"-o {output}：组合工作簿是 .xlsx 文件", f"-o {output}: the portfolio is an .xlsx file")
    as_of = parse_today(today, lang)
    target = os.path.abspath(output)
    # the portfolio itself is never an input (it may sit in the folder rolled up, from an earlier run)
    files = [f for f in expand_paths(paths) if os.path.abspath(f) != target]
    if not files:
        fail(lang, "在 " + ", ".join(paths) + " 中没有找到工作簿", "no workbook found in " + ", ".join(paths))
    if os.path.exists(output) and not force:
        fail(lang, f"-o {output}：文件已存在（用 --force 替换）", f"-o {output}: the file exists (use --force to replace it)")
    result = rollup_paths(files, jobs=jobs, lang=lang, today=as_of, timeout=timeout, memory_mb=memory_limit)
    lang = resolve_lang(lang, result.report.common_lang())
    try:
        write_portfolio(result, output, lang)
    except OSError as exc:
        fail(lang, f"-o {output}：{exc.strerror or exc}", f"-o {output}: {exc.strerror or exc}")
    bad = result.unreadable
    console().print(TEXTS("written", lang, path=os.path.abspath(output), rows=len(result.rows), bad=len(bad)),
                    markup=False)
    for unread in [r for r in result.report.files if r.problem is not None]:
        print_findings(unread.path, unread.findings, lang, stderr=True)
    raise typer.Exit(1 if bad else 0)


def register(app: typer.Typer) -> None:
    app.command("rollup")(rollup)
