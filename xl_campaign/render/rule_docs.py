"""Rule documentation pages from the rule registry: Markdown for ``docs/rules/`` and the blocks
``xl-campaign rule CODE`` lays out for a terminal (``render/rule_text.py``).

    python -m xl_campaign.render.rule_docs          # write docs/rules/ (English) and docs/rules/zh/ (Chinese)
    python -m xl_campaign.render.rule_docs --check  # exit 1 when a page is stale

``docs/rules/<CODE>.md`` is the English page (the stable address links point at), ``docs/rules/zh/<CODE>.md`` the
Chinese one; each links to the other, and one bilingual index ``docs/rules/README.md`` links to both. A test
fails when the committed pages differ from what the registry gives.

A doc's text is plain prose with two inline marks, as in the docstrings: ````code```` (values, cells, formulas,
commands) and ``*emphasis*`` (Excel menus and buttons). Lines that the source wraps are joined into paragraphs
here: with a space between words, without one between Chinese characters.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..core.text import Texts, is_zh, t

if TYPE_CHECKING:
    from ..core.rules import Rule

DOCS_DIR = Path(__file__).resolve().parents[2] / "docs" / "rules"
ZH_DIR = "zh"  # the Chinese pages' folder inside DOCS_DIR

LABELS = Texts({
    "area": ("领域", "Area"),
    "severity": ("级别", "Severity"),
    "status": ("状态", "Status"),
    "since": ("起始版本", "Since"),
    "stable": ("稳定", "stable"),
    "preview": ("预览", "preview"),
    "index": ("全部规则", "All rules"),
    "other_lang": ("English", "中文"),
    "other_command": ("English: xl-campaign rule {code} --lang en", "中文：xl-campaign rule {code} --lang zh"),
})

# A paragraph in each language under an area's heading in the index (how the area is used as a whole).
AREA_NOTES = {
    "SEC": ("An inbox gate: `xl-campaign check inbox/ --select SEC --format github` reports, before anyone opens a "
            "workbook, what would run code, reach outside the file or hide content — nothing is run, fetched or "
            "followed. It exits 1 on any error, and on a file it cannot look into (an encrypted workbook, a legacy "
            ".xls: its XF error is kept under `--select SEC`); add `--fail-on warning` to stop outside connections too.",
            "收件检查：`xl-campaign check inbox/ --select SEC --format github` 在任何人打开工作簿之前，报告其中会运行代码、"
            "访问文件之外或隐藏内容的东西——不运行、不获取、不打开任何链接。只要有错误就以退出码 1 结束；无法查看内部的文件"
            "（已加密的工作簿、旧版 .xls）也一样：指定 `--select SEC` 时仍报告它的 XF 错误；加上 `--fail-on warning` 可把"
            "外部连接也拦下。"),
}

# Inline marks: ``code`` (the docstrings' reStructuredText style), `code`, *emphasis*.
_INLINE = re.compile(r"``(.+?)``|`([^`]+)`|\*([^*\s](?:[^*]*[^*\s])?)\*")
# Full-width punctuation: no space is put next to it when two source lines are joined.
FULLWIDTH_PUNCTUATION = frozenset("，。、；：！？（）「」『』“”‘’《》〈〉【】…—·")


def is_wide(char: str) -> bool:
    """A character that takes two columns in a terminal (Chinese characters, full-width punctuation)."""
    return unicodedata.east_asian_width(char) in ("W", "F")


def _tight(before: str, after: str) -> bool:
    """True when two source lines ending/starting with these characters join without a space."""
    return (is_wide(before) and is_wide(after)) or before in FULLWIDTH_PUNCTUATION or after in FULLWIDTH_PUNCTUATION


def paragraphs(body: str) -> list[str]:
    """A section's text as paragraphs (blank lines separate them), each on one line."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", body.strip()):
        text = ""
        for line in (part.strip() for part in block.splitlines()):
            if not line:
                continue
            text = line if not text else text + ("" if _tight(text[-1], line[0]) else " ") + line
        if text:
            out.append(text)
    return out


def inline(text: str) -> list[tuple[str, str]]:
    """A paragraph as spans ``(kind, text)``, kind ``text``, ``code`` or ``em``; the marks themselves dropped."""
    spans: list[tuple[str, str]] = []
    position = 0
    for match in _INLINE.finditer(text):
        if match.start() > position:
            spans.append(("text", text[position:match.start()]))
        code = match.group(1) if match.group(1) is not None else match.group(2)
        spans.append(("code", code) if code is not None else ("em", match.group(3)))
        position = match.end()
    if position < len(text):
        spans.append(("text", text[position:]))
    return spans


@dataclass(frozen=True)
class Page:
    """One rule's documentation in one language, as blocks a renderer lays out."""

    code: str
    name: str
    title: str  # the short title ("任务已逾期"); empty in English, where the summary is the title
    summary: str
    facts: list[tuple[str, str]]  # (label, value): area, severity, status, since
    sections: list[tuple[str, list[str]]]  # (heading, paragraphs)
    other_command: str  # how to read the page in the other language


def page(r: Rule, lang: str) -> Page:
    """The blocks of ``r``'s page in ``lang``."""
    from ..core.rules.registry import SECTIONS, area_title, section_headings

    doc = r.doc_in(lang)
    headings = dict(zip(SECTIONS, section_headings(lang), strict=True))
    area = t(lang, "{title}（{area}）", "{title} ({area})", title=area_title(r.area, lang), area=f"``{r.area}``")
    facts = [(LABELS("area", lang), area), (LABELS("severity", lang), r.severity.label(lang)),
             (LABELS("status", lang), LABELS(r.status, lang) if r.status in LABELS else r.status),
             (LABELS("since", lang), r.since)]
    return Page(r.code, r.name, t(lang, r.title_zh, ""), r.summary(lang), facts,
                [(headings[s], paragraphs(doc.get(s, ""))) for s in SECTIONS],
                LABELS("other_command", lang, code=r.code))


def markdown(r: Rule, lang: str = "en") -> str:
    """The Markdown page of one rule: ``docs/rules/<CODE>.md`` (en) or ``docs/rules/zh/<CODE>.md`` (zh)."""
    blocks = page(r, lang)
    if is_zh(lang):
        out = [f"# {r.code} {r.name}：{blocks.title}", "", f"**{blocks.summary}**", ""]
        links = f"[{LABELS('other_lang', lang)}](../{r.code}.md) · [{LABELS('index', lang)}](../README.md)"
    else:
        out = [f"# {r.code} {r.name}", "", f"**{blocks.summary}** / {r.title_zh}", ""]
        links = f"[{LABELS('other_lang', lang)}]({ZH_DIR}/{r.code}.md) · [{LABELS('index', lang)}](README.md)"
    out += [t(lang, "- {label}：{value}", "- {label}: {value}", label=label, value=value)
            for label, value in blocks.facts]
    out += ["", links, ""]
    for heading, texts in blocks.sections:
        out += [f"## {heading}", ""]
        for text in texts:
            out += [text, ""]
    return re.sub(r"``([^`]+)``", r"`\1`", "\n".join(out)).rstrip() + "\n"  # Markdown's usual single backticks


def pages() -> dict[str, str]:
    """Path (relative to ``docs/rules``) -> content of every generated page."""
    from ..core.rules import AREAS, all_rules

    rules = all_rules()
    out = {f"{r.code}.md": markdown(r, "en") for r in rules}
    out.update({f"{ZH_DIR}/{r.code}.md": markdown(r, "zh") for r in rules})
    index = ["# Rules / 校验规则", "",
             "Generated from the rule registry (`xl_campaign/core/rules`) by "
             "`python -m xl_campaign.render.rule_docs`; do not edit by hand.",
             "由规则注册表生成，请勿手工修改。", "",
             "Each rule has an English page (the code links to it) and a Chinese one (the Chinese title links to "
             "it). `xl-campaign rules` lists them, `xl-campaign rule CODE --lang zh|en` shows one in the terminal, "
             "and `xl-campaign check --select/--ignore` takes codes or prefixes (`DATE`, `BUD01`, `OWN004`).", "",
             "每条规则都有英文说明页（点击代码）和中文说明页（点击中文标题）。`xl-campaign rules --lang zh` 列出全部规则，"
             "`xl-campaign rule 代码 --lang zh` 在终端中显示一条规则的说明，`xl-campaign check --select/--ignore` "
             "接受代码或代码前缀（`DATE`、`BUD01`、`OWN004`）。", ""]
    for area, (title_en, title_zh) in AREAS.items():
        in_area = [r for r in rules if r.area == area]
        if not in_area:
            continue
        index += [f"## {area} — {title_en} / {title_zh}", ""]
        if area in AREA_NOTES:
            index += [*AREA_NOTES[area], ""]
        index += ["| Code | Name | Severity | Summary | 说明 |", "|---|---|---|---|---|"]
        index += [f"| [{r.code}]({r.code}.md) | `{r.name}` | {r.severity.value} | {r.title_en} | "
                  f"[{r.title_zh}]({ZH_DIR}/{r.code}.md) |" for r in in_area]
        index.append("")
    from ..core.rules.registry import REDIRECTS

    if REDIRECTS:
        index += ["## Moved codes / 已迁移的代码", "",
                  "An old code still works with `--select`, `--ignore` and `xl-campaign rule`; its page points to the "
                  "new one. 旧代码仍可用于 `--select`、`--ignore` 和 `xl-campaign rule`。", "",
                  "| Old code | New code | Name |", "|---|---|---|"]
        for old, new in sorted(REDIRECTS.items()):
            moved = next(r for r in rules if r.code == new)
            index.append(f"| `{old}` | `{new}` | `{moved.name}` |")
            out[f"{old}.md"] = (f"# {old} → {new}\n\n{old} moved to [{new}]({new}.md) (`{moved.name}`: "
                                f"{moved.title_en}). `--select {old}`, `--ignore {old}` and `xl-campaign rule {old}` "
                                f"still work and mean {new}.\n")
            out[f"{ZH_DIR}/{old}.md"] = (f"# {old} → {new}\n\n{old} 已迁移为 [{new}]({new}.md)（`{moved.name}`："
                                         f"{moved.title_zh}）。`--select {old}`、`--ignore {old}` 和 "
                                         f"`xl-campaign rule {old}` 仍然可用，指的就是 {new}。\n")
        index.append("")
    out["README.md"] = "\n".join(index).rstrip() + "\n"
    return out


def _present(directory: Path) -> list[str]:
    """The Markdown files under ``directory`` that the generator owns (its own level and the zh folder)."""
    found = [p.name for p in directory.glob("*.md")] if directory.is_dir() else []
    if (directory / ZH_DIR).is_dir():
        found += [f"{ZH_DIR}/{p.name}" for p in (directory / ZH_DIR).glob("*.md")]
    return found


def stale(directory: Path = DOCS_DIR) -> list[str]:
    """Pages that are missing, different or left over in ``directory``."""
    wanted = pages()
    problems = [name for name, text in wanted.items()
                if not (directory / name).is_file() or (directory / name).read_text(encoding="utf-8") != text]
    problems += [name for name in _present(directory) if name not in wanted]
    return sorted(problems)


def write(directory: Path = DOCS_DIR) -> None:
    wanted = pages()
    (directory / ZH_DIR).mkdir(parents=True, exist_ok=True)
    for old in _present(directory):
        if old not in wanted:
            (directory / old).unlink()
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
