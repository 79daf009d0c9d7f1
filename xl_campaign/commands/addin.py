"""``xl-campaign addin build`` and ``xl-campaign addin install``: the Excel add-in with the Campaign ribbon tab."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from ._common import console, fail

if TYPE_CHECKING:
    from ..excel.addin import AddinCheck, AddinConfig

addin_app = typer.Typer(
    name="addin",
    help="The Excel add-in (ribbon tab Campaign / 活动, CAMPAIGN_* functions). / Excel 加载项。",
    no_args_is_help=True,
)


def _print_check(check: AddinCheck) -> None:
    out = console()
    if check.vba_checked:
        out.print(f"VBA: xlwings {check.vba_xlwings_version}; ribbon onAction → {', '.join(check.on_actions)}")
    else:
        out.print("VBA not read: install oletools (pip install oletools) to check the ribbon callbacks "
                  "and the xlwings version. / 未检查 VBA：请安装 oletools。")
    for key, value in check.config.items():
        out.print(f"  {key}: {value}")


def _refuse_a_wrong_python(config: AddinConfig) -> None:
    """Run the Python the add-in will start; refuse (exit 2) when it cannot import xl_campaign and xlwings, or has
    another xlwings. On Windows, also say when xlwings' DLL is where the add-in's VBA does not look."""
    from ..excel.addin import configured_python, dll_problem, installed_dlls, interpreter_problems

    problems = [line for lang in ("zh", "en") for line in interpreter_problems(config, lang=lang)]
    if problems:
        for line in problems:
            console(stderr=True).print(line)
        raise typer.Exit(2)
    python = configured_python(config)
    if sys.platform.startswith("win") and python:
        for lang in ("zh", "en"):
            warning = dll_problem(python, installed_dlls(), lang)
            if warning:
                console(stderr=True).print(f"[yellow]warning:[/] {warning}")


@addin_app.command("build")
def build(
    out_dir: Path = typer.Option(Path("."), "-o", "--out-dir", help="Folder to write xl_campaign.xlam into."),
    interpreter: str | None = typer.Option(
        None, "--interpreter",
        help="Python that Excel should run (default: this Python; on Linux none, so Excel uses 'python')."),
) -> None:
    """Build xl_campaign.xlam from the installed xlwings' ribbon add-in template and check it. / 生成加载项。"""
    from ..excel.addin import AddinBuildError, AddinConfig, build_addin, check_addin, config_for_this_python

    config = config_for_this_python()
    if interpreter:
        config = (AddinConfig(interpreter_mac=interpreter) if sys.platform == "darwin"
                  else AddinConfig(interpreter_win=interpreter))
    _refuse_a_wrong_python(config)
    try:
        path = build_addin(out_dir, config)
    except AddinBuildError as error:
        fail(None, str(error), str(error))
    except OSError as error:
        fail(None, f"{out_dir}：{error.strerror or error}", f"{out_dir}: {error.strerror or error}")
    check = check_addin(path)
    if not check.ok:
        for problem in check.problems:
            console(stderr=True).print(f"[red]problem:[/] {problem}")
        fail(None, f"{path} 已生成，但未通过检查", f"{path} was built but does not pass its checks")
    console().print(f"已生成 / built {path}")
    _print_check(check)
    if not sys.platform.startswith(("win", "darwin")):
        console().print("Excel is not available on Linux: install the add-in on Windows or macOS with "
                        "`xl-campaign addin install`. / Linux 上没有 Excel。")


@addin_app.command("install")
def install(
    import_functions: bool = typer.Option(
        False, "--import-functions",
        help="Windows: also import the CAMPAIGN_* functions into the add-in (needs trusted VBA project access; done "
             "without asking when the add-in being replaced had them)."),
    without_functions: bool = typer.Option(
        False, "--without-functions",
        help="Windows: install even when the replaced add-in's CAMPAIGN_* functions cannot be imported again "
             "(otherwise the old add-in is kept)."),
) -> None:
    """Build the add-in into Excel's startup folder (XLSTART), finish it in Excel (Windows) and say what to do once
    in Excel. / 安装加载项。"""
    from ..excel import install as installer
    from ..excel.addin import config_for_this_python

    if sys.platform.startswith(("win", "darwin")):
        _refuse_a_wrong_python(config_for_this_python())
    result = installer.install_addin(import_functions=import_functions, without_functions=without_functions)
    out = console()
    for line in result.done:
        out.print(f"已安装 / installed: {line}")
    for line in result.notes:
        out.print(line)
    for line in result.problems:
        console(stderr=True).print(line)
    if result.ok:
        for line in result.todo:
            out.print(f"• {line}")
        return
    raise typer.Exit(2)


@addin_app.command("selftest")
def selftest(
    lang: str | None = typer.Option(None, "--lang", help="zh or en (default: your system's language)."),
) -> None:
    """Drive Excel on a copy of the example: the button, the generated sheets, every CAMPAIGN_* function; print a
    pass/fail report. Exit 0 all passed, 1 something failed, 2 no Excel here. / 在 Excel 中自检。"""
    from ..core.text import resolve_lang
    from ..excel import selftest as tester

    language = resolve_lang(lang)
    missing = tester.excel_missing()
    if missing is not None:
        console(stderr=True).print(tester.no_excel_message(missing, language))
        raise typer.Exit(2)
    report = tester.run_selftest(tester.open_in_excel)
    console().print(report.text(language), markup=False)
    raise typer.Exit(0 if report.ok else 1)


def register(app: typer.Typer) -> None:
    app.add_typer(addin_app, name="addin")
