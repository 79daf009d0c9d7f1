"""What a new workbook is filled with: the starter plan (``new --launch``) and the example campaign (``--example``).

Content is plain values keyed by the column keys of the sheet declarations, exactly as a person would type them
into the cells (including the source document's own habits: ``*小明`` owners, ``活动全程`` as a due date, the
truncated status ``未开``). The template writer writes it; the reader must give it back.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from .schedule import DEFAULT_CAMPAIGN_DAYS, default_tasks
from .text import t
from .vocab import CATEGORY, CHANNEL_TYPE, ROLE, STAGE, STATUS, YES_NO
from .workdays import calendar_around, plan_region

Row = dict[str, Any]


@dataclass
class Content:
    """Values for a new workbook: the overview form and the rows of each table (spec key → rows)."""

    lang: str
    overview: Row = field(default_factory=dict)
    tables: dict[str, list[Row]] = field(default_factory=dict)


_pick = t


def starter(lang: str, name: str | None = None, launch: date | None = None, days: int | None = None) -> Content:
    """A fresh plan: the overview (with the four stages scheduled when ``launch`` is given) and empty tables."""
    content = Content(lang)
    content.overview = {
        "name": name or _pick(lang, "新品推广活动", "Product promotion campaign"),
        "currency": "CNY",
        "reserve_target": 0.12,
    }
    region = plan_region(None, lang)
    if region:
        content.overview["region"] = region
    if launch is not None:
        end = launch + timedelta(days=(days or DEFAULT_CAMPAIGN_DAYS) - 1)
        content.overview.update(launch=launch, end=end)
        holidays = calendar_around(region, launch - timedelta(days=30), end + timedelta(days=30), lang)
        content.tables["tasks"] = [
            {
                "id": t.id,
                "stage": STAGE.label(t.stage, lang),
                "module": _pick(lang, t.module_zh, t.module_en),
                "task": _pick(lang, t.task_zh, t.task_en),
                "owner": None,
                "start": t.start,
                "end": t.end,
                "status": STATUS.label("not_started", lang),
                "progress": 0,
                "milestone": YES_NO.label("yes", lang) if t.milestone else None,
                "depends_on": ", ".join(t.depends_on) or None,
                "deliverable": _pick(lang, t.deliverable_zh, t.deliverable_en) or None,
            }
            for t in default_tasks(launch, end, holidays)
        ]
    return content


# --- the example campaign --------------------------------------------------------------------------------
# Built on SEED.md's own rows (owners 小明/小红/小刚/小丽, dates in May 2024, "曝光量≥50万，点击率≥3%",
# 60% of channel budget on short video and 30% on KOL, a 12% reserve, target sales 1,000,000).

_PEOPLE: dict[str, tuple[str, str, str, str, str]] = {  # key: (zh, en, role, dept zh, dept en)
    "lead": ("王芳", "Wang Fang", "lead", "市场部", "Marketing"),
    "ming": ("小明", "Xiao Ming", "planning", "市场部", "Marketing"),
    "hong": ("小红", "Xiao Hong", "execution", "运营部", "Operations"),
    "gang": ("小刚", "Xiao Gang", "design", "设计部", "Design"),
    "li": ("小丽", "Xiao Li", "service", "客服部", "Customer service"),
    "jie": ("小杰", "Xiao Jie", "data", "数据部", "Data"),
}
_CHANNELS = {  # key: (zh, en, type, share, impressions, clicks, conversions, revenue)
    "video": ("短视频平台", "Short video", "online", 0.6, 500_000, 15_000, 1_500, 600_000),
    "kol": ("KOL", "KOL", "online", 0.3, 200_000, 8_000, 1_200, 450_000),
    "wechat": ("公众号", "WeChat OA", "online", 0.1, 100_000, 3_000, 300, 150_000),
}
EXAMPLE_LAUNCH = date(2024, 5, 16)
EXAMPLE_END = date(2024, 5, 31)
EXAMPLE_AS_OF = date(2024, 5, 24)


def _who(key: str, lang: str, star: bool = False) -> str:
    name = t(lang, _PEOPLE[key][0], _PEOPLE[key][1])
    return f"*{name}" if star else name


def _channel(key: str, lang: str) -> str:
    return t(lang, str(_CHANNELS[key][0]), str(_CHANNELS[key][1]))


def example(lang: str) -> Content:
    """A realistic mid-campaign workbook (status date 2024-05-24) in ``lang``."""
    d = date
    content = Content(lang)
    content.overview = {
        "name": _pick(lang, "618 新品推广活动", "618 new product promotion"),
        "theme": _pick(lang, "焕新一夏，邀友有礼", "Fresh summer, invite and win"),
        "product": _pick(lang, "智能保温杯 X1", "Smart thermos X1"),
        "lifecycle": _pick(lang, "新品上市", "New launch"),
        "launch": EXAMPLE_LAUNCH,
        "end": EXAMPLE_END,
        "owner": _who("lead", lang),
        "currency": "CNY",
        "total_budget": 500_000,
        "reserve_target": 0.12,
        "as_of": EXAMPLE_AS_OF,
        "region": "CN",
    }
    content.tables["goals"] = [
        {"metric": _pick(lang, "新增用户", "New users"), "target": 10_000, "unit": _pick(lang, "人", "users"),
         "note": _pick(lang, "活动期间", "During the campaign")},
        {"metric": _pick(lang, "销售额", "Revenue"), "target": "+25%", "unit": _pick(lang, "元", "CNY"),
         "baseline": 800_000, "note": _pick(lang, "较上次活动（80万）+25%，即 100万", "+25% on the last campaign "
                                          "(800,000): 1,000,000")},
        {"metric": _pick(lang, "曝光量", "Impressions"), "target": 800_000, "unit": _pick(lang, "次", "views"),
         "note": None},
        {"metric": _pick(lang, "点击率", "CTR"), "target": 0.03, "unit": "%", "note": None},
        {"metric": "ROI", "target": "1:4", "unit": None,
         "note": _pick(lang, "销售额 : 投放花费，按源文档的写法", "revenue : spend, the source's way")},
    ]
    content.tables["team"] = [
        {"name": _who(k, lang), "role": ROLE.label(p[2], lang), "department": t(lang, p[3], p[4]),
         "contact": f"{k}@example.com"}
        for k, p in _PEOPLE.items()
    ]
    st = {k: STATUS.label(k, lang) for k in STATUS.keys()}
    yes = YES_NO.label("yes", lang)

    def task(tid: str, stage: str, module: tuple[str, str], text: tuple[str, str], owner: str,
             start: date, end: Any, status: Any, progress: float, *, star: bool = False,
             depts: tuple[str, str] | None = None, milestone: bool = False, deps: str | None = None,
             deliverable: tuple[str, str] | None = None) -> Row:
        return {
            "id": tid, "stage": STAGE.label(stage, lang), "module": _pick(lang, *module),
            "task": _pick(lang, *text), "owner": _who(owner, lang, star),
            "departments": _pick(lang, *depts) if depts else None, "start": start, "end": end,
            "status": status, "progress": progress, "milestone": yes if milestone else None,
            "depends_on": deps, "deliverable": _pick(lang, *deliverable) if deliverable else None,
        }

    whole = _pick(lang, "活动全程", "Whole campaign")
    content.tables["tasks"] = [
        task("T01", "research", ("前期调研", "Research"), ("目标用户画像分析", "Target user persona"), "ming",
             d(2024, 5, 1), d(2024, 5, 5), st["done"], 1, star=True),
        task("T02", "research", ("目标设定", "Goals"), ("设定SMART目标与核心KPI", "Set SMART goals and core KPIs"),
             "lead", d(2024, 5, 6), d(2024, 5, 7), st["done"], 1, milestone=True, deps="T01"),
        task("T03", "planning", ("方案策划", "Planning"), ("活动主题、规则、流程设计", "Theme, rules and flow design"),
             "ming", d(2024, 5, 9), d(2024, 5, 10), st["done"], 1, star=True,
             depts=("市场部、设计部", "Marketing, Design"), deps="T02",
             deliverable=("输出《活动方案V1.0》及评审意见", "Campaign plan v1.0 with review comments")),
        task("T04", "planning", ("物料准备", "Materials"), ("活动海报、H5页面制作", "Posters and H5 page"), "gang",
             d(2024, 5, 11), d(2024, 5, 12), st["done"], 1, star=True, depts=("设计部、技术部", "Design, Tech"),
             deps="T03", deliverable=("素材符合品牌调性，H5无bug", "On-brand assets, H5 page without bugs")),
        task("T05", "planning", ("资源统筹", "Resources"), ("人员、物料、渠道与预算统筹", "People, materials, channels, budget"),
             "lead", d(2024, 5, 9), d(2024, 5, 12), st["done"], 1, milestone=True, deps="T02"),
        task("T06", "planning", ("物料准备", "Materials"), ("线下展架制作", "Offline display stands"), "gang",
             d(2024, 5, 12), d(2024, 5, 14), st["in_progress"], 0.8, deps="T03"),
        task("T07", "warmup", ("预热", "Warm-up"), ("悬念海报与倒计时发布", "Teasers and countdown"), "hong",
             d(2024, 5, 13), d(2024, 5, 15), st["done"], 1, deps="T04"),
        task("T08", "warmup", ("预热", "Warm-up"), ("测试报名/支付流程", "Test sign-up and payment flow"), "hong",
             d(2024, 5, 13), d(2024, 5, 14), st["done"], 1, depts=("技术部", "Tech"), deps="T04"),
        task("T09", "burst", ("渠道执行", "Channels"), ("短视频平台内容投放与优化", "Short-video content and optimisation"),
             "hong", d(2024, 5, 16), d(2024, 5, 20), st["done"], 1, star=True, depts=("运营部", "Operations"),
             milestone=True, deps="T07", deliverable=("曝光量≥50万，点击率≥3%", "Impressions ≥ 500k, CTR ≥ 3%")),
        task("T10", "burst", ("渠道执行", "Channels"), ("KOL合作直播带货", "KOL live-stream selling"), "hong",
             d(2024, 5, 18), d(2024, 5, 27), st["in_progress"], 0.6, deps="T07",
             deliverable=("曝光量≥20万，转化数≥1200", "Impressions ≥ 200k, conversions ≥ 1200")),
        task("T11", "burst", ("数据监控", "Monitoring"), ("每日数据监控与进度同步", "Daily monitoring and progress sync"),
             "jie", d(2024, 5, 16), d(2024, 5, 27), st["in_progress"], 0.7),
        task("T12", "burst", ("客服支持", "Customer service"), ("用户咨询解答、问题记录", "Answer questions, log problems"),
             "li", d(2024, 5, 16), whole, st["in_progress"], 0.5, star=True, depts=("客服部", "Customer service"),
             deliverable=("响应时长≤30分钟，问题解决率≥95%", "Response ≤ 30 min, resolution rate ≥ 95%")),
        task("T13", "continuation", ("二次触达", "Re-engagement"),
             ("二次触达未参与用户、“最后24小时”推送", "Re-reach non-participants, last-24-hours push"), "hong",
             d(2024, 5, 28), d(2024, 5, 31), _pick(lang, "未开", "Not start"), 0),
        task("T14", "continuation", ("用户反馈", "Feedback"), ("收集用户反馈", "Collect user feedback"), "li",
             d(2024, 5, 28), d(2024, 5, 31), st["not_started"], 0),
        task("T15", "review", ("复盘", "Review"), ("目标与实际对比、渠道ROI分析", "Target vs actual, ROI by channel"),
             "jie", d(2024, 6, 1), d(2024, 6, 4), st["not_started"], 0, deps="T13"),
        task("T16", "review", ("复盘", "Review"), ("输出复盘报告并沉淀知识库", "Review report and knowledge base"),
             "lead", d(2024, 6, 4), d(2024, 6, 7), st["not_started"], 0, milestone=True, deps="T15"),
    ]
    content.tables["materials"] = [
        {"name": _pick(lang, "宣传海报", "Poster"), "spec": "A2", "quantity": 200, "due": d(2024, 5, 12),
         "owner": _who("gang", lang), "task_id": "T04", "status": st["done"], "note": None},
        {"name": _pick(lang, "短视频", "Short videos"), "spec": _pick(lang, "60秒竖屏", "60 s vertical"),
         "quantity": 5, "due": d(2024, 5, 12), "owner": _who("gang", lang), "task_id": "T09",
         "status": st["done"], "note": None},
        {"name": _pick(lang, "H5页面", "H5 page"), "spec": _pick(lang, "报名+支付", "Sign-up + payment"),
         "quantity": 1, "due": d(2024, 5, 12), "owner": _who("gang", lang), "task_id": "T04",
         "status": st["done"], "note": None},
        {"name": _pick(lang, "礼品", "Gifts"), "spec": _pick(lang, "定制帆布袋", "Custom tote bag"), "quantity": 1000,
         "due": d(2024, 5, 15), "owner": _who("li", lang), "task_id": "T10", "status": st["done"], "note": None},
        {"name": _pick(lang, "线下展架", "Display stands"), "spec": "80×180cm", "quantity": 20,
         "due": d(2024, 5, 14), "owner": _who("gang", lang), "task_id": "T06", "status": st["in_progress"],
         "note": _pick(lang, "门店使用", "For stores")},
    ]
    cat = {k: CATEGORY.label(k, lang) for k in CATEGORY.keys()}
    content.tables["budget"] = [
        {"category": cat["personnel"], "item": _pick(lang, "执行人员加班与兼职", "Overtime and temporary staff"),
         "channel": None, "planned": 80_000, "actual": 50_000, "owner": _who("lead", lang), "note": None},
        {"category": cat["materials"], "item": _pick(lang, "海报、展架与礼品制作", "Posters, stands and gifts"),
         "channel": None, "planned": 40_000, "actual": 38_500, "owner": _who("gang", lang), "note": None},
        {"category": cat["channels"], "item": _pick(lang, "短视频平台投放", "Short-video ads"),
         "channel": _channel("video", lang), "planned": 150_000, "actual": 120_000, "owner": _who("hong", lang),
         "note": _pick(lang, "渠道预算的60%", "60% of channel budget")},
        {"category": cat["channels"], "item": _pick(lang, "KOL合作", "KOL partnerships"),
         "channel": _channel("kol", lang), "planned": 75_000, "actual": 60_000, "owner": _who("hong", lang),
         "note": _pick(lang, "渠道预算的30%", "30% of channel budget")},
        {"category": cat["channels"], "item": _pick(lang, "公众号推文", "WeChat articles"),
         "channel": _channel("wechat", lang), "planned": 25_000, "actual": 18_000, "owner": _who("hong", lang),
         "note": None},
        {"category": cat["rewards"], "item": _pick(lang, "抽奖奖品与优惠券", "Lucky-draw prizes and coupons"),
         "channel": None, "planned": 70_000, "actual": 52_000, "owner": _who("li", lang), "note": None},
        {"category": cat["reserve"], "item": _pick(lang, "应急资金（12%）", "Contingency reserve (12%)"),
         "channel": None, "planned": 60_000, "actual": 0, "owner": _who("lead", lang), "note": None},
    ]
    content.tables["channels"] = [
        {"name": t(lang, c[0], c[1]), "type": CHANNEL_TYPE.label(c[2], lang), "share": c[3],
         "target_impressions": c[4], "target_clicks": c[5], "target_conversions": c[6], "target_revenue": c[7]}
        for c in _CHANNELS.values()
    ]
    content.tables["kpi"] = _example_kpi(lang)
    content.tables["touchpoints"] = [
        {"name": _pick(lang, "H5活动页", "H5 campaign page"), "channel": _channel("wechat", lang),
         "metric:Visits": 18_600, "metric:Share rate": 0.15, "metric:Conversion rate": 0.082,
         "note": _pick(lang, "分享率最高：邀友有礼", "Highest share rate: invite-a-friend")},
        {"name": _pick(lang, "KOL直播间", "KOL live-stream room"), "channel": _channel("kol", lang),
         "metric:Visits": 42_000, "metric:Share rate": 0.06, "metric:Conversion rate": 0.121, "note": None},
        {"name": _pick(lang, "短视频落地页", "Short-video landing page"), "channel": _channel("video", lang),
         "metric:Visits": 65_300, "metric:Share rate": 0.04, "metric:Conversion rate": 0.047, "note": None},
    ]
    content.tables["review"] = [
        {"problem": _pick(lang, "部分地区物流延迟，奖品发放延迟", "Logistics delay in one region delayed prize delivery"),
         "cause": _pick(lang, "快递合作方区域运力不足", "Carrier short of capacity in that region"),
         "owner": _who("li", lang),
         "improvement": _pick(lang, "下次提前与物流确认时效", "Confirm lead times with the carrier next time"),
         "due": d(2024, 6, 7)},
    ]
    return content


def _example_kpi(lang: str) -> list[Row]:
    """Deterministic daily numbers: a warm-up trickle, then a burst that ramps up and eases off."""
    rows: list[Row] = []
    shape = [0.6, 0.8, 1.0, 1.3, 1.2, 1.1, 1.0, 0.9]  # burst days 16th..23rd
    base = {  # impressions, ctr, cvr, revenue per conversion, spend per day
        "video": (42_000, 0.032, 0.10, 400, 11_000),
        "kol": (16_000, 0.041, 0.15, 375, 5_500),
        "wechat": (7_000, 0.028, 0.11, 480, 1_600),
    }
    for day_of_month in range(13, 16):  # warm-up: short video only
        impressions = 9_000 + 1_500 * (day_of_month - 13)
        rows.append(_kpi_row(lang, date(2024, 5, day_of_month), "video", impressions, 0.025, 0.05, 400, 2_000))
    for offset, factor in enumerate(shape):
        day = EXAMPLE_LAUNCH + timedelta(days=offset)
        for key, (impressions, ctr, cvr, per_conversion, spend) in base.items():
            rows.append(_kpi_row(lang, day, key, round(impressions * factor), ctr, cvr, per_conversion,
                                 round(spend * factor)))
    return rows


def _kpi_row(lang: str, day: date, channel: str, impressions: int, ctr: float, cvr: float,
             per_conversion: int, spend: int) -> Row:
    clicks = round(impressions * ctr)
    conversions = round(clicks * cvr)
    return {"date": day, "channel": _channel(channel, lang), "impressions": impressions, "clicks": clicks,
            "conversions": conversions, "revenue": conversions * per_conversion, "spend": spend,
            "new_users": round(conversions * 1.6)}
