"""The ``xl-campaign`` command: thin — parse arguments, call io/core, render.

Each command lives in its own module under ``xl_campaign.commands`` and registers itself on the app; heavy
libraries are imported inside the commands, not here, so ``xl-campaign check`` starts fast.
Exit codes (as ruff): 0 clean, 1 findings at or above ``--fail-on``, 2 the tool itself failed. A reader that
stops early (``xl-campaign rules | head -1``) ends any command quietly with 0: see :func:`main`.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
import sys
from typing import Any

import typer
from typer.core import TyperGroup

from . import __version__, commands


class _ReaderGone(Exception):
    """stdout's reader went away (a closed pipe); deliberately not an OSError, which click would turn into exit 1."""


class _Commands(TyperGroup):
    """The root command group: a broken pipe while parsing (``--version``) or running a command — or when the
    output still buffered at its end is flushed — is handed to :func:`main` as :class:`_ReaderGone`. (Help pages
    are printed by typer's own rich console, whose broken-pipe handler also ends quietly, but with 1.)"""

    def make_context(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().make_context(*args, **kwargs)
        except BrokenPipeError as gone:
            raise _ReaderGone from gone

    def invoke(self, ctx: Any) -> Any:
        try:
            try:
                return super().invoke(ctx)
            finally:
                if sys.stdout is not None:  # None under pythonw
                    sys.stdout.flush()
        except BrokenPipeError as gone:
            raise _ReaderGone from gone


app = typer.Typer(
    cls=_Commands,
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
    """The ``xl-campaign`` command. When stdout's reader goes away early (``| head -1``), the rest of the output has
    nowhere to go and that is no failure: stdout is pointed at the null device (so that nothing more is tried on
    the closed pipe, not even by the interpreter's last flush) and the command exits quietly with 0."""
    # pydantic (imported only to validate a policy file) would otherwise scan every installed distribution for
    # plugins of its own; the command line has none to offer. A library user's process is left as it is.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    try:
        app()
    except _ReaderGone:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(0)


if __name__ == "__main__":
    main()
