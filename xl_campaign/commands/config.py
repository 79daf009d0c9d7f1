"""``xl-campaign config show [PATH]``: the settings in force for a workbook or folder, and where each came from.

The policy file is found as ``check`` finds it (the nearest ``xl-campaign.toml`` or ``pyproject.toml`` with
``[tool.xl-campaign]`` above PATH), or named with ``--config``. Given a workbook, its own Overview cells that win
over the file (currency, holiday region) are shown with their cell. Exit codes: 0 shown; 2 a bad policy file
(one message naming the file and the key) or a bad argument.
"""

from __future__ import annotations

import json
import os
from decimal import Decimal
from typing import Any

import typer

from ..core.text import Texts
from ._common import CONFIG_HELP, check_lang, console, fail

config_app = typer.Typer(
    name="config",
    help="The team's policy file (xl-campaign.toml): the settings in force. / 团队策略文件：生效的设置。",
    no_args_is_help=True,
)

TEXTS = Texts({
    "file": ("策略文件：{path}", "Policy file: {path}"),
    "none": ("策略文件：无（使用内置默认值）", "Policy file: none (built-in defaults)"),
    "key": ("设置", "setting"),
    "value": ("值", "value"),
    "source": ("来源", "source"),
    "default": ("默认", "default"),
    "file_source": ("策略文件", "policy file"),
    "workbook": ("工作簿 {where}", "workbook {where}"),
    "precedence": ("优先级：命令行 > 工作簿「活动概览」中的单元格 > 策略文件 > 内置默认值",
                   "Precedence: command line > the workbook's Overview cells > policy file > built-in defaults"),
})


def _text(key: str, value: Any, lang: str) -> str:
    from ..app.config import RATE_KEYS
    from ..core.policy import percent

    def one(item: Any) -> str:
        if isinstance(item, Decimal) and key in RATE_KEYS:
            return percent(item)
        return str(item)

    if value is None or value == [] or value == {}:
        return "—"
    if isinstance(value, dict):
        return "; ".join(f"{k} = {one(v) if not isinstance(v, list) else ', '.join(map(one, v))}"
                         for k, v in value.items())
    if isinstance(value, list):
        return ("–" if key in RATE_KEYS else ", ").join(map(one, value))
    return one(value)


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


@config_app.command("show")
def show(
    path: str = typer.Argument(".", help="A workbook or a folder (default: the current folder). / 工作簿或文件夹。"),
    config: str | None = typer.Option(None, "--config", help=CONFIG_HELP),
    fmt: str = typer.Option("text", "--format", "-f", help="text or json."),
    lang: str | None = typer.Option(None, "--lang", callback=check_lang, help="Language: zh or en. / 语言。"),
) -> None:
    """The settings in force for PATH and where each came from. / 显示生效的设置及其来源。"""
    from ..app.config import ConfigError, Resolver, effective_settings
    from ..app.load import WORKBOOK_EXTENSIONS, load
    from ..core.text import resolve_lang

    if fmt not in ("text", "json"):
        fail(lang, f"--format {fmt!r}：请使用 text 或 json", f"--format {fmt!r}: use text or json")
    if not os.path.exists(path):
        fail(lang, f"{path}：文件或文件夹不存在", f"{path}: no such file or folder")
    if config is not None and not os.path.isfile(config):
        fail(lang, f"--config {config}：文件不存在", f"--config {config}: no such file")
    plan = None
    if os.path.isfile(path) and path.lower().endswith(WORKBOOK_EXTENSIONS):
        plan = load(path).plan
    lang = resolve_lang(lang, plan.lang if plan is not None else None)
    probe = path if os.path.isfile(path) else os.path.join(path, "_")  # a folder: as a workbook inside it
    try:
        found = Resolver(explicit=config).file_for(probe)
    except ConfigError as exc:
        fail(lang, exc.message("zh"), exc.message("en"))
    rows = effective_settings(found, probe, plan)
    if fmt == "json":
        data = {"file": os.path.abspath(found.path) if found else None,
                "settings": {row.key: {"value": _jsonable(row.value), "source": row.source, "where": row.where}
                             for row in rows}}
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    out = console()
    out.print(TEXTS("file", lang, path=os.path.abspath(found.path)) if found else TEXTS("none", lang), markup=False)
    width = max(len(row.key) for row in rows)
    values = [_text(row.key, row.value, lang) for row in rows]
    value_width = min(40, max(len(v) for v in values))
    for row, value in zip(rows, values, strict=True):
        if row.source == "file":
            source = TEXTS("file_source", lang)
        elif row.source == "workbook":
            source = TEXTS("workbook", lang, where=row.where or "")
        else:
            source = TEXTS("default", lang)
        out.print(f"{row.key:<{width}}  {value:<{value_width}}  {source}", markup=False)
    out.print(TEXTS("precedence", lang), markup=False, style="dim")


def register(app: typer.Typer) -> None:
    app.add_typer(config_app)
