"""``xl-campaign report FILE -o report.html``: one self-contained HTML page about a campaign.

Exit codes as ``check``: 0 report written, no error finding; 1 report written with error findings, or the
workbook could not be read (its XF finding is printed, nothing is written); 2 bad arguments.
"""

from __future__ import annotations

import os

import typer

from ._common import LANG_HELP, check_lang, console, fail, parse_today


def report(
    path: str = typer.Argument(..., help="A campaign workbook (.xlsx). / 活动工作簿。"),
    output: str = typer.Option(..., "--output", "-o", help="The HTML page to write. / 输出的 HTML 文件。"),
    lang: str | None = typer.Option(None, "--lang", callback=check_lang,
                                    help=LANG_HELP + " Default: the workbook's own."),
    today: str | None = typer.Option(None, "--today", help="Judge progress and pacing on this date (YYYY-MM-DD; "
                                     "default: the workbook's status date, else today)."),
) -> None:
    """Write an HTML report: Gantt, budget, KPI, pacing, attainment, findings. / 生成活动报告（HTML）。"""

    from ..app.report import report_file
    from ..core.findings import Severity

    if not output.lower().endswith((".html", ".htm")):
        fail(f"-o {output}: the report is an .html file")
    if os.path.exists(path) and os.path.exists(output) and os.path.samefile(path, output):
        fail(f"-o {output}: that is the input; inputs are never written")
    as_of = parse_today(today)
    result = report_file(path, output, lang=lang, today=as_of)
    out = console(stderr=True)
    errors = [f for f in result.findings if f.severity is Severity.ERROR]
    if result.out is None:
        for finding in result.findings:
            out.print(f"{path}: [bold red]{finding.code}[/] {finding.message}", markup=True)
        raise typer.Exit(1)
    zh = result.lang == "zh"
    counts = {s: sum(1 for f in result.findings if f.severity is s) for s in Severity}
    summary = (f"错误 {counts[Severity.ERROR]} · 警告 {counts[Severity.WARNING]} · 提示 {counts[Severity.INFO]}" if zh
               else f"{counts[Severity.ERROR]} errors · {counts[Severity.WARNING]} warnings · "
                    f"{counts[Severity.INFO]} info")
    console().print(("报告：" if zh else "Report: ") + os.path.abspath(result.out) + f" ({summary})",
                    markup=False)
    if errors:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command("report")(report)
