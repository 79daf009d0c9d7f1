"""`xl-campaign report`: the HTML page from real workbooks written and read back.

The page must be self-contained (no script, nothing fetched), in the workbook's language, with every number taken
from the core's rollups, every picture a well-formed SVG with the marks the data calls for, and user text escaped.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from datetime import date
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from xl_campaign.cli import app
from xl_campaign.core.budget import budget_report
from xl_campaign.core.content import example, starter
from xl_campaign.core.kpi import kpi_report
from xl_campaign.core.rules import run_rules
from xl_campaign.io.reader import read_plan
from xl_campaign.io.template import write_workbook
from xl_campaign.render.html import build_report, fmt
from xl_campaign.render.html.labels import LABELS
from xl_campaign.render.html.svg import nice_ticks

from .conftest import WORKBOOK_DIR

SVG_NS = "{http://www.w3.org/2000/svg}"
CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")


class PageParser(HTMLParser):
    """Collects what a browser would fetch or run, the sections and the inline SVG documents."""

    def __init__(self) -> None:
        super().__init__()
        self.fetches: list[str] = []
        self.scripts = 0
        self.sections: list[str] = []
        self.svgs: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "script":
            self.scripts += 1
        if tag in ("img", "link", "iframe", "object", "embed", "source", "video", "audio"):
            self.fetches.append(f"{tag} {values}")
        for key in ("src", "href", "srcset", "data"):
            value = values.get(key) or ""
            if value and not value.startswith(("#", "data:")):
                self.fetches.append(f"{tag} {key}={value}")
        if "style" in values and "url(" in (values["style"] or ""):
            self.fetches.append(f"{tag} style url()")
        if tag == "section" and values.get("id"):
            self.sections.append(values["id"] or "")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse(page: str) -> PageParser:
    parser = PageParser()
    parser.feed(page)
    parser.svgs = re.findall(r"<svg\b.*?</svg>", page, flags=re.S)
    return parser


def svg_trees(page: str) -> list[ET.Element]:
    return [ET.fromstring(svg) for svg in re.findall(r"<svg\b.*?</svg>", page, flags=re.S)]


def svg_title(tree: ET.Element) -> str:
    title = tree.find(f"{SVG_NS}title")
    return title.text or "" if title is not None else ""


def bars(tree: ET.Element) -> list[ET.Element]:
    return [r for r in tree.iter(f"{SVG_NS}rect") if r.get("class") == "bar"]


def run_report(path: Path, out: Path, *extra: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, ["report", str(path), "-o", str(out), *extra])
    return result.exit_code, result.output


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_example_report_is_self_contained_and_complete(tmp_path: Path, lang: str) -> None:
    source = WORKBOOK_DIR / f"example_{lang}.xlsx"
    before = source.read_bytes()
    out = tmp_path / "report.html"
    code, output = run_report(source, out)
    assert code == 0, output
    assert source.read_bytes() == before  # the input is only read
    page = out.read_text(encoding="utf-8")
    parsed = parse(page)
    assert parsed.fetches == [] and parsed.scripts == 0
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "https://" not in page
    assert parsed.sections == ["gantt", "budget", "kpi", "pacing", "attainment", "review", "findings"]
    assert f'<html lang="{"zh-CN" if lang == "zh" else "en"}">' in page
    trees = svg_trees(page)  # every picture is well-formed XML
    assert len(trees) >= 6
    text = "".join(parsed.text)
    if lang == "en":
        assert not CJK.search(text), CJK.findall(text)[:20]  # no Chinese label left in an English page
    else:
        for key in ("sec_gantt", "sec_budget", "sec_kpi", "sec_pacing", "sec_attainment", "sec_findings"):
            assert LABELS[key][0] in text


def test_report_numbers_come_from_the_core(tmp_path: Path) -> None:
    source = WORKBOOK_DIR / "example_en.xlsx"
    plan = read_plan(str(source))
    findings = run_rules(plan)
    page = build_report(plan, findings)
    budget = budget_report(plan)
    kpi = kpi_report(plan, plan.overview.as_of or date.today())
    cur = plan.overview.currency
    assert fmt.money(budget.totals.total_budget, cur) in page  # ¥500,000
    assert fmt.money(kpi.total.revenue, cur) in page
    for category in budget.categories:
        if category.planned:
            assert fmt.money(category.planned, cur) in page
    trees = {svg_title(tree): tree for tree in svg_trees(page)}
    # ROI by channel: one bar per channel, labelled with the core's ROI and 1:N
    roi_chart = trees["ROI by channel"]
    assert len(bars(roi_chart)) == len(kpi.channels) == 3
    labels = "".join(roi_chart.itertext())
    for channel in kpi.channels:
        assert f"{fmt.pct(channel.totals.roi, 0)} · {fmt.ratio(channel.totals.roas)}" in labels
    # the longest bar is the best ROI
    widths = [float(b.get("width") or 0) for b in bars(roi_chart)]
    best = max(range(3), key=lambda i: kpi.channels[i].totals.roi or Decimal(-99))
    assert widths.index(max(widths)) == best
    # Gantt: one bar per dated task, overdue work outlined in red
    gantt = trees["Gantt"]
    dated = [t for t in plan.tasks if t.start or t.end]
    assert len(bars(gantt)) == len(dated)
    overdue = [b for b in bars(gantt) if b.get("stroke")]
    assert len(overdue) == 1 and "overdue" in "".join(overdue[0].itertext())
    # pacing: the actual line has one point per measured day
    pacing = kpi.main_pacing
    assert pacing is not None
    chart = next(tree for title, tree in trees.items() if title.startswith("Cumulative"))
    points = [c for c in chart.iter(f"{SVG_NS}circle") if c.get("fill") != "#ffffff"]
    assert len(points) == sum(1 for d in pacing.days if d.cumulative is not None)
    # findings: every finding's message is on the page
    for finding in findings:
        assert html.escape(finding.message) in page


def test_user_text_is_escaped(tmp_path: Path) -> None:
    content = example("en")
    content.overview["name"] = "<script>alert('x')</script> & <b>bold</b>"
    content.tables["tasks"][0]["task"] = "<img src=x onerror=alert(1)>"
    path = tmp_path / "hostile.xlsx"
    write_workbook(content, str(path))
    out = tmp_path / "r.html"
    code, output = run_report(path, out)
    assert code == 0, output
    page = out.read_text(encoding="utf-8")
    parsed = parse(page)
    assert parsed.scripts == 0 and parsed.fetches == []
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page
    assert "<img" not in page
    svg_trees(page)  # still well-formed


def test_language_option_and_status_date(tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    code, _ = run_report(WORKBOOK_DIR / "example_zh.xlsx", out, "--lang", "en", "--today", "2024-05-31")
    assert code == 0
    page = out.read_text(encoding="utf-8")
    assert "Campaign report" in page and "2024-05-31" in page and "Continuation" in page


def test_empty_plans_still_make_a_page(tmp_path: Path) -> None:
    """A fresh template (no dates, no numbers) and a starter plan (tasks, no KPI) give a page, not a traceback."""
    for name, content in (("blank.xlsx", starter("en")), ("starter.xlsx", starter("zh", launch=date(2025, 6, 18)))):
        path = tmp_path / name
        write_workbook(content, str(path))
        out = tmp_path / (name + ".html")
        code, output = run_report(path, out)
        assert code == 1, output  # both have error findings (no owner, no budget …), and the page is written
        page = out.read_text(encoding="utf-8")
        svg_trees(page)
        assert 'id="findings"' in page
    assert "No task with dates" in (tmp_path / "blank.xlsx.html").read_text(encoding="utf-8")
    assert "每日数据表中还没有数据" in (tmp_path / "starter.xlsx.html").read_text(encoding="utf-8")


def test_unreadable_workbook_writes_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_text("Task,Start\nposter,2024-05-01\n", encoding="utf-8")
    out = tmp_path / "r.html"
    result = CliRunner().invoke(app, ["report", str(bad), "-o", str(out)])
    assert result.exit_code == 1
    assert "XF001" in result.output
    assert not out.exists()


def test_bad_arguments_exit_2(tmp_path: Path) -> None:
    source = WORKBOOK_DIR / "example_en.xlsx"
    assert run_report(source, tmp_path / "r.pdf")[0] == 2
    assert run_report(source, tmp_path / "r.html", "--today", "31/05/2024")[0] == 2


def test_every_label_has_both_languages() -> None:
    for key, (zh, en) in LABELS.items():
        assert zh.strip() and en.strip(), key
        assert set(re.findall(r"{(\w+)}", zh)) == set(re.findall(r"{(\w+)}", en)), key


@pytest.mark.parametrize(("value", "zh", "en"), [
    (500000, "50万", "500k"), (2_000_000, "200万", "2M"), (150_000, "15万", "150k"), (100_000_000, "1亿", "100M"),
    (3000, "3000", "3k"), (0, "0", "0"), (-25_000, "-2.5万", "-25k"), (Decimal("0.5"), "0.5", "0.5"),
])
def test_compact_numbers(value: int | Decimal, zh: str, en: str) -> None:
    assert (fmt.compact(value, "zh"), fmt.compact(value, "en")) == (zh, en)


def test_money_rates_and_ratios() -> None:
    assert fmt.money(Decimal("1234567"), "CNY") == "¥1,234,567"
    assert fmt.money(Decimal("-1234.5"), "USD") == "-$1,234.50"
    assert fmt.money(Decimal("10"), "SEK") == "SEK 10"
    assert fmt.pct(Decimal("0.375")) == "37.5%"
    assert fmt.ratio(Decimal("5")) == "1:5" and fmt.ratio(Decimal("4.74")) == "1:4.7"
    assert fmt.money(None) == fmt.pct(None) == fmt.DASH


@pytest.mark.parametrize(("low", "high", "count", "ticks"), [
    (0, 813480, 4, [0, 250000, 500000, 750000, 1000000]),
    (0, 5.7, 5, [0, 2, 4, 6]),
    (-0.4, 3.7, 5, [-1, 0, 1, 2, 3, 4]),
    (0, 0, 5, [0, 0.2, 0.4, 0.6, 0.8, 1]),
])
def test_nice_ticks(low: float, high: float, count: int, ticks: list[float]) -> None:
    assert nice_ticks(low, high, count) == ticks


def test_long_campaign_gantt_switches_to_weeks(tmp_path: Path) -> None:
    """A campaign of 200 days is drawn one column per week (the core's scale), still one bar per task."""
    from xl_campaign.core.gantt import build_gantt

    path = tmp_path / "long.xlsx"
    write_workbook(starter("en", launch=date(2025, 6, 18), days=200), str(path))
    plan = read_plan(str(path))
    gantt = build_gantt(plan, date(2025, 7, 1))
    assert gantt.scale.unit == "week"
    page = build_report(plan, run_rules(plan), today=date(2025, 7, 1))
    tree = next(t for t in svg_trees(page) if svg_title(t) == "Gantt")
    assert len(bars(tree)) == len(plan.tasks) == 14
    width = float(tree.get("width") or 0)
    assert width < 1400  # ~30 week columns, not 200 day columns
