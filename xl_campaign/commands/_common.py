"""Helpers shared by the commands: language option, console, error exit."""

from __future__ import annotations

from datetime import date
from typing import Any, NoReturn

import typer

LANG_HELP = "Language of sheets, headers and messages: zh or en. / 语言：zh 或 en。"


def check_lang(value: str | None) -> str | None:
    if value is not None and value not in ("zh", "en"):
        raise typer.BadParameter("use zh or en")
    return value


def console(stderr: bool = False) -> Any:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def fail(message: str) -> NoReturn:
    """The tool itself cannot go on (bad arguments, a file it must not touch): message and exit 2."""
    console(stderr=True).print(f"[bold red]error:[/] {message}")
    raise typer.Exit(2)


def parse_today(value: str | None) -> date | None:
    """The ``--today`` option: a YYYY-MM-DD date, or None for each workbook's own status date."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"--today {value!r}: use YYYY-MM-DD")
