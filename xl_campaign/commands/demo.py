"""``xl-campaign demo``: the main job on the bundled example, no input needed — write the example campaign,
update it (Gantt, Summary, Issues), print the findings and where the workbook is."""

from __future__ import annotations

import os

import typer

from ._common import LANG_HELP, check_lang, console, fail


def demo(
    lang: str = typer.Option("zh", "--lang", callback=check_lang, help=LANG_HELP),
    out_dir: str = typer.Option("xl-campaign-demo", "--dir", help="Folder for the demo workbook (its own files "
                                "are replaced on every run)."),
) -> None:
    """Write the example campaign and run Check & Update on it. / 演示：生成示例活动并校验、更新。"""
    from ..app.update import UpdateRefused, update_workbook
    from ..core.content import example
    from ..io.template import write_workbook
    from .show import overview_lines
    from .update import import_openpyxl, print_result

    import_openpyxl()
    out = console()
    path = os.path.join(out_dir, f"campaign-example-{lang}.xlsx")
    try:
        write_workbook(example(lang), path, force=True)
        result = update_workbook(path, lang=lang, backup=False)  # a fresh file: nothing to back up
    except OSError as exc:
        fail(f"{path}: {exc.strerror or exc}")
    except UpdateRefused as refusal:
        fail(refusal.message(lang))
    from ..io.reader import read_plan

    out.print(("示例工作簿：" if lang == "zh" else "Example workbook: ") + os.path.abspath(path))
    for line in overview_lines(read_plan(path), lang):
        out.print(line)
    print_result(result, out)


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)
