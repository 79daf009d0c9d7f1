"""``xl-campaign review FILE -o review.md|review.html``: the stage-4 review document of a campaign.

Exit codes (as every command, see ``_common``): 0 written, no finding at or above ``--fail-on``; 1 written with such
findings, or the workbook could not be read (its XF finding is printed, nothing is written); 2 bad arguments, or
``-o`` names a file xl-campaign did not write (it is never replaced without ``--force``).
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
    fail,
    one_workbook,
    print_findings,
    write_text,
)

TEXTS = Texts({"written": ("复盘文档：{path}（{counts}）", "Review: {path} ({counts})")})
MARKERS = (b'<meta name="generator" content="xl-campaign', "由 xl-campaign 于".encode(), b"Written by xl-campaign on")


def default_output(path: str) -> str:
    """``plan.xlsx`` → ``plan.review.md`` beside it."""
    return os.path.splitext(path)[0] + ".review.md"


def review(
    path: str = typer.Argument(..., metavar="FILE", help="A campaign workbook (.xlsx). / 活动工作簿。"),
    output: str | None = typer.Option(None, "--output", "-o", help="The document to write: .md (Markdown, for a "
                                      "knowledge base) or .html (default: FILE's name with .review.md). / 输出文件。"),
    lang: str | None = typer.Option(None, "--lang", callback=check_lang,
                                    help=LANG_HELP + " Default: the workbook's own."),
    today: str | None = typer.Option(None, "--today", help=TODAY_HELP),
    fail_on: str | None = typer.Option(None, "--fail-on", help=FAIL_ON_HELP + " Default: the policy file's "
                                       "fail-on, else error."),
    config: str | None = typer.Option(None, "--config", help=CONFIG_HELP),
    no_config: bool = typer.Option(False, "--no-config", help=NO_CONFIG_HELP),
    force: bool = typer.Option(False, "--force", help="Replace OUTPUT even when xl-campaign did not write it."),
) -> None:
    """Write the review document: target vs actual, ROI by channel, touchpoints, problems and fixes. / 生成复盘文档。"""
    from ..app.review import load_review
    from ..core.findings import counts_line
    from ..render.review import to_html, to_markdown

    output = output or default_output(path)
    check_document_output(path, output, lang, suffixes=(".md", ".html", ".markdown", ".htm"),
                          what=("复盘文档", "review"), markers=MARKERS, force=force)
    as_of, settings = one_workbook(path, lang, today, fail_on, config, no_config)
    result = load_review(path, lang=lang, today=as_of, settings=settings)
    if result.review is None:
        print_findings(path, result.findings, result.lang, stderr=True)
        raise typer.Exit(1)
    render = to_html if output.lower().endswith((".html", ".htm")) else to_markdown
    text = render(result.review, result.findings, result.lang)
    try:
        write_text(output, text)
    except OSError as exc:
        fail(result.lang, f"{output}：{exc.strerror or exc}", f"{output}: {exc.strerror or exc}")
    console().print(TEXTS("written", result.lang, path=os.path.abspath(output),
                          counts=counts_line(result.findings, result.lang)), markup=False)
    exit_for(result.findings, fail_on, settings)


def register(app: typer.Typer) -> None:
    app.command("review")(review)
