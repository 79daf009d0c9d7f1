"""``xl-campaign check PATH...``: validate workbooks headless and report (text, json, jsonl, junit, github).

Exit codes (as every command, see ``_common``): 0 nothing at or above ``--fail-on``; 1 findings at or above it
(a broken input file is such a finding, never exit 2); 2 bad arguments.
"""

from __future__ import annotations

import os
import sys

import typer

from ._common import (
    CONFIG_HELP,
    FAIL_ON_HELP,
    JOBS_HELP,
    MEMORY_HELP,
    NO_CONFIG_HELP,
    TIMEOUT_HELP,
    TODAY_HELP,
    check_fail_on,
    check_lang,
    fail,
    parse_today,
    policy_resolver,
)


def _split(values: list[str] | None) -> list[str]:
    return [part.strip() for value in values or [] for part in value.split(",") if part.strip()]


def check(
    paths: list[str] = typer.Argument(..., metavar="PATH...", help="Workbooks, folders (recursive) or glob patterns. / 工作簿、文件夹或通配符。"),
    fmt: str = typer.Option("text", "--format", "-f", help="Output: text, json, jsonl, junit or github."),
    output: str | None = typer.Option(None, "--output", "-o", help="Write the report to FILE instead of stdout."),
    select: list[str] | None = typer.Option(None, "--select", help="Only these codes or prefixes (DATE, BUD01, OWN004); "
                                            "repeat or separate with commas."),
    ignore: list[str] | None = typer.Option(None, "--ignore", help="Skip these codes or prefixes."),
    fail_on: str | None = typer.Option(None, "--fail-on", help=FAIL_ON_HELP + " Default: the policy file's "
                                       "fail-on, else error."),
    lang: str | None = typer.Option(None, "--lang", callback=check_lang,
                                    help="Language of the messages: zh or en (default: each workbook's own)."),
    jobs: int | None = typer.Option(None, "--jobs", "-j", min=0, help=JOBS_HELP),
    timeout: float = typer.Option(60.0, "--timeout", min=1, help=TIMEOUT_HELP),
    memory_limit: int = typer.Option(2048, "--memory-limit", min=64, help=MEMORY_HELP),
    today: str | None = typer.Option(None, "--today", help=TODAY_HELP),
    no_progress: bool = typer.Option(False, "--no-progress", help="No progress bar, even on a terminal."),
    config: str | None = typer.Option(None, "--config", help=CONFIG_HELP),
    no_config: bool = typer.Option(False, "--no-config", help=NO_CONFIG_HELP),
) -> None:
    """Check campaign workbooks and report what is wrong. / 校验活动工作簿并报告问题。"""

    from ..app.check import check_paths, expand_paths
    from ..core.rules import unknown_selectors
    from ..core.text import resolve_lang
    from ..render.formats import FORMATS, render

    if fmt not in FORMATS:
        fail(lang, f"--format {fmt!r}：请使用 {'、'.join(FORMATS)} 之一", f"--format {fmt!r}: use one of {', '.join(FORMATS)}")
    if fail_on is not None:
        check_fail_on(fail_on, lang)
    selected, ignored = _split(select), _split(ignore)
    unknown = unknown_selectors(selected + ignored)
    if unknown:
        fail(lang, f"没有以 {', '.join(unknown)} 开头的规则代码（见 xl-campaign rules）",
             f"no rule code starts with {', '.join(unknown)} (see xl-campaign rules)")
    as_of = parse_today(today, lang)
    files = expand_paths(paths)
    if not files:
        fail(lang, "在 " + ", ".join(paths) + " 中没有找到工作簿", "no workbook found in " + ", ".join(paths))
    if output is not None:
        target = os.path.abspath(output)
        if any(os.path.abspath(f) == target for f in files):
            fail(lang, f"-o {output}：这是输入文件之一；输入文件从不写入",
                 f"-o {output}: that is one of the inputs; inputs are never written")
    settings_for = policy_resolver(config, no_config, files, lang).settings_for
    progress = None
    if not no_progress and len(files) >= 10 and sys.stderr.isatty():
        from rich.progress import Progress

        progress = Progress(transient=True, auto_refresh=False)
    task_id = None

    def advance(_: object) -> None:
        if progress is not None and task_id is not None:
            progress.advance(task_id)
            progress.refresh()

    if progress is not None:
        with progress:
            task_id = progress.add_task("check", total=len(files))
            report = check_paths(files, jobs=jobs, lang=lang, select=selected, ignore=ignored, today=as_of,
                                 timeout=timeout, memory_mb=memory_limit, on_result=advance, settings_for=settings_for)
    else:
        report = check_paths(files, jobs=jobs, lang=lang, select=selected, ignore=ignored, today=as_of,
                             timeout=timeout, memory_mb=memory_limit, settings_for=settings_for)
    text_lang = resolve_lang(lang, report.common_lang())
    colour = fmt == "text" and output is None and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    text = render(report, fmt, lang=text_lang, colour=colour)
    if output is not None:
        try:
            with open(output, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
        except OSError as exc:
            fail(lang, f"-o {output}：{exc.strerror or exc}", f"-o {output}: {exc.strerror or exc}")
    else:
        sys.stdout.write(text)
        sys.stdout.flush()
    raise typer.Exit(1 if report.fails(fail_on) else 0)


def register(app: typer.Typer) -> None:
    app.command("check")(check)
