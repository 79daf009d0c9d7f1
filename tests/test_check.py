"""``xl-campaign check`` as a real process: its JSON equals the library's report, exit codes 0/1/2, every output
format, inputs never written, every hostile input in one run (and the whole real-world corpus, when given)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from xl_campaign.app.check import check_paths, sha256_of

from . import hostile
from .conftest import WORKBOOK_DIR


def cli(*args: str, cwd: Path | None = None, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xl_campaign.cli", "check", *args], capture_output=True,
                          text=True, timeout=timeout, cwd=cwd)


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    """A folder with the two examples, a broken file and a lock file."""
    folder = tmp_path / "campaigns"
    (folder / "nested").mkdir(parents=True)
    shutil.copy(WORKBOOK_DIR / "example_zh.xlsx", folder / "618.xlsx")
    shutil.copy(WORKBOOK_DIR / "example_en.xlsx", folder / "nested" / "launch.xlsx")
    (folder / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    (folder / "~$618.xlsx").write_bytes(b"\x05owner" + b"\0" * 100)
    (folder / "notes.txt").write_text("not a spreadsheet")
    return folder


def snapshot(folder: Path) -> dict[str, tuple[str | None, int]]:
    return {str(p): (sha256_of(str(p)), p.stat().st_mtime_ns) for p in sorted(folder.rglob("*")) if p.is_file()}


def test_cli_json_equals_library(inputs: Path) -> None:
    run = cli(str(inputs), "--format", "json", "--jobs", "2")
    assert run.returncode == 1, run.stderr  # the broken file is an error finding
    from_cli = json.loads(run.stdout)
    from_library = json.loads(json.dumps(check_paths([str(inputs)], jobs=2).to_dict(), ensure_ascii=False))
    assert from_cli == from_library
    assert set(from_cli) == {"tool", "summary", "files"}
    assert set(from_cli["summary"]) == {"files", "invalid_files", "errors", "warnings", "by_code"}
    files = {Path(f["path"]).name: f for f in from_cli["files"]}
    assert set(files) == {"618.xlsx", "launch.xlsx", "broken.xlsx", "~$618.xlsx"}  # notes.txt is not looked at
    assert set(files["618.xlsx"]) == {"path", "sha256", "valid", "findings"}
    assert files["618.xlsx"]["valid"] and not files["broken.xlsx"]["valid"]
    assert [f["code"] for f in files["~$618.xlsx"]["findings"]] == ["XF014"]
    assert "618.xlsx" in files["~$618.xlsx"]["findings"][0]["message"]
    assert files["618.xlsx"]["sha256"] == sha256_of(str(inputs / "618.xlsx"))
    finding = files["618.xlsx"]["findings"][0]
    assert set(finding) == {"code", "rule", "severity", "message", "file", "sheet", "cell", "row", "column", "field",
                            "value", "expected", "hint"}


def test_exit_codes(inputs: Path, tmp_path: Path) -> None:
    example = str(inputs / "618.xlsx")
    assert cli(example, "--format", "json").returncode == 0  # warnings and info only
    assert cli(example, "--fail-on", "warning").returncode == 1
    assert cli(example, "--ignore", "DATE,MAT,WB,KPI", "--fail-on", "info").returncode == 0
    assert cli(str(inputs / "broken.xlsx")).returncode == 1  # a broken input is a finding, not a tool failure
    assert cli(str(tmp_path / "missing.xlsx")).returncode == 1
    for bad_arguments in (["--format", "xml"], ["--fail-on", "fatal"], ["--select", "NOPE"], ["--lang", "fr"],
                          ["--today", "24/05/2024"], ["-o", example]):
        run = cli(example, *bad_arguments)
        assert run.returncode == 2, bad_arguments
        assert "Traceback" not in run.stderr


def test_inputs_are_never_written(inputs: Path, tmp_path: Path) -> None:
    before = snapshot(inputs)
    for fmt in ("text", "json", "jsonl", "junit", "github"):
        run = cli(str(inputs), "--format", fmt, "-o", str(tmp_path / f"report.{fmt}"))
        assert run.returncode == 1 and run.stdout == ""
    assert snapshot(inputs) == before


def test_output_formats(inputs: Path) -> None:
    library = check_paths([str(inputs)], jobs=1)
    findings = library.findings
    jsonl = cli(str(inputs), "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line) for line in jsonl] == [json.loads(json.dumps(f.to_dict(), ensure_ascii=False))
                                                     for f in findings]
    junit = ET.fromstring(cli(str(inputs), "--format", "junit").stdout)
    assert junit.tag == "testsuites" and int(junit.get("failures", "0")) == len(findings)
    assert {s.get("name") for s in junit.iter("testsuite")} == {r.path for r in library.files}
    github = cli(str(inputs), "--format", "github").stdout.splitlines()
    assert len(github) == len(findings)
    assert all(line.startswith(("::error file=", "::warning file=", "::notice file=")) for line in github)
    text = cli(str(inputs), "--lang", "en").stdout
    assert "618.xlsx:任务!H9: DATE013 [warning]" in text and "launch.xlsx:Tasks!H9: DATE013 [warning]" in text
    assert "4 files, 1 invalid" in text
    chinese = cli(str(inputs / "618.xlsx")).stdout
    assert "任务!H9: DATE013 [警告]" in chinese and "1 个文件，0 个无效" in chinese


def test_select_ignore_and_today(inputs: Path) -> None:
    example = str(inputs / "618.xlsx")
    only = json.loads(cli(example, "-f", "json", "--select", "DATE01").stdout)
    assert set(only["summary"]["by_code"]) == {"DATE013", "DATE016"}
    later = json.loads(cli(example, "-f", "json", "--select", "DATE013", "--today", "2024-06-20").stdout)
    assert later["summary"]["by_code"]["DATE013"] > 1


# Every bad input gets its own, specific finding.
BAD_INPUTS = {
    "1904DateWindowing.xls": "XF003", "SampleSS.ods": "XF005", "SampleSS.strict.xlsx": "XF006",
    "SampleSS.xls": "XF003", "WithTextBox.xlsb": "XF004", "csv_renamed.xlsx": "XF001", "date1904.xlsx": "XF023",
    "dates_mixed.xlsx": "WB001", "empty.xlsx": "XF002", "enc_pw_secret.xlsx": "XF007", "errors.xlsx": "WB004",
    "formula_no_cache.xlsx": "WB005", "html_export.xls": "XF001", "password.xls": "XF003",
    "poc-xmlbomb.xlsx": "XF009", "protect.xlsx": "XF007", "protected_passtika.xlsb": "XF007",
    "protected_passtika.xlsx": "XF007", "protected_sha512.xlsx": "XF007", "row_inflated.xlsx": "XF021",
    "truncated.xlsx": "XF008", "workbookProtection-workbook_password-2013.xlsx": "XF022",
    "xfd_corner.xlsx": "XF012", "xfd_row1.xlsx": "XF021", "xxe_in_schema.xlsx": "SEC006",
    "~$Campaign.xlsx": "XF014",
}


def test_every_hostile_input_in_one_run(tmp_path: Path) -> None:
    """One file of each kind the checker must survive (tests/hostile.py), checked together by worker processes:
    each gets its own finding, none is lost to a crash, a time or a memory limit, nothing is written."""
    expected = hostile.build_all(tmp_path / "hostile")
    before = snapshot(tmp_path / "hostile")
    run = cli(str(tmp_path / "hostile"), "--format", "json", "--jobs", "2", "--timeout", "60", "--lang", "en")
    assert run.returncode == 1 and run.stderr == ""
    report = json.loads(run.stdout)
    assert sorted(f["path"] for f in report["files"]) == sorted(str(p) for p in expected)
    codes = {f["path"]: {finding["code"] for finding in f["findings"]} for f in report["files"]}
    assert {p.name: code for p, code in expected.items() if code not in codes[str(p)]} == {}
    assert not {"XF016", "XF017", "XF018"} & set(report["summary"]["by_code"])
    assert snapshot(tmp_path / "hostile") == before


@pytest.mark.slow
def test_whole_corpus_in_one_run(corpus: Path, tmp_path: Path) -> None:
    before = snapshot(corpus)
    run = cli(str(corpus), "--format", "json", "--jobs", "2", "--timeout", "60", timeout=900)
    assert run.returncode == 1
    assert "Traceback" not in run.stderr and run.stderr == ""
    report = json.loads(run.stdout)
    on_disk = sorted(str(p) for p in corpus.rglob("*") if p.is_file() and p.name != "README.md")
    assert sorted(f["path"] for f in report["files"]) == on_disk
    by_name = {Path(f["path"]).name: f for f in report["files"] if Path(f["path"]).parent.name == "bad-inputs"}
    assert set(by_name) == set(BAD_INPUTS)
    for name, code in BAD_INPUTS.items():
        assert code in {f["code"] for f in by_name[name]["findings"]}, name
    # no file was lost to the reader dying, the time or the memory limit
    assert not {"XF016", "XF017", "XF018"} & set(report["summary"]["by_code"])
    assert snapshot(corpus) == before


def _has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


@pytest.mark.parametrize("jobs", [0, 2])
def test_unreadable_files_speak_the_language_of_the_batch(tmp_path: Path, jobs: int) -> None:
    folder = tmp_path / "zh"
    folder.mkdir()
    for name in ("a", "b"):
        shutil.copy(WORKBOOK_DIR / "example_zh.xlsx", folder / f"{name}.xlsx")
    (folder / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a zip")
    (folder / "text.xlsx").write_text("Task,Start\n")

    def broken_messages(lang: str | None) -> list[str]:
        report = check_paths([str(folder)], jobs=jobs, lang=lang)
        unread = [r for r in report.files if Path(r.path).name in ("broken.xlsx", "text.xlsx")]
        assert [f.code for r in unread for f in r.findings] == ["XF008", "XF001"]
        return [f.message + (f.hint or "") for r in unread for f in r.findings]

    assert all(_has_chinese(m) for m in broken_messages(None))  # a file has no language: the batch's is used
    assert not any(_has_chinese(m) for m in broken_messages("en"))  # --lang decides everything
    alone = check_paths([str(folder / "broken.xlsx")], jobs=0)  # nothing to take a language from: English
    assert not _has_chinese(alone.files[0].findings[0].message)


def test_the_report_language_follows_the_workbooks_read(tmp_path: Path) -> None:
    shutil.copy(WORKBOOK_DIR / "example_zh.xlsx", tmp_path / "zh.xlsx")
    report = check_paths([str(tmp_path / "zh.xlsx")], jobs=0, select=["OWN001"])  # no finding selected here
    assert not report.findings and report.files[0].lang == "zh"
    assert report.common_lang() == "zh"  # a Chinese workbook without findings still gets a Chinese summary
    shutil.copy(WORKBOOK_DIR / "example_en.xlsx", tmp_path / "en1.xlsx")
    shutil.copy(WORKBOOK_DIR / "example_en.xlsx", tmp_path / "en2.xlsx")
    assert check_paths([str(tmp_path)], jobs=0).common_lang() == "en"


def _password_xls_told_apart(encrypted_xls: Path, plain_xls: Path) -> None:
    report = check_paths([str(encrypted_xls), str(plain_xls)], jobs=0, lang="en")
    encrypted, plain = (r.findings[0] for r in report.files)
    assert encrypted.code == plain.code == "XF003"
    assert "password" in encrypted.message and "password" in (encrypted.hint or "")
    assert "password" not in plain.message


def test_a_password_protected_xls_is_told_apart(tmp_path: Path) -> None:
    _password_xls_told_apart(hostile.password_xls(tmp_path / "password.xls"),
                             hostile.legacy_xls(tmp_path / "plain.xls"))


def test_a_password_protected_xls_of_the_corpus_is_told_apart(corpus: Path) -> None:
    _password_xls_told_apart(corpus / "bad-inputs" / "password.xls", corpus / "bad-inputs" / "SampleSS.xls")
