"""How every workbook the tool writes looks: one typeface system, one scale of sizes, money in the campaign's currency.

Typefaces. The body face of a Chinese workbook is 等线 (DengXian), the default of Excel's Chinese Office theme since
Office 2016, shipped with Windows 10 and later and with Office for Windows and for Mac; an English workbook uses
Calibri, the default of Office 2007–2021 on both systems. The theme of a new workbook names both: Calibri for Latin
text and 等线 for Simplified Chinese, in its heading and its body fonts (openpyxl's default theme names Cambria and
宋体). Where those faces are missing — LibreOffice on Linux — fontconfig substitutes a sans-serif face and fonts-noto-cjk's
Noto Sans CJK SC for the Chinese characters, never a serif one. Every font record of a cell names its face, so no
program falls back to its own default (the serif titles of earlier versions).

Sizes: titles 16 pt bold, section headings 12 pt bold, headers, labels and numbers 11 pt (headers and labels bold),
notes 10 pt italic grey, the Gantt's date header 9 and 8 pt.
"""

from __future__ import annotations

from ..text import is_zh

LATIN_FONT = "Calibri"
EAST_ASIAN_FONT = "等线"  # DengXian
TITLE_SIZE = 16.0
SECTION_SIZE = 12.0
BODY_SIZE = 11.0
NOTE_SIZE = 10.0
TITLE_COLOR = "1F4E78"
NOTE_COLOR = "595959"

# The currencies written with their sign in a Chinese workbook; every other amount carries its currency code.
_YUAN = ("", "CNY", "RMB", "¥", "￥", "元", "人民币")


def body_font(lang: str) -> str:
    """The face every cell of a workbook in ``lang`` names."""
    return EAST_ASIAN_FONT if is_zh(lang) else LATIN_FONT


def font_charset(lang: str) -> int | None:
    """The character set a font record declares (Excel writes 134, GB2312, for 等线 in a Chinese workbook)."""
    return 134 if is_zh(lang) else None


def currency_code(currency: str | None) -> str:
    """The Overview's currency as a code: ``CNY`` when empty or written as ¥, 元, RMB …"""
    text = (currency or "").strip()
    return "CNY" if text.upper() in _YUAN else text.upper()


def money_format(currency: str | None, lang: str, decimals: int = 2) -> str:
    """An Excel number format for amounts in ``currency`` with thousands separators: ``"¥"#,##0.00`` in a Chinese
    workbook of yuan, else the currency code before the amount (``"CNY "#,##0.00``, ``"USD "#,##0.00``)."""
    digits = "#,##0" + ("." + "0" * decimals if decimals else "")
    code = currency_code(currency)
    sign = "¥" if code == "CNY" and is_zh(lang) else f"{code} "
    return f'"{sign}"{digits}'
