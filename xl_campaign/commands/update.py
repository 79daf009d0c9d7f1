"""``xl-campaign update FILE [--out OUT] [--lang …]``: the headless "Check & Update".

Exit codes: 0 the workbook (or the companion workbook) was written; 2 nothing was written — the file is open,
unreadable, would lose something in an openpyxl round trip (use ``--out``), or the arguments are wrong.
Findings do not change the exit code: they are what the Issues sheet is for (use ``check`` to gate on them).
"""

from __future__ import annotations

from typing import Any

import typer

from ._common import LANG_HELP, check_lang, console

SEVERITY_COLOURS = {"error": "red", "warning": "yellow", "info": "cyan"}
TEXT: dict[str, dict[str, str]] = {
    "zh": {"updated": "已更新", "companion": "已写入伴随工作簿", "sheets": "生成的工作表", "backup": "备份",
           "findings": "问题", "none": "未发现问题。", "more": "……另有 {n} 条，见工作表「{sheet}」",
           "no_validator": "校验规则不可用：未运行校验。", "counts": "错误 {error} · 警告 {warning} · 提示 {info}",
           "as_of": "状态日期", "refused": "未修改", "seconds": "用时 {s:.2f} 秒",
           "notes": "保存时丢弃（不影响内容）", "file": "工作簿"},
    "en": {"updated": "Updated", "companion": "Wrote the companion workbook", "sheets": "Generated sheets",
           "backup": "Backup", "findings": "Findings", "none": "No issues found.",
           "more": "… and {n} more: see the sheet '{sheet}'", "no_validator": "Validation rules are not installed: "
           "nothing was checked.", "counts": "{error} errors · {warning} warnings · {info} info",
           "as_of": "Status date", "refused": "Not updated", "seconds": "{s:.2f} s",
           "notes": "Note: dropped when saving (no content is lost)", "file": "Workbook"},
}
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


def print_result(result: Any, out: Any, *, limit: int = SHOWN_FINDINGS) -> None:
    """What ``update`` (and ``demo``) print: the file written, the generated sheets, the findings."""
    from ..core.findings import Severity

    lang = result.lang
    text = TEXT[lang]
    head = text["companion"] if result.companion else text["updated"]
    out.print(f"[bold green]{head}:[/] {result.written}")
    out.print(f"  {text['sheets']}: {', '.join(result.sheets)} · {text['as_of']} {result.as_of.isoformat()}"
              f" · {text['seconds'].format(s=result.seconds)}")
    if result.backup:
        out.print(f"  {text['backup']}: {result.backup}")
    if result.notes:
        labels = dict.fromkeys(note.label(lang) for note in result.notes)
        out.print(f"  [dim]{text['notes']}: " + "; ".join(labels) + "[/]")
    if not result.validator:
        out.print(f"[yellow]{text['no_validator']}[/]")
        return
    findings = sorted(result.findings, key=lambda f: -Severity(f.severity).rank)  # stable: workbook order kept
    counts = {sev.value: sum(1 for f in findings if f.severity == sev) for sev in Severity}
    out.print(f"[bold]{text['findings']}:[/] " + (text["counts"].format(**counts) if findings else text["none"]))
    from rich.text import Text

    for finding in findings[:limit]:
        where = f"{finding.sheet}!{finding.cell}" if finding.sheet and finding.cell else finding.sheet or ""
        colour = SEVERITY_COLOURS.get(str(finding.severity), "white")
        # user text goes in as plain text: a "[b]" typed in a cell is not markup
        out.print(Text.assemble("  ", (f"{str(finding.severity).upper():7}", colour), f" {finding.code:8} {where:14} ",
                                finding.message))
    if len(findings) > limit:
        issues_sheet = result.sheets[-1] if result.sheets else ""
        out.print("  " + text["more"].format(n=len(findings) - limit, sheet=issues_sheet))


def update(
    path: str = typer.Argument(..., help="The campaign workbook (.xlsx). / 活动工作簿。"),
    out_path: str | None = typer.Option(
        None, "--out", help="Write the generated sheets to this companion workbook instead, leaving FILE "
        "untouched (needed when FILE holds things openpyxl would drop). / 写入单独的伴随工作簿。"),
    lang: str | None = typer.Option(None, "--lang", callback=check_lang,
                                    help=LANG_HELP + " Default: the workbook's own."),
    no_backup: bool = typer.Option(False, "--no-backup", help="Do not keep a timestamped backup of FILE."),
) -> None:
    """Check the workbook and rebuild its Gantt, Summary and Issues sheets. / 校验并更新甘特图、汇总与问题清单。"""
    from ..app.update import UpdateRefused, update_workbook

    import_openpyxl()
    out = console()
    try:
        result = update_workbook(path, out=out_path, lang=lang, backup=not no_backup)
    except UpdateRefused as refusal:
        err = console(stderr=True)
        languages = [lang] if lang else ["zh", "en"]
        for language in languages:
            err.print(f"[bold red]{TEXT[language]['refused']}:[/] ", end="")
            err.print(refusal.message(language), markup=False, highlight=False)
        raise typer.Exit(2) from None
    print_result(result, out)


def register(app: typer.Typer) -> None:
    app.command("update")(update)
