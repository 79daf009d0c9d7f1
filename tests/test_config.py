"""The team policy file (xl-campaign.toml / [tool.xl-campaign]): found upward as ruff finds its file, validated by
pydantic, changing rule outcomes exactly as documented, carried per file through the worker pool; a bad file is one
message naming the file and the key (exit 2); the workbook's own Overview cells win over it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from xl_campaign.app.check import check_paths
from xl_campaign.app.config import ConfigError, Resolver, load_config
from xl_campaign.core.policy import DEFAULT_POLICY, Policy, fill_overview
from xl_campaign.io.reader import read_plan

from . import rule_fixtures as F
from .conftest import WORKBOOK_DIR


def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "xl_campaign.cli", *args], capture_output=True, text=True,
                          timeout=300, cwd=cwd, env=env)


@pytest.fixture(scope="module")
def clean_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example with its deliberate problems fixed (only WB005, stale formulas, remains)."""
    return F.write(F.baseline("en"), tmp_path_factory.mktemp("books") / "clean.xlsx")


def place(book: Path, folder: Path, config: str | None = None, name: str = "plan.xlsx") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    shutil.copy(book, target)
    if config is not None:
        (folder / "xl-campaign.toml").write_text(config, encoding="utf-8")
    return target


def codes(path: Path, **kwargs: object) -> list[tuple[str, str, str | None]]:
    """(code, severity, cell) of every finding, checked with the policy file found for ``path``."""
    report = check_paths([str(path)], jobs=0, settings_for=Resolver().settings_for, **kwargs)  # type: ignore[arg-type]
    return [(f.code, f.severity.value, f.cell) for f in report.files[0].findings]


def messages(path: Path) -> dict[str, str]:
    report = check_paths([str(path)], jobs=0, settings_for=Resolver().settings_for)
    return {f.code: f.message for f in report.files[0].findings}


# --- thresholds change outcomes as documented ------------------------------------------------------------------

def test_no_policy_file_keeps_the_built_in_defaults(clean_book: Path, tmp_path: Path) -> None:
    book = place(clean_book, tmp_path / "plain")
    assert Resolver().settings_for(str(book)).policy == DEFAULT_POLICY == Policy()
    assert {c for c, _, _ in codes(book)} == {"WB005"}


def test_reserve_range(clean_book: Path, tmp_path: Path) -> None:
    # the example keeps 60,000 of 500,000: 12%
    higher = place(clean_book, tmp_path / "a", '[thresholds]\nreserve-range = ["13%", "20%"]\n')
    assert ("BUD001", "warning", "D10") in codes(higher)  # the reserve line's planned cell
    assert "(13%–20% expected)" in messages(higher)["BUD001"]
    lower = place(clean_book, tmp_path / "b", "[thresholds]\nreserve-range = [0.05, 0.115]\n")
    assert "BUD002" in {c for c, _, _ in codes(lower)}
    assert "(5%–11.5% expected)" in messages(lower)["BUD002"]
    inside = place(clean_book, tmp_path / "c", "[thresholds]\nreserve-range = [0.08, 0.12]\n")
    assert not {"BUD001", "BUD002"} & {c for c, _, _ in codes(inside)}


def test_channel_split_fills_in_where_the_channels_sheet_has_no_share(tmp_path: Path) -> None:
    content = F.baseline("en")
    for channel in content.tables["channels"]:
        channel["share"] = None
    book = F.write(content, tmp_path / "no-shares.xlsx")
    split = '[thresholds.channel-split]\n"Short video" = 0.5\nKOL = "40%"\n"WeChat OA" = 0.1\n'
    planned = place(book, tmp_path / "split", split)
    found = [f for f in codes(planned) if f[0] == "BUD006"]
    # the lines are 60% / 30% / 10%: short video and KOL are 10 points off the team's split
    assert [cell for _, _, cell in found] == ["C4", "C5"]  # Channels' empty share cells
    assert "(team policy)" in messages(planned)["BUD006"]
    # a wider tolerance accepts them
    loose = place(book, tmp_path / "loose", split + "[thresholds]\nchannel-share-tolerance = 0.1\n")
    assert "BUD006" not in {c for c, _, _ in codes(loose)}


def test_the_channels_sheet_share_wins_over_the_team_split(clean_book: Path, tmp_path: Path) -> None:
    # the sheet says 60/30/10 and the lines follow it: the team's 50/40/10 does not apply to these channels
    book = place(clean_book, tmp_path / "sheet-wins",
                 '[thresholds.channel-split]\n"Short video" = 0.5\nKOL = 0.4\n"WeChat OA" = 0.1\n')
    assert "BUD006" not in {c for c, _, _ in codes(book)}


def test_stage_windows_and_grace_days(tmp_path: Path) -> None:
    example = WORKBOOK_DIR / "example_en.xlsx"  # T06 is 10 days overdue; the warm-up starts 3 days before launch
    plain = place(example, tmp_path / "defaults")
    found = {c for c, _, _ in codes(plain)}
    assert "DATE013" in found and "DATE008" not in found
    graced = place(example, tmp_path / "grace", "[thresholds]\noverdue-grace-days = 10\n")
    assert "DATE013" not in {c for c, _, _ in codes(graced)}
    almost = place(example, tmp_path / "grace9", "[thresholds]\noverdue-grace-days = 9\n")
    assert "DATE013" in {c for c, _, _ in codes(almost)}
    short = place(example, tmp_path / "warmup", "[thresholds.stage-windows]\nwarmup = [1, 2]\n")
    assert "DATE008" in {c for c, _, _ in codes(short)}
    assert "(1–2 expected)" in messages(short)["DATE008"]


def test_pacing_tolerance(tmp_path: Path) -> None:
    content = F.baseline("en")
    F.row(content, "channels", 1, target_impressions=300_000)  # KOL: 126,400 by mid-campaign, 84% of the pace
    book = F.write(content, tmp_path / "kol.xlsx")

    def behind(config: str | None, name: str) -> list[str | None]:
        return [cell for code, _, cell in codes(place(book, tmp_path / name, config)) if code == "KPI008"]

    assert behind(None, "default") == ["D5"]  # below 90% of the straight-line pace
    assert behind('[thresholds]\npacing-tolerance = "80%"\n', "relaxed") == []
    assert behind("[thresholds]\npacing-tolerance = 0.85\n", "tight") == ["D5"]


def test_rules_severities_and_per_file_ignores(tmp_path: Path) -> None:
    example = WORKBOOK_DIR / "example_en.xlsx"
    config = ('select = ["DATE", "MAT"]\nignore = ["DATE016"]\n[severity]\nDATE = "info"\nDATE013 = "error"\n'
              '[per-file-ignores]\n"archive/*" = ["MAT"]\n"!archive/*" = ["DATE015"]\n')
    current = place(example, tmp_path / "team", config)
    old = place(example, tmp_path / "team" / "archive" / "2023")
    found_current, found_old = codes(current), codes(old)
    assert {c[:3] for c, _, _ in found_current} <= {"DAT", "MAT"} and "DATE016" not in {c for c, _, _ in found_current}
    assert ("DATE013", "error", "H9") in found_current  # the longest prefix wins
    assert all(s == "info" for c, s, _ in found_current if c.startswith("DATE") and c != "DATE013")
    assert any(c.startswith("MAT") for c, _, _ in found_current)
    assert not any(c.startswith("MAT") for c, _, _ in found_old)  # "archive/*" crosses folders, as fnmatch does
    assert "DATE015" not in {c for c, _, _ in found_current}
    # the command line: --select replaces the file's select, --ignore adds to its ignore
    by_cli = codes(current, select=["BUD", "MAT"], ignore=["MAT002"])
    assert {c[:3] for c, _, _ in by_cli} <= {"BUD", "MAT"} and "MAT002" not in {c for c, _, _ in by_cli}


def test_fail_on_from_the_file_and_the_command_line(clean_book: Path, tmp_path: Path) -> None:
    book = place(clean_book, tmp_path / "f", 'fail-on = "info"\n')  # WB005 (stale formulas) is an info
    assert run("check", str(book)).returncode == 1
    assert run("check", str(book), "--fail-on", "error").returncode == 0
    place(clean_book, tmp_path / "g", '[severity]\nWB005 = "error"\n')
    assert run("check", str(tmp_path / "g" / "plan.xlsx")).returncode == 1
    assert run("check", str(book), "--no-config").returncode == 0


# --- where the file is found ------------------------------------------------------------------------------------

def test_found_upward_the_closest_wins_and_pyproject_without_the_table_is_skipped(clean_book: Path,
                                                                                 tmp_path: Path) -> None:
    root = tmp_path / "repo"
    deep = place(clean_book, root / "campaigns" / "2024" / "q2")
    (root / "xl-campaign.toml").write_text('fail-on = "info"\n', encoding="utf-8")
    (root / "campaigns" / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert Resolver().settings_for(str(deep)).source == str(root / "xl-campaign.toml")
    (root / "campaigns" / "pyproject.toml").write_text(
        '[project]\nname = "x"\n[tool.xl-campaign]\nfail-on = "warning"\n', encoding="utf-8")
    settings = Resolver().settings_for(str(deep))
    assert settings.source == str(root / "campaigns" / "pyproject.toml") and settings.fail_on == "warning"
    (root / "campaigns" / "2024" / "xl-campaign.toml").write_text("", encoding="utf-8")  # empty: all defaults
    assert Resolver().settings_for(str(deep)).fail_on is None
    explicit = Resolver(explicit=str(root / "xl-campaign.toml")).settings_for(str(deep))
    assert explicit.fail_on == "info"
    assert Resolver(isolated=True).settings_for(str(deep)).source is None


def test_each_file_keeps_its_own_policy_through_the_worker_pool(tmp_path: Path) -> None:
    example = WORKBOOK_DIR / "example_en.xlsx"
    strict = place(example, tmp_path / "strict", "[thresholds]\noverdue-grace-days = 0\n")
    lenient = place(example, tmp_path / "lenient", "[thresholds]\noverdue-grace-days = 30\n[severity]\nDATE = \"info\"\n")
    report = check_paths([str(strict), str(lenient)], jobs=2, settings_for=Resolver().settings_for)
    by_file = {Path(r.path).parent.name: {(f.code, f.severity.value) for f in r.findings} for r in report.files}
    assert ("DATE013", "warning") in by_file["strict"]
    assert not any(code == "DATE013" for code, _ in by_file["lenient"])
    assert all(sev == "info" for code, sev in by_file["lenient"] if code.startswith("DATE"))


# --- a bad file --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "key", "en", "zh"), [
    ('[thresholds]\nreserve-range = [0.1, 15]\n', "thresholds.reserve-range[1]", 'for 15% write "15%"', "请写成"),
    ('fail-on = "errors"\n', "fail-on", "is not one of error, warning, info", "应为 error、warning、info 之一"),
    ('[thresholds.stage-windows]\nwarmp = [3, 7]\n', "thresholds.stage-windows.warmp", "did you mean warmup?",
     "未知的键"),
    ('ignore = ["XYZ"]\n', "ignore[0]", "no rule code starts with XYZ", "没有以 XYZ 开头的规则代码"),
    ('[thresholds]\nreserve-range = [0.15, 0.1]\n', "thresholds", "the low end 0.15 is above the high end 0.1",
     "下限"),
    ('select = "BUD"\n', "select", "must be a list", "应为列表"),
    ("select = [\n", "", "not valid TOML", "TOML 语法错误"),
])
def test_a_bad_file_is_one_message_naming_the_file_and_the_key(clean_book: Path, tmp_path: Path, text: str,
                                                               key: str, en: str, zh: str) -> None:
    book = place(clean_book, tmp_path / "bad", text)
    config = tmp_path / "bad" / "xl-campaign.toml"
    for lang, words in (("en", en), ("zh", zh)):
        result = run("check", str(book), "--lang", lang)
        assert result.returncode == 2 and result.stdout == ""
        assert str(config) in result.stderr and words in result.stderr, result.stderr
        assert (key + (": " if lang == "en" else "：")) in result.stderr if key else True
        assert "Traceback" not in result.stderr
    with pytest.raises(ConfigError) as raised:
        load_config(str(config))
    assert raised.value.path == str(config)


def test_a_bad_pyproject_table_names_its_table(clean_book: Path, tmp_path: Path) -> None:
    book = place(clean_book, tmp_path / "p")
    (tmp_path / "p" / "pyproject.toml").write_text('[tool.xl-campaign.thresholds]\nweek-start = "Mon"\n')
    result = run("check", str(book), "--lang", "en")
    assert result.returncode == 2
    assert "tool.xl-campaign.thresholds.week-start: 'Mon' is not one of monday" in result.stderr


def test_config_option_must_name_a_file(clean_book: Path, tmp_path: Path) -> None:
    result = run("check", str(clean_book), "--config", str(tmp_path / "missing.toml"), "--lang", "en")
    assert result.returncode == 2 and "no such file" in result.stderr


# --- the workbook's own cells win --------------------------------------------------------------------------------

def test_the_overview_currency_wins_and_the_policy_fills_an_empty_one(tmp_path: Path) -> None:
    policy = Policy(currency="USD")
    with_own = read_plan(WORKBOOK_DIR / "example_en.xlsx")
    assert with_own.overview.currency == "CNY"
    assert fill_overview(with_own, policy).overview.currency == "CNY"
    content = F.baseline("en")
    F.overview(content, currency=None)
    empty = read_plan(F.write(content, tmp_path / "no-currency.xlsx"))
    filled = fill_overview(empty, policy)
    assert filled.overview.currency == "USD" and empty.overview.currency is None  # the plan read is not changed

    from xl_campaign.app.rollup import rollup_paths

    folder = tmp_path / "team"
    place(tmp_path / "no-currency.xlsx", folder, '[thresholds]\ncurrency = "usd"\n', name="empty.xlsx")
    place(WORKBOOK_DIR / "example_en.xlsx", folder, name="own.xlsx")
    rows = rollup_paths([str(folder)], jobs=0, settings_for=Resolver().settings_for).rows
    assert {Path(r.path).name: r.facts.currency for r in rows if r.facts} == {"empty.xlsx": "USD", "own.xlsx": "CNY"}


def test_config_show_says_where_each_setting_came_from(tmp_path: Path) -> None:
    folder = tmp_path / "team"
    book = place(WORKBOOK_DIR / "example_zh.xlsx", folder,
                 'fail-on = "warning"\n[thresholds]\nreserve-range = ["8%", "12%"]\ncurrency = "USD"\n')
    shown = json.loads(run("config", "show", str(book), "--format", "json").stdout)
    assert shown["file"] == str(folder / "xl-campaign.toml")
    settings = shown["settings"]
    assert settings["fail-on"] == {"value": "warning", "source": "file", "where": str(folder / "xl-campaign.toml")}
    assert settings["thresholds.reserve-range"]["value"] == [0.08, 0.12]
    assert settings["thresholds.pacing-tolerance"] == {"value": 0.9, "source": "default", "where": None}
    assert settings["thresholds.currency"] == {"value": "CNY", "source": "workbook", "where": "活动概览!B10"}
    text = run("config", "show", str(folder), "--lang", "en")
    assert text.returncode == 0
    assert "thresholds.reserve-range" in text.stdout and "8%–12%" in text.stdout and "policy file" in text.stdout
    zh = run("config", "show", str(book))
    assert "策略文件" in zh.stdout and "工作簿 活动概览!B10" in zh.stdout
    none = run("config", "show", str(tmp_path), "--lang", "en")
    assert "Policy file: none (built-in defaults)" in none.stdout
    bad = run("config", "show", str(tmp_path), "--config", str(folder / "xl-campaign.toml"), "--lang", "en")
    assert bad.returncode == 0
    (folder / "xl-campaign.toml").write_text("[thresholds]\npacing-tolerance = 2\n")
    broken = run("config", "show", str(folder), "--lang", "en")
    assert broken.returncode == 2 and "thresholds.pacing-tolerance: 2 is not between 0 and 1" in broken.stderr


def test_the_policy_value_types() -> None:
    assert Policy().reserve_min == Decimal("0.10") and Policy().week_start == 0
    with pytest.raises(ValueError):
        Policy(reserve_min=Decimal("0.2"), reserve_max=Decimal("0.1"))


# --- every command that judges a workbook uses the same policy -------------------------------------------------

def test_update_report_and_the_ribbon_button_follow_the_policy_file(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    from xl_campaign.excel.main import Stop, describe

    folder = tmp_path / "team"
    book = place(WORKBOOK_DIR / "example_en.xlsx", folder,
                 'ignore = ["DATE"]\nfail-on = "info"\n[severity]\nMAT001 = "error"\n')
    done = run("update", str(book), "--today", "2024-05-24")
    assert done.returncode == 1, done.stderr  # fail-on = "info" from the file
    issues = load_workbook(book, read_only=True)["Issues"]
    codes_written = {row[2] for row in issues.iter_rows(values_only=True) if row and isinstance(row[2], str)}
    assert "MAT001" in codes_written and not any(c.startswith("DATE") for c in codes_written)
    severities = {row[2]: row[1] for row in issues.iter_rows(values_only=True) if row and row[2] == "MAT001"}
    assert severities["MAT001"] == "Error"
    report = run("report", str(book), "-o", str(tmp_path / "r.html"), "--lang", "en")
    assert report.returncode == 1
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert "MAT001" in page and "DATE013" not in page
    _, _, findings, _ = describe(str(book), "en", None)
    assert {f.code for f in findings} >= {"MAT001"} and not any(f.code.startswith("DATE") for f in findings)
    (folder / "xl-campaign.toml").write_text("ignore = 5\n", encoding="utf-8")
    with pytest.raises(Stop) as stopped:
        describe(str(book), "en", None)
    assert "xl-campaign.toml" in stopped.value.message("zh") and "ignore" in stopped.value.en
    assert run("update", str(book)).returncode == 2
    assert run("report", str(book), "-o", str(tmp_path / "r2.html")).returncode == 2


def test_the_policy_fills_the_region_where_the_overview_has_that_cell() -> None:
    import dataclasses

    from xl_campaign.core.model import Overview

    if "region" not in {f.name for f in dataclasses.fields(Overview)}:
        pytest.skip("this Overview has no Region cell yet: holiday-region takes effect with it")
    plan = read_plan(WORKBOOK_DIR / "example_en.xlsx")
    filled = fill_overview(dataclasses.replace(plan, overview=dataclasses.replace(plan.overview, region=None)),
                           Policy(holiday_region="US"))
    assert filled.overview.region == "US"


# --- the cache of validated files ---------------------------------------------------------------------------------

def test_a_validated_file_is_cached_and_read_back_the_same(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from xl_campaign.app import config as C

    monkeypatch.setenv("XL_CAMPAIGN_CACHE_DIR", str(tmp_path / "cache"))
    text = ('select = ["BUD", "DATE"]\nignore = ["DATE016"]\nfail-on = "warning"\n[severity]\nBUD001 = "error"\n'
            '[per-file-ignores]\n"archive/*" = ["KPI008"]\n[thresholds]\nreserve-range = ["8%", 0.125]\n'
            'channel-split = { "短视频平台" = 0.6, KOL = 0.4 }\noverdue-grace-days = 2\ncurrency = "usd"\n'
            'holiday-region = "CN"\nweek-start = "sunday"\npacing-tolerance = "85%"\n'
            "[thresholds.stage-windows]\nwarmup = [2, 10]\nresearch = [21, 3]\n")
    path = tmp_path / "xl-campaign.toml"
    path.write_text(text, encoding="utf-8")
    validated = load_config(str(path))
    assert C.config_from_json(C.config_to_json(validated), str(path)) == validated
    entries = list((tmp_path / "cache").glob("policy-*.json"))
    assert len(entries) == 1
    again = load_config(str(path))
    assert again == validated and again.settings.policy.stages.research_first_day == 21
    entries[0].write_text("{not json", encoding="utf-8")  # a damaged entry is validated again, and replaced
    assert load_config(str(path)) == validated
    assert json.loads(entries[0].read_text(encoding="utf-8"))["table"] == ""
    path.write_text("fail-on = 3\n", encoding="utf-8")  # a bad file is never cached
    with pytest.raises(ConfigError):
        load_config(str(path))
    assert len(list((tmp_path / "cache").glob("policy-*.json"))) == 1
    monkeypatch.setenv("XL_CAMPAIGN_NO_CACHE", "1")
    assert C.cache_dir() is None
    path.write_text(text, encoding="utf-8")
    assert load_config(str(path)) == validated
    monkeypatch.delenv("XL_CAMPAIGN_NO_CACHE")
    monkeypatch.setenv("XL_CAMPAIGN_CACHE_DIR", str(path))  # not a folder: caching fails quietly
    assert load_config(str(path)) == validated


def test_week_start_sets_the_gantt_weeks_of_a_long_campaign(tmp_path: Path) -> None:
    from datetime import date, timedelta

    from openpyxl import load_workbook

    from xl_campaign.core.sheets.gantt import DATE_ROW, GRID

    content = F.baseline("en")
    F.overview(content, end=date(2024, 10, 31))  # five months: one Gantt column per week
    book = place(F.write(content, tmp_path / "long.xlsx"), tmp_path / "team", '[thresholds]\nweek-start = "sunday"\n')
    for folder, weekday in (("team", 6), ("plain", 0)):
        source = book if folder == "team" else place(book, tmp_path / "plain")
        out = tmp_path / f"{folder}-sheets.xlsx"
        done = run("update", str(source), "--out", str(out))
        assert done.returncode in (0, 1), done.stderr
        gantt = load_workbook(out)["Gantt"]
        firsts = [gantt.cell(DATE_ROW, GRID + i).value for i in range(3)]
        assert all(day.weekday() == weekday for day in firsts), (folder, firsts)
        assert firsts[1] - firsts[0] == timedelta(days=7)


def test_holiday_region_is_checked_and_fills_an_empty_region_cell(tmp_path: Path) -> None:
    content = F.baseline("en")
    F.overview(content, region=None)
    book = place(F.write(content, tmp_path / "no-region.xlsx"), tmp_path / "cn", '[thresholds]\nholiday-region = "中国"\n')
    settings = Resolver().settings_for(str(book))
    assert settings.policy.holiday_region == "CN"
    shown = json.loads(run("config", "show", str(book), "--format", "json").stdout)["settings"]
    assert shown["thresholds.holiday-region"]["value"] == "CN" and shown["thresholds.holiday-region"]["source"] == "file"
    (tmp_path / "cn" / "xl-campaign.toml").write_text('[thresholds]\nholiday-region = "Atlantis"\n', encoding="utf-8")
    bad = run("check", str(book), "--lang", "en")
    assert bad.returncode == 2 and "thresholds.holiday-region: unknown region 'Atlantis'" in bad.stderr


def test_a_moved_code_in_the_severity_table_follows_its_redirect() -> None:
    """XF020 moved to SEC006: a team file that still says ``XF020 = "error"`` changes SEC006, as --select does."""
    from xl_campaign.app.config import Settings
    from xl_campaign.core.findings import Severity

    settings = Settings(severity=(("XF020", Severity.ERROR), ("sec", Severity.INFO)))
    assert settings.severity_of("SEC006") is Severity.ERROR  # the redirect is the longer, exact prefix
    assert settings.severity_of("SEC001") is Severity.INFO  # prefixes are case-insensitive like selectors
    assert settings.severity_of("DATE013") is None
