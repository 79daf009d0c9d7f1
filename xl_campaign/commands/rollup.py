"""``xl-campaign rollup PATH... -o portfolio.xlsx``: one portfolio workbook from many campaign workbooks (or, with
``-o portfolio.csv`` / ``portfolio.parquet``, one flat table of the same campaigns for BI tools).

Uses ``check``'s worker pool (same isolation, time and memory limits). Exit codes: 0 portfolio written and every
workbook read; 1 portfolio written but some workbooks could not be read (their rows say why); 2 bad arguments.
"""

from __future__ import annotations

import os

import typer

from ..core.text import Texts, resolve_lang
from ._common import (
    CONFIG_HELP,
    JOBS_HELP,
    MEMORY_HELP,
    NO_CONFIG_HELP,
    TIMEOUT_HELP,
    TODAY_HELP,
    check_lang,
    console,
    fail,
    parse_today,
    policy_resolver,
    print_findings,
)

TEXTS = Texts({"written": ("组合：{path}（{rows} 个工作簿，{bad} 个无法读取）",
                           "Portfolio: {path} ({rows} workbooks, {bad} could not be read)")})


def rollup(
    paths: list[str] = typer.Argument(..., metavar="PATH...", help="Workbooks, folders (recursive) or glob patterns. / 工作簿、文件夹或通配符。"),
    output: str = typer.Option(..., "--output", "-o", help="The portfolio to write: a workbook (.xlsx), or a table for BI "
                               "tools (.csv, .parquet with pyarrow). / 输出：组合工作簿（.xlsx）或供 BI 工具读取的表"
                               "（.csv、.parquet）。"),
    lang: str | None = typer.Option(None, "--lang", callback=check_lang,
                                    help="Language of headers and messages: zh or en (default: that of most "
                                         "workbooks). / 表头与说明的语言。"),
    jobs: int | None = typer.Option(None, "--jobs", "-j", min=0, help=JOBS_HELP),
    timeout: float = typer.Option(60.0, "--timeout", min=1, help=TIMEOUT_HELP),
    memory_limit: int = typer.Option(2048, "--memory-limit", min=64, help=MEMORY_HELP),
    today: str | None = typer.Option(None, "--today", help=TODAY_HELP),
    force: bool = typer.Option(False, "--force", help="Replace OUTPUT if it exists."),
    config: str | None = typer.Option(None, "--config", help=CONFIG_HELP),
    no_config: bool = typer.Option(False, "--no-config", help=NO_CONFIG_HELP),
) -> None:
    """Roll many campaign workbooks up into one portfolio workbook (or a CSV / Parquet table). / 汇总多个活动工作簿。"""

    from ..app.check import expand_paths
    from ..app.rollup import OUTPUTS, rollup_paths, write_output
    from ..io.tables import pyarrow_available

    if not output.lower().endswith(OUTPUTS):
        fail(lang, f"-o {output}：请用 .xlsx（组合工作簿）、.csv 或 .parquet 文件",
             f"-o {output}: write an .xlsx (portfolio workbook), .csv or .parquet file")
    if output.lower().endswith(".parquet") and not pyarrow_available():
        fail(lang, f"-o {output}：写 Parquet 需要 pyarrow（pip install 'xl-campaign[parquet]'），或改用 .csv",
             f"-o {output}: Parquet needs pyarrow (pip install 'xl-campaign[parquet]'), or write .csv")
    as_of = parse_today(today, lang)
    target = os.path.abspath(output)
    # the portfolio itself is never an input (it may sit in the folder rolled up, from an earlier run)
    files = [f for f in expand_paths(paths) if os.path.abspath(f) != target]
    if not files:
        fail(lang, "在 " + ", ".join(paths) + " 中没有找到工作簿", "no workbook found in " + ", ".join(paths))
    if os.path.exists(output) and not force:
        fail(lang, f"-o {output}：文件已存在（用 --force 替换）", f"-o {output}: the file exists (use --force to replace it)")
    settings_for = policy_resolver(config, no_config, files, lang).settings_for
    result = rollup_paths(files, jobs=jobs, lang=lang, today=as_of, timeout=timeout, memory_mb=memory_limit,
                          settings_for=settings_for)
    lang = resolve_lang(lang, result.report.common_lang())
    try:
        write_output(result, output, lang)
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
