"""``xl-campaign new``: a fresh workbook from the master template declarations."""

from __future__ import annotations

from datetime import date

import typer

from ._common import LANG_HELP, check_lang, console, fail


def new(
    out: str = typer.Argument(..., help="The workbook to write (.xlsx)."),
    lang: str = typer.Option("zh", "--lang", callback=check_lang, help=LANG_HELP),
    name: str | None = typer.Option(None, "--name", help="Campaign name. / 活动名称。"),
    launch: str | None = typer.Option(
        None, "--launch", help="Launch date YYYY-MM-DD: the four stages are scheduled from it. / 上线日期。"),
    days: int | None = typer.Option(
        None, "--days", min=1, max=366, help="Campaign length in days, launch to end (default 14)."),
    example: bool = typer.Option(False, "--example", help="Fill a realistic example campaign. / 填入示例活动。"),
    force: bool = typer.Option(False, "--force", help="Replace OUT if it exists."),
) -> None:
    """Write a new campaign workbook. / 新建活动工作簿。"""
    from ..core.content import example as example_content
    from ..core.content import starter
    from ..io.template import write_workbook

    if not out.lower().endswith(".xlsx"):
        fail(f"{out}: the output must be an .xlsx file")
    launch_date = None
    if launch is not None:
        try:
            launch_date = date.fromisoformat(launch)
        except ValueError:
            fail(f"--launch {launch!r}: use YYYY-MM-DD, e.g. 2025-06-18")
    if example and (launch or days or name):
        fail("--example writes the bundled example campaign; it does not take --name, --launch or --days")
    content = example_content(lang) if example else starter(lang, name, launch_date, days)
    try:
        write_workbook(content, out, force=force)
    except FileExistsError:
        fail(f"{out} exists; choose another name or pass --force to replace it")
    except OSError as exc:
        fail(f"{out}: {exc.strerror or exc}")
    tasks = len(content.tables.get("tasks", []))
    msg = f"已写入 {out}（{tasks} 个任务）" if lang == "zh" else f"wrote {out} ({tasks} tasks)"
    console().print(msg)


def register(app: typer.Typer) -> None:
    app.command("new")(new)
