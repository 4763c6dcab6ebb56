"""PDF ligature repair: every damaged word of the seed joined, clean text left alone."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from citetool.ligatures import (
    find_repairs,
    repair_ligatures,
    repair_ligatures_counted,
    spell_out,
)

FIXTURES = Path(__file__).parent / "fixtures" / "landing"


@pytest.mark.parametrize(
    ("damaged", "repaired"),
    [
        ("Th e subject", "The subject"),
        ("Th en I raise", "Then I raise"),
        ("Th is is", "This is"),
        ("Th ese states", "These states"),
        ("the state of aff airs", "the state of affairs"),
        ("aft er the fall", "after the fall"),
        ("taking offi ce as", "taking office as"),
        ("how they aff ect security", "how they affect security"),
        ("ulegną intensyfi kacji w", "ulegną intensyfikacji w"),
        ("the fi rst fi ve", "the first five"),
        ("a fl ow of", "a flow of"),
        ("an affl uent society", "an affluent society"),
        ("a diffi cult case", "a difficult case"),
        ("the eff ect", "the effect"),
        ("bett er results", "better results"),
        ("a self-eff acing man", "a self-effacing man"),
        ("fi nansowanie gmin", "finansowanie gmin"),
        ("Aff airs of State", "Affairs of State"),
        ("fl uff y", "fluffy"),  # two ligatures in one word: two passes
        ("diff erent signifi cance.", "different significance."),
        ("fi ft y", "fifty"),  # a chain of three pieces
        ("fi lozofi i", "filozofii"),
        ("soft ware", "software"),  # two words, but never side by side in clean text
        ("the stiff est test", "the stiffest test"),
        ("eff ect-based", "effect-based"),
    ],
)
def test_damaged_words_are_joined(damaged: str, repaired: str) -> None:
    assert repair_ligatures(damaged) == repaired


@pytest.mark.parametrize(
    "clean",
    [
        "the fire",
        "if I were",
        "a plate of fish",
        "the food left over",
        "took off ice skates",  # "off ice" is two words: never joined into "office"
        "a soft ball and a bath robe",
        "the staff and students",
        "Th. Mann and his brother",  # an abbreviation, not a ligature split
        "THE END",
        "the sci-fi novels",
        "Scott is here",
        "Matt went home",
        "off the record",
        "lift off",
        "the gift of",
    ],
)
def test_clean_phrases_are_unchanged(clean: str) -> None:
    assert repair_ligatures(clean) == clean


@pytest.mark.parametrize("name", ["ligatures-clean-en.txt", "ligatures-clean-pl.txt"])
def test_clean_corpus_is_unchanged(name: str) -> None:
    text = (FIXTURES / name).read_text(encoding="utf-8")
    # the corpus does contain the shapes that repair looks at
    assert re.search(r"(?:ff|fi|fl|ft|tt) [a-z]", text)
    repaired, repairs = repair_ligatures_counted(text)
    assert repairs == []
    assert repaired == text


def test_seed_every_damaged_word_repaired() -> None:
    text = (FIXTURES / "seed-layout-a.txt").read_text(encoding="utf-8")
    repaired, repairs = repair_ligatures_counted(text)
    assert sorted(r.before for r in repairs) == sorted(
        ["intensyfi kacji", "Th e", "Th e", "aff airs", "aft er", "aft er", "Th en", "aft er",
         "offi ce", "aff ect"]
    )
    # nothing of the damage is left: no "Th " + lower case, no ligature + space + fragment
    assert not re.search(r"\bTh [a-z]", repaired)
    for fragment in ("aff airs", "aft er", "offi ce", "aff ect", "intensyfi kacji"):
        assert fragment not in repaired
    # and nothing else changed: the text differs only where a space was removed
    assert repaired.replace(" ", "") == text.replace(" ", "")
    assert len(text) - len(repaired) == len(repairs)


def test_find_repairs_reports_offsets() -> None:
    text = "x Th e y"
    (repair,) = find_repairs(text)
    assert (repair.before, repair.after, repair.offset) == ("Th e", "The", 2)


def test_non_breaking_space_split_is_joined() -> None:
    assert repair_ligatures("aff\u00a0airs") == "affairs"


def test_empty_and_whitespace() -> None:
    assert repair_ligatures("") == ""
    assert repair_ligatures("  \n ") == "  \n "


# --- properties ------------------------------------------------------------------------------


_PIECES = st.sampled_from(
    ["Th", "e", "en", "aff", "airs", "aft", "er", "offi", "ce", "off", "ice", "soft", "ware",
     "fi", "ft", "y", "the", "of", "fish", "left", "over", "Pitt", "a", "intensyfi", "kacji",
     "Staff", "x-eff", "acing", "1", ".", ",", "ąę", "fl", "uff"]
)
_TEXT = st.lists(
    st.tuples(_PIECES, st.sampled_from([" ", " ", "\u00a0", "\n", "", "  "])), max_size=30
).map(lambda parts: "".join(p + g for p, g in parts))


@given(_TEXT)
def test_repair_only_removes_single_spaces(text: str) -> None:
    repaired, repairs = repair_ligatures_counted(text)
    # the letters are the same, in the same order; only gaps inside repaired words went
    assert repaired.replace(" ", "").replace("\u00a0", "") == text.replace(" ", "").replace(
        "\u00a0", ""
    )
    assert len(text) - len(repaired) == sum(len(r.before) - len(r.after) for r in repairs)


@given(st.text(max_size=200))
def test_repair_never_fails_on_any_text(text: str) -> None:
    repaired = repair_ligatures(text)
    assert repaired.replace(" ", "").replace("\u00a0", "") == spell_out(text).replace(
        " ", ""
    ).replace("\u00a0", "")


def test_ligature_characters_are_spelled_out() -> None:
    assert repair_ligatures("the oﬃce of ﬁnance, ﬂow, aﬀairs, baﬄe") == (
        "the office of finance, flow, affairs, baffle"
    )
    assert repair_ligatures("oﬃ ce") == "office"  # a character and a split together
