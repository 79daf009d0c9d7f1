"""``xl-campaign new``: a fresh workbook from the master template declarations.

Exit codes (as every command): 0 written; 2 nothing written (bad arguments, OUT exists without ``--force``).
``--force`` replaces OUT only after keeping a timestamped backup of it (the same backups ``update`` keeps).
"""

from __future__ import annotations

import os
from datetime import date

import typer

from ..core.text import Texts
from ._common import LANG_HELP, check_lang, console, fail

TEXTS = Texts({
    "written": ("已写入 {out}（{tasks} 个任务）", "wrote {out} ({tasks} tasks)"),
    "backup": ("原文件已备份为 {backup}", "the replaced file was kept as {backup}"),
})


def new(
    out: str = typer.Argument(..., metavar="OUT", help="The workbook to write (.xlsx). / 要写入的工作簿。"),
    lang: str = typer.Option("zh", "--lang", callback=check_lang, help=LANG_HELP),
    name: str | None = typer.Option(None, "--name", help="Campaign name. / 活动名称。"),
    launch: str | None = typer.Option(
        None, "--launch", help="Launch date YYYY-MM-DD: the four stages are scheduled from it. / 上线日期。"),
    days: int | None = typer.Option(
        None, "--days", min=1, max=366, help="Campaign length in days, launch to end (default 14). / 活动天数。"),
    example: bool = typer.Option(False, "--example", help="Fill a realistic example campaign. / 填入示例活动。"),
    force: bool = typer.Option(False, "--force", help="Replace OUT if it exists (a backup of it is kept). / 替换已有文件"
                               "（保留备份）。"),
) -> None:
    """Write a new campaign workbook. / 新建活动工作簿。"""
    from ..app.update import keep_backup
    from ..core.content import example as example_content
    from ..core.content import starter
    from ..io.template import write_workbook

    if not out.lower().endswith(".xlsx"):
        fail(lang, f"{out}：输出必须是 .xlsx 文件", f"{out}: the output must be an .xlsx file")
    launch_date = None
    if launch is not None:
        try:
            launch_date = date.fromisoformat(launch)
        except ValueError:
            fail(lang, f"--launch {launch!r}：请使用 YYYY-MM-DD 格式，例如 2025-06-18",
                 f"--launch {launch!r}: use YYYY-MM-DD, e.g. 2025-06-18")
    if example and (launch or days or name):
        fail(lang, "--example 写入自带的示例活动，不接受 --name、--launch 或 --days",
             "--example writes the bundled example campaign; it does not take --name, --launch or --days")
    if os.path.exists(out) and not force:
        fail(lang, f"{out} 已存在：请换一个文件名，或用 --force 替换（会保留备份）",
             f"{out} exists; choose another name or pass --force to replace it (a backup is kept)")
    content = example_content(lang) if example else starter(lang, name, launch_date, days)
    backup = None
    try:
        if os.path.isfile(out):
            backup, _ = keep_backup(out)
        write_workbook(content, out, force=True)
    except OSError as exc:
        fail(lang, f"{out}：{exc.strerror or exc}", f"{out}: {exc.strerror or exc}")
    tasks = len(content.tables.get("tasks", []))
    console().print(TEXTS("written", lang, out=out, tasks=tasks), markup=False)
    if backup:
        console().print(TEXTS("backup", lang, backup=backup), markup=False)


def register(app: typer.Typer) -> None:
    app.command("new")(new)
