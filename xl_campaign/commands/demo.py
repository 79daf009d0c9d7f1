"""``xl-campaign demo``: the main job on the bundled example, no input needed."""

from __future__ import annotations

import os

import typer

from ._common import LANG_HELP, check_lang, console


def demo(
    lang: str = typer.Option("zh", "--lang", callback=check_lang, help=LANG_HELP),
    out_dir: str = typer.Option("xl-campaign-demo", "--dir", help="Folder for the demo workbook (its own files "
                                "are replaced on every run)."),
) -> None:
    """Write the example campaign, read it back and show the result. / 演示：生成示例活动并读回。"""
    from ..core.content import example
    from ..io.reader import read_plan
    from ..io.template import write_workbook
    from .show import overview_lines, plan_tables

    out = console()
    path = os.path.join(out_dir, f"campaign-example-{lang}.xlsx")
    write_workbook(example(lang), path, force=True)
    plan = read_plan(path)
    out.print(("示例工作簿：" if lang == "zh" else "Example workbook: ") + os.path.abspath(path))
    for line in overview_lines(plan, lang):
        out.print(line)
    out.print(plan_tables(plan, lang))


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
