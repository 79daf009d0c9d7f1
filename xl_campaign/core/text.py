"""The two languages: one way to say a thing in zh or en, one way to decide which language to use.

Every user-facing text of xl-campaign exists in Chinese and English. A module that speaks keeps its own table of
texts beside its code (a :class:`Texts` of ``key -> (zh, en)``) or says a one-off text with :func:`t`; which
language a command speaks is decided by :func:`resolve_lang`, nowhere else. No other module compares a language
code with ``"zh"``.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable

LANGS: tuple[str, str] = ("zh", "en")
DEFAULT_LANG = "en"


def is_lang(value: object) -> bool:
    """True for a supported language code ("zh" or "en")."""
    return value in LANGS


def is_zh(lang: str | None) -> bool:
    """True when ``lang`` is Chinese (the single place that tells the two languages apart)."""
    return lang == "zh"


def t(lang: str | None, zh: str, en: str, /, **values: object) -> str:
    """``zh`` for a Chinese reader, ``en`` otherwise; ``values`` are formatted into the text when given."""
    text = zh if is_zh(lang) else en
    return text.format(**values) if values else text


class Texts(dict[str, tuple[str, str]]):
    """A table of bilingual texts (``key -> (zh, en)``) kept beside the code that says them.

    ``texts(key, lang, **values)`` is the text in ``lang`` with ``values`` formatted in; ``texts.pair(key)`` the
    two versions (for a message that is kept in both languages until its reader's language is known).
    """

    def __call__(self, key: str, lang: str | None, /, **values: object) -> str:
        zh, en = self[key]
        return t(lang, zh, en, **values)

    def pair(self, key: str, /, **values: object) -> tuple[str, str]:
        zh, en = self[key]
        return (zh.format(**values), en.format(**values)) if values else (zh, en)


def join(items: Iterable[str], lang: str | None) -> str:
    """A list said in ``lang``: ``小明、小红`` / ``Ann, Bob``."""
    return ("、" if is_zh(lang) else ", ").join(items)


def locale_lang() -> str:
    """The language of the user's environment: zh when the locale says Chinese, else en."""
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(variable)
        if value:
            return "zh" if value.lower().startswith("zh") else DEFAULT_LANG
    if sys.platform.startswith("win"):  # Windows sets no LANG: ask the C library (cheap, no import of locale's aliases)
        import locale

        name = (locale.getlocale()[0] or "").lower()
        return "zh" if name.startswith(("zh", "chinese")) else DEFAULT_LANG
    return DEFAULT_LANG


def resolve_lang(*candidates: str | None) -> str:
    """The language to speak: the first candidate that is zh or en, else the environment's (:func:`locale_lang`).

    Commands pass, in this order, the ``--lang`` option and the workbook's own language; a message about a file
    that could not be read (which has no language of its own) falls back to the environment's language.
    """
    for candidate in candidates:
        if is_lang(candidate):
            return candidate  # type: ignore[return-value]
    return locale_lang()


def quote(lang: str | None, zh: str, en: str | None = None) -> str:
    """A name quoted the way ``lang`` quotes it: ``「名称」`` / ``"name"`` (``en`` defaults to ``zh``)."""
    return f"「{zh}」" if is_zh(lang) else f'"{zh if en is None else en}"'
