"""``xl-campaign rollup PATH... -o portfolio.xlsx``: one portfolio workbook from many campaign workbooks.

Uses ``check``'s worker pool (same isolation, time and memory limits). Exit codes: 0 portfolio written and every
workbook read; 1 portfolio written but some workbooks could not be read (their rows say why); 2 bad arguments.
"""

from __future__ import annotations

import os
import sys
from collections import Counter

import typer

from ._common import check_lang, console, fail, parse_today


def rollup(
    paths: list[str] = typer.Argument(..., help="Workbooks, folders (recursive) or glob patterns. / 工作簿、文件夹或通配符。"),
    output: str = typer.Option(..., "--output", "-o", help="The portfolio workbook to write (.xlsx). / 输出的组合工作簿。"),
    lang: str | None = typer.Option(None, "--lang", callback=check_lang,
                                    help="Language of headers and messages: zh or en (default: that of most "
                                         "workbooks). / 表头与说明的语言。"),
    jobs: int | None = typer.Option(None, "--jobs", "-j", min=0, help="Worker processes (default: CPU count; 0: no "
                                    "isolation, in this process)."),
    timeout: float = typer.Option(60.0, "--timeout", min=1, help="Time limit per file in seconds."),
    memory_limit: int = typer.Option(2048, "--memory-limit", min=64, help="Memory limit per worker in MB."),
    today: str | None = typer.Option(None, "--today", help="Judge stages and pacing on this date (YYYY-MM-DD; "
                                     "default: each workbook's status date, else today)."),
    force: bool = typer.Option(False, "--force", help="Replace OUTPUT if it exists."),
) -> None:
    """Roll many campaign workbooks up into one portfolio workbook. / 汇总多个活动工作簿。"""

    from ..app.check import expand_paths
    from ..app.rollup import rollup_paths, write_portfolio

    if not output.lower().endswith(".xlsx"):
        fail(f"-o {output}: the portfolio is an .xlsx file")
    as_of = parse_today(today)
    target = os.path.abspath(output)
    # the portfolio itself is never an input (it may sit in the folder rolled up, from an earlier run)
    files = [f for f in expand_paths(paths) if os.path.abspath(f) != target]
    if not files:
        fail("no workbook found in " + ", ".join(paths))
    if os.path.exists(output) and not force:
        fail(f"-o {output}: the file exists (use --force to replace it)")
    result = rollup_paths(files, jobs=jobs, lang=lang, today=as_of, timeout=timeout, memory_mb=memory_limit)
    if lang is None:
        langs = Counter(r.facts.lang for r in result.rows if r.facts is not None)
        lang = langs.most_common(1)[0][0] if langs else "en"
    try:
        write_portfolio(result, output, lang)
    except OSError as exc:
        fail(f"-o {output}: {exc.strerror or exc}")
    bad = result.unreadable
    out = console()
    if lang == "zh":
        out.print(f"组合工作簿：{os.path.abspath(output)}（{len(result.rows)} 个工作簿，{len(bad)} 个无法读取）", markup=False)
    else:
        out.print(f"Portfolio: {os.path.abspath(output)} ({len(result.rows)} workbooks, {len(bad)} could not be read)",
                  markup=False)
    for row in bad:
        print(f"{row.path}: {row.problem}", file=sys.stderr)
    raise typer.Exit(1 if bad else 0)


def register(app: typer.Typer) -> None:
    app.command("rollup")(rollup)
