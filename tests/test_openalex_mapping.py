"""OpenAlex works → records (citetool.mapping.openalex), on recorded real works.

tests/fixtures/openalex holds OpenAlex's own answers (see the README there). For the
``zotero-N`` inputs, Zotero's translator tests give the expected items
(``zotero-N.zotero-expected.json``): an independent reading, compared field by field.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from acceptance_fields import Case, case_id, check_fields

from citetool.mapping.openalex import (
    OPENALEX_TYPES,
    from_openalex,
    rebuild_abstract,
    split_display_name,
)
from citetool.model import CSL_TYPES, Name, Record

FIXTURES = Path(__file__).parent / "fixtures" / "openalex"

#: Zotero item types → the CSL types citeproc-js/Zotero export them as.
ZOTERO_CSL = {
    "journalArticle": "article-journal",
    "bookSection": "chapter",
    "book": "book",
    "thesis": "thesis",
    "conferencePaper": "paper-conference",
    "preprint": "article",
}


def works(name: str) -> list[dict[str, Any]]:
    data = json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))
    return data["results"] if "results" in data else [data]


def record(name: str, index: int = 0) -> Record:
    return from_openalex(works(name)[index])


def zotero_cases() -> list[tuple[str, int, dict[str, Any]]]:
    cases = []
    for path in sorted(FIXTURES.glob("zotero-*.zotero-expected.json")):
        name = path.name.split(".")[0]
        for index, item in enumerate(json.loads(path.read_text(encoding="utf-8"))):
            cases.append((name, index, item))
    return cases


@pytest.mark.parametrize(("name", "index", "item"), zotero_cases(), ids=lambda v: str(v)[:12])
def test_agrees_with_zotero(name: str, index: int, item: dict[str, Any]) -> None:
    rec = record(name, index)
    assert rec.type == ZOTERO_CSL[item["itemType"]]
    assert rec.title.lower() == item["title"].lower()  # Zotero re-cases ALL-CAPS titles
    if item["creators"]:
        first = item["creators"][0]
        assert rec.author[0].family == first["lastName"]
        assert rec.author[0].given.replace(".", ". ").split() == first["firstName"].split()
    else:
        assert not rec.author
    date = item["date"]
    assert rec.issued is not None
    expected = date[:4] if date.endswith("-01-01") else date  # padded year, see the module
    assert rec.issued.iso() == expected
    container = item.get("publicationTitle") or item.get("proceedingsTitle")
    if container:
        assert rec.fields.get("container-title") == container
    for ours, theirs in (("volume", "volume"), ("issue", "issue"), ("page", "pages")):
        assert rec.fields.get(ours) == item.get(theirs), ours
    if "DOI" in item:
        assert rec.fields.get("DOI") == item["DOI"]
    assert rec.extra["openalex"] in item["extra"]


#: (fixture, index, type, title start, first author family, year, container, volume,
#: issue, page, DOI), read off the recorded answers by hand
CASES: list[Case] = [
    (
        "article-W1982728624",
        0,
        "article-journal",
        "Triose Phosphate Isomerase",
        "Ralser",
        2006,
        "PLoS ONE",
        "1",
        "1",
        "e30",
        "10.1371/journal.pone.0000030",
    ),
    (
        "book-chapter-W930857754",
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
        "book-chapter-W2476684680",
        0,
        "chapter",
        "Unsupervised and Supervised Image Segmentation",
        "Bichot",
        2012,
        "Graph-Based Methods in Computer Vision",
        None,
        None,
        "72-94",
        "10.4018/978-1-4666-1891-6.ch004",
    ),
    (
        "book-W97658052",
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
        "conference-paper-W3174427814",
        0,
        "paper-conference",
        "Vector Quotient Filters",
        "Pandey",
        2021,
        "Proceedings of the 2021 International Conference on Management of Data",
        None,
        None,
        "1386-1399",
        "10.1145/3448016.3452841",
    ),
    (
        "preprint-W2581393460",
        0,
        "article",
        "A Data Citation Roadmap",
        "Fenner",
        2016,
        None,
        None,
        None,
        None,
        "10.1101/097196",
    ),
    (
        "dataset-W6945048743",
        0,
        "dataset",
        "THE CRYSTAL STRUCTURE OF HUMAN DEOXYHAEMOGLOBIN",
        "Fermi",
        1984,
        None,
        None,
        None,
        None,
        "10.2210/pdb4hhb/pdb",
    ),
    (
        "dissertation-W3038237952",
        0,
        "thesis",
        "School truancy",
        "Collingwood",
        2020,
        None,
        None,
        None,
        None,
        "10.14264/uql.2020.791",
    ),
    (
        "list-sample-5",
        0,
        "article-journal",
        "Patriotism as criterion",
        "Беспалов",
        2015,
        "Бизнес. Общество. Власть",
        None,
        "22",
        "15-27",
        None,
    ),
    (
        "article-W4230972471",
        0,
        "article-journal",
        "",
        "宮地",
        2007,
        "Japanese Journal of Physical Fitness and Sports Medicine",
        "56",
        "1",
        "60",
        "10.7600/jspfsm.56.60",
    ),
]


@pytest.mark.parametrize("case", CASES, ids=[case_id(c) for c in CASES])
def test_recorded_work(case: Case) -> None:
    rec = record(case[0], case[1])
    check_fields(rec, case)


def test_every_recorded_work_maps() -> None:
    for path in sorted(FIXTURES.glob("*.json")):
        if "expected" in path.name:
            continue
        for work in works(path.stem):
            rec = from_openalex(work)
            assert rec.type in CSL_TYPES
            assert rec.id


def test_type_table() -> None:
    assert all(t in CSL_TYPES for t in OPENALEX_TYPES.values())
    assert OPENALEX_TYPES["conference-paper"] == "paper-conference"
    assert OPENALEX_TYPES["preprint"] == "article"
    assert OPENALEX_TYPES["dissertation"] == "thesis"


def test_source_host_and_repository() -> None:
    chapter = record("book-chapter-W2800740883")  # a chapter in a book series
    assert chapter.fields["collection-title"] == "SpringerBriefs in Medical Earth Sciences"
    assert chapter.fields["publisher"] == "Springer International Publishing"
    preprint = record("preprint-W2581393460")  # a repository is the preprint's publisher
    assert preprint.fields["publisher"] == "bioRxiv (Cold Spring Harbor Laboratory)"
    assert preprint.extra["host-organization"] == "Cold Spring Harbor Laboratory"
    article = record("article-W1982728624")
    assert article.fields["publisher"] == "Public Library of Science"
    assert article.fields["ISSN"] == "1932-6203"


def test_names() -> None:
    rec = record("book-chapter-W930857754")
    assert (rec.author[0].family, rec.author[0].given) == ("Diercks", "Ron L.")
    assert rec.author[0].orcid == "0000-0001-9873-208X"
    assert rec.extra["raw-author-names"][:2] == ["Ronald L. Diercks", "Tom Clement Ludvigsen"]
    japanese = record("article-W4230972471").author[0]
    assert (japanese.family, japanese.given) == ("宮地", "元彦")
    russian = record("list-sample-5", 0).author[0]
    assert (russian.family, russian.given) == ("Беспалов", "Дмитрий Николаевич")
    assert split_display_name("University of Gothenburg") == Name(
        literal="University of Gothenburg"
    )
    assert split_display_name("Mihai G Netea (15649)") == Name(family="Netea", given="Mihai G")


def test_organisation_author_recorded() -> None:
    rec = record("list-sample-1")  # a DiSSCo specimen record: the university is the author
    assert rec.type == "dataset"
    assert rec.author[0] == Name(literal="University of Gothenburg")


def test_abstract_rebuilt() -> None:
    assert rebuild_abstract({"world": [1], "Hello": [0], "again": [3], "hello": [2]}) == (
        "Hello world hello again"
    )
    assert rebuild_abstract(None) == ""
    rec = record("article-W1982728624")
    assert rec.abstract.startswith("Triosephosphate isomerase (TPI) deficiency")


def test_not_a_work() -> None:
    with pytest.raises(ValueError):
        from_openalex({"meta": {}})
