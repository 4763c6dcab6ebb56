"""CSL-JSON/YAML reader and writer: lossless round trips and schema validity."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st
from strategies import records

from citetool import dumps, loads
from citetool.csljson import from_csl, to_csl
from citetool.errors import Level, ReadError
from citetool.model import Name, Record

SCHEMA = json.loads((Path(__file__).parent / "data/schema/csl-data.json").read_text())


def validate(items: list[dict]) -> None:
    jsonschema.validate(items, SCHEMA)


@given(records())
def test_record_csljson_record_round_trip_is_lossless(record: Record) -> None:
    text = dumps([record], "csljson")
    again = loads(text, fmt="csljson").records
    assert again == [record]


@given(records())
def test_csljson_output_is_valid_against_the_official_schema(record: Record) -> None:
    validate(json.loads(dumps([record], "csljson")))


@given(records())
def test_cslyaml_round_trip(record: Record) -> None:
    text = dumps([record], "cslyaml")
    assert loads(text, fmt="cslyaml").records == [record]


def test_foreign_csljson_round_trips_unchanged() -> None:
    """Every variable of a citeproc-js style item survives read -> write as it was."""
    item = {
        "id": "ITEM-1", "type": "chapter", "title": "On <i>Things</i>",
        "container-title": "Book", "collection-title": "Series", "volume": 3, "page": "1-10",
        "author": [{"family": "Berg", "given": "Jan", "non-dropping-particle": "van der"},
                   {"literal": "World Health Organization"}],
        "editor": [{"family": "Doe", "given": "Jane", "suffix": "Jr.", "comma-suffix": True}],
        "issued": {"date-parts": [[2020, 5, 1]]}, "accessed": {"date-parts": [[2021, 1, 2]]},
        "original-date": {"literal": "Spring 1901"}, "abstract": "A.", "keyword": "a, b",
        "note": "n", "DOI": "10.1/x", "ISBN": "978-3-16-148410-0", "language": "en-GB",
        "event-place": "Kraków", "number-of-pages": "300", "edition": 2,
        "custom": {"my-key": [1, 2]},
    }
    out = json.loads(dumps(loads(json.dumps([item])).records, "csljson"))
    assert out == [item]
    validate(out)


def test_custom_keeps_affiliation_orcid_translations_and_languages() -> None:
    record = Record(
        id="b", type="article-journal", fields={"title": "Relacje", "language": "pl"},
        names={"author": (Name(family="Bielicki", given="Paweł",
                               affiliation=("Instytut",), orcid="0000-0002-1825-0097"),)},
        titles={"en": "Relations"}, abstracts={"pl": "Po polsku.", "en": "In English."},
        keywords={"en": ("Russia",), "pl": ("Rosja",)},
    )
    item = to_csl(record)
    assert item["abstract"] == "Po polsku."
    assert item["keyword"] == "Russia, Rosja"
    assert item["custom"]["names"]["author"][0]["affiliation"] == ["Instytut"]
    assert item["custom"]["titles"] == {"en": "Relations"}
    assert from_csl(item) == record
    engine_item = to_csl(record, custom=False)
    assert engine_item["translated-title"] == "Relations" and "custom" not in engine_item


def test_number_variables_keep_their_json_type() -> None:
    out = json.loads(dumps(loads('[{"id": "a", "type": "book", "volume": 66}]').records,
                           "csljson"))
    assert out[0]["volume"] == 66


def test_bad_item_is_reported_with_its_line_and_skipped() -> None:
    text = '[\n {"id": "good", "type": "book"},\n {"id": "bad", "author": "Smith"},\n' \
           ' {"id": "bad2", "issued": 2020}\n]'
    result = loads(text, source="x.json")
    assert [r.id for r in result.records] == ["good"]
    errors = [d for d in result.diagnostics if d.level == Level.ERROR]
    assert [d.line for d in errors] == [3, 4]
    assert "'author'" in errors[0].message and "Smith" in errors[0].message
    assert "'issued'" in errors[1].message


def test_invalid_json_names_line() -> None:
    with pytest.raises(ReadError) as err:
        loads('[\n{"id": "a",,}\n]', fmt="csljson", source="x.json")
    assert err.value.line == 2
    assert str(err.value).startswith("x.json:2: invalid JSON")


def test_single_object_and_pandoc_yaml_references() -> None:
    assert loads('{"id": "a", "type": "book"}').records[0].id == "a"
    yaml_text = "---\nreferences:\n- id: a\n  type: book\n  issued: 2020-05-01\n...\n"
    rec = loads(yaml_text, fmt="cslyaml").records[0]
    assert rec.issued is not None and rec.issued.parts == ((2020, 5, 1),)


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4)
    | st.tuples(children, children)
    | st.dictionaries(st.text(max_size=6), children, max_size=4),
    max_leaves=25,
)


@given(_json_values, st.sampled_from([2, 0, 4]))
def test_fast_indented_json_is_json_dumps_byte_for_byte(value: object, indent: int) -> None:
    """The writer's own indenting encoder must print exactly what json.dumps prints."""
    from citetool.writers.csljson import dumps_indented

    assert dumps_indented(value, indent) == json.dumps(value, ensure_ascii=False, indent=indent)


def test_fast_indented_json_on_the_writer_output(seed_path: Path) -> None:
    from citetool.writers.csljson import dumps_indented

    corpus = Path(__file__).parent / "data" / "bib" / "biblatex-examples.bib"
    items = json.loads(dumps(loads(corpus.read_text("utf-8"), fmt="bibtex").records, "csljson"))
    items += json.loads(dumps(loads(seed_path.read_text("utf-8")).records, "csljson"))
    assert len(items) > 80
    assert dumps_indented(items) == json.dumps(items, ensure_ascii=False, indent=2)
    assert dumps_indented({1: "a"}) == json.dumps({1: "a"}, indent=2)  # falls back
