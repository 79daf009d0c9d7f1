"""The sheet declarations are complete and consistent; models follow them."""

from __future__ import annotations

import dataclasses
import re

from xl_campaign.core import model as M
from xl_campaign.core import spec as S
from xl_campaign.core.vocab import VOCABULARIES
from xl_campaign.io.reader import fold


def test_each_input_column_is_a_field_of_its_record_and_each_field_a_column() -> None:
    for spec in S.SPECS.values():
        assert spec.record is not None, spec.key
        fields = [f.name for f in dataclasses.fields(spec.record)
                  if f.name not in ("row", "problems", "positions", "cells", "metrics", "unread", "typed")]  # typed: a row as typed
        assert [c.key for c in spec.input_columns] == fields, spec.key
    # a record built with no values has the empty value of each column's type (what the reader relies on)
    task = M.Task()
    assert (task.owner, task.depends_on, task.milestone, task.start) == ([], [], False, None)
    assert M.Task().owner is not M.Task().owner


def test_table_names_are_stable_ascii_and_unique() -> None:
    names = [s.table for s in S.SPECS.values()]
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", n) for n in names)


def test_every_column_has_both_languages_and_unambiguous_names() -> None:
    for spec in S.SPECS.values():
        seen: dict[str, str] = {}
        for column in spec.columns:
            assert column.zh and column.en, (spec.key, column.key)
            for name in column.names():
                other = seen.setdefault(fold(name), column.key)
                assert other == column.key, f"{spec.key}: header {name!r} names both {other} and {column.key}"


def test_sheet_names_unique_per_language() -> None:
    for lang in ("zh", "en"):
        names = [s.name(lang) for s in S.INPUT_SPECS] + [g.name(lang) for g in (S.GUIDE, *S.GENERATED_SHEETS)]
        assert len(set(names)) == len(names)
        assert all(len(n) <= 31 for n in names)


def test_vocabulary_labels_resolve_to_their_keys() -> None:
    for vocab in VOCABULARIES.values():
        for term in vocab.terms:
            assert vocab.lookup(term.zh) == term.key
            assert vocab.lookup(term.en) == term.key
            for alias in term.aliases:
                assert vocab.lookup(alias) == term.key, (vocab.name, alias)


def test_computed_column_formulas_resolve_every_placeholder() -> None:
    for spec in S.SPECS.values():
        for column in spec.columns:
            if column.formula:
                for lang, text in S.resolve_formula(column.formula).items():
                    assert "{" not in text, (spec.key, column.key, lang, text)
