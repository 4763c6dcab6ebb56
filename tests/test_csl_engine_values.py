"""The CSL engine's own text values (strings.py) and records (source.py, processor.py)."""

from __future__ import annotations

import pytest

from citetool.csl.engine.processor import Citation, EngineItem, Locator
from citetool.csl.engine.source import (
    Date,
    DateRange,
    EngineSource,
    LiteralDate,
    Name,
    VariableError,
)
from citetool.csl.engine.strings import MixedString, NoCase, String, join, seam


def test_seam_writes_a_repeated_space_or_mark_once() -> None:
    assert seam("Title.", ". Next") == " Next"
    assert seam("a ", " b") == "b"
    assert seam("a,", ",b") == "b"
    assert seam("a...", "-b") == "-b"  # only the same mark
    assert seam("", ".b") == ".b"
    assert seam("a.", "") == ""


def test_join_normalises_each_seam_and_keeps_kinds() -> None:
    assert str(join([String("Smith."), String("Title.")], ". ")) == "Smith. Title."
    assert join([], ", ") == "" and isinstance(join([], ", "), String)
    one = NoCase("x")
    assert join([one], ", ") is one
    joined = join([String("a"), NoCase("iPhone")], " ")
    assert isinstance(joined, MixedString)
    assert [type(piece) for piece in joined] == [String, str, NoCase]  # the delimiter as given


def test_adding_empty_text_gives_the_piece_itself() -> None:
    piece = String("a")
    assert piece + "" is piece and "" + piece is piece
    mixed = MixedString([piece])
    assert mixed + "" is mixed


def test_mixed_string_reads_as_its_text() -> None:
    mixed = String("Hello") + NoCase(" iPhone")
    assert str(mixed) == "Hello iPhone" and mixed[-1] == "e" and mixed[:5] == "Hello"
    assert str(mixed.upper()) == "HELLO IPHONE"
    assert str((String("a b ") + NoCase("c ")).rstrip()) == "a b c"
    assert str(MixedString("plain")) == "plain"  # built from a str: one piece


def test_case_methods_keep_the_kind_of_a_piece() -> None:
    assert isinstance(NoCase("A").lower(), NoCase) and NoCase("A").lower() == "a"
    assert isinstance(String("a").upper(), String) and not isinstance(String("a").upper(), NoCase)


def test_records_read_by_key_or_attribute_and_raise_for_missing_variables() -> None:
    source = EngineSource([{"id": "a", "type": "book", "title": "T",
                            "author": [{"family": "Doe", "given": "J."}],
                            "issued": {"date-parts": [[2001, 2, 3]]}}])
    reference = source["a"]
    assert reference.title == reference["title"] == "T"
    assert reference.key == "a" and reference.type == "book"
    assert reference.get("volume") is None
    with pytest.raises(VariableError):
        reference["volume"]
    with pytest.raises(VariableError):
        reference.volume  # noqa: B018
    with pytest.raises(AttributeError):
        reference.__deepcopy__  # noqa: B018 - dunders are never items
    assert isinstance(reference.author[0], Name)
    assert reference.author[0].parts() == ("J.", "Doe", None, None, None)
    assert Name(literal="WHO").parts() == (None, "WHO", None, None, None)
    assert reference.issued.sort_key() == "120010203"


def test_dates_sort_keys_and_kinds() -> None:
    source = EngineSource([
        {"id": "r", "issued": {"date-parts": [[1990], [1995]]}},
        {"id": "o", "issued": {"date-parts": [[1987], [0]]}},
        {"id": "l", "issued": {"literal": "Spring, 1066"}},
        {"id": "bc", "issued": {"date-parts": [[-535]]}},
    ])
    assert isinstance(source["r"]["issued"], DateRange)
    assert source["r"]["issued"].sort_key() == "119900000-119950000"
    assert source["o"]["issued"].end.is_nil()
    assert isinstance(source["l"]["issued"], LiteralDate)
    assert source["l"]["issued"].text == "Spring, 1066"
    assert source["bc"]["issued"].sort_key() == "094650000"
    assert Date(year=2000)["circa"] is False


def test_cites_link_to_their_citation() -> None:
    cite = EngineItem("Doe2020", locator=Locator("page", "12"))
    citation = Citation([cite])
    assert cite.key == "Doe2020"  # exact, not lower-cased
    assert cite.citation is citation and citation.cites == [cite]
    assert cite.has_locator and cite.locator.identifier == "12"
    assert not EngineItem("x").has_locator
