"""The review document (``xl-campaign review``): the stage-4 review as Markdown, ready for a knowledge base, or as
one self-contained HTML page (no script, nothing fetched), in the workbook's language."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from ..core.findings import Finding, counts_line
from ..core.review import Review, change_text, ratio_text
from ..core.text import Texts, join, t

GENERATOR = "xl-campaign review"

TEXTS = Texts({
    "title": ("活动复盘报告", "Campaign review"),
    "period": ("活动时间", "Campaign"),
    "lead": ("活动总负责人", "Campaign lead"),
    "as_of": ("状态日期", "Status date"),
    "conclusions": ("结论", "Conclusions"),
    "goals": ("目标与实际", "Target vs actual"),
    "goal": ("目标", "Goal"),
    "baseline": ("基线", "Baseline"),
    "target": ("目标值", "Target"),
    "actual": ("实际", "Actual"),
    "versus": ("对比目标", "vs target"),
    "deadline": ("截止日期", "Deadline"),
    "ranking": ("渠道 ROI 排名", "ROI by channel, ranked"),
    "rank": ("排名", "Rank"),
    "channel": ("渠道", "Channel"),
    "revenue": ("销售额", "Revenue"),
    "spend": ("花费", "Spend"),
    "ratio": ("ROI 1:N（销售额 : 花费）", "ROI 1:N (revenue : spend)"),
    "net": ("净 ROI（(销售额 − 花费) / 花费）", "Net ROI ((revenue − spend) / spend)"),
    "total": ("合计", "Total"),
    "touchpoints": ("高转化触点", "Touchpoints"),
    "touchpoint": ("触点", "Touchpoint"),
    "note": ("备注", "Note"),
    "problems": ("问题与改进", "Problems and fixes"),
    "problem": ("问题", "Problem"),
    "cause": ("原因", "Cause"),
    "owner": ("责任人", "Owner"),
    "improvement": ("改进措施", "Improvement"),
    "due": ("完成时间", "Due"),
    "findings": ("校验结果", "Checks"),
    "none": ("无", "none"),
    "generated": ("由 xl-campaign 于 {day} 生成", "Written by xl-campaign on {day}"),
})


def _day(value: date | None) -> str:
    return value.isoformat() if value else "—"


def _num(value: int | Decimal | None) -> str:
    if value is None:
        return "—"
    number = float(value)
    return f"{number:,.0f}" if abs(number) >= 100 or number == int(number) else f"{number:,.2f}"


def _pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{float(value):.1%}"


def _goal_value(metric: str | None, value: int | Decimal | None) -> str:
    if value is None:
        return "—"
    if metric == "roas":
        return ratio_text(Decimal(value))
    if metric in ("ctr", "cvr", "roi"):
        return _pct(Decimal(value))
    return _num(value)


def tables(review: Review, lang: str) -> list[tuple[str, list[str], list[list[str]]]]:
    """(section title, header, rows) of each table of the document, in order."""
    out: list[tuple[str, list[str], list[list[str]]]] = []
    goal_rows = [[g.text, _num(g.baseline), _goal_value(g.metric, g.target), _goal_value(g.metric, g.actual),
                  change_text(g.versus_target), _day(g.deadline)] for g in review.goals]
    out.append((TEXTS("goals", lang), [TEXTS(k, lang) for k in ("goal", "baseline", "target", "actual", "versus",
                                                                  "deadline")], goal_rows))
    ranking = [[str(c.rank), c.name, _num(c.revenue), _num(c.spend), c.ratio_text, _pct(c.net)]
               for c in review.ranking]
    if review.ranking:
        ranking.append(["", TEXTS("total", lang), _num(review.total.revenue), _num(review.total.spend),
                        ratio_text(review.total.roas), _pct(review.total.roi)])
    out.append((TEXTS("ranking", lang), [TEXTS(k, lang) for k in ("rank", "channel", "revenue", "spend", "ratio",
                                                                    "net")], ranking))
    rates = {top.metric: top.rate for top in review.tops}
    touch_rows = [[tp.name or "", tp.channel or ""]
                  + [("—" if n not in tp.metrics else f"{float(tp.metrics[n]):.1%}" if rates.get(n)
                      else _num(tp.metrics[n])) for n in review.metric_names] + [tp.note or ""]
                  for tp in review.touchpoints]
    out.append((TEXTS("touchpoints", lang), [TEXTS("touchpoint", lang), TEXTS("channel", lang),
                                             *review.metric_names, TEXTS("note", lang)], touch_rows))
    problem_rows = [[item.problem or "", item.cause or "", join(item.owner, lang), item.improvement or "",
                     _day(item.due)] for item in review.problems]
    out.append((TEXTS("problems", lang), [TEXTS(k, lang) for k in ("problem", "cause", "owner", "improvement",
                                                                     "due")], problem_rows))
    return out


def _header_facts(review: Review, lang: str) -> list[tuple[str, str]]:
    return [(TEXTS("period", lang), f"{_day(review.launch)} – {_day(review.end)}"),
            (TEXTS("lead", lang), join(review.lead, lang) or "—"), (TEXTS("as_of", lang), _day(review.as_of))]


def _md_cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def to_markdown(review: Review, findings: Sequence[Finding], lang: str, today: date | None = None) -> str:
    """The review as Markdown (GitHub tables), for a wiki or a knowledge base."""
    title = TEXTS("title", lang) + (f" · {review.name}" if review.name else "")
    out = [f"# {title}", ""]
    colon = t(lang, "：", ": ")
    out += [f"- **{label}**{colon}{value}" for label, value in _header_facts(review, lang)]
    out += ["", f"## {TEXTS('conclusions', lang)}", ""]
    out += [f"- {line}" for line in review.conclusions] or [f"- {TEXTS('none', lang)}"]
    for section, header, rows in tables(review, lang):
        out += ["", f"## {section}", ""]
        if not rows:
            out.append(TEXTS("none", lang))
            continue
        out.append("| " + " | ".join(map(_md_cell, header)) + " |")
        out.append("|" + "|".join("---" for _ in header) + "|")
        out += ["| " + " | ".join(map(_md_cell, row)) + " |" for row in rows]
    out += ["", f"## {TEXTS('findings', lang)}", "", counts_line(list(findings), lang), "",
            f"*{TEXTS('generated', lang, day=_day(today or date.today()))}*", ""]
    return "\n".join(out)


_CSS = """body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",Arial,sans-serif;margin:2em auto;
max-width:60em;color:#222;line-height:1.5}h1{color:#1F4E78;border-bottom:2px solid #1F4E78}h2{color:#1F4E78;
margin-top:1.6em}table{border-collapse:collapse;width:100%;margin:.5em 0}th{background:#1F4E78;color:#fff;
text-align:left}th,td{padding:.3em .6em;border:1px solid #BFBFBF}td.num{text-align:right}.up{color:#375623}
.down{color:#9C0006}dl{display:grid;grid-template-columns:max-content auto;gap:.2em 1em}dt{font-weight:bold}
footer{color:#777;font-size:.9em;margin-top:2em}"""


def to_html(review: Review, findings: Sequence[Finding], lang: str, today: date | None = None) -> str:
    """The review as one self-contained HTML page."""
    e = html.escape
    title = TEXTS("title", lang) + (f" · {review.name}" if review.name else "")
    parts = [f'<!DOCTYPE html><html lang="{t(lang, "zh-CN", "en")}"><head><meta charset="utf-8">',
             f'<meta name="generator" content="{GENERATOR}"><title>{e(title)}</title><style>{_CSS}</style></head>',
             f"<body><h1>{e(title)}</h1><dl>"]
    parts += [f"<dt>{e(label)}</dt><dd>{e(value)}</dd>" for label, value in _header_facts(review, lang)]
    parts.append(f"</dl><h2>{e(TEXTS('conclusions', lang))}</h2><ul>")
    parts += [f"<li>{e(line)}</li>" for line in review.conclusions]
    parts.append("</ul>")
    for section, header, rows in tables(review, lang):
        parts.append(f"<h2>{e(section)}</h2>")
        if not rows:
            parts.append(f"<p>{e(TEXTS('none', lang))}</p>")
            continue
        parts.append("<table><thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in header) + "</tr></thead><tbody>")
        for row in rows:
            cells = []
            for value in row:
                cls = "up" if value.startswith("+") else "down" if value.startswith("-") and value.endswith("%") \
                    else "num" if value[:1].isdigit() else ""
                cells.append(f'<td class="{cls}">{e(value)}</td>' if cls else f"<td>{e(value)}</td>")
            parts.append("<tr>" + "".join(cells) + "</tr>")
        parts.append("</tbody></table>")
    parts.append(f"<h2>{e(TEXTS('findings', lang))}</h2><p>{e(counts_line(list(findings), lang))}</p>")
    parts.append(f"<footer>{e(TEXTS('generated', lang, day=_day(today or date.today())))}</footer></body></html>")
    return "".join(parts)
