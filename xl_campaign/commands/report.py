"""``xl-campaign report FILE [-o report.html]``: one self-contained HTML page about a campaign.

Exit codes (as every command, see ``_common``): 0 report written, no finding at or above ``--fail-on``; 1 report
written with such findings, or the workbook could not be read (its XF finding is printed, nothing is written);
2 bad arguments, or ``-o`` names a file xl-campaign did not write (it is never replaced without ``--force``).
"""

from __future__ import annotations

import os

import typer

from ..core.text import Texts
from ._common import (
    CONFIG_HELP,
    FAIL_ON_HELP,
    LANG_HELP,
    NO_CONFIG_HELP,
    TODAY_HELP,
    check_document_output,
    check_lang,
    console,
    exit_for,
    one_workbook,
    print_findings,
)

TEXTS = Texts({"written": ("报告：{path}（{counts}）", "Report: {path} ({counts})")})
GENERATOR = (b'<meta name="generator" content="xl-campaign',)


def default_output(path: str) -> str:
    """``plan.xlsx`` → ``plan.report.html`` beside it."""
    return os.path.splitext(path)[0] + ".report.html"


def report(
    path: str = typer.Argument(..., metavar="FILE", help="A campaign workbook (.xlsx). / 活动工作簿。"),
    output: str | None = typer.Option(None, "--output", "-o", help="The HTML page to write (default: FILE's name "
                                      "with .report.html, beside it). / 输出的 HTML 文件。"),
    lang: str | None = typer.Option(None, "--lang", callback=check_lang,
                                    help=LANG_HELP + " Default: the workbook's own."),
    today: str | None = typer.Option(None, "--today", help=TODAY_HELP),
    fail_on: str | None = typer.Option(None, "--fail-on", help=FAIL_ON_HELP + " Default: the policy file's "
                                       "fail-on, else error."),
    config: str | None = typer.Option(None, "--config", help=CONFIG_HELP),
    no_config: bool = typer.Option(False, "--no-config", help=NO_CONFIG_HELP),
    force: bool = typer.Option(False, "--force", help="Replace OUTPUT even when xl-campaign did not write it."),
) -> None:
    """Write an HTML report: Gantt, budget, KPI, pacing, attainment, findings. / 生成活动报告（HTML）。"""
    from ..core.findings import counts_line
    from ..render.html import write_report

    output = output or default_output(path)
    check_document_output(path, output, lang, suffixes=(".html", ".htm"), what=("报告", "report"), markers=GENERATOR,
                          force=force)
    as_of, settings = one_workbook(path, lang, today, fail_on, config, no_config)
    result = write_report(path, output, lang=lang, today=as_of, settings=settings)
    if result.out is None:
        print_findings(path, result.findings, result.lang, stderr=True)
        raise typer.Exit(1)
    console().print(TEXTS("written", result.lang, path=os.path.abspath(result.out),
                          counts=counts_line(result.findings, result.lang)), markup=False)
    exit_for(result.findings, fail_on, settings)


def register(app: typer.Typer) -> None:
    app.command("report")(report)
