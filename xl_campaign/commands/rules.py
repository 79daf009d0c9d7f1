"""``xl-campaign rules`` lists the validation rules; ``xl-campaign rule CODE`` shows one rule's documentation.

Both speak ``--lang`` (default: the environment's language). ``rule`` lays the page out for a terminal (styled,
wrapped to its width) or, when stdout is a file or a pipe, as plain text (``xl-campaign rule DATE013 | less``);
``--format markdown`` prints the Markdown page of ``docs/rules/``.
"""

from __future__ import annotations

import json
import sys

import typer

from ..core.text import Texts
from ._common import check_lang, fail

TEXTS = Texts({
    "unknown": ("没有代码或名称为{code}的规则（xl-campaign rules --lang zh 列出全部规则）",
                "no rule with the code or name {code} (xl-campaign rules lists them all)"),
    "did_you_mean": ("。是不是 {close}？", "; did you mean {close}?"),
})


def rules(
    lang: str | None = typer.Option(None, "--lang", callback=check_lang,
                                    help="Titles in zh or en (default: the environment's language)."),
    fmt: str = typer.Option("text", "--format", "-f", help="text or json."),
    select: str | None = typer.Option(None, "--select", help="Only codes starting with these prefixes (comma-separated)."),
) -> None:
    """List the validation rules. / 列出校验规则。"""
    from ..core.rules import all_rules, is_selected
    from ..core.text import resolve_lang

    language = resolve_lang(lang)
    prefixes = [p for p in (select or "").split(",") if p.strip()]
    chosen = [r for r in all_rules() if is_selected(r.code, prefixes)]
    if fmt == "json":
        sys.stdout.write(json.dumps([{"code": r.code, "name": r.name, "severity": r.severity.value,
                                      "status": r.status, "since": r.since, "title": r.title(language),
                                      "area": r.area} for r in chosen], ensure_ascii=False, indent=2) + "\n")
        return
    if fmt != "text":
        fail(language, f"--format {fmt!r}：请使用 text 或 json", f"--format {fmt!r}: use text or json")
    from ..render.rule_text import width_of

    width = max((len(r.name) for r in chosen), default=10)
    for r in chosen:
        severity = r.severity.label(language)
        sys.stdout.write(f"{r.code:<8} {r.name:<{width}}  {severity}{' ' * (7 - width_of(severity))}  "
                         f"{r.title(language)}\n")


def rule(
    code: str = typer.Argument(..., help="A rule code (DATE013) or name (task-overdue)."),
    lang: str | None = typer.Option(None, "--lang", callback=check_lang,
                                    help="zh or en (default: the environment's language)."),
    fmt: str = typer.Option("text", "--format", "-f", help="text (terminal or pager) or markdown."),
) -> None:
    """Show one rule's documentation. / 显示一条规则的说明。"""
    from ..core.rules import get_rule
    from ..core.text import quote, resolve_lang

    language = resolve_lang(lang)
    if fmt not in ("text", "markdown"):
        fail(language, f"--format {fmt!r}：请使用 text 或 markdown", f"--format {fmt!r}: use text or markdown")
    found = get_rule(code)
    if found is None:
        close = _close_to(code)
        message = TEXTS("unknown", language, code=quote(language, code)) + (
            TEXTS("did_you_mean", language, close=close) if close else "")
        fail(language, message, message)  # already in the one language
    if fmt == "markdown":
        from ..render.rule_docs import markdown

        sys.stdout.write(markdown(found, language))
    elif sys.stdout.isatty():
        from ..render.rule_text import show
        from ._common import console

        show(found, language, console())
    else:
        import shutil

        from ..render.rule_text import plain

        sys.stdout.write(plain(found, language, shutil.get_terminal_size().columns))


def _close_to(code: str) -> str | None:
    """The registered code or name closest to a mistyped one."""
    import difflib

    from ..core.rules import RULES

    words = list(RULES) + [r.name for r in RULES.values()]
    close = difflib.get_close_matches(code.strip().upper(), list(RULES), n=1, cutoff=0.6) or \
        difflib.get_close_matches(code.strip().lower(), words, n=1, cutoff=0.6)
    return close[0] if close else None


def register(app: typer.Typer) -> None:
    app.command("rules")(rules)
    app.command("rule")(rule)
