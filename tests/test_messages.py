"""One message per problem: every command that reads a workbook says the same thing about the same bad file —
the same XF code, the same text in the language asked for, the same exit code (1: a finding, never a crash)."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from xl_campaign.core.content import example
from xl_campaign.io.template import write_workbook


def _csv(path: Path) -> None:
    path.write_text("Task,Start\nPoster,2024-05-01\n")


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _truncated(path: Path) -> None:
    write_workbook(example("en"), str(path.with_name("whole.xlsx")))
    path.write_bytes(path.with_name("whole.xlsx").read_bytes()[:2000])


def _xlsb(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.bin", b"\x83\x01\x00")


def _ods(path: Path) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")


def _legacy_xls(path: Path) -> None:
    # the OLE2 compound-file signature and nothing an encryption stream would leave: a legacy .xls to the guard
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024)


def _xml_bomb(path: Path) -> None:
    write_workbook(example("en"), str(path))
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts["xl/sharedStrings.xml"] = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 '
                                     b'"&lol;&lol;">]><sst xmlns="http://schemas.openxmlformats.org/'
                                     b'spreadsheetml/2006/main"><si><t>&lol2;</t></si></sst>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)


PROBLEMS: dict[str, tuple[str, Callable[[Path], None] | None, str]] = {
    # name: (file name, how to make it (None: nothing there), expected code)
    "missing": ("nope.xlsx", None, "XF019"),
    "csv renamed": ("renamed.xlsx", _csv, "XF001"),
    "empty": ("empty.xlsx", _empty, "XF002"),
    "legacy xls": ("old.xlsx", _legacy_xls, "XF003"),
    "xlsb": ("binary.xlsx", _xlsb, "XF004"),
    "ods": ("calc.xlsx", _ods, "XF005"),
    "truncated": ("cut.xlsx", _truncated, "XF008"),
    "xml bomb": ("bomb.xlsx", _xml_bomb, "XF009"),
}
COMMANDS = {
    "check": ["check", "{file}", "--jobs", "0"],
    "show": ["show", "{file}"],
    "update": ["update", "{file}"],
    "report": ["report", "{file}", "-o", "out.html"],
    "rollup": ["rollup", "{file}", "-o", "portfolio.xlsx", "--jobs", "0"],
}


@dataclass
class Done:
    returncode: int
    stdout: str
    stderr: str


def run(args: list[str], cwd: Path) -> Done:
    """The CLI in this process (as ``xl-campaign ARGS`` in folder ``cwd``): the same code path as a fresh process,
    without paying for an interpreter start on each of the ~90 runs."""
    from typer.testing import CliRunner

    from xl_campaign.cli import app

    previous = os.getcwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(app, args, catch_exceptions=False)
    finally:
        os.chdir(previous)
    return Done(result.exit_code, result.stdout, result.stderr)


def finding_lines(output: str, code: str) -> list[str]:
    return [line.strip() for line in output.splitlines() if f" {code} " in line]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("problem", list(PROBLEMS))
def test_each_command_says_the_same_about_the_same_bad_file(tmp_path: Path, problem: str, lang: str) -> None:
    name, make, code = PROBLEMS[problem]
    said: dict[str, str] = {}
    for command, template in COMMANDS.items():
        folder = tmp_path / command
        folder.mkdir()
        if make is not None:
            make(folder / name)
        before = sorted(p.name for p in folder.iterdir())
        done = run([a.replace("{file}", name) for a in template] + ["--lang", lang], folder)
        output = done.stdout + done.stderr
        assert "Traceback" not in output, (command, output)
        assert done.returncode == 1, (command, done.returncode, output)
        lines = finding_lines(output, code)
        assert len(lines) == 1, (command, output)
        said[command] = lines[0]
        if command != "rollup":  # rollup writes its portfolio (a row that says why); nothing else is written
            assert sorted(p.name for p in folder.iterdir()) == before, command
    assert len(set(said.values())) == 1, said
    line = said["check"]
    assert line.startswith(f"{name}: {code} [{'错误' if lang == 'zh' else 'error'}]")
    # one language only
    has_chinese = any("\u4e00" <= ch <= "\u9fff" for ch in line.split("]", 1)[1])
    assert has_chinese == (lang == "zh"), line


def test_without_lang_an_unreadable_file_is_said_in_the_environments_language(tmp_path: Path) -> None:
    _csv(tmp_path / "renamed.xlsx")
    env = dict(os.environ, LANG="zh_CN.UTF-8")
    env.pop("LC_ALL", None)
    zh = subprocess.run([sys.executable, "-m", "xl_campaign.cli", "show", "renamed.xlsx"], cwd=tmp_path,
                        capture_output=True, text=True, timeout=120, env=env)
    env["LANG"] = "C.UTF-8"
    en = subprocess.run([sys.executable, "-m", "xl_campaign.cli", "show", "renamed.xlsx"], cwd=tmp_path,
                        capture_output=True, text=True, timeout=120, env=env)
    assert "不是 Excel 工作簿" in zh.stdout and "not an Excel workbook" not in zh.stdout
    assert "not an Excel workbook" in en.stdout and "不是 Excel 工作簿" not in en.stdout


def test_bad_arguments_exit_2_in_one_language(tmp_path: Path) -> None:
    for args in (["check", "x.xlsx", "--today", "tomorrow"], ["update", "x.xlsx", "--today", "31/12"],
                 ["report", "x.xlsx", "--today", "soon"], ["rollup", "x.xlsx", "-o", "p.xlsx", "--today", "1.1."],
                 ["check", "x.xlsx", "--fail-on", "never"], ["new", "x.txt"]):
        zh = run([*args, "--lang", "zh"], tmp_path)
        en = run([*args, "--lang", "en"], tmp_path)
        assert zh.returncode == en.returncode == 2, (args, zh.stderr, en.stderr)
        assert zh.stderr.startswith("错误：") and en.stderr.startswith("error: "), (args, zh.stderr, en.stderr)
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in en.stderr), en.stderr
