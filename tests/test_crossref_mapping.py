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
from acceptance_fields import Case, case_id, check_fields

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
    message = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))["message"]
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

#: (fixture, index, type, title start, first author, year, container, volume, issue, page, DOI)
CASES: list[Case] = [
    (
        "journal-article-plos",
        0,
        "article-journal",
        "Triose Phosphate Isomerase Deficiency Is Caused by Altered Dimerization–Not Catalytic",
        "Ralser",
        2006,
        "PLoS ONE",
        "1",
        "1",
        "e30",
        "10.1371/journal.pone.0000030",
    ),
    (
        "journal-article-org-author",
        0,
        "article-journal",
        "The impact of structural variation on human gene expression",
        "Chiang",
        2017,
        "Nature Genetics",
        "49",
        "5",
        "692-699",
        "10.1038/ng.3834",
    ),
    (
        "journal-article-1943",
        0,
        "article-journal",
        "THE INVESTIGATION OF RENAL FUNCTION",
        "Davis",
        1943,
        "Medical Journal of Australia",
        "1",
        "13",
        "267-279",
        "10.5694/j.1326-5377.1943.tb44329.x",
    ),
    (
        "book-chapter",
        0,
        "chapter",
        "Clinical Symptoms and Physical Examinations",
        "Diercks",
        2015,
        "Shoulder Stiffness",
        None,
        None,
        "155-158",
        "10.1007/978-3-662-46370-3_13",
    ),
    (
        "book-chapter-book-first",
        0,
        "chapter",
        "Human Body Orientation Estimation in Multiview Scenarios",
        "Chen",
        2012,
        "Advances in Visual Computing",
        None,
        None,
        "499-508",
        "10.1007/978-3-642-33191-6_49",
    ),
    (
        "book-chapter-series-first",
        0,
        "chapter",
        "Climate Change and Increasing Risk of Extreme Heat",
        "Jones",
        2018,
        "Human Health and Physical Activity During Heat Exposure",
        None,
        None,
        "1-13",
        "10.1007/978-3-319-75889-3_1",
    ),
    (
        "monograph",
        0,
        "book",
        "The Politics of the Past in Early China",
        "Leung",
        2019,
        None,
        None,
        None,
        None,
        "10.1017/9781108348843",
    ),
    (
        "proceedings-article",
        0,
        "paper-conference",
        "A Seeded Image Segmentation Framework Unifying Graph Cuts And Random Walker",
        "Sinop",
        2007,
        "2007 IEEE 11th International Conference on Computer Vision",
        None,
        None,
        "1-8",
        "10.1109/iccv.2007.4408927",
    ),
    (
        "proceedings-article-subtitle",
        0,
        "paper-conference",
        "Vector Quotient Filters: Overcoming the Time/Space Trade-Off in Filter Design",
        "Pandey",
        2021,
        "Proceedings of the 2021 International Conference on Management of Data",
        None,
        None,
        "1386-1399",
        "10.1145/3448016.3452841",
    ),
    (
        "posted-content-preprint",
        0,
        "article",
        "Identification of a novel cationic glycolipid in <i>Streptococcus agalactiae</i> that",
        "Joyce",
        2020,
        None,
        None,
        None,
        None,
        "10.1101/2020.12.01.406702",
    ),
    (
        "dataset-pdb",
        0,
        "dataset",
        "THE CRYSTAL STRUCTURE OF HUMAN DEOXYHAEMOGLOBIN",
        "Fermi",
        1984,
        "Worldwide Protein Data Bank",
        None,
        None,
        None,
        "10.2210/pdb4hhb/pdb",
    ),
    (
        "dissertation",
        0,
        "thesis",
        "School truancy and financial independence",
        "Collingwood",
        2020,
        None,
        None,
        None,
        None,
        "10.14264/uql.2020.791",
    ),
    (
        "peer-review",
        0,
        "review",
        "Author response: SpikeForest",
        "Magland",
        2020,
        None,
        None,
        None,
        None,
        "10.7554/elife.55167.sa2",
    ),
    (
        "journal-article-jalc",
        0,
        "article-journal",
        "Utilizing the Internet. 12 Series.",
        "Kusumoto",
        1997,
        "Journal of Information Processing and Management",
        "39",
        "12",
        "979-988",
        "10.1241/johokanri.39.979",
    ),
    (
        "list-sample-5",
        3,
        "paper-conference",
        "Memory and complexity analysis",
        "Smith",
        2012,
        "2012 IEEE International Conference on Communications (ICC)",
        None,
        None,
        "2070-2074",
        "10.1109/icc.2012.6364122",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_recorded_work(case: Case) -> None:
    rec = record(case[0], case[1])
    check_fields(rec, case)
    assert rec.id == case[-1]


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


SELECTED: list[Case] = [
    (
        "10.15281/jplantres1887.22.259_307",
        0,
        "article-journal",
        "雜録・雜報・東京植物學會録事",
        None,
        1908,
        "Shokubutsugaku Zasshi",
        "22",
        "259",
        "307-316",
        "10.15281/jplantres1887.22.259_307",
    ),
    (
        "10.7868/s0040357115030100",
        0,
        "article-journal",
        "Математическое моделирование твердофазной плунжерной экструзии",
        "Паршин",
        2015,
        "Теоретические основы химической технологии",
        "49",
        "3",
        "361-366",
        "10.7868/s0040357115030100",
    ),
    (
        "10.1360/n112014-00137",
        0,
        "article-journal",
        "模糊测试技术研究",
        "Yang",
        2014,
        "SCIENTIA SINICA Informationis",
        "44",
        "10",
        "1305-1322",
        "10.1360/n112014-00137",
    ),
    (
        "10.4095/110861",
        0,
        "report",
        "Fargey Creek, Manitoba",
        "Geological Survey of Canada",
        1964,
        None,
        None,
        None,
        None,
        "10.4095/110861",
    ),
    (
        "10.1093/obo/9780199830060-0192",
        0,
        "entry-encyclopedia",
        "Animal Population Ecology",
        "Egerton",
        2018,
        "Ecology",
        None,
        None,
        None,
        "10.1093/obo/9780199830060-0192",
    ),
]


@pytest.mark.parametrize("case", SELECTED, ids=[c[0] for c in SELECTED])
def test_selected_work(case: Case) -> None:
    check_fields(selected()[case[0]], case)


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
    assert works_by_doi["10.1111/fem.2005.52.issue-3"].type == "periodical"
