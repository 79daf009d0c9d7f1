"""``xl-campaign review``: the stage-4 review document, in the workbook's language, from a real workbook —
target vs actual as the source's "+20%", ROI per channel ranked with both definitions, touchpoints, problems."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from xl_campaign.app.review import load_review
from xl_campaign.core.review import change_text, ratio_text

from . import rule_fixtures as F
from .conftest import WORKBOOK_DIR

CLI = [sys.executable, "-m", "xl_campaign.cli"]


def test_the_source_phrasing() -> None:
    assert change_text(Decimal("1.2") - 1) == "+20%" and change_text(Decimal("0.81") - 1) == "-19%"
    assert change_text(Decimal(0)) == "±0%" and change_text(None) == "—"
    assert ratio_text(Decimal(5)) == "1:5" and ratio_text(Decimal("4.46")) == "1:4.5"


def test_review_of_the_example() -> None:
    result = load_review(str(WORKBOOK_DIR / "example_zh.xlsx"))
    review = result.review
    assert review is not None and result.lang == "zh"
    assert [c.name for c in review.ranking] == ["KOL", "公众号", "短视频平台"]
    assert [c.ratio_text for c in review.ranking] == ["1:6.7", "1:6.5", "1:4.7"]
    revenue = next(g for g in review.goals if g.metric == "revenue")
    assert revenue.target == 1_000_000 and change_text(revenue.versus_target) == "-19%"
    assert any("KOL的 ROI 为 1:6.7，高于短视频平台的 1:4.7" in line for line in review.conclusions)
    assert any("分享率最高的触点：H5活动页（15.0%）" in line for line in review.conclusions)
    # the goals met first, then those behind, each as the source phrases it
    assert review.conclusions[0] == "5 个目标中 2 个达成：点击率 +11%、ROI +36%；未达成：新增用户 -67%、销售额 -19%、曝光量 -32%"
    assert [p.problem for p in review.problems] == ["部分地区物流延迟，奖品发放延迟"]


@pytest.mark.parametrize(("lang", "name", "words"), [
    ("zh", "review.md", ["# 活动复盘报告", "| 销售额 | 800,000 | 1,000,000 | 813,480 | -19% |", "| 1 | KOL |",
                         "1:6.7", "分享率", "下次提前与物流确认时效"]),
    ("en", "review.html", ["<h1>Campaign review", "Net ROI", "1:6.7", "Share rate", "+36%",
                           "Confirm lead times with the carrier next time"]),
])
def test_review_command_writes_the_document(tmp_path: Path, lang: str, name: str, words: list[str]) -> None:
    workbook = WORKBOOK_DIR / f"example_{lang}.xlsx"
    out = tmp_path / name
    done = subprocess.run([*CLI, "review", str(workbook), "-o", str(out)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    for word in words:
        assert word in text, word
    assert "<script" not in text
    # written again over its own output, refused over a file it did not write
    assert subprocess.run([*CLI, "review", str(workbook), "-o", str(out)], capture_output=True).returncode == 0
    other = tmp_path / "notes.md"
    other.write_text("my notes", encoding="utf-8")
    refused = subprocess.run([*CLI, "review", str(workbook), "-o", str(other)], capture_output=True, text=True)
    assert refused.returncode == 2 and other.read_text(encoding="utf-8") == "my notes"


def test_review_of_a_file_that_cannot_be_read(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    done = subprocess.run([*CLI, "review", str(bad), "-o", str(tmp_path / "r.md"), "--lang", "en"],
                          capture_output=True, text=True)
    assert done.returncode == 1 and "XF" in done.stderr and not (tmp_path / "r.md").exists()


def test_an_empty_review_after_its_window(tmp_path: Path) -> None:
    content = F.baseline("en")
    content.tables["review"] = []
    path = F.write(content, tmp_path / "late.xlsx")
    result = load_review(str(path), today=date(2024, 6, 20))
    assert result.review is not None and result.review.problems == ()
    assert "REV002" in {f.code for f in result.findings}
    assert any("no problem has been recorded" in line for line in result.review.conclusions)
