"""The rule registry: stable codes, names, severities and the docs of every rule.

A rule is one small function ``(plan, ctx) -> Iterator[Finding]`` registered with :func:`rule`. Codes are
stable and never reused (ruff's ``codes.rs``); the area prefix says what a rule looks at:

- ``XF``   the file itself (not a workbook, encrypted, XML bomb, too large …)
- ``WB``   workbook structure and hygiene (missing sheets/columns, error cells, numbers stored as text …)
- ``OWN``  ownership
- ``DATE`` dates and schedule
- ``BUD``  budget and reserve
- ``KPI``  metrics
- ``MAT``  materials
- ``REV``  the review (stage 4)

Every rule's docstring has the fixed sections *What it checks / Why it matters / Example / How to fix*; the
docs in ``docs/rules/`` and ``xl-campaign rule CODE`` are generated from them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..findings import Finding, Severity
from ..text import t

if TYPE_CHECKING:
    from ..model import Plan
    from .context import Context

AREAS: dict[str, tuple[str, str]] = {
    "XF": ("The file itself", "文件本身"),
    "WB": ("Workbook structure and hygiene", "工作簿结构与规范"),
    "OWN": ("Ownership", "负责人"),
    "DATE": ("Dates and schedule", "日期与进度"),
    "BUD": ("Budget and reserve", "预算与应急资金"),
    "KPI": ("Metrics", "数据指标"),
    "MAT": ("Materials", "物料"),
    "REV": ("Review", "复盘"),
}
SECTIONS = ("What it checks", "Why it matters", "Example", "How to fix")

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
    doc_zh: str = field(default="", repr=False)  # the Chinese docs (summary line and 检查内容 / … / 如何修复)

    @property
    def doc(self) -> dict[str, str]:
        """The docstring's fixed sections (What it checks / Why it matters / Example / How to fix)."""
        return parse_doc(self.docstring)[1]

    @property
    def title_en(self) -> str:
        """The docstring's first line."""
        return parse_doc(self.docstring)[0].rstrip(".")

    @property
    def area(self) -> str:
        return re.match(r"[A-Z]+", self.code)[0]  # type: ignore[index]

    def title(self, lang: str) -> str:
        return t(lang, self.title_zh, self.title_en)


RULES: dict[str, Rule] = {}
# Codes that were renamed keep a redirect to their new code (never reused).
REDIRECTS: dict[str, str] = {}


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


def parse_doc(text: str) -> tuple[str, dict[str, str]]:
    """(first line, {section: body}) of a rule docstring with the fixed sections."""
    lines = _cleandoc(text or "").splitlines()
    summary = lines[0].strip() if lines else ""
    sections: dict[str, list[str]] = {}
    current: str | None = None
    for line in lines[1:]:
        stripped = line.strip()
        if stripped.rstrip(":") in SECTIONS and stripped.endswith(":"):
            current = stripped.rstrip(":")
            sections[current] = []
        elif current is not None:
            sections[current].append(line[4:] if line.startswith("    ") else line)
    return summary, {k: "\n".join(v).strip() for k, v in sections.items()}


def _register(code: str, name: str, severity: Severity, title_zh: str, doc: str, func: RuleFunc | None,
              status: str, since: str, doc_zh: str = "") -> Rule:
    if code in RULES:
        raise ValueError(f"rule code {code} registered twice")
    registered = Rule(code, name, severity, title_zh, doc, status, since, func, doc_zh)  # docs parsed when asked for
    RULES[code] = registered
    return registered


def rule(code: str, name: str, severity: Severity, title_zh: str, *, doc_zh: str = "", status: str = "stable",
         since: str = "0.1.0") -> Callable[[RuleFunc], RuleFunc]:
    """Register a plan rule (decorator). The docstring is the English doc, ``doc_zh`` the Chinese one."""

    def decorate(func: RuleFunc) -> RuleFunc:
        _register(code, name, severity, title_zh, func.__doc__ or "", func, status, since, doc_zh)
        return func

    return decorate


def file_rule(code: str, name: str, severity: Severity, title_zh: str, doc: str, *, status: str = "stable",
              since: str = "0.1.0") -> Rule:
    """Register a file-level rule (no plan function: raised by the file checks)."""
    return _register(code, name, severity, title_zh, doc, None, status, since)


def doc_problems() -> list[str]:
    """Rules whose code, name or docstring breaks the conventions (empty when all is well; used by tests)."""
    problems = []
    names: set[str] = set()
    for code, registered in RULES.items():
        if not re.fullmatch(r"(XF|WB|OWN|DATE|BUD|KPI|MAT|REV)\d{3}", code):
            problems.append(f"{code}: bad code")
        if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", registered.name) or registered.name in names:
            problems.append(f"{code}: bad or duplicate name {registered.name}")
        names.add(registered.name)
        missing = [s for s in SECTIONS if not registered.doc.get(s)]
        if missing or not registered.title_en or not registered.title_zh:
            problems.append(f"{code}: docstring lacks {missing or 'a title'}")
    return problems


def get_rule(code: str) -> Rule | None:
    """The rule with ``code`` (case-insensitive; old codes follow their redirect), or None."""
    code = code.strip().upper()
    code = REDIRECTS.get(code, code)
    for_name = {r.name: r for r in RULES.values()}
    return RULES.get(code) or for_name.get(code.lower())


def matches(code: str, prefixes: Sequence[str]) -> bool:
    return any(code.startswith(p.strip().upper()) for p in prefixes if p.strip())


def is_selected(code: str, select: Sequence[str] = (), ignore: Sequence[str] = ()) -> bool:
    """``--select``/``--ignore`` by code or prefix (``DATE``, ``DATE01``, ``DATE013``); ignore wins."""
    if ignore and matches(code, ignore):
        return False
    return not [p for p in select if p.strip()] or matches(code, select)


def unknown_selectors(selectors: Sequence[str]) -> list[str]:
    """Selectors that match no registered code (for a clear error message)."""
    return [s for s in selectors if s.strip() and not any(c.startswith(s.strip().upper()) for c in RULES)]


_ORDERED: list[tuple[tuple[int, ...], list[Rule]]] = []  # (which rule objects, them in order): every file asks


def all_rules() -> list[Rule]:
    """Every rule in code order (areas in the order of ``AREAS``)."""
    registered = tuple(map(id, RULES.values()))  # a rule registered, replaced or removed since: sort again
    if not _ORDERED or _ORDERED[0][0] != registered:
        order = list(AREAS)
        _ORDERED[:] = [(registered, sorted(RULES.values(), key=lambda r: (order.index(r.area), r.code)))]
    return list(_ORDERED[0][1])


def doc_markdown(r: Rule) -> str:
    """The Markdown page of one rule (``docs/rules/<CODE>.md`` and ``xl-campaign rule CODE``)."""
    out = [f"# {r.code} {r.name}", "", f"**{r.title_en}** / {r.title_zh}", "",
           f"- Area: {AREAS[r.area][0]} / {AREAS[r.area][1]} (`{r.area}`)",
           f"- Severity: {r.severity.value}", f"- Status: {r.status}", f"- Since: {r.since}", ""]
    for section in SECTIONS:
        out += [f"## {section}", "", r.doc[section], ""]
    return "\n".join(out).rstrip() + "\n"
