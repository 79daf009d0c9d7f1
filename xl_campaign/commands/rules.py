"""``xl-campaign rules`` lists the validation rules; ``xl-campaign rule CODE`` prints one rule's documentation."""

from __future__ import annotations

import json
import sys

import typer

from ._common import check_lang, fail


def rules(
    lang: str = typer.Option("en", "--lang", callback=check_lang, help="Titles in zh or en."),
    fmt: str = typer.Option("text", "--format", "-f", help="text or json."),
    select: str | None = typer.Option(None, "--select", help="Only codes starting with these prefixes (comma-separated)."),
) -> None:
    """List the validation rules. / 列出校验规则。"""
    from ..core.rules import all_rules, is_selected

    prefixes = [p for p in (select or "").split(",") if p.strip()]
    chosen = [r for r in all_rules() if is_selected(r.code, prefixes)]
    if fmt == "json":
        sys.stdout.write(json.dumps([{"code": r.code, "name": r.name, "severity": r.severity.value,
                                      "status": r.status, "since": r.since, "title": r.title(lang),
                                      "area": r.area} for r in chosen], ensure_ascii=False, indent=2) + "\n")
        return
    if fmt != "text":
        fail(lang, f"--format {fmt!r}：请使用 text 或 json", f"--format {fmt!r}: use text or json")
    width = max((len(r.name) for r in chosen), default=10)
    for r in chosen:
        sys.stdout.write(f"{r.code:<8} {r.name:<{width}}  {r.severity.value:<7}  {r.title(lang)}\n")


def rule(
    code: str = typer.Argument(..., help="A rule code (DATE013) or name (task-overdue)."),
) -> None:
    """Print one rule's documentation. / 显示一条规则的说明。"""
    from ..core.rules import doc_markdown, get_rule

    found = get_rule(code)
    if found is None:
        fail(None, f"没有规则 {code!r}（见 xl-campaign rules）", f"no rule {code!r} (see xl-campaign rules)")
    sys.stdout.write(doc_markdown(found))


def register(app: typer.Typer) -> None:
    app.command("rules")(rules)
    app.command("rule")(rule)
