"""The JSON Schemas in docs/schema/ are generated from the pydantic models and kept fresh; real ``check`` output
and real policy files validate against them (and against the models, which forbid any key they do not know)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from xl_campaign.app import schema

from .conftest import WORKBOOK_DIR

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "docs" / "schema"


def test_committed_schemas_are_fresh() -> None:
    expected = schema.schemas()
    assert sorted(p.name for p in SCHEMA_DIR.glob("*.json")) == sorted(expected), \
        "run: python -m xl_campaign.app.schema"
    for name, generated in expected.items():
        assert (SCHEMA_DIR / name).read_text(encoding="utf-8") == schema.render(generated), \
            f"{name} is stale: run python -m xl_campaign.app.schema"


def _load(name: str) -> dict:
    data = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(data)
    return data


def test_check_output_validates_against_the_schema_and_the_model(tmp_path: Path) -> None:
    shutil.copy(WORKBOOK_DIR / "example_zh.xlsx", tmp_path / "618.xlsx")
    shutil.copy(WORKBOOK_DIR / "example_en.xlsx", tmp_path / "launch.xlsx")
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not a zip")
    run = subprocess.run([sys.executable, "-m", "xl_campaign.cli", "check", str(tmp_path), "--format", "json",
                          "--jobs", "2"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 1, run.stderr
    report = json.loads(run.stdout)
    assert report["summary"]["files"] == 3 and report["summary"]["errors"] >= 1
    jsonschema.validate(report, _load("check-report.schema.json"))
    schema.CheckReportModel.model_validate(report)  # extra keys forbidden: the model is the output, exactly
    lines = subprocess.run([sys.executable, "-m", "xl_campaign.cli", "check", str(tmp_path), "--format", "jsonl"],
                           capture_output=True, text=True, timeout=300).stdout.splitlines()
    finding_schema = _load("check-finding.schema.json")
    assert lines
    for line in lines:
        jsonschema.validate(json.loads(line), finding_schema)
    # the schema is not a rubber stamp
    broken = json.loads(json.dumps(report))
    broken["files"][0]["findings"][0]["severity"] = "fatal"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, _load("check-report.schema.json"))
    del broken["files"][0]["sha256"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, _load("check-report.schema.json"))


def test_policy_files_validate_against_the_config_schema() -> None:
    import tomllib

    config_schema = _load("xl-campaign.schema.json")
    good = tomllib.loads('select = ["BUD", "DATE013"]\nfail-on = "warning"\n[severity]\nBUD001 = "error"\n'
                        '[per-file-ignores]\n"archive/*" = ["KPI"]\n[thresholds]\nreserve-range = ["8%", 0.12]\n'
                        'channel-split = { "短视频平台" = 0.6, KOL = 0.4 }\nweek-start = "sunday"\n'
                        "[thresholds.stage-windows]\nwarmup = [2, 10]\n")
    jsonschema.validate(good, config_schema)
    for bad in ('fail-on = "fatal"\n', 'selct = ["BUD"]\n', "[thresholds]\nreserve-range = [0.1]\n",
                '[thresholds]\nweek-start = "mon"\n', "[thresholds]\npacing-tolerance = 5\n"):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(tomllib.loads(bad), config_schema)
    properties = config_schema["properties"]
    assert {"select", "ignore", "per-file-ignores", "severity", "fail-on", "thresholds"} == set(properties)
    thresholds = config_schema["$defs"]["Thresholds"]["properties"]
    assert thresholds["reserve-range"]["default"] == [0.1, 0.15]
    assert thresholds["pacing-tolerance"]["default"] == 0.9
