"""Crossref REST works → records (citetool.mapping.crossref), on recorded real works.

The works under tests/fixtures/crossref are Crossref's own answers recorded by other
projects' test suites (see the README there); the expected values below were read off
those answers by hand.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from acceptance_fields import check_fields

from citetool.mapping.crossref import (
    CROSSREF_TYPES,
    clean_markup,
    csl_type,
    from_crossref,
    jats_to_text,
    join_title,
    split_containers,
)
from citetool.model import CSL_TYPES, Record

FIXTURES = Path(__file__).parent / "fixtures" / "crossref"


def works(name: str) -> list[dict[str, Any]]:
    data = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    message = data.get("message", data)  # an API envelope, or a bare CSL-JSON answer
    return message["items"] if "items" in message else [message]


def record(name: str, index: int = 0) -> Record:
    return from_crossref(works(name)[index])


# --- the type table ---------------------------------------------------------------------


def test_every_crossref_type_has_a_csl_type() -> None:
    listed = [t["id"] for t in works("types")]  # api.crossref.org/types, as recorded
    assert len(listed) == 30
    for kind in listed:
        assert kind in CROSSREF_TYPES, kind
        assert csl_type(kind) in CSL_TYPES, kind


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("journal-article", "article-journal"),
        ("book-chapter", "chapter"),
        ("book-section", "chapter"),
        ("book-part", "chapter"),
        ("book", "book"),
        ("monograph", "book"),
        ("edited-book", "book"),
        ("reference-book", "book"),
        ("proceedings-article", "paper-conference"),
        ("posted-content", "article"),
        ("dataset", "dataset"),
        ("dissertation", "thesis"),
        ("report", "report"),
        ("standard", "standard"),
        ("reference-entry", "entry-encyclopedia"),
        ("peer-review", "review"),
        ("journal-issue", "periodical"),
        ("component", "document"),
    ],
)
def test_issue_type_table(kind: str, expected: str) -> None:
    assert csl_type(kind) == expected


def test_csl_types_pass_through_and_unknown_types_fall_back() -> None:
    # content-negotiation answers already carry CSL types: kept as they are
    for kind in CSL_TYPES:
        assert csl_type(kind) == kind
    assert csl_type("Journal-Article") == "article-journal"
    assert csl_type("no-such-type") == "article"
    assert csl_type("no-such-type", default="document") == "document"
    assert csl_type(None) == "article"


def test_posted_content_subtypes() -> None:
    assert csl_type("posted-content", "preprint") == "article"
    assert csl_type("posted-content", "blog") == "post-weblog"
    assert csl_type("posted-content", "working_paper") == "report"
    assert csl_type("posted-content", "other") == "article"


# --- recorded works: the acceptance fields ----------------------------------------------


def test_every_recorded_work_maps() -> None:
    for path in sorted(FIXTURES.glob("*.json")):
        if path.stem == "types":
            continue
        for work in works(path.stem):
            rec = from_crossref(work)
            assert rec.type in CSL_TYPES
            assert rec.fields["DOI"] == work["DOI"].lower()


# --- details ----------------------------------------------------------------------------


def test_title_and_subtitle_are_joined() -> None:
    assert record("proceedings-article-subtitle").title == (
        "Vector Quotient Filters: Overcoming the Time/Space Trade-Off in Filter Design"
    )
    assert join_title("Title:", "Sub") == "Title: Sub"
    assert join_title("Why?", "Because") == "Why? Because"
    assert join_title("Title: Sub", "Sub") == "Title: Sub"  # already there (Zotero)
    assert join_title("Title", "") == "Title"


def test_further_titles_are_kept() -> None:
    rec = record("journal-article-translated-title")
    assert rec.title == (
        "Penisverletzung durch eine Moulinette: Folge einer autoerotischen Selbstverstümmelung"
    )
    assert rec.extra["alternative-titles"] == [
        "Penile injury caused by a Moulinette: Result of autoerotic self-mutilation"
    ]


def test_title_markup_is_csl_rich_text_or_plain() -> None:
    work = works("journal-article-markup")[0]
    rich = from_crossref(work).title
    assert rich == (
        "Sexual conflict and correlated evolution between male persistence and female "
        "resistance traits in the seed beetle <i>Callosobruchus maculatus</i>"
    )
    plain = from_crossref(work, rich=False).title
    assert plain.endswith("seed beetle Callosobruchus maculatus")
    # entity-escaped container title in a recorded sample
    assert record("list-sample-5", 0).fields["container-title"] == (
        "Communicative & Integrative Biology"
    )


def test_markup_cleaning() -> None:
    # doubly escaped, as Copernicus deposits it (10.5194/cp-2020-95)
    assert clean_markup(
        "The Atmospheric Bridge Communicated the δ&amp;lt;sup&amp;gt;13&amp;lt;"
        "/sup&amp;gt;C Decline"
    ) == ("The Atmospheric Bridge Communicated the δ<sup>13</sup>C Decline")
    mathml = (
        'Uptake of <mml:math xmlns:mml="http://www.w3.org/1998/Math/MathML"><mml:msub>'
        "<mml:mi>CO</mml:mi><mml:mn>2</mml:mn></mml:msub></mml:math> by <scp>soil</scp>"
    )
    assert clean_markup(mathml) == (
        'Uptake of CO<sub>2</sub> by <span style="font-variant:small-caps;">soil</span>'
    )
    assert clean_markup(mathml, rich=False) == "Uptake of CO2 by soil"
    assert clean_markup("A <jats:italic>B</jats:italic> <u>C</u> &amp; D") == "A <i>B</i> C & D"
    assert clean_markup("<i> broken") == "<i>broken</i>"


def test_jats_abstracts() -> None:
    rec = record("journal-article-multiple-titles")
    paragraphs = rec.abstract.split("\n\n")
    assert paragraphs[0] == "Background"  # "Abstract" title dropped, section titles kept
    assert paragraphs[1].startswith("Accurate evaluation of the quality of genomic")
    assert "<" not in rec.abstract
    assert jats_to_text("<jats:p>hola</jats:p>") == "hola"
    assert record("journal-article-orcid").abstract.startswith("Objective. To find")


def test_organisation_authors_are_literal_names() -> None:
    authors = record("journal-article-org-author").author
    literal = [a for a in authors if a.is_literal]
    assert [a.literal for a in literal] == ["GTEx Consortium"]


def test_orcid_urls_become_bare_ids() -> None:
    rec = record("journal-article-orcid")
    orcids = [a.orcid for a in rec.author if a.orcid]
    assert orcids and all(o.count("-") == 3 and not o.startswith("http") for o in orcids)


def test_editors() -> None:
    rec = record("journal-article-plos")
    assert [e.family for e in rec.names["editor"]] == ["Janbon"]
    assert [e.family for e in record("book-oup").names["editor"]][:1] == ["Cozort"]


def test_print_date_preferred_online_kept() -> None:
    rec = record("list-sample-5", 0)  # issued 2017-12-14 (online), print 2018-01-02
    assert rec.issued is not None and rec.issued.iso() == "2018-01-02"
    assert rec.dates["available-date"].iso() == "2017-12-14"


def test_null_dates() -> None:
    # the dissertation's issued is [[null]]: its approval date is used (as Zotero does)
    rec = record("dissertation")
    assert rec.issued is not None and rec.issued.iso() == "2020-05-25"
    assert rec.fields["publisher"] == "The University of Queensland"
    # a dataset whose only date is [[null]] has no date at all (not year 0, no crash)
    assert "issued" not in record("dataset-usda").dates


def test_isbn_and_issn_types() -> None:
    rec = record("book-chapter")
    assert rec.fields["ISBN"] == "9783662463697, 9783662463703"
    assert rec.extra["isbn-type"] == [
        {"type": "print", "value": "9783662463697"},
        {"type": "electronic", "value": "9783662463703"},
    ]
    plos = record("journal-article-plos")
    assert plos.fields["ISSN"] == "1932-6203"
    assert plos.extra["issn-type"] == [{"type": "electronic", "value": "1932-6203"}]


def test_chapter_book_and_series() -> None:
    first = record("book-chapter-series-first")
    assert first.fields["collection-title"] == "SpringerBriefs in Medical Earth Sciences"
    second = record("book-chapter-book-first")
    assert second.fields["collection-title"] == "Lecture Notes in Computer Science"
    paper = record("list-sample-5", 4)
    assert paper.fields["container-title"].startswith("Proceedings of the First International")
    assert paper.fields["collection-title"] == "Advances in Intelligent Systems Research"
    assert split_containers(
        [
            "Soft Computing: State of the Art Theory and Novel Applications",
            "Studies in Fuzziness and Soft Computing",
        ]
    ) == (
        "Soft Computing: State of the Art Theory and Novel Applications",
        "Studies in Fuzziness and Soft Computing",
    )


def test_preprint_server_and_blog() -> None:
    preprint = record("posted-content-preprint")
    assert preprint.fields["publisher"] == "bioRxiv"
    assert preprint.extra["crossref-publisher"] == "openRxiv"
    blog = record("posted-content-blog")
    assert blog.type == "post-weblog"
    assert blog.fields["container-title"] == "Front Matter"


def test_not_a_work() -> None:
    with pytest.raises(ValueError):
        from_crossref({"status": "ok"})
    with pytest.raises(ValueError):
        from_crossref(["x"])  # type: ignore[arg-type]


def selected() -> dict[str, Record]:
    """The works of rcrossref-selected.jsonl by DOI."""
    lines = (FIXTURES / "rcrossref-selected.jsonl").read_text(encoding="utf-8").splitlines()
    return {r.fields["DOI"]: r for r in (from_crossref(json.loads(line)) for line in lines)}


def test_selected_details() -> None:
    works_by_doi = selected()
    assert works_by_doi["10.1155/2021/5525739"].title == (
        "More on Dα-Closed Sets in Topological Spaces"  # MathML, its layout spaces dropped
    )
    assert works_by_doi["10.4095/110861"].author[0].is_literal
    assert works_by_doi["10.3403/30430945"].type == "standard"
    assert works_by_doi["10.17875/gup2007-392"].type == "book"  # reference-book
    assert works_by_doi["10.17875/gup2007-392"].extra["crossref-type"] == "reference-book"
    other = works_by_doi["10.1090/conm/280/04622"]  # "other" with a book and a series
    assert other.type == "chapter"
    assert other.fields["container-title"] == (
        "Structured Matrices in Mathematics, Computer Science, and Engineering I"
    )
    assert other.fields["collection-title"] == "Contemporary Mathematics"
    issue = works_by_doi["10.1111/fem.2005.52.issue-3"]
    assert (issue.type, issue.title) == ("periodical", "FEMS Microbiology Ecology")
    assert record("dataset-pdb").fields["collection-title"] == "Worldwide Protein Data Bank"


def test_event_and_standards_body() -> None:
    paper = record("proceedings-article")
    assert (
        paper.fields["event-title"] == "2007 IEEE 11th International Conference on Computer Vision"
    )
    assert paper.fields["event-place"] == "Rio de Janeiro, Brazil"
    assert paper.dates["event-date"].iso() == "2007-10-14/2007-10-21"
    standard = selected()["10.3403/30430945"]
    assert standard.fields["authority"] == "BSI British Standards"
    assert standard.title == "Dentistry � Endodontic instruments: Part 2: Enlargers"
    assert standard.issued is not None and standard.issued.iso() == "2023-02-28"  # approved


def test_crossref_csl_json_answer_maps_the_same_way() -> None:
    """Crossref's content-negotiation CSL-JSON (string titles, a subtitle list, CSL types)
    goes through the same mapping: one path for REST works and DOI lookups."""
    item = json.loads((FIXTURES.parent / "doi" / "crossref-athena.json").read_text("utf-8"))
    rec = from_crossref(item)
    assert rec.type == "article-journal"
    assert rec.title.startswith("Relacje kazachsko-rosyjskie")
    assert rec.fields["container-title"] == "Athenaeum Polskie Studia Politologiczne"
    assert rec.fields["container-title-short"] == "athena"
    assert rec.author[0].family == "Bielicki"
    assert rec.fields["DOI"] == "10.15804/athena.2020.66.04"
    chapter = dict(item, type="chapter", subtitle=["A Subtitle"])
    assert from_crossref(chapter).type == "chapter"
    assert from_crossref(chapter).title.endswith(": A Subtitle")


def test_recorded_content_negotiation_answer() -> None:
    """A real CSL-JSON answer of Crossref (habanero's cassette): Crossref's own type name,
    a string title and a subtitle list; the one mapping reads it."""
    item = json.loads((FIXTURES / "content-negotiation-csl.json").read_text(encoding="utf-8"))
    assert item["type"] == "journal-article"
    rec = from_crossref(item)
    check_fields(
        rec,
        (
            "",
            0,
            "article-journal",
            "The Structure of Ordinary Water: New data and",
            "Frank",
            1970,
            "Science",
            "169",
            "3946",
            "635-641",
            "10.1126/science.169.3946.635",
        ),
    )
    assert rec.abstract.startswith("The train of thought pursued in this article")
