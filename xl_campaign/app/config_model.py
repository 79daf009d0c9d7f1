"""The policy file's schema as pydantic models: validation, the zh/en messages for what is wrong, the JSON Schema.

Imported only when a policy file was found (``config.load_config``): pydantic costs ~45 ms to import, which
``check`` never pays on a workbook without a policy file. The models turn into the plain values the rest of the
tool uses (``config.Settings``, ``core.policy.Policy``); nothing else sees pydantic.

Keys are kebab-case as in ruff's files (``fail-on``, ``per-file-ignores``, ``reserve-range``). Rates are written
as ``0.08`` or ``"8%"``; a bare ``8`` is refused (it could mean 8 or 8%). Every default is the built-in one
(``core.policy``), so the JSON Schema shows editors the values a missing key means.
"""

from __future__ import annotations

import difflib
import re
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ..core.findings import Severity
from ..core.policy import DEFAULT_POLICY, WEEKDAYS, Policy
from ..core.schedule import StageRules
from .config import ConfigError, ConfigFile, Settings

SEVERITY_NAMES = ("error", "warning", "info")


def _kebab(name: str) -> str:
    return name.replace("_", "-")


def _error(zh: str, en: str) -> PydanticCustomError:
    """A validation error that carries its message in both languages."""
    return PydanticCustomError("xl_campaign", "{en}", {"zh": zh, "en": en})


def _jsonable(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    return value


def _field(default: Any, description: str) -> Any:
    """A field with a default and a description; the JSON Schema shows the default as plain JSON."""
    return Field(default=default, description=description, json_schema_extra={"default": _jsonable(default)})


def _rate(value: Any) -> Decimal:
    """``0.08`` or ``"8%"`` -> Decimal("0.08"), between 0 and 1."""
    if isinstance(value, bool):
        raise _error("应为比例，如 0.1 或 \"10%\"", 'must be a rate such as 0.1 or "10%"')
    try:
        if isinstance(value, str):
            text = value.strip().replace("％", "%")
            rate = Decimal(text[:-1].strip()) / 100 if text.endswith("%") else Decimal(text)
        elif isinstance(value, int | float):
            rate = Decimal(str(value))
        else:
            raise InvalidOperation
    except InvalidOperation:
        raise _error(f"{value!r} 不是比例（应写成 0.1 或 \"10%\"）",
                     f'{value!r} is not a rate (write 0.1 or "10%")') from None
    if not Decimal(0) <= rate <= 1:
        raise _error(f"{value!r} 不在 0 到 1（0%–100%）之间；{value!r}% 请写成 \"{value}%\"",
                     f'{value!r} is not between 0 and 1 (0%–100%); for {value}% write "{value}%"')
    return rate


Rate = Annotated[Decimal, BeforeValidator(_rate), WithJsonSchema({
    "anyOf": [{"type": "number", "minimum": 0, "maximum": 1},
              {"type": "string", "pattern": r"^\s*\d+(\.\d+)?\s*[%％]\s*$"}]})]


def _code(value: Any) -> str:
    """A rule code or prefix that names at least one rule (``BUD``, ``DATE01``, ``KPI008``)."""
    from ..core.rules import unknown_selectors

    if not isinstance(value, str) or not value.strip():
        raise _error("应为规则代码或前缀（如 BUD、DATE013）", "must be a rule code or prefix (BUD, DATE013 …)")
    code = value.strip().upper()
    if unknown_selectors([code]):
        raise _error(f"没有以 {code} 开头的规则代码（见 xl-campaign rules）",
                     f"no rule code starts with {code} (see xl-campaign rules)")
    return code


Code = Annotated[str, BeforeValidator(_code), WithJsonSchema({
    "type": "string", "pattern": "^[A-Za-z]+[0-9]{0,3}$",
    "description": "A rule code or prefix: XF, WB, OWN, DATE, BUD, KPI, MAT (+ digits). / 规则代码或前缀。"})]
def _region(value: Any) -> str:
    """A holiday region as the Overview's *Region* cell takes it: an ISO code (CN, US …), a name (中国) or "none"."""
    from ..core.workdays import region_code

    code = region_code(value) if isinstance(value, str) and value.strip() else None
    if code is None:
        raise _error(f"不认识的地区 {value!r}（请用 CN、US 等代码、地区名称，或“无”表示只按周末）",
                     f'unknown region {value!r} (use a code such as CN or US, a name, or "none" for weekends only)')
    return code or "none"


Region = Annotated[str, BeforeValidator(_region), WithJsonSchema({
    "type": "string", "description": "CN, US, HK … (ISO 3166), a region's name, or none. / 地区代码、名称或“无”。"})]
SeverityName = Literal["error", "warning", "info"]
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", alias_generator=_kebab, populate_by_name=False, frozen=True)


_STAGES = StageRules()


class StageWindows(_Model):
    """The stage windows, in days around the launch and end dates (the source document's calendar by default)."""

    research: tuple[int, int] = _field(
        (_STAGES.research_first_day, _STAGES.research_last_day),
        "Research & goals: [first, last] day before the launch (14 and 1: launch − 14 … launch − 1). / 调研窗口。")
    planning_from: int = _field(_STAGES.planning_first_day,
                                "Plan & resources from this many days before the launch. / 方案细化从上线前几天开始。")
    warmup: tuple[int, int] = _field(
        (_STAGES.warmup_min_days, _STAGES.warmup_max_days),
        "Warm-up length: [shortest, longest] in days before the launch (DATE007, DATE008). / 预热期天数范围。")
    review_within: int = _field(_STAGES.review_within_days,
                                "The review ends within this many days after the end date (DATE009). / 复盘期限。")

    @model_validator(mode="after")
    def _consistent(self) -> StageWindows:
        first, last = self.research
        if not 1 <= last <= first:
            raise _error(f"research 应为 [开始, 结束]，上线前天数，开始 ≥ 结束 ≥ 1（现为 {list(self.research)}）",
                         f"research must be [first, last] days before the launch with first >= last >= 1 "
                         f"(it is {list(self.research)})")
        low, high = self.warmup
        if not 1 <= low <= high:
            raise _error(f"warmup 应为 [最短, 最长] 天，且 1 ≤ 最短 ≤ 最长（现为 {list(self.warmup)}）",
                         f"warmup must be [shortest, longest] days with 1 <= shortest <= longest "
                         f"(it is {list(self.warmup)})")
        if self.planning_from < 1 or self.review_within < 1:
            raise _error("planning-from 和 review-within 应为至少 1 天", "planning-from and review-within must be "
                         "at least 1 day")
        return self

    def rules(self) -> StageRules:
        return StageRules(self.research[0], self.research[1], self.planning_from, self.warmup[0], self.warmup[1],
                          self.review_within)


class Thresholds(_Model):
    """The thresholds the rules use (``core.policy.Policy``)."""

    reserve_range: tuple[Rate, Rate] = _field(
        (DEFAULT_POLICY.reserve_min, DEFAULT_POLICY.reserve_max),
        "The contingency reserve's share of the total budget: [lowest, highest] (BUD001, BUD002). / 应急资金比例范围。")
    channel_split: dict[str, Rate] = _field(
        {}, "The team's target share of the channel budget per channel, for channels whose target share the "
            "Channels sheet leaves empty (BUD006). / 团队的渠道预算分配（渠道表未填目标占比时使用）。")
    channel_share_tolerance: Rate = _field(
        DEFAULT_POLICY.channel_share_tolerance,
        "How far a channel's share may stray from its target share (BUD006). / 渠道占比允许偏差。")
    pacing_tolerance: Rate = _field(
        DEFAULT_POLICY.pacing_tolerance,
        "A channel is behind when below this share of the straight-line pace (KPI008). / 进度落后阈值。")
    overdue_grace_days: int = Field(
        default=DEFAULT_POLICY.overdue_grace_days, ge=0,
        description="Days past the due date before work counts as overdue (DATE013, DATE015, MAT001). / 逾期宽限天数。")
    holiday_region: Region | None = _field(
        None, "The region whose public holidays count (CN, US …) when the workbook's Overview names none. / 节假日地区。")
    currency: str | None = Field(
        default=None, pattern=r"^[A-Za-z]{3}$",
        description="ISO currency code of campaigns whose Overview names none (CNY, USD …). / 默认币种。")
    week_start: Weekday = _field("monday", "The first day of a week: the Gantt's week columns on a long campaign. / 每周从星期几开始（长周期甘特图的周列）。")
    stage_windows: StageWindows = Field(default_factory=StageWindows, description="The stage windows. / 阶段时间窗。")

    @model_validator(mode="after")
    def _consistent(self) -> Thresholds:
        low, high = self.reserve_range
        if low > high:
            raise _error(f"reserve-range 的下限 {low} 高于上限 {high}", f"the low end {low} is above the high end {high}")
        if high >= 1:
            raise _error("reserve-range 的上限应低于 100%", "the high end must be below 100%")
        total = sum(self.channel_split.values(), Decimal(0))
        if self.channel_split and abs(total - 1) > Decimal("0.005"):
            raise _error(f"channel-split 的占比合计为 {total:.1%}，应为 100%",
                         f"the shares of channel-split add up to {total:.1%}, not 100%")
        return self

    def policy(self) -> Policy:
        low, high = self.reserve_range
        return Policy(
            reserve_min=low, reserve_max=high, channel_split=tuple(self.channel_split.items()),
            channel_share_tolerance=self.channel_share_tolerance, stages=self.stage_windows.rules(),
            pacing_tolerance=self.pacing_tolerance, overdue_grace_days=self.overdue_grace_days,
            holiday_region=self.holiday_region.strip() if self.holiday_region else None,
            currency=self.currency.upper() if self.currency else None, week_start=WEEKDAYS.index(self.week_start))


class PolicyFile(_Model):
    """xl-campaign's policy file: ``xl-campaign.toml``, or the ``[tool.xl-campaign]`` table of ``pyproject.toml``.
    / xl-campaign 的团队策略文件。"""

    model_config = ConfigDict(title="xl-campaign policy file")

    select: list[Code] = _field([], "Only these rule codes or prefixes (default: every rule). / 只运行这些规则。")
    ignore: list[Code] = _field([], "Skip these rule codes or prefixes. / 跳过这些规则。")
    per_file_ignores: dict[str, list[Code]] = _field(
        {}, "Glob pattern (relative to this file's folder; `!` negates) -> codes to skip in matching workbooks. "
            "/ 按文件跳过的规则。")
    severity: dict[Code, SeverityName] = _field(
        {}, "Rule code or prefix -> error | warning | info (the longest prefix wins). / 修改规则的严重级别。")
    fail_on: SeverityName | None = _field(
        None, "Exit 1 when a finding is at or above this severity (default: error; --fail-on wins). / 退出码阈值。")
    thresholds: Thresholds = Field(default_factory=Thresholds, description="The thresholds the rules use. / 阈值。")

    def settings(self, path: str) -> Settings:
        return Settings(policy=self.thresholds.policy(), select=tuple(self.select), ignore=tuple(self.ignore),
                        severity=tuple((code, Severity(name)) for code, name in self.severity.items()),
                        fail_on=self.fail_on, source=path)


def keys_set(model: BaseModel, prefix: str = "") -> set[str]:
    """The dotted kebab-case keys a file set (``thresholds.stage-windows.warmup``)."""
    out: set[str] = set()
    for name in model.model_fields_set:
        key = f"{prefix}{_kebab(name)}"
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            out |= keys_set(value, f"{key}.")
        else:
            out.add(key)
    return out


def _key(location: tuple[Any, ...], table: str) -> str:
    parts = [table] if table else []
    for item in location:
        if item == "[key]":  # pydantic's marker for a bad key of a table
            continue
        if isinstance(item, int):
            parts[-1:] = [f"{parts[-1]}[{item}]"] if parts else [f"[{item}]"]
        else:
            parts.append(str(item))
    return ".".join(parts)


def _allowed(location: tuple[Any, ...]) -> list[str]:
    """The keys allowed where an unknown key was found (for a did-you-mean)."""
    model: Any = PolicyFile
    for item in location[:-1]:
        field = next((f for name, f in model.model_fields.items() if _kebab(name) == item), None)
        annotation = getattr(field, "annotation", None)
        if not (isinstance(annotation, type) and issubclass(annotation, BaseModel)):
            return []
        model = annotation
    return [_kebab(name) for name in model.model_fields]


_TYPES = {
    "int_type": ("应为整数", "must be a whole number"), "int_parsing": ("应为整数", "must be a whole number"),
    "int_from_float": ("应为整数", "must be a whole number"), "string_type": ("应为文本", "must be text"),
    "list_type": ("应为列表，如 [\"BUD\", \"DATE013\"]", 'must be a list, such as ["BUD", "DATE013"]'),
    "tuple_type": ("应为两个值的列表，如 [0.1, 0.15]", "must be a list of two values, such as [0.1, 0.15]"),
    "dict_type": ("应为表（键 = 值）", "must be a table (key = value)"),
    "model_type": ("应为表（键 = 值）", "must be a table (key = value)"),
    "model_attributes_type": ("应为表（键 = 值）", "must be a table (key = value)"),
}


def _problem(error: Any, table: str) -> tuple[str, str, str]:
    """(key, zh, en) of one pydantic error."""
    location = tuple(error["loc"])
    kind = error["type"]
    ctx = error.get("ctx") or {}
    key = _key(location, table)
    if kind == "xl_campaign":
        return key, ctx["zh"], ctx["en"]
    if kind == "extra_forbidden":
        close = difflib.get_close_matches(str(location[-1]), _allowed(location), n=1)
        zh, en = "未知的键", "unknown key"
        if close:
            zh, en = f"{zh}（是否想写 {close[0]}？）", f"{en} (did you mean {close[0]}?)"
        return key, zh, en
    if kind == "literal_error":
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return key, f"{error['input']!r} 无效，应为 {'、'.join(choices)} 之一", \
            f"{error['input']!r} is not one of {', '.join(choices)}"
    if kind in ("too_short", "too_long"):
        return key, "应为两个值的列表，如 [0.1, 0.15]", "must be a list of two values, such as [0.1, 0.15]"
    if kind == "greater_than_equal":
        return key, f"应不小于 {ctx.get('ge')}", f"must be at least {ctx.get('ge')}"
    if kind == "string_pattern_mismatch":
        return key, f"{error['input']!r} 不是三个字母的币种代码（如 CNY、USD）", \
            f"{error['input']!r} is not a three-letter currency code (CNY, USD …)"
    if kind in _TYPES:
        zh, en = _TYPES[kind]
        return key, f"{zh}（现为 {error['input']!r}）", f"{en} (it is {error['input']!r})"
    return key, f"取值无效：{error['msg']}", error["msg"]


def validate(path: str, data: dict[str, Any], table: str = "") -> ConfigFile:
    """The validated policy file ``path`` (its TOML ``data``); raises ``ConfigError`` naming each bad key."""
    try:
        model = PolicyFile.model_validate(data)
    except ValidationError as exc:
        raise ConfigError(path, [_problem(error, table) for error in exc.errors()]) from None
    return ConfigFile(path, model.settings(path),
                      tuple((pattern, tuple(codes)) for pattern, codes in model.per_file_ignores.items()),
                      frozenset(keys_set(model)), table)


def json_schema() -> dict[str, Any]:
    """The policy file's JSON Schema (``docs/schema/xl-campaign.schema.json``), for editors and CI."""
    schema = PolicyFile.model_json_schema(by_alias=True)
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": "xl-campaign.schema.json", **schema}
