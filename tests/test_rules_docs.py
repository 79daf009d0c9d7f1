"""The rule registry follows its conventions and docs/rules/ is generated from it."""

from __future__ import annotations

import json
import subprocess
import sys

from xl_campaign.core.rules import RULES, all_rules, doc_markdown
from xl_campaign.core.rules.registry import doc_problems
from xl_campaign.render import rule_docs


def test_every_rule_has_code_name_and_doc_sections() -> None:
    assert doc_problems() == []
    assert {r.area for r in all_rules()} == {"XF", "WB", "OWN", "DATE", "BUD", "KPI", "MAT", "REV"}


def test_generated_docs_are_current() -> None:
    assert rule_docs.stale() == [], "run: python -m xl_campaign.render.rule_docs"


def test_stale_docs_are_detected(tmp_path) -> None:  # type: ignore[no-untyped-def]
    rule_docs.write(tmp_path)
    assert rule_docs.stale(tmp_path) == []
    (tmp_path / "DATE013.md").write_text("old text", encoding="utf-8")
    (tmp_path / "DATE999.md").write_text("a removed rule", encoding="utf-8")
    assert rule_docs.stale(tmp_path) == ["DATE013.md", "DATE999.md"]


def test_rules_and_rule_commands() -> None:
    listed = subprocess.run([sys.executable, "-m", "xl_campaign.cli", "rules", "--format", "json"],
                            capture_output=True, text=True, check=True)
    assert [r["code"] for r in json.loads(listed.stdout)] == [r.code for r in all_rules()]
    page = subprocess.run([sys.executable, "-m", "xl_campaign.cli", "rule", "date013"], capture_output=True,
                          text=True, check=True)
    assert page.stdout == doc_markdown(RULES["DATE013"])
    by_name = subprocess.run([sys.executable, "-m", "xl_campaign.cli", "rule", "task-overdue"],
                             capture_output=True, text=True, check=True)
    assert by_name.stdout == page.stdout
    missing = subprocess.run([sys.executable, "-m", "xl_campaign.cli", "rule", "NOPE1"], capture_output=True,
                             text=True)
    assert missing.returncode == 2
