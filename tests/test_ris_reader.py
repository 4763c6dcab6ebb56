"""RIS reader: real files (rispy's test data, a bibutils export) and every RIS pitfall from
``pitfalls.md`` (BOM, cp1250 from EndNote, CRLF, no final ER, a corrupt record among good
ones, Y2 is not the year, AU/A1-A4 order)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from citetool.errors import Level
from citetool.io import decode, read_source
from citetool.model import Date, Name
from citetool.readers.ris import read
from citetool.registry import registry

DATA = Path(__file__).parent / "data" / "ris"
FIXTURES = Path(__file__).parent / "fixtures" / "ris"


def one(text: str):  # type: ignore[no-untyped-def]
    result = read(text, "test.ris")
    assert len(result.records) == 1, result
    return result.records[0]


# --- real files -------------------------------------------------------------------------


def test_rispy_full_example() -> None:
    result = read((DATA / "rispy-example_full.ris").read_text("utf-8"), "full.ris")
    first, second = result.records
    assert first.id == "12345" and first.type == "article-journal"
    assert first.title == "Title of reference"
    # A1 lines are authors, in file order; A2 in a JOUR is an editor
    assert [n.family for n in first.names["author"]] == ["Marx", "Lindgren"]
    assert first.names["author"][0] == Name(family="Marx", given="Karl")
    assert first.names["editor"] == (Name(family="Glattauer", given="Daniel"),)
    assert first.issued == Date.of(2014)  # Y1 "2014//"
    assert first.abstract.startswith("BACKGROUND: Lorem ipsum")  # N2
    assert first.keywords[""] == ("Pippi", "Nordwind", "Piraten")
    assert first.fields["container-title"] == "Lorem"  # JF
    assert first.fields["container-title-short"] == "lorem"  # JA
    assert first.fields["page"] == "e0815"
    assert first.fields["ISSN"] == "1932-6208"
    assert first.fields["number"] == "1008150341"  # M1
    assert first.fields["URL"] == "http://example_url.com"
    assert first.extra["ris:L2"] == "http://example.com"  # kept, written back
    assert second.issued == Date.of(2006)
    # the "1." and "2." record numbers between records are not reported as junk;
    # the repeated ID is
    assert [d.code for d in result.diagnostics] == [""]
    assert "duplicate ID '12345'" in result.diagnostics[0].message
    assert result.diagnostics[0].line == 27


def test_rispy_bom_example_read_without_help_from_io() -> None:
    raw = (DATA / "rispy-example_bom.ris").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    record = one(raw.decode("utf-8"))  # BOM still in the text: the reader drops it
    assert record.fields["DOI"] == "10.1186/s40981-020-0316-0"
    assert registry.detect(raw.decode("utf-8")).name == "ris"


def test_rispy_multiline_example() -> None:
    result = read((DATA / "rispy-example_multiline.ris").read_text("utf-8"), "multi.ris")
    assert len(result.records) == 3 and not result.diagnostics
    first, second, third = result.records
    assert first.abstract == "first line, ER then second line and at the end the last line"
    # continuation lines of free text keep their line breaks
    assert second.abstract == "first line,\nER then second line and at the end\nthe last line"
    # "ER then ..." at the start of a line is text, not the end of the record
    assert third.abstract == second.abstract
    for record in result.records:
        assert record.fields["note"] == "first line\n* second line\n* last line"


def test_rispy_utf_chars_example() -> None:
    record = one((DATA / "rispy-example_utf_chars.ris").read_text("utf-8"))
    assert record.type == "article-journal"  # "TY  - Journal Article"
    assert record.names["author"][0] == Name(family="Dobrokhotova", given="Yu E.")
    assert record.fields["volume"] == "8"  # the non-standard VO tag
    assert record.fields["page"] == "52-57"
    assert record.fields["title-short"].startswith("Состояние рецепторного")
    assert record.fields["note"] == "Ä,Ö,Ü,ä,ö,ü,ß"
    assert record.abstract.splitlines()[1].startswith("The state of the receptor")


def test_bibutils_export_sample() -> None:
    src = read_source(str(DATA / "cdl-bibliography.bibutils.sample.ris"))
    result = read(src.text, src.name)
    assert len(result.records) == 150
    assert not [d for d in result.diagnostics if d.level >= Level.WARNING]
    types = Counter(r.type for r in result.records)
    assert types == {
        "article-journal": 137,
        "book": 4,
        "chapter": 2,
        "paper-conference": 1,
        "report": 2,
        "document": 4,
    }
    assert all(r.issued is not None and r.issued.year for r in result.records)
    by_id = {r.id: r for r in result.records}
    conf = by_id["ShafGood08"]
    assert conf.fields["container-title"].startswith("Proceedings of the 30th")  # BT
    assert conf.fields["page"] == "1632-1637"
    assert "ris:TY" not in conf.extra  # CONF is the canonical code of a conference paper
    software = by_id["Depo18"]  # bibutils' non-standard STD: a generic document, written GEN
    assert software.type == "document" and "ris:TY" not in software.extra


# --- pitfalls ---------------------------------------------------------------------------


def test_crlf_and_bom_and_no_final_er() -> None:
    raw = (
        b"\xef\xbb\xbfTY  - JOUR\r\nAU  - Doe, Jane\r\nTI  - Crlf\r\nER  - \r\n\r\n"
        b"TY  - BOOK\r\nTI  - Last record, no ER\r\nPY  - 1999\r\n"
    )
    text, _ = decode(raw, "x.ris")
    for variant in (text, "\ufeff" + text, raw.decode("utf-8")):
        result = read(variant, "x.ris")
        assert [r.title for r in result.records] == ["Crlf", "Last record, no ER"]
        assert result.records[1].issued == Date.of(1999)
        assert not [d for d in result.diagnostics if d.level >= Level.WARNING]


def test_endnote_cp1250_file_decoded_by_io() -> None:
    path = FIXTURES / "endnote-cp1250.ris"
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    src = read_source(str(path))
    assert any("cp1250" in d.message for d in src.diagnostics)
    record = one(src.text)
    assert [n.display() for n in record.names["author"]] == [
        "Paweł Bielicki",
        "Stanisław Żółkiewski",
    ]
    assert record.fields["container-title"] == "Athenaeum. Polskie Studia Politologiczne"


def test_one_corrupt_record_is_reported_with_its_line_and_the_rest_kept() -> None:
    result = read((FIXTURES / "one-corrupt-record.ris").read_text("utf-8"), "bad.ris")
    assert [r.title for r in result.records] == [
        "The first good record",
        "The second good record, whose ER is missing",
        "The third good record",
    ]
    found = {(d.level, d.line, d.code) for d in result.diagnostics}
    assert found == {(Level.ERROR, 7, "ris-no-ty"), (Level.WARNING, 16, "ris-missing-er")}
    error = next(d for d in result.diagnostics if d.level == Level.ERROR)
    assert error.format().startswith("bad.ris:7: error: tag lines without a TY line")
    third = result.records[2]
    assert third.issued == Date.of(2003)
    assert third.dates["accessed"] == Date.of(2019, 5, 1)  # Y2 is the access date


@pytest.mark.parametrize(
    ("lines", "issued"),
    [
        ("PY  - 2014//", Date.of(2014)),
        ("PY  - 2014", Date.of(2014)),
        ("DA  - 2014/05/01/", Date.of(2014, 5, 1)),
        ("DA  - 2014/05//", Date.of(2014, 5)),
        ("DA  - 2014/05", Date.of(2014, 5)),
        ("DA  - 2014/05/01", Date.of(2014, 5, 1)),
        ("Y1  - 2014/05/01/", Date.of(2014, 5, 1)),
        ("DA  - 2014-05-01", Date.of(2014, 5, 1)),
        ("DA  - May 2014", Date.of(2014, 5)),
        ("PY  - 2014\nDA  - 2014/05/01/", Date.of(2014, 5, 1)),
        ("Y1  - 2001//\nPY  - 2014", Date.of(2014)),  # PY before the old Y1
        ("Y1  - 2001//\nDA  - 2014/02//", Date.of(2014, 2)),
        ("Y2  - 2020/01/02/\nPY  - 1999", Date.of(1999)),  # Y2 never the year
        ("DA  - 2014///Spring", Date(parts=((2014,),), season="1")),
        ("DA  - ///in press", Date(literal="in press")),
    ],
)
def test_dates(lines: str, issued: Date) -> None:
    record = one(f"TY  - JOUR\n{lines}\nER  - \n")
    assert record.issued == issued


def test_y2_alone_gives_no_year() -> None:
    record = one("TY  - ELEC\nTI  - Page\nY2  - 2020/05/01/12:00:00\nER  - \n")
    assert record.issued is None
    assert record.dates["accessed"] == Date.of(2020, 5, 1)


def test_different_years_keep_the_loser() -> None:
    record = one("TY  - JOUR\nPY  - 2014\nY1  - 2001//\nER  - \n")
    assert record.issued == Date.of(2014)
    assert record.extra["ris:Y1"] == "2001//"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Bielicki, Paweł", Name(family="Bielicki", given="Paweł")),
        ("van der Berg, Jan", Name(family="Berg", given="Jan", non_dropping_particle="van der")),
        (
            "Beethoven, Ludwig van",
            Name(family="Beethoven", given="Ludwig", dropping_particle="van"),
        ),
        ("King, Martin Luther, Jr.", Name(family="King", given="Martin Luther", suffix="Jr.")),
        ("Smith, Jr., John", Name(family="Smith", given="John", suffix="Jr.")),
        ("Plato,", Name(family="Plato")),
        ("World Health Organization", Name(literal="World Health Organization")),
    ],
)
def test_names(text: str, name: Name) -> None:
    record = one(f"TY  - JOUR\nAU  - {text}\nER  - \n")
    assert record.names["author"] == (name,)


def test_creators_in_au_a1_to_a4_keep_their_order_and_roles() -> None:
    record = one(
        "TY  - CHAP\nAU  - One, A.\nA1  - Two, B.\nAU  - Three, C.\nA2  - Ed, D.\n"
        "A3  - Series, E.\nA4  - Trans, F.\nED  - Ed2, G.\nER  - \n"
    )
    assert [n.family for n in record.names["author"]] == ["One", "Two", "Three"]
    assert [n.family for n in record.names["editor"]] == ["Ed", "Ed2"]
    assert [n.family for n in record.names["collection-editor"]] == ["Series"]
    assert [n.family for n in record.names["translator"]] == ["Trans"]
    book = one("TY  - BOOK\nAU  - One, A.\nA2  - Series, E.\nA3  - Ed, D.\nER  - \n")
    assert [n.family for n in book.names["collection-editor"]] == ["Series"]
    assert [n.family for n in book.names["editor"]] == ["Ed"]
    edited = one("TY  - EDBOOK\nAU  - Ed, D.\nER  - \n")
    assert edited.type == "book" and "author" not in edited.names
    assert [n.family for n in edited.names["editor"]] == ["Ed"]


def test_fields() -> None:
    record = one(
        "TY  - JOUR\nTI  - Title\nT1  - Other title\nT2  - Journal\nJO  - J. Abbr.\n"
        "VL  - 66\nIS  - 2\nSP  - 51\nEP  - 71\nDO  - https://doi.org/10.15804/ATHENA.2020.66.04\n"
        "UR  - https://example.org/a\nL1  - https://example.org/a.pdf\n"
        "KW  - one\nKW  - two; three\n"
        "SN  - 1505-2192\nLA  - pl\nPB  - Adam Marszałek\nCY  - Toruń\nAB  - Streszczenie.\n"
        "AU  - Bielicki, Paweł\nAD  - Instytut Pileckiego\nM2  - unknown one\nM2  - unknown two\n"
        "ET  - 2nd\nN1  - A note\nER  - \n"
    )
    f = record.fields
    assert f["title"] == "Title" and record.extra["ris:T1"] == "Other title"
    assert f["container-title"] == "Journal"
    assert f["container-title-short"] == "J. Abbr."  # JO beside T2: an abbreviation
    assert (f["volume"], f["issue"], f["page"]) == ("66", "2", "51-71")
    assert f["DOI"] == "10.15804/ATHENA.2020.66.04"  # resolver dropped, case kept
    assert f["URL"] == "https://example.org/a" and record.extra["pdf"] == (
        "https://example.org/a.pdf"
    )
    assert record.keywords == {"": ("one", "two", "three")}
    assert f["ISSN"] == "1505-2192" and "ISBN" not in f
    assert f["language"] == "pl" and record.abstracts == {"pl": "Streszczenie."}
    assert (f["publisher"], f["publisher-place"]) == ("Adam Marszałek", "Toruń")
    assert record.names["author"][0].affiliation == ("Instytut Pileckiego",)
    assert record.extra["ris:M2"] == ["unknown one", "unknown two"]
    assert f["edition"] == "2nd" and f["note"] == "A note"


def test_sn_is_isbn_or_issn_by_shape_then_type() -> None:
    assert one("TY  - BOOK\nSN  - 978-83-7611-000-0\nER  -\n").fields["ISBN"]
    assert one("TY  - BOOK\nSN  - 1505-2192\nER  -\n").fields["ISSN"] == "1505-2192"
    assert one("TY  - JOUR\nSN  - 0-19-852663-6\nER  -\n").fields["ISBN"]
    assert one("TY  - BOOK\nSN  - n/a\nER  -\n").fields["ISBN"] == "n/a"


def test_unknown_type_is_kept_and_reported() -> None:
    result = read("TY  - WEIRD\nTI  - x\nER  - \n", "w.ris")
    assert result.records[0].type == "document"
    assert result.records[0].extra["ris:TY"] == "WEIRD"
    assert result.diagnostics[0].line == 1 and "WEIRD" in result.diagnostics[0].message


def test_stray_lines_outside_records_are_reported_once() -> None:
    result = read("garbage\nmore garbage\nTY  - JOUR\nTI  - ok\nER  - \n", "s.ris")
    assert len(result.records) == 1
    (diag,) = result.diagnostics
    assert diag.line == 1 and "2 line(s)" in diag.message


def test_empty_input_gives_no_records() -> None:
    assert read("", "e.ris").records == []


def test_sniffed_with_one_or_two_spaces_like_zotero_detects_it() -> None:
    for head in ("TY  - JOUR\nER  - \n", "TY - JOUR\nTI - x\nER - \n", "\ufeffTY  - BOOK\n"):
        assert registry.detect(head).name == "ris"
    record = one("TY - JOUR\nTI - One space\nER -\n")
    assert record.title == "One space"


def test_junk_after_ty_does_not_change_the_type() -> None:
    result = read("TY  - BOOK\njunk line\nTI  - Kept\nER  - \n", "j.ris")
    (record,) = result.records
    assert record.type == "book" and record.title == "Kept"
    assert [(d.line, d.code) for d in result.diagnostics] == [(2, "ris-stray")]
