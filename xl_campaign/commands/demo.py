"""``xl-campaign demo``: the main job on the bundled example, no input needed — write the example campaign,
update it (Gantt, Summary, Issues), print the findings and where the workbook is."""

from __future__ import annotations

import os

import typer

from ..core.text import t
from ._common import LANG_HELP, TODAY_HELP, check_lang, console, fail, parse_today


def demo(
    lang: str = typer.Option("zh", "--lang", callback=check_lang, help=LANG_HELP),
    out_dir: str = typer.Option("xl-campaign-demo", "--dir", help="Folder for the demo workbook (its own files "
                                "are replaced on every run)."),
    today: str | None = typer.Option(None, "--today", help=TODAY_HELP),
) -> None:
    """Write the example campaign and run Check & Update on it. / 演示：生成示例活动并校验、更新。"""
    from ..app.update import UpdateRefused, update_workbook
    from ..core.content import example
    from ..io.template import write_workbook
    from .show import overview_lines
    from .update import import_openpyxl, print_result

    as_of = parse_today(today, lang)
    import_openpyxl()
    out = console()
    path = os.path.join(out_dir, f"campaign-example-{lang}.xlsx")
    try:
        write_workbook(example(lang), path, force=True)
        result = update_workbook(path, lang=lang, today=as_of, keep_backups=0)  # a fresh file: nothing to back up
    except OSError as exc:
        fail(lang, f"{path}：{exc.strerror or exc}", f"{path}: {exc.strerror or exc}")
    except UpdateRefused as refusal:
        fail(lang, refusal.zh, refusal.en)
    from ..io.reader import read_plan

    out.print(t(lang, "示例工作簿：", "Example workbook: ") + os.path.abspath(path))
    for line in overview_lines(read_plan(path), lang):
        out.print(line)
    print_result(result, out)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
