"""A team's policy file: found upward from each checked workbook (as ruff finds its configuration), validated,
turned into the settings each file is checked with.

Where it is: ``xl-campaign.toml`` (or ``.xl-campaign.toml``), else a ``pyproject.toml`` with a
``[tool.xl-campaign]`` table, in the workbook's folder or the nearest folder above it; the closest one wins and
files are not merged (as ruff). ``--config PATH`` names the file for every input instead; ``--no-config`` uses
none. Per-file ignores are patterns relative to the folder of the file that declares them.

What it holds (``docs/config.md``; the JSON Schema is ``docs/schema/xl-campaign.schema.json``): ``select``,
``ignore``, ``per-file-ignores``, ``severity`` (a code or prefix -> error | warning | info), ``fail-on``, and the
``[thresholds]`` the rules use (``core.policy.Policy``).

Precedence, highest first: the command line (``--select`` replaces the file's ``select``, ``--ignore`` adds to its
``ignore``, ``--fail-on`` replaces its ``fail-on``, ``--today`` wins over the status date); the workbook's own
Overview cells (its currency and holiday region; a file fills them only when empty); the policy file; the
built-in defaults.

Cost: finding no file costs a few ``stat`` calls per folder (cached), and nothing is imported — ``check`` on a
workbook without a policy file loads neither pydantic nor TOML. A file found is read with the standard library's
``tomllib`` and validated by the pydantic model in ``config_model`` (imported then, and only then); once it has
validated, its values are cached (``cache_dir``), so later runs on the same file do not import pydantic.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field, replace
from typing import Any

from ..core.findings import Finding, Severity
from ..core.policy import DEFAULT_POLICY, Policy

CONFIG_NAMES = ("xl-campaign.toml", ".xl-campaign.toml")
PYPROJECT = "pyproject.toml"
TOOL_KEY = "xl-campaign"  # [tool.xl-campaign] in pyproject.toml


class ConfigError(Exception):
    """A policy file that cannot be used: which file, which key, what is wrong — in both languages."""

    def __init__(self, path: str, problems: list[tuple[str, str, str]]) -> None:
        self.path = path
        self.problems = problems  # (key, zh, en); key "" when the file as a whole is wrong
        super().__init__(self.message("en"))

    def message(self, lang: str | None) -> str:
        """One message: the file, then a line per problem (``key: what is wrong``)."""
        from ..core.text import t

        lines = []
        for key, zh, en in self.problems:
            what = t(lang, zh, en)
            lines.append(f"{key}{t(lang, '：', ': ')}{what}" if key else what)
        head = t(lang, f"配置文件 {self.path} 有误", f"bad configuration file {self.path}")
        if len(lines) == 1:
            return f"{head}{t(lang, '：', ': ')}{lines[0]}"
        return head + t(lang, "：", ":") + "".join(f"\n  {line}" for line in lines)


@dataclass(frozen=True)
class Settings:
    """What one workbook is checked with: the rules to run, severity changes, ``fail-on`` and the thresholds.

    Plain values (picklable: the check workers receive one with each file). ``source`` is the policy file they
    came from (None: the built-in defaults)."""

    policy: Policy = DEFAULT_POLICY
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: tuple[tuple[str, Severity], ...] = ()  # (code or prefix, severity); the longest prefix wins
    fail_on: str | None = None
    source: str | None = None

    def severity_of(self, code: str) -> Severity | None:
        """The severity the file gives ``code`` (by its longest matching prefix, a moved code following its
        redirect as ``--select`` does), or None."""
        from ..core.rules.registry import REDIRECTS

        best: tuple[int, Severity] | None = None
        for key, severity in self.severity:
            prefix = REDIRECTS.get(key.strip().upper(), key.strip().upper())
            if code.startswith(prefix) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), severity)
        return best[1] if best else None

    def apply(self, findings: list[Finding]) -> list[Finding]:
        """``findings`` with the file's severity changes made."""
        if not self.severity:
            return findings
        out = []
        for finding in findings:
            severity = self.severity_of(finding.code)
            out.append(finding if severity is None or severity is finding.severity else replace(finding,
                                                                                              severity=severity))
        return out


DEFAULT_SETTINGS = Settings()


@dataclass(frozen=True)
class ConfigFile:
    """A validated policy file: its settings, its per-file ignores and which keys it set (for ``config show``)."""

    path: str
    settings: Settings
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    keys_set: frozenset[str] = frozenset()  # dotted keys the file sets (``thresholds.reserve-range``)
    table: str = ""  # "" for xl-campaign.toml, "tool.xl-campaign" in pyproject.toml

    @property
    def root(self) -> str:
        """The folder per-file patterns are relative to."""
        return os.path.dirname(os.path.abspath(self.path))

    def ignores_for(self, path: str) -> tuple[str, ...]:
        """The per-file ignores whose pattern matches ``path`` (``!pattern``: files that do not match)."""
        relative = os.path.relpath(os.path.abspath(path), self.root).replace(os.sep, "/")
        name = os.path.basename(path)
        out: list[str] = []
        for pattern, codes in self.per_file_ignores:
            negated = pattern.startswith("!")
            glob = pattern[1:] if negated else pattern
            hit = fnmatch.fnmatchcase(relative, glob) or ("/" not in glob and fnmatch.fnmatchcase(name, glob))
            if hit != negated:
                out += codes
        return tuple(out)

    def settings_for(self, path: str) -> Settings:
        """The settings for the workbook at ``path``: the file's, plus the per-file ignores that match it."""
        extra = self.ignores_for(path)
        if not extra:
            return self.settings
        return replace(self.settings, ignore=self.settings.ignore + extra)


def _has_tool_table(path: str) -> bool:
    try:
        data = _read_toml(path)[0]
    except ConfigError:
        return True  # a broken pyproject.toml is reported when it is loaded, not skipped silently
    tool = data.get("tool")
    return isinstance(tool, dict) and TOOL_KEY in tool


def _read_toml(path: str) -> tuple[dict[str, Any], bytes]:
    """The TOML document at ``path`` and its bytes."""
    import tomllib

    try:
        with open(path, "rb") as handle:
            raw = handle.read()
        return tomllib.loads(raw.decode("utf-8")), raw
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(path, [("", f"TOML 语法错误：{exc}", f"not valid TOML: {exc}")]) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(path, [("", f"不是 UTF-8 文本：{exc}", f"not UTF-8 text: {exc}")]) from None
    except OSError as exc:
        raise ConfigError(path, [("", f"无法读取：{exc.strerror or exc}",
                                  f"cannot be read: {exc.strerror or exc}")]) from None


def config_in(folder: str) -> str | None:
    """The policy file in ``folder`` itself, or None: an xl-campaign.toml first, then a pyproject.toml that has a
    ``[tool.xl-campaign]`` table."""
    for name in CONFIG_NAMES:
        candidate = os.path.join(folder, name)
        if os.path.isfile(candidate):
            return candidate
    candidate = os.path.join(folder, PYPROJECT)
    if os.path.isfile(candidate) and _has_tool_table(candidate):
        return candidate
    return None


def load_config(path: str) -> ConfigFile:
    """Read and validate the policy file at ``path``; raises :class:`ConfigError` saying what is wrong.

    A file validated before (the same bytes, the same xl-campaign and rules) is taken from the cache
    (:func:`cache_dir`) without importing pydantic; anything else is validated by the pydantic model."""
    data, raw = _read_toml(path)
    table = ""
    if os.path.basename(path) == PYPROJECT:
        tool = data.get("tool")
        if not isinstance(tool, dict) or TOOL_KEY not in tool:
            raise ConfigError(path, [("tool.xl-campaign", "没有 [tool.xl-campaign] 表",
                                      "there is no [tool.xl-campaign] table")])
        data, table = tool[TOOL_KEY], f"tool.{TOOL_KEY}"
        if not isinstance(data, dict):
            raise ConfigError(path, [(table, "应为一个表", "must be a table")])
    key = _cache_key(raw, table)
    cached = _cache_get(key, path)
    if cached is not None:
        return cached
    from .config_model import validate  # pydantic: only now that a file exists

    config = validate(path, data, table)
    _cache_put(key, config)
    return config


# --- the cache of validated files -----------------------------------------------------------------------------------
# Validating a file imports pydantic (~0.1 s). A file that validated once is kept, as its validated values in JSON,
# under the hash of its bytes, xl-campaign's version and the rule codes (which the file's codes are checked against);
# the next run rebuilds the same settings from it with the standard library. Only files that validated are kept;
# a cache that cannot be read or written is ignored. XL_CAMPAIGN_CACHE_DIR moves it, XL_CAMPAIGN_NO_CACHE=1 turns
# it off.

def cache_dir() -> str | None:
    """Where validated policy files are kept (None: caching is off)."""
    if os.environ.get("XL_CAMPAIGN_NO_CACHE", "") not in ("", "0"):
        return None
    explicit = os.environ.get("XL_CAMPAIGN_CACHE_DIR")
    if explicit:
        return explicit
    import sys

    home = os.path.expanduser("~")
    if sys.platform.startswith("win"):
        base = os.environ.get("LOCALAPPDATA") or os.path.join(home, "AppData", "Local")
        return os.path.join(base, "xl-campaign", "cache")
    if sys.platform == "darwin":
        return os.path.join(home, "Library", "Caches", "xl-campaign")
    return os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.join(home, ".cache"), "xl-campaign")


def _cache_key(raw: bytes, table: str) -> str:
    import hashlib

    from .. import __version__
    from ..core.rules import RULES

    digest = hashlib.sha256()
    for part in (__version__, table, ",".join(sorted(RULES))):
        digest.update(part.encode("utf-8") + b"\0")
    digest.update(raw)
    return digest.hexdigest()


def _cache_get(key: str, path: str) -> ConfigFile | None:
    folder = cache_dir()
    if folder is None:
        return None
    import json

    try:
        with open(os.path.join(folder, f"policy-{key}.json"), encoding="utf-8") as handle:
            return config_from_json(json.load(handle), path)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None  # no entry, or one this version does not understand: validate again


def _cache_put(key: str, config: ConfigFile) -> None:
    folder = cache_dir()
    if folder is None:
        return
    import json
    import tempfile

    try:
        os.makedirs(folder, exist_ok=True)
        handle, tmp = tempfile.mkstemp(prefix=".policy-", suffix=".json", dir=folder)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(config_to_json(config), out, ensure_ascii=False)
        os.replace(tmp, os.path.join(folder, f"policy-{key}.json"))
    except OSError:
        pass  # a read-only home or a full disk: the file is validated again next time


def config_to_json(config: ConfigFile) -> dict[str, Any]:
    """A validated file's values as JSON (money and rates as exact decimal text)."""
    settings, policy = config.settings, config.settings.policy
    stages = policy.stages
    return {
        "select": list(settings.select), "ignore": list(settings.ignore),
        "severity": [[code, severity.value] for code, severity in settings.severity], "fail_on": settings.fail_on,
        "per_file_ignores": [[pattern, list(codes)] for pattern, codes in config.per_file_ignores],
        "keys_set": sorted(config.keys_set), "table": config.table,
        "policy": {
            "reserve_min": str(policy.reserve_min), "reserve_max": str(policy.reserve_max),
            "channel_split": [[name, str(share)] for name, share in policy.channel_split],
            "channel_share_tolerance": str(policy.channel_share_tolerance),
            "pacing_tolerance": str(policy.pacing_tolerance), "overdue_grace_days": policy.overdue_grace_days,
            "holiday_region": policy.holiday_region, "currency": policy.currency, "week_start": policy.week_start,
            "stages": [stages.research_first_day, stages.research_last_day, stages.planning_first_day,
                       stages.warmup_min_days, stages.warmup_max_days, stages.review_within_days],
        },
    }


def config_from_json(data: dict[str, Any], path: str) -> ConfigFile:
    """The :class:`ConfigFile` that :func:`config_to_json` wrote, for the file at ``path``."""
    from decimal import Decimal

    from ..core.schedule import StageRules

    raw = data["policy"]
    policy = Policy(
        reserve_min=Decimal(raw["reserve_min"]), reserve_max=Decimal(raw["reserve_max"]),
        channel_split=tuple((str(name), Decimal(share)) for name, share in raw["channel_split"]),
        channel_share_tolerance=Decimal(raw["channel_share_tolerance"]),
        stages=StageRules(*(int(days) for days in raw["stages"])), pacing_tolerance=Decimal(raw["pacing_tolerance"]),
        overdue_grace_days=int(raw["overdue_grace_days"]), holiday_region=raw["holiday_region"],
        currency=raw["currency"], week_start=int(raw["week_start"]))
    settings = Settings(policy=policy, select=tuple(data["select"]), ignore=tuple(data["ignore"]),
                        severity=tuple((code, Severity(name)) for code, name in data["severity"]),
                        fail_on=data["fail_on"], source=path)
    return ConfigFile(path, settings, tuple((pattern, tuple(codes)) for pattern, codes in data["per_file_ignores"]),
                      frozenset(data["keys_set"]), data["table"])


@dataclass
class Resolver:
    """The policy file of each workbook: the nearest one above it (cached per folder), or the one ``--config``
    named, or none (``--no-config``). Each file is read and validated once."""

    explicit: str | None = None
    isolated: bool = False
    _folders: dict[str, str | None] = field(default_factory=dict)
    _files: dict[str, ConfigFile] = field(default_factory=dict)

    def file_for(self, path: str) -> ConfigFile | None:
        """The validated policy file that applies to the workbook at ``path`` (None: built-in defaults)."""
        if self.isolated:
            return None
        found = self.explicit if self.explicit is not None else self._find(os.path.dirname(os.path.abspath(path)))
        if found is None:
            return None
        if found not in self._files:
            self._files[found] = load_config(found)
        return self._files[found]

    def settings_for(self, path: str) -> Settings:
        """The settings the workbook at ``path`` is checked with."""
        config = self.file_for(path)
        return DEFAULT_SETTINGS if config is None else config.settings_for(path)

    def _find(self, folder: str) -> str | None:
        visited = []
        found: str | None = None
        while True:
            if folder in self._folders:
                found = self._folders[folder]
                break
            visited.append(folder)
            found = config_in(folder)
            if found is not None:
                break
            parent = os.path.dirname(folder)
            if parent == folder:
                break
            folder = parent
        for seen in visited:
            self._folders[seen] = found
        return found


# --- the effective settings, and where each came from (``xl-campaign config show``) --------------------------------

RATE_KEYS = frozenset({"thresholds.reserve-range", "thresholds.channel-split", "thresholds.channel-share-tolerance",
                       "thresholds.pacing-tolerance"})


@dataclass(frozen=True)
class Effective:
    """One setting in force: its key as written in the file, its value, and where it came from — ``default``
    (built in), ``file`` (``where`` is the policy file) or ``workbook`` (``where`` is the Overview cell)."""

    key: str
    value: Any
    source: str
    where: str | None = None


def effective_settings(config: ConfigFile | None, path: str, plan: Any = None) -> list[Effective]:
    """Every setting that applies to the workbook (or folder) at ``path`` under ``config``, with its source.

    ``plan``: the workbook's plan when ``path`` is a workbook; its own Overview cells win where it has them."""
    from ..core.policy import OVERVIEW_DEFAULTS, WEEKDAYS

    settings = config.settings_for(path) if config is not None else DEFAULT_SETTINGS
    policy = settings.policy
    stages = policy.stages
    values: list[tuple[str, Any]] = [
        ("select", list(settings.select)),
        ("ignore", list(settings.ignore)),
        ("per-file-ignores", {pattern: list(codes) for pattern, codes in config.per_file_ignores} if config else {}),
        ("severity", {code: severity.value for code, severity in settings.severity}),
        ("fail-on", settings.fail_on or "error"),
        ("thresholds.reserve-range", [policy.reserve_min, policy.reserve_max]),
        ("thresholds.channel-split", dict(policy.channel_split)),
        ("thresholds.channel-share-tolerance", policy.channel_share_tolerance),
        ("thresholds.pacing-tolerance", policy.pacing_tolerance),
        ("thresholds.overdue-grace-days", policy.overdue_grace_days),
        ("thresholds.holiday-region", policy.holiday_region),
        ("thresholds.currency", policy.currency),
        ("thresholds.week-start", WEEKDAYS[policy.week_start]),
        ("thresholds.stage-windows.research", [stages.research_first_day, stages.research_last_day]),
        ("thresholds.stage-windows.planning-from", stages.planning_first_day),
        ("thresholds.stage-windows.warmup", [stages.warmup_min_days, stages.warmup_max_days]),
        ("thresholds.stage-windows.review-within", stages.review_within_days),
    ]
    keys_set = config.keys_set if config else frozenset()
    extra = config.ignores_for(path) if config else ()
    out = []
    for key, value in values:
        if key == "ignore" and extra:
            out.append(Effective(key, value, "file", config.path if config else None))
        elif key in keys_set or any(k.startswith(key + ".") for k in keys_set):
            out.append(Effective(key, value, "file", config.path if config else None))
        else:
            out.append(Effective(key, value, "default"))
    if plan is not None:  # the workbook's own Overview cells win over the file
        by_policy = {f"thresholds.{attr.replace('_', '-')}": field_key for field_key, attr in OVERVIEW_DEFAULTS.items()}
        for index, item in enumerate(out):
            field_key = by_policy.get(item.key)
            own = getattr(plan.overview, field_key, None) if field_key else None
            if field_key and own not in (None, ""):
                cell = plan.overview_cell(field_key)
                where = None
                if cell is not None:
                    from ..core.model import a1

                    where = f"{cell[0]}!{a1(cell[1], cell[2])}"
                out[index] = Effective(item.key, own, "workbook", where)
    return out
