"""The user guides stay honest: every ```bash block in docs/guide.*.md is run, line by line, in an empty folder,
as a person would type it (bash, the installed ``xl-campaign``), and must give the exit code written after it
(``# exit N``; 0 when nothing is written). A block is skipped only when the line before it says
``<!-- not run: why -->``. Files a command says it writes (``-o``/``--output``/``--out``, ``new FILE``) must exist
afterwards. The guides must also name every sheet and column of the declarations, every command, and link only
to pages that exist (rule pages: codes the registry knows).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from xl_campaign.cli import app
from xl_campaign.core import spec as S
from xl_campaign.core.rules import RULES

from .conftest import ROOT

DOCS = ROOT / "docs"
GUIDES = {"en": DOCS / "guide.en.md", "zh": DOCS / "guide.zh.md"}
EXIT = re.compile(r"\s+#\s*exit\s+(\d+)\s*$")
SKIP = re.compile(r"<!--\s*not run:\s*(.+?)\s*-->")
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


@dataclass(frozen=True)
class Command:
    line: int
    text: str
    exit_code: int


def commands(path: Path) -> tuple[list[Command], list[str]]:
    """The commands of every bash block of ``path`` in order, and the reasons of the skipped blocks."""
    out: list[Command] = []
    skipped: list[str] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.strip() == "```bash":
            before = next((lines[i] for i in range(index - 1, -1, -1) if lines[i].strip()), "")
            skip = SKIP.search(before)
            end = next(i for i in range(index + 1, len(lines)) if lines[i].strip() == "```")
            if skip:
                skipped.append(skip.group(1))
            else:
                for number in range(index + 1, end):
                    text = lines[number].strip()
                    if not text or text.startswith("#"):
                        continue
                    match = EXIT.search(text)
                    code = int(match.group(1)) if match else 0
                    out.append(Command(number + 1, EXIT.sub("", text), code))
            index = end
        index += 1
    return out, skipped


def written_files(command: str) -> list[str]:
    """What an ``xl-campaign`` command line says it writes."""
    words = shlex.split(command)
    if not words or words[0] != "xl-campaign":
        return []
    out = [words[i + 1] for i, word in enumerate(words[:-1]) if word in ("-o", "--output", "--out")]
    if len(words) > 2 and words[1] == "new":
        out.append(words[2])
    if len(words) > 1 and words[1] == "demo":
        folder = words[words.index("--dir") + 1] if "--dir" in words else "xl-campaign-demo"
        out.append(folder)
    return out


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    env["NO_COLOR"] = "1"
    env.pop("COLUMNS", None)
    return env


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_documented_command_runs(tmp_path: Path, lang: str) -> None:
    env = environment()
    if shutil.which("xl-campaign", path=env["PATH"]) is None:
        pytest.fail("the xl-campaign command is not installed (pip install -e .)")
    found, skipped = commands(GUIDES[lang])
    assert len(found) >= 20 and skipped == ["installs the package"]
    assert {w for c in found for w in shlex.split(c.text)[1:2] if c.text.startswith("xl-campaign")} >= {
        "new", "show", "check", "update", "report", "rollup", "rules", "rule", "demo"}
    for command in found:
        done = subprocess.run(["bash", "-c", command.text], cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=300)
        where = f"{GUIDES[lang].name}:{command.line}: {command.text}"
        assert done.returncode == command.exit_code, f"{where}\nexit {done.returncode}\n{done.stdout}\n{done.stderr}"
        assert "Traceback" not in done.stderr, f"{where}\n{done.stderr}"
        for name in written_files(command.text):
            target = tmp_path / name
            assert target.exists() and (target.is_dir() or target.stat().st_size > 0), f"{where}: no {name}"
    # what the commands made is what the guide says they make
    report = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert 'id="gantt"' in report and "<script" not in report
    from openpyxl import load_workbook

    portfolio = load_workbook(tmp_path / "portfolio.xlsx", read_only=True)
    assert portfolio.sheetnames == (["组合", "图表"] if lang == "zh" else ["Portfolio", "Charts"])


def test_the_commands_parse_the_way_the_test_reads_them() -> None:
    found, _ = commands(GUIDES["en"])
    texts = [c.text for c in found]
    assert "xl-campaign check 618.xlsx --today 2025-06-10" in texts
    assert next(c for c in found if c.text == "xl-campaign check 618.xlsx --today 2025-06-10").exit_code == 1
    assert written_files("xl-campaign report a.xlsx -o out/r.html --lang zh") == ["out/r.html"]
    assert written_files("xl-campaign new 618.xlsx --launch 2025-06-18") == ["618.xlsx"]
    assert written_files("cp a b") == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_guide_names_every_sheet_and_column(lang: str) -> None:
    text = re.sub(r"\s*\n\s*", " ", GUIDES[lang].read_text(encoding="utf-8"))  # as Markdown joins lines
    missing = []
    for sheet in S.SPECS.values():
        if sheet.kind == "table" and sheet.key != "goals":
            if f"**{sheet.name(lang)}**" not in text:
                missing.append(f"sheet {sheet.name(lang)}")
        for column in sheet.columns:
            if f"*{column.header(lang)}*" not in text:
                missing.append(f"{sheet.key}.{column.key}: *{column.header(lang)}*")
    for generated in (S.GUIDE, *S.GENERATED_SHEETS):
        if f"**{generated.name(lang)}**" not in text:
            missing.append(f"sheet {generated.name(lang)}")
    assert missing == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_guide_names_every_command(lang: str) -> None:
    text = GUIDES[lang].read_text(encoding="utf-8")
    names = {c.name for c in app.registered_commands} | {g.name for g in app.registered_groups}
    assert names >= {"check", "report", "rollup", "update", "new"}
    assert [n for n in sorted(n for n in names if n) if f"xl-campaign {n}" not in text] == []


@pytest.mark.parametrize("page", ["guide.en.md", "guide.zh.md", "README.md", "rules/README.md"])
def test_links_point_to_pages_that_exist(page: str) -> None:
    text = (DOCS / page).read_text(encoding="utf-8")
    links = [link for link in LINK.findall(text) if "://" not in link]
    assert links
    for link in links:
        assert (DOCS / page).parent.joinpath(link).exists(), f"{page}: {link}"
        rule = re.fullmatch(r"rules/(?:zh/)?([A-Z]+\d{3})\.md", link)
        if rule:
            assert rule.group(1) in RULES, f"{page}: {link} is not a registered rule"
