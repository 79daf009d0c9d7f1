"""The ``xl-campaign`` command: thin — parse arguments, call io/core, render.

Each command lives in its own module under ``xl_campaign.commands`` and registers itself on the app; heavy
libraries are imported inside the commands, not here, so ``xl-campaign check`` starts fast.
Exit codes (as ruff): 0 clean, 1 findings at or above ``--fail-on``, 2 the tool itself failed.
"""

from __future__ import annotations

import importlib
import pkgutil

import typer

from . import __version__, commands

app = typer.Typer(
    name="xl-campaign",
    help="Plan, check and update product-promotion campaign workbooks. / 产品推广活动工作簿：规划、校验、更新。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"xl-campaign {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the version."),
) -> None:
    """xl-campaign."""


def _register() -> None:
    for module in sorted(m.name for m in pkgutil.iter_modules(commands.__path__)):
        if module.startswith("_"):
            continue
        importlib.import_module(f"{commands.__name__}.{module}").register(app)


_register()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
