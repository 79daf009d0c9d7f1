"""The rule registry: stable codes, names, severities and the docs of every rule.

A rule is one small function ``(plan, ctx) -> Iterator[Finding]`` registered with :func:`rule`. Codes are
stable and never reused (ruff's ``codes.rs``); the area prefix says what a rule looks at:

- ``XF``   the file itself (not a workbook, encrypted, XML bomb, too large …)
- ``SEC``  what can run code, reach outside the file or hide content (macros, DDE, connections, links …)
- ``WB``   workbook structure and hygiene (missing sheets/columns, error cells, numbers stored as text …)
- ``OWN``  ownership
- ``DATE`` dates and schedule
- ``BUD``  budget and reserve
- ``KPI``  metrics
- ``MAT``  materials
- ``REV``  the review (stage 4)

Every rule is documented twice, beside its code: in English by its docstring (a summary line, then the fixed
sections *What it checks / Why it matters / Example / How to fix*) and in Chinese by the ``doc_zh`` argument of
:func:`rule` / :func:`file_rule` (a summary line, then *检查内容 / 为什么重要 / 示例 / 如何修复*). The pages in
``docs/rules/`` and ``xl-campaign rule CODE [--lang zh|en]`` are generated from them (``render/rule_docs.py``);
:func:`doc_problems` (run by the tests) fails a rule that lacks either language.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..findings import Finding, Severity
from ..text import is_zh, t

if TYPE_CHECKING:
    from ..model import Plan
    from .context import Context

AREAS: dict[str, tuple[str, str]] = {
    "XF": ("The file itself", "文件本身"),
    "SEC": ("Code, outside connections and hidden content", "代码、外部连接与隐藏内容"),
    "WB": ("Workbook structure and hygiene", "工作簿结构与规范"),
    "OWN": ("Ownership", "负责人"),
    "DATE": ("Dates and schedule", "日期与进度"),
    "BUD": ("Budget and reserve", "预算与应急资金"),
    "KPI": ("Metrics", "数据指标"),
    "MAT": ("Materials", "物料"),
    "REV": ("Review", "复盘"),
}
SECTIONS = ("What it checks", "Why it matters", "Example", "How to fix")
# The same sections in a Chinese doc, in the same order (a section is named by its English heading in code).
SECTIONS_ZH = ("检查内容", "为什么重要", "示例", "如何修复")
_CJK = re.compile(r"[\u3400-\u9fff]")

RuleFunc = Callable[["Plan", "Context"], Iterator[Finding]]


@dataclass(frozen=True)
class Rule:
    """One registered rule. ``func`` is None for file-level (XF) rules, which are raised by the file checks."""

    code: str
    name: str
    severity: Severity
    title_zh: str
    docstring: str = field(default="", repr=False)
    status: str = "stable"  # stable | preview
    since: str = "0.1.0"
    func: RuleFunc | None = None
    doc_zh: str = field(default="", repr=False)  # the Chinese docs: summary line and 检查内容 / … / 如何修复

    @property
    def doc(self) -> dict[str, str]:
        """The docstring's fixed sections (What it checks / Why it matters / Example / How to fix)."""
        return parse_doc(self.docstring)[1]

    def doc_in(self, lang: str | None) -> dict[str, str]:
        """The fixed sections in ``lang``, keyed by their English heading (``SECTIONS``) in both languages."""
        if is_zh(lang):
            return parse_doc(self.doc_zh, SECTIONS_ZH)[1]
        return self.doc

    def summary(self, lang: str | None) -> str:
        """The docs' first line in ``lang`` (without its final full stop)."""
        if is_zh(lang):
            return parse_doc(self.doc_zh, SECTIONS_ZH)[0].rstrip("。.")
        return self.title_en

    @property
    def title_en(self) -> str:
        """The docstring's first line."""
        return parse_doc(self.docstring)[0].rstrip(".")

    @property
    def area(self) -> str:
        return re.match(r"[A-Z]+", self.code)[0]  # type: ignore[index]

    def title(self, lang: str | None) -> str:
        """The short title for lists: ``title_zh`` in Chinese, the docstring's first line in English."""
        return t(lang, self.title_zh, self.title_en)


RULES: dict[str, Rule] = {}
# Codes that were renamed keep a redirect to their new code (never reused).
REDIRECTS: dict[str, str] = {
    "XF020": "SEC006",  # outside references (external links, XML map schemas) joined the SEC rules in 0.2.0
}


def _cleandoc(text: str) -> str:
    """``inspect.cleandoc`` without importing inspect (slow to import on the CLI's hot path)."""
    lines = text.expandtabs().splitlines()
    indents = [len(line) - len(line.lstrip()) for line in lines[1:] if line.strip()]
    margin = min(indents, default=0)
    body = [lines[0].strip()] + [line[margin:] for line in lines[1:]] if lines else []
    while body and not body[-1].strip():
        body.pop()
    while body and not body[0].strip():
        body.pop(0)
    return "\n".join(body)


def section_headings(lang: str | None) -> tuple[str, ...]:
    """The four section headings as a reader of ``lang`` sees them (same order as ``SECTIONS``)."""
    return SECTIONS_ZH if is_zh(lang) else SECTIONS


def parse_doc(text: str, headings: Sequence[str] = SECTIONS) -> tuple[str, dict[str, str]]:
    """(first line, {section: body}) of a rule doc with the fixed sections.

    ``headings``: the section headings the doc is written with (``SECTIONS`` or ``SECTIONS_ZH``), each alone on
    its line and followed by a colon (``:`` or ``：``); the result is keyed by the matching English heading.
    """
    lines = _cleandoc(text or "").splitlines()
    summary = lines[0].strip() if lines else ""
    key_of = dict(zip(headings, SECTIONS, strict=True))
    sections: dict[str, list[str]] = {}
    current: str | None = None
    for line in lines[1:]:
        stripped = line.strip()
        heading = stripped[:-1].rstrip()
        if stripped[-1:] in (":", "：") and heading in key_of:
            current = key_of[heading]
            sections[current] = []
        elif current is not None:
            sections[current].append(line[4:] if line.startswith("    ") else line)
    return summary, {k: "\n".join(v).strip() for k, v in sections.items()}


def _register(code: str, name: str, severity: Severity, title_zh: str, doc: str, doc_zh: str,
              func: RuleFunc | None, status: str, since: str) -> Rule:
    if code in RULES:
        raise ValueError(f"rule code {code} registered twice")
    registered = Rule(code, name, severity, title_zh, doc, status, since, func, doc_zh)  # parsed when asked for
    RULES[code] = registered
    return registered


def rule(code: str, name: str, severity: Severity, title_zh: str, *, doc_zh: str = "", status: str = "stable",
         since: str = "0.1.0") -> Callable[[RuleFunc], RuleFunc]:
    """Register a plan rule (decorator). The function's docstring is the English doc, ``doc_zh`` the Chinese."""

    def decorate(func: RuleFunc) -> RuleFunc:
        _register(code, name, severity, title_zh, func.__doc__ or "", doc_zh, func, status, since)
        return func

    return decorate


def file_rule(code: str, name: str, severity: Severity, title_zh: str, doc: str, *, doc_zh: str = "",
              status: str = "stable", since: str = "0.1.0") -> Rule:
    """Register a file-level rule (no plan function: raised by the file checks); ``doc`` English, ``doc_zh``
    Chinese."""
    return _register(code, name, severity, title_zh, doc, doc_zh, None, status, since)


def doc_problems() -> list[str]:
    """Rules whose code, name or docs break the conventions (empty when all is well; used by tests).

    Both languages are required: the English docstring and the Chinese ``doc_zh``, each with its summary line
    and the four sections; every part of the Chinese docs must be written in Chinese (not a copy of the English).
    """
    problems = []
    names: set[str] = set()
    for code, registered in RULES.items():
        if not re.fullmatch(r"(XF|SEC|WB|OWN|DATE|BUD|KPI|MAT|REV)\d{3}", code) or code in REDIRECTS:
            problems.append(f"{code}: bad code")
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", registered.name) or registered.name in names:
            problems.append(f"{code}: bad or duplicate name {registered.name}")
        names.add(registered.name)
        missing = [s for s in SECTIONS if not registered.doc.get(s)]
        if missing or not registered.title_en or not registered.title_zh:
            problems.append(f"{code}: docstring lacks {missing or 'a title'}")
        summary_zh, doc_zh = parse_doc(registered.doc_zh, SECTIONS_ZH)
        missing_zh = [zh for zh, en in zip(SECTIONS_ZH, SECTIONS, strict=True) if not doc_zh.get(en)]
        if missing_zh or not summary_zh:
            problems.append(f"{code}: doc_zh lacks {missing_zh or 'its summary line'}")
        not_chinese = [part for part in (summary_zh, registered.title_zh, *doc_zh.values()) if not _is_chinese(part)]
        if not_chinese and not missing_zh and summary_zh:
            problems.append(f"{code}: doc_zh or title_zh not written in Chinese: {not_chinese[0][:40]!r}")
    return problems


def _is_chinese(text: str) -> bool:
    """Written in Chinese: Chinese characters, or (an example that is only a value) no English words outside code."""
    prose = re.sub(r"``.+?``", "", text)
    return bool(_CJK.search(prose)) or not re.search(r"[A-Za-z]{2,}", prose)


def get_rule(code: str) -> Rule | None:
    """The rule with ``code`` (case-insensitive; old codes follow their redirect), or None."""
    code = code.strip().upper()
    code = REDIRECTS.get(code, code)
    for_name = {r.name: r for r in RULES.values()}
    return RULES.get(code) or for_name.get(code.lower())


def _selector(prefix: str) -> str:
    """A selector as compared: upper case, and a moved code as its new code (``XF020`` selects ``SEC006``)."""
    prefix = prefix.strip().upper()
    return REDIRECTS.get(prefix, prefix)


def matches(code: str, prefixes: Sequence[str]) -> bool:
    return any(code.startswith(_selector(p)) for p in prefixes if p.strip())


def is_selected(code: str, select: Sequence[str] = (), ignore: Sequence[str] = ()) -> bool:
    """``--select``/``--ignore`` by code or prefix (``DATE``, ``DATE01``, ``DATE013``); ignore wins. A code that
    moved selects its new code."""
    if ignore and matches(code, ignore):
        return False
    return not [p for p in select if p.strip()] or matches(code, select)


def unknown_selectors(selectors: Sequence[str]) -> list[str]:
    """Selectors that match no registered code (for a clear error message)."""
    return [s for s in selectors if s.strip() and not any(c.startswith(_selector(s)) for c in RULES)]


_ORDERED: list[tuple[tuple[int, ...], list[Rule]]] = []  # (which rule objects, them in order): every file asks


def all_rules() -> list[Rule]:
    """Every rule in code order (areas in the order of ``AREAS``)."""
    registered = tuple(map(id, RULES.values()))  # a rule registered, replaced or removed since: sort again
    if not _ORDERED or _ORDERED[0][0] != registered:
        order = list(AREAS)
        _ORDERED[:] = [(registered, sorted(RULES.values(), key=lambda r: (order.index(r.area), r.code)))]
    return list(_ORDERED[0][1])


def area_title(area: str, lang: str | None) -> str:
    """The area's title in ``lang`` (``AREAS`` holds en, zh)."""
    title_en, title_zh = AREAS[area]
    return title_zh if is_zh(lang) else title_en
