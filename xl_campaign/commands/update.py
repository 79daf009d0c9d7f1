"""``xl-campaign update FILE [--out OUT] [--lang …] [--today …]``: the headless "Check & Update".

Exit codes (as every command, see ``_common``): 0 written, no finding at or above ``--fail-on`` (default error);
1 written with such findings, or the file could not be read (its XF finding, as ``check`` prints it); 2 nothing was
written — the file is open, would lose something in an openpyxl round trip (use ``--out``), or bad arguments.
"""

from __future__ import annotations

from typing import Any

import typer

from ..core.text import Texts, resolve_lang
from ._common import (
    CONFIG_HELP,
    FAIL_ON_HELP,
    LANG_HELP,
    NO_CONFIG_HELP,
    TODAY_HELP,
    check_lang,
    console,
    exit_for,
    one_workbook,
)

SEVERITY_COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}
TEXTS = Texts({
    "updated": ("已更新", "Updated"),
    "companion": ("已写入伴随工作簿", "Wrote the companion workbook"),
    "sheets": ("生成的工作表", "Generated sheets"),
    "backup": ("备份", "Backup"),
    "pruned": ("已删除较早的备份 {n} 个（保留最近 {keep} 个）", "removed {n} older backup(s) (keeping the last {keep})"),
    "findings": ("问题", "Findings"),
    "none": ("未发现问题。", "No issues found."),
    "more": ("……另有 {n} 条，见工作表「{sheet}」", "… and {n} more: see the sheet '{sheet}'"),
    "as_of": ("状态日期", "Status date"),
    "refused": ("未修改", "Not updated"),
    "seconds": ("用时 {s:.2f} 秒", "{s:.2f} s"),
    "notes": ("保存时丢弃（不影响内容）", "Note: dropped when saving (no content is lost)"),
})
SHOWN_FINDINGS = 20


def import_openpyxl() -> None:
    """Import openpyxl without numpy, in a CLI process only.

    openpyxl imports numpy when it is installed (to accept numpy scalars as cell values), which costs about
    0.2 s of a fresh ``update`` process's ~0.8 s; this tool never hands numpy values to openpyxl. numpy stays
    importable afterwards. Not done in the library: a host process may want openpyxl's numpy support.
    """
    import sys

    if "openpyxl" in sys.modules or "numpy" in sys.modules:
        return
    sys.modules["numpy"] = None  # type: ignore[assignment]  # "import numpy" raises ImportError meanwhile
    try:
        import openpyxl  # noqa: F401
    finally:
        del sys.modules["numpy"]


def print_result(result: Any, out: Any, *, limit: int = SHOWN_FINDINGS, keep: int | None = None) -> None:
    """What ``update`` (and ``demo``) print: the file written, the generated sheets, the findings."""
    from rich.text import Text

    from ..core.findings import Severity, counts_line

    lang = result.lang
    head = TEXTS("companion" if result.companion else "updated", lang)
    out.print(f"[bold green]{head}:[/] {result.written}")
    out.print(f"  {TEXTS('sheets', lang)}: {', '.join(result.sheets)} · {TEXTS('as_of', lang)} "
              f"{result.as_of.isoformat()} · {TEXTS('seconds', lang, s=result.seconds)}")
    if result.backup:
        out.print(f"  {TEXTS('backup', lang)}: {result.backup}")
    if result.pruned and keep:
        out.print(f"  [dim]{TEXTS('pruned', lang, n=len(result.pruned), keep=keep)}[/]")
    if result.notes:
        labels = dict.fromkeys(note.label(lang) for note in result.notes)
        out.print(f"  [dim]{TEXTS('notes', lang)}: " + "; ".join(labels) + "[/]")
    findings = sorted(result.findings, key=lambda f: -Severity(f.severity).rank)  # stable: workbook order kept
    out.print(f"[bold]{TEXTS('findings', lang)}:[/] " + (counts_line(findings, lang) if findings
                                                         else TEXTS("none", lang)))
    for finding in findings[:limit]:
        where = f"{finding.sheet}!{finding.cell}" if finding.sheet and finding.cell else finding.sheet or ""
        colour = SEVERITY_COLOURS.get(str(finding.severity), "white")
        # user text goes in as plain text: a "[b]" typed in a cell is not markup
        out.print(Text.assemble("  ", (f"[{finding.severity.label(lang)}]", colour), f" {finding.code:8} {where:14} ",
                                finding.message))
    if len(findings) > limit:
        issues_sheet = result.sheets[-1] if result.sheets else ""
        out.print("  " + TEXTS("more", lang, n=len(findings) - limit, sheet=issues_sheet))


def say_refusal(refusal: Any, lang: str | None) -> None:
    """An update that did not write, said once in one language: ``--lang``, else the workbook's, else the
    environment's. A file that could not be read is said as ``check`` says it."""
    from ..app.update import Unreadable
    from ._common import print_findings

    language = resolve_lang(lang, refusal.lang)
    if isinstance(refusal, Unreadable):
        print_findings(refusal.path, refusal.findings_in(language), language, stderr=True)
        return
    err = console(stderr=True)
    err.print(f"[bold red]{TEXTS('refused', language)}:[/] ", end="")
    err.print(refusal.message(language), markup=False, highlight=False)


def update(
    path: str = typer.Argument(..., metavar="FILE", help="The campaign workbook (.xlsx). / 活动工作簿。"),
    out_path: str | None = typer.Option(
        None, "--out", help="Write the generated sheets to this companion workbook instead, leaving FILE "
        "untouched (needed when FILE holds things openpyxl would drop). / 写入单独的伴随工作簿。"),
    lang: str | None = typer.Option(None, "--lang", callback=check_lang,
                                    help=LANG_HELP + " Default: the workbook's own."),
    today: str | None = typer.Option(None, "--today", help=TODAY_HELP),
    fail_on: str | None = typer.Option(None, "--fail-on", help=FAIL_ON_HELP + " Default: the policy file's "
                                       "fail-on, else error."),
    config: str | None = typer.Option(None, "--config", help=CONFIG_HELP),
    no_config: bool = typer.Option(False, "--no-config", help=NO_CONFIG_HELP),
    keep_backups: int = typer.Option(5, "--keep-backups", min=0, help="Keep this many timestamped backups of FILE "
                                     "(older ones are removed; 0: none). / 保留的备份数量。"),
    no_backup: bool = typer.Option(False, "--no-backup", help="Same as --keep-backups 0 (existing backups stay)."),
) -> None:
    """Check the workbook and rebuild its Gantt, Summary and Issues sheets. / 校验并更新甘特图、汇总与问题清单。"""
    from ..app.update import Unreadable, UpdateRefused, update_workbook

    as_of, settings = one_workbook(path, lang, today, fail_on, config, no_config)
    import_openpyxl()
    keep = 0 if no_backup else keep_backups
    try:
        result = update_workbook(path, out=out_path, lang=lang, today=as_of, keep_backups=keep, settings=settings)
    except UpdateRefused as refusal:
        say_refusal(refusal, lang)
        raise typer.Exit(1 if isinstance(refusal, Unreadable) else 2) from None
    print_result(result, console(), keep=keep)
    exit_for(result.findings, fail_on, settings)


def register(app: typer.Typer) -> None:
    app.command("update")(update)
