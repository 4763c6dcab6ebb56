"""RIS writer: the shape other tools rely on (``TY`` first, ``ER  - `` exactly, CRLF, one
creator per line, SP/EP), the seed record's golden file, rispy reading our output, and the
loss report for what RIS cannot hold."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import rispy
from ris_seed import seed_record

from citetool.errors import Level
from citetool.model import Date, Name, Record
from citetool.readers.ris import read
from citetool.writers.ris import write

FIXTURES = Path(__file__).parent / "fixtures" / "ris"


def lines_of(record: Record) -> list[str]:
    text = write([record]).text
    return text.split("\r\n")


def losses(*records: Record) -> list[str]:
    result = write(list(records))
    assert all(d.level == Level.WARNING and d.code == "lossy" for d in result.diagnostics)
    return [d.message for d in result.diagnostics]


ARTICLE = Record(
    id="doe2020",
    type="article-journal",
    fields={
        "title": "A title",
        "container-title": "Journal of Tests",
        "page": "51-71",
        "volume": "3",
        "issue": "2",
        "DOI": "https://doi.org/10.1000/ABC.1",
        "URL": "https://example.org/?a=1&b=2",
        "language": "en",
        "ISSN": "1234-5679",
        "edition": "2",
        "note": "First line\nAU  - not a tag\nlast line",
    },
    names={
        "author": (
            Name(family="Berg", given="Jan", non_dropping_particle="van der"),
            Name(family="King", given="Martin Luther", suffix="Jr."),
            Name(family="Beethoven", given="Ludwig", dropping_particle="van"),
            Name(literal="World Health Organization"),
            Name(family="Plato"),
        )
    },
    dates={"issued": Date.of(2020, 5, 1), "accessed": Date.of(2021, 1, 2)},
    abstracts={"en": "Abstract."},
    keywords={"": ("alpha", "beta")},
)


def test_shape_crlf_ty_first_er_exact() -> None:
    text = write([ARTICLE, ARTICLE]).text
    assert "\n" not in text.replace("\r\n", "")  # CRLF only
    records = text.split("\r\n\r\n")
    assert len(records) == 2
    for chunk in records:
        lines = chunk.strip("\r\n").split("\r\n")
        assert lines[0] == "TY  - JOUR"
        assert lines[-1] == "ER  - "
        tag_lines = [line for line in lines if re.match(r"^[A-Z][A-Z0-9]  - ", line)]
        assert len(tag_lines) == len(lines) - 2  # two continuation lines of the note
    assert text.endswith("ER  - \r\n")


def test_fields_and_names() -> None:
    lines = lines_of(ARTICLE)
    assert [line for line in lines if line.startswith("AU")] == [
        "AU  - van der Berg, Jan",
        "AU  - King, Martin Luther, Jr.",
        "AU  - Beethoven, Ludwig van",
        "AU  - World Health Organization",
        "AU  - Plato,",
    ]
    for expected in (
        "SP  - 51",
        "EP  - 71",
        "PY  - 2020",
        "DA  - 2020/05/01/",
        "Y2  - 2021/01/02/",
        "DO  - 10.1000/ABC.1",
        "VL  - 3",
        "IS  - 2",
        "UR  - https://example.org/?a=1&b=2",
        "T2  - Journal of Tests",
        "TI  - A title",
        "LA  - en",
        "SN  - 1234-5679",
        "ET  - 2",
        "AB  - Abstract.",
        "KW  - alpha",
        "KW  - beta",
        "ID  - doe2020",
    ):
        assert expected in lines
    note = lines.index("N1  - First line")
    # a continuation line that looks like a tag is indented so it stays text
    assert lines[note + 1 : note + 3] == [" AU  - not a tag", "last line"]


def test_written_record_reads_back_the_same() -> None:
    (back,) = read(write([ARTICLE]).text, "x.ris").records
    expected = ARTICLE.with_field("DOI", "10.1000/ABC.1")
    assert back == expected


def test_year_only_gives_py_without_da() -> None:
    record = Record(id="x", type="book", fields={"title": "T"}, dates={"issued": Date.of(1999)})
    lines = lines_of(record)
    assert "PY  - 1999" in lines and not any(line.startswith("DA") for line in lines)
    assert "DA  - 1999/07//" in lines_of(record.with_field("issued", Date.of(1999, 7)))


def test_book_roles_and_series() -> None:
    record = Record(
        id="b",
        type="book",
        fields={
            "title": "Book",
            "collection-title": "Series",
            "number-of-pages": "320",
            "ISBN": "978-83-7611-000-0",
        },
        names={
            "author": (Name(family="A", given="B"),),
            "editor": (Name(family="E", given="F"),),
            "collection-editor": (Name(family="S", given="T"),),
            "translator": (Name(family="T", given="U"),),
        },
    )
    lines = lines_of(record)
    assert lines[0] == "TY  - BOOK"
    for expected in (
        "AU  - A, B",
        "A3  - E, F",
        "A2  - S, T",
        "A4  - T, U",
        "T2  - Series",
        "SP  - 320",
        "SN  - 978-83-7611-000-0",
    ):
        assert expected in lines
    assert read(write([record]).text).records[0] == record


def test_type_synonym_read_from_ris_is_written_back() -> None:
    text = "TY  - CPAPER\r\nTI  - Paper\r\nT2  - CogSci 2008\r\nER  - \r\n"
    record = read(text).records[0]
    assert record.type == "paper-conference"
    assert record.fields["event-title"] == "CogSci 2008"
    lines = lines_of(record)
    assert lines[0] == "TY  - CPAPER" and "T2  - CogSci 2008" in lines
    edited = read("TY  - EDBOOK\r\nAU  - Ed, D.\r\nER  - \r\n").records[0]
    assert lines_of(edited)[:3] == ["TY  - EDBOOK", "ID  - item1", "AU  - Ed, D."]


def test_conference_paper_as_the_spec_zotero_and_citation_js_read_it() -> None:
    record = Record(
        id="c",
        type="paper-conference",
        fields={
            "title": "Paper",
            "container-title": "Proceedings of CogSci",
            "event-title": "CogSci 2008",
            "publisher-place": "Mahwah, NJ",
            "event-place": "Washington",
        },
        dates={"issued": Date.of(2008)},
    )
    lines = lines_of(record)
    assert lines[0] == "TY  - CONF"
    for expected in (
        "T2  - CogSci 2008",
        "C3  - Proceedings of CogSci",
        "C1  - Mahwah, NJ",
        "CY  - Washington",
        "PY  - 2008",
        "DA  - 2008///",
    ):
        assert expected in lines
    assert read(write([record]).text).records[0] == record
    # bibutils and EndNote put the proceedings title in BT
    bibutils = read("TY  - CONF\nTI  - P\nBT  - Proc.\nCY  - Austin\nER  - \n").records[0]
    assert bibutils.fields["container-title"] == "Proc."


def test_types_outside_the_spec_are_written_as_gen() -> None:
    std = read("TY  - STD\nTI  - Software\nER  - \n").records[0]
    assert lines_of(std)[0] == "TY  - GEN"
    weird = read("TY  - WEIRD\nTI  - Odd\nER  - \n").records[0]
    assert lines_of(weird)[0] == "TY  - GEN"
    assert any("'WEIRD' (not in the RIS spec; written as GEN)" in m for m in losses(weird))


def test_seed_record_golden_file() -> None:
    """Checked by hand against the RIS spec: see tests/fixtures/ris/README.md."""
    result = write([seed_record()])
    golden = (FIXTURES / "seed-article.ris").read_bytes().decode("utf-8")
    assert result.text == golden
    assert [d.message for d in result.diagnostics] == [
        "RIS has no place for abstracts in further languages (en): 1 record (bielicki2020relacje)",
        "RIS has no place for the language of keywords (all written as KW): 1 record "
        "(bielicki2020relacje)",
    ]


def test_rispy_reads_our_output_with_the_same_fields() -> None:
    seed = seed_record()
    text = write([ARTICLE, seed]).text
    first, second = rispy.loads(text)
    assert first["type_of_reference"] == "JOUR"
    assert first["authors"] == [
        "van der Berg, Jan",
        "King, Martin Luther, Jr.",
        "Beethoven, Ludwig van",
        "World Health Organization",
        "Plato,",
    ]
    assert (first["title"], first["secondary_title"]) == ("A title", "Journal of Tests")
    assert (first["start_page"], first["end_page"]) == ("51", "71")
    assert (first["year"], first["date"], first["access_date"]) == (
        "2020",
        "2020/05/01/",
        "2021/01/02/",
    )
    assert (first["volume"], first["number"], first["doi"]) == ("3", "2", "10.1000/ABC.1")
    assert first["urls"] == ["https://example.org/?a=1&b=2"]
    assert first["keywords"] == ["alpha", "beta"]
    assert (first["issn"], first["language"], first["edition"]) == ("1234-5679", "en", "2")
    assert first["abstract"] == "Abstract."
    assert first["id"] == "doe2020"
    assert second["authors"] == ["Bielicki, Paweł"]
    assert second["title"] == seed.title
    assert second["file_attachments1"] == "apsp/66/apsp6604.pdf"
    assert second["author_address"] == seed.author[0].affiliation[0]
    assert second["keywords"] == list(seed.all_keywords())
    assert second["abstract"] == seed.abstracts["pl"]
    assert second["doi"] == "10.15804/athena.2020.66.04"
    assert "unknown_tag" not in first and "unknown_tag" not in second


def test_loss_report_one_warning_per_kind() -> None:
    people = (
        Name(family="A", given="B", orcid="0000-0002-1825-0097", affiliation=("X",)),
        Name(family="C", given="D", orcid="0000-0001-5109-3700", affiliation=("Y",)),
    )
    record = Record(
        id="r1",
        type="interview",
        fields={"title": "T", "event-title": "Conf"},
        names={"author": people, "composer": (Name(family="Z"),)},
        dates={"issued": Date(parts=((2020,), (2021,))), "original-date": Date.of(1900)},
        titles={"de": "Titel", "fr": "Titre"},
        extra={"bibtex:crossref": "x"},
    )
    other = Record(
        id="r2", type="article-journal", fields={"title": "U"}, names={"author": (people[0],)}
    )
    messages = losses(record, other)
    joined = "\n".join(messages)
    assert "RIS has no place for ORCID: 2 records (r1, r2)" in messages
    for fragment in (
        "the CSL type 'interview' (written as PCOMM)",
        "composer names",
        "affiliations of each person",
        "the field 'event-title'",
        "date ranges (issued",
        "the date 'original-date'",
        "the language of a translated title (de)",
        "more than one translated",
        "the field 'bibtex:crossref'",
    ):
        assert fragment in joined, fragment
    assert len(messages) == len(set(messages))
    # the one-author affiliation case is not a loss
    assert not any("affiliation" in m for m in losses(other))


def test_page_in_a_book_is_reported_not_misfiled() -> None:
    record = Record(id="b", type="book", fields={"title": "T", "page": "5-9"})
    assert not any(line.startswith(("SP", "EP")) for line in lines_of(record))
    assert any("page" in m for m in losses(record))


def test_unix_newlines_on_request() -> None:
    text = write([ARTICLE], newline="\n").text
    assert "\r" not in text and text.startswith("TY  - JOUR\n")


def test_csl_article_is_written_jour_and_reported() -> None:
    record = Record(id="pre", type="article", fields={"title": "A preprint"})
    assert lines_of(record)[0] == "TY  - JOUR"
    assert losses(record) == [
        "RIS has no place for the CSL type 'article' (written as JOUR): 1 record (pre)"
    ]
    unpublished = read("TY  - UNPB\nTI  - Draft\nER  - \n").records[0]
    assert unpublished.type == "manuscript" and lines_of(unpublished)[0] == "TY  - UNPB"


def test_citation_js_reads_the_seed_ris_when_installed() -> None:
    """citation-js (plugin-ris) as a second independent reader; bench/setup_peers.sh
    installs it, bench/check_ris_citationjs.py runs the whole corpus through it."""
    root = Path(__file__).resolve().parent.parent
    home = Path(os.environ.get("CITATIONJS_HOME", root / "bench" / ".peers" / "citationjs"))
    node = shutil.which("node")
    if node is None or not (home / "node_modules" / "@citation-js" / "plugin-ris").exists():
        pytest.skip("node or citation-js not installed (bash bench/setup_peers.sh)")
    done = subprocess.run(
        [
            node,
            str(root / "bench" / "check_ris_citationjs.mjs"),
            str(FIXTURES / "seed-article.ris"),
        ],
        capture_output=True,
        check=True,
        timeout=120,
        env={**os.environ, "CITATIONJS_HOME": str(home)},
    )
    (item,) = json.loads(done.stdout)
    seed = seed_record()
    assert item["type"] == "article-journal" and item["title"] == seed.title
    assert item["author"] == [{"family": "Bielicki", "given": "Paweł"}]
    assert item["container-title"] == seed.fields["container-title"]
    assert item["issued"] == {"date-parts": [[2020]]}
    assert (item["page"], item["volume"], item["DOI"]) == ("51-71", "66", seed.fields["DOI"])
    assert item["language"] == "pl" and item["abstract"] == seed.abstracts["pl"]


def test_citation_key_equal_to_the_id_is_the_id_line() -> None:
    record = Record(id="doe2020", type="book", fields={"title": "T", "citation-key": "doe2020"})
    assert "ID  - doe2020" in lines_of(record) and losses(record) == []
    other = record.with_field("citation-key", "other")
    assert any("'citation-key'" in m for m in losses(other))


def test_chapter_number_and_series_number_where_the_spec_puts_them() -> None:
    chapter = Record(
        id="c",
        type="chapter",
        fields={"title": "T", "chapter-number": "3", "collection-number": "12"},
    )
    assert {"SE  - 3", "SV  - 12"} <= set(lines_of(chapter))
    book = Record(id="b", type="book", fields={"title": "T", "collection-number": "12"})
    assert "M1  - 12" in lines_of(book)
    for record in (chapter, book):
        assert read(write([record]).text).records[0] == record


def test_unknown_tags_come_back_even_with_their_case_lost_in_bibtex() -> None:
    record = Record(id="x", type="book", fields={"title": "T"}, extra={"ris:l2": "http://a"})
    assert "L2  - http://a" in lines_of(record) and losses(record) == []
