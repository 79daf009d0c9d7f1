"""Controlled vocabularies: the values a dropdown offers, in Chinese and English, with the aliases people type.

Every vocabulary maps a stable ASCII *key* (what the core computes with) to its zh and en labels (what a
workbook shows) and to extra aliases found in real workbooks (the source document writes "未开" for
"未开始", for example). Matching is case-insensitive and ignores surrounding white space.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .text import t


@dataclass(frozen=True, slots=True)
class Term:
    """One value of a vocabulary: stable key, zh and en label, and accepted aliases."""

    key: str
    zh: str
    en: str
    aliases: tuple[str, ...] = ()

    def label(self, lang: str) -> str:
        """The label shown in a workbook of language ``lang`` ("zh" or "en")."""
        return t(lang, self.zh, self.en)


@dataclass(frozen=True)
class Vocabulary:
    """A named list of terms; ``lookup`` turns anything a user typed into a key (or None)."""

    name: str
    terms: tuple[Term, ...]
    _index: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        for term in self.terms:
            for text in (term.key, term.zh, term.en, *term.aliases):
                self._index[_fold(text)] = term.key

    def lookup(self, text: object) -> str | None:
        """The key for ``text`` if it names a term in zh, en or an alias; else None."""
        if not isinstance(text, str):
            return None
        return self._index.get(_fold(text))

    def keys(self) -> list[str]:
        return [term.key for term in self.terms]

    def term(self, key: str) -> Term:
        for term in self.terms:
            if term.key == key:
                return term
        raise KeyError(key)

    def labels(self, lang: str) -> list[str]:
        """Dropdown values for a workbook in ``lang``."""
        return [t.label(lang) for t in self.terms]

    def label(self, key: str, lang: str) -> str:
        return self.term(key).label(lang)

    def prefix_of(self, text: str) -> str | None:
        """The one term whose zh or en label starts with ``text`` (at least 2 characters), else None."""
        folded = _fold(text)
        if len(folded) < 2:
            return None
        hits = {t.key for t in self.terms if _fold(t.zh).startswith(folded) or _fold(t.en).startswith(folded)}
        return hits.pop() if len(hits) == 1 else None

    def suggest(self, text: str) -> str | None:
        """The closest term label for an unknown value (prefix or close spelling), for a hint."""
        import difflib

        folded = _fold(text)
        if not folded:
            return None
        for alias, key in self._index.items():
            if alias.startswith(folded) or folded.startswith(alias):
                return key
        close = difflib.get_close_matches(folded, list(self._index), n=1, cutoff=0.6)
        return self._index[close[0]] if close else None


def _fold(text: str) -> str:
    return " ".join(text.strip().lower().split())


STATUS = Vocabulary(
    "status",
    (
        Term("not_started", "未开始", "Not started", ("待开始", "todo", "to do")),
        Term("in_progress", "进行中", "In progress", ("进行", "执行中", "doing", "ongoing", "wip")),
        Term("done", "已完成", "Done", ("完成", "已结束", "completed", "complete", "finished")),
        Term("blocked", "受阻", "Blocked", ("阻塞", "暂停", "on hold")),
        Term("cancelled", "已取消", "Cancelled", ("取消", "canceled")),
    ),
)

# The six roles of SEED.md.
ROLE = Vocabulary(
    "role",
    (
        Term("lead", "活动总负责人", "Campaign lead", ("总负责人", "负责人", "overall owner", "owner")),
        Term("planning", "策划组", "Planning", ("策划", "planning group")),
        Term("execution", "执行组", "Execution", ("执行", "execution group", "operations")),
        Term("design", "设计组", "Design", ("设计", "design group")),
        Term("service", "客服组", "Customer service", ("客服", "customer-service group", "support")),
        Term("data", "数据组", "Data", ("数据", "data group", "analytics")),
    ),
)

# Campaign stages: SEED.md's four stages, stage 3 (execution) split into its three periods.
STAGE = Vocabulary(
    "stage",
    (
        Term("research", "前期调研", "Research & goals", ("前期调研与目标锚定", "调研", "research")),
        Term("planning", "方案细化", "Plan & resources",
             ("方案细化与资源统筹", "执行准备", "方案策划", "planning", "plan", "preparation")),
        Term("warmup", "预热期", "Warm-up", ("预热", "warm up", "warmup", "teaser")),
        Term("burst", "爆发期", "Burst", ("爆发", "执行期", "执行落地与过程管控", "launch", "peak")),
        Term("continuation", "延续期", "Continuation", ("延续", "长尾期", "tail", "follow-up")),
        Term("review", "复盘", "Review", ("复盘优化与成果沉淀", "复盘期", "总结", "retrospective")),
    ),
)

# Budget categories of SEED.md plus "other" and the contingency reserve.
CATEGORY = Vocabulary(
    "category",
    (
        Term("personnel", "人力", "Personnel", ("人员", "人力成本", "staff", "people")),
        Term("materials", "物料", "Materials", ("物料费", "material")),
        Term("channels", "渠道", "Channels", ("渠道投放", "投放", "media", "ads", "channel")),
        Term("rewards", "奖励", "Rewards", ("奖品", "礼品", "prizes", "reward")),
        Term("other", "其他", "Other", ("其它", "杂费", "misc")),
        Term("reserve", "应急资金", "Reserve", ("应急", "备用金", "预备金", "contingency", "reserve fund")),
    ),
)

CHANNEL_TYPE = Vocabulary(
    "channel_type",
    (
        Term("online", "线上", "Online", ()),
        Term("offline", "线下", "Offline", ()),
    ),
)

LIFECYCLE = Vocabulary(
    "lifecycle",
    (
        Term("launch", "新品上市", "New launch", ("导入期", "上市", "introduction")),
        Term("growth", "成长期", "Growth", ()),
        Term("mature", "成熟期", "Mature", ("maturity",)),
        Term("decline", "衰退期", "Decline", ()),
    ),
)

YES_NO = Vocabulary(
    "yes_no",
    (
        Term("yes", "是", "Yes", ("y", "true", "1", "√", "✓", "x")),
        Term("no", "否", "No", ("n", "false", "0", "")),
    ),
)

# How the Gantt counts a task's duration (the Overview's 工期计算 / Durations).
DURATION = Vocabulary(
    "duration",
    (
        Term("calendar", "日历日", "Calendar days", ("自然日", "日历天", "calendar")),
        Term("working", "工作日", "Working days", ("工作天", "working", "workdays", "business days")),
    ),
)

VOCABULARIES: dict[str, Vocabulary] = {
    v.name: v for v in (STATUS, ROLE, STAGE, CATEGORY, CHANNEL_TYPE, LIFECYCLE, YES_NO, DURATION)
}

# Text due dates that mean "for the whole campaign" (SEED.md template 1 writes 活动全程).
WHOLE_CAMPAIGN = Vocabulary(
    "whole_campaign",
    (Term("whole", "活动全程", "Whole campaign", ("全程", "整个活动期间", "活动期间", "throughout", "ongoing")),),
)
