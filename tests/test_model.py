from __future__ import annotations

import pickle

import pytest

from citetool.model import Date, FrozenMap, Name, Record


def test_record_is_immutable_and_hashable() -> None:
    r = Record(id="a", fields={"title": "T"})
    with pytest.raises(AttributeError):
        r.id = "b"  # type: ignore[misc]
    with pytest.raises(TypeError):
        r.fields["title"] = "U"  # type: ignore[index]
    assert hash(r) == hash(Record(id="a", fields={"title": "T"}))


def test_record_pickles_for_worker_processes() -> None:
    r = Record(id="a", fields={"title": "T"}, names={"author": (Name(family="Doe"),)})
    assert pickle.loads(pickle.dumps(r)) == r


def test_with_field_routes_by_csl_variable_kind() -> None:
    r = Record(id="a")
    r = r.with_field("issued", "2020-05")
    r = r.with_field("container-title", "Athenaeum")
    r = r.with_field("author", (Name(family="Bielicki", given="Paweł"),))
    r = r.with_field("keyword", "Russia; Kazakhstan, security")
    assert r.issued == Date.of(2020, 5)
    assert r.fields["container-title"] == "Athenaeum"
    assert r.author[0].family == "Bielicki"
    assert r.all_keywords() == ["Russia", "Kazakhstan", "security"]
    assert "container-title" not in r.with_field("container-title", "").fields


@pytest.mark.parametrize(
    ("text", "parts", "literal"),
    [
        ("2020", ((2020,),), ""),
        ("2020-05-01", ((2020, 5, 1),), ""),
        ("2020/2021", ((2020,), (2021,)), ""),
        ("2020-05/2020-06", ((2020, 5), (2020, 6)), ""),
        ("Spring 2020", (), "Spring 2020"),
        ("2020-13-01", (), "2020-13-01"),
    ],
)
def test_date_parse(text: str, parts: tuple[tuple[int, ...], ...], literal: str) -> None:
    date = Date.parse(text)
    assert date.parts == parts
    assert date.literal == literal


def test_date_csl_round_trip_with_strings_in_date_parts() -> None:
    date = Date.from_csl({"date-parts": [["2020", "5"]], "circa": True})
    assert date.parts == ((2020, 5),) and date.circa
    assert Date.from_csl(date.to_csl()) == date


def test_abstract_prefers_record_language() -> None:
    r = Record(id="a", fields={"language": "pl"}, abstracts={"en": "E", "pl": "P"})
    assert r.abstract == "P"
    assert Record(id="a", abstracts={"en": "E"}).abstract == "E"


def test_translated_title_prefers_english_for_non_english_records() -> None:
    r = Record(id="a", fields={"language": "pl"}, titles={"de": "D", "en": "E"})
    assert r.translated_title == "E"


def test_frozenmap_set_returns_new_map() -> None:
    m = FrozenMap({"a": 1})
    n = m.set("b", 2)
    assert dict(m) == {"a": 1} and dict(n) == {"a": 1, "b": 2}


def test_name_display() -> None:
    assert Name(family="Berg", given="Jan", non_dropping_particle="van der").display() == \
        "Jan van der Berg"
    assert Name(literal="World Health Organization").display() == "World Health Organization"
    assert Name(family="King", given="Martin", suffix="Jr.", comma_suffix=True).display() == \
        "Martin King, Jr."


def test_a_diagnostic_is_always_one_line() -> None:
    """Found by fuzzing: a BibTeX key with a line break was quoted in a warning."""
    from citetool.errors import Diagnostic, ReadError

    text = Diagnostic.warning("@{b\nielicki}: undefined macro\r", "x.bib", 6).format()
    assert text == "x.bib:6: warning: @{b\\nielicki}: undefined macro\\r"
    assert "\n" not in str(ReadError("bad\r\nvalue", "y.ris", 2))
