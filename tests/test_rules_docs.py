"""The rule registry follows its conventions, every rule is documented in Chinese and English, docs/rules/ is
generated from it, ``xl-campaign rule CODE`` reads well in a terminal and in a pipe, and a reader that stops early
(``| head -1``) ends any command quietly."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from xl_campaign.core.findings import Severity
from xl_campaign.core.rules import RULES, all_rules
from xl_campaign.core.rules.registry import SECTIONS, SECTIONS_ZH, doc_problems, file_rule, parse_doc, rule
from xl_campaign.render import rule_docs
from xl_campaign.render.rule_text import plain, width_of, wrap

from .conftest import ROOT

CLI = [sys.executable, "-m", "xl_campaign.cli"]
MARKDOWN = re.compile(r"\*\*|`|^#|^\s*[-*] |\]\(", re.M)  # bold, code, headings, list items, links
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def run(*args: str, lang_env: str = "C.UTF-8", **kwargs: object) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")}
    env.update(LANG=lang_env, COLUMNS="80", PYTHONIOENCODING="utf-8")
    return subprocess.run([*CLI, *args], capture_output=True, text=True, env=env, **kwargs)  # type: ignore[call-overload]


# --- the registry's conventions ---------------------------------------------------------------------------------


def test_every_rule_has_code_name_and_doc_sections() -> None:
    assert doc_problems() == []
    assert {r.area for r in all_rules()} == {"XF", "SEC", "WB", "OWN", "DATE", "BUD", "KPI", "MAT", "REV"}


@pytest.mark.parametrize("code", sorted(RULES))
def test_every_rule_is_documented_in_chinese_and_english(code: str) -> None:
    registered = RULES[code]
    english, chinese = registered.doc_in("en"), registered.doc_in("zh")
    assert list(english) == list(chinese) == list(SECTIONS)
    assert all(english.values()) and all(chinese.values())
    assert re.search(r"[\u4e00-\u9fff]", registered.summary("zh")) and registered.summary("en")
    assert [section for section in SECTIONS if english[section] == chinese[section]] == []
    # the Chinese text keeps the English one's values, cells and commands (its ``code`` spans), bar a few
    # written the Chinese way (a message as a Chinese reader sees it, 「a sheet」 for "Data")
    code_en = set(re.findall(r"``(.+?)``", registered.docstring))
    code_zh = set(re.findall(r"``(.+?)``", registered.doc_zh))
    assert len(code_en & code_zh) >= len(code_en) - 2, (code_en - code_zh)


@pytest.fixture
def scratch_rules() -> Iterator[list[str]]:
    """Codes registered by a test, removed again afterwards."""
    added: list[str] = []
    yield added
    for code in added:
        RULES.pop(code, None)


ENGLISH = """A thing is wrong.

What it checks:
    The thing.
Why it matters:
    Because.
Example:
    ``x``.
How to fix:
    Fix it.
"""
CHINESE = """有一处不对。

检查内容：
    这件事。
为什么重要：
    因为如此。
示例：
    ``x``。
如何修复：
    改正它。
"""


def test_a_rule_without_chinese_docs_fails_the_convention_check(scratch_rules: list[str]) -> None:
    def body(plan, ctx):  # type: ignore[no-untyped-def]
        yield from ()

    body.__doc__ = ENGLISH
    rule("DATE990", "scratch-no-chinese", Severity.WARNING, "草稿")(body)
    rule("DATE991", "scratch-english-copy", Severity.WARNING, "草稿", doc_zh=ENGLISH.replace(
        "What it checks:", "检查内容：").replace("Why it matters:", "为什么重要：").replace(
        "Example:", "示例：").replace("How to fix:", "如何修复："))(body)
    file_rule("XF990", "scratch-half-chinese", Severity.ERROR, "草稿", ENGLISH,
              doc_zh=CHINESE.split("如何修复")[0])
    file_rule("XF991", "scratch-complete", Severity.ERROR, "草稿", ENGLISH, doc_zh=CHINESE)
    scratch_rules += ["DATE990", "DATE991", "XF990", "XF991"]
    assert doc_problems() == [
        "DATE990: doc_zh lacks ['检查内容', '为什么重要', '示例', '如何修复']",
        "DATE991: doc_zh or title_zh not written in Chinese: 'A thing is wrong.'",
        "XF990: doc_zh lacks ['如何修复']",
    ]
    assert RULES["XF991"].summary("zh") == "有一处不对"
    assert RULES["XF991"].doc_in("zh")["How to fix"] == "改正它。"


def test_chinese_headings_take_either_colon_and_keep_their_order() -> None:
    summary, sections = parse_doc("摘要。\n\n检查内容:\n    甲\n    乙\n如何修复：\n    丙\n", SECTIONS_ZH)
    assert summary == "摘要。" and sections == {"What it checks": "甲\n乙", "How to fix": "丙"}
    assert parse_doc("摘要。\n\n检查内容：\n    甲\n")[1] == {}  # English headings only, unless told


# --- laying text out -----------------------------------------------------------------------------------------


def test_source_lines_join_into_paragraphs_the_way_each_language_writes() -> None:
    assert rule_docs.paragraphs("中文\n字符") == ["中文字符"]
    assert rule_docs.paragraphs("two\nwords") == ["two words"]
    assert rule_docs.paragraphs("在\nExcel 中") == ["在 Excel 中"]
    assert rule_docs.paragraphs("值，\n``x``\n。") == ["值，``x``。"]
    assert rule_docs.paragraphs("one\n\n  two\n") == ["one", "two"]
    assert rule_docs.inline("设为 ``已完成``，见 *审阅 ▸ 保护工作簿*。") == [
        ("text", "设为 "), ("code", "已完成"), ("text", "，见 "), ("em", "审阅 ▸ 保护工作簿"), ("text", "。")]


def test_wrapping_fills_chinese_lines_and_counts_wide_characters() -> None:
    text = "状态日期为 2024-05-24：任务 T06 线下展架制作的结束时间是 2024-05-14，但状态仍为「进行中」，需要尽快处理。"
    lines = ["".join(part for part, _ in line) for line in wrap([(text, "")], 30)]
    assert all(width_of(line) <= 30 for line in lines) and len(lines) == 4
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert not any(line.startswith(("，", "。", "」", "：")) for line in lines)
    assert sum(width_of(line) for line in lines[:-1]) >= 3 * 26  # lines are filled, not broken at spaces only
    assert width_of("中文ab") == 6
    assert [["".join(p for p, _ in line)] for line in wrap([("x" * 25, "")], 10)] == [["x" * 10], ["x" * 10], ["x" * 5]]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_plain_pages_have_no_markdown_and_fit_the_width(lang: str) -> None:
    for registered in all_rules():
        text = plain(registered, lang, 72)
        assert not MARKDOWN.search(text), (registered.code, MARKDOWN.search(text))
        assert all(width_of(line) <= 72 for line in text.splitlines()), registered.code
        for heading in (SECTIONS_ZH if lang == "zh" else SECTIONS):
            assert f"\n{heading}\n" in text


# --- generated docs ------------------------------------------------------------------------------------------


def test_generated_docs_are_current() -> None:
    assert rule_docs.stale() == [], "run: python -m xl_campaign.render.rule_docs"


def test_stale_docs_are_detected(tmp_path: Path) -> None:
    rule_docs.write(tmp_path)
    assert rule_docs.stale(tmp_path) == []
    (tmp_path / "DATE013.md").write_text("old text", encoding="utf-8")
    (tmp_path / "DATE999.md").write_text("a removed rule", encoding="utf-8")
    (tmp_path / "zh" / "BUD001.md").write_text("旧的说明", encoding="utf-8")
    (tmp_path / "zh" / "BUD999.md").write_text("已删除的规则", encoding="utf-8")
    assert rule_docs.stale(tmp_path) == ["DATE013.md", "DATE999.md", "zh/BUD001.md", "zh/BUD999.md"]
    rule_docs.write(tmp_path)
    assert rule_docs.stale(tmp_path) == [] and not (tmp_path / "zh" / "BUD999.md").exists()


def test_each_page_links_to_its_other_language_and_the_index_to_both() -> None:
    english = (ROOT / "docs" / "rules" / "DATE013.md").read_text(encoding="utf-8")
    chinese = (ROOT / "docs" / "rules" / "zh" / "DATE013.md").read_text(encoding="utf-8")
    index = (ROOT / "docs" / "rules" / "README.md").read_text(encoding="utf-8")
    assert "[中文](zh/DATE013.md)" in english and "## What it checks" in english
    assert "[English](../DATE013.md)" in chinese and "## 检查内容" in chinese and "## How to fix" not in chinese
    assert "- 级别：警告" in chinese and "# DATE013 task-overdue：任务已逾期" in chinese
    assert len(re.findall(r"\]\(zh/[A-Z]+\d{3}\.md\)", index)) == len(RULES)
    assert len(re.findall(r"\]\([A-Z]+\d{3}\.md\)", index)) == len(RULES)


# --- the commands --------------------------------------------------------------------------------------------


def test_rules_lists_every_rule_in_the_asked_or_the_environments_language() -> None:
    listed = run("rules", "--format", "json", check=True)
    assert [r["code"] for r in json.loads(listed.stdout)] == [r.code for r in all_rules()]
    chinese = run("rules", "--lang", "zh", check=True).stdout
    assert "DATE013  task-overdue" in chinese and "警告" in chinese and RULES["DATE013"].title_zh in chinese
    assert run("rules", lang_env="zh_CN.UTF-8", check=True).stdout == chinese
    english = run("rules", check=True).stdout
    assert RULES["DATE013"].title_en in english and "warning" in english and "警告" not in english


def test_rule_in_a_pipe_is_plain_text_in_the_asked_language() -> None:
    page = run("rule", "DATE013", "--lang", "zh", check=True).stdout
    assert page == plain(RULES["DATE013"], "zh", 80)
    assert not MARKDOWN.search(page)
    assert [h for h in SECTIONS_ZH if f"\n{h}\n" in page] == list(SECTIONS_ZH)
    assert RULES["DATE013"].summary("zh") in page and "T06 线下展架制作" in page  # a code span, marks dropped
    assert "English: xl-campaign rule DATE013 --lang en" in page
    english = run("rule", "date013", "--lang", "en", check=True).stdout
    assert [h for h in SECTIONS if f"\n{h}\n" in english] == list(SECTIONS) and "检查内容" not in english
    assert run("rule", "task-overdue", "--lang", "en", check=True).stdout == english
    assert run("rule", "DATE013", lang_env="zh_CN.UTF-8", check=True).stdout == page  # default: the environment
    assert run("rule", "DATE013", check=True).stdout == english


def test_rule_markdown_is_the_docs_page() -> None:
    for lang, path in (("zh", "zh/DATE013.md"), ("en", "DATE013.md")):
        shown = run("rule", "DATE013", "--lang", lang, "--format", "markdown", check=True).stdout
        assert shown == (ROOT / "docs" / "rules" / path).read_text(encoding="utf-8")


@pytest.mark.parametrize(("lang", "said"), [("zh", "没有代码或名称为「DATE0133」的规则"), ("en", "no rule with the code")])
def test_unknown_rule_says_so_in_the_language_and_exits_2(lang: str, said: str) -> None:
    missing = run("rule", "DATE0133", "--lang", lang)
    assert missing.returncode == 2 and missing.stdout == ""
    assert said in missing.stderr and "DATE013" in missing.stderr.replace("DATE0133", "")  # a suggestion
    assert "Traceback" not in missing.stderr
    assert ("错误：" in missing.stderr) == (lang == "zh")


def test_rule_on_a_terminal_is_styled_and_wrapped_to_its_width() -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "LC_ALL", "LANG", "LANGUAGE")}
    env.update(COLUMNS="60", LINES="40", TERM="xterm-256color", LANG="C.UTF-8")
    leader, follower = pty.openpty()
    process = subprocess.Popen([*CLI, "rule", "DATE013", "--lang", "zh"], stdout=follower, stderr=follower,
                               stdin=subprocess.DEVNULL, env=env)
    os.close(follower)
    output = b""
    while True:
        ready, _, _ = select.select([leader], [], [], 30)
        if not ready:
            break
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal is closed when the process ends
            break
        if not chunk:
            break
        output += chunk
    os.close(leader)
    assert process.wait(timeout=30) == 0
    shown = output.decode("utf-8")
    assert ANSI.search(shown), "no styles on a terminal"
    text = ANSI.sub("", shown).replace("\r\n", "\n")
    assert [h for h in SECTIONS_ZH if f"\n{h}\n" in text] == list(SECTIONS_ZH)
    assert not MARKDOWN.search(text)
    assert all(width_of(line) <= 60 for line in text.splitlines())
    assert "\x1b[32mT06 线下展架制作" in shown  # the code span stands out


def test_the_cli_start_does_not_load_the_rule_page_renderers() -> None:
    loaded = subprocess.run([sys.executable, "-c", "import sys, xl_campaign.cli; print(' '.join(sys.modules))"],
                            capture_output=True, text=True, check=True).stdout.split()
    assert [m for m in loaded if m in ("rich.markdown", "xl_campaign.render.rule_text",
                                        "xl_campaign.render.rule_docs")] == []


# --- a reader that stops early -----------------------------------------------------------------------------------

EXAMPLE = str(ROOT / "workbook" / "example_zh.xlsx")
# check finds problems in the example (exit 1 when its report is read); with nobody reading, it ends with 0 too
PIPED = [("rules",), ("rules", "--format", "json"), ("rule", "DATE013", "--lang", "zh"), ("--version",),
         ("check", EXAMPLE), ("check", EXAMPLE, "--format", "json"), ("show", EXAMPLE)]


@pytest.mark.parametrize("args", PIPED, ids=lambda args: " ".join(args).replace(EXAMPLE, "example_zh.xlsx"))
def test_a_closed_pipe_ends_every_command_quietly(args: tuple[str, ...]) -> None:
    reader, writer = os.pipe()
    os.close(reader)  # the reader is gone before the first byte: every write meets a broken pipe
    try:
        done = subprocess.run([*CLI, *args], stdout=writer, stderr=subprocess.PIPE, text=True, timeout=120,
                              env={**os.environ, "LANG": "C.UTF-8"})
    finally:
        os.close(writer)
    assert (done.returncode, done.stderr) == (0, "")


@pytest.mark.parametrize("args", [("rules",), ("rule", "DATE013", "--lang", "zh")], ids=" ".join)
def test_head_1_reads_one_line_and_the_command_exits_0(args: tuple[str, ...]) -> None:
    process = subprocess.Popen([*CLI, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               env={**os.environ, "LANG": "C.UTF-8"})
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()
    process.stdout.close()  # like head -1: one line, then the reader is gone
    error = process.stderr.read()
    assert first and process.wait(timeout=120) == 0 and error == b""
    piped = subprocess.run(["bash", "-c", "set -o pipefail; " + " ".join([*CLI, *args]) + " | head -1"],
                           capture_output=True, text=True, timeout=120)
    assert (piped.returncode, piped.stderr, piped.stdout.count("\n")) == (0, "", 1)
