"""A small SVG writer and the chart shapes the HTML report draws: horizontal bars, grouped columns, a 100% bar,
a line chart and the axis ticks they share.

Hand-written SVG rather than matplotlib: the page stays one light text file (a chart is a few kilobytes, not a
base64 PNG), it is sharp at any zoom and in print, its text is real text (searchable, copyable, drawn with the
reader's own CJK fonts, so no font has to be found or embedded), and nothing heavy is imported (matplotlib takes
about half a second to import and needs a CJK font on the machine that makes the report). Every chart has a
``<title>`` and ``role="img"`` for screen readers, and each mark a ``<title>`` tooltip with its exact value.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

FONT = ("-apple-system, 'Segoe UI', 'Noto Sans CJK SC', 'Noto Sans SC', 'PingFang SC', 'Microsoft YaHei', "
        "'Source Han Sans SC', 'WenQuanYi Micro Hei', Roboto, Helvetica, Arial, sans-serif")
INK = "#1f2937"
MUTED = "#6b7280"
GRID = "#e5e7eb"
AXIS = "#9ca3af"


def num(value: float) -> str:
    """A coordinate as short text: at most two decimals, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def text_width(text: str, size: float) -> float:
    """Estimated width of ``text`` at font ``size`` px: wide (CJK) characters are one em, others about 0.6 em."""
    width = 0.0
    for char in text:
        if unicodedata.east_asian_width(char) in ("W", "F"):
            width += 1.0
        elif char in "il.,:;|!'1 ":
            width += 0.34
        elif char.isupper() or char in "mwMW%@":
            width += 0.72
        else:
            width += 0.56
    return width * size


def clip(text: str, size: float, max_width: float) -> str:
    """``text`` shortened with an ellipsis so that it fits ``max_width`` px."""
    if text_width(text, size) <= max_width:
        return text
    while text and text_width(text + "…", size) > max_width:
        text = text[:-1]
    return text + "…"


class Svg:
    """An SVG document built element by element. Attribute names use ``_`` for ``-`` (``font_size``);
    ``class_`` is ``class``. Text content is escaped."""

    def __init__(self, width: float, height: float, title: str) -> None:
        self.width = width
        self.height = height
        self.title = title
        self.parts: list[str] = []

    @staticmethod
    def _attrs(attrs: dict[str, object]) -> str:
        out = []
        for key, value in attrs.items():
            if value is None or value is False:
                continue
            name = key.rstrip("_").replace("_", "-")
            if isinstance(value, float | int) and not isinstance(value, bool):
                value = num(float(value))
            out.append(f' {name}="{escape(str(value), quote=True)}"')
        return "".join(out)

    def add(self, tag: str, content: str | None = None, tip: str | None = None, **attrs: Any) -> None:
        """One element; ``content`` is escaped text; ``tip`` becomes a ``<title>`` tooltip."""
        inner = (f"<title>{escape(tip)}</title>" if tip else "") + (escape(content) if content else "")
        if inner:
            self.parts.append(f"<{tag}{self._attrs(attrs)}>{inner}</{tag}>")
        else:
            self.parts.append(f"<{tag}{self._attrs(attrs)}/>")

    def rect(self, x: float, y: float, w: float, h: float, fill: str, tip: str | None = None,
             **attrs: object) -> None:
        self.add("rect", None, tip, x=x, y=y, width=max(0.0, w), height=max(0.0, h), fill=fill, **attrs)

    def line(self, x1: float, y1: float, x2: float, y2: float, stroke: str = AXIS, **attrs: Any) -> None:
        self.add("line", x1=x1, y1=y1, x2=x2, y2=y2, stroke=stroke, **attrs)

    def text(self, x: float, y: float, content: str, size: float = 12, fill: str = INK, anchor: str = "start",
             tip: str | None = None, **attrs: object) -> None:
        self.add("text", content, tip, x=x, y=y, font_size=size, fill=fill,
                 text_anchor=None if anchor == "start" else anchor, **attrs)

    def polyline(self, points: Sequence[tuple[float, float]], stroke: str, width: float = 2,
                 **attrs: Any) -> None:
        if not points:
            return
        self.add("polyline", points=" ".join(f"{num(x)},{num(y)}" for x, y in points), fill="none",
                 stroke=stroke, stroke_width=width, stroke_linejoin="round", stroke_linecap="round", **attrs)

    def polygon(self, points: Sequence[tuple[float, float]], fill: str, tip: str | None = None,
                **attrs: object) -> None:
        self.add("polygon", None, tip, points=" ".join(f"{num(x)},{num(y)}" for x, y in points), fill=fill,
                 **attrs)

    def circle(self, x: float, y: float, r: float, fill: str, tip: str | None = None, **attrs: object) -> None:
        self.add("circle", None, tip, cx=x, cy=y, r=r, fill=fill, **attrs)

    def raw(self, markup: str) -> None:
        self.parts.append(markup)

    def render(self, css_class: str = "chart") -> str:
        head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" role="img" '
                f'viewBox="0 0 {num(self.width)} {num(self.height)}" width="{num(self.width)}" '
                f'height="{num(self.height)}" font-family="{escape(FONT, quote=True)}">'
                f"<title>{escape(self.title)}</title>")
        return head + "".join(self.parts) + "</svg>"


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round axis values covering ``low``…``high`` (about ``count`` of them), always including 0 when in range."""
    if high < low:
        low, high = high, low
    if high == low:
        high = low + 1 if low >= 0 else 0
    raw = (high - low) / max(1, count)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step) * step
    last = math.ceil(high / step) * step
    ticks = []
    value = first
    while value <= last + step / 2:
        ticks.append(round(value, 10))
        value += step
    return ticks


@dataclass(frozen=True, slots=True)
class Bar:
    """One bar of a horizontal bar chart."""

    label: str
    value: float | None  # None: no bar, the text says why
    text: str  # shown at the end of the bar
    color: str
    tip: str = ""


def hbar_chart(bars: Sequence[Bar], title: str, *, width: float = 560, row: float = 30,
               tick_format: Callable[[float], str] = lambda v: num(v), reference: float | None = None,
               reference_label: str = "") -> str:
    """Horizontal bars from a zero line (negative values go left), labels on the left, values at the bar end;
    ``reference`` draws a dashed vertical line (a target, 100%)."""
    label_w = min(180.0, max((text_width(b.label, 12) for b in bars), default=40) + 12)
    value_w = max((text_width(b.text, 12) for b in bars), default=30) + 10
    top, bottom = 8.0, 26.0
    height = top + bottom + row * max(1, len(bars))
    svg = Svg(width, height, title)
    values = [b.value for b in bars if b.value is not None]
    extra = [reference] if reference is not None else []
    ticks = nice_ticks(min([0.0, *values, *extra]), max([0.0, *values, *extra]) or 1.0, 4)
    lo, hi = ticks[0], ticks[-1]
    x0, x1 = label_w, width - value_w
    plot_bottom = height - bottom

    def x(v: float) -> float:
        return x0 + (v - lo) / (hi - lo) * (x1 - x0)

    for tick in ticks:
        svg.line(x(tick), top, x(tick), plot_bottom, GRID if tick else AXIS)
        svg.text(x(tick), plot_bottom + 16, tick_format(tick), size=10, fill=MUTED, anchor="middle")
    for index, bar in enumerate(bars):
        y = top + index * row
        svg.text(x0 - 8, y + row / 2 + 4, clip(bar.label, 12, label_w - 12), anchor="end", tip=bar.label)
        if bar.value is None:
            svg.text(x(0) + 6, y + row / 2 + 4, bar.text, size=11, fill=MUTED)
            continue
        start, end = sorted((x(0), x(bar.value)))
        svg.rect(start, y + row * 0.18, end - start, row * 0.64, bar.color, tip=bar.tip or f"{bar.label}: {bar.text}",
                 rx=3, class_="bar")
        svg.text(end + 6, y + row / 2 + 4, bar.text, size=12, fill=INK, font_weight="600")
    if reference is not None:
        svg.line(x(reference), top - 4, x(reference), plot_bottom, "#111827", stroke_dasharray="4 3")
        if reference_label:
            svg.text(x(reference), top + 2 - 4, reference_label, size=10, fill=MUTED, anchor="middle")
    return svg.render()


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    values: Sequence[float | None]
    color: str


def column_chart(categories: Sequence[str], series: Sequence[Series], title: str, *, width: float = 560,
                 height: float = 260, tick_format: Callable[[float], str] = lambda v: num(v),
                 value_format: Callable[[float], str] | None = None) -> str:
    """Grouped vertical columns, one group per category, a legend on top; values printed above the columns
    when ``value_format`` is given."""
    svg = Svg(width, height, title)
    legend_y = 14.0
    lx = 0.0
    for s in series:
        svg.rect(lx, legend_y - 9, 10, 10, s.color, rx=2)
        svg.text(lx + 14, legend_y, s.name, size=11, fill=MUTED)
        lx += 14 + text_width(s.name, 11) + 18
    values = [v for s in series for v in s.values if v is not None]
    ticks = nice_ticks(min([0.0, *values]), max([0.0, *values]) or 1.0, 4)
    lo, hi = ticks[0], ticks[-1]
    axis_w = max(text_width(tick_format(t), 10) for t in ticks) + 8
    x0, x1 = axis_w, width - 4
    top, bottom = 34.0, height - 34
    label_size = 11.0

    def y(v: float) -> float:
        return bottom - (v - lo) / (hi - lo) * (bottom - top)

    for tick in ticks:
        svg.line(x0, y(tick), x1, y(tick), GRID if tick else AXIS)
        svg.text(x0 - 6, y(tick) + 3.5, tick_format(tick), size=10, fill=MUTED, anchor="end")
    group_w = (x1 - x0) / max(1, len(categories))
    bar_w = min(42.0, group_w * 0.8 / max(1, len(series)))
    for ci, category in enumerate(categories):
        gx = x0 + ci * group_w + (group_w - bar_w * len(series)) / 2
        for si, s in enumerate(series):
            value = s.values[ci] if ci < len(s.values) else None
            if value is None:
                continue
            bx = gx + si * bar_w
            top_y, base_y = sorted((y(value), y(0)))
            label = value_format(value) if value_format else num(value)
            svg.rect(bx + 1, top_y, bar_w - 2, base_y - top_y, s.color, tip=f"{category} · {s.name}: {label}",
                     rx=2, class_="bar")
            if value_format and bar_w >= 26:
                svg.text(bx + bar_w / 2, top_y - 4, label, size=9.5, fill=MUTED, anchor="middle")
        svg.text(x0 + ci * group_w + group_w / 2, bottom + 16, clip(category, label_size, group_w - 4),
                 size=label_size, anchor="middle", tip=category)
    return svg.render()


@dataclass(frozen=True, slots=True)
class Segment:
    label: str
    value: float
    color: str
    text: str  # the amount as shown


def share_bar(segments: Sequence[Segment], title: str, *, width: float = 1000, height: float = 86) -> str:
    """One 100% bar split into segments (how a total is allocated), with a legend under it."""
    svg = Svg(width, height, title)
    total = sum(max(0.0, s.value) for s in segments)
    x = 0.0
    bar_h = 30.0
    for s in segments:
        if s.value <= 0 or total <= 0:
            continue
        w = s.value / total * width
        share = s.value / total
        svg.rect(x, 0, w, bar_h, s.color, tip=f"{s.label}: {s.text} ({share:.1%})", class_="bar")
        caption = f"{share:.0%}"
        if text_width(caption, 11) + 6 < w:
            svg.text(x + w / 2, bar_h / 2 + 4, caption, size=11, fill="#ffffff", anchor="middle", font_weight="600")
        x += w
    lx, ly = 0.0, bar_h + 22
    for s in segments:
        item = f"{s.label} {s.text}"
        item_w = 14 + text_width(item, 11) + 18
        if lx + item_w > width and lx > 0:
            lx, ly = 0.0, ly + 20
        svg.rect(lx, ly - 9, 10, 10, s.color, rx=2)
        svg.text(lx + 14, ly, item, size=11, fill=INK if s.value > 0 else MUTED)
        lx += item_w
    svg.height = max(height, ly + 10)
    return svg.render()
