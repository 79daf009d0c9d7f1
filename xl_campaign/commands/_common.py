"""What every command shares: options, the console, how a refusal and a finding are said, and the exit codes.

Exit codes mean the same in every command (as ruff's):

- 0 — done, and no finding at or above ``--fail-on``;
- 1 — done, with findings at or above ``--fail-on``; a file that could not be read is such a finding (its XF code),
  whichever command was given it;
- 2 — nothing was done: bad arguments, or the command refused to write (an output it must not replace, a workbook
  open in Excel or one that saving would damage).

Messages are in one language: ``--lang``, else the workbook's own, else the environment's (``core.text``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, NoReturn

import typer

from ..core.text import resolve_lang, t

if TYPE_CHECKING:
    from ..core.findings import Finding

LANG_HELP = "Language of sheets, headers and messages: zh or en. / 语言：zh 或 en。"
FAIL_ON_HELP = "Exit 1 when a finding is at or above: error, warning, info. / 问题达到此级别时退出码为 1。"
TODAY_HELP = ("Judge overdue work, stages and pacing on this date (YYYY-MM-DD); it wins over the workbook's status "
              "date. / 按此日期判断逾期、阶段与进度。")
FAIL_ON = ("error", "warning", "info")
CONFIG_HELP = ("The team's policy file for every input (xl-campaign.toml, or a pyproject.toml with [tool.xl-campaign]); "
               "default: the nearest one above each workbook. / 团队策略文件（默认：每个工作簿所在文件夹及其上级中最近的）。")
NO_CONFIG_HELP = "Use no policy file: the built-in defaults. / 不使用策略文件。"
# the isolated worker pool's options, shared by check and rollup
JOBS_HELP = "Worker processes (default: CPU count; 0: no isolation, in this process). / 工作进程数。"
TIMEOUT_HELP = "Time limit per file in seconds. / 每个文件的时间上限（秒）。"
MEMORY_HELP = "Memory limit per worker in MB. / 每个工作进程的内存上限（MB）。"


def check_lang(value: str | None) -> str | None:
    if value is not None and value not in ("zh", "en"):
        raise typer.BadParameter("use zh or en / 请用 zh 或 en")
    return value


def console(stderr: bool = False) -> Any:
    """A rich console; a reader that went away (``| head``) is left to ``cli.main`` like any other write."""
    from rich.console import Console

    class _Console(Console):
        def on_broken_pipe(self) -> None:  # rich's own handler exits 1; the CLI's exits quietly with 0
            raise BrokenPipeError

    return _Console(stderr=stderr, highlight=False, soft_wrap=True)


def fail(lang: str | None, zh: str, en: str) -> NoReturn:
    """Nothing can be done (bad arguments, an output that must not be replaced): say why in one language, exit 2."""
    lang = resolve_lang(lang)
    console(stderr=True).print(t(lang, "[bold red]错误：[/]", "[bold red]error:[/] "), end="")
    console(stderr=True).print(t(lang, zh, en), markup=False, highlight=False)
    raise typer.Exit(2)


def policy_resolver(config: str | None, no_config: bool, files: Sequence[str], lang: str | None) -> Any:
    """The policy file of each input (``app.config.Resolver``), every one read and validated now: a bad file is one
    message naming the file and the key, and exit 2, before any work is done."""
    import os

    from ..app.config import ConfigError, Resolver

    if config is not None and no_config:
        fail(lang, "--config 与 --no-config 不能同时使用", "--config and --no-config cannot be used together")
    if config is not None and not os.path.isfile(config):
        fail(lang, f"--config {config}：文件不存在", f"--config {config}: no such file")
    resolver = Resolver(explicit=config, isolated=no_config)
    try:
        for path in files:
            resolver.settings_for(path)
    except ConfigError as exc:
        fail(lang, exc.message("zh"), exc.message("en"))
    return resolver


def parse_today(value: str | None, lang: str | None = None) -> date | None:
    """The ``--today`` option: a YYYY-MM-DD date, or None for each workbook's own status date."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(lang, f"--today {value!r}：请使用 YYYY-MM-DD 格式", f"--today {value!r}: use YYYY-MM-DD")


def check_fail_on(value: str, lang: str | None = None) -> str:
    if value not in FAIL_ON:
        fail(lang, f"--fail-on {value!r}：请使用 error、warning 或 info", f"--fail-on {value!r}: use error, warning or info")
    return value


def one_workbook(path: str, lang: str | None, today: str | None, fail_on: str | None, config: str | None,
                 no_config: bool) -> tuple[date | None, Any]:
    """The options ``update``, ``report`` and ``review`` share, checked before anything is read: the status date
    (``--today``), ``--fail-on``, and the policy settings for ``path`` (``--config``, ``--no-config``, else the
    policy file found upward). Each bad option exits 2."""
    as_of = parse_today(today, lang)
    if fail_on is not None:
        check_fail_on(fail_on, lang)
    return as_of, policy_resolver(config, no_config, [path], lang).settings_for(path)


def exit_for(findings: Sequence[Finding], fail_on: str | None, settings: Any) -> NoReturn:
    """Exit 1 when a finding is at or above ``--fail-on`` (else the policy file's ``fail-on``, else error), 0
    otherwise."""
    raise typer.Exit(1 if fails(findings, fail_on or settings.fail_on or "error") else 0)


def fails(findings: Sequence[Finding], fail_on: str) -> bool:
    """True when a finding is at or above ``fail_on`` (exit code 1)."""
    from ..core.findings import Severity

    threshold = Severity(fail_on).rank
    return any(f.severity.rank >= threshold for f in findings)


def print_findings(path: str, findings: Sequence[Finding], lang: str, *, stderr: bool = False) -> None:
    """Findings of one file, exactly as ``check``'s text output shows them (the same line for the same problem
    in every command)."""
    import sys

    from ..app.results import FileResult, Report
    from ..render.formats import render_text

    text = render_text(Report([FileResult(path, None, list(findings))]), lang=lang, summary=False)
    (sys.stderr if stderr else sys.stdout).write(text)


def check_document_output(path: str, output: str, lang: str | None, *, suffixes: tuple[str, ...],
                          what: tuple[str, str], markers: tuple[bytes, ...], force: bool) -> None:
    """The checks before ``report`` or ``review`` writes ``output`` (``what``: the document named in zh and en):
    the right kind of file, never the input, and never a file xl-campaign did not write (its head holds none of
    ``markers``) unless ``--force``. Each refusal exits 2."""
    import os

    zh, en = what
    if not output.lower().endswith(suffixes):
        fail(lang, f"-o {output}：{zh}是 {' 或 '.join(suffixes[:2])} 文件", f"-o {output}: the {en} is a "
             f"{' or '.join(suffixes[:2])} file")
    if os.path.exists(path) and os.path.exists(output) and os.path.samefile(path, output):
        fail(lang, f"-o {output}：这是输入文件；输入文件从不写入", f"-o {output}: that is the input; inputs are never written")
    if os.path.exists(output) and not force and not written_by_us(output, markers):
        fail(lang, f"-o {output}：文件已存在且不是 xl-campaign 生成的{zh}（用 --force 替换）",
             f"-o {output}: the file exists and is not a {en} xl-campaign wrote (use --force to replace it)")


def written_by_us(path: str, markers: tuple[bytes, ...]) -> bool:
    """True when the head of ``path`` holds one of ``markers`` (xl-campaign wrote it: replacing it loses nothing
    of the user's)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(1 << 16)
    except OSError:
        return False
    return any(marker in head for marker in markers)


def write_text(path: str, text: str) -> None:
    """Write ``text`` to ``path`` atomically (a partial file, then a replace): a reader never sees half of it."""
    import os

    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    partial = path + ".partial"
    with open(partial, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    os.replace(partial, path)
