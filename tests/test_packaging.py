"""The wheel ships every subpackage and the master template (pyproject lists packages explicitly)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from .conftest import ROOT


def test_every_subpackage_is_listed_in_pyproject() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["setuptools"]["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "xl_campaign").rglob("__init__.py")
    }
    assert found - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
    assert "xl_campaign.workbook" in listed
    assert config["tool"]["setuptools"]["package-dir"]["xl_campaign.workbook"] == "workbook"


def test_workbook_folder_holds_the_shipped_templates() -> None:
    for name in ("template_zh.xlsx", "template_en.xlsx", "example_zh.xlsx", "example_en.xlsx"):
        assert (Path(ROOT) / "workbook" / name).is_file()
