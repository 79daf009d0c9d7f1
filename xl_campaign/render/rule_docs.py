"""Generate ``docs/rules/`` from the rule registry: one page per rule and an index.

    python -m xl_campaign.render.rule_docs          # write docs/rules/
    python -m xl_campaign.render.rule_docs --check  # exit 1 when docs/rules/ is stale

A test fails when the committed pages differ from what the registry gives.
"""

from __future__ import annotations

import sys
from pathlib import Path

DOCS_DIR = Path(__file__).resolve().parents[2] / "docs" / "rules"


def pages() -> dict[str, str]:
    """File name -> content of every generated page (``<CODE>.md`` and ``README.md``)."""
    from ..core.rules import AREAS, all_rules, doc_markdown

    rules = all_rules()
    out = {f"{r.code}.md": doc_markdown(r) for r in rules}
    index = ["# Rules / 校验规则", "",
             "Generated from the rule registry (`xl_campaign/core/rules`) by "
             "`python -m xl_campaign.render.rule_docs`; do not edit by hand.",
             "由规则注册表生成，请勿手工修改。", "",
             "`xl-campaign rules` lists them, `xl-campaign rule CODE` prints one page, and "
             "`xl-campaign check --select/--ignore` takes codes or prefixes (`DATE`, `BUD01`, `OWN004`).", ""]
    for area, (title_en, title_zh) in AREAS.items():
        in_area = [r for r in rules if r.area == area]
        if not in_area:
            continue
        index += [f"## {area} — {title_en} / {title_zh}", "", "| Code | Name | Severity | Summary | 说明 |",
                  "|---|---|---|---|---|"]
        index += [f"| [{r.code}]({r.code}.md) | `{r.name}` | {r.severity.value} | {r.title_en} | {r.title_zh} |"
                  for r in in_area]
        index.append("")
    out["README.md"] = "\n".join(index).rstrip() + "\n"
    return out


def stale(directory: Path = DOCS_DIR) -> list[str]:
    """Pages that are missing, different or left over in ``directory``."""
    wanted = pages()
    problems = [name for name, text in wanted.items()
                if not (directory / name).is_file() or (directory / name).read_text(encoding="utf-8") != text]
    if directory.is_dir():
        problems += [p.name for p in directory.glob("*.md") if p.name not in wanted]
    return sorted(problems)


def write(directory: Path = DOCS_DIR) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    wanted = pages()
    for old in directory.glob("*.md"):
        if old.name not in wanted:
            old.unlink()
    for name, text in wanted.items():
        (directory / name).write_text(text, encoding="utf-8", newline="\n")


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if "--check" in args:
        problems = stale()
        if problems:
            print("docs/rules is stale: " + ", ".join(problems) + "\nrun: python -m xl_campaign.render.rule_docs")
            return 1
        return 0
    write()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
