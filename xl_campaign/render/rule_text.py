"""One rule's documentation laid out for a terminal or a pager (``xl-campaign rule CODE``).

No Markdown reaches the reader: headings are lines of their own, paragraphs are wrapped to the width and indented,
code spans and emphasis lose their marks. :func:`lines` gives the page as lines of styled runs; :func:`plain`
joins them as text (stdout is a file or a pipe: ``xl-campaign rule DATE013 | less``) and :func:`show` prints them
with styles through rich (a terminal). Wrapping counts a Chinese character as two columns and may break between
two Chinese characters (never before closing or after opening punctuation), so Chinese paragraphs fill their lines.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from ..core.text import t
from .rule_docs import inline, is_wide, page

if TYPE_CHECKING:
    from ..core.rules import Rule

INDENT = 4
MAX_WIDTH = 100  # longer lines are hard to read, however wide the terminal
STYLES = {"title": "bold", "summary": "bold", "heading": "bold cyan", "code": "green", "em": "italic",
          "facts": "dim", "note": "dim", "text": ""}

Run = tuple[str, str]  # (text, style)

# A line does not start with closing punctuation, nor end with opening punctuation.
_NO_START = frozenset("，。、；：！？）」』”’》〉】…,.;:!?)]}%")
_NO_END = frozenset("（「『“‘《〈【([{")


def width_of(text: str) -> int:
    """Terminal columns of ``text`` (Chinese characters take two, combining marks none)."""
    return sum(0 if unicodedata.combining(c) else 2 if is_wide(c) else 1 for c in text)


def _can_break(before: str, after: str) -> bool:
    """May a line break fall between these two characters (neither of them a space)?"""
    if after in _NO_START or before in _NO_END:
        return False
    return is_wide(before) or is_wide(after)


def wrap(runs: Sequence[Run], width: int) -> list[list[Run]]:
    """Styled runs wrapped to ``width`` columns: at spaces (which are dropped at the break) and between Chinese
    characters; a word longer than the line is cut."""
    chars = [(c, style) for text, style in runs for c in text]
    pieces: list[list[tuple[str, str]]] = []  # each: a word (chars up to the next break chance) and its spaces
    for index, (char, style) in enumerate(chars):
        previous = chars[index - 1][0] if index else " "
        starts = index == 0 or (previous == " " and char != " ") or (
            char != " " and previous != " " and _can_break(previous, char))
        if starts or not pieces:
            pieces.append([])
        pieces[-1].append((char, style))
    lines: list[list[tuple[str, str]]] = [[]]
    used = 0
    for piece in pieces:
        word = [(c, s) for c, s in piece if c != " "]
        spaces = piece[len(word):]
        word_width = width_of("".join(c for c, _ in word))
        if lines[-1] and used + word_width > width:
            lines.append([])
            used = 0
        while word_width > width:  # longer than a whole line: cut it
            cut: list[tuple[str, str]] = []
            taken = 0
            for c, s in word:
                if taken + width_of(c) > width - used and cut:
                    break
                cut.append((c, s))
                taken += width_of(c)
            lines[-1].extend(cut)
            lines.append([])
            used = 0
            word = word[len(cut):]
            word_width = width_of("".join(c for c, _ in word))
        lines[-1].extend(word + spaces)
        used += width_of("".join(c for c, _ in word + spaces))
    out = []
    for line in lines:
        while line and line[-1][0] == " ":
            line.pop()
        out.append(_runs(line))
    return out


def _runs(chars: Iterable[tuple[str, str]]) -> list[Run]:
    runs: list[Run] = []
    for char, style in chars:
        if runs and runs[-1][1] == style:
            runs[-1] = (runs[-1][0] + char, style)
        else:
            runs.append((char, style))
    return runs


def _styled(text: str, base: str = "text") -> list[Run]:
    """A paragraph's inline marks as styles (the marks themselves are dropped)."""
    return [(part, base if kind == "text" else kind) for kind, part in inline(text)]


def lines(r: Rule, lang: str, width: int = 80) -> list[list[Run]]:
    """The page of ``r`` in ``lang`` as lines of styled runs, at most ``width`` columns wide."""
    blocks = page(r, lang)
    width = max(20, min(width, MAX_WIDTH))
    out: list[list[Run]] = []
    head: list[Run] = [(f"{blocks.code}  {blocks.name}", "title")]
    if blocks.title:
        head += [("  ", "text"), (blocks.title, "title")]
    out += wrap(head, width)
    out += wrap(_styled(blocks.summary + t(lang, "。", "."), "summary"), width)
    facts: list[Run] = []  # label and value stay together on one line
    for label, value in blocks.facts:
        fact = [(label + t(lang, "：", ": "), "facts"), *_styled(value, "facts")]
        if facts and width_of("".join(text for text, _ in facts + fact)) + 5 > width:
            out.append(facts)
            facts = []
        facts += [("  ·  ", "facts")] * bool(facts) + fact
    out.append(facts)
    for heading, paragraphs in blocks.sections:
        out += [[], [(heading, "heading")]]
        for number, paragraph in enumerate(paragraphs):
            if number:
                out.append([])
            out += [[(" " * INDENT, "text"), *line] for line in wrap(_styled(paragraph), width - INDENT)]
    out += [[], [(blocks.other_command, "note")]]
    return out


def plain(r: Rule, lang: str, width: int = 80) -> str:
    """The page as plain text (no marks, no escape codes), ending with a newline."""
    return "".join("".join(text for text, _ in line) + "\n" for line in lines(r, lang, width))


def show(r: Rule, lang: str, console: Any) -> None:
    """Print the page with styles on a rich ``console`` (a terminal), wrapped to its width."""
    from rich.text import Text

    for line in lines(r, lang, console.width):
        text = Text(no_wrap=True, overflow="ignore")
        for part, style in line:
            text.append(part, style=STYLES.get(style, ""))
        console.print(text)
