"""Render a check :class:`~xl_campaign.app.check.Report` as text, json, jsonl, junit or github annotations.

Pure string building (no rich, no heavy imports): the CLI's hot path stays fast. ``text`` uses colours only when
asked to (a terminal).
"""

from __future__ import annotations

import json
from typing import Any

from ..app.results import Report
from ..core.findings import Finding, counts_line
from ..core.text import Texts, t

FORMATS = ("text", "json", "jsonl", "junit", "github")

TEXTS = Texts({"hint": ("建议", "hint")})
_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m", "dim": "\033[2m", "bold": "\033[1m",
            "reset": "\033[0m"}


def place(finding: Finding) -> str:
    """``Sheet!A1``, ``Sheet`` or ``""``."""
    if finding.sheet and finding.cell:
        return f"{finding.sheet}!{finding.cell}"
    if finding.sheet and finding.row:
        return f"{finding.sheet}!{finding.row}:{finding.row}"
    return finding.sheet or ""


def render(report: Report, fmt: str, *, lang: str = "en", colour: bool = False) -> str:
    """The report in ``fmt`` (one of FORMATS) as text, ending with a newline when not empty."""
    return {"text": render_text, "json": render_json, "jsonl": render_jsonl, "junit": render_junit,
            "github": render_github}[fmt](report, lang=lang, colour=colour)


def render_json(report: Report, **_: Any) -> str:
    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n"


def render_jsonl(report: Report, **_: Any) -> str:
    lines = [json.dumps(f.to_dict(), ensure_ascii=False) for f in report.findings]
    return "".join(line + "\n" for line in lines)


def render_text(report: Report, *, lang: str = "en", colour: bool = False, summary: bool = True, **_: Any) -> str:
    """One line per finding (``path:Sheet!A1: CODE [severity] message``, then its hint), then the counts."""

    def paint(text: str, style: str) -> str:
        return f"{_COLOURS[style]}{text}{_COLOURS['reset']}" if colour else text

    out: list[str] = []
    for result in report.files:
        for finding in result.findings:
            where = place(finding)
            head = f"{result.path}:{where}:" if where else f"{result.path}:"
            severity = finding.severity.value
            out.append(f"{paint(head, 'bold')} {paint(finding.code, severity)} "
                       f"[{finding.severity.label(lang)}] {finding.message}")
            if finding.hint:
                out.append(paint(f"    {TEXTS('hint', lang)}: {finding.hint}", "dim"))
    if not summary:
        return "".join(line + "\n" for line in out)
    totals = report.summary()
    files = totals["files"]
    line = t(lang, f"{files} 个文件，{totals['invalid_files']} 个无效；",
             f"{files} {'file' if files == 1 else 'files'}, {totals['invalid_files']} invalid; ")
    line += counts_line(report.findings, lang)
    if out:
        out.append("")
    out.append(line)
    return "\n".join(out) + "\n"


def render_junit(report: Report, **_: Any) -> str:
    """JUnit XML: one test suite per file, one failing test case per finding (a passing one for a clean file)."""
    from xml.sax.saxutils import escape, quoteattr  # imports urllib: only when asked for

    total = sum(max(1, len(r.findings)) for r in report.files)
    failures = len(report.findings)
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<testsuites name="xl-campaign" tests="{total}" failures="{failures}">']
    for result in report.files:
        count = len(result.findings)
        out.append(f"  <testsuite name={quoteattr(result.path)} tests=\"{max(1, count)}\" failures=\"{count}\">")
        if not result.findings:
            out.append(f"    <testcase name=\"check\" classname={quoteattr(result.path)}/>")
        for finding in result.findings:
            name = f"{finding.code} {place(finding)}".strip()
            body = finding.message + (f"\n{finding.hint}" if finding.hint else "")
            out.append(f"    <testcase name={quoteattr(name)} classname={quoteattr(result.path)}>")
            out.append(f"      <failure message={quoteattr(finding.message)} type={quoteattr(finding.code)}>"
                       f"{escape(body)}</failure>")
            out.append("    </testcase>")
        out.append("  </testsuite>")
    out.append("</testsuites>")
    return "\n".join(out) + "\n"


def _gh_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(text: str) -> str:
    return _gh_data(text).replace(":", "%3A").replace(",", "%2C")


def render_github(report: Report, **_: Any) -> str:
    """GitHub Actions workflow commands: ``::error file=…,title=…::message`` (info findings as notices)."""
    level = {"error": "error", "warning": "warning", "info": "notice"}
    out = []
    for result in report.files:
        for finding in result.findings:
            where = place(finding)
            message = f"{where}: {finding.message}" if where else finding.message
            if finding.hint:
                message += f" ({finding.hint})"
            out.append(f"::{level[finding.severity.value]} file={_gh_property(result.path)},"
                       f"title={_gh_property(f'{finding.code} {finding.rule}')}::{_gh_data(message)}")
    return "".join(line + "\n" for line in out)
