"""The JSON Schemas of what xl-campaign reads and writes as JSON, generated from pydantic models into
``docs/schema/`` (``python -m xl_campaign.app.schema``; a test fails when the committed files are stale):

- ``xl-campaign.schema.json`` — the policy file (``config_model.PolicyFile``), for editors (taplo / Even Better
  TOML read a ``#:schema`` comment) and for CI;
- ``check-report.schema.json`` — ``xl-campaign check --format json`` (``results.Report.to_dict``);
- ``check-finding.schema.json`` — one line of ``--format jsonl`` (``Finding.to_dict``).

The report models below mirror ``Report.to_dict`` exactly (extra keys are forbidden, every key is required); the
tests validate real ``check`` output against both the models and the generated schemas, so the three cannot
drift apart. pydantic is imported by this module only: ``check`` itself never needs it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "docs" / "schema"
DIALECT = "https://json-schema.org/draft/2020-12/schema"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FindingModel(_Strict):
    """One finding: what is wrong, where (1-based Excel row and column, A1 cell), how to fix it. / 一个问题。"""

    model_config = ConfigDict(title="xl-campaign finding")

    code: str = Field(pattern=r"^[A-Z]+[0-9]{3}$", description="Stable rule code (BUD001). / 规则代码。")
    rule: str = Field(description="Rule name (reserve-below-floor). / 规则名称。")
    severity: Literal["error", "warning", "info"]
    message: str = Field(description="What is wrong, in the report's language (zh or en). / 问题说明。")
    file: str | None
    sheet: str | None
    cell: str | None = Field(pattern=r"^[A-Z]{1,3}[0-9]+$", description="A1 address.")
    row: int | None = Field(ge=1, description="1-based Excel row.")
    column: int | None = Field(ge=1, description="1-based Excel column.")
    field: str | None = Field(description="The column's key (planned, end …).")
    value: str | int | float | bool | None = Field(description="The offending value (dates as text).")
    expected: str | None
    hint: str | None = Field(description="How to fix it. / 修复建议。")


class FileModel(_Strict):
    """The result for one file. / 一个文件的结果。"""

    path: str
    sha256: str | None = Field(pattern=r"^[0-9a-f]{64}$", description="SHA-256 of the bytes checked.")
    valid: bool = Field(description="No finding of severity error.")
    findings: list[FindingModel]


class SummaryModel(_Strict):
    files: int = Field(ge=0)
    invalid_files: int = Field(ge=0)
    errors: int = Field(ge=0)
    warnings: int = Field(ge=0)
    by_code: dict[str, int] = Field(description="Findings per rule code.")


class ToolModel(_Strict):
    name: Literal["xl-campaign"]
    version: str


class CheckReportModel(_Strict):
    """``xl-campaign check --format json``: the tool, a summary and every file's findings. / 校验报告。"""

    model_config = ConfigDict(title="xl-campaign check report")

    tool: ToolModel
    summary: SummaryModel
    files: list[FileModel]


def _with_header(schema: dict[str, Any], name: str) -> dict[str, Any]:
    return {"$schema": DIALECT, "$id": name, **schema}


def schemas() -> dict[str, dict[str, Any]]:
    """File name -> JSON Schema, as committed in ``docs/schema/``."""
    from .config_model import json_schema

    return {
        "xl-campaign.schema.json": json_schema(),
        "check-report.schema.json": _with_header(CheckReportModel.model_json_schema(), "check-report.schema.json"),
        "check-finding.schema.json": _with_header(FindingModel.model_json_schema(), "check-finding.schema.json"),
    }


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def write(folder: Path = SCHEMA_DIR) -> list[Path]:
    """Write every schema into ``folder``; returns the files written."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in schemas().items():
        target = folder / name
        target.write_text(render(schema), encoding="utf-8")
        written.append(target)
    return written


if __name__ == "__main__":
    for path in write(Path(sys.argv[1]) if len(sys.argv) > 1 else SCHEMA_DIR):
        print(path)
