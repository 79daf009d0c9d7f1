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
    """A rich console; a reader that went away (``| head``) is left to ``cli.main`` like any other write."""
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:  # rich's own handler exits 1; the CLI's exits quietly with 0
            raise BrokenPipeError

    return _Console(stderr=stderr, highlight=False, soft_wrap=True)


def fail(message: str, lang: str | None = None) -> NoReturn:
    """The tool itself cannot go on (bad arguments, a file it must not touch): message and exit 2.

    ``lang``: the language the message is written in (its "error" label follows it; English when not given)."""
    from rich.text import Text

    from ..core.text import t

    console(stderr=True).print(Text.assemble((t(lang, "错误：", "error: "), "bold red"), message))
    raise typer.Exit(2)


def parse_today(value: str | None) -> date | None:
    """The ``--today`` option: a YYYY-MM-DD date, or None for each workbook's own status date."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"--today {value!r}: use YYYY-MM-DD")
